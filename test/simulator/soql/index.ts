/*
 * The simulator's SOQL engine: `executeSoql` for the HTTP layer, `runSoql` when the caller needs the COUNT() flag.
 */
import type { Schema } from '../schema.js';
import { type QueryRecord, type RowSource, type SoqlOptions, runSoql } from './execute.js';

export { SoqlError, type SoqlErrorCode } from './errors.js';
export { runSoql, likeToRegExp } from './execute.js';
export type { ChildQueryResult, QueryRecord, Row, RowSource, SoqlOptions, SoqlResult } from './execute.js';
export { parseSoql } from './parser.js';

/** Records of a query; `totalSize` is the row count (for `SELECT COUNT()` the records are empty and totalSize holds the count). */
export type SoqlRecords = QueryRecord[] & { totalSize: number; countOnly: boolean };

export function executeSoql(soql: string, schema: Schema, store: RowSource, options: SoqlOptions = {}): SoqlRecords {
  const result = runSoql(soql, schema, store, options);
  return Object.assign(result.records, { totalSize: result.totalSize, countOnly: result.countOnly });
}
