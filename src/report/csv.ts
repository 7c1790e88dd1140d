/**
 * `.csv` report: one row per finding (suppressed ones included, marked), then one row per profile or permission set
 * file that could not be read (status `unreadable`: it fails the audit; `unreadable-excluded`: listed in
 * excludeFiles), so a spreadsheet of the audit shows what it could not check. RFC 4180 quoting.
 */
import type { AuditLoadProblem, AuditResult } from '../audit/types.js';
import { severityName } from '../rules/severity.js';
import type { Finding } from '../rules/types.js';
import { evidenceText, ruleMetaById } from './shared.js';

const HEADER = ['severity', 'severityName', 'ruleId', 'title', 'status', 'subjectKind', 'subject', 'filePath', 'message', 'grantedBy', 'recognisedBy', 'suppressionReason', 'suppressionExpires'];

/** Quotes a cell; a leading = + - @ is neutralised so spreadsheets do not run it as a formula. */
export const csvCell = (value: string | number | undefined): string => {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsvReport = (result: AuditResult): string => {
  const titles = ruleMetaById();
  const row = (f: Finding, status: string, reason?: string, expires?: string): string =>
    [f.severity, severityName(f.severity), f.ruleId, titles.get(f.ruleId)?.title, status, f.subject.kind, f.subject.name, f.subject.filePath, f.message, evidenceText(f), (f.recognisedBy ?? []).join('; '), reason, expires]
      .map(csvCell)
      .join(',');
  // Fail closed, as in SARIF, JUnit and Markdown: the file (with the line where parsing failed) is the subject.
  const unreadableRow = (p: AuditLoadProblem): string =>
    ['', '', '', '', p.blocking ? 'unreadable' : 'unreadable-excluded', 'file', `${p.path ?? ''}${p.line ? `:${p.line}` : ''}`, p.path, p.message, '', '', p.excludedBy ? `excluded by ${p.excludedBy}` : '', '']
      .map(csvCell)
      .join(',');
  return [
    HEADER.join(','),
    ...result.findings.map((f) => row(f, 'finding')),
    ...result.suppressed.map((f) => row(f, 'suppressed', f.suppression.reason, f.suppression.expires)),
    ...result.loadProblems.filter((p) => p.code === 'unreadable').map(unreadableRow),
  ].join('\r\n') + '\r\n';
};
