/*
 * Checks a parsed query against the schema (as a real org does before running it), compiles it into closures, and
 * runs it over the store's rows. Semi-joins and child subqueries are evaluated once per query, not once per row.
 */
import type { FieldDescribe, Schema } from '../schema.js';
import type { Condition, FieldPath, Literal, Query } from './ast.js';
import {
  SoqlError,
  noSuchColumn,
  positionedError,
  unknownChildRelationship,
  unknownRelationship,
  unsupportedType,
} from './errors.js';
import { AGGREGATE_CATEGORIES, type AggregateColumn, aggregateValue } from './aggregate.js';
import { parseSoql } from './parser.js';
import {
  type Comparable,
  type ValueCategory,
  categoryOf,
  compareValues,
  dateLiteralRange,
  normalise,
  parseDate,
  parseDateTime,
} from './values.js';

export type Row = Record<string, unknown>;

/** What the engine needs from the store: live rows per object and a lookup by Id. */
export type RowSource = {
  rows(objectName: string): Row[];
  get(id: string): { object: string; row: Row } | undefined;
};

export type QueryRecord = { [field: string]: unknown; attributes: { type: string; url?: string } };

export type ChildQueryResult = { totalSize: number; done: true; records: QueryRecord[] };

export type SoqlOptions = {
  /** API version for the records' `attributes.url`, e.g. '66.0'. */
  apiVersion?: string;
  /** The current time for date literals such as TODAY and LAST_N_DAYS:n. */
  now?: Date;
};

export type SoqlResult = {
  /** Number of matching rows (after LIMIT/OFFSET); for `SELECT COUNT()` the count itself. */
  totalSize: number;
  records: QueryRecord[];
  /** True for `SELECT COUNT() …`: the response carries totalSize and no records. */
  countOnly: boolean;
};

type Context = {
  soql: string;
  schema: Schema;
  store: RowSource;
  apiVersion: string;
  now: Date;
  /** store.get memoised for the query: WHERE, ORDER BY and output read the same few parents for many rows. */
  lookup: (id: string) => { object: string; row: Row } | undefined;
};

function memoisedLookup(store: RowSource): Context['lookup'] {
  const cache = new Map<string, { object: string; row: Row } | undefined>();
  return (id) => {
    if (cache.has(id)) return cache.get(id);
    const found = store.get(id);
    cache.set(id, found);
    return found;
  };
}

type ResolvedPath = {
  path: FieldPath;
  field: FieldDescribe;
  category: ValueCategory;
  /** Reference fields followed from the queried row to the row that holds `field`. */
  steps: FieldDescribe[];
  read: (row: Row) => unknown;
};

type Predicate = (row: Row) => boolean;

/** Parses and runs a query. */
export function runSoql(soql: string, schema: Schema, store: RowSource, options: SoqlOptions = {}): SoqlResult {
  const ctx: Context = {
    soql,
    schema,
    store,
    apiVersion: options.apiVersion ?? '66.0',
    now: options.now ?? new Date(),
    lookup: memoisedLookup(store),
  };
  return compileQuery(ctx, parseSoql(soql)).run();
}

type CompiledQuery = {
  objectName: string;
  /** Matching rows in output order, after ORDER BY, OFFSET and LIMIT (not used for aggregate queries). */
  selectRows: () => Row[];
  run: () => SoqlResult;
  resolvedSelect: ResolvedPath[];
};

