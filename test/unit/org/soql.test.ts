import { expect } from 'chai';
import { quoteSoql, soqlInList } from '../../../src/org/soql.js';

/** Reads a SOQL string literal back the way the SOQL lexer does; returns the value and the rest of the text. */
const unquote = (literal: string): { value: string; rest: string } => {
  expect(literal.startsWith("'")).to.equal(true);
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };
  let value = '';
  for (let i = 1; i < literal.length; i++) {
    const ch = literal[i];
    if (ch === '\\') {
      const next = literal[++i];
      expect(escapes, `unknown escape \\${next}`).to.have.property(next);
      value += escapes[next];
    } else if (ch === "'") {
      return { value, rest: literal.slice(i + 1) };
    } else {
      value += ch;
    }
  }
  throw new Error(`unterminated literal: ${literal}`);
};

describe('org/soql', () => {
  describe('quoteSoql', () => {
    const cases = [
      'plain@example.com',
      "o'brien@example.com",
      'back\\slash',
      'trailing backslash \\',
      "\\'",
      'line\nbreak\r\nand\ttab',
      'form\ffeed and \bbackspace',
      'double "quotes"',
      'unicode: Zoë 日本語 🚀',
      "x' OR Username != '",
      "' OR '1'='1",
      "\\' OR Id != null OR Name = '",
      '',
    ];
    for (const value of cases) {
      it(`round-trips ${JSON.stringify(value)} as one literal with nothing after it`, () => {
        const literal = quoteSoql(value);
        const { value: parsed, rest } = unquote(literal);
        expect(parsed).to.equal(value);
        expect(rest).to.equal('');
      });
    }

    it('escapes exactly as the SOQL reference says', () => {
      expect(quoteSoql("O'Brien")).to.equal("'O\\'Brien'");
      expect(quoteSoql('a\\b')).to.equal("'a\\\\b'");
      expect(quoteSoql('a\nb')).to.equal("'a\\nb'");
    });

    it('keeps an injection attempt inside the literal', () => {
      const soql = `SELECT Id FROM User WHERE Username = ${quoteSoql("x' OR Username LIKE '%")}`;
      expect(soql).to.equal("SELECT Id FROM User WHERE Username = 'x\\' OR Username LIKE \\'%'");
    });

    it('refuses control characters that have no SOQL escape', () => {
      expect(() => quoteSoql('nul\u0000byte')).to.throw().with.property('name', 'UnquotableSoqlValueError');
      expect(() => quoteSoql('bell\u0007')).to.throw();
    });
  });

  describe('soqlInList', () => {
    it('quotes each value and removes duplicates', () => {
      expect(soqlInList(['a', "b'c", 'a'])).to.equal("('a', 'b\\'c')");
    });
    it('throws on an empty list, which has no SOQL form', () => {
      expect(() => soqlInList([])).to.throw().with.property('name', 'EmptySoqlInListError');
    });
  });
});
