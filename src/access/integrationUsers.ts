/**
 * Who counts as an integration user (docs/architecture.md, "Who is an integration user"): users on the Salesforce Integration license; users whose profile or
 * any assigned permission set (or group) grants API Only User; users named in the manifest. Each user carries the
 * reasons it entered the set, so findings and `user list` can say how it was recognised.
 */
import { findPrefixedUser, isSandboxCopyOf, orgSandbox, sandboxUsername, type OrgSandbox, type SandboxInfo } from '../salesforce/sandbox.js';
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

/**
 * The username a manifest app expects for its user (production form). Not the manifest's `user` block
 * (`ManifestUser` of src/manifest/types.ts): src/manifest's `appUsernames` derives these from a DesiredState.
 */
export type AppUsername = { app: string; username: string };

export type FindIntegrationUsersOptions = {
  manifestUsers?: AppUsername[];
  /** Include inactive users (default true: an inactive integration user is still inventory). */
  includeInactive?: boolean;
  /** `--sandbox-name`: the sandbox's name when the org does not say it (src/salesforce/sandbox.ts). */
  sandboxName?: string;
  /** Only these users can be integration users (ids, 15-character keys): the others are not looked at. */
  among?: ReadonlySet<string>;
};

/**
 * The manifest app whose username matches the user: exact (case-insensitive), or in a sandbox the production
 * username as the sandbox copy names it (src/salesforce/sandbox.ts: with the sandbox's suffix, or any one label when
 * nothing names the sandbox), so `erp@acme.example.com` is not taken for `erp@acme.example` in sandbox `uat`.
 */
const manifestAppOf = (user: User, manifestUsers: AppUsername[], sandbox: OrgSandbox): string | undefined => {
  if (manifestUsers.length === 0) return undefined;
  const username = user.username.toLowerCase();
  for (const entry of manifestUsers) {
    if (username === entry.username.toLowerCase()) return entry.app;
    if (sandbox.isSandbox && isSandboxCopyOf(username, entry.username, sandbox.info?.name)) return entry.app;
  }
  return undefined;
};

/**
 * In a named sandbox, the users the copy prefixed with random characters after a username collision, by user id →
 * app: apply takes them for the app's user (src/salesforce/sandbox.ts findPrefixedUser), so audit and list do too.
 */
const prefixedAppUsers = (users: User[], manifestUsers: AppUsername[], sandbox: OrgSandbox): Map<string, string> => {
  const byId = new Map<string, string>();
  if (!sandbox.isSandbox || !sandbox.info) return byId;
  const expected = manifestUsers.map((entry) => sandboxUsername(entry.username, (sandbox.info as SandboxInfo).name));
  const names = new Set(users.map((u) => u.username.toLowerCase()));
  manifestUsers.forEach((entry, i) => {
    if (names.has(expected[i].toLowerCase())) return;
    const prefixed = findPrefixedUser(expected[i], users, expected);
    if (prefixed) byId.set(prefixed.user.id, entry.app);
  });
  return byId;
};

/**
 * False when neither the license nor API Only User can make the user an integration user: no assignment, and a
 * profile that is not on the integration license and does not grant API Only User. Most users of a large org are
 * such users; their access is then not built (findIntegrationUsers below decides the rest).
 */
const mayBeIntegrationUser = (index: ModelIndex, user: User): boolean => {
  if (index.assignmentsByUser.has(user.id)) return true;
  const profile = index.profileByProfileId.get(user.profileId);
  return (user.userLicense ?? profile?.userLicense) === INTEGRATION_USER_LICENSE || (profile?.systemPermissions.includes('ApiUserOnly') ?? false);
};

export const findIntegrationUsers = (index: ModelIndex, options: FindIntegrationUsersOptions = {}): IntegrationUser[] => {
  const manifestUsers = options.manifestUsers ?? [];
  const sandbox = orgSandbox(index.model.org, options.sandboxName);
  const prefixed = prefixedAppUsers(index.model.users, manifestUsers, sandbox);
  const result: IntegrationUser[] = [];
  for (const user of index.model.users) {
    if (options.includeInactive === false && !user.isActive) continue;
    if (options.among && !options.among.has(user.id.slice(0, 15))) continue;
    const app = manifestAppOf(user, manifestUsers, sandbox) ?? prefixed.get(user.id);
    if (!app && !mayBeIntegrationUser(index, user)) continue;
    const access = userAccess(index, user);
    const reasons: IntegrationUserReason[] = [];
    const license = user.userLicense ?? access.profile?.userLicense;
    if (license === INTEGRATION_USER_LICENSE) reasons.push({ kind: 'integrationLicense', license });
    const apiOnlyGrants = systemPermissionGrants(index, access, 'ApiUserOnly');
    if (apiOnlyGrants.length > 0) reasons.push({ kind: 'apiOnly', grants: apiOnlyGrants });
    if (app) reasons.push({ kind: 'manifest', app });
    if (reasons.length > 0) result.push({ user, access, reasons, ...(app ? { app } : {}) });
  }
  return result;
};
