/**
 * Loads the AccessModel from an org: one PermissionSet describe, then one paged query per object, run in
 * parallel. The number of requests depends on the org's edition (how many permission fields) and on paging, never
 * on how many users or permission sets it has: no per-user or per-set queries.
 *
 * Core objects (PermissionSet, User, ObjectPermissions, FieldPermissions) must load or the load fails with a named
 * error. Other objects are optional: when one cannot be read (unknown object on an old edition, a field the org lacks,
 * no access), the facts it backs are listed in `unavailableFacts` with the reason, and rules that need them report
 * "not evaluated".
 */
import { orgContext, type OrgCallStats, type OrgConnection, type OrgContext } from '../org/connection.js';
import { describeFields } from '../org/describe.js';
import { isFatalOrgError, orgMessages, orgReadError, unavailableReason } from '../org/errors.js';
import { readProfileLoginIpRanges } from '../org/profileMetadata.js';
import { queryAll, queryUrl } from '../org/query.js';
import type { RetryOptions } from '../org/retry.js';
import {
  apexClassName,
  attachByParent,
  idKey,
  licenseNames,
  linkGroupComponents,
  mapPermissionSetRows,
  toAssignments,
  toFieldAccess,
  toMutingPermissionSet,
  toObjectAccess,
  toOrgFacts,
  toPermissionSetLicense,
  toPslAssignment,
  toSetupEntityGrant,
  toUser,
  toUserLicense,
  type Row,
} from './orgRows.js';
import {
  APEX_CLASS_QUERY,
  FIELD_PERMISSIONS_QUERY,
  OBJECT_PERMISSIONS_QUERY,
  ORGANIZATION_QUERY,
  PERMISSION_SET_GROUP_COMPONENT_QUERY,
  PERMISSION_SET_LICENSE_QUERY,
  PSL_ASSIGNMENT_QUERY,
  USER_LICENSE_QUERY,
  assignmentQuery,
  mutingPermissionSetQueries,
  permissionSetQueries,
  permissionSetShape,
  setupEntityAccessQuery,
  userQuery,
  type PermissionSetShape,
} from './orgQueries.js';
import { findIntegrationUsers, type ManifestUser } from './integrationUsers.js';
import { indexModel } from './effective.js';
import type { AccessModel, Fact, Profile, UnavailableFact } from './model.js';

export const ALL_FACTS: Fact[] = [
  'users',
  'assignments',
  'licenses',
  'permissionSetLicenses',
  'loginHistory',
  'loginIpRanges',
  'setupEntityAccess',
  'orgFacts',
];

export type LoadAccessModelOptions = {
  /** Facts to load (default: all). Holders (profiles, permission sets, groups) are always loaded. */
  facts?: Fact[];
  /** Load ObjectPermissions and FieldPermissions (default true; `user list` does not need them). */
  objectAndFieldPermissions?: boolean;
  /** System permissions to load: 'all' (default) or names without the `Permissions` prefix. */
  systemPermissions?: 'all' | string[];
  /** Users the manifest names: they count as integration users when choosing whose profiles' IP ranges to read. */
  manifestUsers?: ManifestUser[];
  /** Where to count requests (a fresh counter when omitted). */
  stats?: OrgCallStats;
  retry?: RetryOptions;
  /** The model's origin (default: the org id). */
  origin?: string;
};

/** Loader settings for `sf integration user list`: no object/field access, only the two API permissions. */
export const USER_LIST_LOAD: Pick<LoadAccessModelOptions, 'facts' | 'objectAndFieldPermissions' | 'systemPermissions'> = {
  facts: ['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginHistory', 'orgFacts'],
  objectAndFieldPermissions: false,
  systemPermissions: ['ApiEnabled', 'ApiUserOnly'],
};

type Outcome = { ok: true; rows: Row[] } | { ok: false; error: unknown };

const urlLengthOf = (ctx: OrgContext) => (soql: string): number => queryUrl(ctx, soql).length;

/** Rows of several SELECTs over the same object (a split field list), merged by Id. */
const queryMerged = async (ctx: OrgContext, queries: string[]): Promise<Row[]> => {
  const parts = await Promise.all(queries.map((soql) => queryAll(ctx, soql)));
  if (parts.length === 1) return parts[0];
  const byId = new Map<string, Row>();
  for (const part of parts) {
    for (const row of part) {
      const key = idKey(String(row.Id));
      byId.set(key, { ...byId.get(key), ...row });
    }
  }
  return [...byId.values()];
};

