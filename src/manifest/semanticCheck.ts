/**
 * Semantic rules the schema cannot express: uniqueness across apps, elevation of dangerous access,
 * System Administrator, IP range order, usernames after template expansion, field vs object access.
 * Written defensively over `unknown` so they also run on a manifest with structural problems, and every
 * problem is reported at once.
 */
import { Messages } from '@salesforce/core';
import { dangerousPermissionRule, requiresElevation } from '../salesforce/permissionTiers.js';
import { INTEGRATION_PROFILE_NAME, DEPRECATED_INTEGRATION_PROFILE_NAME, SYSTEM_ADMINISTRATOR_PROFILE_NAME } from '../access/model.js';
import { KNOWN_USER_PERMISSIONS } from '../salesforce/userPermissions.js';
import { closeObjectVerbs } from '../salesforce/objectAccess.js';
import type { ManifestProblem, ObjectVerb } from './types.js';
import { OBJECT_VERBS, OAUTH_SCOPES_NEEDING_JUSTIFICATION } from './types.js';
import { MIN_JUSTIFICATION_LENGTH } from './constants.js';
import { closest } from './suggest.js';
import { deriveExternalClientAppName, derivePermissionSetName, ipv4ToNumber, jsonPath, resolveUsername, showValue, type PathSegment } from './names.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'manifest');

type Loose = Record<string, unknown>;
const record = (value: unknown): Loose | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const APP_NAME = /^[a-z][a-z0-9]*([-_][a-z0-9]+)*$/;
const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;

export type SemanticOptions = {
  /** User permission names the target knows (an org's describe); default: the bundled API v64.0 describe's list. */
  knownUserPermissions?: readonly string[];
};

export type SemanticResult = { problems: ManifestProblem[]; warnings: string[] };

class Collector {
  public readonly problems: ManifestProblem[] = [];
  public readonly warnings: string[] = [];
  /** Known permission names by lower case, and where the list comes from (for messages). */
  public readonly known: Map<string, string>;
  public readonly knownFrom: string;

  public constructor(options: SemanticOptions) {
    this.known = new Map((options.knownUserPermissions ?? KNOWN_USER_PERMISSIONS).map((name) => [name.toLowerCase(), name]));
    this.knownFrom = options.knownUserPermissions ? messages.getMessage('source.targetOrg') : messages.getMessage('source.builtin');
  }

  public add(segments: readonly PathSegment[], code: string, tokens: string[] = [], fixTokens: string[] = []): void {
    this.problems.push({
      path: jsonPath(segments),
      code,
      message: messages.getMessage(`problem.${code}`, tokens),
      fix: messages.getMessage(`fix.${code}`, fixTokens),
    });
  }

  public warn(segments: readonly PathSegment[], code: string, tokens: string[]): void {
    this.warnings.push(messages.getMessage(`warning.${code}`, [jsonPath(segments), ...tokens]));
  }
}

const normaliseName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

function checkProfile(manifest: Loose, out: Collector): void {
  const profile = record(manifest.profile);
  if (!profile) return;
  const name = text(profile.name);
  const license = text(profile.license) ?? 'auto';
  if (name !== undefined && normaliseName(name) === normaliseName(SYSTEM_ADMINISTRATOR_PROFILE_NAME)) {
    out.add(['profile', 'name'], 'systemAdministrator');
  } else if (
    name !== undefined &&
    license !== 'integration' &&
    [INTEGRATION_PROFILE_NAME, DEPRECATED_INTEGRATION_PROFILE_NAME].some((reserved) => normaliseName(reserved) === normaliseName(name))
  ) {
    out.add(['profile', 'name'], 'profileNameReserved', [name]);
  }
  const ranges = list(profile.loginIpRanges);
  if (license === 'integration' && ranges.length > 0) {
    out.add(['profile', 'loginIpRanges'], 'ipRangesOnOrgProfile', [name ?? INTEGRATION_PROFILE_NAME]);
  }
  ranges.forEach((raw, index) => {
    const range = record(raw);
    const start = text(range?.start);
    const end = text(range?.end);
    if (start && end && IPV4.test(start) && IPV4.test(end) && ipv4ToNumber(start) > ipv4ToNumber(end)) {
      out.add(['profile', 'loginIpRanges', index], 'ipRangeReversed', [start, end], [end, start]);
    }
  });
}

