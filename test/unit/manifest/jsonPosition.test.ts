import { expect } from 'chai';
import { duplicateKeys, jsonErrorOffset, lineColumn } from '../../../src/manifest/jsonPosition.js';

describe('manifest: JSON syntax error position', () => {
  const cases: Array<[string, string, number | undefined]> = [
    ['valid', '{"a": [1, 2.5e3, true, null, "x\\"y"]}', undefined],
    ['yaml-ish', 'version: 1', 0],
    ['trailing comma in object', '{"a": 1,}', 8],
    ['trailing comma in array', '[1,]', 3],
    ['single quotes', "{'a': 1}", 1],
    ['comment', '{"a": 1 // c\n}', 8],
    ['unterminated string', '{"a": "b', 8],
    ['garbage after value', '{} x', 3],
    ['missing colon', '{"a" 1}', 5],
  ];
  for (const [name, text, offset] of cases) {
    it(`${name}: ${offset === undefined ? 'no error' : `offset ${offset}`}`, () => {
      expect(jsonErrorOffset(text)).to.equal(offset);
      if (offset === undefined) expect(() => JSON.parse(text) as unknown).to.not.throw();
      else expect(() => JSON.parse(text) as unknown).to.throw();
    });
  }
  it('converts an offset to line and column', () => {
    expect(lineColumn('{\n  "a": x\n}', 9)).to.deep.equal({ line: 2, column: 8 });
  });
});

describe('manifest: duplicate JSON keys', () => {
  it('finds keys repeated in one object, with the object path', () => {
    expect(duplicateKeys('{"a": {"b": 1, "c": [ {"d": 1, "d": 2} ], "b": 3}, "e": 1}')).to.deep.equal([
      { segments: ['a', 'c', 0], key: 'd' },
      { segments: ['a'], key: 'b' },
    ]);
    expect(duplicateKeys('{"a": 1, "b": {"a": 2}}')).to.deep.equal([]);
  });
});
