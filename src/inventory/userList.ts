/**
 * `sf integration user list`: the inventory of integration users, projected from the AccessModel.
 * Pure: takes a model, returns plain JSON-able rows sorted by username.
 */
import { indexModel, systemPermissionGrants, type Grant, type ModelIndex, type UserAccess } from '../access/effective.js';
import { findIntegrationUsers, type IntegrationUserReason, type AppUsername } from '../access/integrationUsers.js';
import type { AccessModel } from '../access/model.js';
import { evidenceOf, lastActivity, latest } from '../evidence/aggregate.js';
import type { EvidenceModel } from '../evidence/types.js';

/** How a user entered the inventory: the Salesforce Integration license, an API Only grant, or the manifest. */
export type RecognisedBy = 'license' | 'apiOnly' | 'manifest';

export type IntegrationUserRow = {
  username: string;
  name: string;
  active: boolean;
  /**
   * Frozen (UserLogin.IsFrozen): the user cannot log in, but freezing does not deactivate it (Setup, Users, Freeze; object reference,
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm).
   * null: unknown, UserLogin could not be read (it needs "Manage Users").
   */
  frozen: boolean | null;
  /** User license name (via the profile). */
  license: string | null;
  profile: string | null;
  /** The manifest app, when a manifest names the user. */
  app: string | null;
  apiOnly: boolean;
  /** Holders granting API Only User, e.g. "API_Only_Access (permission set)"; muted grants left out. */
  apiOnlyGrantedBy: string[];
  apiEnabled: boolean;
  apiEnabledGrantedBy: string[];
  /** Directly assigned permission sets (API names). */
  permissionSets: string[];
  /** Assigned permission set groups (API names). */
  permissionSetGroups: string[];
  /** Assigned permission set licenses (developer names). */
  permissionSetLicenses: string[];
  /** ISO date-time of the last login, or null when the user never logged in. */
  lastLogin: string | null;
  recognisedBy: RecognisedBy[];
  /** With --evidence-days: client applications seen for the user in the window (OAuth tokens, logins, API logs). */
  appsSeen?: string[];
  /** With --evidence-days: latest sign of use (login, OAuth token use, API call), or null when none was seen. */
  lastUsed?: string | null;
};

export type UserInventory = {
  users: IntegrationUserRow[];
  total: number;
};

export type UserListOptions = {
  /** Include inactive users (default true). */
  includeInactive?: boolean;
  manifestUsers?: AppUsername[];
};

/** "Name (profile)", "Name (permission set)", "Member (permission set, via group G)". */
export const describeGrant = (grant: Grant): string => {
  const kind =
    grant.holder.kind === 'profile'
      ? 'profile'
      : grant.holder.kind === 'permissionSetGroup'
      ? 'permission set group'
      : grant.holder.kind === 'mutingPermissionSet'
      ? 'muting permission set'
      : 'permission set';
  return grant.viaGroup ? `${grant.holder.name} (${kind}, via group ${grant.viaGroup.name})` : `${grant.holder.name} (${kind})`;
};

const recognisedBy = (reason: IntegrationUserReason): RecognisedBy =>
  reason.kind === 'integrationLicense' ? 'license' : reason.kind === 'apiOnly' ? 'apiOnly' : 'manifest';

const byName = (a: string, b: string): number => a.localeCompare(b);

/** The evidence columns, only when evidence was read. */
const evidenceColumns = (evidence: EvidenceModel | undefined, userId: string, lastLogin: string | undefined): Pick<IntegrationUserRow, 'appsSeen' | 'lastUsed'> => {
  if (!evidence) return {};
  const seen = evidenceOf(evidence, userId);
  return { appsSeen: (seen?.apps ?? []).map((app) => app.name), lastUsed: latest(lastActivity(seen), lastLogin) ?? null };
};

const toRow = (index: ModelIndex, access: UserAccess, reasons: IntegrationUserReason[], app: string | undefined): IntegrationUserRow => {
  const { user, profile } = access;
  const frozenKnown = index.model.availableFacts.includes('frozenUsers');
  const apiOnly = systemPermissionGrants(index, access, 'ApiUserOnly').map(describeGrant);
  const apiEnabled = systemPermissionGrants(index, access, 'ApiEnabled').map(describeGrant);
  return {
    username: user.username,
    name: user.name,
    active: user.isActive,
    frozen: frozenKnown ? user.frozen !== undefined : null,
    license: user.userLicense ?? profile?.userLicense ?? null,
    profile: profile?.name ?? null,
    app: app ?? null,
    apiOnly: apiOnly.length > 0,
    apiOnlyGrantedBy: apiOnly,
    apiEnabled: apiEnabled.length > 0,
    apiEnabledGrantedBy: apiEnabled,
    permissionSets: access.grants
      .filter((g) => !g.viaGroup && g.holder.kind === 'permissionSet')
      .map((g) => g.holder.name)
      .sort(byName),
    permissionSetGroups: access.groups.map((g) => g.name).sort(byName),
    permissionSetLicenses: access.permissionSetLicenses.map((p) => p.developerName).sort(byName),
    lastLogin: user.lastLoginDate ?? null,
    recognisedBy: [...new Set(reasons.map(recognisedBy))],
    ...evidenceColumns(index.model.evidence, user.id, user.lastLoginDate),
  };
};

export const buildUserList = (model: AccessModel, options: UserListOptions = {}): UserInventory => {
  const index = indexModel(model);
  const users = findIntegrationUsers(index, { manifestUsers: options.manifestUsers, includeInactive: options.includeInactive })
    .map(({ access, reasons, app }) => toRow(index, access, reasons, app))
    .sort((a, b) => a.username.toLowerCase().localeCompare(b.username.toLowerCase()));
  return { users, total: users.length };
};
