/**
 * What the org layer needs from a connection, and the per-load call counter.
 * `Connection` from @salesforce/core satisfies OrgConnection; tests may pass a small fake.
 */
import type { Connection } from '@salesforce/core';
import { createLimiter, type Limiter } from './limit.js';
import type { RetryOptions } from './retry.js';

/** `accessToken` is read only to stream event log files (src/org/logFile.ts); it is never printed or stored. */
export type OrgConnection = Pick<Connection, 'request' | 'baseUrl' | 'getApiVersion' | 'instanceUrl' | 'metadata' | 'accessToken'> &
  // The running user's username names a sandbox (src/salesforce/sandbox.ts); a fake may leave it out.
  Partial<Pick<Connection, 'getUsername'>>;

/** HTTP requests made (each attempt counts) and retries among them. */
export type OrgCallStats = { requests: number; retries: number };

export const newCallStats = (): OrgCallStats => ({ requests: 0, retries: 0 });

/** Everything an org call needs: the connection, where to count, how to retry. */
export type OrgContext = {
  conn: OrgConnection;
  stats: OrgCallStats;
  retry?: RetryOptions;
  /** Bounds the requests in flight (see limit.ts); unbounded when absent. */
  limit?: Limiter;
};

/**
 * Requests in flight at once: the audit's first round has ten independent reads (the describe beside them), and the
 * org's documented concurrency limit is on long-running requests (25), which these are not.
 */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 10;

export const orgContext = (
  conn: OrgConnection,
  options: { stats?: OrgCallStats; retry?: RetryOptions; maxConcurrentRequests?: number } = {}
): OrgContext => ({
  conn,
  stats: options.stats ?? newCallStats(),
  retry: options.retry,
  limit: createLimiter(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS),
});
