/**
 * Carries out a plan: one metadata deploy of every profile and permission set to create or update, then users
 * (create, then update), permission set license assignments, permission set assignments and removals through sObject
 * Collections. The number of requests does not grow with the number of apps (≤ 200 records a call).
 *
 * Every write action ends up in `done` or in `notDone` with the reason, so a failure part-way reports exactly what
 * happened; re-running apply plans only what is still missing.
 */
import { Messages, type Connection } from '@salesforce/core';
import type { AccessModel, Profile } from '../access/model.js';
import type { DesiredState } from '../manifest/types.js';
import { buildPermissionSet } from '../metadata/permissionSet.js';
import { buildProfile, rejectedExplicitFalsePermissions } from '../metadata/profile.js';
import type { GeneratedComponent, ProfileMetadata } from '../metadata/types.js';
import { toMetadataXml } from '../metadata/xml.js';
import { createRecords, deleteRecords, updateRecords, type FieldValue, type SaveResult } from '../org/collections.js';
import type { OrgContext } from '../org/connection.js';
import { deployComponents, type DeployOutcome, type DeployProgress } from '../org/deploy.js';
import { describeOrgError } from '../org/errors.js';
import { queryAll } from '../org/query.js';
import { soqlInList } from '../org/soql.js';
import { isWrite, type Plan, type PlanAction } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

/** A write that was carried out. */
export type DoneItem = { kind: PlanAction['kind']; op: PlanAction['op']; subject: string; app?: string; id?: string; note?: string };
/** A write that was not carried out, and why. */
export type NotDoneItem = { kind: PlanAction['kind']; op: PlanAction['op']; subject: string; app?: string; code: string; reason: string };

export type ExecutionReport = { done: DoneItem[]; notDone: NotDoneItem[]; deployId?: string };

export type ExecuteOptions = {
  onProgress?: (message: string) => void;
};

const idKey = (id: string): string => id.slice(0, 15);
const lower = (s: string): string => s.toLowerCase();

type Tracker = {
  done: (action: PlanAction, id?: string, note?: string) => void;
  fail: (action: PlanAction, code: string, reason: string) => void;
  report: ExecutionReport;
};

const tracker = (): Tracker => {
  const report: ExecutionReport = { done: [], notDone: [] };
  const base = (a: PlanAction): Pick<DoneItem, 'kind' | 'op' | 'subject' | 'app'> => ({ kind: a.kind, op: a.op, subject: a.subject, ...(a.app ? { app: a.app } : {}) });
  return {
    report,
    done: (action, id, note) => report.done.push({ ...base(action), ...(id ? { id } : {}), ...(note ? { note } : {}) }),
    fail: (action, code, reason) => report.notDone.push({ ...base(action), code, reason }),
  };
};

/** The reason text of a failed record; DUPLICATE_USERNAME names the username and how to choose another. */
const recordFailure = (result: SaveResult | undefined, action: PlanAction): { code: string; reason: string } => {
  const error = result?.errors[0];
  const code = error?.statusCode ?? 'UNKNOWN_ERROR';
  if (code === 'DUPLICATE_USERNAME') {
    const username = action.kind === 'createUser' ? action.details.username : action.subject;
    return { code, reason: messages.getMessage('notDone.duplicateUsername', [username, action.app ?? '']) };
  }
  if (code === 'LICENSE_LIMIT_EXCEEDED') return { code, reason: messages.getMessage('notDone.licenseLimit', [error?.message ?? code]) };
  return { code, reason: `${code}: ${(error?.message ?? '').replace(/<br>/g, ' ')}` };
};

const isDuplicateValue = (result: SaveResult | undefined): boolean => result?.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE') === true;

/**
 * A profile deploy only overlays, so object and field access an adopted profile already grants is revoked by stating
 * it false explicitly. Keys stay in Metadata API element order (alphabetical).
 */
const withAccessRevoked = (profile: ProfileMetadata, actual: Profile | undefined): object => {
  const objects = (actual?.objectPermissions ?? []).filter((o) => o.read || o.create || o.edit || o.delete || o.viewAll || o.modifyAll);
  const fields = (actual?.fieldPermissions ?? []).filter((f) => f.read || f.edit);
  if (objects.length === 0 && fields.length === 0) return profile;
  const { custom, description, loginIpRanges, userLicense, userPermissions } = profile;
  return {
    custom,
    description,
    fieldPermissions: fields.map((f) => ({ editable: false, field: f.field, readable: false })),
    loginIpRanges,
    objectPermissions: objects.map((o) => ({
      allowCreate: false,
      allowDelete: false,
      allowEdit: false,
      allowRead: false,
      modifyAllRecords: false,
      object: o.object,
      viewAllRecords: false,
    })),
    userLicense,
    userPermissions,
  };
};

