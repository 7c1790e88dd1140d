/**
 * sObject Collections: create, update and delete up to 200 records a request, allOrNone false, one SaveResult per
 * record. Chunks of one call run in parallel (independent records), each a counted request under the one retry
 * policy; records that fail with a transient error (UNABLE_TO_LOCK_ROW) are sent again with backoff.
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, isTransient, NO_TRANSPORT_RETRY } from './retry.js';

/** Records per Collections request (the API's limit). */
export const COLLECTION_LIMIT = 200;

export type SaveError = { statusCode: string; message: string; fields: string[] };
export type SaveResult = { id?: string; success: boolean; errors: SaveError[] };

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

const transientRecord = (result: SaveResult): boolean =>
  !result.success && result.errors.some((e) => isTransient({ errorCode: e.statusCode, message: e.message }));

/**
 * Sends `items` in chunks through `send` and returns one result per item, in order. Items whose result is a
 * transient failure are sent again (only those), up to the retry policy's attempts.
 */
const runInChunks = async <T>(ctx: OrgContext, items: T[], send: (chunk: T[]) => Promise<SaveResult[]>): Promise<SaveResult[]> => {
  const results: SaveResult[] = new Array<SaveResult>(items.length);
  const policy = ctx.retry?.policy ?? DEFAULT_RETRY_POLICY;
  let pending = items.map((_, index) => index);
  for (let attempt = 1; pending.length > 0; attempt++) {
    const chunks = chunksOf(pending, COLLECTION_LIMIT);
    // eslint-disable-next-line no-await-in-loop -- a retry round waits for the previous one
    const answers = await Promise.all(chunks.map((chunk) => send(chunk.map((i) => items[i]))));
    chunks.forEach((chunk, c) => chunk.forEach((itemIndex, r) => (results[itemIndex] = answers[c][r])));
    pending = pending.filter((i) => transientRecord(results[i]));
    if (pending.length === 0 || attempt >= policy.maxAttempts) break;
    // eslint-disable-next-line no-param-reassign -- the context carries the call counter
    ctx.stats.retries++;
    // eslint-disable-next-line no-await-in-loop
    await sleep(backoffDelay(policy, attempt, ctx.retry?.random));
  }
  return results;
};

const collectionsUrl = (ctx: OrgContext): string => `${ctx.conn.baseUrl()}/composite/sobjects`;

export const createRecords = (ctx: OrgContext, records: NewRecord[]): Promise<SaveResult[]> =>
  runInChunks(ctx, records, (chunk) =>
    orgCall(ctx, () =>
      ctx.conn.request<SaveResult[]>(
        {
          method: 'POST',
          url: collectionsUrl(ctx),
          body: JSON.stringify({ allOrNone: false, records: chunk.map((r) => ({ attributes: { type: r.type }, ...r.fields })) }),
          headers: { 'content-type': 'application/json' },
        },
        NO_TRANSPORT_RETRY
      )
    )
  );

export const updateRecords = (ctx: OrgContext, records: RecordUpdate[]): Promise<SaveResult[]> =>
  runInChunks(ctx, records, (chunk) =>
    orgCall(ctx, () =>
      ctx.conn.request<SaveResult[]>(
        {
          method: 'PATCH',
          url: collectionsUrl(ctx),
          body: JSON.stringify({ allOrNone: false, records: chunk.map((r) => ({ attributes: { type: r.type }, Id: r.id, ...r.fields })) }),
          headers: { 'content-type': 'application/json' },
        },
        NO_TRANSPORT_RETRY
      )
    )
  );

const SAFE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export const deleteRecords = (ctx: OrgContext, ids: string[]): Promise<SaveResult[]> => {
  for (const id of ids) if (!SAFE_ID.test(id)) throw new Error(`Not a record Id: ${id}`);
  return runInChunks(ctx, ids, (chunk) =>
    orgCall(ctx, () =>
      ctx.conn.request<SaveResult[]>({ method: 'DELETE', url: `${collectionsUrl(ctx)}?ids=${chunk.join(',')}&allOrNone=false` }, NO_TRANSPORT_RETRY)
    )
  );
};
