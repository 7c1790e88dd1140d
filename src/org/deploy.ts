/**
 * One Metadata API deploy of generated components through source-deploy-retrieve: the components become a
 * ComponentSet over an in-memory source tree (SDR's VirtualTreeContainer, the same source-format paths `generate`
 * writes; no temporary files) and are deployed with rollbackOnError, so a failed deploy leaves the org as it was.
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Connection } from '@salesforce/core';
import type { RegistryAccess, VirtualDirectory } from '@salesforce/source-deploy-retrieve';
import { sourceFilePath, type GeneratedComponent } from '../salesforce/sourceFormat.js';
import { asArray } from '../formats/values.js';
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { isTransientForWrite } from './retry.js';

export type DeployedComponent = { type: string; fullName: string; created: boolean; changed: boolean };
/** A component failure; `problemType` is the DeployMessage's (Error, Warning or Info) when the org sends one. */
export type FailedComponent = { type: string; fullName: string; problemType?: string; problem: string };

export type DeployOutcome = {
  id?: string;
  status: string;
  success: boolean;
  deployed: DeployedComponent[];
  failed: FailedComponent[];
  errorMessage?: string;
};

export type DeployProgress = { done: number; total: number; status: string };

const truthy = (value: unknown): boolean => value === true || value === 'true';

type Message = { componentType?: string; fullName?: string; created?: unknown; changed?: unknown; problem?: string; problemType?: string; success?: unknown };

/** Poll every 200 ms: a deploy of a profile and a few permission sets is done in seconds. */
const POLL_FREQUENCY_MS = 200;
const POLL_TIMEOUT_MS = 1_800_000;

type DeployStatus = {
  id?: string;
  done?: unknown;
  status?: unknown;
  success?: unknown;
  numberComponentsDeployed?: unknown;
  numberComponentsTotal?: unknown;
  errorMessage?: string;
  details?: unknown;
};

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Polls a started deploy by its id until it is done. Each checkDeployStatus is a read under the retry policy: a
 * polling error asks again about the same deploy, it never starts another one.
 */
export const waitForDeploy = async (
  ctx: OrgContext,
  conn: Connection,
  id: string,
  total: number,
  onProgress?: (progress: DeployProgress) => void
): Promise<DeployStatus> => {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    // eslint-disable-next-line no-await-in-loop -- polls are sequential by nature
    const status = (await orgCall(ctx, () => conn.metadata.checkDeployStatus(id, true))) as unknown as DeployStatus;
    if (truthy(status.done)) return status;
    onProgress?.({ done: Number(status.numberComponentsDeployed ?? 0), total: Number(status.numberComponentsTotal ?? total), status: String(status.status) });
    if (Date.now() > deadline) return status;
    // eslint-disable-next-line no-await-in-loop
    await sleep(POLL_FREQUENCY_MS);
  }
};

export const deployComponents = async (
  ctx: OrgContext,
  conn: Connection,
  components: GeneratedComponent[],
  onProgress?: (progress: DeployProgress) => void
): Promise<DeployOutcome> => {
  // SDR loads its registry on import: loaded here, not at module top, so other commands start without it.
  const { ComponentSet, RegistryAccess: Registry, VirtualTreeContainer } = await import('@salesforce/source-deploy-retrieve');
  // SDR's VirtualTreeContainer reads files but does not stream them, and the deploy's converter streams.
  class InMemoryTree extends VirtualTreeContainer {
    public stream(fsPath: string): Readable {
      return Readable.from([this.readFileSync(fsPath)]);
    }
  }
  const tree = new InMemoryTree(virtualSourceTree(new Registry(), components));
  const set = ComponentSet.fromSource({ fsPaths: [VIRTUAL_ROOT], tree });
  set.apiVersion = conn.getApiVersion();
  // Starting the deploy is a write: retried only when nothing can have been queued. A lost answer is the caller's
  // to resolve (it re-reads the org); once the id is known, only polls are repeated.
  const deploy = await orgCall(ctx, () => set.deploy({ usernameOrConnection: conn }), isTransientForWrite);
  const response = await waitForDeploy(ctx, conn, deploy.id as string, components.length, onProgress);
  const details = (response.details ?? {}) as { componentSuccesses?: Message | Message[]; componentFailures?: Message | Message[] };
  const isComponent = (m: Message): boolean => m.componentType === 'Profile' || m.componentType === 'PermissionSet';
  return {
    id: response.id ?? deploy.id,
    status: String(response.status),
    success: truthy(response.success),
    deployed: asArray(details.componentSuccesses)
      .filter(isComponent)
      .map((m) => ({ type: String(m.componentType), fullName: decodeURIComponent(String(m.fullName)), created: truthy(m.created), changed: truthy(m.changed) })),
    failed: asArray(details.componentFailures).map((m) => ({
      type: String(m.componentType ?? ''),
      fullName: decodeURIComponent(String(m.fullName ?? '')),
      ...(typeof m.problemType === 'string' ? { problemType: m.problemType } : {}),
      problem: String(m.problem ?? ''),
    })),
    ...(response.errorMessage ? { errorMessage: String(response.errorMessage) } : {}),
  };
};

/** Root of the in-memory source tree; never touches the disk. */
const VIRTUAL_ROOT = join('/', 'sf-integration-deploy');

/** Components as a virtual source-format tree: `<root>/profiles/<name>.profile-meta.xml`, one directory per type. */
const virtualSourceTree = (registry: RegistryAccess, components: GeneratedComponent[]): VirtualDirectory[] => {
  const root: VirtualDirectory = { dirPath: VIRTUAL_ROOT, children: [] };
  const dirs = new Map<string, VirtualDirectory>();
  for (const component of components) {
    const [dirName, fileName] = sourceFilePath(registry, component.type, component.fullName).split('/');
    let dir = dirs.get(dirName);
    if (!dir) {
      dir = { dirPath: join(VIRTUAL_ROOT, dirName), children: [] };
      dirs.set(dirName, dir);
      root.children.push(dirName);
    }
    dir.children.push({ name: fileName, data: Buffer.from(component.xml, 'utf8') });
  }
  return [root, ...dirs.values()];
};
