import { expect } from 'chai';
import { loadSchema } from '../schema.js';
import { TestStore } from './testStore.js';
import { executeSoql } from './index.js';

// The escaping a careful client does (SOQL reference, "Quoted String Escape Sequences"); LIKE also escapes % and _.
const quote = (value: string): string =>
  `'${value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' })[ch] ?? `\\${ch}`)}'`;
const quoteLike = (value: string): string => quote(value).replace(/[%_]/g, (ch) => `\\${ch}`);

// Deterministic pseudo-random strings rich in characters that break naive quoting.
function* tricky(count: number): Generator<string> {
  const alphabet = ["'", '"', '\\', '%', '_', ' ', '\n', '\t', 'a', 'B', 'é', '(', ')', '=', 'OR', ',', '*', '.', '$', '0'];
  let seed = 42;
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = 1 + (i % 12);
    for (let j = 0; j < length; j++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      text += alphabet[seed % alphabet.length];
    }
    yield `${text}#${i}`;
  }
}

describe('simulator SOQL: quoted values round-trip', () => {
  const schema = loadSchema();
  const store = new TestStore();
  const values = [...tricky(300)];
  for (const value of values) store.insert('Account', { Name: value });

  it('a properly quoted value matches exactly its own row with =', () => {
    for (const value of values) {
      const records = executeSoql(`SELECT Name FROM Account WHERE Name = ${quote(value)}`, schema, store);
      expect(records.map((r) => r.Name), value).to.deep.equal([value]);
    }
  });

  it('a properly quoted value with escaped wildcards matches exactly its own row with LIKE', () => {
    for (const value of values) {
      const records = executeSoql(`SELECT Name FROM Account WHERE Name LIKE ${quoteLike(value)}`, schema, store);
      expect(records.map((r) => r.Name), value).to.deep.equal([value]);
    }
  });

  it('the same values inserted raw either fail to parse or do not mean what they say', () => {
    let malformed = 0;
    for (const value of values.filter((v) => v.includes("'"))) {
      try {
        const records = executeSoql(`SELECT Name FROM Account WHERE Name = '${value}'`, schema, store);
        expect(records.map((r) => r.Name)).to.not.deep.equal([value]);
      } catch (error) {
        expect((error as { errorCode?: string }).errorCode).to.be.oneOf(['MALFORMED_QUERY', 'INVALID_FIELD']);
        malformed++;
      }
    }
    expect(malformed).to.be.greaterThan(0);
  });
});
