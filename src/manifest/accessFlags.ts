/**
 * The access flags of `sf integration user create` (--object Account=read,edit, --field Account.Industry=read,
 * --permission ApiEnabled, --apex-class ErpOrderService) as a manifest permission set, added to the one of the
 * --definition-file when there is one. Nothing here validates a name or a verb: the one-app manifest goes through
 * validateManifest like any manifest, and nameFlagProblems() then names each problem by the flag and value that
 * put the faulty entry there instead of its JSON path. Pure.
 */
import { Messages } from '@salesforce/core';
import { jsonPath, type PathSegment } from './names.js';
import type { ManifestPermissionSet, ManifestProblem } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'manifest');

/** The flags as typed, each repeatable (oclif gives the values in command-line order). */
export type AccessFlags = {
  /** `Object=verb[,verb…]`, e.g. `Account=read,edit`. */
  objects?: readonly string[];
  /** `Object.Field=read|edit`, e.g. `Account.Industry=read`. */
  fields?: readonly string[];
  /** System (user) permission API names, e.g. `ApiEnabled`. */
  permissions?: readonly string[];
  apexClasses?: readonly string[];
};

/** Which flag put the entry at a JSON path (and everything under it) into the manifest. */
export type FlagOrigin = { path: string; flag: string };

export type FlagPermissionSet = {
  /** The definition's permission set with the flags' access added; undefined when neither gave any. */
  permissionSet?: ManifestPermissionSet;
  origins: FlagOrigin[];
  /** Flag values that are not even of the form the flag takes (no `=`, no name). */
  problems: ManifestProblem[];
};

type Loose = Record<string, unknown>;
const record = (value: unknown): Loose | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;

/** `name=value` split at the first `=`, both trimmed; undefined when there is no `=` or no name. */
const splitAssignment = (raw: string): { name: string; value: string } | undefined => {
  const at = raw.indexOf('=');
  if (at <= 0) return undefined;
  const name = raw.slice(0, at).trim();
  return name.length > 0 ? { name, value: raw.slice(at + 1).trim() } : undefined;
};

const formatProblem = (flag: string, code: 'flagObjectFormat' | 'flagFieldFormat'): ManifestProblem => ({
  path: flag,
  code,
  message: messages.getMessage(`problem.${code}`),
  fix: messages.getMessage(`fix.${code}`),
});

type Collect = { origin: (segments: PathSegment[], flag: string) => void; problems: ManifestProblem[] };

/** A section of the file that is absent starts empty; one of the wrong type is left as it is, for the validator. */
const section = (value: unknown): Loose | undefined => (value === undefined ? {} : record(value));

const mergeObjects = (current: Loose, values: readonly string[], out: Collect): Loose => {
  const merged: Loose = { ...current };
  for (const raw of values) {
    const flag = `--object ${raw}`;
    const parsed = splitAssignment(raw);
    if (!parsed) {
      out.problems.push(formatProblem(flag, 'flagObjectFormat'));
      continue;
    }
    const existing = Array.isArray(merged[parsed.name]) ? [...(merged[parsed.name] as unknown[])] : undefined;
    if (!existing) out.origin(['objects', parsed.name], flag);
    const verbs = existing ?? [];
    for (const verb of parsed.value.split(',').map((v) => v.trim()).filter((v) => v.length > 0)) {
      if (verbs.includes(verb)) continue;
      out.origin(['objects', parsed.name, verbs.length], flag);
      verbs.push(verb);
    }
    merged[parsed.name] = verbs;
  }
  return merged;
};

const mergeFields = (current: Loose, values: readonly string[], out: Collect): Loose => {
  const merged: Loose = { ...current };
  for (const raw of values) {
    const flag = `--field ${raw}`;
    const parsed = splitAssignment(raw);
    if (!parsed) {
      out.problems.push(formatProblem(flag, 'flagFieldFormat'));
      continue;
    }
    // edit includes read: an edit from the file or an earlier flag is kept, anything else is the flag's.
    if (merged[parsed.name] === 'edit' && parsed.value === 'read') continue;
    merged[parsed.name] = parsed.value;
    out.origin(['fields', parsed.name], flag);
  }
  return merged;
};

