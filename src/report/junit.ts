/**
 * `.xml` / `.junit.xml` report: one test suite per rule, one test case per rule and subject, a <failure> per
 * finding, <skipped> for suppressed findings and for rules not evaluated. The common subset Jenkins, GitLab and
 * Azure DevOps all read. Written by the one XML writer (src/formats/xml.ts), which escapes every value.
 */
import type { AuditResult } from '../audit/types.js';
import { toXmlDocument } from '../formats/xml.js';
import { severityName } from '../rules/severity.js';
import type { Finding, Subject } from '../rules/types.js';
import { evidenceLine, ruleMetas, subjectLabel } from './shared.js';

type XmlElement = Record<string, unknown>;

const key = (s: Subject): string => `${s.kind}|${s.name.toLowerCase()}`;

const failureBody = (f: Finding): string =>
  [
    f.message,
    ...f.evidence.map((e) => `Granted by ${evidenceLine(e)}`),
    ...(f.recognisedBy?.length ? [`Recognised as an integration user by: ${f.recognisedBy.join('; ')}`] : []),
    ...(f.subject.filePath ? [`File: ${f.subject.filePath}`] : []),
  ].join('\n');

const testCase = (classname: string, name: string, outcome?: { failure: { message: string; type: string; text: string } } | { skipped: string }): XmlElement => ({
  '@_classname': classname,
  '@_name': name,
  ...(outcome && 'failure' in outcome ? { failure: { '@_message': outcome.failure.message, '@_type': outcome.failure.type, '#text': outcome.failure.text } } : {}),
  ...(outcome && 'skipped' in outcome ? { skipped: { '@_message': outcome.skipped } } : {}),
});

type Suite = { name: string; cases: XmlElement[]; failures: number; skipped: number };

const suiteElement = (suite: Suite): XmlElement => ({
  '@_name': suite.name,
  '@_tests': suite.cases.length,
  '@_failures': suite.failures,
  '@_errors': 0,
  '@_skipped': suite.skipped,
  testcase: suite.cases,
});

const ruleSuites = (audit: AuditResult, subjects: Subject[]): Suite[] =>
  ruleMetas().map((meta) => {
    const suite: Suite = { name: `${meta.id} ${meta.title}`, cases: [], failures: 0, skipped: 0 };
    const notEvaluated = audit.notEvaluated.find((n) => n.ruleId === meta.id);
    if (notEvaluated) {
      suite.cases.push(testCase(meta.id, 'not evaluated', { skipped: notEvaluated.reason }));
      suite.skipped++;
      return suite;
    }
    const findings = new Map<string, Finding>(audit.findings.filter((f) => f.ruleId === meta.id).map((f) => [key(f.subject), f]));
    const suppressed = new Map(audit.suppressed.filter((f) => f.ruleId === meta.id).map((f) => [key(f.subject), f]));
    const all = new Map<string, Subject>(meta.scope === 'subject' ? subjects.map((s) => [key(s), s]) : []);
    for (const f of [...findings.values(), ...suppressed.values()]) all.set(key(f.subject), f.subject);
    for (const [k, subject] of all) {
      const finding = findings.get(k);
      const suppression = suppressed.get(k);
      if (finding) {
        suite.failures++;
        suite.cases.push(testCase(meta.id, subjectLabel(subject), { failure: { message: finding.message, type: severityName(finding.severity), text: failureBody(finding) } }));
      } else if (suppression) {
        suite.skipped++;
        suite.cases.push(testCase(meta.id, subjectLabel(subject), { skipped: `suppressed: ${suppression.suppression.reason}` }));
      } else {
        suite.cases.push(testCase(meta.id, subjectLabel(subject)));
      }
    }
    // An aggregate rule without findings still shows as one passing case.
    if (suite.cases.length === 0) suite.cases.push(testCase(meta.id, 'all integration subjects'));
    return suite;
  });

/** Fail closed: each unreadable profile or permission set file is a failing case of its own suite. */
const unreadableSuite = (audit: AuditResult): Suite | undefined => {
  const unreadable = audit.loadProblems.filter((p) => p.code === 'unreadable');
  if (unreadable.length === 0) return undefined;
  const cases = unreadable.map((p) => {
    const where = `${p.path ?? ''}${p.line ? `:${p.line}` : ''}`;
    return p.blocking
      ? testCase('metadata files', where, { failure: { message: `unreadable file: ${p.message}`, type: 'unreadable', text: `${where}: ${p.message}` } })
      : testCase('metadata files', where, { skipped: `excluded by ${p.excludedBy ?? ''}: ${p.message}` });
  });
  const failures = unreadable.filter((p) => p.blocking).length;
  return { name: 'metadata files', cases, failures, skipped: cases.length - failures };
};

/** `subjects`: what each evaluated rule looked at; a subject without a finding is a passing test case. */
export const toJunitReport = (audit: AuditResult, subjects: Subject[]): string => {
  const unreadable = unreadableSuite(audit);
  const suites = [...(unreadable ? [unreadable] : []), ...ruleSuites(audit, subjects)];
  const sum = (count: (suite: Suite) => number): number => suites.reduce((total, suite) => total + count(suite), 0);
  return toXmlDocument(
    {
      testsuites: {
        '@_name': 'sf integration audit',
        '@_tests': sum((suite) => suite.cases.length),
        '@_failures': sum((suite) => suite.failures),
        '@_errors': 0,
        '@_skipped': sum((suite) => suite.skipped),
        testsuite: suites.map(suiteElement),
      },
    },
    { indent: '  ', selfClosing: true }
  );
};
