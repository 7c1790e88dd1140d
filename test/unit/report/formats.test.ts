import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { csvCell, toCsvReport } from '../../../src/report/csv.js';
import { toJsonReport } from '../../../src/report/json.js';
import { toJunitReport } from '../../../src/report/junit.js';
import { toMarkdownReport } from '../../../src/report/markdown.js';
import { reportFormatOf } from '../../../src/report/write.js';
import { RULES } from '../../../src/rules/index.js';
import { directoryRun, orgRun } from './sampleRuns.js';

/** A small RFC 4180 reader, to check the CSV round-trips. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
};

type JunitCase = { '@_classname': string; '@_name': string; failure?: { '@_message': string; '@_type': string; '#text': string }; skipped?: { '@_message': string } };
type JunitSuite = { '@_name': string; '@_tests': string; '@_failures': string; testcase?: JunitCase[] };

describe('JUnit report', () => {
  const parse = (xml: string): { testsuites: { '@_tests': string; '@_failures': string; '@_skipped': string; testsuite: JunitSuite[] } } =>
    new XMLParser({ ignoreAttributes: false, isArray: (tag) => tag === 'testsuite' || tag === 'testcase' }).parse(xml) as never;

  it('is well-formed XML with one suite per rule, one case per rule and subject, a failure per finding', () => {
    const run = orgRun();
    const xml = toJunitReport(run.result, run.subjects);
    expect(XMLValidator.validate(xml)).to.equal(true);
    const doc = parse(xml);
    expect(doc.testsuites.testsuite.map((s) => s['@_name'].split(' ')[0])).to.deep.equal(RULES.map((r) => r.meta.id));
    expect(Number(doc.testsuites['@_failures'])).to.equal(run.result.findings.length);
    const priv002 = doc.testsuites.testsuite.find((s) => s['@_name'].startsWith('IU-PRIV-002'))!;
    // Both integration users are cases; only erp fails.
    expect(priv002.testcase!.map((c) => c['@_name'])).to.have.members(['user erp@acme.example', 'user =cmd|calc@acme.example']);
    const failing = priv002.testcase!.find((c) => c.failure)!;
    expect(failing['@_name']).to.equal('user erp@acme.example');
    expect(failing.failure!['@_type']).to.equal('critical');
    expect(failing.failure!['#text']).to.include('permissionSet Erp_"Set": ModifyAllData');
  });

  it('escapes every value: <&"\' and control characters in a finding, a suppression reason and a file problem give valid XML', () => {
    const hostile = 'a <b> & "c" \'d\' \u0000\u0001\u0007\u000B\u001F\uFFFE\uD800 end\ttab';
    const kept = 'a <b> & "c" \'d\'  end\ttab';
    const run = orgRun();
    const finding = run.result.findings.find((f) => f.ruleId === 'IU-PRIV-002')!;
    finding.message = hostile;
    finding.subject = { ...finding.subject, name: `${hostile}@acme.example` };
    run.result.suppressed[0].suppression.reason = hostile;
    run.result.loadProblems.push({ path: `force-app/${hostile}.profile-meta.xml`, line: 3, code: 'unreadable', message: hostile, blocking: true });
    const xml = toJunitReport(run.result, run.subjects);
    // Nothing XML 1.0 forbids is left, and the markup characters are all escaped.
    // eslint-disable-next-line no-control-regex -- the characters under test
    expect(xml).to.not.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/);
    expect(XMLValidator.validate(xml)).to.equal(true);
    const doc = parse(xml);
    const priv002 = doc.testsuites.testsuite.find((s) => s['@_name'].startsWith('IU-PRIV-002'))!;
    const failing = priv002.testcase!.find((c) => c.failure)!;
    const decode = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    expect(decode(failing.failure!['@_message'])).to.equal(kept);
    expect(decode(failing['@_name'])).to.equal(`user ${kept}@acme.example`);
    expect(decode(failing.failure!['#text']).split('\n')[0]).to.equal(kept);
    const skipped = doc.testsuites.testsuite.find((s) => s['@_name'].startsWith('IU-AUTH-006'))!.testcase![0];
    expect(decode(skipped.skipped!['@_message'])).to.equal(`suppressed: ${kept}`);
    const files = doc.testsuites.testsuite.find((s) => s['@_name'] === 'metadata files')!;
    expect(decode(files.testcase![0].failure!['@_message'])).to.equal(`unreadable file: ${kept}`);
  });

  it('marks suppressed findings and rules not evaluated as skipped', () => {
    const org = orgRun();
    const suppressed = parse(toJunitReport(org.result, org.subjects)).testsuites.testsuite.find((s) => s['@_name'].startsWith('IU-AUTH-006'))!;
    // An aggregate rule (profiles) lists only its subjects, not every user.
    expect(suppressed.testcase!.map((c) => c['@_name'])).to.deep.equal(['profile Integration API Only']);
    expect(suppressed.testcase![0].skipped!['@_message']).to.include('suppressed: Egress IPs rotate <weekly> & are "unknown"');
    const dir = directoryRun();
    const notEvaluated = parse(toJunitReport(dir.result, dir.subjects)).testsuites.testsuite.find((s) => s['@_name'].startsWith('IU-HYG-001'))!;
    expect(notEvaluated.testcase![0]['@_name']).to.equal('not evaluated');
    expect(notEvaluated.testcase![0].skipped!['@_message']).to.match(/metadata directory/);
  });
});

describe('CSV report', () => {
  it('quotes commas, quotes and newlines, and neutralises formula-like cells', () => {
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('two\nlines')).to.equal('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).to.equal('"\'=HYPERLINK(""x"")"');
    expect(csvCell('plain')).to.equal('plain');
  });

  it('round-trips every finding and suppressed finding', () => {
    const run = orgRun();
    const rows = parseCsv(toCsvReport(run.result));
    const [header, ...data] = rows;
    expect(header.slice(0, 7)).to.deep.equal(['severity', 'severityName', 'ruleId', 'title', 'status', 'subjectKind', 'subject']);
    expect(data).to.have.length(run.result.findings.length + run.result.suppressed.length);
    expect(data.every((r) => r.length === header.length)).to.equal(true);
    const erp = data.find((r) => r[2] === 'IU-PRIV-002')!;
    expect(erp[9]).to.include('permissionSet Erp_"Set": ModifyAllData');
    expect(data.some((r) => r[6] === "'=cmd|calc@acme.example")).to.equal(true);
    expect(data.find((r) => r[4] === 'suppressed')![11]).to.equal('Egress IPs rotate <weekly> & are "unknown"');
  });
});

describe('Markdown, JSON and table reports', () => {
  it('Markdown summarises the counts, escapes table cells and lists rules not evaluated', () => {
    const md = toMarkdownReport(directoryRun().result);
    expect(md).to.match(/^## sf integration audit: ❌ failed/);
    expect(md).to.include(`| 1 | 0 | 1 | 0 | 0 | 0 | ${directoryRun().result.summary.notEvaluated} |`);
    expect(directoryRun().result.summary.notEvaluated).to.be.greaterThan(10);
    expect(md).to.include('### Not evaluated');
    expect(md).to.include('Broken.permissionset-meta.xml:7');
    const org = toMarkdownReport(orgRun().result);
    expect(org).to.include('user =cmd\\|calc@acme.example');
  });

  it('JSON is the typed result', () => {
    const run = orgRun();
    expect(JSON.parse(toJsonReport(run.result))).to.deep.equal(run.result);
  });

  it('picks the format from the extension', () => {
    expect(['a.sarif', 'a.sarif.json', 'r.junit.xml', 'r.XML', 'p.md', 'x.csv', 'x.json', 'x.txt'].map(reportFormatOf)).to.deep.equal([
      'sarif', 'sarif', 'junit', 'junit', 'markdown', 'csv', 'json', undefined,
    ]);
  });
});