function compileQuery(ctx: Context, query: Query, childOf?: { objectName: string }): CompiledQuery {
  const objectName = resolveFrom(ctx, query, childOf);
  const resolve = (path: FieldPath): ResolvedPath => resolvePath(ctx, objectName, path, query.from.alias);
  const resolvedSelect: ResolvedPath[] = [];
  const output = new OutputTree();
  const aggregates: AggregateColumn[] = [];
  let exprIndex = 0;
  const selectedKeys = new Set<string>();
  for (const item of query.select) {
    if (item.kind === 'field') {
      const resolved = resolve(item.path);
      // a real org refuses the same column twice (docs: FIELDS() reference, "duplicate field selected: Id")
      if (selectedKeys.has(pathKey(resolved))) throw new SoqlError('INVALID_FIELD', `duplicate field selected: ${item.path.text}`);
      selectedKeys.add(pathKey(resolved));
      resolvedSelect.push(resolved);
      output.addPath(resolved);
    } else if (item.kind === 'aggregate') {
      if (item.path) {
        const path = resolve(item.path);
        const accepted = AGGREGATE_CATEGORIES[item.fn];
        if (accepted && !accepted.includes(path.category)) {
          // simulator wording: a real org refuses these too, its exact text is not on record here
          throw positionedError('MALFORMED_QUERY', ctx.soql, item.offset, `field ${path.field.name} does not support aggregate operator ${item.fn}`);
        }
        aggregates.push({ key: item.alias ?? `expr${exprIndex++}`, fn: item.fn, path });
      }
    } else {
      if (childOf) throw positionedError('MALFORMED_QUERY', ctx.soql, item.offset, "unexpected token: '('");
      output.addChild(compileChildQuery(ctx, objectName, item.query));
    }
  }
  // checked in the order a real org reports problems: SELECT list, then WHERE, GROUP BY, ORDER BY
  const where = query.where ? compileCondition(ctx, query.where, resolve) : undefined;
  const groupBy = query.groupBy.map(resolve);
  const orderBy = query.orderBy.map((item) => ({ ...item, resolved: resolve(item.path) }));
  const isAggregate = aggregates.length > 0 || groupBy.length > 0;
  if (isAggregate) checkGrouping(ctx, resolvedSelect, groupBy, orderBy, query);
  const orderedAggregate = orderBy.find((o) => o.aggregate);
  if (!isAggregate && orderedAggregate) {
    throw positionedError('MALFORMED_QUERY', ctx.soql, orderedAggregate.path.offset, `Ordered field must be grouped or aggregated: ${orderedAggregate.path.text}`);
  }
  const rowOrder: Array<SortKey<Row>> = orderBy.map((o) => ({
    ...o,
    key: (row: Row): Comparable => normalise(o.resolved.read(row), o.resolved.category),
  }));
  const groupOrder: Array<SortKey<Row[]>> = orderBy.map((o) => {
    const fn = o.aggregate;
    if (!fn) return { ...o, key: (group: Row[]): Comparable => normalise(o.resolved.read(group[0]), o.resolved.category) };
    const column: AggregateColumn = { key: '', fn, path: o.resolved };
    const category = fn === 'MAX' || fn === 'MIN' ? o.resolved.category : 'number';
    return { ...o, key: (group: Row[]): Comparable => normalise(aggregateValue(column, group), category) };
  });

  const filtered = (): Row[] => {
    const rows = ctx.store.rows(objectName);
    return where ? rows.filter(where) : rows.slice();
  };
  const page = <T>(items: T[]): T[] => {
    const start = query.offset ?? 0;
    return items.slice(start, query.limit === undefined ? undefined : start + query.limit);
  };
  const selectRows = (): Row[] => page(rowOrder.length ? sortBy(filtered(), rowOrder) : filtered());

  const run = (): SoqlResult => {
    if (query.countOnly) {
      return { totalSize: selectRows().length, records: [], countOnly: true };
    }
    if (isAggregate) {
      const records = page(aggregate(filtered(), groupBy, groupOrder, resolvedSelect, aggregates));
      return { totalSize: records.length, records, countOnly: false };
    }
    const rows = selectRows();
    const records = rows.map((row) => output.render(ctx, row, objectName));
    return { totalSize: records.length, records, countOnly: false };
  };
  return { objectName, selectRows, run, resolvedSelect };
}

function resolveFrom(ctx: Context, query: Query, childOf?: { objectName: string }): string {
  if (childOf) {
    const relationship = ctx.schema.childRelationship(childOf.objectName, query.from.name);
    if (!relationship) {
      throw positionedError('INVALID_TYPE', ctx.soql, query.from.offset, unknownChildRelationship(query.from.name));
    }
    return relationship.childObject;
  }
  const described = ctx.schema.object(query.from.name);
  if (!described) throw positionedError('INVALID_TYPE', ctx.soql, query.from.offset, unsupportedType(query.from.name));
  return described.name;
}

