/**
 * Streams one EventLogFile's CSV (`GET /sobjects/EventLogFile/{id}/LogFile`) into a CSV parser, row by row, so a
 * log file of any size costs the memory of one row. jsforce buffers whole bodies, so this one GET uses fetch with
 * the connection's current access token (never printed or stored). The request is counted and retried like every
 * org call until its headers arrive; a failure after that ends the file with the error.
 */
import { Readable, Writable } from 'node:stream';
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

/**
 * Calls `onRow(header, row)` for every data row of the log file (the header row is parsed first). Salesforce
 * quotes every value; the parser also accepts unquoted ones and a BOM.
 */
export const streamLogFile = async (
  ctx: OrgContext,
  id: string,
  onRow: (header: readonly string[], row: readonly string[]) => void
): Promise<void> => {
  const url = logFileUrl(ctx, id);
  const body = await orgCall(ctx, async () => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${ctx.conn.accessToken ?? ''}`, Accept: 'text/csv' } });
    if (!response.ok) throw await httpError(response);
    if (!response.body) throw Object.assign(new Error('empty log file response'), { name: 'ERROR_HTTP_500', errorCode: 'ERROR_HTTP_500' });
    return response.body;
  });
  let header: string[] | undefined;
  await pipeline(
    Readable.fromWeb(body as WebReadableStream<Uint8Array>),
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