const appendNames = (current: unknown[], key: string, values: readonly string[], flagName: string, out: Collect): unknown[] => {
  const merged = [...current];
  for (const raw of values) {
    const name = raw.trim();
    if (merged.includes(name)) continue;
    out.origin([key, merged.length], `${flagName} ${raw}`);
    merged.push(name);
  }
  return merged;
};

/**
 * The permission set of `definition` (the --definition-file's content, as parsed) with the flags added:
 * an object named by a flag and the file gets the verbs of both; a field gets `edit` when either says so; system
 * permissions and Apex classes are appended unless already listed. `psPath` is the permission set's path in the
 * manifest the result goes into (for the origins).
 */
export const mergeAccessFlags = (flags: AccessFlags, definition: unknown, psPath: readonly PathSegment[]): FlagPermissionSet => {
  const origins: FlagOrigin[] = [];
  const out: Collect = { origin: (segments, flag) => origins.push({ path: jsonPath([...psPath, ...segments]), flag }), problems: [] };
  const objects = flags.objects ?? [];
  const fields = flags.fields ?? [];
  const permissions = flags.permissions ?? [];
  const apexClasses = flags.apexClasses ?? [];
  const base = record(definition);
  const hasFlags = objects.length + fields.length + permissions.length + apexClasses.length > 0;
  // No flags, or a definition that is not an object (left for the validator to report): the definition as it is.
  if (!hasFlags || (definition !== undefined && !base)) {
    return { ...(definition === undefined ? {} : { permissionSet: definition as ManifestPermissionSet }), origins, problems: [] };
  }
  const merged: Loose = { ...(base ?? {}) };
  const currentObjects = section(merged.objects);
  if (objects.length > 0 && currentObjects) merged.objects = mergeObjects(currentObjects, objects, out);
  const currentFields = section(merged.fields);
  if (fields.length > 0 && currentFields) merged.fields = mergeFields(currentFields, fields, out);
  const list = (value: unknown): unknown[] | undefined => (value === undefined ? [] : Array.isArray(value) ? value : undefined);
  const currentPermissions = list(merged.systemPermissions);
  if (permissions.length > 0 && currentPermissions) merged.systemPermissions = appendNames(currentPermissions, 'systemPermissions', permissions, '--permission', out);
  const currentClasses = list(merged.apexClasses);
  if (apexClasses.length > 0 && currentClasses) merged.apexClasses = appendNames(currentClasses, 'apexClasses', apexClasses, '--apex-class', out);
  return { permissionSet: merged as ManifestPermissionSet, origins, problems: out.problems };
};

/** The origin whose path is the problem's path or contains it (the longest such). */
const originOf = (path: string, origins: readonly FlagOrigin[]): FlagOrigin | undefined =>
  origins
    .filter((o) => path === o.path || path.startsWith(`${o.path}[`) || path.startsWith(`${o.path}.`))
    .sort((a, b) => b.path.length - a.path.length)[0];

/** Where the manifest's fix speaks JSON and a flag fixes it, the fix that names the flag. */
const flagFix = (problem: ManifestProblem, flag: string): string | undefined => {
  if (problem.code === 'fieldWithoutObjectAccess' && flag.startsWith('--field ')) {
    const object = flag.slice('--field '.length).split('.')[0].trim();
    return messages.getMessage('fix.flagFieldWithoutObject', [object]);
  }
  if (problem.code === 'elevationRequired' || problem.code === 'elevationRequiredPermission') return messages.getMessage('fix.flagElevation');
  return undefined;
};

/** A problem at an entry a flag put there is named by that flag and value (`--object Account=read,vew`). */
export const nameFlagProblems = (problems: readonly ManifestProblem[], origins: readonly FlagOrigin[]): ManifestProblem[] =>
  problems.map((problem) => {
    const found = originOf(problem.path, origins);
    return found ? { ...problem, path: found.flag, fix: flagFix(problem, found.flag) ?? problem.fix } : problem;
  });

/** The same for warnings, which start with the JSON path they are about. */
export const nameFlagWarnings = (warnings: readonly string[], origins: readonly FlagOrigin[]): string[] =>
  warnings.map((warning) => {
    const path = /^(\$[^:\s]*)/.exec(warning)?.[1];
    const found = path ? originOf(path, origins) : undefined;
    return found && path ? found.flag + warning.slice(path.length) : warning;
  });
