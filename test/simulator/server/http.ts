/*
 * The loopback HTTP server: normalises the request, checks the session, logs it, applies injected faults and
 * latency, and hands it to the REST or SOAP routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { soapCallName, soapFault, soapSessionId } from '../metadata/soap.js';
import { handleSoap } from '../metadata/soapRoutes.js';
import type { SimContext, SimRequest, SimResponse } from './context.js';
import { ApiError, invalidSession } from './errors.js';
import { faultMessage, matchesRequest, type HttpFault, type RequestFacts } from './faults.js';
import { handleRest, isCollectionsWrite } from './rest.js';

const SOAP_PATH = /^\/services\/Soap\/[mcu]\/\d+\.\d/;

/** URI plus headers may not exceed 16,384 bytes: 414 when the URI alone does, else 431 (help article 000386264). */
const MAX_REQUEST_LINE_AND_HEADERS = 16_384;

function sizeRefusal(req: IncomingMessage): SimResponse | undefined {
  const uriBytes = Buffer.byteLength(req.url ?? '');
  if (uriBytes > MAX_REQUEST_LINE_AND_HEADERS) return { status: 414, text: '<html><body>URI Too Long</body></html>', contentType: 'text/html' };
  let headerBytes = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) headerBytes += Buffer.byteLength(req.rawHeaders[i]) + Buffer.byteLength(req.rawHeaders[i + 1]) + 4;
  if (uriBytes + headerBytes > MAX_REQUEST_LINE_AND_HEADERS) return { status: 431, text: '<html><body>Request Header Fields Too Large</body></html>', contentType: 'text/html' };
  return undefined;
}

function normalisePath(rawPath: string): string {
  let path = rawPath.replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearerToken(request: SimRequest): string | undefined {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(value ?? '');
  return match?.[1]?.trim() ?? request.query.get('oauth_token') ?? undefined;
}

/** Only the versions list is public, as on a real instance. */
const isPublic = (request: SimRequest): boolean => request.method === 'GET' && request.path === '/services/data';

function faultResponse(fault: HttpFault, request: SimRequest, facts: RequestFacts): SimResponse {
  const message = faultMessage(fault);
  if (facts.soapCall !== undefined) return soapFault(fault.status, fault.errorCode, message);
  if (fault.errorCode === 'UNABLE_TO_LOCK_ROW' && isCollectionsWrite(request)) {
    // collections report a lock failure per record, with HTTP 200
    let count = 1;
    try {
      const parsed = JSON.parse(request.body || '{}') as { records?: unknown[] };
      count = parsed.records?.length ?? (request.query.get('ids') ?? '').split(',').filter(Boolean).length ?? 1;
    } catch {
      count = 1;
    }
    const result = Array.from({ length: Math.max(count, 1) }, () => ({ success: false, errors: [{ statusCode: fault.errorCode, message, fields: [] }] }));
    return { status: 200, json: result };
  }
  return { status: fault.status, json: new ApiError(fault.status, fault.errorCode, message).body() };
}

async function respond(ctx: SimContext, request: SimRequest): Promise<{ response: SimResponse; facts: RequestFacts }> {
  const isSoap = request.method === 'POST' && SOAP_PATH.test(request.path);
  const facts: RequestFacts = { method: request.method, path: request.path };
  if (isSoap) facts.soapCall = soapCallName(request.body) ?? '';
  if (/\/query$|\/queryAll$/.test(request.path) && request.query.has('q')) facts.soql = request.query.get('q') ?? undefined;

  if (!isPublic(request)) {
    const token = isSoap ? soapSessionId(request.body) : bearerToken(request);
    if (token !== ctx.accessToken) {
      if (isSoap) return { response: soapFault(500, 'INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session'), facts };
      return { response: { status: 401, json: invalidSession().body() }, facts };
    }
  }
  const fault = ctx.faults.takeHttp(facts);
  if (fault && !fault.afterCommit) return { response: faultResponse(fault, request, facts), facts };
  try {
    const response = isSoap ? await handleSoap(ctx, request, facts.soapCall ?? '') : await handleRest(ctx, request);
    // the write is committed; only its answer is lost
    if (fault) return { response: faultResponse(fault, request, facts), facts };
    return { response, facts };
  } catch (error) {
    if (error instanceof ApiError) return { response: { status: error.status, json: error.body() }, facts };
    const message = error instanceof Error ? error.message : String(error);
    if (isSoap) return { response: soapFault(500, 'UNKNOWN_EXCEPTION', message), facts };
    return { response: { status: 500, json: new ApiError(500, 'UNKNOWN_EXCEPTION', message).body() }, facts };
  }
}

function write(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload = '';
  if (response.text !== undefined) {
    payload = response.text;
    headers['content-type'] = response.contentType ?? 'text/plain;charset=UTF-8';
  } else if (response.json !== undefined) {
    payload = JSON.stringify(response.json);
    headers['content-type'] = 'application/json;charset=UTF-8';
  }
  headers['sforce-limit-info'] = 'api-usage=18/15000';
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function createSimServer(ctx: SimContext): Server {
  // node's own 16 KiB header limit would answer 431 before the org's own URI rule could apply
  return createServer({ maxHeaderSize: 65_536 }, (req, res) => {
    void (async (): Promise<void> => {
      const start = Math.round(performance.now() * 10) / 10;
      const rawUrl = req.url ?? '/';
      const at = rawUrl.indexOf('?');
      const path = normalisePath(at >= 0 ? rawUrl.slice(0, at) : rawUrl);
      const request: SimRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        query: new URLSearchParams(at >= 0 ? rawUrl.slice(at + 1) : ''),
        headers: req.headers,
        body: await readBody(req),
        version: /^\/services\/data\/v(\d+\.\d)/.exec(path)?.[1],
      };
      const refusal = sizeRefusal(req);
      const { response, facts } = refusal ? { response: refusal, facts: { method: request.method, path } } : await respond(ctx, request);
      const extraMs = ctx.slowRequests.filter((slow) => matchesRequest(slow.match, facts)).reduce((sum, slow) => sum + slow.extraMs, 0);
      if (ctx.latencyMs + extraMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.latencyMs + extraMs));
      if (!path.startsWith('/__sim/')) {
        ctx.requests.push({ method: request.method, path, ...(facts.soql !== undefined ? { soql: facts.soql } : {}), ...(facts.soapCall !== undefined ? { soapCall: facts.soapCall } : {}), status: response.status, start, end: Math.round(performance.now() * 10) / 10 });
      }
      write(res, response);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: String(error) }]));
    });
  });
}

export async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}
