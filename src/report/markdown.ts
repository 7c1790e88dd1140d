/**
 * `.md` report: a summary fit for a pull-request comment. It opens with a Mermaid diagram (GitHub renders it) of
 * the subjects with failing findings → the profile and permission sets that grant → the critical grants, then
 * the counts, the files that could not be read, the findings, what was not evaluated and the suppressions.
 * GitHub refuses comments over 65,536 characters: every list stops in time with "… and N more" and a pointer to
 * the full report, and cells are cut with "…".
 */
import type { AuditResult } from '../audit/types.js';
import { parseSeverity, severityName } from '../rules/severity.js';
import type { Finding } from '../rules/types.js';
import { evidenceSummary, ruleMetaById } from './shared.js';

/** GitHub's limit on an issue or pull-request comment body. */
export const MARKDOWN_MAX_CHARS = 65_536;
/** Findings listed at most (the rest is counted), even when they would fit. */
export const MARKDOWN_MAX_FINDINGS = 100;
/** Longest cell, in characters. */
const CELL_CHARS = 240;
/** Room kept for the sections after the findings (not evaluated, suppressed, notes) and the closing line. */
const TAIL_RESERVE = 6000;

/** Diagram caps: beyond these a graph stops being readable in a comment. */
export const DIAGRAM_MAX_SUBJECTS = 8;
const DIAGRAM_MAX_HOLDERS_PER_SUBJECT = 4;
const DIAGRAM_MAX_GRANTS_PER_HOLDER = 3;
const DIAGRAM_LABEL_CHARS = 48;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

const cell = (text: string, max = CELL_CHARS): string =>
  cut(text.replace(/\r?\n/g, ' '), max).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Mermaid node label: quoted, with the characters Mermaid would read as syntax replaced by entity codes. */
const label = (text: string): string => `"${cut(text, DIAGRAM_LABEL_CHARS).replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;')).replace(/[[\](){}|`]/g, ' ')}"`;

/**
 * Subjects with failing findings → the holders their evidence names → the critical grants (one node per grant
 * line, the first few). Capped per level; what is left out is counted in a last node.
 */
