/**
 * The one place that turns values into SOQL literals. Every value that reaches a query goes through
 * `quoteSoql` (or `soqlInList`, which uses it), so no caller ever interpolates raw text into SOQL.
 *
 * SOQL string literals are single-quoted and accept the escapes \n \r \t \b \f \" \' \\ (SOQL reference,
 * "Quoted String Escape Sequences"). Other control characters have no escape and cannot appear in a
 * username, name or id, so they are refused rather than guessed at.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'org');

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNESCAPABLE = /[\u0000-\u0007\u000b\u000e-\u001f\u007f]/;

/** A SOQL string literal for `value`, quotes included: `O'Brien` → `'O\'Brien'`. */
export const quoteSoql = (value: string): string => {
  if (UNESCAPABLE.test(value)) {
    throw messages.createError('error.UnquotableSoqlValue', [JSON.stringify(value)]);
  }
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => ESCAPES[ch])}'`;
};

/** A parenthesised, de-duplicated list of SOQL literals for `IN (…)`. An empty list has no SOQL form, so it throws. */
export const soqlInList = (values: Iterable<string>): string => {
  const unique = [...new Set(values)];
  if (unique.length === 0) throw messages.createError('error.EmptySoqlInList');
  return `(${unique.map(quoteSoql).join(', ')})`;
};