type ElevationIndex = { objectGrants: Map<string, Set<'viewAll' | 'modifyAll'>>; permissions: Set<string>; entries: Array<{ index: number; permission: string }> };

function indexElevations(app: Loose, appPath: PathSegment[], out: Collector): ElevationIndex {
  const index: ElevationIndex = { objectGrants: new Map(), permissions: new Set(), entries: [] };
  list(app.elevated).forEach((raw, position) => {
    const entry = record(raw);
    const permission = text(entry?.permission);
    const justification = text(entry?.justification);
    if (justification !== undefined && justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
      out.add([...appPath, 'elevated', position, 'justification'], 'justificationTooShort', [showValue(justification)]);
    }
    if (!permission) return;
    index.entries.push({ index: position, permission });
    const objectGrant = /^(.+)\.(viewAll|modifyAll)$/.exec(permission);
    if (objectGrant) {
      const key = objectGrant[1].toLowerCase();
      const grants = index.objectGrants.get(key) ?? new Set();
      grants.add(objectGrant[2] as 'viewAll' | 'modifyAll');
      index.objectGrants.set(key, grants);
    } else {
      index.permissions.add(permission.toLowerCase());
    }
  });
  return index;
}

function checkObjects(permissionSet: Loose, psPath: PathSegment[], elevations: ElevationIndex, out: Collector): Map<string, ObjectVerb[]> {
  const granted = new Map<string, ObjectVerb[]>(); // lower-case object → all verbs (implied included)
  const firstSpelling = new Map<string, string>();
  const objects = record(permissionSet.objects) ?? {};
  for (const [object, rawVerbs] of Object.entries(objects)) {
    const lower = object.toLowerCase();
    const previous = firstSpelling.get(lower);
    if (previous !== undefined) {
      out.add([...psPath, 'objects', object], 'objectDuplicate', [object, previous]);
      continue;
    }
    firstSpelling.set(lower, object);
    const verbs = list(rawVerbs).filter((verb): verb is ObjectVerb => OBJECT_VERBS.includes(verb as ObjectVerb));
    granted.set(lower, closeObjectVerbs(verbs).all);
    const elevated = elevations.objectGrants.get(lower) ?? new Set();
    const verbIndex = (verb: ObjectVerb): number => list(rawVerbs).indexOf(verb);
    if (verbs.includes('modifyAll') && !elevated.has('modifyAll')) {
      out.add([...psPath, 'objects', object, verbIndex('modifyAll')], 'elevationRequired', ['modifyAll', object], [`${object}.modifyAll`]);
    }
    if (verbs.includes('viewAll') && !elevated.has('viewAll') && !elevated.has('modifyAll')) {
      out.add([...psPath, 'objects', object, verbIndex('viewAll')], 'elevationRequired', ['viewAll', object], [`${object}.viewAll`]);
    }
  }
  return granted;
}

function checkFields(permissionSet: Loose, psPath: PathSegment[], granted: Map<string, ObjectVerb[]>, out: Collector): void {
  const firstSpelling = new Map<string, string>();
  const fields = record(permissionSet.fields) ?? {};
  for (const [field, access] of Object.entries(fields)) {
    const lower = field.toLowerCase();
    const previous = firstSpelling.get(lower);
    if (previous !== undefined) {
      out.add([...psPath, 'fields', field], 'fieldDuplicate', [field, previous]);
      continue;
    }
    firstSpelling.set(lower, field);
    const dot = field.indexOf('.');
    if (dot <= 0) continue; // the schema reports the malformed name
    const object = field.slice(0, dot);
    const objectVerbs = granted.get(object.toLowerCase());
    if (!objectVerbs || !objectVerbs.includes('read')) {
      out.add([...psPath, 'fields', field], 'fieldWithoutObjectAccess', [field, object], [object]);
    } else if (access === 'edit' && !objectVerbs.includes('edit')) {
      out.warn([...psPath, 'fields', field], 'fieldEditWithoutObjectEdit', [field, object]);
    }
  }
}

