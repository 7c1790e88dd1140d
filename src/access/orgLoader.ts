/**
 * Loads the AccessModel from an org: one PermissionSet describe, then one paged query per object, run in
 * parallel. The number of requests depends on the org's edition (how many permission fields) and on paging, never
 * on how many users or permission sets it has: no per-user or per-set queries. When the load narrows to the users who
 * may be integration users (the audit), what is read only for them (their assignments, every permission field, the
 * object and field permissions of the holders they hold) is read by id in IN lists that fit the URL, a few queries.
 *
 * Core objects (PermissionSet, User, ObjectPermissions, FieldPermissions) must load or the load fails with a named
 * error. Other objects are optional: when one cannot be read (unknown object on an old edition, a field the org lacks,
 * no access), the facts it backs are listed in `unavailableFacts` with the reason, and rules that need them report
 * "not evaluated".
 */
import { orgContext, type OrgCallStats, type OrgConnection, type OrgContext } from '../org/connection.js';
import { describeFields } from '../org/describe.js';
import { isFatalOrgError, orgMessages, orgReadError, unavailableReason } from '../org/errors.js';
import { isUsername } from '../org/orgLabel.js';
import { readProfileLoginIpRanges } from '../org/profileMetadata.js';
import { queryAll, queryUrl } from '../org/query.js';
import { errorCodeOf, type RetryOptions } from '../org/retry.js';
import type { EvidenceFact, EvidenceModel } from './evidenceTypes.js';
import {
  apexClassName,
  attachByParent,
  enabledPermissions,
  idKey,
  licenseNames,
  linkGroupComponents,
  mapPermissionSetRows,
  permissionField,
  toAssignments,
  toFieldAccess,
  toMutingPermissionSet,
  toObjectAccess,
  toOrgFacts,
  toPermissionSetLicense,
  toPslAssignment,
  toSetupEntityGrant,
  toUser,
  userLicensesOfProfileRows,
  type Row,
} from './orgRows.js';
import {
  APEX_CLASS_QUERY,
  FIELD_PERMISSIONS_QUERY,
  OBJECT_PERMISSIONS_QUERY,
  FROZEN_USER_LOGIN_QUERY,
  fieldPermissionsOfQueries,
  objectPermissionsOfQueries,
  setupEntityAccessOfQueries,
  ORGANIZATION_QUERY,
  PERMISSION_SET_GROUP_COMPONENT_QUERY,
  PERMISSION_SET_LICENSE_QUERY,
  PSL_ASSIGNMENT_QUERY,
  apiOnlyAssignmentQuery,
  assignmentQuery,
  assignmentsOfUsersQueries,
  groupAssigneesQueries,
  mutingPermissionSetQueries,
  permissionSetQueries,
  permissionSetShape,
  permissionsByIdQueries,
  SCREENING_PERMISSIONS,
  setupEntityAccessQuery,
  userQuery,
  type PermissionSetShape,
} from './orgQueries.js';
import { findIntegrationUsers, type FindIntegrationUsersOptions, type IntegrationUser, type AppUsername } from './integrationUsers.js';
import { indexModel } from './effective.js';
import type { AccessModel, Fact, PermissionHolder, Profile, UnavailableFact } from './model.js';

export const ALL_FACTS: Fact[] = [
  'users',
  'assignments',
  'licenses',
  'permissionSetLicenses',
  'loginHistory',
  'loginIpRanges',
  'setupEntityAccess',
  'orgFacts',
  'oauthTokens',
  'loginEvents',
  'apiUsage',
  'frozenUsers',
];

const EVIDENCE_FACTS: Fact[] = ['oauthTokens', 'loginEvents', 'apiUsage'];

