/**
 * The audit's terminal output, fitted to a width (process.stdout.columns, 120 when piped): the summary first, then
 * one line per finding with its cells cut with "…" and long evidence summarised, then what could not be read, the
 * rules not evaluated and the suppressions, each bounded. `verbose` prints every finding in full instead, wrapped
 * within the width. Full evidence is always in --json and the report files.
 */
import { Messages } from '@salesforce/core';
import type { AuditLoadProblem, AuditResult } from '../audit/types.js';
import { severityName } from '../rules/severity.js';
import type { Finding } from '../rules/types.js';
import { fitColumns, textWidth, truncate, wrap } from '../terminal/width.js';
import { evidenceLine, evidenceSummary, subjectLabel } from './shared.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'report');

export type AuditTextOptions = { width: number; verbose?: boolean };

/** Lines of each bounded list (files that could not be read, notes) in the default output. */
const LIST_LINES = 10;

const location = (p: AuditLoadProblem): string => `${p.path ?? ''}${p.line ? `:${p.line}` : ''}`;

/** A path cut from the left, so the file name stays: "…/profiles/Erp Integration.profile-meta.xml". */
const cutLeft = (text: string, width: number): string => {
  const chars = Array.from(text);
  return chars.length <= width ? text : `…${chars.slice(chars.length - width + 1).join('')}`;
};

/** Directory audits: the subject is its file (two files may hold the same name); org audits: kind and name. */
const subjectCell = (f: Finding, width: number): string =>
  f.subject.filePath ? cutLeft(f.subject.filePath, width) : truncate(subjectLabel(f.subject), width);

/** The header: what was audited, files read and skipped, then the verdict with the counts. */
const summaryLines = (result: AuditResult, width: number): string[] => {
  const s = result.summary;
  const files = result.files
    ? messages.getMessage('text.files', [result.files.read, result.files.found, result.files.skipped, result.files.ignored])
    : '';
  const audited = messages.getMessage(result.source === 'org' ? 'text.auditedOrg' : 'text.auditedDirectory', [result.target, s.subjectsAudited]);
  const verdict = messages.getMessage('text.verdict', [
    messages.getMessage(result.passed ? 'text.passed' : 'text.failed'),
    s.failing,
    result.threshold,
    s.unreadableFiles,
    s.critical,
    s.high,
    s.moderate,
    s.low,
    s.info,
    s.suppressed,
    s.notEvaluated,
  ]);
  return [...wrap(`${audited}${files}`, width), ...wrap(verdict, width)];
};

/** A message that opens with its subject's name ("Erp_Sync holds …") loses it in the table: the subject column says it. */
const tableMessage = (f: Finding): string =>
  f.message.startsWith(`${f.subject.name} `) && f.message.length > f.subject.name.length + 1 ? f.message.slice(f.subject.name.length + 1) : f.message;

const findingLines = (findings: Finding[], width: number): string[] => {
  const header = ['SEVERITY', 'RULE', 'SUBJECT', 'FINDING — GRANTED BY'];
  const natural = [8, Math.max(4, ...findings.map((f) => f.ruleId.length)), Math.max(7, ...findings.map((f) => textWidth(f.subject.filePath ?? subjectLabel(f.subject))))];
  // Severity and rule keep their width; the subject gets at most 40% of the line, the finding the rest.
  const widths = fitColumns(natural, natural[0] + natural[1] + Math.max(20, Math.floor(width * 0.4)), [8, natural[1], 20]);
  const rest = Math.max(10, width - widths.reduce((a, b) => a + b, 0) - 3 * 2);
  const line = (cells: string[]): string => [...cells.slice(0, 3).map((c, i) => c.padEnd(widths[i])), cells[3]].join('  ').trimEnd();
  return [
    line(header.map((h, i) => (i < 3 ? truncate(h, widths[i]) : h))),
    ...findings.map((f) => {
      // A long message leaves room for the evidence: it keeps at least 40% of the column, the evidence the rest.
      const evidence = f.evidence.length > 0 ? textWidth(evidenceSummary(f, rest)) : 0;
      const whole = tableMessage(f);
      const cut = truncate(whole, evidence === 0 ? rest : Math.max(Math.floor(rest * 0.4), rest - 3 - evidence));
      // The whole message, when it fits, says more than a cut one beside a few characters of evidence.
      const message = cut !== whole && textWidth(whole) <= rest ? whole : cut;
      const room = rest - textWidth(message) - 3;
      const text = room >= 12 && f.evidence.length > 0 ? `${message} — ${evidenceSummary(f, room)}` : message;
      return line([severityName(f.severity), f.ruleId, subjectCell(f, widths[2]), text]);
    }),
  ];
};

