/**
 * One Metadata API deploy of generated components through source-deploy-retrieve: the components are written as
 * source-format files to a temporary directory (the same writer `generate` uses), read back as a ComponentSet and
 * deployed with rollbackOnError, so a failed deploy leaves the org as it was.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { GeneratedComponent } from '../metadata/types.js';
import { writeComponents } from '../metadata/write.js';
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';

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

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const truthy = (value: unknown): boolean => value === true || value === 'true';

type Message = { componentType?: string; fullName?: string; created?: unknown; changed?: unknown; problem?: string; problemType?: string; success?: unknown };

/** Poll every 200 ms: a deploy of a profile and a few permission sets is done in seconds. */
const POLL_FREQUENCY_MS = 200;
const POLL_TIMEOUT_S = 1800;

export const deployComponents = async (
  ctx: OrgContext,
  conn: Connection,
  components: GeneratedComponent[],
  onProgress?: (progress: DeployProgress) => void
): Promise<DeployOutcome> => {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const dir = await mkdtemp(join(tmpdir(), 'sf-integration-deploy-'));
  try {
    await writeComponents(dir, components);
    const set = ComponentSet.fromSource(dir);
    set.apiVersion = conn.getApiVersion();
    const result = await orgCall(ctx, async () => {
      const deploy = await set.deploy({ usernameOrConnection: conn });
      deploy.onUpdate((status) =>
        onProgress?.({ done: status.numberComponentsDeployed ?? 0, total: status.numberComponentsTotal ?? components.length, status: String(status.status) })
      );
      return deploy.pollStatus(POLL_FREQUENCY_MS, POLL_TIMEOUT_S);
    });
    const response = result.response;
    const details = (response.details ?? {}) as { componentSuccesses?: Message | Message[]; componentFailures?: Message | Message[] };
    const isComponent = (m: Message): boolean => m.componentType === 'Profile' || m.componentType === 'PermissionSet';
    return {
      id: response.id,
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
      ...(response.errorMessage ? { errorMessage: response.errorMessage } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
