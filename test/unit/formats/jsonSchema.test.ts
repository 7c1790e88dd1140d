/* src/formats/jsonSchema.ts: the one ajv set-up; both schemas the plugin checks compile under it, strictly. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { AUDIT_CONFIG_SCHEMA } from '../../../src/audit/config.js';
import { compileSchema } from '../../../src/formats/jsonSchema.js';
import { MANIFEST_SCHEMA_URL } from '../../../src/manifest/schemaCheck.js';

describe('formats/jsonSchema', () => {
  it('compiles the manifest schema and the audit configuration schema strictly', () => {
    expect(() => compileSchema(JSON.parse(readFileSync(MANIFEST_SCHEMA_URL, 'utf8')) as Record<string, unknown>)).to.not.throw();
    expect(() => compileSchema(AUDIT_CONFIG_SCHEMA)).to.not.throw();
  });

  it('refuses a schema with an unknown keyword instead of ignoring it', () => {
    expect(() => compileSchema({ type: 'object', propertiesTypo: {} })).to.throw(/unknown keyword/);
  });

  it('reports every error, each with the value it concerns', () => {
    const validate = compileSchema({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } } });
    expect(validate({ a: 'x', b: 1 })).to.equal(false);
    expect(validate.errors!.map((e) => [e.instancePath, e.data])).to.deep.equal([
      ['/a', 'x'],
      ['/b', 1],
    ]);
  });
});
