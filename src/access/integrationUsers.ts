/**
 * Who counts as an integration user (DESIGN.md): users on the Salesforce Integration license; users whose profile or
 * any assigned permission set (or group) grants API Only User; users named in the manifest. Each user carries the
 * reasons it entered the set, so findings and `user list` can say how it was recognised.
 */
import { systemPermissionGrants, userAccess, type Grant, type ModelIndex, type UserAccess } from './effective.js';
import { INTEGRATION_USER_LICENSE, type User } from './model.js';

export type IntegrationUserReason =
  | { kind: 'integrationLicense'; license: string }
  | { kind: 'apiOnly'; grants: Grant[] }
  | { kind: 'manifest'; app: string };

export type IntegrationUser = {
  user: User;
  access: UserAccess;
  reasons: IntegrationUserReason[];
  /** The manifest app this user belongs to, when a manifest names it. */
  app?: string;
};

export type ManifestUser = { app: string; username: string };

export type FindIntegrationUsersOptions = {
  manifestUsers?: ManifestUser[];
  /** Include inactive users (default true: an inactive integration user is still inventory). */
  includeInactive?: boolean;
};

/**
 * The manifest app whose username matches the user: exact (case-insensitive), or in a sandbox the production
 * username with the sandbox suffix appended (`name@acme.example.uat`).
 */
const manifestAppOf = (user: User, manifestUsers: ManifestUser[], isSandbox: boolean): string | undefined => {
  const username = user.username.toLowerCase();
  for (const entry of manifestUsers) {
    const wanted = entry.username.toLowerCase();
    if (username === wanted) return entry.app;
    if (isSandbox && username.startsWith(`${wanted}.`) && !username.slice(wanted.length + 1).includes('@')) {
      return entry.app;
    }
  }
  return undefined;
};

export const findIntegrationUsers = (index: ModelIndex, options: FindIntegrationUsersOptions = {}): IntegrationUser[] => {
  const manifestUsers = options.manifestUsers ?? [];
  const isSandbox = index.model.org.isSandbox === true;
  const result: IntegrationUser[] = [];
  for (const user of index.model.users) {
    if (options.includeInactive === false && !user.isActive) continue;
    const access = userAccess(index, user);
    const reasons: IntegrationUserReason[] = [];
    const license = user.userLicense ?? access.profile?.userLicense;
    if (license === INTEGRATION_USER_LICENSE) reasons.push({ kind: 'integrationLicense', license });
    const apiOnlyGrants = systemPermissionGrants(index, access, 'ApiUserOnly');
    if (apiOnlyGrants.length > 0) reasons.push({ kind: 'apiOnly', grants: apiOnlyGrants });
    const app = manifestAppOf(user, manifestUsers, isSandbox);
    if (app) reasons.push({ kind: 'manifest', app });
    if (reasons.length > 0) result.push({ user, access, reasons, ...(app ? { app } : {}) });
  }
  return result;
};
