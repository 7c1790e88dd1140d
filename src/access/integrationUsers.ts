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
 * The sandbox name from a My Domain sandbox host (`acme--uat.sandbox.my.salesforce.com` → `uat`), lower case;
 * undefined when the URL does not say.
 */
export const sandboxNameFromUrl = (instanceUrl: string | undefined): string | undefined => {
  if (!instanceUrl) return undefined;
  try {
    return /^[a-z0-9-]+?--([a-z0-9]+)\./i.exec(new URL(instanceUrl).hostname)?.[1]?.toLowerCase();
  } catch {
    return undefined;
  }
};

/**
 * The manifest app whose username matches the user: exact (case-insensitive), or in a sandbox the production
 * username with the sandbox suffix appended (`name@acme.example.uat`). When the sandbox name is known (from the
 * My Domain URL) the suffix must be that name, so `erp@acme.example.com` is not taken for `erp@acme.example`.
 */
const manifestAppOf = (
  user: User,
  manifestUsers: ManifestUser[],
  sandbox: { isSandbox: boolean; name?: string }
): string | undefined => {
  const username = user.username.toLowerCase();
  for (const entry of manifestUsers) {
    const wanted = entry.username.toLowerCase();
    if (username === wanted) return entry.app;
    if (!sandbox.isSandbox || !username.startsWith(`${wanted}.`)) continue;
    const suffix = username.slice(wanted.length + 1);
    if (sandbox.name ? suffix === sandbox.name : /^[a-z0-9]+$/.test(suffix)) return entry.app;
  }
  return undefined;
};

export const findIntegrationUsers = (index: ModelIndex, options: FindIntegrationUsersOptions = {}): IntegrationUser[] => {
  const manifestUsers = options.manifestUsers ?? [];
  const sandbox = { isSandbox: index.model.org.isSandbox === true, name: sandboxNameFromUrl(index.model.org.instanceUrl) };
  const result: IntegrationUser[] = [];
  for (const user of index.model.users) {
    if (options.includeInactive === false && !user.isActive) continue;
    const access = userAccess(index, user);
    const reasons: IntegrationUserReason[] = [];
    const license = user.userLicense ?? access.profile?.userLicense;
    if (license === INTEGRATION_USER_LICENSE) reasons.push({ kind: 'integrationLicense', license });
    const apiOnlyGrants = systemPermissionGrants(index, access, 'ApiUserOnly');
    if (apiOnlyGrants.length > 0) reasons.push({ kind: 'apiOnly', grants: apiOnlyGrants });
    const app = manifestAppOf(user, manifestUsers, sandbox);
    if (app) reasons.push({ kind: 'manifest', app });
    if (reasons.length > 0) result.push({ user, access, reasons, ...(app ? { app } : {}) });
  }
  return result;
};
