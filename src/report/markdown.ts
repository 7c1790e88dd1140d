/** `.md` report: a summary fit for a pull-request comment (counts, the findings, what was not evaluated). */
import type { AuditResult } from '../audit/types.js';
import { severityName } from '../rules/severity.js';
import { evidenceText, ruleMetaById } from './shared.js';

/** Findings listed in full; the rest is counted (PR comments have a size limit). */
export const MARKDOWN_MAX_FINDINGS = 100;

const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

export const toMarkdownReport = (result: AuditResult): string => {
  const rules = ruleMetaById();
  const s = result.summary;
  const lines = [
    `## sf integration audit: ${result.passed ? '✅ passed' : '❌ failed'}`,
    '',
    `Target: \`${cell(result.target)}\` (${result.source}) · threshold: **${result.threshold}** · ${s.failing} finding(s) at or above it`,
    '',
    '| critical | high | moderate | low | info | suppressed | not evaluated |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.critical} | ${s.high} | ${s.moderate} | ${s.low} | ${s.info} | ${s.suppressed} | ${s.notEvaluated} |`,
    '',
  ];
  if (result.findings.length > 0) {
    lines.push('### Findings', '', '| severity | rule | subject | finding | granted by |', '|---|---|---|---|---|');
    for (const f of result.findings.slice(0, MARKDOWN_MAX_FINDINGS)) {
      const rule = `${f.ruleId} ${rules.get(f.ruleId)?.title ?? ''}`;
      lines.push(`| ${severityName(f.severity)} | ${cell(rule)} | ${cell(`${f.subject.kind} ${f.subject.name}`)} | ${cell(f.message)} | ${cell(evidenceText(f))} |`);
    }
    if (result.findings.length > MARKDOWN_MAX_FINDINGS) lines.push('', `… and ${result.findings.length - MARKDOWN_MAX_FINDINGS} more findings (see the full report).`);
    lines.push('');
  }
  if (result.notEvaluated.length > 0) {
    lines.push('### Not evaluated', '');
    for (const n of result.notEvaluated) lines.push(`- **${n.ruleId}** ${cell(n.title)}: ${cell(n.reason)}`);
    lines.push('');
  }
  if (result.suppressed.length > 0) {
    lines.push('<details><summary>Suppressed findings</summary>', '');
    for (const f of result.suppressed) lines.push(`- ${f.ruleId} ${cell(f.subject.name)}: ${cell(f.suppression.reason)}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`);
    lines.push('', '</details>', '');
  }
  if (result.loadProblems.length > 0) {
    lines.push('### Files that could not be read', '');
    for (const p of result.loadProblems) lines.push(`- \`${cell(p.path ?? '')}${p.line ? `:${p.line}` : ''}\`: ${cell(p.message)}`);
    lines.push('');
  }
  return lines.join('\n');
};