function resolvePath(ctx: Context, objectName: string, path: FieldPath, alias?: string): ResolvedPath {
  let segments = path.segments;
  if (segments.length > 1) {
    const first = segments[0].toLowerCase();
    // `FROM User u … u.Name`, and `SELECT User.Name FROM User` are both legal SOQL
    const isAlias = alias !== undefined && first === alias.toLowerCase();
    const isObjectName = first === objectName.toLowerCase() && !ctx.schema.parentRelationship(objectName, first);
    if (isAlias || isObjectName) segments = segments.slice(1);
  }
  let objects = [objectName];
  const steps: FieldDescribe[] = [];
  for (const segment of segments.slice(0, -1)) {
    const reference = firstDefined(objects, (o) => ctx.schema.parentRelationship(o, segment));
    const targets = (reference?.referenceTo ?? []).filter((o) => ctx.schema.object(o));
    if (!reference || targets.length === 0) {
      throw positionedError('INVALID_FIELD', ctx.soql, path.offset, unknownRelationship(segment));
    }
    steps.push(reference);
    objects = targets.map((o) => ctx.schema.object(o)!.name);
  }
  const last = segments[segments.length - 1];
  const field = firstDefined(objects, (o) => ctx.schema.field(o, last));
  if (!field) throw positionedError('INVALID_FIELD', ctx.soql, path.offset, noSuchColumn(last, objects[0]));
  const lookup = ctx.lookup;
  const read =
    steps.length === 0
      ? (row: Row): unknown => row[field.name] ?? null
      : (row: Row): unknown => {
          let current: Row | undefined = row;
          for (const step of steps) {
            const id: unknown = current[step.name];
            if (id === null || id === undefined) return null;
            current = lookup(String(id))?.row;
            if (!current) return null;
          }
          return current[field.name] ?? null;
        };
  return { path, field, category: categoryOf(field.type), steps, read };
}

function firstDefined<T>(objects: string[], find: (objectName: string) => T | undefined): T | undefined {
  for (const objectName of objects) {
    const found = find(objectName);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// WHERE

function compileCondition(ctx: Context, condition: Condition, resolve: (path: FieldPath) => ResolvedPath): Predicate {
  switch (condition.kind) {
    case 'and': {
      const items = condition.items.map((c) => compileCondition(ctx, c, resolve));
      return (row) => items.every((p) => p(row));
    }
    case 'or': {
      const items = condition.items.map((c) => compileCondition(ctx, c, resolve));
      return (row) => items.some((p) => p(row));
    }
    case 'not': {
      const item = compileCondition(ctx, condition.item, resolve);
      return (row) => !item(row);
    }
    case 'compare':
      return compileComparison(ctx, resolve(condition.path), condition.op, condition.value);
    case 'like':
      return compileLike(ctx, resolve(condition.path), condition.value);
    case 'in':
      return compileIn(ctx, resolve(condition.path), condition.values, condition.negated);
    case 'semijoin':
      return compileSemiJoin(ctx, resolve(condition.path), condition.query, condition.negated);
  }
}

const TYPE_WORDS: Record<ValueCategory, string> = {
  id: 'id',
  string: 'string',
  boolean: 'boolean',
  number: 'double',
  date: 'date',
  datetime: 'dateTime',
  other: 'string',
};

/** Rejects a literal of the wrong type for the field, with a real org's wording. */
function checkLiteral(ctx: Context, resolved: ResolvedPath, literal: Literal): void {
  if (literal.kind === 'null') return;
  const { category, field } = resolved;
  const accepted: Record<ValueCategory, Array<Literal['kind']>> = {
    id: ['string'],
    string: ['string'],
    boolean: ['boolean'],
    number: ['number'],
    date: ['date', 'dateLiteral'],
    datetime: ['datetime', 'dateLiteral'],
    other: ['string', 'number', 'boolean'],
  };
  if (!accepted[category].includes(literal.kind)) {
    const word = field.type === 'int' ? 'integer' : TYPE_WORDS[category];
    const quoting = category === 'string' || category === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
    throw positionedError(
      'INVALID_FIELD',
      ctx.soql,
      literal.offset,
      `value of filter criterion for field '${field.name}' must be of type ${word} and ${quoting}`
    );
  }
  if (category === 'id' && literal.kind === 'string' && !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(literal.value)) {
    throw positionedError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, literal.offset, `invalid ID field: ${literal.value}`);
  }
}

function literalValue(literal: Literal, category: ValueCategory): Comparable {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'string':
      return normalise(literal.value, category);
    case 'number':
    case 'boolean':
      return normalise(literal.value, category);
    case 'date':
      return parseDate(literal.text);
    case 'datetime':
      return parseDateTime(literal.text);
    case 'dateLiteral':
      throw new Error('date literals are ranges');
  }
}

