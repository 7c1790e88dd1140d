/**
 * `.sarif` report, SARIF 2.1.0: every rule in tool.driver.rules (with help text), one result per finding
 * (suppressed ones carry `suppressions`), level from severity. Location: the metadata file for directory
 * audits, a logical location (user, profile, permission set) for org audits. Rules not evaluated are
 * tool configuration notifications, so the gap is visible in code-scanning UIs.
 */
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { AuditResult } from '../audit/types.js';
import { sarifLevel, severityName } from '../rules/severity.js';
import type { Finding } from '../rules/types.js';
import type { SuppressedFinding } from '../audit/suppress.js';
import { evidenceLine, ruleMetas } from './shared.js';

export type SarifOptions = {
  toolVersion: string;
  /** Directory audits: the audited directory relative to where the report is read (repository root / cwd). */
  baseDir?: string;
  /**
   * Org audits: a repository file (the manifest, relative to the repository root) that findings about org subjects
   * are anchored to, line 1. GitHub code scanning rejects uploads whose results name no file ("locationFromSarifResult:
   * expected artifact location", reported in Checkmarx/2ms#128 and microsoft/sarif-sdk#2770; not tried against
   * GitHub by us). Without it org results carry only their logical location.
   */
  anchorFile?: string;
};

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/sf-plugin-integration/sf-plugin-integration#audit-rules';

const joinPosix = (...parts: string[]): string =>
  parts
    .filter((p) => p !== '' && p !== '.')
    .join('/')
    .replace(/\\/g, '/')
    .replace(/\/+/g, '/');

const location = (f: Finding, options: SarifOptions): Location => {
  if (f.subject.filePath) {
    return {
      // The finding is about the file as a whole; code-scanning UIs need a line to anchor it.
      physicalLocation: { artifactLocation: { uri: encodeURI(joinPosix(options.baseDir ?? '', f.subject.filePath)) }, region: { startLine: 1 } },
      logicalLocations: [{ name: f.subject.name, fullyQualifiedName: `${f.subject.kind}/${f.subject.name}`, kind: 'resource' }],
    };
  }
  const logicalLocations = [{ name: f.subject.name, fullyQualifiedName: `${f.subject.kind}/${f.subject.name}`, kind: 'resource' }];
  if (options.anchorFile) {
    return { physicalLocation: { artifactLocation: { uri: encodeURI(joinPosix(options.anchorFile)) }, region: { startLine: 1 } }, logicalLocations };
  }
  return { logicalLocations };
};

const result = (f: Finding | SuppressedFinding, ruleIndex: number, options: SarifOptions): Result => ({
  ruleId: f.ruleId,
  ruleIndex,
  level: sarifLevel(f.severity),
  message: { text: [f.message, ...f.evidence.map((e) => `Granted by ${evidenceLine(e)}.`)].join(' ') },
  locations: [location(f, options)],
  partialFingerprints: { 'integrationAuditSubject/v1': `${f.ruleId}|${f.subject.kind}|${f.subject.name.toLowerCase()}` },
  properties: {
    severity: f.severity,
    severityName: severityName(f.severity),
    subject: f.subject,
    evidence: f.evidence,
    ...(f.recognisedBy ? { recognisedBy: f.recognisedBy } : {}),
  },
  ...('suppression' in f ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppression.reason }] } : {}),
});

export const toSarifLog = (audit: AuditResult, options: SarifOptions): Log => {
  const metas = ruleMetas();
  const rules: ReportingDescriptor[] = metas.map((meta) => ({
    id: meta.id,
    name: meta.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: `${meta.detection}\n\nRemediation: ${meta.remediation}`, markdown: `${meta.detection}\n\n**Remediation:** ${meta.remediation}` },
    helpUri: `${INFORMATION_URI}`,
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: { severity: meta.severity, severityName: severityName(meta.severity), tags: ['security', 'integration-user'] },
  }));
  const indexOf = new Map(metas.map((m, i) => [m.id, i]));
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: { driver: { name: 'sf-plugin-integration', semanticVersion: options.toolVersion, informationUri: INFORMATION_URI, rules } },
        invocations: [
          {
            // Fail closed: an unreadable profile or permission set file is an error of the run, not a note.
            executionSuccessful: audit.summary.unreadableFiles === 0,
            toolConfigurationNotifications: audit.notEvaluated.map((n) => ({
              descriptor: { id: n.ruleId, index: indexOf.get(n.ruleId) },
              level: 'note',
              message: { text: `${n.ruleId} not evaluated: ${n.reason}` },
            })),
            toolExecutionNotifications: audit.loadProblems.map((p) => ({
              level: p.blocking ? 'error' : p.code === 'unreadable' || p.code === undefined ? 'warning' : 'note',
              message: { text: `${p.message}${p.blocking ? ' (unreadable file: the audit fails)' : p.excludedBy ? ` (excluded by ${p.excludedBy})` : ''}` },
              ...(p.path
                ? { locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(joinPosix(options.baseDir ?? '', p.path)) }, ...(p.line ? { region: { startLine: p.line } } : {}) } }] }
                : {}),
            })),
          },
        ],
        results: [
          ...audit.findings.map((f) => result(f, indexOf.get(f.ruleId) ?? -1, options)),
          ...audit.suppressed.map((f) => result(f, indexOf.get(f.ruleId) ?? -1, options)),
        ],
        properties: { target: audit.target, source: audit.source, threshold: audit.threshold, passed: audit.passed },
      },
    ],
  };
};

export const toSarifReport = (audit: AuditResult, options: SarifOptions): string => `${JSON.stringify(toSarifLog(audit, options), null, 2)}\n`;
