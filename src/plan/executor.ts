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
import { buildProfile } from '../metadata/profile.js';
import type { GeneratedComponent, ProfileMetadata } from '../metadata/types.js';
import { toMetadataXml } from '../metadata/xml.js';
import { createRecords, deleteRecords, updateRecords, type FieldValue, type SaveResult } from '../org/collections.js';
import type { OrgContext } from '../org/connection.js';
import { deployComponents, type DeployProgress } from '../org/deploy.js';
import { describeOrgError } from '../org/errors.js';
import { queryAll } from '../org/query.js';
import { soqlInList } from '../org/soql.js';
import { isWrite, type Plan, type PlanAction } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.apply');

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

/** The metadata components of the plan's deploy actions. */
export const componentsToDeploy = (plan: Plan, desired: DesiredState, model: AccessModel): GeneratedComponent[] => {
  const components: GeneratedComponent[] = [];
  for (const action of plan.actions) {
    if (!isWrite(action)) continue;
    if (action.kind === 'deployProfile') {
      const profile = buildProfile(desired.profile, { userPermissions: model.knownSystemPermissions, userLicense: action.details.userLicense });
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
  const of = <K extends PlanAction['kind']>(kind: K): Array<Extract<PlanAction, { kind: K }>> =>
    writes.filter((a): a is Extract<PlanAction, { kind: K }> => a.kind === kind);
  const skipAll = (actions: PlanAction[], code: string, reason: string): void => actions.forEach((a) => track.fail(a, code, reason));

  // 1. metadata: one deploy
  const deployActions: PlanAction[] = writes.filter((a) => a.kind === 'deployProfile' || a.kind === 'deployPermissionSet');
  if (deployActions.length > 0) {
    options.onProgress?.(messages.getMessage('progress.deploy', [String(deployActions.length)]));
    let failure: { code: string; reason: string } | undefined;
    try {
      const outcome = await deployComponents(ctx, conn, componentsToDeploy(plan, desired, model), (p: DeployProgress) =>
        options.onProgress?.(messages.getMessage('progress.deployStatus', [p.status, String(p.done), String(p.total)]))
      );
      if (outcome.id) track.report.deployId = outcome.id;
      if (outcome.success) deployActions.forEach((a) => track.done(a));
      else {
        const problems = outcome.failed.map((f) => `${f.type} ${f.fullName}: ${f.problem}`).join('; ') || outcome.errorMessage || outcome.status;
        failure = { code: 'DEPLOY_FAILED', reason: messages.getMessage('notDone.deployFailed', [problems]) };
      }
    } catch (error) {
      const { code, message } = describeOrgError(error);
      failure = { code, reason: messages.getMessage('notDone.deployFailed', [`${code}: ${message}`]) };
    }
    if (failure) {
      // rollbackOnError: nothing of the deploy was saved, and users need its profile and sets; stop here.
      skipAll(deployActions, failure.code, failure.reason);
      skipAll(writes.filter((a) => !deployActions.includes(a)), 'NOT_ATTEMPTED', messages.getMessage('notDone.afterDeployFailure'));
      return track.report;
    }
  }

  let ids: Awaited<ReturnType<typeof resolveIds>>;
  try {
    ids = await resolveIds(ctx, plan);
  } catch (error) {
    const { code, message } = describeOrgError(error);
    skipAll(writes.filter((a) => !deployActions.includes(a)), code, messages.getMessage('notDone.callFailed', [code, message]));
    return track.report;
  }

  // 2. users: create
  const userIds = new Map<string, string>(); // lower-cased username → Id
  for (const action of writes) if ('userId' in action.details && action.details.userId) userIds.set(lower(action.details.username), action.details.userId);
  const failedUsers = new Set<string>();
  const creates = of('createUser').filter((a) => {
    if (ids.profiles.has(lower(a.details.profile))) return true;
    track.fail(a, 'PROFILE_NOT_FOUND', messages.getMessage('notDone.profileMissing', [a.details.profile]));
    failedUsers.add(lower(a.details.username));
    return false;
  });
  if (creates.length > 0) options.onProgress?.(messages.getMessage('progress.users', [String(creates.length)]));
  await step(
    track,
    creates,
    (actions) =>
      createRecords(
        ctx,
        actions.map((a) => ({
          type: 'User',
          fields: {
            Username: a.details.username,
            Email: a.details.email,
            ...(a.details.firstName !== undefined ? { FirstName: a.details.firstName } : {}),
            LastName: a.details.lastName,
            Alias: a.details.alias,
            TimeZoneSidKey: a.details.timeZone,
            LocaleSidKey: a.details.locale,
            LanguageLocaleKey: a.details.language,
            EmailEncodingKey: a.details.emailEncoding,
            ProfileId: ids.profiles.get(lower(a.details.profile)) as string,
          },
        }))
      ),
    (action, result) => {
      if (result?.success && result.id) {
        userIds.set(lower(action.details.username), result.id);
        track.done(action, result.id);
      } else {
        failedUsers.add(lower(action.details.username));
        const { code, reason } = recordFailure(result, action);
        track.fail(action, code, reason);
      }
    }
  );
  for (const action of creates) if (!userIds.has(lower(action.details.username)) && !failedUsers.has(lower(action.details.username))) failedUsers.add(lower(action.details.username));

  // 3. users: update (field changes, reactivation, e-mail repair, prune's deactivation), one record per user
  const userUpdates = writes.filter(
    (a): a is Extract<PlanAction, { kind: 'updateUser' | 'reactivateUser' | 'repairEmail' | 'deactivateUser' }> =>
      a.kind === 'updateUser' || a.kind === 'reactivateUser' || a.kind === 'repairEmail' || a.kind === 'deactivateUser'
  );
  const byUser = new Map<string, { id: string; fields: Record<string, FieldValue>; actions: PlanAction[] }>();
  for (const action of userUpdates) {
    const entry = byUser.get(idKey(action.details.userId)) ?? { id: action.details.userId, fields: {}, actions: [] };
    entry.actions.push(action);
    if (action.kind === 'reactivateUser') entry.fields.IsActive = true;
    if (action.kind === 'deactivateUser') entry.fields.IsActive = false;
    if (action.kind === 'repairEmail') entry.fields.Email = action.details.to;
    if (action.kind === 'updateUser') {
      for (const change of action.details.changes) {
        if (change.field === 'Profile') entry.fields.ProfileId = ids.profiles.get(lower(change.to)) ?? null;
        else entry.fields[change.field] = change.to;
      }
    }
    byUser.set(idKey(action.details.userId), entry);
  }
  const updates = [...byUser.values()].filter((entry) => {
    if (entry.fields.ProfileId !== null) return true;
    for (const a of entry.actions) track.fail(a, 'PROFILE_NOT_FOUND', messages.getMessage('notDone.profileMissing', ['']));
    return false;
  });
  await step(
    track,
    updates.map((u) => u.actions[0]),
    () => updateRecords(ctx, updates.map((u) => ({ type: 'User', id: u.id, fields: u.fields }))),
    (first, result) => {
      const entry = updates.find((u) => u.actions[0] === first)!;
      for (const action of entry.actions) {
        if (result?.success) track.done(action, entry.id);
        else {
          const { code, reason } = recordFailure(result, action);
          track.fail(action, code, reason);
        }
      }
    }
  );
  // step() reports whole-call failures for the first action of each user only; report the rest too
  const reported = new Set([...track.report.done, ...track.report.notDone].map((i) => `${i.kind}|${i.subject}`));
  for (const entry of updates) for (const a of entry.actions) if (!reported.has(`${a.kind}|${a.subject}`)) track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterUserFailure', [a.subject]));

  // 4. permission set licenses, then 5. permission sets (a set tied to the PSL needs it first)
  const userIdOf = (username: string): string | undefined => (failedUsers.has(lower(username)) ? undefined : userIds.get(lower(username)));
  const withUser = <A extends Extract<PlanAction, { kind: 'assignPermissionSetLicense' | 'assignPermissionSet' }>>(actions: A[]): A[] =>
    actions.filter((a) => {
      if (userIdOf(a.details.username)) return true;
      track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterUserFailure', [a.details.username]));
      return false;
    });
  const pslFailed = new Set<string>();
  const psls = withUser(of('assignPermissionSetLicense'));
  if (psls.length + of('assignPermissionSet').length > 0) options.onProgress?.(messages.getMessage('progress.assignments'));
  await step(
    track,
    psls,
    (actions) =>
      createRecords(ctx, actions.map((a) => ({ type: 'PermissionSetLicenseAssign', fields: { AssigneeId: userIdOf(a.details.username) as string, PermissionSetLicenseId: a.details.permissionSetLicenseId } }))),
    (action, result) => {
      if (result?.success) track.done(action, result.id);
      else if (isDuplicateValue(result)) track.done(action, undefined, messages.getMessage('note.alreadyAssigned'));
      else {
        pslFailed.add(lower(action.details.username));
        const { code, reason } = recordFailure(result, action);
        track.fail(action, code, reason);
      }
    }
  );
  for (const a of psls) if (!track.report.done.some((d) => d.kind === a.kind && d.subject === a.subject)) pslFailed.add(lower(a.details.username));

  const assignments = withUser(of('assignPermissionSet')).filter((a) => {
    if (pslFailed.has(lower(a.details.username))) {
      track.fail(a, 'NOT_ATTEMPTED', messages.getMessage('notDone.afterPslFailure', [a.details.username]));
      return false;
    }
    if (a.details.permissionSetId ?? ids.sets.get(lower(a.details.permissionSet))) return true;
    track.fail(a, 'PERMISSION_SET_NOT_FOUND', messages.getMessage('notDone.setMissing', [a.details.permissionSet]));
    return false;
  });
  await step(
    track,
    assignments,
    (actions) =>
      createRecords(
        ctx,
        actions.map((a) => ({
          type: 'PermissionSetAssignment',
          fields: { AssigneeId: userIdOf(a.details.username) as string, PermissionSetId: (a.details.permissionSetId ?? ids.sets.get(lower(a.details.permissionSet))) as string },
        }))
      ),
    (action, result) => {
      if (result?.success) track.done(action, result.id);
      else if (isDuplicateValue(result)) track.done(action, undefined, messages.getMessage('note.alreadyAssigned'));
      else {
        const { code, reason } = recordFailure(result, action);
        track.fail(action, code, reason);
      }
    }
  );

  // 6. removals
  const removals = of('removeAssignment');
  await step(
    track,
    removals,
    (actions) => deleteRecords(ctx, actions.map((a) => a.details.assignmentId)),
    (action, result) => {
      if (result?.success) track.done(action, action.details.assignmentId);
      else {
        const { code, reason } = recordFailure(result, action);
        track.fail(action, code, reason);
      }
    }
  );
  return track.report;
};