const verboseFinding = (f: Finding, width: number): string[] => [
  truncate(`${severityName(f.severity).toUpperCase()} ${f.ruleId} ${subjectLabel(f.subject)}${f.subject.filePath ? ` (${f.subject.filePath})` : ''}`, width),
  ...wrap(f.message, width - 2, '  ').map((l) => `  ${l}`),
  ...f.evidence.flatMap((e) => wrap(messages.getMessage('text.grantedBy', [evidenceLine(e)]), width - 2, '    ').map((l) => `  ${l}`)),
  ...(f.recognisedBy?.length ? wrap(messages.getMessage('text.recognisedBy', [f.recognisedBy.join('; ')]), width - 2, '    ').map((l) => `  ${l}`) : []),
];

const bounded = <T>(items: T[], verbose: boolean, render: (item: T) => string, more: (count: number) => string): string[] => {
  const shown = verbose ? items : items.slice(0, LIST_LINES);
  return [...shown.map(render), ...(items.length > shown.length ? [more(items.length - shown.length)] : [])];
};

export const auditText = (result: AuditResult, options: AuditTextOptions): string[] => {
  const width = options.width;
  const verbose = options.verbose === true;
  const lines = summaryLines(result, width);
  lines.push('');
  if (result.findings.length === 0) lines.push(messages.getMessage('text.none'));
  else if (verbose) for (const f of result.findings) lines.push(...verboseFinding(f, width), '');
  else lines.push(...findingLines(result.findings, width));

  const unreadable = result.loadProblems.filter((p) => p.code === 'unreadable');
  if (unreadable.length > 0) {
    lines.push('', truncate(messages.getMessage('text.unreadable', [unreadable.filter((p) => p.blocking).length]), width));
    lines.push(
      ...bounded(
        unreadable,
        verbose,
        (p) => truncate(`  ${location(p)}  ${p.message}${p.excludedBy ? ` (${messages.getMessage('text.excluded', [p.excludedBy])})` : ''}`, width),
        (n) => messages.getMessage('text.more', [n])
      )
    );
  }
  const notes = result.loadProblems.filter((p) => p.code !== 'unreadable');
  if (notes.length > 0) {
    lines.push('', truncate(messages.getMessage('text.notes', [notes.length]), width));
    lines.push(...bounded(notes, verbose, (p) => truncate(`  ${location(p) || result.target}  ${p.message}`, width), (n) => messages.getMessage('text.more', [n])));
  }
  if (result.notEvaluated.length > 0) {
    lines.push('');
    if (verbose) {
      lines.push(messages.getMessage('text.notEvaluatedTitle'));
      for (const n of result.notEvaluated) lines.push(...wrap(`${n.ruleId} ${n.title}: ${n.reason}`, width - 2, '    ').map((l) => `  ${l}`));
    } else {
      lines.push(...wrap(messages.getMessage('text.notEvaluated', [result.notEvaluated.length, result.notEvaluated.map((n) => n.ruleId).join(', ')]), width));
    }
  }
  if (result.suppressed.length > 0) {
    lines.push('', truncate(messages.getMessage('text.suppressedTitle', [result.suppressed.length]), width));
    lines.push(
      ...bounded(
        result.suppressed,
        verbose,
        (f) => truncate(`  ${f.ruleId} ${subjectLabel(f.subject)}: ${f.suppression.reason}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`, width),
        (n) => messages.getMessage('text.more', [n])
      )
    );
  }
  return lines;
};
