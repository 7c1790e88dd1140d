/** Table data for the human output: findings grouped by severity, most severe first. */
import { ALL_SEVERITIES, severityName, type SeverityName } from '../rules/severity.js';
import type { AuditResult } from '../audit/types.js';
import { evidenceText, subjectLabel } from './shared.js';

export type FindingRow = { rule: string; subject: string; message: string; grantedBy: string; recognisedBy: string };

export type SeverityGroup = { severity: SeverityName; rows: FindingRow[] };

export const findingTable = (result: AuditResult): SeverityGroup[] =>
  ALL_SEVERITIES.map((severity) => ({
    severity: severityName(severity),
    rows: result.findings
      .filter((f) => f.severity === severity)
      .map((f) => ({
        rule: f.ruleId,
        subject: subjectLabel(f.subject) + (f.subject.filePath ? ` (${f.subject.filePath})` : ''),
        message: f.message,
        grantedBy: evidenceText(f),
        recognisedBy: (f.recognisedBy ?? []).join('; '),
      })),
  })).filter((group) => group.rows.length > 0);
