/** Manifest (already validated) → DesiredState: defaults resolved, implied access added and marked, entries sorted. */
import type { AppUsername } from '../access/integrationUsers.js';
import { INTEGRATION_PROFILE_NAME } from '../access/model.js';
import { closeFieldAccess, closeObjectVerbs, canonicalVerbOrder } from '../salesforce/objectAccess.js';
import type {
  DesiredApp,
  DesiredFieldAccess,
  DesiredObjectAccess,
  DesiredState,
  DesiredUser,
  FieldAccessLevel,
  Manifest,
  ManifestApp,
  ManifestDefaults,
  DesiredOAuth,
  OAuthScope,
  ObjectVerb,
  StatedUserField,
} from './types.js';
import {
  API_ENABLED,
  DEFAULT_EMAIL_ENCODING,
  DEFAULT_LANGUAGE,
  DEFAULT_LOCALE,
  DEFAULT_PROFILE_DESCRIPTION,
  DEFAULT_PROFILE_NAME,
  DEFAULT_TIME_ZONE,
  DEFAULT_USER_LAST_NAME,
  MANAGED_MARKER,
} from './constants.js';
import { deriveExternalClientAppName, derivePermissionSetName, ipv4ToNumber, resolveUsername } from './names.js';

/** Code-unit order: the same on every machine and locale, so generated files are byte-identical. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A description the plugin writes: the user's text (if any) followed by the managed-by marker. */
export function withMarker(description: string | undefined): string {
  const trimmed = (description ?? '').trim();
  return trimmed.length > 0 ? `${trimmed} ${MANAGED_MARKER}` : MANAGED_MARKER;
}

function desiredObjects(objects: Record<string, ObjectVerb[]>): DesiredObjectAccess[] {
  return Object.entries(objects)
    .map(([object, verbs]) => {
      const declared = canonicalVerbOrder(verbs);
      const { all, implied } = closeObjectVerbs(declared);
      const has = (verb: ObjectVerb): boolean => all.includes(verb);
      return {
        object,
        read: has('read'),
        create: has('create'),
        edit: has('edit'),
        delete: has('delete'),
        viewAll: has('viewAll'),
        modifyAll: has('modifyAll'),
        declared,
        implied,
      };
    })
    .sort((a, b) => byCodeUnit(a.object, b.object));
}

function desiredFields(fields: Record<string, FieldAccessLevel>): DesiredFieldAccess[] {
  return Object.entries(fields)
    .map(([field, declared]) => ({ field, ...closeFieldAccess(declared), declared }))
    .sort((a, b) => byCodeUnit(a.field, b.field));
}

function desiredUser(app: ManifestApp, label: string, defaults: ManifestDefaults): DesiredUser {
  const user = app.user ?? {};
  // validateManifest guarantees a username template and an email for every app.
  const usernameTemplate = (user.username ?? defaults.username) as string;
  return {
    username: resolveUsername(usernameTemplate, app.name),
    email: (user.email ?? defaults.email) as string,
    firstName: user.firstName ?? label,
    lastName: user.lastName ?? DEFAULT_USER_LAST_NAME,
    alias: user.alias ?? app.name.slice(0, 8),
    timeZone: user.timeZone ?? defaults.timeZone ?? DEFAULT_TIME_ZONE,
    locale: user.locale ?? defaults.locale ?? DEFAULT_LOCALE,
    language: user.language ?? defaults.language ?? DEFAULT_LANGUAGE,
    emailEncoding: defaults.emailEncoding ?? DEFAULT_EMAIL_ENCODING,
    stated: STATED_USER_FIELDS.filter((field) => user[field] !== undefined),
  };
}

function desiredOAuth(app: ManifestApp, label: string, user: DesiredUser): DesiredOAuth | undefined {
  const oauth = app.oauth;
  if (!oauth) return undefined;
  return {
    name: oauth.name ?? deriveExternalClientAppName(app.name),
    label,
    description: withMarker(app.description),
    flow: oauth.flow,
    scopes: [...new Set<OAuthScope>(oauth.scopes ?? ['api'])],
    ...(oauth.justification !== undefined ? { justification: oauth.justification.trim() } : {}),
    ...(oauth.certificate !== undefined ? { certificatePath: oauth.certificate } : {}),
    ...(oauth.callbackUrl !== undefined ? { callbackUrl: oauth.callbackUrl } : {}),
    ipRelaxation: oauth.ipRelaxation ?? 'enforce',
    ...(oauth.sessionTimeout !== undefined ? { sessionTimeout: oauth.sessionTimeout } : {}),
    contactEmail: oauth.contactEmail ?? user.email,
  };
}

const STATED_USER_FIELDS: StatedUserField[] = ['email', 'firstName', 'lastName', 'alias', 'timeZone', 'locale', 'language'];

function desiredApp(app: ManifestApp, defaults: ManifestDefaults): DesiredApp {
  const permissionSet = app.permissionSet ?? {};
  const label = app.label ?? app.name;
  const user = desiredUser(app, label, defaults);
  const oauth = desiredOAuth(app, label, user);
  return {
    name: app.name,
    label,
    ...(app.description !== undefined ? { description: app.description } : {}),
    permissionSet: {
      name: permissionSet.name ?? derivePermissionSetName(app.name),
      label: permissionSet.label ?? `${label} Integration`,
      description: withMarker(app.description),
    },
    user,
    objects: desiredObjects(permissionSet.objects ?? {}),
    fields: desiredFields(permissionSet.fields ?? {}),
    systemPermissions: [...new Set([API_ENABLED, ...(permissionSet.systemPermissions ?? [])])].sort(byCodeUnit),
    apexClasses: [...new Set(permissionSet.apexClasses ?? [])].sort(byCodeUnit),
    elevations: (app.elevated ?? []).map(({ permission, justification }) => ({ permission, justification: justification.trim() })),
    ...(oauth ? { oauth } : {}),
  };
}

/** Pure: assumes `manifest` passed validateManifest. */
export function desiredStateOf(manifest: Manifest, source?: string): DesiredState {
  const profile = manifest.profile ?? {};
  const license = profile.license ?? 'auto';
  const defaults = manifest.defaults ?? {};
  return {
    version: 1,
    ...(source !== undefined ? { source } : {}),
    profile: {
      name: profile.name ?? (license === 'integration' ? INTEGRATION_PROFILE_NAME : DEFAULT_PROFILE_NAME),
      license,
      managed: license !== 'integration',
      description: withMarker(profile.description ?? DEFAULT_PROFILE_DESCRIPTION),
      loginIpRanges: (profile.loginIpRanges ?? [])
        .map((range) => ({ start: range.start, end: range.end, ...(range.description !== undefined ? { description: range.description } : {}) }))
        .sort((a, b) => ipv4ToNumber(a.start) - ipv4ToNumber(b.start) || ipv4ToNumber(a.end) - ipv4ToNumber(b.end)),
    },
    apps: manifest.apps.map((app) => desiredApp(app, defaults)),
  };
}

/** Each app's expected username (production form): who the manifest names, for apply, audit and user list. */
export const appUsernames = (desired: Pick<DesiredState, 'apps'>): AppUsername[] => desired.apps.map((app) => ({ app: app.name, username: app.user.username }));
