/*
 * The log file reader (src/org/logFile.ts) against csv-parse, its parser of record: generated files of every shape a
 * CSV may take (quoted commas, escaped quotes, line breaks inside values, unquoted and empty values, ragged rows, a
 * BOM, LF and CRLF, multi-byte characters, empty lines, a last record without a line break) must read as csv-parse
 * reads them with the options the plugin used to stream with, however the bytes are cut into chunks.
 */
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { logCsvReader, MAX_LOG_RECORD_BYTES, proxyOf } from '../../../src/org/logFile.js';
import { random } from '../../simulator/fixtures/largeOrg.js'; // seeded, so a failure can be replayed

const CSV_OPTIONS = { bom: true, skipEmptyLines: true, relaxColumnCount: true } as const;

/** What csv-parse reads from the whole file: the header, then the rows. */
const byCsvParse = (bytes: Buffer): string[][] => parse(bytes, CSV_OPTIONS);

/** What the reader reads from the same bytes in the given chunks, in the same form. */
const byReader = (chunks: Buffer[], keep?: (record: string) => boolean): string[][] => {
  const rows: string[][] = [];
  let header: readonly string[] | undefined;
  const reader = logCsvReader((h, row) => {
    if (!header) rows.push([...(header = h)]);
    expect(h).to.equal(header); // one header array for the whole file
    rows.push([...row]);
  }, keep);
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return rows;
};

const chunked = (bytes: Buffer, size: number): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
};

type Shape = 'salesforce' | 'mixed';

/** One value as CSV text. Salesforce's shape quotes every value and has no quote inside; mixed has everything. */
const value = (next: () => number, shape: Shape, eol: string): string => {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const plain = pick(['Account', 'REST', '/v66.0/sobjects/Case', 'Zürich', 'Łódź 日本', '😀 emoji', '2026-11-26T22:37:59.226Z', '']);
  if (shape === 'salesforce') return `"${pick([plain, plain, `a,b${plain}`, `line${eol}break`, 'cr\ronly', 'lf\nonly'])}"`;
  return pick([
    `"${plain}"`,
    `"${plain},with comma"`,
    `"say ""hi"" ${plain}"`,
    '""""',
    `"two${eol}lines"`,
    '"cr\r and lf\n"',
    plain, // unquoted (may be empty)
    'unquoted words',
    eol === '\n' ? 'unquoted\rCR' : 'unquoted\nLF', // the line break that does not end records in this file
    '',
  ]);
};

const generate = (seed: number, records: number, shape: Shape, eol: '\n' | '\r\n', bom: boolean, finalEol: boolean): Buffer => {
  const next = random(seed);
  const lines: string[] = [];
  const columns = 3 + Math.floor(next() * 4);
  lines.push(Array.from({ length: columns }, (_, i) => `"COLUMN_${i}"`).join(','));
  for (let r = 0; r < records; r++) {
    if (shape === 'mixed' && next() < 0.05) lines.push(''); // an empty line
    // Ragged rows in mixed files: relaxColumnCount keeps them.
    const count = shape === 'mixed' && next() < 0.2 ? 1 + Math.floor(next() * (columns + 2)) : columns;
    lines.push(Array.from({ length: count }, () => value(next, shape, eol)).join(','));
  }
  const text = lines.join(eol) + (finalEol ? eol : '');
  return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
};