function compileComparison(ctx: Context, resolved: ResolvedPath, op: string, literal: Literal): Predicate {
  checkLiteral(ctx, resolved, literal);
  const { read, category } = resolved;
  if (literal.kind === 'dateLiteral') {
    const { start, end } = dateLiteralRange(literal, ctx.now);
    const within = (v: Comparable): boolean => v !== null && (v as number) >= start && (v as number) < end;
    const tests: Record<string, (v: Comparable) => boolean> = {
      '=': within,
      '!=': (v) => !within(v),
      '<': (v) => v !== null && (v as number) < start,
      '<=': (v) => v !== null && (v as number) < end,
      '>': (v) => v !== null && (v as number) >= end,
      '>=': (v) => v !== null && (v as number) >= start,
    };
    const test = tests[op];
    return (row) => test(normalise(read(row), category));
  }
  const target = literalValue(literal, category);
  const equals = (v: Comparable): boolean => v === target;
  if (op === '=') return (row) => equals(normalise(read(row), category));
  if (op === '!=') return (row) => !equals(normalise(read(row), category));
  // ordering comparisons never match null, on either side
  const orderTest: Record<string, (c: number) => boolean> = {
    '<': (c) => c < 0,
    '<=': (c) => c <= 0,
    '>': (c) => c > 0,
    '>=': (c) => c >= 0,
  };
  const test = orderTest[op];
  return (row) => {
    const v = normalise(read(row), category);
    return v !== null && target !== null && test(compareValues(v, target));
  };
}

/** LIKE pattern → RegExp: `%` any run, `_` one character, `\%` and `\_` themselves; case-insensitive. */
export function likeToRegExp(raw: string): RegExp {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  let source = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && raw[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
      source += escapeRegExp(String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16)));
      i += 5;
    } else if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[++i];
      source += escapeRegExp(escapes[next] ?? next);
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, 'is');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compileLike(ctx: Context, resolved: ResolvedPath, literal: Literal): Predicate {
  if (literal.kind !== 'string') {
    throw positionedError('MALFORMED_QUERY', ctx.soql, literal.offset, `unexpected token: '${literalText(literal)}'`);
  }
  if (resolved.category !== 'string' && resolved.category !== 'id' && resolved.category !== 'other') {
    throw positionedError('INVALID_FIELD', ctx.soql, resolved.path.offset, `invalid operator on ${TYPE_WORDS[resolved.category]} field: ${resolved.field.name}`);
  }
  const pattern = likeToRegExp(literal.raw);
  const { read } = resolved;
  return (row) => {
    const value = read(row);
    return value !== null && value !== undefined && pattern.test(String(value));
  };
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'null':
      return 'null';
    case 'dateLiteral':
      return literal.name;
    case 'date':
    case 'datetime':
      return literal.text;
    default:
      return String(literal.value);
  }
}

function compileIn(ctx: Context, resolved: ResolvedPath, values: Literal[], negated: boolean): Predicate {
  const set = new Set<Comparable>();
  for (const literal of values) {
    if (literal.kind === 'dateLiteral') {
      throw positionedError('MALFORMED_QUERY', ctx.soql, literal.offset, `unexpected token: '${literal.name}'`);
    }
    checkLiteral(ctx, resolved, literal);
    set.add(literalValue(literal, resolved.category));
  }
  const { read, category } = resolved;
  return (row) => set.has(normalise(read(row), category)) !== negated;
}

