/*
 * Recursive-descent SOQL parser for the subset an sf plugin sends. Syntax errors come back as MALFORMED_QUERY with a
 * real org's positioned "unexpected token" message. Mixing AND and OR without parentheses is a syntax error in SOQL.
 */
import type { AggregateFunction, ComparisonOperator, Condition, FieldPath, Literal, OrderItem, Query, SelectItem } from './ast.js';
import { SoqlError, positionedError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const RESERVED = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'like', 'order', 'group', 'having', 'limit', 'offset',
  'with', 'for', 'using', 'null', 'true', 'false', 'includes', 'excludes', 'typeof', 'by',
]);

const AGGREGATE_FUNCTIONS = new Set<AggregateFunction>(['COUNT', 'COUNT_DISTINCT', 'MAX', 'MIN', 'SUM', 'AVG']);

// Date literals that take no argument, and those written NAME:n.
const DATE_LITERALS = new Set([
  'TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_90_DAYS', 'NEXT_90_DAYS', 'THIS_MONTH', 'LAST_MONTH', 'NEXT_MONTH', 'THIS_YEAR', 'LAST_YEAR',
]);
const DATE_LITERALS_N = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO', 'LAST_N_MONTHS']);

// OFFSET beyond this is refused by a real org; large result sets must page through nextRecordsUrl
const MAX_OFFSET = 2000;

type QueryContext = 'top' | 'child' | 'semijoin';

export function parseSoql(soql: string): Query {
  return new Parser(soql, tokenize(soql)).parseTopLevel();
}

class Parser {
  private position = 0;

  public constructor(private readonly soql: string, private readonly tokens: Token[]) {}

  public parseTopLevel(): Query {
    const query = this.parseQuery('top');
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return query;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position++;
    return token;
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'ident' && token.text.toLowerCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.position++;
    return true;
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.unexpected();
    return this.next();
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): Token {
    if (!this.isPunct(text)) throw this.unexpected();
    return this.next();
  }

  private unexpected(token: Token = this.peek()): SoqlError {
    const shown = token.kind === 'string' ? token.raw ?? token.text : token.text;
    return positionedError('MALFORMED_QUERY', this.soql, token.offset, `unexpected token: '${shown}'`);
  }

  private parseQuery(context: QueryContext): Query {
    const start = this.expectKeyword('select').offset;
    const select = this.parseSelectList(context);
    const countOnly = select.length === 1 && select[0].kind === 'aggregate' && !select[0].path;
    if (!countOnly && select.some((item) => item.kind === 'aggregate' && !item.path)) {
      const item = select.find((i) => i.kind === 'aggregate' && !i.path)!;
      throw positionedError('MALFORMED_QUERY', this.soql, item.kind === 'aggregate' ? item.offset : start, 'COUNT() must be the only element in the SELECT list.');
    }
    this.expectKeyword('from');
    const fromToken = this.next();
    // object names are not reserved there: `FROM Order`, `FROM Group` are valid SOQL
    if (fromToken.kind !== 'ident') throw this.unexpected(fromToken);
    const from: Query['from'] = { name: fromToken.text, offset: fromToken.offset };
    if (this.peek().kind === 'ident' && !RESERVED.has(this.peek().text.toLowerCase())) from.alias = this.next().text;
    return { select, countOnly, from, start, ...this.parseClauses(context) };
  }

