/**
 * The apply engine shared by `sf integration apply` and `sf integration user create`: read the org through the
 * audit's loader, compute the plan, stop on preflight problems (before any write), and carry the plan out unless
 * it is a dry run. Returns plain JSON.
 */
import { Messages, type Connection } from '@salesforce/core';
import { fieldAccessFromDescribes, objectsOfFields } from '../salesforce/fieldAccess.js';
import { DEPRECATED_INTEGRATION_PROFILE_NAME, INTEGRATION_PROFILE_NAME } from '../access/model.js';
import { loadAccessModelFromOrg } from '../access/orgLoader.js';
import { appUsernames } from '../manifest/desiredState.js';
import { omittedFieldNotes, withoutImplicitFieldAccess } from '../manifest/fieldAccess.js';
import { describeObjectsFields } from '../org/describe.js';
import type { DesiredState } from '../manifest/types.js';
import { newCallStats, orgContext } from '../org/connection.js';
import { readOAuthClients } from '../org/externalClientApps.js';
import type { RetryOptions } from '../org/retry.js';
import { resolveRunningUsername } from '../org/runningUser.js';
import { orgSandbox, type SandboxInfo } from '../salesforce/sandbox.js';
import { computePlan } from './computePlan.js';
import { executePlan, type DoneItem, type NotDoneItem } from './executor.js';
import { isWrite, type LicenseChoice, type Plan, type PlanActionRow, type PlanNotice, type PlanProblem, type PlanSummary } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

export type ApplyOutcome = 'converged' | 'planned' | 'applied' | 'partial' | 'failed';

export type ApplyRunResult = {
  plan: PlanActionRow[];
  licenses: LicenseChoice[];
  problems: PlanProblem[];
  /** What the plan found and reports without acting on it, or acts on and says so (prefixed usernames, .invalid e-mails, frozen users, the integration profile chosen). */
  notices: PlanNotice[];
  sandbox?: SandboxInfo;
  summary: PlanSummary;
  dryRun: boolean;
  /** True when at least one write was carried out. */
  applied: boolean;
  outcome: ApplyOutcome;
  done: DoneItem[];
  notDone: NotDoneItem[];
  deployId?: string;
  /** API requests this run made (each attempt counts). */
  requests: number;
  /** Field access left out because the org's describe says its object grants it (required or not permissionable). */
  notes: string[];
};

export type ApplyRequest = {
  conn: Connection;
  desired: DesiredState;
  dryRun?: boolean;
  prune?: boolean;
  /** --repair-emails: send e-mail changes of existing users (pending until the new address confirms them). */
  repairEmails?: boolean;
  sandboxName?: string;
  /** List managed permission sets no app names (default true). */
  reportOrphans?: boolean;
  /** Default: the connection's username. */
  runningUsername?: string;
  retry?: RetryOptions;
  /** Called with the plan before anything is written (the command prints it). */
  onPlan?: (plan: Plan) => void;
  onProgress?: (message: string) => void;
};

/** Facts apply needs: no login history; frozen users, to unfreeze the manifest's. */
const APPLY_FACTS = ['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginIpRanges', 'setupEntityAccess', 'orgFacts', 'frozenUsers'] as const;

/** Names of the profiles and permission sets the plan compares with the manifest. */
export const touchedHolders = (desired: DesiredState): string[] => [
  desired.profile.name,
  INTEGRATION_PROFILE_NAME,
  DEPRECATED_INTEGRATION_PROFILE_NAME,
  ...desired.apps.map((app) => app.permissionSet.name),
];

/** Exit code of a partial success. */
export const PARTIAL_EXIT_CODE = 68;

export const runApply = async (request: ApplyRequest): Promise<ApplyRunResult> => {
  const stats = newCallStats();
  const ctx = orgContext(request.conn, { stats, retry: request.retry });
  request.onProgress?.(messages.getMessage('progress.reading'));
  // The org's describes of the objects whose fields the manifest names: required fields take no field permission.
  const fieldObjects = objectsOfFields(request.desired.apps.flatMap((app) => app.fields.map((f) => f.field)));
  const [model, described] = await Promise.all([
    loadAccessModelFromOrg(request.conn, {
      facts: [...APPLY_FACTS],
      manifestUsers: appUsernames(request.desired),
      sandboxName: request.sandboxName,
      // Every profile and set the plan compares, read in full although no integration user may hold it yet.
      completeHolders: touchedHolders(request.desired),
      stats,
      retry: request.retry,
    }),
    fieldObjects.length > 0 ? describeObjectsFields(ctx, fieldObjects) : Promise.resolve(new Map()),
  ]);
  const { desired, omitted } = withoutImplicitFieldAccess(request.desired, fieldAccessFromDescribes(described));
  // External Client Apps are metadata: read (never their global settings) only when the manifest has an OAuth client.
  const ecaNames = request.desired.apps.flatMap((app) => (app.oauth ? [app.oauth.name] : []));
  if (ecaNames.length > 0) model.oauthClients = await readOAuthClients(ctx, { externalClientApps: ecaNames });
  // The sandbox as audit and user list see it. An org authorised by access token alone knows its user only through
  // userinfo (one GET): read it only in a sandbox nothing else names.
  const sandbox = orgSandbox(model.org, request.sandboxName);
  const runningUsername = request.runningUsername ?? (sandbox.isSandbox && !sandbox.info ? await resolveRunningUsername(ctx, request.conn) : undefined);
  const plan = computePlan(desired, model, {
    runningUsername,
    sandboxName: request.sandboxName,
    prune: request.prune,
    repairEmails: request.repairEmails,
    reportOrphans: request.reportOrphans,
  });
  request.onPlan?.(plan);
  const base = {
    plan: plan.actions,
    licenses: plan.licenses,
    problems: plan.problems,
    notices: plan.notices,
    ...(plan.sandbox ? { sandbox: plan.sandbox } : {}),
    summary: plan.summary,
    dryRun: request.dryRun === true,
    notes: omittedFieldNotes(omitted),
  };
  if (plan.problems.length > 0) {
    const error = messages.createError('error.Preflight', [String(plan.problems.length), plan.problems.map((p) => `  - ${p.message}\n    ${p.fix}`).join('\n')]);
    error.setData({ ...base, applied: false, outcome: 'failed', done: [], notDone: [], requests: stats.requests });
    throw error;
  }
  const writes = plan.actions.filter(isWrite);
  if (writes.length === 0 || request.dryRun) {
    return { ...base, applied: false, outcome: writes.length === 0 ? 'converged' : 'planned', done: [], notDone: [], requests: stats.requests };
  }
  const report = await executePlan(ctx, request.conn, plan, { onProgress: request.onProgress });
  const outcome: ApplyOutcome = report.notDone.length === 0 ? 'applied' : report.done.length > 0 ? 'partial' : 'failed';
  return {
    ...base,
    applied: report.done.length > 0,
    outcome,
    done: report.done,
    notDone: report.notDone,
    ...(report.deployId ? { deployId: report.deployId } : {}),
    requests: stats.requests,
  };
};
