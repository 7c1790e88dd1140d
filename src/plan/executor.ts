/**
 * Carries out a plan, and only the plan: every write sends what its action carries (the component of a deploy
 * action, the record of a user or assignment action). One metadata deploy of every profile and permission set to
 * create or update, then users (create, then update), frozen users' UserLogin, permission set license assignments,
 * permission set assignments and removals through sObject Collections. The number of requests does not grow with
 * the number of apps (≤ 200 records a call). The only things resolved here are Ids the plan could not know: those of
 * users, profiles and permission sets the same run creates.
 *
 * A write that may have happened (the request failed with a 5xx or a timeout) is never sent blindly again: the org
 * is re-read (the user by username, the assignment by its pair, the update by the record's fields) and only what it
 * does not hold is sent once more.
 *
 * Every write action ends up in `done` or in `notDone` with the reason, so a failure part-way reports exactly what
 * happened; re-running apply plans only what is still missing.
 */
import { Messages, type Connection } from '@salesforce/core';
import { rejectedExplicitFalsePermissions } from '../metadata/profile.js';
import type { GeneratedComponent, UserPermission } from '../metadata/types.js';
import { toMetadataXml } from '../metadata/xml.js';
import { createRecords, deleteRecords, updateRecords, type SaveResult } from '../org/collections.js';
import type { OrgContext } from '../org/connection.js';
import { deployComponents, type DeployOutcome, type DeployProgress } from '../org/deploy.js';
import { describeOrgError } from '../org/errors.js';
import { queryAll } from '../org/query.js';
import { mayHaveBeenWritten } from '../org/retry.js';
import { soqlInList } from '../org/soql.js';
import { idKey } from '../access/orgRows.js';
import { isWrite, type FieldValue, type Plan, type PlanAction, type PlanComponent, type PlanRecord } from './types.js';

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

/** A result, and whether the org showed it written after the response was lost. */
type Settled = SaveResult & { foundOnReread?: boolean };

/** A profile's user permissions as its component states them. */
const statedUserPermissions = (metadata: PlanComponent['metadata']): UserPermission[] => (metadata.userPermissions ?? []) as UserPermission[];

/** In the first deploy: the profile, the permission sets, and the apps whose run-as user and set exist already. */
const isFirstDeploy = (a: PlanAction): boolean =>
  a.kind === 'deployProfile' || a.kind === 'deployPermissionSet' || (a.kind === 'deployExternalClientApp' && a.details.phase === 'withMetadata');

/**
 * An External Client App's components as the plan carries them; the policies get the permission set's id here only
 * when the set is created by this run (the plan could not know it).
 */
const externalClientAppComponents = (action: KindOf<'deployExternalClientApp'>, permissionSetId: string | undefined): GeneratedComponent[] =>
  action.details.components.map(({ type, fullName, metadata }) => {
    const sent = type === 'ExtlClntAppOauthConfigurablePolicies' && permissionSetId && !metadata.commaSeparatedPermissionSet ? withPermissionSet(metadata, permissionSetId) : metadata;
    return { type, fullName, xml: toMetadataXml(type, sent) };
  });