function compileSemiJoin(ctx: Context, resolved: ResolvedPath, query: Query, negated: boolean): Predicate {
  if (resolved.category !== 'id') {
    throw positionedError(
      'INVALID_FIELD',
      ctx.soql,
      resolved.path.offset,
      `Invalid field in semi-join or anti-join: '${resolved.path.text}' must be an Id or a reference field.`
    );
  }
  if (query.select.length !== 1 || query.select[0].kind !== 'field' || query.countOnly) {
    throw positionedError('MALFORMED_QUERY', ctx.soql, query.start, 'The inner select field must be a single Id or reference field.');
  }
  const inner = compileQuery(ctx, query);
  const innerField = inner.resolvedSelect[0];
  if (innerField.category !== 'id') {
    throw positionedError(
      'INVALID_FIELD',
      ctx.soql,
      innerField.path.offset,
      `Invalid field in semi-join or anti-join: '${innerField.path.text}' must be an Id or a reference field.`
    );
  }
  let ids: Set<Comparable> | undefined;
  const { read } = resolved;
  return (row) => {
    // evaluated on first use, then shared by every outer row
    ids ??= new Set(inner.selectRows().map((r) => normalise(innerField.read(r), 'id')));
    const value = normalise(read(row), 'id');
    if (value === null) return negated;
    return ids.has(value) !== negated;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// ORDER BY and aggregates

/** One ORDER BY key over items of type T (rows, or groups of rows in an aggregate query). */
type SortKey<T> = { descending: boolean; nullsLast: boolean; key: (item: T) => Comparable };

function sortBy<T>(items: T[], orderBy: Array<SortKey<T>>): T[] {
  const width = orderBy.length;
  // keys in one flat array and a sort over indices: far less garbage than an object per item on 100k rows
  const keys: Comparable[] = new Array<Comparable>(items.length * width);
  for (let i = 0; i < items.length; i++) for (let k = 0; k < width; k++) keys[i * width + k] = orderBy[k].key(items[i]);
  const order = Array.from({ length: items.length }, (_, i) => i);
  order.sort((a, b) => {
    for (let k = 0; k < width; k++) {
      const c = compareSortKeys(keys[a * width + k], keys[b * width + k], orderBy[k]);
      if (c !== 0) return c;
    }
    return a - b;
  });
  return order.map((i) => items[i]);
}

function compareSortKeys<T>(a: Comparable, b: Comparable, order: SortKey<T>): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    const nullFirst = a === null ? -1 : 1;
    return order.nullsLast ? -nullFirst : nullFirst;
  }
  const c = compareValues(a, b);
  return order.descending ? -c : c;
}

function checkGrouping(
  ctx: Context,
  selected: ResolvedPath[],
  groupBy: ResolvedPath[],
  orderBy: Array<{ aggregate?: string; resolved: ResolvedPath }>,
  query: Query
): void {
  for (const item of query.select) {
    if (item.kind === 'subquery') {
      throw positionedError('MALFORMED_QUERY', ctx.soql, item.offset, 'Nested queries are not supported in aggregate queries.');
    }
  }
  const grouped = new Set(groupBy.map(pathKey));
  for (const resolved of selected) {
    if (!grouped.has(pathKey(resolved))) {
      throw positionedError('MALFORMED_QUERY', ctx.soql, resolved.path.offset, `Field must be grouped or aggregated: ${resolved.field.name}`);
    }
  }
  for (const { aggregate: fn, resolved } of orderBy) {
    if (!fn && !grouped.has(pathKey(resolved))) {
      throw positionedError('MALFORMED_QUERY', ctx.soql, resolved.path.offset, `Ordered field must be grouped or aggregated: ${resolved.field.name}`);
    }
  }
}

function pathKey(resolved: ResolvedPath): string {
  return [...resolved.steps.map((s) => s.name), resolved.field.name].join('.').toLowerCase();
}

