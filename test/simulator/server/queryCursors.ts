/* Query result paging: a cursor per query that has more rows than one batch (jsforce follows `/query/<locator>`). */
import { makeId } from '../store.js';

type Cursor = { records: unknown[]; batchSize: number };

const MAX_CURSORS = 200;

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private sequence = 0;

  /** Stores the rows after the first batch; returns the locator. */
  public open(records: unknown[], batchSize: number): string {
    const locator = makeId('01g', ++this.sequence);
    this.cursors.set(locator, { records, batchSize });
    if (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    return locator;
  }

  public get(locator: string): Cursor | undefined {
    return this.cursors.get(locator);
  }
}

/** `Sforce-Query-Options: batchSize=N`: 200–2,000, default 2,000. */
export function batchSizeFrom(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  const match = /batchSize\s*=\s*(\d+)/i.exec(text);
  if (!match) return 2000;
  const n = Number(match[1]);
  return n >= 200 && n <= 2000 ? n : 2000;
}
