/**
 * sObject Collections: create, update and delete up to 200 records a request, allOrNone false, one SaveResult per
 * record. Chunks of one call run in parallel (independent records). One attempt loop under the one retry policy
 * (retry.ts) covers both a whole request refused before anything was written and records that failed with a row
 * lock: only those are sent again, up to the policy's attempts, and a record is never sent more often than that.
 * A request that failed in a way that may hide a committed write (5xx, timeout) is not sent again: its records come
 * back with `outcomeUnknown`, and the caller re-reads the org before deciding what is still to do.
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { describeOrgError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, isTransientForWrite, mayHaveBeenWritten, NO_TRANSPORT_RETRY } from './retry.js';

/** Records per Collections request (the API's limit). */
export const COLLECTION_LIMIT = 200;

export type SaveError = { statusCode: string; message: string; fields: string[] };
export type SaveResult = {
  id?: string;
  success: boolean;
  errors: SaveError[];
  /** The request failed after it may have been committed (5xx, timeout): re-read before sending the record again. */
  outcomeUnknown?: boolean;
};

export type FieldValue = string | number | boolean | null;
/** A record to create: its sObject type and fields. */
export type NewRecord = { type: string; fields: Record<string, FieldValue> };
/** A record to update: type, Id and the fields to change. */
export type RecordUpdate = { type: string; id: string; fields: Record<string, FieldValue> };

const chunksOf = <T>(items: T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

type Answer = { ok: true; results: SaveResult[] } | { ok: false; error: unknown };

/** Every record of a request that failed as a whole gets that failure as its own result. */
const failedRequest = (error: unknown): SaveResult => {
  const { code, message } = describeOrgError(error);
  return { success: false, errors: [{ statusCode: code, message, fields: [] }], ...(mayHaveBeenWritten(error) ? { outcomeUnknown: true } : {}) };
};

/** A record result that guarantees nothing was written and is worth another attempt (a row lock). */
const retryableRecord = (result: SaveResult): boolean =>
  !result.success && !result.outcomeUnknown && result.errors.some((e) => isTransientForWrite({ errorCode: e.statusCode }));

/**
 * Sends `items` in chunks through `send` and returns one result per item, in order. Requests are sent once each
 * (orgCall without its own retries); this loop is the only one that sends again, under the context's policy.
 */
const runInChunks = async <T>(ctx: OrgContext, items: T[], send: (chunk: T[]) => Promise<SaveResult[]>): Promise<SaveResult[]> => {
  const results: SaveResult[] = new Array<SaveResult>(items.length);
  const refused = new Set<number>();
  const policy = ctx.retry?.policy ?? DEFAULT_RETRY_POLICY;
  let pending = items.map((_, index) => index);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const chunks = chunksOf(pending, COLLECTION_LIMIT);
    // eslint-disable-next-line no-await-in-loop -- a retry round waits for the previous one
    const answers = await Promise.all(
      chunks.map((chunk) =>
        orgCall(ctx, () => send(chunk.map((i) => items[i])), () => false).then(
          (r): Answer => ({ ok: true, results: r }),
          (error: unknown): Answer => ({ ok: false, error })
        )
      )
    );
    chunks.forEach((chunk, c) => {
      const answer = answers[c];
      chunk.forEach((itemIndex, r) => {
        if (answer.ok) {
          results[itemIndex] = answer.results[r];
          refused.delete(itemIndex);
        } else {
          results[itemIndex] = failedRequest(answer.error);
          if (isTransientForWrite(answer.error)) refused.add(itemIndex);
          else refused.delete(itemIndex);
        }
      });
    });
    pending = pending.filter((i) => refused.has(i) || retryableRecord(results[i]));
    if (pending.length === 0 || attempt >= policy.maxAttempts) break;
    const delay = backoffDelay(policy, attempt, ctx.retry?.random);
    // eslint-disable-next-line no-param-reassign -- the context carries the call counter
    ctx.stats.retries++;
    ctx.retry?.onRetry?.(undefined, attempt, delay);
    // eslint-disable-next-line no-await-in-loop
    await sleep(delay);
  }
  return results;
};

const collectionsUrl = (ctx: OrgContext): string => `${ctx.conn.baseUrl()}/composite/sobjects`;

/** One Collections request (runInChunks sends it through orgCall, once per attempt). */
const collectionsRequest =
  (ctx: OrgContext, method: 'POST' | 'PATCH', body: (chunk: Array<{ type: string; id?: string; fields: Record<string, FieldValue> }>) => unknown) =>
  (chunk: Array<{ type: string; id?: string; fields: Record<string, FieldValue> }>): Promise<SaveResult[]> =>
    ctx.conn.request<SaveResult[]>(
      { method, url: collectionsUrl(ctx), body: JSON.stringify(body(chunk)), headers: { 'content-type': 'application/json' } },
      NO_TRANSPORT_RETRY
    );

export const createRecords = (ctx: OrgContext, records: NewRecord[]): Promise<SaveResult[]> =>
  runInChunks(
    ctx,
    records,
    collectionsRequest(ctx, 'POST', (chunk) => ({ allOrNone: false, records: chunk.map((r) => ({ attributes: { type: r.type }, ...r.fields })) }))
  );

export const updateRecords = (ctx: OrgContext, records: RecordUpdate[]): Promise<SaveResult[]> =>
  runInChunks(
    ctx,
    records,
    collectionsRequest(ctx, 'PATCH', (chunk) => ({ allOrNone: false, records: chunk.map((r) => ({ attributes: { type: r.type }, Id: r.id, ...r.fields })) }))
  );

const SAFE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const deleteRecords = (ctx: OrgContext, ids: string[]): Promise<SaveResult[]> => {
  for (const id of ids) if (!SAFE_ID.test(id)) throw new Error(`Not a record Id: ${id}`);
  return runInChunks(ctx, ids, (chunk) =>
    ctx.conn.request<SaveResult[]>({ method: 'DELETE', url: `${collectionsUrl(ctx)}?ids=${chunk.join(',')}&allOrNone=false` }, NO_TRANSPORT_RETRY)
  );
};
