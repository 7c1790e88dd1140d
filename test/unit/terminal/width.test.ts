import { expect } from 'chai';
import { ELLIPSIS, fitColumns, fitLines, listOrCount, MIN_WIDTH, NON_TTY_WIDTH, outputWidth, textWidth, truncate, wrap } from '../../../src/terminal/width.js';

describe('terminal/width', () => {
  it('uses the terminal width on a TTY and 120 otherwise', () => {
    expect(outputWidth({ isTTY: true, columns: 87 })).to.equal(87);
    expect(outputWidth({ isTTY: false, columns: 87 })).to.equal(NON_TTY_WIDTH);
    expect(outputWidth({ isTTY: true, columns: 0 })).to.equal(NON_TTY_WIDTH);
    expect(outputWidth({})).to.equal(NON_TTY_WIDTH);
    expect(outputWidth({ isTTY: true, columns: 5 })).to.equal(MIN_WIDTH);
  });

  it('cuts a long line with "…" to exactly the width, and leaves a short one alone', () => {
    const long = 'Integration_Erp_With_A_Very_Long_Name_That_Goes_On_And_On';
    const cut = truncate(long, 20);
    expect(textWidth(cut)).to.be.at.most(20);
    expect(cut.endsWith(ELLIPSIS)).to.equal(true);
    expect(cut).to.equal('Integration_Erp_Wit…');
    expect(truncate('short', 20)).to.equal('short');
    expect(truncate('two\nlines', 20)).to.equal('two lines');
    expect(truncate('abc', 0)).to.equal('');
  });

  it('counts code points, not UTF-16 units', () => {
    const text = '😀'.repeat(30);
    const cut = truncate(text, 10);
    expect(Array.from(cut)).to.have.length(10);
    expect(textWidth('é😀')).to.equal(2);
  });

  it('wraps words within the width, indenting continuation lines, and cuts a word longer than a line', () => {
    const lines = wrap('DUPLICATE_USERNAME: Duplicate Username. The username already exists in this or another Salesforce organization.', 40, '    ');
    expect(lines.length).to.be.greaterThan(2);
    for (const line of lines) expect(textWidth(line)).to.be.at.most(40);
    expect(lines.slice(1).every((line) => line.startsWith('    '))).to.equal(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).to.equal('DUPLICATE_USERNAME: Duplicate Username. The username already exists in this or another Salesforce organization.');
    const word = wrap('x'.repeat(95), 40);
    expect(word.map(textWidth)).to.deep.equal([40, 40, 15]);
    expect(wrap('', 40)).to.deep.equal(['']);
  });

  it('joins a list that fits and counts one that does not', () => {
    const count = (n: number): string => `${n} permission sets`;
    expect(listOrCount(['A', 'B'], 10, count)).to.equal('A, B');
    expect(listOrCount(['Alpha', 'Beta', 'Gamma'], 10, count)).to.equal('3 permission sets');
    expect(listOrCount(['One_Very_Long_Name'], 5, count)).to.equal('One_Very_Long_Name');
    expect(listOrCount([], 5, count)).to.equal('');
  });

  it('fits every line of a block', () => {
    expect(fitLines(['a'.repeat(50), 'b'], 30).map(textWidth)).to.deep.equal([30, 1]);
  });

  it('fits columns by cutting the widest ones to a common width, never below their minimum', () => {
    expect(fitColumns([10, 20, 30], 100)).to.deep.equal([10, 20, 30]);
    const cut = fitColumns([10, 40, 60], 70);
    expect(cut.reduce((a, b) => a + b, 0)).to.equal(70);
    expect(cut[0]).to.equal(10);
    expect(Math.abs(cut[1] - cut[2])).to.be.at.most(1);
    expect(fitColumns([10, 40, 60], 50, [8, 30, 5])).to.deep.equal([10, 30, 10]);
    expect(fitColumns([10, 40, 60], 40, [8, 30, 5])).to.deep.equal([8, 30, 5]);
    expect(fitColumns([10, 40], 10, [8, 30])).to.deep.equal([8, 30]);
  });
});
