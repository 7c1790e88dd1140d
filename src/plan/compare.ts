/**
 * Desired vs actual for the components apply deploys. Each function returns the list of differences (empty =
 * converged), so a converged org plans no deploy. Pure; names compare case-insensitively as the org does.
 */
import type { LoginIpRange, PermissionHolder, Profile } from '../access/model.js';
import { PROFILE_GRANTS } from '../metadata/profile.js';
import type { DesiredApp, DesiredProfile } from '../manifest/types.js';
import { grantsAnyVerb, verbsOf, type ObjectVerbFlags } from '../salesforce/objectAccess.js';

const key = (name: string): string => name.toLowerCase();
const sameSet = (a: string[], b: string[]): boolean => {
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return left.size === right.size && [...left].every((x) => right.has(x));
};
const missingFrom = (wanted: string[], present: string[]): string[] => {
  const have = new Set(present.map(key));
  return wanted.filter((x) => !have.has(key(x)));
};

const flagsOf = (access: ObjectVerbFlags): string => verbsOf(access).join(',') || 'none';

const objectChanges = (app: DesiredApp, actual: PermissionHolder): string[] => {
  const changes: string[] = [];
  const actualObjects = new Map(actual.objectPermissions.filter(grantsAnyVerb).map((o) => [key(o.object), o]));
  for (const wanted of app.objects) {
    const found = actualObjects.get(key(wanted.object));
    actualObjects.delete(key(wanted.object));
    if (!found || flagsOf(found) !== flagsOf(wanted)) changes.push(`object ${wanted.object}: ${found ? flagsOf(found) : 'none'} → ${flagsOf(wanted)}`);
  }
  for (const extra of actualObjects.values()) changes.push(`object ${extra.object}: ${flagsOf(extra)} → none`);
  return changes;
};

const fieldLevel = (f: { read: boolean; edit: boolean } | undefined): string => (!f ? 'none' : f.edit ? 'edit' : f.read ? 'read' : 'none');

const fieldChanges = (app: DesiredApp, actual: PermissionHolder): string[] => {
  const changes: string[] = [];
  const actualFields = new Map(actual.fieldPermissions.filter((f) => f.read || f.edit).map((f) => [key(f.field), f]));
  for (const wanted of app.fields) {
    const found = actualFields.get(key(wanted.field));
    actualFields.delete(key(wanted.field));
    if (fieldLevel(found) !== fieldLevel(wanted)) changes.push(`field ${wanted.field}: ${fieldLevel(found)} → ${fieldLevel(wanted)}`);
  }
  for (const extra of actualFields.values()) changes.push(`field ${extra.field}: ${fieldLevel(extra)} → none`);
  return changes;
};

const addedRemoved = (what: string, wanted: string[], actual: string[]): string[] => [
  ...missingFrom(wanted, actual).map((name) => `+ ${what} ${name}`),
  ...missingFrom(actual, wanted).map((name) => `- ${what} ${name}`),
];

/** Differences between an app's desired permission set and the org's set. */
export const permissionSetChanges = (app: DesiredApp, actual: PermissionHolder, license: string | undefined): string[] => {
  const changes: string[] = [];
  if (actual.label !== app.permissionSet.label) changes.push(`label: ${actual.label} → ${app.permissionSet.label}`);
  if ((actual.description ?? '') !== app.permissionSet.description) changes.push('description');
  if ((actual.license ?? '') !== (license ?? '')) changes.push(`license: ${actual.license ?? 'none'} → ${license ?? 'none'}`);
  const actualClasses = actual.setupEntityAccess.filter((g) => g.type === 'ApexClass').map((g) => g.name);
  return [
    ...changes,
    ...addedRemoved('system permission', app.systemPermissions, actual.systemPermissions),
    ...objectChanges(app, actual),
    ...fieldChanges(app, actual),
    ...(sameSet(actualClasses, app.apexClasses) ? [] : addedRemoved('Apex class', app.apexClasses, actualClasses)),
  ];
};

const rangeKey = (r: LoginIpRange): string => `${r.start}-${r.end}`;

/**
 * Differences between the desired integration profile and the org's. The generated profile grants exactly API
 * Enabled and API Only User, and no object or field access. Login IP ranges are compared when the loader could read
 * them (undefined = unknown: only a difference when the manifest asks for ranges).
 */
export const profileChanges = (desired: DesiredProfile, actual: Profile): string[] => {
  const changes: string[] = [];
  if ((actual.description ?? '') !== desired.description) changes.push('description');
  for (const name of missingFrom([...PROFILE_GRANTS], actual.systemPermissions)) changes.push(`+ system permission ${name}`);
  for (const name of missingFrom(actual.systemPermissions, [...PROFILE_GRANTS])) changes.push(`- system permission ${name}`);
  for (const object of actual.objectPermissions.filter(grantsAnyVerb)) changes.push(`object ${object.object}: ${flagsOf(object)} → none`);
  for (const field of actual.fieldPermissions.filter((f) => f.read || f.edit)) changes.push(`field ${field.field} → none`);
  // A profile deploy overlays: ranges the manifest leaves out cannot be cleared, so only stated ranges are compared.
  if (desired.loginIpRanges.length === 0) return changes;
  if (actual.loginIpRanges === undefined) changes.push('login IP ranges (not readable, stated again)');
  else if (!sameSet(actual.loginIpRanges.map(rangeKey), desired.loginIpRanges.map(rangeKey))) {
    changes.push(`login IP ranges: ${actual.loginIpRanges.map(rangeKey).join(', ') || 'none'} → ${desired.loginIpRanges.map(rangeKey).join(', ') || 'none'}`);
  }
  return changes;
};
