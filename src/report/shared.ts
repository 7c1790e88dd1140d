/** Helpers every reporter uses: evidence as one line, subject labels, rule lookup. */
import { RULES } from '../rules/index.js';
import type { Evidence, Finding, RuleMeta, Subject } from '../rules/types.js';

export const evidenceLine = (e: Evidence): string =>
  `${e.holderKind} ${e.holderName}${e.viaGroup ? ` (via group ${e.viaGroup})` : ''}: ${e.grants}`;

export const evidenceText = (f: Finding): string => f.evidence.map(evidenceLine).join('; ');

export const subjectLabel = (s: Subject): string => `${s.kind} ${s.name}`;

export const ruleMetaById = (): Map<string, RuleMeta> => new Map(RULES.map((r) => [r.meta.id, r.meta]));

export const ruleMetas = (): RuleMeta[] => RULES.map((r) => r.meta);

/**
 * The evidence of a finding in at most `width` columns: in full when it fits, else one entry per holder with its
 * grant, or the number of its grants ("permissionSet Erp: 663 grants, e.g. Account.Name: read"), cut with "…".
 */
export const evidenceSummary = (f: Finding, width: number): string => {
  const full = evidenceText(f);
  if (Array.from(full).length <= width) return full;
  const byHolder = new Map<string, string[]>();
  for (const e of f.evidence) {
    const holder = `${e.holderKind} ${e.holderName}${e.viaGroup ? ` (via group ${e.viaGroup})` : ''}`;
    byHolder.set(holder, [...(byHolder.get(holder) ?? []), e.grants]);
  }
  const summary = [...byHolder]
    .map(([holder, grants]) => (grants.length === 1 ? `${holder}: ${grants[0]}` : `${holder}: ${grants.length} grants, e.g. ${grants[0]}`))
    .join('; ');
  const chars = Array.from(summary);
  return chars.length <= width ? summary : `${chars.slice(0, Math.max(0, width - 1)).join('').trimEnd()}…`;
};
