/*
 * SOQL errors shaped like a real org's: positioned messages (`\n<query line>\n<caret>\nERROR at Row:r:Column:c\n<text>`).
 */
export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

export class SoqlError extends Error {
  public readonly errorCode: SoqlErrorCode;

  public constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = errorCode;
    this.errorCode = errorCode;
  }
}

/** Row and column (1-based) of an offset in the query text. */
export function rowColumn(soql: string, offset: number): { row: number; column: number } {
  const before = soql.slice(0, offset);
  const lines = before.split('\n');
  return { row: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** The message a real org gives for an error at a position: the query line, a caret, and the text. */
export function positionedMessage(soql: string, offset: number, text: string): string {
  const { row, column } = rowColumn(soql, offset);
  const line = soql.split('\n')[row - 1];
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${text}`;
}

export function positionedError(code: SoqlErrorCode, soql: string, offset: number, text: string): SoqlError {
  return new SoqlError(code, positionedMessage(soql, offset, text));
}

export const noSuchColumn = (field: string, entity: string): string =>
  `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

export const unknownRelationship = (relationship: string): string =>
  `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;

export const unknownChildRelationship = (relationship: string): string =>
  `Didn't understand relationship '${relationship}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;

export const unsupportedType = (objectName: string): string =>
  `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;
