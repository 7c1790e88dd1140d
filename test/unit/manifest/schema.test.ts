/* The manifest's JSON Schema as an editor sees it: valid draft-07, strict, and it accepts the example. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import AjvModule from 'ajv';
import { MANIFEST_SCHEMA_URL } from '../../../src/manifest/schemaCheck.js';

const Ajv = AjvModule.default;
const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));

describe('manifest: JSON Schema', () => {
  const schema = readJson(MANIFEST_SCHEMA_URL) as Record<string, unknown>;

  it('is a valid draft-07 schema that compiles in strict mode', () => {
    expect(schema.$schema).to.equal('http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ strict: true, allErrors: true });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).to.equal(true);
    expect(() => ajv.compile(schema)).to.not.throw();
  });

  it('accepts the README example, which points at it through $schema', () => {
    const example = readJson(new URL('../../../examples/integration.json', import.meta.url)) as Record<string, unknown>;
    expect(example.$schema).to.equal('../schemas/integration-manifest.schema.json');
    const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
    expect(validate(example), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('keeps $ref free of sibling keywords (draft-07 ignores them, so editors would not check them)', () => {
    const offenders: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) node.forEach((child, index) => walk(child, `${path}/${index}`));
      else if (node !== null && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if ('$ref' in record && Object.keys(record).length > 1) offenders.push(path);
        for (const [key, child] of Object.entries(record)) walk(child, `${path}/${key}`);
      }
    };
    walk(schema, '#');
    expect(offenders).to.deep.equal([]);
  });

  it('describes every definition, for editor hovers', () => {
    const definitions = schema.definitions as Record<string, Record<string, unknown>>;
    const undocumented = Object.entries(definitions)
      .filter(([, definition]) => typeof definition.description !== 'string' && definition.enum === undefined)
      .map(([name]) => name);
    expect(undocumented).to.deep.equal([]);
  });
});
