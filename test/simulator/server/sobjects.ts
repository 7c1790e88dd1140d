/* sObject REST resources: single-record CRUD, describe, and sObject Collections (≤ 200 records, allOrNone). */
import { fieldSecurity } from '../schema.js';
import type { Row } from '../store.js';
import type { SimContext, SimRequest, SimResponse } from './context.js';
import { createRecord, deleteRecord, objectOfId, updateRecord } from './dml.js';
import { ApiError, DmlError, notFound } from './errors.js';

type SaveResult = { id?: string; success: boolean; errors: Array<{ statusCode: string; message: string; fields: string[] }> };

const MAX_RECORDS = 200;

function parseJson(body: string): unknown {
  try {
    return body.trim() === '' ? {} : (JSON.parse(body) as unknown);
  } catch (error) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(error as Error).message}`);
  }
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject from a non-object value');
  return value as Record<string, unknown>;
}

/** A record as GET /sobjects/<Type>/<id> returns it: every field (null when unset), or those named by ?fields=. */
export function recordJson(ctx: SimContext, objectName: string, row: Row, version: string, fieldList?: string | null): Record<string, unknown> {
  const object = ctx.schema.object(objectName)!;
  const names = fieldList
    ? fieldList.split(',').map((f) => {
        const field = ctx.schema.field(object.name, f.trim());
        if (!field) throw new ApiError(400, 'INVALID_FIELD', `No such column '${f.trim()}' on sobject of type ${object.name}`);
        return field.name;
      })
    : object.fields.map((f) => f.name);
  const result: Record<string, unknown> = { attributes: { type: object.name, url: `/services/data/v${version}/sobjects/${object.name}/${String(row.Id)}` } };
  for (const name of names) result[name] = row[name] ?? null;
  return result;
}

export function getRecord(ctx: SimContext, request: SimRequest, type: string, id: string): SimResponse {
  const object = ctx.schema.object(type);
  if (!object) throw notFound();
  const found = ctx.store.get(id);
  if (!found || found.object !== object.name) throw notFound();
  return { status: 200, json: recordJson(ctx, object.name, found.row, request.version ?? '68.0', request.query.get('fields')) };
}

export function describe(ctx: SimContext, type: string): SimResponse {
  const object = ctx.schema.object(type);
  if (!object) throw notFound();
  return {
    status: 200,
    json: {
      name: object.name,
      label: object.label,
      custom: object.custom,
      keyPrefix: ctx.schema.keyPrefix(object.name) ?? null,
      createable: true,
      updateable: true,
      deletable: object.name !== 'User',
      queryable: true,
      fields: object.fields.map((field) => {
        const { defaultedOnCreate, permissionable } = fieldSecurity(field);
        return { ...field, defaultedOnCreate, permissionable };
      }),
      childRelationships: ctx.schema.childRelationships(object.name).map((r) => ({ childSObject: r.childObject, field: r.field, relationshipName: r.name })),
    },
  };
}

export function describeGlobal(ctx: SimContext): SimResponse {
  return {
    status: 200,
    json: {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: ctx.schema.objectNames().map((name) => ({ name, label: ctx.schema.object(name)!.label, custom: ctx.schema.object(name)!.custom, keyPrefix: ctx.schema.keyPrefix(name) ?? null, queryable: true })),
    },
  };
}

function single<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DmlError) throw error.toApiError();
    throw error;
  }
}

export function createOne(ctx: SimContext, request: SimRequest, type: string): SimResponse {
  const body = asObject(parseJson(request.body));
  const created = single(() => createRecord(ctx, type, body));
  return { status: 201, json: { id: created.Id, success: true, errors: [] } };
}

export function updateOne(ctx: SimContext, request: SimRequest, type: string, id: string): SimResponse {
  const body = asObject(parseJson(request.body));
  single(() => updateRecord(ctx, type, id, body));
  return { status: 204 };
}

export function deleteOne(ctx: SimContext, type: string, id: string): SimResponse {
  single(() => deleteRecord(ctx, type, id));
  return { status: 204 };
}

// ---------------------------------------------------------------- collections

const rolledBack = (): SaveResult['errors'][number] => ({
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
});

/** Runs one operation per record; with allOrNone a single failure undoes all and marks the others rolled back. */
function runCollection(ctx: SimContext, count: number, allOrNone: boolean, operation: (index: number) => string | undefined): SaveResult[] {
  const results: SaveResult[] = [];
  ctx.store.atomically(
    () => {
      for (let i = 0; i < count; i++) {
        try {
          const id = operation(i);
          results.push({ ...(id ? { id } : {}), success: true, errors: [] });
        } catch (error) {
          if (!(error instanceof DmlError)) throw error;
          results.push({ success: false, errors: [error.toSaveError()] });
        }
      }
      return results;
    },
    (r) => !(allOrNone && r.some((x) => !x.success))
  );
  if (allOrNone && results.some((r) => !r.success)) {
    return results.map((r) => (r.success ? { success: false, errors: [rolledBack()] } : { success: false, errors: r.errors }));
  }
  return results;
}

function collectionBody(request: SimRequest): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const body = asObject(parseJson(request.body));
  const records = body.records;
  if (!Array.isArray(records)) throw new ApiError(400, 'INVALID_FIELD', 'records is required');
  if (records.length > MAX_RECORDS) throw new ApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  return { allOrNone: body.allOrNone === true, records: records.map(asObject) };
}

function typeOf(record: Record<string, unknown>): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  if (!attributes || typeof attributes.type !== 'string') throw new DmlError('INVALID_TYPE', 'Must send a concrete entity type.', []);
  return attributes.type;
}

export function collectionCreate(ctx: SimContext, request: SimRequest): SimResponse {
  const { allOrNone, records } = collectionBody(request);
  const results = runCollection(ctx, records.length, allOrNone, (i) => {
    const record = records[i];
    if ('Id' in record || 'id' in record) throw new DmlError('INVALID_FIELD', 'Id cannot be specified in an insert call', ['Id']);
    return String(createRecord(ctx, typeOf(record), record).Id);
  });
  return { status: 200, json: results };
}

export function collectionUpdate(ctx: SimContext, request: SimRequest): SimResponse {
  const { allOrNone, records } = collectionBody(request);
  const results = runCollection(ctx, records.length, allOrNone, (i) => {
    const record = records[i];
    const id = typeof record.Id === 'string' ? record.Id : typeof record.id === 'string' ? record.id : undefined;
    if (!id) throw new DmlError('MISSING_ARGUMENT', 'Id not specified in an update call', []);
    updateRecord(ctx, typeOf(record), id, record);
    return id;
  });
  // results of updates carry the Id as given
  return { status: 200, json: results };
}

export function collectionDelete(ctx: SimContext, request: SimRequest): SimResponse {
  const ids = (request.query.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new ApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) throw new ApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  const allOrNone = request.query.get('allOrNone') === 'true';
  const results = runCollection(ctx, ids.length, allOrNone, (i) => {
    const object = objectOfId(ctx, ids[i]);
    if (!object) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', []);
    deleteRecord(ctx, object, ids[i]);
    return ids[i];
  });
  // a failed delete still names the Id it was about
  return { status: 200, json: results.map((r, i) => ({ ...r, id: ids[i] })) };
}