function aggregate(
  rows: Row[],
  groupBy: ResolvedPath[],
  orderBy: Array<SortKey<Row[]>>,
  selected: ResolvedPath[],
  aggregates: AggregateColumn[]
): QueryRecord[] {
  const groups = new Map<string, Row[]>();
  if (groupBy.length === 0) groups.set('', rows);
  else {
    for (const row of rows) {
      const key = JSON.stringify(groupBy.map((g) => normalise(g.read(row), g.category)));
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
  }
  const ordered = orderBy.length ? sortBy([...groups.values()], orderBy) : [...groups.values()];
  return ordered.map((group) => {
    const record: QueryRecord = { attributes: { type: 'AggregateResult' } };
    for (const resolved of selected) record[resolved.field.name] = group.length ? resolved.read(group[0]) : null;
    for (const column of aggregates) record[column.key] = aggregateValue(column, group);
    return record;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Output

type CompiledChild = {
  key: string;
  query: Query;
  compiled: CompiledQuery;
  output: OutputTree;
  /** Matching children, ordered, grouped by their parent's 15-char Id; computed once per query on first use. */
  byParent: () => Map<Comparable, Row[]>;
};

function compileChildQuery(ctx: Context, parentObject: string, query: Query): CompiledChild {
  const relationship = ctx.schema.childRelationship(parentObject, query.from.name);
  if (!relationship) {
    throw positionedError('INVALID_TYPE', ctx.soql, query.from.offset, unknownChildRelationship(query.from.name));
  }
  if (query.countOnly || query.groupBy.length || query.select.some((s) => s.kind === 'aggregate')) {
    throw positionedError('MALFORMED_QUERY', ctx.soql, query.start, 'Aggregate functions are not supported in child relationship queries.');
  }
  // paging inside a child query applies per parent, so the compiled query selects all matching children in order
  const unpaged: Query = { ...query, limit: undefined, offset: undefined };
  const compiled = compileQuery(ctx, unpaged, { objectName: parentObject });
  const output = new OutputTree();
  for (const resolved of compiled.resolvedSelect) output.addPath(resolved);
  let cache: Map<Comparable, Row[]> | undefined;
  const byParent = (): Map<Comparable, Row[]> => {
    if (cache) return cache;
    cache = new Map();
    for (const row of compiled.selectRows()) {
      const parentId = normalise(row[relationship.field], 'id');
      if (parentId === null) continue;
      const list = cache.get(parentId);
      if (list) list.push(row);
      else cache.set(parentId, [row]);
    }
    return cache;
  };
  return { key: relationship.name, query, compiled, output, byParent };
}

type OutputEntry =
  | { kind: 'field'; key: string; field: string }
  | { kind: 'parent'; key: string; field: string; tree: OutputTree }
  | { kind: 'child'; key: string; child: CompiledChild };

/** The shape of a record: fields in SELECT order, parent relationships nested, child relationships as sub-results. */
class OutputTree {
  private readonly entries = new Map<string, OutputEntry>();
  // the entries as an array, built on first render: iterating a Map per row is measurably slower on 100k rows
  private ordered: OutputEntry[] | undefined;

  public addPath(resolved: ResolvedPath, depth = 0): void {
    this.ordered = undefined;
    if (depth === resolved.steps.length) {
      const key = resolved.field.name.toLowerCase();
      if (!this.entries.has(key)) this.entries.set(key, { kind: 'field', key: resolved.field.name, field: resolved.field.name });
      return;
    }
    const step = resolved.steps[depth];
    const key = step.relationshipName!;
    let entry = this.entries.get(`rel:${key.toLowerCase()}`);
    if (!entry) {
      entry = { kind: 'parent', key, field: step.name, tree: new OutputTree() };
      this.entries.set(`rel:${key.toLowerCase()}`, entry);
    }
    if (entry.kind === 'parent') entry.tree.addPath(resolved, depth + 1);
  }

  public addChild(child: CompiledChild): void {
    this.ordered = undefined;
    this.entries.set(`child:${child.key.toLowerCase()}`, { kind: 'child', key: child.key, child });
  }

  public render(ctx: Context, row: Row, objectName: string): QueryRecord {
    const id = row.Id;
    const record: QueryRecord = {
      attributes: { type: objectName, url: `/services/data/v${ctx.apiVersion}/sobjects/${objectName}/${String(id)}` },
    };
    this.ordered ??= [...this.entries.values()];
    for (const entry of this.ordered) {
      if (entry.kind === 'field') {
        record[entry.key] = row[entry.field] ?? null;
      } else if (entry.kind === 'parent') {
        const parentId = row[entry.field];
        const parent = parentId === null || parentId === undefined ? undefined : ctx.lookup(String(parentId));
        record[entry.key] = parent ? entry.tree.render(ctx, parent.row, parent.object) : null;
      } else {
        record[entry.key] = renderChildren(ctx, entry.child, row);
      }
    }
    return record;
  }
}

function renderChildren(ctx: Context, child: CompiledChild, parentRow: Row): ChildQueryResult | null {
  const all = child.byParent().get(normalise(parentRow.Id, 'id')) ?? [];
  const start = child.query.offset ?? 0;
  const rows = all.slice(start, child.query.limit === undefined ? undefined : start + child.query.limit);
  // a real org returns null, not an empty result, for a parent without matching children
  if (rows.length === 0) return null;
  const records = rows.map((row) => child.output.render(ctx, row, child.compiled.objectName));
  return { totalSize: records.length, done: true, records };
}

export { SoqlError };
