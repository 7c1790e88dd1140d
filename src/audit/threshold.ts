/** The severity threshold and the exit code it decides. */
import { Messages } from '@salesforce/core';
import { parseSeverity, type Severity } from '../rules/severity.js';
import type { Finding } from '../rules/types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'audit');

export const DEFAULT_THRESHOLD: Severity = 2;

/** Exit codes documented in the command's help. */
export const EXIT_FINDINGS = 1;
export const EXIT_AUDIT_FAILED = 2;

export const parseThreshold = (value: string | undefined): Severity => {
  if (value === undefined) return DEFAULT_THRESHOLD;
  const severity = parseSeverity(value);
  if (!severity) throw messages.createError('error.BadThreshold', [value], [], EXIT_AUDIT_FAILED);
  return severity;
};

/** Lower number = more severe: a finding is "at or above" the threshold when its number is not greater. */
export const failingFindings = (findings: Finding[], threshold: Severity): Finding[] =>
  findings.filter((f) => f.severity <= threshold);
