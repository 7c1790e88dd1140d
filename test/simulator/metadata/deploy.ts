/*
 * A deploy: read the zip, validate every component, apply the valid ones atomically; roll everything back when
 * rollbackOnError is set and something failed, or when checkOnly. The outcome is stored on a job for polling.
 */
import type { SimContext } from '../server/context.js';
import { applyComponent, APPLY_ORDER } from './apply.js';
import { readDeployZip, type Component, type DeployPackage } from './components.js';
import type { DeployJob, DeployMessage, DeployOutcome } from './deployJobs.js';
import { validateComponent, type DeployNames } from './validate.js';

export type DeployOptions = { checkOnly: boolean; rollbackOnError: boolean; ignoreWarnings: boolean };

const stamp = (): string => new Date().toISOString();

function message(base: { componentType: string; fullName: string; fileName: string }, extra: Partial<DeployMessage>): DeployMessage {
  return { changed: false, componentType: base.componentType, created: false, createdDate: stamp(), deleted: false, fileName: base.fileName, fullName: base.fullName, success: true, ...extra };
}

function failure(base: { componentType: string; fullName: string; fileName: string }, problem: string): DeployMessage {
  return message(base, { success: false, problem, problemType: 'Error' });
}

function deployNames(pkg: DeployPackage): DeployNames {
  const names = (type: Component['type']): Set<string> => new Set(pkg.components.filter((c) => c.type === type).map((c) => c.fullName.toLowerCase()));
  return { permissionSets: names('PermissionSet'), mutingPermissionSets: names('MutingPermissionSet'), headers: names('ExternalClientApplication') };
}

function outcomeOf(pkg: DeployPackage, ctx: SimContext, options: DeployOptions): DeployOutcome {
  const failures: DeployMessage[] = pkg.problems.map((p) => failure(p, p.problem));
  const injected = ctx.faults.takeDeployFailure();
  const names = deployNames(pkg);
  const valid: Component[] = [];
  for (const component of pkg.components) {
    const base = { componentType: component.type, fullName: component.fullName, fileName: component.fileName };
    const forced = injected && (injected.component === undefined ? component === pkg.components[0] : injected.component === component.fullName);
    const problem = forced ? injected.problem : validateComponent(ctx.store, component, names);
    if (problem) failures.push(failure(base, problem));
    else valid.push(component);
  }
  if (injected && !pkg.components.some((c) => (injected.component === undefined ? true : injected.component === c.fullName))) {
    failures.push(failure({ componentType: '', fullName: injected.component ?? 'package.xml', fileName: 'package.xml' }, injected.problem));
  }
  const successes: DeployMessage[] = [];
  const keep = !options.checkOnly && !(options.rollbackOnError && failures.length > 0);
  ctx.store.atomically(
    () => {
      for (const component of [...valid].sort((a, b) => APPLY_ORDER[a.type] - APPLY_ORDER[b.type])) {
        const base = { componentType: component.type, fullName: component.fullName, fileName: component.fileName };
        const result = applyComponent(ctx.store, component);
        successes.push(message(base, { id: result.id, created: result.created, changed: result.changed && !result.created }));
      }
    },
    () => keep
  );
  const packageFile = `${pkg.prefix}package.xml`;
  successes.push(message({ componentType: '', fullName: 'package.xml', fileName: packageFile }, {}));
  const total = pkg.components.length + pkg.problems.length;
  const status: DeployOutcome['status'] = failures.length === 0 ? 'Succeeded' : options.rollbackOnError || valid.length === 0 ? 'Failed' : 'SucceededPartial';
  return {
    status,
    successes,
    failures,
    numberComponentsTotal: total,
    numberComponentsDeployed: status === 'Failed' ? 0 : valid.length,
  };
}

/** Queues a deploy: the zip is read now, the org changes when a poll first reports the deploy done. */
export async function startDeploy(ctx: SimContext, zipBase64: string, options: DeployOptions): Promise<DeployJob> {
  let pending: () => DeployOutcome;
  try {
    const pkg = await readDeployZip(zipBase64);
    pending = (): DeployOutcome => outcomeOf(pkg, ctx, options);
  } catch (error) {
    const errorMessage = (error as Error).message;
    pending = (): DeployOutcome => ({ status: 'Failed', successes: [], failures: [], numberComponentsTotal: 0, numberComponentsDeployed: 0, errorMessage, errorStatusCode: 'UNKNOWN_EXCEPTION' });
  }
  return ctx.deploys.add({ checkOnly: options.checkOnly, ignoreWarnings: options.ignoreWarnings, rollbackOnError: options.rollbackOnError, createdDate: stamp(), pending });
}

/** Runs a queued deploy if it has not run yet. */
export function finishDeploy(job: DeployJob): DeployOutcome {
  if (!job.outcome) {
    // the job is the deploy's mutable record, shared with later polls
    // eslint-disable-next-line no-param-reassign
    job.outcome = job.pending!();
    // eslint-disable-next-line no-param-reassign
    job.pending = undefined;
  }
  return job.outcome;
}