export type LoadAccessModelOptions = {
  /** Facts to load (default: all). Holders (profiles, permission sets, groups) are always loaded. */
  facts?: Fact[];
  /** Load ObjectPermissions and FieldPermissions (default true; `user list` does not need them). */
  objectAndFieldPermissions?: boolean;
  /**
   * System permissions to load: 'all' (default) or names without the `Permissions` prefix. With 'all', every holder
   * gets the permissions the audit rules name (SCREENING_PERMISSIONS) and the holders integration users hold get
   * every permission (a second, id-filtered read); `completeSystemPermissions: 'everyHolder'` reads every permission
   * of every holder in one wide query instead.
   */
  systemPermissions?: 'all' | string[];
  completeSystemPermissions?: 'integrationUsers' | 'everyHolder';
  /**
   * Whose object, field and setup entity access to read when the load reads users and assignments: 'integrationUsers'
   * (default: the holders they hold and the `completeHolders`, read once they are known; every holder's when the
   * assignments cannot be read) or 'everyHolder' (every holder's, in the first round).
   */
  holderAccess?: 'integrationUsers' | 'everyHolder';
  /**
   * Profiles and permission sets (by name, case-insensitive) whose every permission must be read as well, although no
   * integration user holds them yet (the apply planner compares the manifest's sets and profile with the org's).
   */
  completeHolders?: string[];
  /**
   * Whose PermissionSetAssignment rows to read: 'all' (default), or 'integrationUsers': only the users who may be
   * integration users (integration license, API-only profile, a set or group granting API Only User, the manifest),
   * so a large org's audit reads a few hundred rows instead of every user's, in one round trip instead of a chain of
   * pages. The model then holds no assignment of other users.
   */
  assignments?: 'all' | 'integrationUsers';
  /** Users the manifest names: they count as integration users when choosing whose profiles' IP ranges to read. */
  manifestUsers?: AppUsername[];
  /** `--sandbox-name` (apply): names the sandbox when matching the manifest's usernames. */
  sandboxName?: string;
  /** Where to count requests (a fresh counter when omitted). */
  stats?: OrgCallStats;
  retry?: RetryOptions;
  /** The model's origin (default: the org id). */
  origin?: string;
  /**
   * Read the evidence of use of the integration users over this many days (src/evidence): OAuth tokens, login
   * history, API log files. 0: not read, and the evidence facts are unavailable ("not read"); absent: not read and
   * not wanted (unless `facts` names them).
   */
  evidenceDays?: number;
  /**
   * Reads the evidence for `evidenceDays` (src/evidence's startEvidence, passed in by the caller: evidence sits a layer
   * above the access loader, docs/architecture.md). Without it, asked-for evidence facts are unavailable.
   */
  evidenceLoader?: EvidenceLoader;
};

/**
 * Started at the beginning of the load, beside the first round: it issues the reads that need no user (so they do not
 * wait for the integration users) and returns the steps that read the evidence of the users. Whatever an early read
 * fails with is reported by `forUsers` (its rejection is never left unhandled).
 */
export type EvidenceLoader = (ctx: OrgContext, options: { days: number }) => StartedEvidence;
export type StartedEvidence = {
  /**
   * The users among whom the integration users will be (a superset, known a round trip before them): reads that can
   * start for them do. Once only; `forUsers` reads again itself for any of its users not among these.
   */
  candidates: (userIds: readonly string[]) => void;
  /** The evidence of the integration users, once they are known. */
  forUsers: (userIds: readonly string[]) => Promise<{ evidence: EvidenceModel; unavailable: Array<{ fact: EvidenceFact; reason: string }> }>;
};

/**
 * Loader settings for `sf integration user list`: no object/field access, only the two API permissions, and (as the
 * audit) only the assignments of the users who may be integration users: the list shows no one else.
 */
export const USER_LIST_LOAD: Pick<LoadAccessModelOptions, 'facts' | 'objectAndFieldPermissions' | 'systemPermissions' | 'assignments'> = {
  facts: ['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginHistory', 'orgFacts', 'frozenUsers'],
  objectAndFieldPermissions: false,
  systemPermissions: ['ApiEnabled', 'ApiUserOnly'],
  assignments: 'integrationUsers',
};

/**
 * Loader settings for `sf integration manifest init`: what the draft reads (users, their assignments, sets and
 * profiles with their object, field, Apex class and system access, licenses, their profiles' login IP ranges, the org),
 * narrowed to the users who may be integration users as the audit's load is; with `evidenceDays`, the evidence too.
 * Frozen users are not read: a draft names users, and whether one is frozen changes nothing in it.
 */
export const manifestDraftLoad = (evidenceDays: number | undefined): Pick<LoadAccessModelOptions, 'facts' | 'assignments' | 'evidenceDays'> => ({
  facts: ['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginIpRanges', 'setupEntityAccess', 'orgFacts', ...(evidenceDays ? EVIDENCE_FACTS : [])],
  assignments: 'integrationUsers',
  ...(evidenceDays ? { evidenceDays } : {}),
});

/** Narrowing needs the users (licenses, profiles) and API Only User among the permissions read. */
const narrowsAssignments = (options: LoadAccessModelOptions, wanted: Set<Fact>, shape: PermissionSetShape): boolean =>
  options.assignments === 'integrationUsers' && wanted.has('users') && shape.permissionFields.includes(permissionField('ApiUserOnly'));

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

