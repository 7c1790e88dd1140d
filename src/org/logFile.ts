/**
 * Streams one EventLogFile's CSV (`GET /sobjects/EventLogFile/{id}/LogFile`) row by row, so a log file of any size
 * costs the memory of one chunk and one record. jsforce buffers whole bodies, so this one GET uses undici's fetch (the
 * copy jsforce itself loads) with the connection's current access token (never printed or stored), through the proxy
 * jsforce would use (proxyOf). The request is counted and retried like every org
 * call until its headers arrive; a failure after that ends the file with the error.
 *
 * Parsing: csv-parse stays the parser of record. Salesforce writes every value of a log file in double quotes with
 * no quote inside (`"ApiTotalUsage","20261126…","005…",""`, LF line ends); a record proven to have exactly that
 * shape (one linear regular expression) is split at `","` here, and every other record (an escaped `""`, unquoted
 * values, anything odd) goes whole to csv-parse's sync API with the stream parser's options (BOM, empty lines
 * skipped, relaxed column counts, the file's record delimiter). Why not csv-parse alone: the audit reads 30 daily
 * files of ~950 KB / 3,600 rows in a fresh, cold process, where csv-parse's stream costs ~50 ms of CPU a file
 * (~14 µs a row) and a per-byte JS scan that skipped other users' rows before parsing ran 3–4 times slower cold than
 * warm. Records found by native string search over the bytes read as latin1 (string offsets are byte offsets; a kept
 * record is decoded as UTF-8) cost ~4 ms a file: 30 files in a fresh process, filtered to the audited users' rows,
 * took 545 ms (594 ms CPU) with the byte scan and csv-parse, 127 ms (127 ms CPU) this way (best of 5, load 4–5;
 * test/bench/logFile.bench.ts). test/unit/org/logFile.test.ts checks that rows equal csv-parse's on generated files
 * of every shape, cut into chunks anywhere.
 */
import { CsvError, parse as parseSync } from 'csv-parse/sync';
import { fetch, ProxyAgent, type Dispatcher } from 'undici';
import { orgCall } from './call.js';
import { orgMessages } from './errors.js';
import type { OrgContext } from './connection.js';

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** An error shaped like jsforce's (errorCode + name), so retry and the named org errors treat it the same way. */
const httpError = async (response: Pick<Response, 'status' | 'json'>): Promise<Error> => {
  let errorCode = `ERROR_HTTP_${response.status}`;
  let message = `HTTP ${response.status}`;
  try {
    const body: unknown = await response.json();
    const first = (Array.isArray(body) ? body[0] : body) as { errorCode?: unknown; message?: unknown } | undefined;
    if (typeof first?.errorCode === 'string') errorCode = first.errorCode;
    if (typeof first?.message === 'string') message = first.message;
  } catch {
    // not JSON: keep the status
  }
  return Object.assign(new Error(message), { name: errorCode, errorCode });
};

/**
 * The proxy sf's own requests go through, if any: jsforce (through @salesforce/core) sends every org request through
 * an undici ProxyAgent for the first of https_proxy, http_proxy, HTTPS_PROXY, HTTP_PROXY that is set
 * (@jsforce/jsforce-node lib/transport.js and lib/request.js), the variables sf documents for a corporate proxy. The log
 * file download takes the same way, so it works wherever the audit's queries do.
 */
export const proxyOf = (env: NodeJS.ProcessEnv): string | undefined => env.https_proxy ?? env.http_proxy ?? env.HTTPS_PROXY ?? env.HTTP_PROXY ?? undefined;

/** One ProxyAgent per proxy URL for the process (it keeps the tunnels' connections). */
const proxyAgents = new Map<string, Dispatcher>();
const dispatcherFor = (proxy: string | undefined): Dispatcher | undefined => {
  if (!proxy) return undefined;
  let agent = proxyAgents.get(proxy);
  if (!agent) {
    agent = new ProxyAgent({ uri: proxy, requestTls: { allowH2: false } });
    proxyAgents.set(proxy, agent);
  }
  return agent;
};