/** The profile's user permissions: the org's own names (its PermissionSet describe), less those a deploy rejected. */
const profilePermissionNames = (model: AccessModel, dropped: readonly string[]): string[] | undefined =>
  model.knownSystemPermissions?.filter((name) => !dropped.includes(name));

/** The metadata components of the plan's deploy actions; `dropped`: user permissions left out of the profile. */
export const componentsToDeploy = (plan: Plan, desired: DesiredState, model: AccessModel, dropped: readonly string[] = []): GeneratedComponent[] => {
  const components: GeneratedComponent[] = [];
  for (const action of plan.actions) {
    if (!isWrite(action)) continue;
    if (action.kind === 'deployProfile') {
      const userPermissions = profilePermissionNames(model, dropped);
      const profile = buildProfile(desired.profile, { userPermissions, userLicense: action.details.userLicense });
      const actual = model.profiles.find((p) => lower(p.name) === lower(action.details.name));
      components.push({ type: 'Profile', fullName: action.details.name, xml: toMetadataXml('Profile', withAccessRevoked(profile, actual)) });
    } else if (action.kind === 'deployPermissionSet') {
      const app = desired.apps.find((a) => a.permissionSet.name === action.details.name);
      if (!app) continue;
      const set = buildPermissionSet(app, action.details.license ? { license: action.details.license } : {});
      components.push({ type: 'PermissionSet', fullName: action.details.name, xml: toMetadataXml('PermissionSet', set) });
    }
  }
  return components;
};

/** Ids by lower-cased name of profiles and permission sets that writes refer to (one query each, when needed). */
const resolveIds = async (ctx: OrgContext, plan: Plan): Promise<{ profiles: Map<string, string>; sets: Map<string, string> }> => {
  const profileNames = new Set<string>();
  const setNames = new Set<string>();
  for (const action of plan.actions) {
    if (action.kind === 'createUser') profileNames.add(action.details.profile);
    if (action.kind === 'updateUser' && action.op === 'update') for (const c of action.details.changes) if (c.field === 'Profile') profileNames.add(c.to);
    if (action.kind === 'assignPermissionSet' && action.op === 'create' && !action.details.permissionSetId) setNames.add(action.details.permissionSet);
  }
  const [profileRows, setRows] = await Promise.all([
    profileNames.size > 0 ? queryAll(ctx, `SELECT Id, Name FROM Profile WHERE Name IN ${soqlInList(profileNames)}`) : Promise.resolve([]),
    setNames.size > 0 ? queryAll(ctx, `SELECT Id, Name FROM PermissionSet WHERE NamespacePrefix = null AND Name IN ${soqlInList(setNames)}`) : Promise.resolve([]),
  ]);
  return {
    profiles: new Map(profileRows.map((r) => [lower(String(r.Name)), String(r.Id)])),
    sets: new Map(setRows.map((r) => [lower(String(r.Name)), String(r.Id)])),
  };
};

/** Runs one Collections step; a call that fails as a whole (after retries) fails each of its actions. */
const step = async <A extends PlanAction>(
  track: Tracker,
  actions: A[],
  send: (actions: A[]) => Promise<SaveResult[]>,
  onResult: (action: A, result: SaveResult) => void
): Promise<void> => {
  if (actions.length === 0) return;
  let results: SaveResult[];
  try {
    results = await send(actions);
  } catch (error) {
    const { code, message } = describeOrgError(error);
    for (const action of actions) track.fail(action, code, messages.getMessage('notDone.callFailed', [code, message]));
    return;
  }
  actions.forEach((action, i) => onResult(action, results[i]));
};

type Ids = Awaited<ReturnType<typeof resolveIds>>;
type KindOf<K extends PlanAction['kind']> = Extract<PlanAction, { kind: K }>;