type FirstRound = {
  permissionSets: Row[];
  users: Row[];
  objectPermissions: Row[];
  fieldPermissions: Row[];
  org?: Outcome;
  psls?: Outcome;
  components?: Outcome;
  muting?: Outcome;
  assignments?: Outcome;
  pslAssignments?: Outcome;
  setupAccess?: Outcome;
  apexClasses?: Outcome;
  frozen?: Outcome;
};

type IndependentReads = Pick<FirstRound, 'users' | 'objectPermissions' | 'fieldPermissions' | 'org' | 'psls' | 'pslAssignments' | 'setupAccess' | 'apexClasses' | 'frozen'>;

/** The reads that need nothing from the PermissionSet describe: started beside it. */
const readIndependent = async (ctx: OrgContext, wanted: Set<Fact>, withAccess: boolean, withSetupAccess: boolean): Promise<IndependentReads> => {
  // Started largest first: the limiter serves requests in order, so the longest page chains begin earliest.
  const [users, fieldPermissions, objectPermissions, org, psls, pslAssignments, setupAccess, apexClasses, frozen] = await Promise.all([
    wanted.has('users') ? core(ctx, 'User', [userQuery()]) : Promise.resolve([]),
    withAccess ? core(ctx, 'FieldPermissions', [FIELD_PERMISSIONS_QUERY]) : Promise.resolve([]),
    withAccess ? core(ctx, 'ObjectPermissions', [OBJECT_PERMISSIONS_QUERY]) : Promise.resolve([]),
    optional(ctx, 'Organization', wanted.has('orgFacts') ? [ORGANIZATION_QUERY] : undefined),
    optional(ctx, 'PermissionSetLicense', [PERMISSION_SET_LICENSE_QUERY]),
    optional(ctx, 'PermissionSetLicenseAssign', wanted.has('permissionSetLicenses') ? [PSL_ASSIGNMENT_QUERY] : undefined),
    optional(ctx, 'SetupEntityAccess', withSetupAccess ? [setupEntityAccessQuery()] : undefined),
    optional(ctx, 'ApexClass', wanted.has('setupEntityAccess') ? [APEX_CLASS_QUERY] : undefined),
    optional(ctx, 'UserLogin', wanted.has('users') && wanted.has('frozenUsers') ? [FROZEN_USER_LOGIN_QUERY] : undefined),
  ]);
  return { users, objectPermissions, fieldPermissions, org, psls, pslAssignments, setupAccess, apexClasses, frozen };
};

/**
 * The reads whose fields the describe decides (permission fields, groups), in parallel. With `narrowAssignments`,
 * only the assignments of sets (and group aggregates) that grant API Only User are read here.
 */
const readDescribed = async (
  ctx: OrgContext,
  shape: PermissionSetShape,
  wanted: Set<Fact>,
  urlLength: (soql: string) => number,
  narrowAssignments: boolean
): Promise<Pick<FirstRound, 'permissionSets' | 'components' | 'muting' | 'assignments'>> => {
  const [assignments, permissionSets, components, muting] = await Promise.all([
    optional(ctx, 'PermissionSetAssignment', wanted.has('assignments') ? [narrowAssignments ? apiOnlyAssignmentQuery(shape.hasGroups) : assignmentQuery(shape.hasGroups)] : undefined),
    core(ctx, 'PermissionSet', permissionSetQueries(shape, urlLength)),
    optional(ctx, 'PermissionSetGroupComponent', shape.hasGroups ? [PERMISSION_SET_GROUP_COMPONENT_QUERY] : undefined),
    optional(ctx, 'MutingPermissionSet', shape.hasGroups ? mutingPermissionSetQueries(shape, urlLength) : undefined),
  ]);
  return { permissionSets, components, muting, assignments };
};

/** Failed optional reads → unavailable facts (or load problems when no fact depends on them alone). */
const failuresOf = (read: FirstRound): Pick<AccessModel, 'unavailableFacts' | 'loadProblems'> => {
  const unavailableFacts: UnavailableFact[] = [];
  const loadProblems: AccessModel['loadProblems'] = [];
  const checks: Array<[Fact | undefined, string, Outcome | undefined]> = [
    ['orgFacts', 'Organization', read.org],
    ['permissionSetLicenses', 'PermissionSetLicense', read.psls],
    ['permissionSetLicenses', 'PermissionSetLicenseAssign', read.pslAssignments],
    ['assignments', 'PermissionSetAssignment', read.assignments],
    ['setupEntityAccess', 'SetupEntityAccess', read.setupAccess],
    [undefined, 'PermissionSetGroupComponent', read.components],
    [undefined, 'MutingPermissionSet', read.muting],
    [undefined, 'ApexClass', read.apexClasses],
    ['frozenUsers', 'UserLogin', read.frozen],
  ];
  for (const [fact, object, outcome] of checks) {
    if (!outcome || outcome.ok) continue;
    const reason = fact === 'frozenUsers' ? frozenUnknownReason(outcome.error) : unavailableReason(object, outcome.error);
    if (fact) unavailableFacts.push({ fact, reason });
    else loadProblems.push({ message: reason });
  }
  return { unavailableFacts, loadProblems };
};

