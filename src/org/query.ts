/**
 * The one paged-query helper: runs a SOQL query and follows `nextRecordsUrl` until `done`, however many pages
 * that takes (no maxFetch cap), each page one counted, retried request.
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { NO_TRANSPORT_RETRY } from './retry.js';

/** A row as the REST API returns it: `attributes` plus fields; relationship fields are nested rows or null. */
export type SoqlRow = { attributes?: { type: string; url?: string } } & Record<string, unknown>;

type QueryPage = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: SoqlRow[] };

/** Rows per page asked of the server (REST accepts 200–2,000; 2,000 keeps the page count lowest). */
const BATCH_SIZE = 2000;

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

/** Every row of `soql`. */
export const queryAll = async (ctx: OrgContext, soql: string): Promise<SoqlRow[]> => {
  let page = await getPage(ctx, queryUrl(ctx, soql));
  const records = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    // Pages depend on the previous one's locator, so they are sequential.
    // eslint-disable-next-line no-await-in-loop
    page = await getPage(ctx, page.nextRecordsUrl);
    for (const record of page.records) records.push(record);
  }
  return records;
};
