import { expect } from 'chai';
import { tokenize } from './lexer.js';
import { parseSoql, SoqlError, likeToRegExp } from './index.js';

const malformed = (soql: string): string => {
  try {
    parseSoql(soql);
  } catch (error) {
    expect(error).to.be.instanceOf(SoqlError);
    expect((error as SoqlError).errorCode).to.equal('MALFORMED_QUERY');
    return (error as SoqlError).message;
  }
  throw new Error(`expected ${soql} to be malformed`);
};

describe('simulator SOQL: tokenizer', () => {
  it('reads identifiers, operators, numbers, dates, datetimes and punctuation with offsets', () => {
    const tokens = tokenize("SELECT a.b FROM X WHERE n >= -1.5 AND d = 2026-01-01 AND t < 2026-01-01T00:00:00.000+0000 AND c IN ('x',2)");
    expect(tokens.map((t) => `${t.kind}:${t.text}`)).to.deep.equal([
      'ident:SELECT', 'ident:a', 'punct:.', 'ident:b', 'ident:FROM', 'ident:X', 'ident:WHERE', 'ident:n', 'op:>=', 'number:-1.5',
      'ident:AND', 'ident:d', 'op:=', 'date:2026-01-01', 'ident:AND', 'ident:t', 'op:<', 'datetime:2026-01-01T00:00:00.000+0000',
      'ident:AND', 'ident:c', 'ident:IN', 'punct:(', 'string:x', 'punct:,', 'number:2', 'punct:)', 'eof:<EOF>',
    ]);
    expect(tokens[7].offset).to.equal(24);
  });

  it('unescapes string literals and keeps the raw text for LIKE', () => {
    const [token] = tokenize("'O\\'Brien \\\\ \\\" \\n\\t\\r 50\\% a\\_b'");
    expect(token.kind).to.equal('string');
    expect(token.text).to.equal("O'Brien \\ \" \n\t\r 50% a_b");
    expect(token.raw).to.equal("O\\'Brien \\\\ \\\" \\n\\t\\r 50\\% a\\_b");
  });

  it('an unterminated string is MALFORMED_QUERY', () => {
    expect(() => tokenize("SELECT Id FROM User WHERE Name = 'x")).to.throw(SoqlError, "line 1:35 mismatched character '<EOF>' expecting '''");
  });

  it('an illegal escape is MALFORMED_QUERY', () => {
    expect(() => tokenize("'a\\qb'")).to.throw(SoqlError, "Illegal character sequence '\\q' in string literal");
  });

  it('a character SOQL does not know is MALFORMED_QUERY', () => {
    expect(() => tokenize('SELECT Id FROM User; DELETE')).to.throw(SoqlError, "unexpected token: ';'");
    expect(() => tokenize('SELECT Id FROM User WHERE Name = "x"')).to.throw(SoqlError, "unexpected token: '\"'");
  });
});