/**
 * Why the frozen users are unknown. UserLogin needs "Manage Users" (object reference,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm);
 * without it a query answers INSUFFICIENT_ACCESS_OR_READONLY, or INVALID_TYPE as for other objects the running user
 * may not see (the codes only, never the text, decide the hint).
 */
const frozenUnknownReason = (error: unknown): string => {
  const denied = ['INSUFFICIENT_ACCESS_OR_READONLY', 'INVALID_TYPE'].includes(errorCodeOf(error) ?? '');
  return orgMessages.getMessage(denied ? 'reason.frozenUnknown.denied' : 'reason.frozenUnknown', [unavailableReason('UserLogin', error)]);
};

/** Marks the users whose UserLogin row is frozen. */
const withFrozen = (users: AccessModel['users'], frozenLogins: Row[]): AccessModel['users'] => {
  if (frozenLogins.length === 0) return users;
  const loginByUser = new Map(frozenLogins.filter((row) => row.IsFrozen === true).map((row) => [idKey(String(row.UserId)), String(row.Id)]));
  for (const user of users) {
    const userLoginId = loginByUser.get(idKey(user.id));
    if (userLoginId) user.frozen = { userLoginId };
  }
  return users;
};

/**
 * The model from the first round's rows, and the step that hangs object, field and setup entity rows off its holders
 * (tens of thousands of rows in a large org; recognising integration users needs none of them, so the loader runs it
 * while the org answers the next round). Pure.
 */
const modelFromRows = (
  read: FirstRound,
  shape: PermissionSetShape,
  conn: OrgConnection,
  origin?: string
): { model: AccessModel; attachAccess: () => void; attachHolderAccess: (rows: HolderAccessRows) => void } => {
  const userLicenses = userLicensesOfProfileRows(read.permissionSets);
  const psls = rowsOf(read.psls).map(toPermissionSetLicense);
  const holders = mapPermissionSetRows(read.permissionSets, shape.permissionFields, licenseNames(userLicenses, psls));
  const mutingSets = rowsOf(read.muting).map((row) => toMutingPermissionSet(row, shape.permissionFields));
  for (const set of mutingSets) holders.holderByRowId.set(idKey(set.id), set);
  linkGroupComponents(holders.permissionSetGroups, rowsOf(read.components), new Set(mutingSets.map((m) => idKey(m.id))));

  const attachHolderAccess = ({ objectRows, fieldRows, setupRows }: HolderAccessRows): void => {
    attachByParent(objectRows, holders.holderByRowId, toObjectAccess, (h, a) => h.objectPermissions.push(a));
    attachByParent(fieldRows, holders.holderByRowId, toFieldAccess, (h, a) => h.fieldPermissions.push(a));
    const apexNames = new Map(rowsOf(read.apexClasses).map((row) => [idKey(String(row.Id)), apexClassName(row)]));
    attachByParent(setupRows, holders.holderByRowId, (row) => toSetupEntityGrant(row, apexNames), (h, g) => h.setupEntityAccess.push(g));
  };
  const attachAccess = (): void =>
    attachHolderAccess({ objectRows: read.objectPermissions, fieldRows: read.fieldPermissions, setupRows: rowsOf(read.setupAccess) });

  const userLicenseOfProfile = new Map(
    holders.profiles.filter((p) => p.userLicense).map((p): [string, string] => [idKey(p.profileId), p.userLicense as string])
  );
  const orgRow = rowsOf(read.org)[0];
  const runningUsername = conn.getUsername?.();
  const partial = shape.permissionFields.length < shape.allPermissionFields.length;
  const model: AccessModel = {
    source: 'org',
    origin: origin ?? (typeof orgRow?.Id === 'string' ? orgRow.Id : conn.instanceUrl),
    // An access token is never kept: only a username names the sandbox.
    org: toOrgFacts(orgRow, conn.instanceUrl, isUsername(runningUsername) ? runningUsername : undefined),
    profiles: holders.profiles,
    permissionSets: holders.permissionSets,
    permissionSetGroups: holders.permissionSetGroups,
    mutingPermissionSets: mutingSets,
    users: withFrozen(
      read.users.map((row) => toUser(row, userLicenseOfProfile)),
      rowsOf(read.frozen)
    ),
    assignments: toAssignments(rowsOf(read.assignments), new Set(holders.profiles.map((p) => idKey(p.id)))),
    userLicenses,
    permissionSetLicenses: psls,
    permissionSetLicenseAssignments: rowsOf(read.pslAssignments).map(toPslAssignment),
    knownSystemPermissions: shape.knownPermissions,
    availableFacts: [],
    ...failuresOf(read),
  };
  if (partial) for (const holder of allHolders(model)) holder.partialSystemPermissions = true;
  return { model, attachAccess, attachHolderAccess };
};