/** The URL of a log file's content; the id is checked so nothing but an id reaches the path. */
export const logFileUrl = (ctx: OrgContext, id: string): string => {
  if (!RECORD_ID.test(id)) throw new Error(`Not a record id: ${JSON.stringify(id)}`);
  return `${ctx.conn.baseUrl()}/sobjects/EventLogFile/${id}/LogFile`;
};

/** A record longer than this (bytes) ends the file with an error: a quote that never closes would otherwise hold the rest of the file. */
export const MAX_LOG_RECORD_BYTES = 1 << 20;

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** One record in Salesforce's shape: every value quoted, no quote inside (a quoted value may hold line breaks). */
const SIMPLE_LF = /"[^"]*"(?:,"[^"]*")*\n/y;
const SIMPLE_CRLF = /"[^"]*"(?:,"[^"]*")*\r\n/y;

export type LogCsvReader = {
  /** The next bytes of the file. */
  push(chunk: Uint8Array): void;
  /** The end of the file (a last record without a line break is read here). */
  end(): void;
};

/** A record grew past MAX_LOG_RECORD_BYTES: a named error whose code the load reports (see src/evidence/load.ts). */
const recordTooLarge = (file: string): Error =>
  Object.assign(orgMessages.createError('error.LogRecordTooLarge', [file, MAX_LOG_RECORD_BYTES]), { errorCode: 'LOG_RECORD_TOO_LARGE' });

/**
 * Reads a log file's CSV from its bytes: `onRow(header, row)` for every data row, the header being the first
 * non-empty record. `keep`, when given, sees each data record's raw text (its bytes as latin1, line break included)
 * before anything else is done with it; a record it refuses is never decoded nor parsed (most rows of an org's API
 * log are other users' calls). Records end at a line break outside quotes; the file's first one tells LF from CRLF,
 * as csv-parse's record delimiter discovery does.
 */