/** What the steps of one execution share. */
type Run = {
  ctx: OrgContext;
  conn: Connection;
  plan: Plan;
  desired: DesiredState;
  model: AccessModel;
  options: ExecuteOptions;
  track: Tracker;
  writes: PlanAction[];
  ids: Ids;
  /** lower-cased username → Id, for existing and created users */
  userIds: Map<string, string>;
  failedUsers: Set<string>;
  pslFailed: Set<string>;
};

const writesOf = <K extends PlanAction['kind']>(run: Run, kind: K): Array<KindOf<K>> => run.writes.filter((a): a is KindOf<K> => a.kind === kind);
const skipAll = (run: Run, actions: PlanAction[], code: string, reason: string): void => actions.forEach((a) => run.track.fail(a, code, reason));
const isDone = (run: Run, action: PlanAction): boolean => run.track.report.done.some((d) => d.kind === action.kind && d.subject === action.subject);

/**
 * The deploy, retried once without the explicit-false profile permissions the org rejected (a name its describe lists
 * but its Metadata API does not know fails the whole deploy, forcedotcom/cli#1529). Nothing was saved by the failed
 * deploy (rollbackOnError), so sending it again is safe. `dropped` names what was left out.
 */
const deployWithRejectedPermissionsDropped = async (run: Run, onProgress: (p: DeployProgress) => void): Promise<{ outcome: DeployOutcome; dropped: string[] }> => {
  const first = await deployComponents(run.ctx, run.conn, componentsToDeploy(run.plan, run.desired, run.model), onProgress);
  const profileAction = run.writes.find((a): a is KindOf<'deployProfile'> => a.kind === 'deployProfile');
  if (first.success || !profileAction) return { outcome: first, dropped: [] };
  const stated = buildProfile(run.desired.profile, { userPermissions: profilePermissionNames(run.model, []) });
  const dropped = rejectedExplicitFalsePermissions(first.failed, { fullName: profileAction.details.name, userPermissions: stated.userPermissions });
  if (dropped.length === 0) return { outcome: first, dropped: [] };
  run.options.onProgress?.(messages.getMessage('progress.permissionsDropped', [dropped.join(', '), profileAction.details.name]));
  const second = await deployComponents(run.ctx, run.conn, componentsToDeploy(run.plan, run.desired, run.model, dropped), onProgress);
  return { outcome: second, dropped };
};

/** One deploy; false when it failed (then every other write is reported not attempted). */
const deployStep = async (run: Run): Promise<boolean> => {
  const deployActions: PlanAction[] = run.writes.filter((a) => a.kind === 'deployProfile' || a.kind === 'deployPermissionSet');
  if (deployActions.length === 0) return true;
  run.options.onProgress?.(messages.getMessage('progress.deploy', [String(deployActions.length)]));
  let failure: { code: string; reason: string } | undefined;
  try {
    const { outcome, dropped } = await deployWithRejectedPermissionsDropped(run, (p: DeployProgress) =>
      run.options.onProgress?.(messages.getMessage('progress.deployStatus', [p.status, String(p.done), String(p.total)]))
    );
    // eslint-disable-next-line no-param-reassign -- the report is the run's output
    if (outcome.id) run.track.report.deployId = outcome.id;
    const droppedNote = dropped.length > 0 ? messages.getMessage('note.permissionsDropped', [dropped.join(', ')]) : undefined;
    if (outcome.success) deployActions.forEach((a) => run.track.done(a, undefined, a.kind === 'deployProfile' ? droppedNote : undefined));
    else {
      const problems = outcome.failed.map((f) => `${f.type} ${f.fullName}: ${f.problem}`).join('; ') || (outcome.errorMessage ?? outcome.status);
      failure = { code: 'DEPLOY_FAILED', reason: messages.getMessage('notDone.deployFailed', [problems]) };
    }
  } catch (error) {
    const { code, message } = describeOrgError(error);
    failure = { code, reason: messages.getMessage('notDone.deployFailed', [`${code}: ${message}`]) };
  }
  if (!failure) return true;
  // rollbackOnError: nothing of the deploy was saved, and users need its profile and sets; stop here.
  skipAll(run, deployActions, failure.code, failure.reason);
  skipAll(run, run.writes.filter((a) => !deployActions.includes(a)), 'NOT_ATTEMPTED', messages.getMessage('notDone.afterDeployFailure'));
  return false;
};

