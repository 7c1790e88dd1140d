/* SOQL over REST: query, queryAll, tooling query, paging through `/query/<locator>-<offset>`, `columns=true`. */
import { parseSoql, runSoql, SoqlError, type SoqlResult } from '../soql/index.js';
import { unsupportedType } from '../soql/errors.js';
import type { SelectItem } from '../soql/ast.js';
import type { Schema } from '../schema.js';
import type { SimContext, SimRequest, SimResponse } from './context.js';
import { ApiError, notFound } from './errors.js';
import { batchSizeFrom } from './queryCursors.js';

type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: unknown[] };

function page(ctx: SimContext, records: unknown[], offset: number, batchSize: number, locator: string | undefined, queryPath: string): Page {
  const end = offset + batchSize;
  const result: Page = { totalSize: records.length, done: end >= records.length, records: records.slice(offset, end) };
  if (!result.done) {
    const cursor = locator ?? ctx.cursors.open(records, batchSize);
    result.nextRecordsUrl = `${queryPath}/${cursor}-${end}`;
  }
  return result;
}

/** columnMetadata as `sf data query` reads it (one entry per selected column; relationship paths nest joinColumns). */
function columnMetadata(schema: Schema, soql: string): Record<string, unknown> {
  const query = parseSoql(soql);
  const entity = schema.object(query.from.name)?.name ?? query.from.name;
  const column = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: name.endsWith('__c'),
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
    ...extra,
  });
  const columns = query.select.map((item: SelectItem) => {
    if (item.kind === 'aggregate') return column(item.alias ?? 'expr0', { aggregate: true, numberType: true, displayName: item.alias ?? 'COUNT' });
    if (item.kind === 'subquery') return column(item.query.from.name, { aggregate: true, displayName: item.query.from.name });
    const segments = item.path.segments;
    const build = (rest: string[]): Record<string, unknown> =>
      rest.length === 1 ? column(rest[0], { textType: true }) : column(rest[0], { joinColumns: [build(rest.slice(1))] });
    return build(segments[0].toLowerCase() === (query.from.alias ?? '').toLowerCase() ? segments.slice(1) : segments);
  });
  return { columnMetadata: columns, entityName: entity, groupBy: query.groupBy.length > 0, idSelected: columns.some((c) => String(c.columnName).toLowerCase() === 'id'), keyPrefix: schema.keyPrefix(entity) ?? null };
}

/**
 * An object the running user may not read answers as an unknown one: INVALID_TYPE "sObject type 'X' is not
 * supported" is what public reports show for LoginHistory or OauthToken queried without "Manage Users" (the plugin
 * keys on the code only).
 */
function refuseDenied(ctx: SimContext, soql: string): void {
  if (ctx.store.deniedObjects.size === 0) return;
  let from: string | undefined;
  try {
    from = parseSoql(soql).from.name;
  } catch {
    return; // the run reports the syntax error
  }
  if (ctx.store.deniedObjects.has(from.toLowerCase())) throw new ApiError(400, 'INVALID_TYPE', unsupportedType(from));
}

function run(ctx: SimContext, soql: string, apiVersion: string | undefined): SoqlResult {
  refuseDenied(ctx, soql);
  try {
    return runSoql(soql, ctx.schema, ctx.store, { apiVersion: apiVersion ?? '68.0' });
  } catch (error) {
    if (error instanceof SoqlError) throw new ApiError(400, error.errorCode, error.message);
    throw error;
  }
}

/** GET …/query?q=, …/queryAll?q=, …/tooling/query?q= */
export function handleQuery(ctx: SimContext, request: SimRequest, queryPath: string): SimResponse {
  const soql = request.query.get('q');
  if (soql === null || soql.trim() === '') throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  if (request.query.get('columns') === 'true') {
    run(ctx, soql, request.version); // validates the query exactly as a run would
    return { status: 200, json: columnMetadata(ctx.schema, soql) };
  }
  const result = run(ctx, soql, request.version);
  if (result.countOnly) return { status: 200, json: { totalSize: result.totalSize, done: true, records: [] } };
  return { status: 200, json: page(ctx, result.records, 0, batchSizeFrom(request.headers['sforce-query-options']), undefined, queryPath) };
}

/** GET …/query/<locator>-<offset> */
export function handleQueryMore(ctx: SimContext, locatorAndOffset: string, queryPath: string): SimResponse {
  const match = /^(\w+)-(\d+)$/.exec(locatorAndOffset);
  const cursor = match ? ctx.cursors.get(match[1]) : undefined;
  if (!match || !cursor) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  const offset = Number(match[2]);
  if (offset > cursor.records.length) throw notFound();
  return { status: 200, json: page(ctx, cursor.records, offset, cursor.batchSize, match[1], queryPath) };
}
