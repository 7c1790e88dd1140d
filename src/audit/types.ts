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
  /** Profile and permission set files that could not be read and are not excluded: each fails the audit. */
  unreadableFiles: number;
};

export type AuditLoadProblem = {
  path?: string;
  line?: number;
  message: string;
  /** unreadable | duplicate | unknownMember | symlink */
  code?: string;
  /** An unreadable file the configuration does not exclude: the audit fails on it (fail closed). */
  blocking?: boolean;
  /** The configuration's excludeFiles entry that excludes the file. */
  excludedBy?: string;
};

/** Directory audits: files found, read and skipped. */
export type AuditFileCounts = { found: number; read: number; skipped: number; ignored: number; bytes: number };

export type AuditResult = {
  source: 'org' | 'directory';
  /** Org id / username, or the audited directory. */
  target: string;
  threshold: SeverityName;
  /** No finding at or above the threshold, and no unreadable file (directory audits fail closed). */
  passed: boolean;
  summary: AuditSummary;
  /** Sorted by severity, then rule, then subject. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
  notEvaluated: NotEvaluated[];
  rulesEvaluated: string[];
  loadProblems: AuditLoadProblem[];
  /** Directory audits: how many metadata files were read and skipped. */
  files?: AuditFileCounts;
  /** Report files written (--output-file). */
  reports: string[];
};

/** What the reporters get: the result plus the subjects each evaluated rule looked at (JUnit's passing cases). */
export type AuditRun = { result: AuditResult; subjects: Subject[]; warnings: string[] };