function checkSystemPermissions(permissionSet: Loose, psPath: PathSegment[], elevations: ElevationIndex, out: Collector): Set<string> {
  const granted = new Set<string>();
  list(permissionSet.systemPermissions).forEach((raw, index) => {
    const name = text(raw);
    if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) return; // the schema reports it
    const where = [...psPath, 'systemPermissions', index];
    const unprefixed = out.known.get(name.slice('Permissions'.length).toLowerCase());
    if (name.startsWith('Permissions') && unprefixed !== undefined) {
      out.add(where, 'systemPermissionPrefix', [name], [unprefixed]);
      return;
    }
    const known = out.known.get(name.toLowerCase());
    if (known !== undefined && known !== name) {
      out.add(where, 'systemPermissionCase', [name], [known]);
      return;
    }
    if (known === undefined) {
      const suggestion = closest(name, [...out.known.values()]);
      out.warn(where, 'systemPermissionUnknown', [name, out.knownFrom, suggestion ? ` (did you mean ${suggestion}?)` : '']);
    }
    granted.add(name.toLowerCase());
    if (requiresElevation(name) && !elevations.permissions.has(name.toLowerCase())) {
      out.add(where, 'elevationRequiredPermission', [name, dangerousPermissionRule(name) as string], [name]);
    }
  });
  return granted;
}

function checkApexClasses(permissionSet: Loose, psPath: PathSegment[], out: Collector): void {
  const firstSpelling = new Map<string, string>();
  list(permissionSet.apexClasses).forEach((raw, index) => {
    const name = text(raw);
    if (!name) return;
    const previous = firstSpelling.get(name.toLowerCase());
    if (previous !== undefined && previous !== name) out.add([...psPath, 'apexClasses', index], 'apexClassDuplicate', [name, previous]);
    else firstSpelling.set(name.toLowerCase(), name);
  });
}

function checkUnusedElevations(
  appPath: PathSegment[],
  elevations: ElevationIndex,
  objectVerbs: Map<string, ObjectVerb[]>,
  permissions: Set<string>,
  out: Collector
): void {
  for (const { index, permission } of elevations.entries) {
    const objectGrant = /^(.+)\.(viewAll|modifyAll)$/.exec(permission);
    const used = objectGrant
      ? (objectVerbs.get(objectGrant[1].toLowerCase()) ?? []).includes(objectGrant[2] as ObjectVerb)
      : permissions.has(permission.toLowerCase());
    if (!used) out.warn([...appPath, 'elevated', index, 'permission'], 'elevationUnused', [permission]);
  }
}

type Registries = { appNames: Map<string, number>; permissionSetNames: Map<string, string>; usernames: Map<string, string>; oauthNames: Map<string, string> };

/** Unique app name; returns whether the app's derived names (permission set, username) can be checked. */
function checkAppName(app: Loose, appPath: PathSegment[], appIndex: number, seen: Registries, out: Collector): boolean {
  const name = text(app.name);
  if (name === undefined) return false;
  const first = seen.appNames.get(name.toLowerCase());
  if (first !== undefined) {
    out.add([...appPath, 'name'], 'appNameDuplicate', [name, String(first)]);
    return false; // its derived names would only repeat the same fault
  }
  seen.appNames.set(name.toLowerCase(), appIndex);
  return APP_NAME.test(name) && name.length <= 40;
}

/** One permission set per app. */
function checkPermissionSetName(app: Loose, appPath: PathSegment[], validName: boolean, seen: Registries, out: Collector): void {
  const name = text(app.name);
  const explicit = text(record(app.permissionSet)?.name);
  const psName = explicit ?? (validName && name !== undefined ? derivePermissionSetName(name) : undefined);
  if (psName === undefined || name === undefined || (!validName && explicit === undefined)) return;
  const owner = seen.permissionSetNames.get(psName.toLowerCase());
  if (owner !== undefined) {
    out.add(explicit ? [...appPath, 'permissionSet', 'name'] : [...appPath, 'name'], 'permissionSetNameDuplicate', [psName, owner]);
  } else seen.permissionSetNames.set(psName.toLowerCase(), name);
}

