/* The parsed form of a SOQL query, before it is checked against the schema. */

export type FieldPath = { segments: string[]; text: string; offset: number };

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'MAX' | 'MIN' | 'SUM' | 'AVG';

export type SelectItem =
  | { kind: 'field'; path: FieldPath }
  | { kind: 'aggregate'; fn: AggregateFunction; path?: FieldPath; alias?: string; offset: number }
  | { kind: 'subquery'; query: Query; offset: number };

export type Literal =
  | { kind: 'string'; value: string; raw: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'boolean'; value: boolean; offset: number }
  | { kind: 'null'; offset: number }
  | { kind: 'date'; text: string; offset: number }
  | { kind: 'datetime'; text: string; offset: number }
  | { kind: 'dateLiteral'; name: string; n?: number; offset: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; path: FieldPath; op: ComparisonOperator; value: Literal }
  | { kind: 'like'; path: FieldPath; value: Literal }
  | { kind: 'in'; path: FieldPath; negated: boolean; values: Literal[] }
  | { kind: 'semijoin'; path: FieldPath; negated: boolean; query: Query };

/** An ORDER BY item: a field, or in an aggregate query an aggregate of a field (`ORDER BY COUNT(Id) DESC`). */
export type OrderItem = { path: FieldPath; aggregate?: AggregateFunction; descending: boolean; nullsLast: boolean };

export type Query = {
  select: SelectItem[];
  /** `SELECT COUNT() FROM …`: only the number of rows is returned. */
  countOnly: boolean;
  from: { name: string; alias?: string; offset: number };
  where?: Condition;
  groupBy: FieldPath[];
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  /** Offset of the query's SELECT keyword in the full text. */
  start: number;
};