const userFields = (a: KindOf<'createUser'>, profileId: string): Record<string, FieldValue> => ({
  Username: a.details.username,
  Email: a.details.email,
  ...(a.details.firstName !== undefined ? { FirstName: a.details.firstName } : {}),
  LastName: a.details.lastName,
  Alias: a.details.alias,
  TimeZoneSidKey: a.details.timeZone,
  LocaleSidKey: a.details.locale,
  LanguageLocaleKey: a.details.language,
  EmailEncodingKey: a.details.emailEncoding,
  ProfileId: profileId,
});

const createUsersStep = async (run: Run): Promise<void> => {
  const creates = writesOf(run, 'createUser').filter((a) => {
    if (run.ids.profiles.has(lower(a.details.profile))) return true;
    run.track.fail(a, 'PROFILE_NOT_FOUND', messages.getMessage('notDone.profileMissing', [a.details.profile]));
    run.failedUsers.add(lower(a.details.username));
    return false;
  });
  if (creates.length > 0) run.options.onProgress?.(messages.getMessage('progress.users', [String(creates.length)]));
  await step(
    run.track,
    creates,
    (actions) => createRecords(run.ctx, actions.map((a) => ({ type: 'User', fields: userFields(a, run.ids.profiles.get(lower(a.details.profile)) as string) }))),
    (action, result) => {
      if (result?.success && result.id) {
        run.userIds.set(lower(action.details.username), result.id);
        run.track.done(action, result.id);
      } else {
        const { code, reason } = recordFailure(result, action);
        run.track.fail(action, code, reason);
      }
    }
  );
  for (const action of creates) if (!run.userIds.has(lower(action.details.username))) run.failedUsers.add(lower(action.details.username));
};

type UserUpdate = { id: string; fields: Record<string, FieldValue>; actions: PlanAction[] };

/** Field changes, reactivation, e-mail repair and prune's deactivation of one user, merged into one record. */
const mergeUserUpdates = (run: Run): UserUpdate[] => {
  const byUser = new Map<string, UserUpdate>();
  for (const action of run.writes) {
    if (action.kind !== 'updateUser' && action.kind !== 'reactivateUser' && action.kind !== 'repairEmail' && action.kind !== 'deactivateUser') continue;
    const entry = byUser.get(idKey(action.details.userId)) ?? { id: action.details.userId, fields: {}, actions: [] };
    entry.actions.push(action);
    if (action.kind === 'reactivateUser') entry.fields.IsActive = true;
    if (action.kind === 'deactivateUser') entry.fields.IsActive = false;
    if (action.kind === 'repairEmail') entry.fields.Email = action.details.to;
    if (action.kind === 'updateUser') {
      for (const change of action.details.changes) {
        if (change.field === 'Profile') entry.fields.ProfileId = run.ids.profiles.get(lower(change.to)) ?? null;
        else entry.fields[change.field] = change.to;
      }
    }
    byUser.set(idKey(action.details.userId), entry);
  }
  return [...byUser.values()];
};

const updateUsersStep = async (run: Run): Promise<void> => {
  const updates = mergeUserUpdates(run).filter((entry) => {
    if (entry.fields.ProfileId !== null) return true;
    for (const a of entry.actions) run.track.fail(a, 'PROFILE_NOT_FOUND', messages.getMessage('notDone.profileMissing', ['']));
    return false;
  });
  const firsts = updates.map((u) => u.actions[0]);
  await step(
    run.track,
    firsts,
    () => updateRecords(run.ctx, updates.map((u) => ({ type: 'User', id: u.id, fields: u.fields }))),
    (first, result) => {
      const entry = updates[firsts.indexOf(first)];
      for (const action of entry.actions) {
        if (result?.success) run.track.done(action, entry.id);
        else {
          const { code, reason } = recordFailure(result, action);
          run.track.fail(action, code, reason);
        }
      }
    }
  );
  // a whole-call failure reported the first action of each user; report the others the same way
  const failedFirst = new Map(run.track.report.notDone.map((item) => [`${item.kind}|${item.subject}`, item]));
  for (const entry of updates) {
    const first = failedFirst.get(`${entry.actions[0].kind}|${entry.actions[0].subject}`);
    if (!first) continue;
    for (const a of entry.actions.slice(1)) if (!isDone(run, a) && !run.track.report.notDone.some((i) => i.kind === a.kind && i.subject === a.subject)) run.track.fail(a, first.code, first.reason);
  }
};

const userIdOf = (run: Run, username: string): string | undefined => (run.failedUsers.has(lower(username)) ? undefined : run.userIds.get(lower(username)));

