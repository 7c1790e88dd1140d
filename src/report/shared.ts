/** Helpers every reporter uses: evidence as one line, subject labels, rule lookup. */
import { RULES } from '../rules/index.js';
import type { Evidence, Finding, RuleMeta, Subject } from '../rules/types.js';

/** The holder part of an evidence line: "permissionSet Erp (via group Bundle)". */
const holderOf = (e: Evidence): string => `${e.holderKind} ${e.holderName}${e.viaGroup ? ` (via group ${e.viaGroup})` : ''}`;

export const evidenceLine = (e: Evidence): string => `${holderOf(e)}: ${e.grants}`;

export const evidenceText = (f: Finding): string => f.evidence.map(evidenceLine).join('; ');

export const subjectLabel = (s: Subject): string => `${s.kind} ${s.name}`;

export const ruleMetaById = (): Map<string, RuleMeta> => new Map(RULES.map((r) => [r.meta.id, r.meta]));

export const ruleMetas = (): RuleMeta[] => RULES.map((r) => r.meta);

/** Whether `text` has at most `width` characters (code points), without splitting a long text into an array. */
const fits = (text: string, width: number): boolean => text.length <= width || (text.length <= 2 * width && Array.from(text).length <= width);

/** The evidence is the subject's own grant (a directory audit's file), not one through another holder or a group. */
const isOwn = (f: Finding, e: Evidence): boolean =>
  !e.viaGroup && e.holderName === f.subject.name && (e.holderKind === 'mutingPermissionSet' ? 'permissionSet' : e.holderKind) === f.subject.kind;

/**
 * The evidence of a finding in at most `width` columns: in full when it fits, else one entry per holder with its
 * grant, or the number of its grants ("permissionSet Erp: 663 grants, e.g. Account.Name: read"), cut with "…".
 * The subject's own grants go without the holder (the subject column names it already). Linear in the evidence,
 * whatever its size (a profile of 20,000 field grants): the full text is built only while it may still fit.
 */
export const evidenceSummary = (f: Finding, width: number): string => {
  const holderPart = (e: Evidence): string => (isOwn(f, e) ? '' : holderOf(e));
  const entry = (holder: string, grants: string): string => (holder ? `${holder}: ${grants}` : grants);
  let full = '';
  for (const [i, e] of f.evidence.entries()) {
    full += `${i > 0 ? '; ' : ''}${entry(holderPart(e), e.grants)}`;
    if (full.length > 2 * width) break; // more than `width` characters whatever their width in UTF-16
  }
  if (fits(full, width)) return full;
  const byHolder = new Map<string, string[]>();
  for (const e of f.evidence) {
    const holder = holderPart(e);
    const grants = byHolder.get(holder);
    if (grants) grants.push(e.grants);
    else byHolder.set(holder, [e.grants]);
  }
  const summary = [...byHolder]
    .map(([holder, grants]) => entry(holder, grants.length === 1 ? grants[0] : `${grants.length} grants, e.g. ${grants[0]}`))
    .join('; ');
  if (fits(summary, width)) return summary;
  const chars = Array.from(summary.slice(0, 2 * width));
  return `${chars.slice(0, Math.max(0, width - 1)).join('').trimEnd()}…`;
};
