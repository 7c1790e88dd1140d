/*
 * Aggregate queries: GROUP BY and COUNT / COUNT_DISTINCT / MAX / MIN / SUM / AVG, returned as AggregateResult records
 * (grouped fields under their own name, aggregates under their alias or expr0, expr1, … in SELECT order).
 */
import type { AggregateFunction } from './ast.js';
import { type Comparable, type ValueCategory, compareValues, normalise } from './values.js';

export type AggregatePath = {
  category: ValueCategory;
  read: (row: Record<string, unknown>) => unknown;
};

export type AggregateColumn = { key: string; fn: AggregateFunction; path?: AggregatePath };

/** Which field categories each function accepts (undefined: any). */
export const AGGREGATE_CATEGORIES: Partial<Record<AggregateFunction, ValueCategory[]>> = {
  SUM: ['number'],
  AVG: ['number'],
  MAX: ['number', 'date', 'datetime', 'string', 'id'],
  MIN: ['number', 'date', 'datetime', 'string', 'id'],
};

/** The value of one aggregate column over the rows of a group. */
export function aggregateValue(column: AggregateColumn, rows: Array<Record<string, unknown>>): unknown {
  const { fn, path } = column;
  if (!path) return rows.length;
  const values = rows.map((row) => path.read(row)).filter((v) => v !== null && v !== undefined);
  switch (fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => normalise(v, path.category))).size;
    case 'SUM':
      return values.length ? values.reduce<number>((sum, v) => sum + Number(v), 0) : null;
    case 'AVG':
      return values.length ? values.reduce<number>((sum, v) => sum + Number(v), 0) / values.length : null;
    case 'MAX':
    case 'MIN':
      return extreme(values, path.category, fn === 'MAX' ? 1 : -1);
  }
}

/** The stored value whose comparable form is largest (direction 1) or smallest (-1); returned as stored. */
function extreme(values: unknown[], category: ValueCategory, direction: 1 | -1): unknown {
  let best: unknown = null;
  let bestKey: Comparable = null;
  for (const value of values) {
    const key = normalise(value, category);
    if (key === null) continue;
    if (bestKey === null || compareValues(key, bestKey) * direction > 0) {
      best = value;
      bestKey = key;
    }
  }
  return best;
}
