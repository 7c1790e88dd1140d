/**
 * The one JSON Schema validator set-up (ajv, draft-07): every error at once, each with the value it concerns
 * (`verbose`), strict schemas (an unknown keyword is a bug in the schema, not ignored), union types allowed. The
 * manifest (src/manifest/schemaCheck.ts) and the audit configuration (src/audit/config.ts) are checked through it.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';

// ajv is CommonJS; under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;

let ajv: InstanceType<typeof Ajv> | undefined;

/** The schema's validator: compiled once per schema object, or per `$id` (ajv refuses a second schema with one id). */
export const compileSchema = (schema: Record<string, unknown>): ValidateFunction => {
  ajv ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  const known = typeof schema.$id === 'string' ? ajv.getSchema(schema.$id) : undefined;
  return known ?? ajv.compile(schema);
};

export type { ErrorObject, ValidateFunction };
