/* Shared state of one running simulator, handed to every route. */
import type { DeployJobs } from '../metadata/deployJobs.js';
import type { Schema } from '../schema.js';
import type { OrgStore } from '../store.js';
import type { FaultQueue, RequestMatch } from './faults.js';
import type { QueryCursors } from './queryCursors.js';

/** `start`/`end`: ms since the simulator started, when the request arrived and when its answer left (benchmarks chart the critical path). */
export type RequestLogEntry = { method: string; path: string; soql?: string; soapCall?: string; status: number; start?: number; end?: number };

export type SimContext = {
  store: OrgStore;
  schema: Schema;
  /** 'http://127.0.0.1:PORT', known once listening. */
  url: string;
  accessToken: string;
  faults: FaultQueue;
  cursors: QueryCursors;
  deploys: DeployJobs;
  requests: RequestLogEntry[];
  latencyMs: number;
  /** Extra time before the answer of matching requests (tests: an order of requests that must not depend on timing). */
  slowRequests: Array<{ match: RequestMatch; extraMs: number }>;
};

export type SimRequest = {
  method: string;
  /** Path with `//` collapsed and no trailing slash, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** API version from a /services/data/vXX.X path. */
  version?: string;
};

export type SimResponse = {
  status: number;
  /** JSON body (serialised) unless `text` is set. */
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
};

export const jsonResponse = (status: number, json: unknown): SimResponse => ({ status, json });
