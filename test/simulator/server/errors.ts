/* Salesforce error shapes: REST bodies are arrays of {message, errorCode, fields?}; DML results use statusCode. */

/** An error a REST route answers with (HTTP status + one Salesforce error). */
export class ApiError extends Error {
  public constructor(
    public readonly status: number,
    public readonly errorCode: string,
    message: string,
    public readonly fields?: string[]
  ) {
    super(message);
  }

  public body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/** A failed DML operation on one record; `status` is the HTTP status when it is the only record of a REST call. */
export class DmlError extends Error {
  public constructor(
    public readonly statusCode: string,
    message: string,
    public readonly fields: string[] = [],
    public readonly status = 400,
    /** What a single-record REST call answers instead (e.g. 405 METHOD_NOT_ALLOWED). */
    private readonly restError?: ApiError
  ) {
    super(message);
  }

  public toApiError(): ApiError {
    return this.restError ?? new ApiError(this.status, this.statusCode, this.message, this.fields.length ? this.fields : undefined);
  }

  public toSaveError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }
}

/** An operation the object does not support: 405 on the REST resource, INVALID_TYPE_FOR_OPERATION in collections. */
export const operationNotAllowed = (objectName: string, operation: 'insert' | 'update' | 'delete', method: string, allowed: string): DmlError =>
  new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type ${objectName} does not support ${operation}`, [], 405, methodNotAllowed(method, allowed));

export const notFound = (): ApiError => new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = (): ApiError => new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export function methodNotAllowed(method: string, allowed: string): ApiError {
  return new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
}