/**
 * When the holders' object, field and setup entity access is read: with the first round, every holder's, or, when the
 * load reads users and their assignments (audit, manifest init, apply), once the integration users are known
 * (`later`, readHolderAccess): only the holders they hold and the named ones need it.
 */
const whenHolderAccess = (
  options: LoadAccessModelOptions,
  wanted: Set<Fact>
): { objectAndFieldFirst: boolean; setupFirst: boolean; later: { objectAndField: boolean; setup: boolean } | undefined } => {
  const withAccess = options.objectAndFieldPermissions !== false;
  const withSetup = wanted.has('setupEntityAccess');
  if (options.holderAccess !== 'everyHolder' && wanted.has('users') && wanted.has('assignments') && (withAccess || withSetup)) {
    return { objectAndFieldFirst: false, setupFirst: false, later: { objectAndField: withAccess, setup: withSetup } };
  }
  return { objectAndFieldFirst: withAccess, setupFirst: withSetup, later: undefined };
};

/** Resolves after pending I/O callbacks ran: requests just started are on their way before the caller computes. */
const afterRequestsSent = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const loadAccessModelFromOrg = async (conn: OrgConnection, options: LoadAccessModelOptions = {}): Promise<AccessModel> => {
  const ctx = orgContext(conn, options);
  // Evidence facts are wanted only when the caller says how many days to read (0 included: "not read" is then said).
  const defaultFacts = options.evidenceDays === undefined ? ALL_FACTS.filter((fact) => !EVIDENCE_FACTS.includes(fact)) : ALL_FACTS;
  const wanted = new Set<Fact>(options.facts ?? defaultFacts);

  // The describe first (the limiter serves in order), and beside it every read that does not need it.
  const describing = describeFields(ctx, 'PermissionSet').catch((error: unknown) => {
    throw orgReadError('PermissionSet', error);
  });
  const access = whenHolderAccess(options, wanted);
  const independent = readIndependent(ctx, wanted, access.objectAndFieldFirst, access.setupFirst);
  // Awaited below; a failed describe must not leave its rejection unhandled.
  void independent.catch(() => undefined);
  const evidence = startEvidenceFacts(ctx, wanted, options.evidenceDays, options.evidenceLoader);
  const described = await describing;
  const wantsAll = (options.systemPermissions ?? 'all') === 'all';
  const completeForIntegrationUsers = wantsAll && options.completeSystemPermissions !== 'everyHolder';
  const firstRead = completeForIntegrationUsers ? SCREENING_PERMISSIONS : options.systemPermissions ?? 'all';
  const shape: PermissionSetShape = permissionSetShape(described.fields, firstRead);
  const urlLength = urlLengthOf(ctx);
  const narrow = narrowsAssignments(options, wanted, shape);

  const dependent = await readDescribed(ctx, shape, wanted, urlLength, narrow);
  const read: FirstRound = { ...(await independent), ...dependent };
  const { model, attachAccess, attachHolderAccess } = modelFromRows(read, shape, conn, options.origin);
  const recognition = { manifestUsers: options.manifestUsers ?? [], sandboxName: options.sandboxName };
  let among: ReadonlySet<string> | undefined;
  if (narrow && read.assignments?.ok) {
    const narrowed = await narrowToIntegrationUsers(model, attachAccess, () => readIntegrationUsersAssignments(ctx, model, shape.hasGroups, recognition, urlLength, evidence));
    model.assignments = narrowed.assignments;
    among = narrowed.among;
  } else {
    attachAccess();
  }

  // Second round, in parallel: every permission of the integration users' holders, and their profiles' IP ranges.
  const integrationUsers = findIntegrationUsers(indexModel(model), { ...recognition, ...(among ? { among } : {}) });
  const partial = shape.permissionFields.length < shape.allPermissionFields.length;
  const held = heldHolders(model, integrationUsers, options.completeHolders ?? []);
  // With the assignments known, the access of the held holders; without them (refused), every holder's: the rules
  // then look for integration holders among all.
  const assignmentsKnown = !model.unavailableFacts.some((u) => u.fact === 'assignments');
  const accessOf = assignmentsKnown ? [...held.byRowId.keys(), ...held.mutingById.keys()] : undefined;
  await Promise.all([
    access.later && readHolderAccess(ctx, accessOf, access.later, urlLength, model.unavailableFacts).then(attachHolderAccess),
    completeForIntegrationUsers && partial
      ? completeSystemPermissions(ctx, held, shape, urlLength)
      : undefined,
    wanted.has('loginIpRanges')
      ? loadLoginIpRanges(ctx, integrationUsers, namedProfiles(model, options.completeHolders ?? []), model.unavailableFacts, model.loadProblems)
      : undefined,
    loadEvidenceFacts(model.unavailableFacts, integrationUsers, wanted, evidence).then((evidenceModel) => {
      if (evidenceModel) model.evidence = evidenceModel;
    }),
  ]);

  model.availableFacts = settleFacts(model, wanted);
  return model;
};

