/**
 * Suppressions: a finding whose rule and subject match a suppression is moved to `suppressed` (still reported),
 * unless the suppression expired, in which case the finding stays and a warning says so.
 */
import type { Finding } from '../rules/types.js';
import type { Suppression } from './config.js';

export type SuppressedFinding = Finding & { suppression: { reason: string; expires?: string } };

export type SuppressionOutcome = {
  active: Finding[];
  suppressed: SuppressedFinding[];
  expired: Suppression[];
  unused: Suppression[];
};

const matches = (s: Suppression, f: Finding): boolean =>
  s.rule.toUpperCase() === f.ruleId && s.subject.toLowerCase() === f.subject.name.toLowerCase();

/** `today` is YYYY-MM-DD; a suppression expiring today still applies. */
export const applySuppressions = (findings: Finding[], suppressions: Suppression[], today: string): SuppressionOutcome => {
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const expired = new Set<Suppression>();
  const used = new Set<Suppression>();
  for (const finding of findings) {
    const matching = suppressions.filter((s) => matches(s, finding));
    const current = matching.find((s) => s.expires === undefined || s.expires >= today);
    matching.forEach((s) => used.add(s));
    if (current) {
      suppressed.push({ ...finding, suppression: { reason: current.reason, ...(current.expires ? { expires: current.expires } : {}) } });
    } else {
      matching.forEach((s) => expired.add(s));
      active.push(finding);
    }
  }
  return { active, suppressed, expired: [...expired], unused: suppressions.filter((s) => !used.has(s)) };
};