/** A core read: failure ends the load with a named error. */
const core = (ctx: OrgContext, object: string, queries: string[]): Promise<Row[]> =>
  queryMerged(ctx, queries).catch((error: unknown) => {
    throw orgReadError(object, error);
  });

/** An optional read: failure is returned (fatal ones — session, API limit — still end the load). */
const optional = (ctx: OrgContext, object: string, queries: string[] | undefined): Promise<Outcome | undefined> =>
  queries === undefined
    ? Promise.resolve(undefined)
    : queryMerged(ctx, queries).then(
        (rows): Outcome => ({ ok: true, rows }),
        (error: unknown): Outcome => {
          if (isFatalOrgError(error)) throw orgReadError(object, error);
          return { ok: false, error };
        }
      );

const rowsOf = (outcome: Outcome | undefined): Row[] => (outcome?.ok ? outcome.rows : []);

export const loadAccessModelFromOrg = async (conn: OrgConnection, options: LoadAccessModelOptions = {}): Promise<AccessModel> => {
  const ctx = orgContext(conn, options);
  const wanted = new Set<Fact>(options.facts ?? ALL_FACTS);
  const withAccess = options.objectAndFieldPermissions !== false;

  const described = await describeFields(ctx, 'PermissionSet').catch((error: unknown) => {
    throw orgReadError('PermissionSet', error);
  });
  const shape: PermissionSetShape = permissionSetShape(described.fields, options.systemPermissions ?? 'all');
  const urlLength = urlLengthOf(ctx);

  const [permissionSetRows, userRows, objectRows, fieldRows, org, userLicenses, psls, components, muting, assignments, pslAssignments, setupAccess, apexClasses] =
    await Promise.all([
      core(ctx, 'PermissionSet', permissionSetQueries(shape, urlLength)),
      wanted.has('users') ? core(ctx, 'User', [userQuery()]) : Promise.resolve([]),
      withAccess ? core(ctx, 'ObjectPermissions', [OBJECT_PERMISSIONS_QUERY]) : Promise.resolve([]),
      withAccess ? core(ctx, 'FieldPermissions', [FIELD_PERMISSIONS_QUERY]) : Promise.resolve([]),
      optional(ctx, 'Organization', wanted.has('orgFacts') ? [ORGANIZATION_QUERY] : undefined),
      // User licenses name profiles' licenses, so they are read whenever holders are.
      optional(ctx, 'UserLicense', [USER_LICENSE_QUERY]),
      optional(ctx, 'PermissionSetLicense', [PERMISSION_SET_LICENSE_QUERY]),
      optional(ctx, 'PermissionSetGroupComponent', shape.hasGroups ? [PERMISSION_SET_GROUP_COMPONENT_QUERY] : undefined),
      optional(ctx, 'MutingPermissionSet', shape.hasGroups ? mutingPermissionSetQueries(shape, urlLength) : undefined),
      optional(ctx, 'PermissionSetAssignment', wanted.has('assignments') ? [assignmentQuery(shape.hasGroups)] : undefined),
      optional(ctx, 'PermissionSetLicenseAssign', wanted.has('permissionSetLicenses') ? [PSL_ASSIGNMENT_QUERY] : undefined),
      optional(ctx, 'SetupEntityAccess', wanted.has('setupEntityAccess') ? [setupEntityAccessQuery()] : undefined),
      optional(ctx, 'ApexClass', wanted.has('setupEntityAccess') ? [APEX_CLASS_QUERY] : undefined),
    ]);

  const unavailable: UnavailableFact[] = [];
  const loadProblems: AccessModel['loadProblems'] = [];
  const failed = (fact: Fact | undefined, object: string, outcome: Outcome | undefined): void => {
    if (outcome && !outcome.ok) {
      const reason = unavailableReason(object, outcome.error);
      if (fact) unavailable.push({ fact, reason });
      else loadProblems.push({ message: reason });
    }
  };
  failed('orgFacts', 'Organization', org);
  failed('licenses', 'UserLicense', userLicenses);
  failed('permissionSetLicenses', 'PermissionSetLicense', psls);
  failed('permissionSetLicenses', 'PermissionSetLicenseAssign', pslAssignments);
  failed('assignments', 'PermissionSetAssignment', assignments);
  failed('setupEntityAccess', 'SetupEntityAccess', setupAccess);
  failed(undefined, 'PermissionSetGroupComponent', components);
  failed(undefined, 'MutingPermissionSet', muting);
  failed(undefined, 'ApexClass', apexClasses);

  const userLicenseList = rowsOf(userLicenses).map(toUserLicense);
  const pslList = rowsOf(psls).map(toPermissionSetLicense);
  const licenses = licenseNames(userLicenseList, pslList);
  const holders = mapPermissionSetRows(permissionSetRows, shape.permissionFields, licenses);
  const mutingSets = rowsOf(muting).map((row) => toMutingPermissionSet(row, shape.permissionFields));
  for (const set of mutingSets) holders.holderByRowId.set(idKey(set.id), set);
  linkGroupComponents(holders.permissionSetGroups, rowsOf(components), new Set(mutingSets.map((m) => idKey(m.id))));

  attachByParent(objectRows, holders.holderByRowId, toObjectAccess, (h, a) => h.objectPermissions.push(a));
  attachByParent(fieldRows, holders.holderByRowId, toFieldAccess, (h, a) => h.fieldPermissions.push(a));
  const apexNames = new Map(rowsOf(apexClasses).map((row) => [idKey(String(row.Id)), apexClassName(row)]));
  attachByParent(rowsOf(setupAccess), holders.holderByRowId, (row) => toSetupEntityGrant(row, apexNames), (h, g) => h.setupEntityAccess.push(g));

  const userLicenseOfProfile = new Map(
    holders.profiles.filter((p) => p.userLicense).map((p): [string, string] => [idKey(p.profileId), p.userLicense as string])
  );
  const profileRowIds = new Set(holders.profiles.map((p) => idKey(p.id)));
  const orgRow = rowsOf(org)[0];

  const model: AccessModel = {
    source: 'org',
    origin: options.origin ?? (typeof orgRow?.Id === 'string' ? orgRow.Id : conn.instanceUrl),
    org: toOrgFacts(orgRow, conn.instanceUrl),
    profiles: holders.profiles,
    permissionSets: holders.permissionSets,
    permissionSetGroups: holders.permissionSetGroups,
    mutingPermissionSets: mutingSets,
    users: userRows.map((row) => toUser(row, userLicenseOfProfile)),
    assignments: toAssignments(rowsOf(assignments), profileRowIds),
    userLicenses: userLicenseList,
    permissionSetLicenses: pslList,
    permissionSetLicenseAssignments: rowsOf(pslAssignments).map(toPslAssignment),
    knownSystemPermissions: shape.knownPermissions,
    availableFacts: [],
    unavailableFacts: unavailable,
    loadProblems,
  };

  if (wanted.has('loginIpRanges')) {
    await loadLoginIpRanges(ctx, model, options.manifestUsers ?? [], unavailable, loadProblems);
  }

  const unavailableFacts = new Set(unavailable.map((u) => u.fact));
  // Login facts are User.LastLoginDate; they come with the users.
  if (wanted.has('loginHistory') && !wanted.has('users')) {
    unavailable.push({ fact: 'loginHistory', reason: orgMessages.getMessage('reason.notRequested') });
    unavailableFacts.add('loginHistory');
  }
  model.availableFacts = ALL_FACTS.filter((fact) => wanted.has(fact) && !unavailableFacts.has(fact));
  return model;
};