/**
 * Reads the assignments of the users who may be integration users (`narrowing`) while the first round's access is
 * attached: those assignments, and whose they are (`among`; none when they could not be read, the reason then an
 * unavailable fact of the model).
 */
const narrowToIntegrationUsers = async (
  model: AccessModel,
  attachAccess: () => void,
  readAssignments: () => ReturnType<typeof readIntegrationUsersAssignments>
): Promise<{ assignments: AccessModel['assignments']; among?: ReadonlySet<string> }> => {
  const narrowing = readAssignments();
  // Awaited below; a fatal failure must not be left unhandled meanwhile.
  void narrowing.catch(() => undefined);
  await afterRequestsSent();
  attachAccess();
  const narrowed = await narrowing;
  if (narrowed.reason) model.unavailableFacts.push({ fact: 'assignments', reason: narrowed.reason });
  return { assignments: narrowed.assignments, among: narrowed.reason ? undefined : narrowed.read };
};

/** The model's available facts: those wanted and not unavailable (login and frozen facts without users are added to the unavailable). */
const settleFacts = (model: AccessModel, wanted: Set<Fact>): Fact[] => {
  const unavailableFacts = new Set(model.unavailableFacts.map((u) => u.fact));
  // Login facts are User.LastLoginDate and frozen users mark users: both come with the users.
  for (const fact of ['loginHistory', 'frozenUsers'] as const) {
    if (wanted.has(fact) && !wanted.has('users')) {
      model.unavailableFacts.push({ fact, reason: orgMessages.getMessage('reason.notRequested') });
      unavailableFacts.add(fact);
    }
  }
  return ALL_FACTS.filter((fact) => wanted.has(fact) && !unavailableFacts.has(fact));
};

/** Groups whose members grant API Only User and whose muting set does not take it away. Pure. */
const apiOnlyGroupIds = (model: AccessModel): string[] => {
  const byId = new Map<string, PermissionHolder>([...model.permissionSets, ...model.mutingPermissionSets].map((h) => [idKey(h.id), h]));
  const apiOnly = (holder: PermissionHolder | undefined): boolean => holder?.systemPermissions.includes('ApiUserOnly') ?? false;
  return model.permissionSetGroups
    .filter((group) => group.permissionSetIds.some((id) => apiOnly(byId.get(idKey(id)))))
    .filter((group) => !(group.mutingPermissionSetId && apiOnly(byId.get(idKey(group.mutingPermissionSetId)))))
    .map((group) => group.id);
};

/**
 * What replaces the model's API-only assignments (readDescribed, narrowed): every assignment of the users who may be
 * integration users: those the first round recognises (license, profile, API-only set or group aggregate, manifest),
 * and those a group reaches whose members grant API Only User (a group's aggregate row may not say so; their own
 * assignments take one more round trip, only when such users exist). A failure leaves assignments unavailable.
 */
