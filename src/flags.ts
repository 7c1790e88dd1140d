/**
 * Flags shared by the plugin's org commands.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'flags');

/**
 * `-o/--target-org`, required, defaulting to the configured target org like every sf command, but without a
 * dynamic default in `--help`: oclif imports a command (and this plugin's own copies of @salesforce/core and
 * sf-plugins-core) to compute a dynamic default, which made `--help` about 1 s slower than sf's own commands.
 */
export const requiredTargetOrg = Flags.requiredOrg({
  summary: messages.getMessage('flags.target-org.summary'),
  defaultHelp: undefined,
});

/** `-o/--target-org` (required) and `--api-version`: the first two flags of every command that needs an org. */
export const orgFlags = {
  'target-org': requiredTargetOrg,
  'api-version': Flags.orgApiVersion(),
};

/** Longest evidence window: LoginHistory keeps six months, EventLogFile at most a year (Event Monitoring). */
export const MAX_EVIDENCE_DAYS = 365;

/**
 * `--evidence-days N`: read the evidence of use of the integration users over the last N days (OAuth tokens, login
 * history, API log files; see README "Evidence of use"). The audit reads 30 days unless told otherwise; `user list`
 * and `manifest init` read evidence only when the flag is given.
 */
export const evidenceDaysDefault30 = Flags.integer({
  summary: messages.getMessage('flags.evidence-days.summaryDefault'),
  description: messages.getMessage('flags.evidence-days.description'),
  min: 0,
  max: MAX_EVIDENCE_DAYS,
  default: 30,
});

export const evidenceDaysOptional = Flags.integer({
  summary: messages.getMessage('flags.evidence-days.summary'),
  description: messages.getMessage('flags.evidence-days.description'),
  min: 1,
  max: MAX_EVIDENCE_DAYS,
});
