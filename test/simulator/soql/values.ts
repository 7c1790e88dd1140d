/*
 * How SOQL compares values: strings case-insensitively, Ids by their 15-character form, dates and datetimes as instants,
 * and date literals (TODAY, LAST_N_DAYS:n, …) as half-open ranges of time.
 */
import type { Literal } from './ast.js';

export type ValueCategory = 'id' | 'string' | 'boolean' | 'number' | 'date' | 'datetime' | 'other';

const STRING_TYPES = new Set([
  'string', 'picklist', 'multipicklist', 'textarea', 'email', 'phone', 'url', 'combobox', 'encryptedstring',
]);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

export function categoryOf(fieldType: string): ValueCategory {
  if (fieldType === 'id' || fieldType === 'reference') return 'id';
  if (STRING_TYPES.has(fieldType)) return 'string';
  if (fieldType === 'boolean') return 'boolean';
  if (NUMBER_TYPES.has(fieldType)) return 'number';
  if (fieldType === 'date') return 'date';
  if (fieldType === 'datetime') return 'datetime';
  return 'other';
}

/** A comparable form of a stored or literal value; null stays null. */
export type Comparable = string | number | boolean | null;

const DAY_MS = 86_400_000;

/** Parses Salesforce datetime text (`2026-01-01T00:00:00.000+0000`, `…Z`, `…+01:00`) to epoch ms. */
export function parseDateTime(text: string): number {
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`; // no zone: UTC, never the machine's
  return Date.parse(withZone.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

export function parseDate(text: string): number {
  return Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
}

/** The comparable form of a value read from a row. */
export function normalise(value: unknown, category: ValueCategory): Comparable {
  // a checkbox is never null in Salesforce: a row without the value reads as unchecked
  if (category === 'boolean') return value === true || value === 'true';
  if (value === null || value === undefined) return null;
  switch (category) {
    case 'id':
      return String(value).slice(0, 15);
    case 'string':
      // Salesforce stores an empty text value as null, so `Name = ''` and `Name = null` are the same test
      return value === '' ? null : String(value).toLowerCase();
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return parseDate(String(value));
    case 'datetime':
      return typeof value === 'number' ? value : parseDateTime(String(value));
    default:
      return typeof value === 'string' ? value.toLowerCase() : (value as Comparable);
  }
}

/** The half-open range [start, end) in epoch ms that a date literal covers, in UTC (the simulated user's time zone). */
export function dateLiteralRange(literal: Extract<Literal, { kind: 'dateLiteral' }>, now: Date): { start: number; end: number } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const n = literal.n ?? 0;
  switch (literal.name) {
    case 'TODAY':
      return { start: today, end: today + DAY_MS };
    case 'YESTERDAY':
      return { start: today - DAY_MS, end: today };
    case 'TOMORROW':
      return { start: today + DAY_MS, end: today + 2 * DAY_MS };
    case 'LAST_N_DAYS':
      // starts n days ago at 00:00 and runs through the end of today
      return { start: today - n * DAY_MS, end: today + DAY_MS };
    case 'NEXT_N_DAYS':
      return { start: today + DAY_MS, end: today + (n + 1) * DAY_MS };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY_MS, end: today - (n - 1) * DAY_MS };
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY_MS, end: today + DAY_MS };
    case 'NEXT_90_DAYS':
      return { start: today + DAY_MS, end: today + 91 * DAY_MS };
    case 'THIS_MONTH':
      return monthRange(now, 0, 1);
    case 'LAST_MONTH':
      return monthRange(now, -1, 1);
    case 'NEXT_MONTH':
      return monthRange(now, 1, 1);
    case 'LAST_N_MONTHS':
      // the n whole months before the current one
      return { start: monthRange(now, -n, 1).start, end: monthRange(now, 0, 1).start };
    case 'THIS_YEAR':
      return { start: Date.UTC(now.getUTCFullYear(), 0, 1), end: Date.UTC(now.getUTCFullYear() + 1, 0, 1) };
    case 'LAST_YEAR':
      return { start: Date.UTC(now.getUTCFullYear() - 1, 0, 1), end: Date.UTC(now.getUTCFullYear(), 0, 1) };
    default:
      throw new Error(`unsupported date literal ${literal.name}`);
  }
}

/** The `count` calendar months starting `offset` months from the current one, in UTC. */
function monthRange(now: Date, offset: number, count: number): { start: number; end: number } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + offset;
  return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + count, 1) };
}

/** Total order on non-null comparables of one category. */
export function compareValues(a: Exclude<Comparable, null>, b: Exclude<Comparable, null>): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