export const logCsvReader = (
  onRow: (header: readonly string[], row: readonly string[]) => void,
  keep?: (record: string) => boolean,
  file = 'EventLogFile'
): LogCsvReader => {
  let pending: Buffer | undefined; // the bytes of the record not yet complete, from its start
  let scanned = 0; // how far into `pending` lines were searched (the start of its unfinished line)
  let odd = false; // whether the scanned part of `pending` holds an odd count of quotes
  let started = false;
  let crlf: boolean | undefined;
  let header: string[] | undefined;

  let records = 0; // records read so far, the header included: where an error is

  /**
   * Rows of a record not in Salesforce's shape, by csv-parse with the stream parser's options (the BOM is gone). Its
   * errors keep their code (CSV_QUOTE_NOT_CLOSED, …) as the error code the load reports, and say which record.
   */
  const parseOther = (text: string): string[][] => {
    try {
      return parseSync(text, { relaxColumnCount: true, skipEmptyLines: true, ...(crlf === undefined ? {} : { recordDelimiter: crlf ? '\r\n' : '\n' }) });
    } catch (error) {
      if (error instanceof CsvError) Object.assign(error, { errorCode: error.code, message: `${file}, record ${records}: ${error.message}` });
      throw error;
    }
  };

  const emit = (rows: string[][]): void => {
    for (const row of rows) {
      if (header) onRow(header, row);
      else header = row;
    }
  };

  /** One whole record: bytes [start, end) of `data`, `text` the same as latin1; `simple` when in Salesforce's shape. */
  const record = (data: Buffer, text: string, start: number, end: number, simple: boolean): void => {
    records++;
    if (header && keep && !keep(text.slice(start, end))) return;
    const value = data.toString('utf8', start, end);
    if (simple) emit([value.slice(1, crlf ? -3 : -2).split('","')]);
    else emit(parseOther(value));
  };

  // Where the search for the current record's end stands, in the text being read (see read).
  let scan = 0;
  let quotes = false; // an odd count of quotes since the record's start (up to `scan`)
  let nextQuote = -1; // the first quote at or after the last quote search (no stretch is searched twice)

  /**
   * The end of the record at `start` if it is in Salesforce's shape and whole in `text`, else -1. Before the file's
   * line break is known, the shape tells it: such a record's only line break outside quotes is its own.
   */
  const simpleRecordEnd = (text: string, start: number): number => {
    for (const simple of crlf === undefined ? [SIMPLE_LF, SIMPLE_CRLF] : [crlf ? SIMPLE_CRLF : SIMPLE_LF]) {
      simple.lastIndex = start;
      if (simple.test(text)) {
        crlf = simple === SIMPLE_CRLF;
        return simple.lastIndex;
      }
    }
    return -1;
  };

  /** The end of the record at `start` (after its line break), line by line from `scan`; -1 if `text` ends first. */
  const lineRecordEnd = (text: string): number => {
    for (let lineEnd = text.indexOf('\n', scan); lineEnd >= 0; lineEnd = text.indexOf('\n', scan)) {
      if (nextQuote < scan) nextQuote = text.indexOf('"', scan);
      while (nextQuote >= 0 && nextQuote < lineEnd) {
        quotes = !quotes;
        nextQuote = text.indexOf('"', nextQuote + 1);
      }
      if (nextQuote < 0) nextQuote = text.length;
      scan = lineEnd + 1;
      if (quotes) continue; // a quoted value goes on over the line break
      const cr = text.charCodeAt(lineEnd - 1) === 0x0d;
      crlf ??= cr;
      if (cr || !crlf) return scan; // a lone LF ends no record in a CRLF file
    }
    return -1;
  };

  /** The records of `data` (the pending record's bytes, then the new chunk); keeps what is left for the next chunk. */
  const read = (data: Buffer, last: boolean): void => {
    const text = data.toString('latin1');
    let start = 0;
    scan = scanned;
    quotes = odd;
    nextQuote = -1;
    while (start < text.length) {
      const simpleEnd = scan === start ? simpleRecordEnd(text, start) : -1;
      const end = simpleEnd >= 0 ? simpleEnd : lineRecordEnd(text);
      if (end < 0) break;
      if (end - start > (crlf ? 2 : 1)) record(data, text, start, end, simpleEnd >= 0); // an empty line is no record
      start = scan = end;
    }
    if (last) {
      if (start < text.length) record(data, text, start, text.length, false);
      pending = undefined;
      return;
    }
    if (text.length - start > MAX_LOG_RECORD_BYTES) throw recordTooLarge(file);
    pending = start < text.length ? Buffer.from(data.subarray(start)) : undefined;
    scanned = scan - start;
    odd = quotes;
  };

  return {
    push(chunk: Uint8Array): void {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let data = pending ? Buffer.concat([pending, bytes]) : bytes;
      if (!started) {
        // A BOM opens the file (csv-parse's `bom`): wait for its three bytes, then drop them.
        if (data.length < UTF8_BOM.length) {
          pending = Buffer.from(data);
          return;
        }
        started = true;
        if (UTF8_BOM.every((byte, i) => data[i] === byte)) data = data.subarray(UTF8_BOM.length);
      }
      read(data, false);
    },
    end(): void {
      let data = pending ?? Buffer.alloc(0);
      if (!started && data.length === UTF8_BOM.length && UTF8_BOM.every((byte, i) => data[i] === byte)) data = data.subarray(3);
      started = true;
      read(data, true);
    },
  };
};

/**
 * Calls `onRow(header, row)` for every data row of the log file (see logCsvReader). `keep`, when given, lets records
 * that cannot concern the caller be skipped before they are decoded or parsed.
 */
export const streamLogFile = async (
  ctx: OrgContext,
  id: string,
  onRow: (header: readonly string[], row: readonly string[]) => void,
  keep?: (record: string) => boolean
): Promise<void> => {
  const url = logFileUrl(ctx, id);
  const body: ReadableStream<Uint8Array> = await orgCall(ctx, async () => {
    const dispatcher = dispatcherFor(proxyOf(process.env));
    const response = await fetch(url, { headers: { Authorization: `Bearer ${ctx.conn.accessToken ?? ''}`, Accept: 'text/csv' }, ...(dispatcher ? { dispatcher } : {}) });
    if (!response.ok) throw await httpError(response);
    if (!response.body) throw Object.assign(new Error('empty log file response'), { name: 'ERROR_HTTP_500', errorCode: 'ERROR_HTTP_500' });
    return response.body;
  });
  const reader = logCsvReader(onRow, keep, `EventLogFile ${id}`);
  // Leaving the loop early (an error) cancels the response body.
  for await (const chunk of body) reader.push(chunk);
  reader.end();
};
