/**
 * The one paged-query helper: runs a SOQL query and follows `nextRecordsUrl` until `done`, however many pages
 * that takes (no maxFetch cap), each page one counted, retried request.
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { NO_TRANSPORT_RETRY } from './retry.js';
import { soqlInList } from './soql.js';

/** A row as the REST API returns it: `attributes` plus fields; relationship fields are nested rows or null. */
export type SoqlRow = { attributes?: { type: string; url?: string } } & Record<string, unknown>;

type QueryPage = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: SoqlRow[] };

/**
 * Longest query URL we send. The REST API refuses URI + headers over 16,384 bytes (help article 000386264; the
 * headers jsforce and core send are under 600 bytes), and a PermissionSet SELECT naming every permission field of a
 * current org comes close, so long field lists are split.
 */
export const MAX_QUERY_URL_LENGTH = 15_000;

/** Rows per page asked of the server (REST accepts 200–2,000; 2,000 keeps the page count lowest). */
const BATCH_SIZE = 2000;

/**
 * The largest count in [1, `most`] for which `fits(count)` holds, given that `fits` only turns false as the count grows
 * (a longer list never makes a shorter URL); 1 when even 1 does not fit (the caller takes at least one item). A binary
 * search: measuring every prefix of a run re-encoded the whole URL per item, quadratic in the run's length.
 */
export const longestFitting = (most: number, fits: (count: number) => boolean): number => {
  let low = 1;
  let high = Math.max(1, most);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
};

/**
 * Sorted, de-duplicated `ids` cut into runs for `… Id IN (…)` queries: each run as long as `build` of its IN list still
 * fits the URL limit, at most `maxIds` and at least `minIds` long (a caller that splits its field list instead).
 */
export const idRunsFittingUrl = (
  ids: readonly string[],
  build: (inList: string) => string,
  urlLength: (soql: string) => number,
  { maxIds = Number.POSITIVE_INFINITY, minIds = 1 }: { maxIds?: number; minIds?: number } = {}
): string[][] => {
  const unique = [...new Set(ids)].sort();
  const runs: string[][] = [];
  let start = 0;
  while (start < unique.length) {
    const most = Math.min(unique.length - start, maxIds);
    const fitting = longestFitting(most, (count) => urlLength(build(soqlInList(unique.slice(start, start + count)))) <= MAX_QUERY_URL_LENGTH);
    const end = Math.max(start + fitting, Math.min(unique.length, start + minIds));
    runs.push(unique.slice(start, end));
    start = end;
  }
  return runs;
};

/** `build(IN list)` over `ids`, as many ids per query as fit the URL (and at most `maxIds`): one query per run. */
export const inListQueries = (
  ids: readonly string[],
  build: (inList: string) => string,
  urlLength: (soql: string) => number,
  maxIds = Number.POSITIVE_INFINITY
): string[] => idRunsFittingUrl(ids, build, urlLength, { maxIds }).map((run) => build(soqlInList(run)));

/**
 * The query string form of SOQL: percent-encoded, except that spaces become `+` and commas stay commas (both mean
 * the same to the server, as in Salesforce's own examples), which keeps a SELECT of ~400 fields under the URI limit.
 */
export const encodeSoql = (soql: string): string => encodeURIComponent(soql).replace(/%20/g, '+').replace(/%2C/g, ',');

/** The GET URL of a query (exported so callers can keep URLs under the REST URI limit). */
export const queryUrl = (ctx: OrgContext, soql: string): string => `${ctx.conn.baseUrl()}/query?q=${encodeSoql(soql)}`;

const getPage = (ctx: OrgContext, url: string): Promise<QueryPage> =>
  orgCall(ctx, () =>
    ctx.conn.request<QueryPage>(
      { method: 'GET', url, headers: { 'Sforce-Query-Options': `batchSize=${BATCH_SIZE}` } },
      NO_TRANSPORT_RETRY
    )
  );

/**
 * Every page of `soql`, handed to `onPage` as it arrives, so a caller that aggregates keeps only its aggregate in
 * memory, not every row.
 */
export const queryPages = async (ctx: OrgContext, soql: string, onPage: (records: SoqlRow[]) => void): Promise<void> => {
  let page = await getPage(ctx, queryUrl(ctx, soql));
  onPage(page.records);
  while (!page.done && page.nextRecordsUrl) {
    // Pages depend on the previous one's locator, so they are sequential.
    // eslint-disable-next-line no-await-in-loop
    page = await getPage(ctx, page.nextRecordsUrl);
    onPage(page.records);
  }
};

/** Every row of `soql`. */
export const queryAll = async (ctx: OrgContext, soql: string): Promise<SoqlRow[]> => {
  const records: SoqlRow[] = [];
  await queryPages(ctx, soql, (page) => {
    for (const record of page) records.push(record);
  });
  return records;
};
