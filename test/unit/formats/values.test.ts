/* src/formats/values.ts: loose values from Salesforce answers and parsed XML. */
import { expect } from 'chai';
import { asArray, isTrue, nonEmptyString } from '../../../src/formats/values.js';

describe('formats/values', () => {
  it('asArray: one value, many, or nothing', () => {
    expect(asArray('a')).to.deep.equal(['a']);
    expect(asArray(['a', 'b'])).to.deep.equal(['a', 'b']);
    expect(asArray(undefined)).to.deep.equal([]);
    expect(asArray(null)).to.deep.equal([]);
    expect(asArray(0)).to.deep.equal([0]);
  });

  it('nonEmptyString: only strings with a character', () => {
    expect(nonEmptyString('x')).to.equal('x');
    expect(nonEmptyString('')).to.equal(undefined);
    expect(nonEmptyString(1)).to.equal(undefined);
    expect(nonEmptyString(null)).to.equal(undefined);
  });

  it('isTrue: true or the text "true", nothing else', () => {
    expect(isTrue(true)).to.equal(true);
    expect(isTrue('true')).to.equal(true);
    expect(isTrue('TRUE')).to.equal(false);
    expect(isTrue(false)).to.equal(false);
    expect(isTrue('false')).to.equal(false);
    expect(isTrue(1)).to.equal(false);
  });
});
