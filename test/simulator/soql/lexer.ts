/*
 * SOQL tokenizer. Strings keep both their unescaped value and their raw text (LIKE needs `\%` and `\_`).
 * An unterminated string or a bad escape fails here, as in a real org, which is what makes injection tests meaningful.
 */
import { SoqlError, positionedError, rowColumn } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';

export type Token = {
  kind: TokenKind;
  /** Identifier as written, unescaped string value, number text, date text, operator or punctuation. */
  text: string;
  /** For strings: the text between the quotes, escapes untouched. */
  raw?: string;
  offset: number;
  /** Characters the token spans in the query text. */
  length: number;
};

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };
// `\%` and `\_` are only meaningful in LIKE; elsewhere they stand for the character itself
const LIKE_ESCAPES = new Set(['%', '_']);

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:])/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(?![\w])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    if (/\s/.test(soql[i])) {
      i++;
      continue;
    }
    const token = soql[i] === "'" ? readString(soql, i) : readOther(soql, i, tokens[tokens.length - 1]);
    tokens.push(token);
    i = token.offset + token.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', offset: soql.length, length: 0 });
  return tokens;
}

/** Dates before numbers before identifiers before operators: the first pattern that matches wins. */
function readOther(soql: string, i: number, previous: Token | undefined): Token {
  const rest = soql.slice(i, i + 64);
  const at = (kind: TokenKind, text: string): Token => ({ kind, text, offset: i, length: text.length });
  const datetime = DATETIME.exec(rest);
  if (datetime) return at('datetime', datetime[0]);
  const date = DATE.exec(rest);
  if (date) return at('date', date[0]);
  const number = NUMBER.exec(rest);
  // a sign belongs to a number only where a value is expected (after an operator, `(` or `,`)
  const signAllowed = previous !== undefined && (previous.kind === 'op' || previous.text === '(' || previous.text === ',');
  if (number && (!/^[+-]/.test(number[0]) || signAllowed)) return at('number', number[0]);
  const ident = IDENT.exec(rest);
  if (ident) return at('ident', ident[0]);
  const twoChar = soql.slice(i, i + 2);
  if (['!=', '<>', '<=', '>='].includes(twoChar)) return at('op', twoChar);
  if ('=<>'.includes(soql[i])) return at('op', soql[i]);
  if ('(),.:'.includes(soql[i])) return at('punct', soql[i]);
  throw positionedError('MALFORMED_QUERY', soql, i, `unexpected token: '${soql[i]}'`);
}

function readString(soql: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const ch = soql[i];
    if (ch === "'") {
      return { kind: 'string', text: value, raw: soql.slice(start + 1, i), offset: start, length: i + 1 - start };
    }
    if (ch === '\\') {
      const next = soql[i + 1];
      if (next !== undefined && next in SIMPLE_ESCAPES) value += SIMPLE_ESCAPES[next];
      else if (next !== undefined && LIKE_ESCAPES.has(next)) value += next;
      else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(soql.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(soql.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      } else {
        const literal = soql.slice(start, Math.min(soql.length, i + 2));
        throw new SoqlError(
          'MALFORMED_QUERY',
          `Invalid string literal '${literal.slice(1)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`
        );
      }
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  // a real org's lexer reports the end of input: "line 1:N mismatched character '<EOF>' expecting '''"
  const { row, column } = rowColumn(soql, soql.length);
  throw new SoqlError('MALFORMED_QUERY', `line ${row}:${column - 1} mismatched character '<EOF>' expecting '''`);
}
