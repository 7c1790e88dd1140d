/** Helpers every reporter uses: evidence as one line, subject labels, rule lookup. */
import { RULES } from '../rules/index.js';
import type { Evidence, Finding, RuleMeta, Subject } from '../rules/types.js';

export const evidenceLine = (e: Evidence): string =>
  `${e.holderKind} ${e.holderName}${e.viaGroup ? ` (via group ${e.viaGroup})` : ''}: ${e.grants}`;

export const evidenceText = (f: Finding): string => f.evidence.map(evidenceLine).join('; ');

export const subjectLabel = (s: Subject): string => `${s.kind} ${s.name}`;

export const ruleMetaById = (): Map<string, RuleMeta> => new Map(RULES.map((r) => [r.meta.id, r.meta]));

export const ruleMetas = (): RuleMeta[] => RULES.map((r) => r.meta);