  /** WHERE, WITH, GROUP BY, ORDER BY, LIMIT, OFFSET and FOR, in the order SOQL requires. */
  private parseClauses(context: QueryContext): Pick<Query, 'where' | 'groupBy' | 'orderBy' | 'limit' | 'offset'> {
    const clauses: Pick<Query, 'where' | 'groupBy' | 'orderBy' | 'limit' | 'offset'> = { groupBy: [], orderBy: [] };
    if (this.isKeyword('using')) throw this.unexpected();
    if (this.acceptKeyword('where')) clauses.where = this.parseCondition();
    if (this.acceptKeyword('with')) {
      // WITH SECURITY_ENFORCED / USER_MODE / SYSTEM_MODE: no sharing model here, accepted as no-ops
      this.expectOneOf(['security_enforced', 'user_mode', 'system_mode']);
    }
    if (this.acceptKeyword('group')) {
      this.expectKeyword('by');
      clauses.groupBy = this.parsePathList();
      if (this.isKeyword('having')) throw this.unexpected();
    }
    if (this.acceptKeyword('order')) {
      this.expectKeyword('by');
      clauses.orderBy = this.parseOrderBy();
    }
    if (this.acceptKeyword('limit')) clauses.limit = this.parseCount();
    if (this.acceptKeyword('offset')) {
      const token = this.peek();
      clauses.offset = this.parseCount();
      if (clauses.offset > MAX_OFFSET) {
        throw positionedError('NUMBER_OUTSIDE_VALID_RANGE', this.soql, token.offset, `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
      }
    }
    if (context === 'top' && this.acceptKeyword('for')) this.expectOneOf(['view', 'reference', 'update']);
    return clauses;
  }

  private expectOneOf(words: string[]): Token {
    const token = this.next();
    if (token.kind !== 'ident' || !words.includes(token.text.toLowerCase())) throw this.unexpected(token);
    return token;
  }

  private parsePathList(): FieldPath[] {
    const paths = [this.parsePath()];
    while (this.isPunct(',')) {
      this.next();
      paths.push(this.parsePath());
    }
    return paths;
  }

  private parseCount(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected(token);
    return Number(token.text);
  }

  private parseSelectList(context: QueryContext): SelectItem[] {
    const items: SelectItem[] = [this.parseSelectItem(context)];
    while (this.isPunct(',')) {
      this.next();
      items.push(this.parseSelectItem(context));
    }
    return items;
  }

  private parseSelectItem(context: QueryContext): SelectItem {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === '(') {
      if (context !== 'top') throw this.unexpected();
      this.next();
      const query = this.parseQuery('child');
      this.expectPunct(')');
      return { kind: 'subquery', query, offset: token.offset };
    }
    if (token.kind === 'ident' && this.peek(1).text === '(' && this.peek(1).kind === 'punct') {
      const fn = token.text.toUpperCase() as AggregateFunction;
      // FIELDS(ALL), FORMAT(), toLabel(), … are beyond what the simulator needs
      if (!AGGREGATE_FUNCTIONS.has(fn)) throw this.unexpected();
      this.next();
      this.next();
      let path: FieldPath | undefined;
      // only COUNT may be empty: COUNT() counts rows
      if (!this.isPunct(')') || fn !== 'COUNT') path = this.parsePath();
      this.expectPunct(')');
      const item: SelectItem = { kind: 'aggregate', fn, offset: token.offset, ...(path ? { path } : {}) };
      if (path && this.peek().kind === 'ident' && !RESERVED.has(this.peek().text.toLowerCase())) item.alias = this.next().text;
      return item;
    }
    return { kind: 'field', path: this.parsePath() };
  }

  private parsePath(): FieldPath {
    const first = this.next();
    // a reserved word can still name a relationship (`Order.OrderNumber`), never a plain field
    const startsPath = this.isPunct('.');
    if (first.kind !== 'ident' || (RESERVED.has(first.text.toLowerCase()) && !startsPath)) throw this.unexpected(first);
    const segments = [first.text];
    while (this.isPunct('.')) {
      this.next();
      const segment = this.next();
      if (segment.kind !== 'ident') throw this.unexpected(segment);
      segments.push(segment.text);
    }
    return { segments, text: segments.join('.'), offset: first.offset };
  }

  private parseOrderBy(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.next();
      let aggregate: AggregateFunction | undefined;
      const token = this.peek();
      if (token.kind === 'ident' && AGGREGATE_FUNCTIONS.has(token.text.toUpperCase() as AggregateFunction) && this.peek(1).text === '(') {
        aggregate = token.text.toUpperCase() as AggregateFunction;
        this.next();
        this.next();
      }
      const path = this.parsePath();
      if (aggregate) this.expectPunct(')');
      let descending = false;
      if (this.acceptKeyword('desc')) descending = true;
      else this.acceptKeyword('asc');
      // Salesforce puts nulls first in ascending order and last in descending order unless told otherwise
      let nullsLast = descending;
      if (this.acceptKeyword('nulls')) {
        if (this.acceptKeyword('first')) nullsLast = false;
        else if (this.acceptKeyword('last')) nullsLast = true;
        else throw this.unexpected();
      }
      items.push({ path, descending, nullsLast, ...(aggregate ? { aggregate } : {}) });
    } while (this.isPunct(','));
    return items;
  }

  /** A sequence of terms joined by one kind of operator; switching between AND and OR needs parentheses. */
  private parseCondition(): Condition {
    const first = this.parseConditionTerm();
    const joiner = this.isKeyword('and') ? 'and' : this.isKeyword('or') ? 'or' : undefined;
    if (!joiner) return first;
    const items = [first];
    while (this.acceptKeyword(joiner)) items.push(this.parseConditionTerm());
    if (this.isKeyword(joiner === 'and' ? 'or' : 'and')) throw this.unexpected();
    return { kind: joiner, items };
  }

  private parseConditionTerm(): Condition {
    if (this.acceptKeyword('not')) return { kind: 'not', item: this.parseConditionTerm() };
    if (this.isPunct('(')) {
      this.next();
      const inner = this.parseCondition();
      this.expectPunct(')');
      return inner;
    }
    const path = this.parsePath();
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      const op = (token.text === '<>' ? '!=' : token.text) as ComparisonOperator;
      return { kind: 'compare', path, op, value: this.parseLiteral() };
    }
    if (this.acceptKeyword('like')) return { kind: 'like', path, value: this.parseLiteral() };
    let negated = false;
    if (this.isKeyword('not') && this.isKeyword('in', 1)) {
      this.next();
      negated = true;
    }
    if (this.acceptKeyword('in')) {
      this.expectPunct('(');
      if (this.isKeyword('select')) {
        const query = this.parseQuery('semijoin');
        this.expectPunct(')');
        return { kind: 'semijoin', path, negated, query };
      }
      const values = [this.parseLiteral()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', path, negated, values };
    }
    throw this.unexpected();
  }

  private parseLiteral(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, raw: token.raw ?? token.text, offset: token.offset };
      case 'number':
        return { kind: 'number', value: Number(token.text), offset: token.offset };
      case 'date':
        return { kind: 'date', text: token.text, offset: token.offset };
      case 'datetime':
        return { kind: 'datetime', text: token.text, offset: token.offset };
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null', offset: token.offset };
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE', offset: token.offset };
        if (DATE_LITERALS.has(word)) return { kind: 'dateLiteral', name: word, offset: token.offset };
        if (DATE_LITERALS_N.has(word)) {
          this.expectPunct(':');
          const n = this.parseCount();
          return { kind: 'dateLiteral', name: word, n, offset: token.offset };
        }
        throw this.unexpected(token);
      }
      default:
        throw this.unexpected(token);
    }
  }
}
