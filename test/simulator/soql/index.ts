/*
 * The simulator's SOQL engine: `executeSoql` (the contract's entry point) and `runSoql` (same, with the COUNT() flag).
 *
 * Supported: field paths of any depth, child subqueries by relationship name, COUNT() / COUNT(f) / COUNT_DISTINCT /
 * MAX / MIN / SUM / AVG with GROUP BY; WHERE with AND / OR / NOT, comparisons, LIKE, IN / NOT IN lists, semi- and
 * anti-joins, date and datetime literals, TODAY / YESTERDAY / TOMORROW / LAST_N_DAYS:n / NEXT_N_DAYS:n / N_DAYS_AGO:n /
 * LAST_90_DAYS / NEXT_90_DAYS / THIS_MONTH / LAST_MONTH / NEXT_MONTH / LAST_N_MONTHS:n / THIS_YEAR / LAST_YEAR;
 * ORDER BY (fields, paths, aggregates in GROUP BY queries) with NULLS FIRST/LAST; LIMIT; OFFSET (≤ 2,000);
 * WITH SECURITY_ENFORCED / USER_MODE and FOR VIEW / REFERENCE / UPDATE as no-ops.
 * Refused as MALFORMED_QUERY: TYPEOF, FIELDS(), HAVING, USING SCOPE, bind variables, functions other than aggregates.
 *
 * Simulator choices where Salesforce's exact behaviour is not on record here: date literals are evaluated in UTC (a
 * real org uses the running user's time zone); the wording of the aggregate-type and semi-join field errors.
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
