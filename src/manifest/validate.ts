/** validateManifest: pure check of a parsed manifest (schema + semantic rules) and its normalisation. */
import { bundledFieldAccess, type FieldAccessLookup } from '../salesforce/fieldAccess.js';
import type { DesiredState, Manifest, ManifestProblem } from './types.js';
import { checkAgainstSchema } from './schemaCheck.js';
import { checkSemantics, type SemanticOptions } from './semanticCheck.js';
import { desiredStateOf } from './desiredState.js';
import { omittedFieldNotes, withoutImplicitFieldAccess } from './fieldAccess.js';

export type ManifestValidation = {
  /** Set only when there is no problem. */
  manifest?: Manifest;
  desired?: DesiredState;
  /** Every problem found; empty when the manifest is valid. */
  problems: ManifestProblem[];
  /** Things that do not stop the manifest (an unknown permission name, an unused elevation). */
  warnings: string[];
  /** What the plugin does differently from the letter of the manifest, and why (field access left out). */
  notes: string[];
};

export function formatProblem(problem: ManifestProblem): string {
  return `${problem.path}: ${problem.message} — ${problem.fix}`;
}

export type ValidateOptions = SemanticOptions & {
  /** Which fields take no field permission; default: the bundled describe of the standard objects. */
  fieldAccess?: FieldAccessLookup;
};

export function validateManifest(raw: unknown, source?: string, options: ValidateOptions = {}): ManifestValidation {
  const structural = checkAgainstSchema(raw);
  const semantic = checkSemantics(raw, options);
  // The schema and the semantic rules can see one fault from two sides; one line per path and code.
  const seen = new Set(structural.map((problem) => `${problem.path}\u0000${problem.code}`));
  const problems = [...structural, ...semantic.problems.filter((problem) => !seen.has(`${problem.path}\u0000${problem.code}`))];
  if (problems.length > 0) return { problems, warnings: semantic.warnings, notes: [] };
  const manifest = raw as Manifest;
  const { desired, omitted } = withoutImplicitFieldAccess(desiredStateOf(manifest, source), options.fieldAccess ?? bundledFieldAccess);
  return { manifest, desired, problems, warnings: semantic.warnings, notes: omittedFieldNotes(omitted) };
}