/** One user per app: a username (template expanded), unique, at most 80 characters, and an email. */
function checkUser(app: Loose, appPath: PathSegment[], defaults: Loose, seen: Registries, out: Collector): void {
  const name = text(app.name) as string;
  const user = record(app.user) ?? {};
  const template = text(user.username) ?? text(defaults.username);
  if (template === undefined) out.add([...appPath], 'usernameMissing', [name]);
  else {
    const username = resolveUsername(template, name);
    const where = text(user.username) !== undefined ? [...appPath, 'user', 'username'] : [...appPath];
    if (username.length > 80) out.add(where, 'usernameTooLong', [username, String(username.length)]);
    const owner = seen.usernames.get(username.toLowerCase());
    if (owner !== undefined) out.add(where, 'usernameDuplicate', [username, owner]);
    else seen.usernames.set(username.toLowerCase(), name);
  }
  if (text(user.email) === undefined && text(defaults.email) === undefined) out.add([...appPath], 'emailMissing', [name]);
}

/**
 * The app's OAuth client: a jwt-bearer app needs its certificate; a client-credentials app runs as its user with no
 * one signing in, so `full` and `refresh_token`/`offline_access` need a written justification (like elevations);
 * one External Client App per app.
 */
function checkOAuth(app: Loose, appPath: PathSegment[], validName: boolean, seen: Registries, out: Collector): void {
  const oauth = record(app.oauth);
  if (!oauth) return;
  const path: PathSegment[] = [...appPath, 'oauth'];
  const flow = text(oauth.flow);
  const scopes = list(oauth.scopes).filter((scope): scope is string => typeof scope === 'string');
  const justification = text(oauth.justification);
  const elevated = scopes.filter((scope) => (OAUTH_SCOPES_NEEDING_JUSTIFICATION as readonly string[]).includes(scope));
  if (flow === 'client-credentials' && elevated.length > 0) {
    if (justification === undefined) out.add([...path, 'scopes', scopes.indexOf(elevated[0])], 'oauthScopeJustification', [elevated.join(', ')]);
    else if (justification.trim().length < MIN_JUSTIFICATION_LENGTH) out.add([...path, 'justification'], 'justificationTooShort', [showValue(justification)]);
  } else if (justification !== undefined) {
    out.warn([...path, 'justification'], 'oauthJustificationUnused', []);
  }
  if (flow === 'jwt-bearer' && text(oauth.certificate) === undefined) out.add([...path], 'oauthCertificateRequired', [text(app.name) ?? '']);
  const name = text(oauth.name) ?? (validName && text(app.name) !== undefined ? deriveExternalClientAppName(text(app.name) as string) : undefined);
  if (name === undefined) return;
  const owner = seen.oauthNames.get(name.toLowerCase());
  if (owner !== undefined) out.add(text(oauth.name) !== undefined ? [...path, 'name'] : [...path], 'oauthNameDuplicate', [name, owner]);
  else seen.oauthNames.set(name.toLowerCase(), text(app.name) ?? '');
}

function checkApps(manifest: Loose, out: Collector): void {
  const defaults = record(manifest.defaults) ?? {};
  const seen: Registries = { appNames: new Map(), permissionSetNames: new Map(), usernames: new Map(), oauthNames: new Map() };
  list(manifest.apps).forEach((raw, appIndex) => {
    const app = record(raw);
    if (!app) return;
    const appPath: PathSegment[] = ['apps', appIndex];
    const validName = checkAppName(app, appPath, appIndex, seen, out);
    checkPermissionSetName(app, appPath, validName, seen, out);
    if (validName) checkUser(app, appPath, defaults, seen, out);

    const permissionSet = record(app.permissionSet) ?? {};
    const psPath: PathSegment[] = [...appPath, 'permissionSet'];
    const elevations = indexElevations(app, appPath, out);
    const objectVerbs = checkObjects(permissionSet, psPath, elevations, out);
    checkFields(permissionSet, psPath, objectVerbs, out);
    const permissions = checkSystemPermissions(permissionSet, psPath, elevations, out);
    checkApexClasses(permissionSet, psPath, out);
    checkUnusedElevations(appPath, elevations, objectVerbs, permissions, out);
    checkOAuth(app, appPath, validName, seen, out);
  });
}

/** All semantic problems and warnings of a (possibly malformed) parsed manifest. */
export function checkSemantics(data: unknown, options: SemanticOptions = {}): SemanticResult {
  const out = new Collector(options);
  const manifest = record(data);
  if (!manifest) return out;
  checkProfile(manifest, out);
  checkApps(manifest, out);
  return { problems: out.problems, warnings: out.warnings };
}
