/**
 * The audit, as one pure step after loading: model → rules → suppressions → result. Loading (org or directory)
 * and writing reports are the command's I/O around it.
 */
import { Messages } from '@salesforce/core';
import type { AccessModel } from '../access/model.js';
import { buildRuleContext } from '../rules/context.js';
import { holderSubject, userSubject } from '../rules/helpers.js';
import { RULES } from '../rules/index.js';
import { runRules } from '../rules/runner.js';
import { SEVERITY_NAMES, severityName, type Severity } from '../rules/severity.js';
import type { DeclaredIntegration, Finding, Rule } from '../rules/types.js';
import { EMPTY_CONFIG, excludedBy, type AuditConfig } from './config.js';
import { applySuppressions } from './suppress.js';
import { failingFindings } from './threshold.js';
import type { AuditLoadProblem, AuditRun } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'audit');

export type AuditOptions = {
  threshold: Severity;
  config?: AuditConfig;
  declared?: DeclaredIntegration;
  /** Flag value; wins over the config file. */
  dormantDays?: number;
  now?: Date;
  rules?: readonly Rule[];
};

/** Load problems printed as warnings; the rest are in the result and the reports. */
const MAX_PROBLEM_WARNINGS = 10;

const bySeverityRuleSubject = (a: Finding, b: Finding): number =>
  a.severity - b.severity || a.ruleId.localeCompare(b.ruleId) || a.subject.name.localeCompare(b.subject.name);

export const auditModel = (model: AccessModel, options: AuditOptions): AuditRun => {
  const config = options.config ?? EMPTY_CONFIG;
  const now = options.now ?? new Date();
  const dormantDays = options.dormantDays ?? config.dormantDays;
  const context = buildRuleContext(
    model,
    { now, ...(dormantDays ? { dormantDays } : {}), ...(config.integrationNamePatterns ? { integrationNamePatterns: config.integrationNamePatterns } : {}) },
    options.declared
  );
  const run = runRules(options.rules ?? RULES, context, { severities: config.severities, disabled: config.disabled });
  const outcome = applySuppressions(run.findings, config.suppressions, now.toISOString().slice(0, 10));
  const findings = [...outcome.active].sort(bySeverityRuleSubject);
  const warnings = [
    // A directory of OAuth client files only: say it, so a --source-dir that missed the profiles is seen at once.
    ...model.unavailableFacts.filter((u) => u.fact === 'permissionHolders').map((u) => messages.getMessage('warning.oauthClientsOnly', [u.reason])),
    ...outcome.expired.map((s) => messages.getMessage('warning.suppressionExpired', [s.rule, s.subject, s.expires ?? ''])),
    ...outcome.unused.map((s) => messages.getMessage('warning.suppressionUnused', [s.rule, s.subject])),
  ];
  // Fail closed: what an unreadable profile or permission set grants is unknown, so it fails the audit unless the
  // configuration excludes the file on purpose.
  const loadProblems: AuditLoadProblem[] = [
    ...model.loadProblems.map((p) => {
      if (p.code !== 'unreadable') return p;
      const exclusion = excludedBy(config, p.path);
      return exclusion ? { ...p, excludedBy: exclusion } : { ...p, blocking: true };
    }),
    // No rule needs to know who is frozen (IU-HYG-001 only words its finding by it), so no "not evaluated" would say
    // that it is unknown: the org problem does, and the audit goes on.
    ...model.unavailableFacts.filter((u) => u.fact === 'frozenUsers').map((u): AuditLoadProblem => ({ message: u.reason })),
  ];
  const unreadableFiles = loadProblems.filter((p) => p.blocking).length;
  // Org problems and unreadable files are warnings too; notes (duplicates, unknown members) stay in the result.
  const warnable = loadProblems.filter((p) => p.blocking === true || p.code === undefined);
  warnings.push(
    ...warnable.slice(0, MAX_PROBLEM_WARNINGS).map((p) => messages.getMessage('warning.loadProblem', [`${p.path ?? model.origin}${p.line ? `:${p.line}` : ''}`, p.message])),
    ...(warnable.length > MAX_PROBLEM_WARNINGS ? [messages.getMessage('warning.moreLoadProblems', [warnable.length - MAX_PROBLEM_WARNINGS])] : [])
  );
  const stats = model.loadStats;
  const subjects =
    context.mode === 'users'
      ? context.integrationUsers.map((iu) => userSubject(iu.user))
      : context.integrationHolders.map((ih) => holderSubject(ih.holder));
  const counts = Object.fromEntries(SEVERITY_NAMES.map((name) => [name, 0])) as Record<(typeof SEVERITY_NAMES)[number], number>;
  for (const f of findings) counts[severityName(f.severity)]++;
  const failing = failingFindings(findings, options.threshold).length;
  return {
    result: {
      source: model.source,
      target: model.origin,
      threshold: severityName(options.threshold),
      passed: failing === 0 && unreadableFiles === 0,
      summary: {
        ...counts,
        total: findings.length,
        failing,
        suppressed: outcome.suppressed.length,
        notEvaluated: run.notEvaluated.length,
        rulesEvaluated: run.evaluated.length,
        subjectsAudited: subjects.length,
        unreadableFiles,
      },
      findings,
      suppressed: outcome.suppressed.sort(bySeverityRuleSubject),
      notEvaluated: run.notEvaluated,
      rulesEvaluated: run.evaluated,
      loadProblems,
      ...(stats ? { files: { found: stats.filesFound, read: stats.filesRead, skipped: stats.filesSkipped, ignored: stats.filesIgnored, bytes: stats.bytesRead } } : {}),
      reports: [],
    },
    subjects,
    warnings,
  };
};