describe('org/logFile: reading a log file as csv-parse does', () => {
  const files: Array<{ name: string; bytes: Buffer }> = [];
  let seed = 1;
  for (const shape of ['salesforce', 'mixed'] as const) {
    for (const eol of ['\n', '\r\n'] as const) {
      for (const bom of [false, true]) {
        for (const finalEol of [true, false]) {
          files.push({ name: `${shape}, ${JSON.stringify(eol)}${bom ? ', BOM' : ''}${finalEol ? '' : ', no final line break'}`, bytes: generate(seed++, 200, shape, eol, bom, finalEol) });
        }
      }
    }
  }

  for (const { name, bytes } of files) {
    it(`reads a generated file like csv-parse, in chunks of any size (${name})`, () => {
      const expected = byCsvParse(bytes);
      expect(expected.length).to.be.greaterThan(150);
      expect(byReader([bytes])).to.deep.equal(expected);
      for (const size of [1, 2, 3, 7, 64, 1000, 65_536]) expect(byReader(chunked(bytes, size)), `chunks of ${size}`).to.deep.equal(expected);
    });
  }

  it('reads small files alike whichever byte the one cut between two chunks falls on', () => {
    let checked = 0;
    for (let s = 100; s < 132; s++) {
      const shape = s % 2 === 0 ? 'salesforce' : 'mixed';
      const bytes = generate(s, 4, shape, s % 4 < 2 ? '\n' : '\r\n', s % 3 === 0, s % 5 !== 0);
      const expected = byCsvParse(bytes);
      for (let cut = 0; cut <= bytes.length; cut++) {
        expect(byReader([bytes.subarray(0, cut), bytes.subarray(cut)]), `seed ${s}, cut at ${cut}`).to.deep.equal(expected);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(3000);
  });

  it('keeps a multi-byte character split between chunks whole, in the fast path and in csv-parse', () => {
    const bytes = Buffer.from('"H1","H2"\n"005A","Zürich"\n"005A",Łódź\n');
    for (const ch of ['ü', 'Ł']) {
      const cut = bytes.indexOf(ch) + 1; // inside the character's two bytes
      expect(byReader([bytes.subarray(0, cut), bytes.subarray(cut)])).to.deep.equal([['H1', 'H2'], ['005A', 'Zürich'], ['005A', 'Łódź']]);
    }
  });

  it('takes the header from the first non-empty record and skips empty lines, a lone BOM, an empty file', () => {
    expect(byReader([Buffer.from('\n\n"A","B"\n\n"1","2"\n\n')])).to.deep.equal([['A', 'B'], ['1', '2']]);
    expect(byReader([Buffer.from('\r\n"A","B"\r\n\r\n"1","2"')])).to.deep.equal([['A', 'B'], ['1', '2']]);
    expect(byReader([Buffer.from([0xef, 0xbb, 0xbf])])).to.deep.equal([]);
    expect(byReader([])).to.deep.equal([]);
  });

  it('reads odd files as csv-parse does: blank but not empty lines, a lone "", the other line break, mixed line ends', () => {
    const texts = [
      '"A","B"\n \n""\n"1","2"\n',
      '"A","B"\r\nx\ny,"2"\r\n"3","4"\r\n',
      '"A","B"\na\rb,"2"\n',
      '"A","B"\r\n"1","2"\n"3","4"\r\n',
      '"A","B"\n"1","2"\r\n"3","4"\n',
      '"A","B"\r\n\n"1","2"\r\n',
      '"A","B"\n"1","2\n', // a quote that never closes
      '"A","B"\n"1"x,"2"\n', // text after a closing quote
    ];
    let failures = 0;
    for (const text of texts) {
      const bytes = Buffer.from(text);
      let expected: string[][] | undefined;
      try {
        expected = byCsvParse(bytes);
      } catch {
        failures++;
        expect(() => byReader([bytes]), text).to.throw();
      }
      if (expected) expect(byReader([bytes]), text).to.deep.equal(expected);
    }
    expect(failures).to.equal(5);
  });

  it('ends with LOG_RECORD_TOO_LARGE when a record outgrows the limit, and reads a long record below it', () => {
    const piece = Buffer.alloc(64 * 1024, 'x');
    const open = [Buffer.from('"A","B"\n"1","'), ...Array.from({ length: MAX_LOG_RECORD_BYTES / piece.length + 1 }, () => piece)];
    expect(() => byReader(open)).to.throw(/log file EventLogFile is longer than 1048576 bytes/).with.property('errorCode', 'LOG_RECORD_TOO_LARGE');
    const long = [Buffer.from('"A","B"\n"1","'), ...Array.from({ length: 8 }, () => Buffer.from('y\n'.repeat(8 * 1024))), Buffer.from('"\n')];
    const rows = byReader(long);
    expect(rows).to.have.length(2);
    expect(rows[1][1]).to.have.length(8 * 8 * 1024 * 2);
  });
});

describe('org/logFile: the keep filter', () => {
  const ID = '005000000000001';

  it('sees each data record whole (latin1, line break included), never the header, and only its records are read', () => {
    const seen: string[] = [];
    const text = `"USER_ID","NOTE"\n"${ID}","a\nb"\n"005000000000002","x"\n${ID},"say ""hi"""\n"${ID}","Zürich"`;
    const bytes = Buffer.from(text);
    const expected = byCsvParse(bytes).filter((row, i) => i === 0 || row[0] === ID);
    expect(expected).to.have.length(4);
    for (let cut = 0; cut <= bytes.length; cut++) {
      seen.length = 0;
      const keep = (record: string): boolean => {
        seen.push(record);
        return record.includes(ID);
      };
      expect(byReader([bytes.subarray(0, cut), bytes.subarray(cut)], keep), `cut at ${cut}`).to.deep.equal(expected);
      expect(seen, `cut at ${cut}`).to.deep.equal([
        `"${ID}","a\nb"\n`,
        '"005000000000002","x"\n',
        `${ID},"say ""hi"""\n`,
        Buffer.from(`"${ID}","Zürich"`).toString('latin1'),
      ]);
    }
  });

  it('filters generated files to the rows csv-parse reads with the id', () => {
    for (const eol of ['\n', '\r\n'] as const) {
      const next = random(7);
      const lines = ['"USER_ID","ENTITY","NOTE"'];
      for (let r = 0; r < 500; r++) {
        const id = next() < 0.2 ? ID : '005000000000999';
        lines.push([next() < 0.5 ? `"${id}"` : id, value(next, 'mixed', eol), value(next, 'mixed', eol)].join(','));
      }
      const bytes = Buffer.from(lines.join(eol) + eol);
      const expected = byCsvParse(bytes).filter((row, i) => i === 0 || row[0] === ID);
      expect(expected.length).to.be.within(50, 200);
      for (const size of [5, 333, 65_536]) expect(byReader(chunked(bytes, size), (record) => record.includes(ID))).to.deep.equal(expected);
    }
  });
});

describe('org/logFile: the proxy of the download', () => {
  it('is the one jsforce uses: https_proxy, then http_proxy, HTTPS_PROXY, HTTP_PROXY; none without them', () => {
    expect(proxyOf({})).to.equal(undefined);
    expect(proxyOf({ HTTP_PROXY: 'http://d:8080' })).to.equal('http://d:8080');
    expect(proxyOf({ HTTP_PROXY: 'http://d:8080', HTTPS_PROXY: 'http://c:8080' })).to.equal('http://c:8080');
    expect(proxyOf({ HTTPS_PROXY: 'http://c:8080', http_proxy: 'http://b:8080' })).to.equal('http://b:8080');
    expect(proxyOf({ http_proxy: 'http://b:8080', https_proxy: 'http://a:8080' })).to.equal('http://a:8080');
  });
});