const readIntegrationUsersAssignments = async (
  ctx: OrgContext,
  model: AccessModel,
  hasGroups: boolean,
  recognition: Pick<FindIntegrationUsersOptions, 'manifestUsers' | 'sandboxName'>,
  urlLength: (soql: string) => number,
  evidence: StartedEvidence | undefined
): Promise<{ assignments: AccessModel['assignments']; read?: ReadonlySet<string>; reason?: string }> => {
  // Ids as the org gave them (15-character keys only to compare).
  const candidates = new Map(findIntegrationUsers(indexModel(model), recognition).map((iu) => [idKey(iu.user.id), iu.user.id]));
  const groups = apiOnlyGroupIds(model);
  // Without API-only groups no user outside the candidates can be an integration user (the integration users are
  // looked for among those whose assignments are read): their evidence can start before this round trip.
  if (groups.length === 0) evidence?.candidates([...candidates.values()]);
  const queryEach = async (queries: string[]): Promise<Row[]> => (await Promise.all(queries.map((soql) => queryAll(ctx, soql)))).flat();
  const assignmentsOf = (ids: string[]): Promise<Row[]> =>
    ids.length === 0 ? Promise.resolve([]) : queryEach(assignmentsOfUsersQueries(hasGroups, ids, urlLength));
  const profileRowIds = new Set(model.profiles.map((p) => idKey(p.id)));
  try {
    const [rows, groupAssignees] = await Promise.all([
      assignmentsOf([...candidates.values()]),
      groups.length === 0 ? Promise.resolve([]) : queryEach(groupAssigneesQueries(groups, urlLength)),
    ]);
    const extra = new Map<string, string>();
    for (const row of groupAssignees) {
      const id = String(row.AssigneeId);
      if (row.IsActive !== false && !candidates.has(idKey(id))) extra.set(idKey(id), id);
    }
    const extraRows = await assignmentsOf([...extra.values()]);
    // Whose assignments were read (15-character keys): no other user can be an integration user.
    return { assignments: toAssignments([...rows, ...extraRows], profileRowIds), read: new Set([...candidates.keys(), ...extra.keys()]) };
  } catch (error) {
    if (isFatalOrgError(error)) throw orgReadError('PermissionSetAssignment', error);
    return { assignments: [], reason: unavailableReason('PermissionSetAssignment', error) };
  }
};

/** The evidence loader, started when evidence facts are asked for over a window and a loader is given. */
const startEvidenceFacts = (
  ctx: OrgContext,
  wanted: Set<Fact>,
  days: number | undefined,
  startEvidence: EvidenceLoader | undefined
): StartedEvidence | undefined =>
  days && startEvidence && EVIDENCE_FACTS.some((fact) => wanted.has(fact)) ? startEvidence(ctx, { days }) : undefined;

/** The evidence of use of the integration users, when asked for; the facts it could not read become unavailable. */
const loadEvidenceFacts = async (
  unavailable: UnavailableFact[],
  integrationUsers: IntegrationUser[],
  wanted: Set<Fact>,
  evidence: StartedEvidence | undefined
): Promise<EvidenceModel | undefined> => {
  const facts = EVIDENCE_FACTS.filter((fact) => wanted.has(fact));
  if (facts.length === 0) return undefined;
  if (!evidence) {
    for (const fact of facts) unavailable.push({ fact, reason: orgMessages.getMessage('reason.evidenceNotRequested') });
    return undefined;
  }
  const loaded = await evidence.forUsers(integrationUsers.map((iu) => iu.user.id));
  for (const { fact, reason } of loaded.unavailable) if (wanted.has(fact)) unavailable.push({ fact, reason });
  return loaded.evidence;
};

const allHolders = (model: AccessModel): PermissionHolder[] => [
  ...model.profiles,
  ...model.permissionSets,
  ...model.permissionSetGroups,
  ...model.mutingPermissionSets,
];

/**
 * The holders integration users hold (profile, direct sets, group members) and those named in `alsoNamed`, by row id;
 * apart, the muting sets of the groups they hold. Pure.
 */
const heldHolders = (
  model: AccessModel,
  integrationUsers: IntegrationUser[],
  alsoNamed: string[]
): { byRowId: Map<string, PermissionHolder>; mutingById: Map<string, PermissionHolder> } => {
  const byRowId = new Map<string, PermissionHolder>();
  const named = new Set(alsoNamed.map((name) => name.toLowerCase()));
  for (const holder of [...model.profiles, ...model.permissionSets]) {
    if (named.has(holder.name.toLowerCase())) byRowId.set(holder.id, holder);
  }
  const mutingById = new Map<string, PermissionHolder>();
  const mutingSets = new Map(model.mutingPermissionSets.map((m) => [m.id, m]));
  for (const { access } of integrationUsers) {
    for (const { holder, viaGroup } of access.grants) {
      byRowId.set(holder.id, holder);
      const muting = viaGroup?.mutingPermissionSetId ? mutingSets.get(viaGroup.mutingPermissionSetId) : undefined;
      if (muting) mutingById.set(muting.id, muting);
    }
  }
  return { byRowId, mutingById };
};