/** The policies with commaSeparatedPermissionSet in its element place (alphabetical). */
const withPermissionSet = (metadata: PlanComponent['metadata'], id: string): PlanComponent['metadata'] =>
  Object.fromEntries(Object.entries({ ...metadata, commaSeparatedPermissionSet: id }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The components of the plan's deploy actions, as they are sent; `dropped`: explicit-false user permissions the org
 * rejected, left out of the profile on the one retry.
 */
export const componentsToDeploy = (plan: Plan, dropped: readonly string[] = []): GeneratedComponent[] =>
  plan.actions.flatMap((action) => {
    if (!isWrite(action)) return [];
    if (action.kind === 'deployExternalClientApp') return action.details.phase === 'withMetadata' ? externalClientAppComponents(action, action.details.permissionSetId) : [];
    if ((action.kind !== 'deployProfile' && action.kind !== 'deployPermissionSet') || !action.details.component) return [];
    const { type, fullName, metadata } = action.details.component;
    const sent =
      type === 'Profile' && dropped.length > 0
        ? { ...metadata, userPermissions: statedUserPermissions(metadata).filter((p) => p.enabled || !dropped.includes(p.name)) }
        : metadata;
    return [{ type, fullName, xml: toMetadataXml(type, sent) }];
  });

type KindOf<K extends PlanAction['kind']> = Extract<PlanAction, { kind: K }>;

/** What the steps of one execution share. */
type Run = {
  ctx: OrgContext;
  conn: Connection;
  plan: Plan;
  options: ExecuteOptions;
  track: Tracker;
  writes: PlanAction[];
  /** Ids by lower-cased name of profiles and permission sets the writes refer to by name. */
  profiles: Map<string, string>;
  sets: Map<string, string>;
  /** lower-cased username → Id, for existing and created users */
  userIds: Map<string, string>;
  failedUsers: Set<string>;
  pslFailed: Set<string>;
};

const writesOf = <K extends PlanAction['kind']>(run: Run, kind: K): Array<KindOf<K>> => run.writes.filter((a): a is KindOf<K> => a.kind === kind);
const skipAll = (run: Run, actions: PlanAction[], code: string, reason: string): void => actions.forEach((a) => run.track.fail(a, code, reason));
const isDone = (run: Run, action: PlanAction): boolean => run.track.report.done.some((d) => d.kind === action.kind && d.subject === action.subject);

/** The reason text of a failed record, by its error code. */
const recordFailure = (run: Run, result: SaveResult | undefined, action: PlanAction): { code: string; reason: string } => {
  const error = result?.errors[0];
  const code = error?.statusCode ?? 'UNKNOWN_ERROR';
  if (result?.outcomeUnknown) return { code, reason: messages.getMessage('notDone.outcomeUnknown', [code, error?.message ?? '']) };
  if (code === 'DUPLICATE_USERNAME') {
    const username = action.kind === 'createUser' ? action.details.username : action.subject;
    const key = run.plan.sandbox ? 'notDone.duplicateUsernameSandbox' : 'notDone.duplicateUsername';
    return { code, reason: messages.getMessage(key, [username, action.app ?? '']) };
  }
  if (code === 'LICENSE_LIMIT_EXCEEDED') return { code, reason: messages.getMessage('notDone.licenseLimit', [error?.message ?? code]) };
  return { code, reason: `${code}: ${(error?.message ?? '').replace(/<br>/g, ' ')}` };
};

const isDuplicateValue = (result: SaveResult | undefined): boolean => result?.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE') === true;

/**
 * Sends the records of `actions`; those whose request may have been committed before it failed are looked up with
 * `written` (action → Id of what the org holds), and only those the org does not hold are sent once more.
 * `resendable` keeps some writes from a second send even then (an e-mail change, which the org hides until verified).
 */
const sendSafely = async <A extends PlanAction>(
  actions: A[],
  send: (actions: A[]) => Promise<SaveResult[]>,
  written: (actions: A[]) => Promise<Map<A, string>>,
  resendable: (action: A) => boolean = (): boolean => true
): Promise<Settled[]> => {
  const results: Settled[] = await send(actions);
  const unknown = actions.filter((_, i) => results[i]?.outcomeUnknown);
  if (unknown.length === 0) return results;
  let found: Map<A, string>;
  try {
    found = await written(unknown);
  } catch {
    return results; // the re-read failed too: the outcome stays unknown and is reported so
  }
  const again = unknown.filter((a) => !found.has(a) && resendable(a));
  const resent = again.length > 0 ? await send(again) : [];
  return actions.map((action, i) => {
    if (!results[i]?.outcomeUnknown) return results[i];
    const id = found.get(action);
    if (id !== undefined) return { id, success: true, errors: [], foundOnReread: true };
    const at = again.indexOf(action);
    return at >= 0 ? resent[at] : results[i];
  });
};

/** Runs one Collections step; every action gets its result (a call failure comes back as each record's result). */
const step = async <A extends PlanAction>(
  run: Run,
  actions: A[],
  send: (actions: A[]) => Promise<SaveResult[]>,
  written: (actions: A[]) => Promise<Map<A, string>>,
  onResult: (action: A, result: Settled) => void,
  resendable?: (action: A) => boolean
): Promise<void> => {
  if (actions.length === 0) return;
  let results: Settled[];
  try {
    results = await sendSafely(actions, send, written, resendable);
  } catch (error) {
    const { code, message } = describeOrgError(error);
    for (const action of actions) run.track.fail(action, code, messages.getMessage('notDone.callFailed', [code, message]));
    return;
  }
  actions.forEach((action, i) => onResult(action, results[i]));
};

const noteOf = (result: Settled, note?: string): string | undefined =>
  [result.foundOnReread ? messages.getMessage('note.foundOnReread') : undefined, note].filter(Boolean).join(' ') || undefined;

/**
 * The deploy, retried once without the explicit-false profile permissions the org rejected (a name its describe lists
 * but its Metadata API does not know fails the whole deploy, forcedotcom/cli#1529). Nothing was saved by the failed
 * deploy (rollbackOnError, and its outcome is known), so sending it again is safe. `dropped` names what was left out.
 */
const deployWithRejectedPermissionsDropped = async (run: Run, onProgress: (p: DeployProgress) => void): Promise<{ outcome: DeployOutcome; dropped: string[] }> => {
  const first = await deployComponents(run.ctx, run.conn, componentsToDeploy(run.plan), onProgress);
  const component = run.writes.find((a): a is KindOf<'deployProfile'> => a.kind === 'deployProfile')?.details.component;
  if (first.success || !component) return { outcome: first, dropped: [] };
  const dropped = rejectedExplicitFalsePermissions(first.failed, { fullName: component.fullName, userPermissions: statedUserPermissions(component.metadata) });
  if (dropped.length === 0) return { outcome: first, dropped: [] };
  run.options.onProgress?.(messages.getMessage('progress.permissionsDropped', [dropped.join(', '), component.fullName]));
  const second = await deployComponents(run.ctx, run.conn, componentsToDeploy(run.plan, dropped), onProgress);
  return { outcome: second, dropped };
};

/** One deploy; false when it failed (then every other write is reported not attempted). */
const deployStep = async (run: Run): Promise<boolean> => {
  const deployActions: PlanAction[] = run.writes.filter(isFirstDeploy);
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
    // A deploy request lost after it may have been queued is not sent again: the next run re-reads the org.
    const key = mayHaveBeenWritten(error) ? 'notDone.deployOutcomeUnknown' : 'notDone.deployFailed';
    failure = { code, reason: messages.getMessage(key, [`${code}: ${message}`]) };
  }
  if (!failure) return true;
  // rollbackOnError: nothing of the deploy was saved, and users need its profile and sets; stop here.
  skipAll(run, deployActions, failure.code, failure.reason);
  skipAll(run, run.writes.filter((a) => !deployActions.includes(a)), 'NOT_ATTEMPTED', messages.getMessage('notDone.afterDeployFailure'));
  return false;
};

/** Ids of profiles and permission sets the writes name but the plan could not know (one query each, when needed). */
const resolveIds = async (run: Run): Promise<void> => {
  const profileNames = new Set<string>();
  const setNames = new Set<string>();
  for (const action of run.writes) {
    if (action.kind === 'createUser' && action.details.record.ProfileId === undefined) profileNames.add(action.details.profile);
    if (action.kind === 'updateUser' && action.details.profile) profileNames.add(action.details.profile);
    if (action.kind === 'assignPermissionSet' && action.details.record.PermissionSetId === undefined) setNames.add(action.details.permissionSet);
  }
  const [profileRows, setRows] = await Promise.all([
    profileNames.size > 0 ? queryAll(run.ctx, `SELECT Id, Name FROM Profile WHERE Name IN ${soqlInList(profileNames)}`) : Promise.resolve([]),
    setNames.size > 0 ? queryAll(run.ctx, `SELECT Id, Name FROM PermissionSet WHERE NamespacePrefix = null AND Name IN ${soqlInList(setNames)}`) : Promise.resolve([]),
  ]);
  for (const r of profileRows) run.profiles.set(lower(String(r.Name)), String(r.Id));
  for (const r of setRows) run.sets.set(lower(String(r.Name)), String(r.Id));
};

/** Users the org holds by username (lower-cased) → Id. */
const usersByUsername = async (run: Run, usernames: string[]): Promise<Map<string, string>> => {
  const rows = await queryAll(run.ctx, `SELECT Id, Username FROM User WHERE Username IN ${soqlInList(usernames)}`);
  return new Map(rows.map((r) => [lower(String(r.Username)), String(r.Id)]));
};

const createUsersStep = async (run: Run): Promise<void> => {
  const recordOf = (a: KindOf<'createUser'>): PlanRecord => ({ ...a.details.record, ProfileId: a.details.record.ProfileId ?? (run.profiles.get(lower(a.details.profile)) as string) });
  const creates = writesOf(run, 'createUser').filter((a) => {
    if (a.details.record.ProfileId !== undefined || run.profiles.has(lower(a.details.profile))) return true;
    run.track.fail(a, 'PROFILE_NOT_FOUND', messages.getMessage('notDone.profileMissing', [a.details.profile]));
    run.failedUsers.add(lower(a.details.username));
    return false;
  });
  if (creates.length > 0) run.options.onProgress?.(messages.getMessage('progress.users', [String(creates.length)]));
  await step(
    run,
    creates,
    (actions) => createRecords(run.ctx, actions.map((a) => ({ type: 'User', fields: recordOf(a) }))),
    async (actions) => {
      const found = await usersByUsername(run, actions.map((a) => a.details.username));
      return new Map(actions.flatMap((a): Array<[KindOf<'createUser'>, string]> => (found.has(lower(a.details.username)) ? [[a, found.get(lower(a.details.username)) as string]] : [])));
    },
    (action, result) => {
      if (result?.success && result.id) {
        run.userIds.set(lower(action.details.username), result.id);
        run.track.done(action, result.id, noteOf(result));
      } else {
        const { code, reason } = recordFailure(run, result, action);
        run.track.fail(action, code, reason);
      }
    }
  );
  for (const action of creates) if (!run.userIds.has(lower(action.details.username))) run.failedUsers.add(lower(action.details.username));
};

type UpdateTarget = 'User' | 'UserLogin';
type UpdateEntry = { type: UpdateTarget; id: string; fields: PlanRecord; actions: PlanAction[] };

/** The notes an update says when done: a changed e-mail waits for its verification; an unfrozen user can log in. */
const UPDATE_NOTES: Partial<Record<PlanAction['kind'], string>> = { repairEmail: 'note.emailPending', unfreezeUser: 'note.unfrozen' };

/** The records of field changes, reactivation, e-mail, unfreezing and prune's deactivation, one per record. */
const mergeUpdates = (run: Run): UpdateEntry[] => {
  const byTarget = new Map<string, UpdateEntry>();
  for (const action of run.writes) {
    let target: { type: UpdateTarget; id: string; fields: PlanRecord } | undefined;
    if (action.kind === 'unfreezeUser') target = { type: 'UserLogin', id: action.details.userLoginId, fields: action.details.record };
    else if (action.kind === 'updateUser') {
      const profile = action.details.profile;
      const fields: PlanRecord = { ...action.details.record, ...(profile ? { ProfileId: run.profiles.get(lower(profile)) ?? null } : {}) };
      target = { type: 'User', id: action.details.userId, fields };
    } else if (action.kind === 'reactivateUser' || action.kind === 'deactivateUser' || (action.kind === 'repairEmail' && action.details.record)) {
      target = { type: 'User', id: action.details.userId, fields: action.details.record ?? {} };
    }
    if (!target) continue;
    const key = `${target.type}|${idKey(target.id)}`;
    const entry = byTarget.get(key) ?? { type: target.type, id: target.id, fields: {}, actions: [] };
    entry.actions.push(action);
    Object.assign(entry.fields, target.fields);
    byTarget.set(key, entry);
  }
  return [...byTarget.values()];
};

const sameValue = (actual: unknown, wanted: FieldValue): boolean =>
  typeof wanted === 'string' && typeof actual === 'string' && /^[a-zA-Z0-9]{18}$/.test(wanted) ? idKey(actual) === idKey(wanted) : actual === wanted;

/** Updates whose every field the org now holds (an update written before its response was lost). */
const updatesHeld = async (run: Run, entries: UpdateEntry[]): Promise<Map<UpdateEntry, string>> => {
  const held = new Map<UpdateEntry, string>();
  const types = [...new Set(entries.map((e) => e.type))];
  await Promise.all(
    types.map(async (type) => {
      const ofType = entries.filter((e) => e.type === type);
      const fields = [...new Set(ofType.flatMap((e) => Object.keys(e.fields)))];
      const rows = await queryAll(run.ctx, `SELECT Id, ${fields.join(', ')} FROM ${type} WHERE Id IN ${soqlInList(ofType.map((e) => e.id))}`);
      const byId = new Map(rows.map((r) => [idKey(String(r.Id)), r]));
      for (const entry of ofType) {
        const row = byId.get(idKey(entry.id));
        if (row && Object.entries(entry.fields).every(([field, value]) => sameValue(row[field], value))) held.set(entry, entry.id);
      }
    })
  );
  return held;
};

const updateStep = async (run: Run, entries: UpdateEntry[]): Promise<void> => {
  // Pseudo-actions carry the merged records through `step`; their results are spread to the entry's actions.
  const firsts = entries.map((e) => e.actions[0]);
  const entryOf = (action: PlanAction): UpdateEntry => entries[firsts.indexOf(action)];
  await step(
    run,
    firsts,
    (actions) => updateRecords(run.ctx, actions.map((a) => ({ type: entryOf(a).type, id: entryOf(a).id, fields: entryOf(a).fields }))),
    async (actions) => {
      const held = await updatesHeld(run, actions.map(entryOf));
      return new Map(actions.flatMap((a): Array<[PlanAction, string]> => (held.has(entryOf(a)) ? [[a, entryOf(a).id]] : [])));
    },
    (first, result) => {
      for (const action of entryOf(first).actions) {
        if (result?.success) {
          const note = UPDATE_NOTES[action.kind];
          const tokens = action.kind === 'repairEmail' ? [action.details.to] : [];
          run.track.done(action, entryOf(first).id, noteOf(result, note ? messages.getMessage(note, tokens) : undefined));
        } else {
          const { code, reason } = recordFailure(run, result, action);
          run.track.fail(action, code, reason);
        }
      }
    },
    // Salesforce shows a changed e-mail only once the new address confirms it, so a re-read cannot see it: never resent.
    (first) => !entryOf(first).actions.some((a) => a.kind === 'repairEmail')
  );
};

const updateUsersStep = async (run: Run): Promise<void> => {
  const entries = mergeUpdates(run).filter((entry) => {
    if (entry.fields.ProfileId !== null) return true;
    for (const a of entry.actions) run.track.fail(a, 'PROFILE_NOT_FOUND', messages.getMessage('notDone.profileMissing', [a.kind === 'updateUser' ? a.details.profile ?? '' : '']));
    return false;
  });
  // User and UserLogin rows go in separate calls (Setup objects are not mixed in one Collections request).
  await updateStep(run, entries.filter((e) => e.type === 'User'));
  await updateStep(run, entries.filter((e) => e.type === 'UserLogin'));
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
  (action: KindOf<'assignPermissionSetLicense' | 'assignPermissionSet'>, result: Settled): void => {
    if (result?.success) run.track.done(action, result.id, noteOf(result));
    else if (isDuplicateValue(result)) run.track.done(action, undefined, messages.getMessage('note.alreadyAssigned'));
    else {
      failed?.add(lower(action.details.username));
      const { code, reason } = recordFailure(run, result, action);
      run.track.fail(action, code, reason);
    }
  };

/** The assignment record as sent: the plan's record, with the Ids of what this run created. */
const assignmentRecord = (run: Run, a: KindOf<'assignPermissionSetLicense' | 'assignPermissionSet'>): PlanRecord => {
  const record: PlanRecord = { ...a.details.record, AssigneeId: a.details.record.AssigneeId ?? (userIdOf(run, a.details.username) as string) };
  if (a.kind === 'assignPermissionSet' && record.PermissionSetId === undefined) record.PermissionSetId = run.sets.get(lower(a.details.permissionSet)) ?? null;
  return record;
};

/** Assignment rows the org holds for these records' (assignee, target) pairs. */
const assignmentsHeld = async <A extends KindOf<'assignPermissionSetLicense' | 'assignPermissionSet'>>(
  run: Run,
  actions: A[],
  object: 'PermissionSetLicenseAssign' | 'PermissionSetAssignment',
  targetField: 'PermissionSetLicenseId' | 'PermissionSetId'
): Promise<Map<A, string>> => {
  const records = actions.map((a) => assignmentRecord(run, a));
  const assignees = records.map((r) => String(r.AssigneeId));
  const targets = records.map((r) => String(r[targetField]));
  const rows = await queryAll(
    run.ctx,
    `SELECT Id, AssigneeId, ${targetField} FROM ${object} WHERE AssigneeId IN ${soqlInList(assignees)} AND ${targetField} IN ${soqlInList(targets)}`
  );
  const pairs = new Map(rows.map((r) => [`${idKey(String(r.AssigneeId))}|${idKey(String(r[targetField]))}`, String(r.Id)]));
  return new Map(
    actions.flatMap((a, i): Array<[A, string]> => {
      const id = pairs.get(`${idKey(assignees[i])}|${idKey(targets[i])}`);
      return id ? [[a, id]] : [];
    })
  );
};

const pslStep = async (run: Run): Promise<void> => {
  const psls = withUser(run, writesOf(run, 'assignPermissionSetLicense'));
  if (psls.length + writesOf(run, 'assignPermissionSet').length > 0) run.options.onProgress?.(messages.getMessage('progress.assignments'));
  await step(
    run,
    psls,
    (actions) => createRecords(run.ctx, actions.map((a) => ({ type: 'PermissionSetLicenseAssign', fields: assignmentRecord(run, a) }))),
    (actions) => assignmentsHeld(run, actions, 'PermissionSetLicenseAssign', 'PermissionSetLicenseId'),
    onAssignment(run, run.pslFailed)
  );
  for (const a of psls) if (!isDone(run, a)) run.pslFailed.add(lower(a.details.username));
};

const permissionSetStep = async (run: Run): Promise<void> => {
  const assignments = withUser(run, writesOf(run, 'assignPermissionSet')).filter((a) => {
    if (run.pslFailed.has(lower(a.details.username))) {
      run.track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterPslFailure', [a.details.username]));
      return false;
    }
    if (assignmentRecord(run, a).PermissionSetId) return true;
    run.track.fail(a, 'PERMISSION_SET_NOT_FOUND', messages.getMessage('notDone.setMissing', [a.details.permissionSet]));
    return false;
  });
  await step(
    run,
    assignments,
    (actions) => createRecords(run.ctx, actions.map((a) => ({ type: 'PermissionSetAssignment', fields: assignmentRecord(run, a) }))),
    (actions) => assignmentsHeld(run, actions, 'PermissionSetAssignment', 'PermissionSetId'),
    onAssignment(run)
  );
};

const removalStep = (run: Run): Promise<void> =>
  step(
    run,
    writesOf(run, 'removeAssignment'),
    (actions) => deleteRecords(run.ctx, actions.map((a) => a.details.assignmentId)),
    async (actions) => {
      // a removal is written when the row is gone
      const rows = await queryAll(run.ctx, `SELECT Id FROM PermissionSetAssignment WHERE Id IN ${soqlInList(actions.map((a) => a.details.assignmentId))}`);
      const present = new Set(rows.map((r) => idKey(String(r.Id))));
      return new Map(actions.filter((a) => !present.has(idKey(a.details.assignmentId))).map((a): [typeof a, string] => [a, a.details.assignmentId]));
    },
    (action, result) => {
      if (result?.success) run.track.done(action, action.details.assignmentId, noteOf(result));
      else {
        const { code, reason } = recordFailure(run, result, action);
        run.track.fail(action, code, reason);
      }
    }
  );

/**
 * Second deploy: External Client Apps whose run-as user or permission set this apply created. The set's id is read
 * now (the first deploy created it); an app whose user could not be written is not attempted.
 */
const externalClientAppStep = async (run: Run): Promise<void> => {
  const actions = writesOf(run, 'deployExternalClientApp').filter((a) => a.details.phase === 'afterUsers');
  const ready = actions.filter((a) => {
    if (!a.details.runAs || userIdOf(run, a.details.runAs)) return true;
    run.track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterUserFailure', [a.details.runAs]));
    return false;
  });
  if (ready.length === 0) return;
  const missing = ready.filter((a) => !a.details.permissionSetId && !run.sets.has(lower(a.details.permissionSet))).map((a) => a.details.permissionSet);
  try {
    if (missing.length > 0) {
      const rows = await queryAll(run.ctx, `SELECT Id, Name FROM PermissionSet WHERE NamespacePrefix = null AND Name IN ${soqlInList(new Set(missing))}`);
      for (const row of rows) run.sets.set(lower(String(row.Name)), String(row.Id));
    }
    run.options.onProgress?.(messages.getMessage('progress.deployApps', [String(ready.length)]));
    const components = ready.flatMap((a) => externalClientAppComponents(a, a.details.permissionSetId ?? run.sets.get(lower(a.details.permissionSet))));
    const outcome = await deployComponents(run.ctx, run.conn, components);
    if (outcome.success) ready.forEach((a) => run.track.done(a, undefined, a.details.collectSecret));
    else {
      const problems = outcome.failed.map((f) => `${f.type} ${f.fullName}: ${f.problem}`).join('; ') || (outcome.errorMessage ?? outcome.status);
      ready.forEach((a) => run.track.fail(a, 'DEPLOY_FAILED', messages.getMessage('notDone.deployFailed', [problems])));
    }
  } catch (error) {
    const { code, message } = describeOrgError(error);
    ready.forEach((a) => run.track.fail(a, code, messages.getMessage('notDone.deployFailed', [`${code}: ${message}`])));
  }
};

export const executePlan = async (ctx: OrgContext, conn: Connection, plan: Plan, options: ExecuteOptions = {}): Promise<ExecutionReport> => {
  const track = tracker();
  const writes = plan.actions.filter(isWrite);
  const run: Run = { ctx, conn, plan, options, track, writes, profiles: new Map(), sets: new Map(), userIds: new Map(), failedUsers: new Set(), pslFailed: new Set() };
  if (!(await deployStep(run))) return track.report;
  try {
    await resolveIds(run);
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
  await externalClientAppStep(run);
  return track.report;
};
