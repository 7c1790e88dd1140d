/*
 * Validates a command's `--json` result against its schema in schemas/ (generated from the result type),
 * so the end-to-end runs prove that what the real sf prints is what the schema promises.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { REPO_ROOT } from './harness.js';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;

/**
 * Schema file of a command id, as `schema generate` names it: `integration user list` → integration-user-list.json.
 * E2E_SCHEMAS_DIR points at another folder (e.g. freshly generated schemas) instead of schemas/.
 */
export function schemaPathFor(commandId: string): string {
  const dir = process.env.E2E_SCHEMAS_DIR ?? join(REPO_ROOT, 'schemas');
  return join(dir, `${commandId.replace(/[: ]/g, '-')}.json`);
}

/** ajv's error messages (empty when valid), each with the JSON path it concerns. */
export function schemaErrors(commandId: string, result: unknown): string[] {
  const schema = JSON.parse(readFileSync(schemaPathFor(commandId), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (validate(result)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
}

/** Every string under a key named `username` (any depth): how the specs read users out of any result shape. */
export function usernamesIn(value: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key.toLowerCase() === 'username' && typeof child === 'string') found.push(child);
        else walk(child);
      }
    }
  };
  walk(value);
  return found;
}