/** Rows of the holders' object, field and setup entity access, as attachHolderAccess hangs them off their holders. */
type HolderAccessRows = { objectRows: Row[]; fieldRows: Row[]; setupRows: Row[] };

/**
 * Object, field and setup entity access read after the integration users are known: of the holders they hold (and the
 * named ones, and their groups' muting sets) when their assignments are known (`parentIds`), else of every holder. An
 * org's FieldPermissions and SetupEntityAccess have a row per holder and field or entity, often hundreds of thousands,
 * of which a load needs a few hundred. Object and field permissions must load (a failure is fatal, as in the first
 * round); setup entity access that cannot be read is an unavailable fact.
 */
const readHolderAccess = async (
  ctx: OrgContext,
  parentIds: string[] | undefined,
  what: { objectAndField: boolean; setup: boolean },
  urlLength: (soql: string) => number,
  unavailable: UnavailableFact[]
): Promise<HolderAccessRows> => {
  if (parentIds?.length === 0) return { objectRows: [], fieldRows: [], setupRows: [] };
  const each = (object: string, queries: string[]): Promise<Row[]> =>
    Promise.all(queries.map((soql) => core(ctx, object, [soql]))).then((parts) => parts.flat());
  const [objectRows, fieldRows, setup] = await Promise.all([
    what.objectAndField ? each('ObjectPermissions', parentIds ? objectPermissionsOfQueries(parentIds, urlLength) : [OBJECT_PERMISSIONS_QUERY]) : [],
    what.objectAndField ? each('FieldPermissions', parentIds ? fieldPermissionsOfQueries(parentIds, urlLength) : [FIELD_PERMISSIONS_QUERY]) : [],
    optional(ctx, 'SetupEntityAccess', what.setup ? (parentIds ? setupEntityAccessOfQueries(parentIds, urlLength) : [setupEntityAccessQuery()]) : undefined),
  ]);
  if (setup && !setup.ok) unavailable.push({ fact: 'setupEntityAccess', reason: unavailableReason('SetupEntityAccess', setup.error) });
  return { objectRows, fieldRows, setupRows: rowsOf(setup) };
};

/**
 * Reads every permission field of the `held` holders (heldHolders: those integration users hold and the named ones,
 * and their groups' muting sets), by Id, and replaces their screened permission lists. Groups' aggregate rows are left
 * screened: effective access goes through the members. A failure here is fatal: rules would see a partial list as complete.
 */
const completeSystemPermissions = async (
  ctx: OrgContext,
  { byRowId, mutingById }: ReturnType<typeof heldHolders>,
  shape: PermissionSetShape,
  urlLength: (soql: string) => number
): Promise<void> => {
  const [rows, mutingRows] = await Promise.all([
    byRowId.size > 0
      ? core(ctx, 'PermissionSet', permissionsByIdQueries('PermissionSet', [...byRowId.keys()], shape.allPermissionFields, urlLength))
      : Promise.resolve([]),
    mutingById.size > 0
      ? core(ctx, 'MutingPermissionSet', permissionsByIdQueries('MutingPermissionSet', [...mutingById.keys()], shape.allPermissionFields, urlLength))
      : Promise.resolve([]),
  ]);
  const complete = (row: Row, target: PermissionHolder | undefined): void => {
    if (!target) return;
    const holder = target;
    holder.systemPermissions = enabledPermissions(row, shape.allPermissionFields);
    delete holder.partialSystemPermissions;
  };
  for (const row of rows) complete(row, byRowId.get(String(row.Id)));
  for (const row of mutingRows) complete(row, mutingById.get(String(row.Id)));
};

const namedProfiles = (model: AccessModel, names: string[]): Profile[] => {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return model.profiles.filter((p) => wanted.has(p.name.toLowerCase()));
};

/**
 * Login IP ranges of the profiles integration users are on, and of the named profiles (a handful): the Metadata API is the only source, and
 * reading every profile would cost one call per 10 profiles. Other profiles keep `loginIpRanges` undefined (unknown).
 */
const loadLoginIpRanges = async (
  ctx: OrgContext,
  integrationUsers: IntegrationUser[],
  alsoNamed: Profile[],
  unavailable: UnavailableFact[],
  loadProblems: AccessModel['loadProblems']
): Promise<void> => {
  const profiles = new Map<string, Profile>(alsoNamed.map((p) => [p.id, p]));
  for (const { access } of integrationUsers) {
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
