/**
 * What the simulator's request log says about a run: how many requests, and how many round trips lie on the
 * critical path (the longest chain of requests each sent after the previous one was answered). At 50 ms per request,
 * the critical path × 50 ms is the wall time the requests alone cost, whatever the CPU does.
 */
import type { SimInfo } from './simProcess.js';

export type TimedRequest = { method: string; path: string; soql?: string; soapCall?: string; start?: number; end?: number };

/** Longest chain r1 → r2 → … where each request started after the previous one ended. */
export const criticalPath = (requests: readonly TimedRequest[]): number => {
  const timed = requests.filter((r): r is TimedRequest & { start: number; end: number } => r.start !== undefined && r.end !== undefined);
  const sorted = [...timed].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let longest = 0;
  for (let i = 0; i < sorted.length; i++) {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j].end <= sorted[i].start && depth[j] > before) before = depth[j];
    depth[i] = before + 1;
    longest = Math.max(longest, depth[i]);
  }
  return longest;
};

const simFetch = (sim: SimInfo, path: string, method = 'GET'): Promise<Response> =>
  fetch(`${sim.url}${path}`, { method, headers: { Authorization: `Bearer ${sim.accessToken}` } });

export const simRequests = async (sim: SimInfo): Promise<TimedRequest[]> => (await (await simFetch(sim, '/__sim/requests')).json()) as TimedRequest[];

export const resetSimRequests = async (sim: SimInfo): Promise<void> => {
  await simFetch(sim, '/__sim/reset-requests', 'POST');
};