/**
 * Login IP ranges of the profiles integration users are on (a handful): the Metadata API is the only source, and
 * reading every profile would cost one call per 10 profiles. Other profiles keep `loginIpRanges` undefined (unknown).
 */
const loadLoginIpRanges = async (
  ctx: OrgContext,
  model: AccessModel,
  manifestUsers: ManifestUser[],
  unavailable: UnavailableFact[],
  loadProblems: AccessModel['loadProblems']
): Promise<void> => {
  const index = indexModel(model);
  const profiles = new Map<string, Profile>();
  for (const { access } of findIntegrationUsers(index, { manifestUsers })) {
    if (access.profile) profiles.set(access.profile.id, access.profile);
  }
  if (profiles.size === 0) return;
  try {
    const ranges = await readProfileLoginIpRanges(ctx, [...new Set([...profiles.values()].map((p) => p.name))]);
    for (const profile of profiles.values()) {
      const found = ranges.get(profile.name);
      if (found) profile.loginIpRanges = found;
      else loadProblems.push({ message: orgMessages.getMessage('reason.profileNotRead', [profile.name]) });
    }
  } catch (error) {
    if (isFatalOrgError(error)) throw orgReadError('Profile metadata', error);
    unavailable.push({ fact: 'loginIpRanges', reason: unavailableReason('Profile metadata (readMetadata)', error) });
  }
};
