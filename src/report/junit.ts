/**
 * `.xml` / `.junit.xml` report: one test suite per rule, one test case per rule and subject, a <failure> per
 * finding, <skipped> for suppressed findings and for rules not evaluated. The common subset Jenkins, GitLab and
 * Azure DevOps all read.
 */
import type { AuditResult } from '../audit/types.js';
import { severityName } from '../rules/severity.js';
import type { Finding, Subject } from '../rules/types.js';
import { evidenceLine, ruleMetas, subjectLabel } from './shared.js';

/** Escapes text for XML and drops characters XML 1.0 cannot carry. */
export const xmlEscape = (text: string): string =>
  text
    // eslint-disable-next-line no-control-regex -- removing the control characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const attrs = (values: Record<string, string | number>): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}="${xmlEscape(String(v))}"`)
    .join(' ');

const key = (s: Subject): string => `${s.kind}|${s.name.toLowerCase()}`;

const failureBody = (f: Finding): string =>
  [
    f.message,
    ...f.evidence.map((e) => `Granted by ${evidenceLine(e)}`),
    ...(f.recognisedBy?.length ? [`Recognised as an integration user by: ${f.recognisedBy.join('; ')}`] : []),
    ...(f.subject.filePath ? [`File: ${f.subject.filePath}`] : []),
  ].join('\n');

/** `subjects`: what each evaluated rule looked at; a subject without a finding is a passing test case. */
export const toJunitReport = (audit: AuditResult, subjects: Subject[]): string => {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const meta of ruleMetas()) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const notEvaluated = audit.notEvaluated.find((n) => n.ruleId === meta.id);
    if (notEvaluated) {
      cases.push(`    <testcase ${attrs({ classname: meta.id, name: 'not evaluated' })}>\n      <skipped ${attrs({ message: notEvaluated.reason })}/>\n    </testcase>`);
      suiteSkipped++;
    } else {
      const findings = new Map<string, Finding>(audit.findings.filter((f) => f.ruleId === meta.id).map((f) => [key(f.subject), f]));
      const suppressed = new Map(audit.suppressed.filter((f) => f.ruleId === meta.id).map((f) => [key(f.subject), f]));
      const all = new Map<string, Subject>(meta.scope === 'subject' ? subjects.map((s) => [key(s), s]) : []);
      for (const f of [...findings.values(), ...suppressed.values()]) all.set(key(f.subject), f.subject);
      for (const [k, subject] of all) {
        const name = attrs({ classname: meta.id, name: subjectLabel(subject) });
        const finding = findings.get(k);
        const suppression = suppressed.get(k);
        if (finding) {
          suiteFailures++;
          const message = attrs({ message: finding.message, type: severityName(finding.severity) });
          cases.push(`    <testcase ${name}>\n      <failure ${message}>${xmlEscape(failureBody(finding))}</failure>\n    </testcase>`);
        } else if (suppression) {
          suiteSkipped++;
          cases.push(`    <testcase ${name}>\n      <skipped ${attrs({ message: `suppressed: ${suppression.suppression.reason}` })}/>\n    </testcase>`);
        } else {
          cases.push(`    <testcase ${name}/>`);
        }
      }
    }
    // An aggregate rule without findings still shows as one passing case.
    if (cases.length === 0) cases.push(`    <testcase ${attrs({ classname: meta.id, name: 'all integration subjects' })}/>`);
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite ${attrs({ name: `${meta.id} ${meta.title}`, tests: cases.length, failures: suiteFailures, errors: 0, skipped: suiteSkipped })}>\n${cases.join('\n')}\n  </testsuite>`
    );
  }
  // Fail closed: each unreadable profile or permission set file is a failing case of its own suite.
  const unreadable = audit.loadProblems.filter((p) => p.code === 'unreadable');
  if (unreadable.length > 0) {
    const cases = unreadable.map((p) => {
      const name = attrs({ classname: 'metadata files', name: `${p.path ?? ''}${p.line ? `:${p.line}` : ''}` });
      return p.blocking
        ? `    <testcase ${name}>\n      <failure ${attrs({ message: `unreadable file: ${p.message}`, type: 'unreadable' })}>${xmlEscape(`${p.path ?? ''}${p.line ? `:${p.line}` : ''}: ${p.message}`)}</failure>\n    </testcase>`
        : `    <testcase ${name}>\n      <skipped ${attrs({ message: `excluded by ${p.excludedBy ?? ''}: ${p.message}` })}/>\n    </testcase>`;
    });
    const suiteFailures = unreadable.filter((p) => p.blocking).length;
    tests += cases.length;
    failures += suiteFailures;
    skipped += cases.length - suiteFailures;
    suites.unshift(
      `  <testsuite ${attrs({ name: 'metadata files', tests: cases.length, failures: suiteFailures, errors: 0, skipped: cases.length - suiteFailures })}>\n${cases.join('\n')}\n  </testsuite>`
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs({ name: 'sf integration audit', tests, failures, errors: 0, skipped })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
};
