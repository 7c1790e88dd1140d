/** The audit's result: what `--json` prints and every reporter reads. Plain JSON (schemas/ is generated from it). */
import type { SeverityName } from '../rules/severity.js';
import type { Finding, NotEvaluated, Subject } from '../rules/types.js';
import type { SuppressedFinding } from './suppress.js';

export type AuditSummary = {
  critical: number;
  high: number;
  moderate: number;
  low: number;
  info: number;
  /** Findings not suppressed. */
  total: number;
  /** Findings at or above the threshold. */
  failing: number;
  suppressed: number;
  notEvaluated: number;
  rulesEvaluated: number;
  /** Integration users (org) or integration profiles and permission sets (directory) audited. */
  subjectsAudited: number;
};

export type AuditLoadProblem = { path?: string; line?: number; message: string };

export type AuditResult = {
  source: 'org' | 'directory';
  /** Org id / username, or the audited directory. */
  target: string;
  threshold: SeverityName;
  /** No finding at or above the threshold. */
  passed: boolean;
  summary: AuditSummary;
  /** Sorted by severity, then rule, then subject. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
  notEvaluated: NotEvaluated[];
  rulesEvaluated: string[];
  loadProblems: AuditLoadProblem[];
  /** Report files written (--output-file). */
  reports: string[];
};

/** What the reporters get: the result plus the subjects each evaluated rule looked at (JUnit's passing cases). */
export type AuditRun = { result: AuditResult; subjects: Subject[]; warnings: string[] };