describe('simulator SOQL: parser', () => {
  it('parses a full query into its clauses', () => {
    const soql =
      "select Id, Profile.UserLicense.Name, (SELECT PermissionSetId FROM PermissionSetAssignments WHERE PermissionSet.IsOwnedByProfile = false LIMIT 5) from User u where IsActive = true and (Name like 'a%' or Id not in (select AssigneeId from PermissionSetAssignment)) order by Name desc nulls last, Id limit 10 offset 20";
    const query = parseSoql(soql);
    expect(query.from).to.deep.equal({ name: 'User', alias: 'u', offset: soql.indexOf('User u') });
    expect(query.select.map((s) => s.kind)).to.deep.equal(['field', 'field', 'subquery']);
    expect(query.select[1]).to.deep.include({ kind: 'field' });
    expect(query.select[1].kind === 'field' && query.select[1].path.segments).to.deep.equal(['Profile', 'UserLicense', 'Name']);
    const sub = query.select[2];
    expect(sub.kind === 'subquery' && sub.query.limit).to.equal(5);
    expect(query.where?.kind).to.equal('and');
    const and = query.where?.kind === 'and' ? query.where.items : [];
    expect(and[1].kind).to.equal('or');
    const or = and[1].kind === 'or' ? and[1].items : [];
    expect(or[1]).to.deep.include({ kind: 'semijoin', negated: true });
    expect(query.orderBy.map((o) => [o.path.text, o.descending, o.nullsLast])).to.deep.equal([
      ['Name', true, true],
      ['Id', false, false],
    ]);
    expect([query.limit, query.offset]).to.deep.equal([10, 20]);
  });

  it('parses COUNT(), COUNT(field) with an alias, and GROUP BY', () => {
    expect(parseSoql('SELECT COUNT() FROM User').countOnly).to.equal(true);
    const query = parseSoql('SELECT ProfileId, COUNT(Id) cnt FROM User GROUP BY ProfileId');
    expect(query.countOnly).to.equal(false);
    expect(query.select[1]).to.deep.include({ kind: 'aggregate', fn: 'COUNT', alias: 'cnt' });
    expect(query.groupBy.map((g) => g.text)).to.deep.equal(['ProfileId']);
  });

  it('parses literals: null, booleans, numbers, date literals with and without :n', () => {
    const query = parseSoql('SELECT Id FROM User WHERE A = null AND B = TRUE AND C = 3 AND D < LAST_N_DAYS:90 AND E = today');
    const items = query.where?.kind === 'and' ? query.where.items : [];
    const values = items.map((c) => (c.kind === 'compare' ? c.value : undefined));
    expect(values.map((v) => v?.kind)).to.deep.equal(['null', 'boolean', 'number', 'dateLiteral', 'dateLiteral']);
    expect(values[3]).to.deep.include({ name: 'LAST_N_DAYS', n: 90 });
  });

  it('rejects mixing AND and OR without parentheses', () => {
    const message = malformed("SELECT Id FROM User WHERE Name = 'x' OR Name != '' AND IsActive = true");
    expect(message).to.equal(
      "\nSELECT Id FROM User WHERE Name = 'x' OR Name != '' AND IsActive = true\n                                                   ^\nERROR at Row:1:Column:52\nunexpected token: 'AND'"
    );
  });

  it('reports the token where the syntax breaks', () => {
    // the quote after Brien opens a string that never ends: the lexer fails first, as in a real org
    expect(malformed("SELECT Id FROM User WHERE LastName = 'O'Brien'")).to.equal("line 1:46 mismatched character '<EOF>' expecting '''");
    expect(malformed("SELECT Id FROM User WHERE LastName = 'O'Brien''")).to.contain("ERROR at Row:1:Column:41\nunexpected token: 'Brien'");
    expect(malformed('SELECT Id, FROM User')).to.contain("unexpected token: 'FROM'");
    expect(malformed('SELECT Id FROM User WHERE')).to.contain("unexpected token: '<EOF>'");
    expect(malformed('SELECT Id FROM User WHERE Name')).to.contain("unexpected token: '<EOF>'");
    expect(malformed('SELECT Id FROM User LIMIT x')).to.contain("unexpected token: 'x'");
    expect(malformed('SELECT Id FROM User WHERE Id IN ()')).to.contain("unexpected token: ')'");
    expect(malformed('SELECT Id FROM User ORDER BY Name NULLS MIDDLE')).to.contain("unexpected token: 'MIDDLE'");
    expect(malformed('SELECT Id FROM User WHERE CreatedDate = LAST_N_DAYS')).to.contain("unexpected token: '<EOF>'");
    expect(malformed('SELECT Id FROM User WHERE CreatedDate = SOMEDAY')).to.contain("unexpected token: 'SOMEDAY'");
    expect(malformed('SELECT Id FROM User extra words')).to.contain("unexpected token: 'words'");
    expect(malformed('SELECT FIELDS(ALL) FROM User LIMIT 200')).to.contain("unexpected token: 'FIELDS'");
  });

  it('rejects subqueries where SOQL does not allow them', () => {
    expect(malformed('SELECT Id, (SELECT Id, (SELECT Id FROM X) FROM Y) FROM User')).to.contain("unexpected token: '('");
  });
});

describe('simulator SOQL: LIKE patterns', () => {
  it('maps % and _ to wildcards, escaped ones to themselves, and regex characters literally', () => {
    expect(likeToRegExp('a%b_c').test('AxxbYc')).to.equal(true);
    expect(likeToRegExp('a%b_c').test('abc')).to.equal(false);
    expect(likeToRegExp('50\\%').test('50%')).to.equal(true);
    expect(likeToRegExp('50\\%').test('500')).to.equal(false);
    expect(likeToRegExp('a.b(c)*').test('a.b(c)*')).to.equal(true);
    expect(likeToRegExp('a.b').test('axb')).to.equal(false);
    expect(likeToRegExp('caf\\u00e9%').test('Café au lait')).to.equal(true);
    expect(likeToRegExp("it\\'s_").test("It's!")).to.equal(true);
  });
});
