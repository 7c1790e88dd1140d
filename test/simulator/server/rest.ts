/* REST routing: /services/data…, /services/oauth2/userinfo, /id/…, and the test-only /__sim/… routes. */
import type { SimContext, SimRequest, SimResponse } from './context.js';
import { ApiError, methodNotAllowed, notFound } from './errors.js';
import { identity, limits, resources, userinfo, versions } from './identity.js';
import { handleQuery, handleQueryMore } from './query.js';
import { collectionCreate, collectionDelete, collectionUpdate, createOne, deleteOne, describe, describeGlobal, getRecord, updateOne } from './sobjects.js';

const VERSIONED = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/;

export const isCollectionsWrite = (request: SimRequest): boolean => request.path.endsWith('/composite/sobjects') && request.method !== 'GET';

function versioned(ctx: SimContext, request: SimRequest, version: string, rest: string): SimResponse {
  const { method } = request;
  const parts = rest.split('/').filter(Boolean);
  if (parts.length === 0) {
    if (method !== 'GET') throw methodNotAllowed(method, 'GET,HEAD');
    return { status: 200, json: resources(ctx, version) };
  }
  const [head, ...tail] = parts;
  if (head === 'limits' && method === 'GET' && tail.length === 0) return { status: 200, json: limits(ctx) };
  const query = queryRoutes(ctx, request, version, parts);
  if (query) return query;
  if (head === 'tooling' && tail[0] === 'sobjects' && tail.length >= 2) return sobjectRoutes(ctx, request, tail.slice(1));

  if (head === 'composite' && tail[0] === 'sobjects' && tail.length === 1) {
    if (method === 'POST') return collectionCreate(ctx, request);
    if (method === 'PATCH') return collectionUpdate(ctx, request);
    if (method === 'DELETE') return collectionDelete(ctx, request);
    throw methodNotAllowed(method, 'POST,PATCH,DELETE');
  }
  if (head === 'sobjects') {
    if (tail.length === 0 && method === 'GET') return describeGlobal(ctx);
    if (tail.length >= 1) return sobjectRoutes(ctx, request, tail);
  }
  throw notFound();
}

/** query, queryAll and tooling/query (tooling serves the same store); undefined when the path is not a query. */
function queryRoutes(ctx: SimContext, request: SimRequest, version: string, parts: string[]): SimResponse | undefined {
  const isTooling = parts[0] === 'tooling';
  const queryParts = isTooling ? parts.slice(1) : parts;
  if ((queryParts[0] !== 'query' && queryParts[0] !== 'queryAll') || request.method !== 'GET') return undefined;
  const queryPath = `/services/data/v${version}${isTooling ? '/tooling' : ''}/${queryParts[0]}`;
  if (queryParts.length === 1) return handleQuery(ctx, request, queryPath);
  if (queryParts.length === 2) return handleQueryMore(ctx, queryParts[1], queryPath);
  return undefined;
}

function sobjectRoutes(ctx: SimContext, request: SimRequest, parts: string[]): SimResponse {
  const { method } = request;
  const [type, second, third] = parts;
  if (!ctx.schema.object(type)) throw notFound();
  if (parts.length === 1) {
    if (method === 'POST') return createOne(ctx, request, type);
    if (method === 'GET') return { status: 200, json: { objectDescribe: describe(ctx, type).json, recentItems: [] } };
    throw methodNotAllowed(method, 'GET,HEAD,POST');
  }
  if (parts.length === 2 && second === 'describe' && method === 'GET') return describe(ctx, type);
  if (parts.length === 2) {
    if (method === 'GET') return getRecord(ctx, request, type, second);
    if (method === 'PATCH') return updateOne(ctx, request, type, second);
    if (method === 'DELETE') return deleteOne(ctx, type, second);
    throw methodNotAllowed(method, 'GET,HEAD,PATCH,DELETE');
  }
  if (parts.length === 3 && third === 'LogFile' && method === 'GET' && ctx.schema.object(type)?.name === 'EventLogFile') return logFile(ctx, second);
  throw notFound();
}

/**
 * GET /sobjects/EventLogFile/{id}/LogFile: the CSV itself (REST API Developer Guide, "Event Log File"; public
 * clients download it with a bearer token and read a quoted header row, then one quoted row per event).
 */
function logFile(ctx: SimContext, id: string): SimResponse {
  const csv = ctx.store.deniedObjects.has('eventlogfile') ? undefined : ctx.store.logFile(id);
  if (csv === undefined) throw notFound();
  return { status: 200, text: csv, contentType: 'text/csv' };
}

function simRoutes(ctx: SimContext, request: SimRequest): SimResponse {
  if (request.path === '/__sim/requests' && request.method === 'GET') return { status: 200, json: ctx.requests };
  if (request.path === '/__sim/reset-requests' && request.method === 'POST') {
    ctx.requests.splice(0, ctx.requests.length);
    return { status: 204 };
  }
  throw notFound();
}

export function handleRest(ctx: SimContext, request: SimRequest): Promise<SimResponse> | SimResponse {
  const { path, method } = request;
  if (path === '/services/data') {
    if (method !== 'GET') throw methodNotAllowed(method, 'GET,HEAD');
    return { status: 200, json: versions() };
  }
  const match = VERSIONED.exec(path);
  if (match) {
    const major = Number(match[1]);
    if (!Number.isInteger(major) || major < 20 || major > 68) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return versioned(ctx, request, match[1], match[2] ?? '');
  }
  if (path === '/services/oauth2/userinfo' && (method === 'GET' || method === 'POST')) return { status: 200, json: userinfo(ctx) };
  const id = /^\/id\/(\w{15,18})\/(\w{15,18})$/.exec(path);
  if (id && method === 'GET') return { status: 200, json: identity(ctx, id[1], id[2]) };
  if (path.startsWith('/__sim/')) return simRoutes(ctx, request);
  throw notFound();
}
