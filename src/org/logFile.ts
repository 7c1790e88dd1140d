/**
 * Streams one EventLogFile's CSV (`GET /sobjects/EventLogFile/{id}/LogFile`) into a CSV parser, row by row, so a
 * log file of any size costs the memory of one row. jsforce buffers whole bodies, so this one GET uses fetch with
 * the connection's current access token (never printed or stored). The request is counted and retried like every
 * org call until its headers arrive; a failure after that ends the file with the error.
 */
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';
import { orgCall } from './call.js';
import type { OrgContext } from './connection.js';

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** An error shaped like jsforce's (errorCode + name), so retry and the named org errors treat it the same way. */
const httpError = async (response: Response): Promise<Error> => {
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

/** The URL of a log file's content; the id is checked so nothing but an id reaches the path. */
export const logFileUrl = (ctx: OrgContext, id: string): string => {
  if (!RECORD_ID.test(id)) throw new Error(`Not a record id: ${JSON.stringify(id)}`);
  return `${ctx.conn.baseUrl()}/sobjects/EventLogFile/${id}/LogFile`;
};

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Drops the lines a caller does not want before the CSV parser sees them (most rows of an org's API log are other
 * users' calls): the first line (the header) and any line that `keep` accepts pass, and so does every line of a
 * record that a quoted value spreads over several lines (an odd count of `"` opens or closes one), so the parser
 * still sees whole records. Works on bytes: a line is never decoded unless `keep` decodes part of it, and a
 * multi-byte character split between two chunks reaches the parser whole.
 */
export const lineFilter = (keep: (line: Buffer) => boolean): Transform => {
  let rest: Buffer | undefined;
  let header = true;
  let inRecord = false;
  const pass = (line: Buffer, quotes: number): boolean => {
    const spans = inRecord;
    if (quotes % 2 === 1) inRecord = !inRecord;
    if (header) {
      if (!inRecord) header = false;
      return true;
    }
    return spans || inRecord || keep(line);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done): void {
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      const out: Buffer[] = [];
      let start = 0;
      let quotes = 0;
      for (let i = 0; i < data.length; i++) {
        const byte = data[i];
        if (byte === QUOTE) quotes++;
        else if (byte === NEWLINE) {
          const line = data.subarray(start, i + 1);
          if (pass(line, quotes)) out.push(line);
          start = i + 1;
          quotes = 0;
        }
      }
      rest = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
      done(null, out.length > 0 ? Buffer.concat(out) : undefined);
    },
    flush(done): void {
      if (!rest) return done();
      let quotes = 0;
      for (const byte of rest) if (byte === QUOTE) quotes++;
      done(null, pass(rest, quotes) ? rest : undefined);
    },
  });
};

/**
 * Calls `onRow(header, row)` for every data row of the log file (the header row is parsed first). Salesforce
 * quotes every value; the parser also accepts unquoted ones and a BOM. `keepLine`, when given, lets rows that
 * cannot concern the caller be skipped before parsing (see lineFilter).
 */
export const streamLogFile = async (
  ctx: OrgContext,
  id: string,
  onRow: (header: readonly string[], row: readonly string[]) => void,
  keepLine?: (line: Buffer) => boolean
): Promise<void> => {
  const url = logFileUrl(ctx, id);
  const body = await orgCall(ctx, async () => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${ctx.conn.accessToken ?? ''}`, Accept: 'text/csv' } });
    if (!response.ok) throw await httpError(response);
    if (!response.body) throw Object.assign(new Error('empty log file response'), { name: 'ERROR_HTTP_500', errorCode: 'ERROR_HTTP_500' });
    return response.body;
  });
  let header: string[] | undefined;
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  await pipeline(
    keepLine ? source.pipe(lineFilter(keepLine)) : source,
    parse({ bom: true, skipEmptyLines: true, relaxColumnCount: true }),
    new Writable({
      objectMode: true,
      write(row: string[], _encoding, done): void {
        try {
          if (header) onRow(header, row);
          else header = row;
          done();
        } catch (error) {
          done(error as Error);
        }
      },
    })
  );
};
