/**
 * Runs the catalogue over one context: a rule whose needs the model lacks (or that needs a manifest that was
 * not given) is "not evaluated" with the reason, never silently passed.
 */
import { isStandardProfile } from './recognition.js';
import { factName, ruleMessage } from './text.js';
import type { Finding, NotEvaluated, Rule, RuleContext, Severity } from './types.js';

export type RuleRunOptions = {
  /** Per-rule severity overrides (config file). */
  severities?: Record<string, Severity>;
  /** Rules switched off in the config file; listed as not evaluated. */
  disabled?: string[];
};

export type RuleRun = { findings: Finding[]; notEvaluated: NotEvaluated[]; evaluated: string[] };

export const whyNotEvaluated = (rule: Rule, context: RuleContext, disabled: string[] = []): string | undefined => {
  if (disabled.includes(rule.meta.id)) return ruleMessage('notEvaluated.disabled');
  if (rule.meta.needsManifest && !context.declared) return ruleMessage('notEvaluated.manifest');
  const known = context.model.knownSystemPermissions;
  if (known && rule.meta.permissions?.length) {
    const knownSet = new Set(known.map((p) => p.toLowerCase()));
    if (!rule.meta.permissions.some((p) => knownSet.has(p.toLowerCase()))) {
      return ruleMessage('notEvaluated.permission', [rule.meta.permissions.map((p) => `Permissions${p}`).join(', ')]);
    }
  }
  // Every rule but those about OAuth clients reads profiles and permission sets; a directory of OAuth clients has none.
  const noHolders = context.model.unavailableFacts.find((u) => u.fact === 'permissionHolders');
  if (noHolders && !rule.meta.needs.includes('oauthClients')) return ruleMessage('notEvaluated.fact', [factName('permissionHolders'), noHolders.reason]);
  const missing = rule.meta.needs.filter((fact) => !context.model.availableFacts.includes(fact));
  if (missing.length === 0) return undefined;
  const fact = missing[0];
  const unavailable = context.model.unavailableFacts.find((u) => u.fact === fact);
  if (unavailable) return ruleMessage('notEvaluated.fact', [factName(fact), unavailable.reason]);
  if (context.model.source === 'directory') {
    return ruleMessage('notEvaluated.factFromDirectory', [missing.map(factName).join(', ')]);
  }
  return ruleMessage('notEvaluated.fact', [factName(fact), ruleMessage('notEvaluated.notLoaded')]);
};

/** Severity 4 (low): the most a holder nobody in the org can edit (see ownedElsewhere) is reported at. */
const NOT_EDITABLE_CAP: Severity = 4;

/**
 * Directory audits: the notes for holders nobody in the org can edit, by subject key: Salesforce's standard profiles
 * (`<custom>false</custom>`) and namespaced permission sets (a managed package's or Salesforce's own; "Subscribers
 * can edit permission sets in unmanaged packages, but not in managed packages", ISVforce Guide, About Permission
 * Sets and Profile Settings in Packages). A finding about one is capped at low and says why; what an org assigns
 * to its integration users is the org audit's to judge.
 */
const ownedElsewhere = (context: RuleContext): Map<string, string> => {
  const notes = new Map<string, string>();
  if (context.mode !== 'holders') return notes;
  for (const { holder } of context.integrationHolders) {
    const note = isStandardProfile(holder)
      ? ruleMessage('standardProfile.note')
      : holder.namespace
        ? ruleMessage('namespacedSet.note', [holder.namespace])
        : undefined;
    if (note) notes.set(`${holder.kind === 'mutingPermissionSet' ? 'permissionSet' : holder.kind}|${holder.filePath ?? holder.name}`, note);
  }
  return notes;
};

export const runRules = (rules: readonly Rule[], context: RuleContext, options: RuleRunOptions = {}): RuleRun => {
  const notEditable = ownedElsewhere(context);
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const evaluated: string[] = [];
  for (const rule of rules) {
    const severity = options.severities?.[rule.meta.id] ?? rule.meta.severity;
    const reason = whyNotEvaluated(rule, context, options.disabled);
    if (reason) {
      notEvaluated.push({ ruleId: rule.meta.id, title: rule.meta.title, severity, reason });
      continue;
    }
    evaluated.push(rule.meta.id);
    for (const draft of rule.check(context)) {
      const note = notEditable.get(`${draft.subject.kind}|${draft.subject.filePath ?? draft.subject.name}`);
      if (note && severity < NOT_EDITABLE_CAP) {
        findings.push({ ruleId: rule.meta.id, severity: NOT_EDITABLE_CAP, ...draft, message: `${draft.message} ${note}` });
      } else findings.push({ ruleId: rule.meta.id, severity, ...draft });
    }
  }
  return { findings, notEvaluated, evaluated };
};