/** Assignments whose user exists; the others are reported not attempted. */
const withUser = <A extends KindOf<'assignPermissionSetLicense' | 'assignPermissionSet'>>(run: Run, actions: A[]): A[] =>
  actions.filter((a) => {
    if (userIdOf(run, a.details.username)) return true;
    run.track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterUserFailure', [a.details.username]));
    return false;
  });

const onAssignment =
  (run: Run, failed?: Set<string>) =>
  (action: KindOf<'assignPermissionSetLicense' | 'assignPermissionSet'>, result: SaveResult): void => {
    if (result?.success) run.track.done(action, result.id);
    else if (isDuplicateValue(result)) run.track.done(action, undefined, messages.getMessage('note.alreadyAssigned'));
    else {
      failed?.add(lower(action.details.username));
      const { code, reason } = recordFailure(result, action);
      run.track.fail(action, code, reason);
    }
  };

const pslStep = async (run: Run): Promise<void> => {
  const psls = withUser(run, writesOf(run, 'assignPermissionSetLicense'));
  if (psls.length + writesOf(run, 'assignPermissionSet').length > 0) run.options.onProgress?.(messages.getMessage('progress.assignments'));
  await step(
    run.track,
    psls,
    (actions) =>
      createRecords(
        run.ctx,
        actions.map((a) => ({ type: 'PermissionSetLicenseAssign', fields: { AssigneeId: userIdOf(run, a.details.username) as string, PermissionSetLicenseId: a.details.permissionSetLicenseId } }))
      ),
    onAssignment(run, run.pslFailed)
  );
  for (const a of psls) if (!isDone(run, a)) run.pslFailed.add(lower(a.details.username));
};

const permissionSetStep = async (run: Run): Promise<void> => {
  const setIdOf = (a: KindOf<'assignPermissionSet'>): string | undefined => a.details.permissionSetId ?? run.ids.sets.get(lower(a.details.permissionSet));
  const assignments = withUser(run, writesOf(run, 'assignPermissionSet')).filter((a) => {
    if (run.pslFailed.has(lower(a.details.username))) {
      run.track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterPslFailure', [a.details.username]));
      return false;
    }
    if (setIdOf(a)) return true;
    run.track.fail(a, 'PERMISSION_SET_NOT_FOUND', messages.getMessage('notDone.setMissing', [a.details.permissionSet]));
    return false;
  });
  await step(
    run.track,
    assignments,
    (actions) =>
      createRecords(
        run.ctx,
        actions.map((a) => ({ type: 'PermissionSetAssignment', fields: { AssigneeId: userIdOf(run, a.details.username) as string, PermissionSetId: setIdOf(a) as string } }))
      ),
    onAssignment(run)
  );
};

const removalStep = (run: Run): Promise<void> =>
  step(
    run.track,
    writesOf(run, 'removeAssignment'),
    (actions) => deleteRecords(run.ctx, actions.map((a) => a.details.assignmentId)),
    (action, result) => {
      if (result?.success) run.track.done(action, action.details.assignmentId);
      else {
        const { code, reason } = recordFailure(result, action);
        run.track.fail(action, code, reason);
      }
    }
  );

export const executePlan = async (
  ctx: OrgContext,
  conn: Connection,
  plan: Plan,
  desired: DesiredState,
  model: AccessModel,
  options: ExecuteOptions = {}
): Promise<ExecutionReport> => {
  const track = tracker();
  const writes = plan.actions.filter(isWrite);
  const run: Run = { ctx, conn, plan, desired, model, options, track, writes, ids: { profiles: new Map(), sets: new Map() }, userIds: new Map(), failedUsers: new Set(), pslFailed: new Set() };
  if (!(await deployStep(run))) return track.report;
  try {
    run.ids = await resolveIds(ctx, plan);
  } catch (error) {
    const { code, message } = describeOrgError(error);
    skipAll(run, writes.filter((a) => !isDone(run, a)), code, messages.getMessage('notDone.callFailed', [code, message]));
    return track.report;
  }
  for (const action of writes) if ('userId' in action.details && action.details.userId) run.userIds.set(lower(action.details.username), action.details.userId);
  // users first (creates, then updates), then permission set licenses before the sets that need them, then removals
  await createUsersStep(run);
  await updateUsersStep(run);
  await pslStep(run);
  await permissionSetStep(run);
  await removalStep(run);
  return track.report;
};