export const mermaidDiagram = (result: AuditResult, failing: Finding[]): string[] => {
  if (failing.length === 0) return [];
  const bySubject = new Map<string, Finding[]>();
  for (const f of failing) {
    const key = `${f.subject.kind} ${f.subject.name}${f.subject.filePath ? `|${f.subject.filePath}` : ''}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), f]);
  }
  const ids = new Map<string, string>();
  const nodes: string[] = [];
  const edges = new Set<string>();
  const node = (key: string, text: string, shape: 'subject' | 'holder' | 'grant'): string => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
      nodes.push(shape === 'subject' ? `  ${id}([${label(text)}])` : shape === 'holder' ? `  ${id}[${label(text)}]` : `  ${id}{{${label(text)}}}`);
    }
    return id;
  };
  const subjects = [...bySubject].slice(0, DIAGRAM_MAX_SUBJECTS);
  for (const [key, findings] of subjects) {
    const first = findings[0].subject;
    const subjectId = node(`s:${key}`, `${first.kind} ${first.name}`, 'subject');
    const holders = new Map<string, string[]>();
    for (const f of findings) {
      for (const e of f.evidence) {
        if (e.holderKind === 'user' || e.holderKind === 'manifest') continue;
        const holder = `${e.holderKind} ${e.holderName}`;
        const grants = holders.get(holder) ?? [];
        if (f.severity === 1) grants.push(e.grants);
        holders.set(holder, grants);
      }
    }
    for (const [holder, grants] of [...holders].slice(0, DIAGRAM_MAX_HOLDERS_PER_SUBJECT)) {
      // A holder that is the subject itself (directory audits) links its grants straight from the subject.
      const holderId = holder === `${first.kind} ${first.name}` ? subjectId : node(`h:${holder}`, holder, 'holder');
      if (holderId !== subjectId) edges.add(`  ${subjectId} --> ${holderId}`);
      for (const grant of [...new Set(grants)].slice(0, DIAGRAM_MAX_GRANTS_PER_HOLDER)) {
        edges.add(`  ${holderId} -->|critical| ${node(`g:${grant}`, grant, 'grant')}`);
      }
    }
  }
  const omitted = bySubject.size - subjects.length;
  if (omitted > 0) nodes.push(`  more[${label(`… and ${omitted} more with failing findings`)}]`);
  return ['```mermaid', 'flowchart LR', ...nodes, ...edges, '```', ''];
};

export const toMarkdownReport = (result: AuditResult): string => {
  const rules = ruleMetaById();
  const s = result.summary;
  const threshold = parseSeverity(result.threshold) ?? 2;
  const failing = result.findings.filter((f) => f.severity <= threshold);
  const head: string[] = [
    `## sf integration audit: ${result.passed ? '✅ passed' : '❌ failed'}`,
    '',
    `Target: \`${cell(result.target, 200)}\` (${result.source}) · threshold: **${result.threshold}** · ${s.failing} finding(s) at or above it${s.unreadableFiles ? ` · **${s.unreadableFiles} unreadable file(s)**` : ''}`,
    ...(result.files ? ['', `Files: read ${result.files.read} of ${result.files.found}, ${result.files.skipped} skipped (${result.files.ignored} ignored by .forceignore).`] : []),
    '',
    ...mermaidDiagram(result, failing),
    '| critical | high | moderate | low | info | suppressed | not evaluated |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.critical} | ${s.high} | ${s.moderate} | ${s.low} | ${s.info} | ${s.suppressed} | ${s.notEvaluated} |`,
    '',
  ];
  const lines = [...head];
  let size = lines.reduce((total, line) => total + line.length + 1, 0);
  const push = (line: string): void => {
    lines.push(line);
    size += line.length + 1;
  };
  /** Adds rows while they fit under the limit minus `reserve`; then one "… and N more" line. */
  const list = (rows: string[], reserve: number, cap = Number.POSITIVE_INFINITY): void => {
    let shown = 0;
    for (const row of rows) {
      if (shown >= cap || size + row.length + 1 > MARKDOWN_MAX_CHARS - reserve) break;
      push(row);
      shown++;
    }
    if (shown < rows.length) push(`\n… and ${rows.length - shown} more (see the full report: --output-file audit.sarif or --json).`);
  };

  const unreadable = result.loadProblems.filter((p) => p.code === 'unreadable' || p.code === undefined);
  if (unreadable.length > 0) {
    push('### Files that could not be read');
    push('');
    list(
      unreadable.map((p) => `- \`${cell(`${p.path ?? ''}${p.line ? `:${p.line}` : ''}`, 200)}\`: ${cell(p.message)}${p.blocking ? ' **(fails the audit)**' : p.excludedBy ? ` (excluded by \`${cell(p.excludedBy, 100)}\`)` : ''}`),
      TAIL_RESERVE + 8000,
      50
    );
    push('');
  }
  if (result.findings.length > 0) {
    push('### Findings');
    push('');
    push('| severity | rule | subject | finding | granted by |');
    push('|---|---|---|---|---|');
    list(
      result.findings.map((f) => {
        const rule = `${f.ruleId} ${rules.get(f.ruleId)?.title ?? ''}`;
        const subject = `${f.subject.kind} ${f.subject.name}${f.subject.filePath ? ` (${f.subject.filePath})` : ''}`;
        return `| ${severityName(f.severity)} | ${cell(rule, 80)} | ${cell(subject, 120)} | ${cell(f.message)} | ${cell(evidenceSummary(f, CELL_CHARS))} |`;
      }),
      TAIL_RESERVE,
      MARKDOWN_MAX_FINDINGS
    );
    push('');
  }
  if (result.notEvaluated.length > 0) {
    push('### Not evaluated');
    push('');
    list(result.notEvaluated.map((n) => `- **${n.ruleId}** ${cell(n.title, 100)}: ${cell(n.reason, 200)}`), 2500);
    push('');
  }
  if (result.suppressed.length > 0) {
    push('<details><summary>Suppressed findings</summary>');
    push('');
    list(result.suppressed.map((f) => `- ${f.ruleId} ${cell(f.subject.name, 120)}: ${cell(f.suppression.reason, 200)}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`), 1500, 50);
    push('');
    push('</details>');
    push('');
  }
  const notes = result.loadProblems.filter((p) => p.code !== undefined && p.code !== 'unreadable');
  if (notes.length > 0) {
    push(`<details><summary>Notes on the files (${notes.length})</summary>`);
    push('');
    list(notes.map((p) => `- \`${cell(p.path ?? '', 200)}\`: ${cell(p.message)}`), 200, 30);
    push('');
    push('</details>');
    push('');
  }
  return lines.join('\n');
};
