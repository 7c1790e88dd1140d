/**
 * Drafts an integration manifest from an org's existing integration users (`sf integration manifest init`), so a
 * team can adopt the plugin on a live org: one app per active integration user, the access of the user's permission
 * sets (and of a custom per-app profile) merged into the app's permission set, and every elevated grant listed under
 * `elevated` with a placeholder justification that fails validation on purpose: elevation must be justified in
 * writing by a human. Pure: AccessModel + integration users in, manifest + review list out.
 */
import type { FieldAccess, ObjectAccess, PermissionHolder, User } from '../access/model.js';
import { INTEGRATION_USER_LICENSE } from '../access/model.js';
import { fieldGrants, objectGrants, type ModelIndex, type Grant } from '../access/effective.js';
import type { IntegrationUser } from '../access/integrationUsers.js';
import { requiresElevation, UI_SETUP_PERMISSIONS } from '../salesforce/permissionTiers.js';
import { canonicalVerbOrder, verbsOf } from '../salesforce/objectAccess.js';
import { evidenceOf } from '../evidence/aggregate.js';
import type { EvidenceModel } from '../evidence/types.js';
import { API_ENABLED, API_USER_ONLY, DEFAULT_PROFILE_NAME, PERMISSION_SET_NAME_PREFIX } from './constants.js';
import { derivePermissionSetName } from './names.js';
import type { FieldAccessLevel, Manifest, ManifestApp, ManifestElevation, ObjectVerb, ProfileLicense } from './types.js';

/** Written where a human must justify an elevated grant; shorter than the validator's minimum, so it fails. */
export const JUSTIFICATION_PLACEHOLDER = 'TODO';

export type DraftReviewKind =
  | 'justification'
  | 'fieldWithoutObjectRead'
  | 'notCarriedOver'
  | 'profileAccessDropped'
  | 'mergedPermissionSets'
  | 'uiPermission'
  | 'emailMissing'
  | 'inactiveUserSkipped'
  | 'unusedObjectsDropped';

/** Something a human must look at before using the draft. `path` is the JSON path in the draft, when there is one. */
export type DraftReviewItem = {
  kind: DraftReviewKind;
  app?: string;
  username: string;
  path?: string;
  /** The permission, field, holder … concerned. */
  subject: string;
};

export type DraftAppSummary = {
  app: string;
  username: string;
  /** Holders whose access was merged into the app's permission set. */
  sources: string[];
  permissionSet: string;
  objects: number;
  fields: number;
  apexClasses: number;
  systemPermissions: number;
  elevated: number;
};

export type ManifestDraft = {
  manifest: Manifest;
  apps: DraftAppSummary[];
  review: DraftReviewItem[];
};

const APP_NAME_MAX = 40;
const LABEL_MAX = 60;
const PS_LABEL_MAX = 80;
const DESCRIPTION_MAX = 200;
/** Words that say "integration" rather than which integration: dropped when deriving an app name from a username. */
const NOISE_WORDS = new Set(['integration', 'integrations', 'int', 'api', 'user', 'svc', 'service', 'sf']);

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** `erp.integration@acme.example` → `erp`; `Integration_Data_Lake` → `data-lake`; a valid app name or ''. */
export function appNameFrom(text: string): string {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !NOISE_WORDS.has(word));
  let name = words.join('-').replace(/^[^a-z]+/, '');
  if (name.length > APP_NAME_MAX) name = name.slice(0, APP_NAME_MAX).replace(/-+$/, '');
  return name;
}

/** A name not in `taken` (case-insensitive): `name`, then `name-2`, `name-3` … kept within the length limit. */
export function uniqueName(name: string, taken: Set<string>, maxLength: number, separator = '-'): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = `${separator}${n}`;
    candidate = `${name.slice(0, maxLength - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Holders whose access moves into the app: permission sets (direct or through groups) and a custom profile. */
const draftedGrants = (grants: Grant[]): Grant[] =>
  grants.filter((grant) => grant.holder.kind !== 'profile' || grant.holder.isCustom);

const holderLabel = (grant: Grant): string =>
  grant.holder.kind === 'profile'
    ? `profile ${grant.holder.name}`
    : grant.viaGroup
      ? `${grant.holder.name} (group ${grant.viaGroup.name})`
      : grant.holder.name;

type MergedAccess = {
  objects: Record<string, ObjectVerb[]>;
  fields: Record<string, FieldAccessLevel>;
  systemPermissions: string[];
  apexClasses: string[];
  notCarriedOver: string[];
};

function mergeAccess(index: ModelIndex, user: IntegrationUser, grants: Grant[]): MergedAccess {
  const wanted = new Set(grants.map((grant) => grant.holder.id));
  const access = { ...user.access, grants: user.access.grants.filter((grant) => wanted.has(grant.holder.id)) };
  const objects = new Map<string, { name: string; verbs: Set<ObjectVerb> }>();
  for (const { access: granted } of objectGrants(index, access)) addObject(objects, granted);
  const fields = new Map<string, { name: string; access: FieldAccess }>();
  for (const { access: granted } of fieldGrants(index, access)) {
    const key = granted.field.toLowerCase();
    const known = fields.get(key);
    if (known) known.access = { ...known.access, read: known.access.read || granted.read, edit: known.access.edit || granted.edit };
    else fields.set(key, { name: granted.field, access: granted });
  }
  const systemPermissions = new Set<string>();
  const apexClasses = new Map<string, string>();
  const notCarriedOver = new Set<string>();
  for (const { holder } of grants) {
    // API Enabled is always in a generated set; API Only User belongs to the shared profile.
    for (const permission of holder.systemPermissions) if (permission !== API_ENABLED && permission !== API_USER_ONLY) systemPermissions.add(permission);
    for (const entity of holder.setupEntityAccess) {
      if (entity.type === 'ApexClass') apexClasses.set(entity.name.toLowerCase(), entity.name);
      else notCarriedOver.add(`${entity.type} ${entity.name}`);
    }
  }
  const sortedKeys = <T>(map: Map<string, T>): T[] => [...map.keys()].sort().map((key) => map.get(key) as T);
  return {
    objects: Object.fromEntries(sortedKeys(objects).map((o) => [o.name, canonicalVerbOrder(o.verbs)])),
    fields: Object.fromEntries(sortedKeys(fields).map((f) => [f.name, f.access.edit ? 'edit' : 'read'])),
    systemPermissions: [...systemPermissions].sort(),
    apexClasses: sortedKeys(apexClasses),
    notCarriedOver: [...notCarriedOver].sort(),
  };
}

function addObject(objects: Map<string, { name: string; verbs: Set<ObjectVerb> }>, granted: ObjectAccess): void {
  const key = granted.object.toLowerCase();
  const entry = objects.get(key) ?? { name: granted.object, verbs: new Set<ObjectVerb>() };
  for (const verb of verbsOf(granted)) entry.verbs.add(verb);
  objects.set(key, entry);
}

/** The manifest's profile.license from the users' licenses: one kind for all, else auto. */
function licenseOf(users: User[], licenseOfUser: (user: User) => string | undefined): ProfileLicense {
  const kinds = new Set(users.map((user) => (licenseOfUser(user) === INTEGRATION_USER_LICENSE ? 'integration' : 'salesforce')));
  if (kinds.size === 1) return [...kinds][0] as ProfileLicense;
  return 'auto';
}

/**
 * A permission set the app can keep by name, so generate updates it in place: one the user holds directly that no
 * other drafted user holds (a shared set would change under the others), custom, not from a package; when the user
 * has several, the one named Integration_*.
 */
const keptPermissionSet = (grants: Grant[], holderCount: Map<string, number>): PermissionHolder | undefined => {
  const own = grants.filter(
    (grant) => grant.holder.kind === 'permissionSet' && !grant.viaGroup && !grant.holder.namespace && holderCount.get(grant.holder.id) === 1
  );
  return own.length === 1 ? own[0].holder : own.find((grant) => grant.holder.name.startsWith(PERMISSION_SET_NAME_PREFIX))?.holder;
};

export type DraftOptions = {
  /** Where the access model came from, for the apps' descriptions (e.g. the org's username or alias). */
  origin?: string;
  /**
   * Evidence of use with API log files (`manifest init --evidence-days`): each app keeps only the objects its user
   * called in the window (with the verbs its sets grant), and its permission set's `$comment` lists each object as
   * used or granted but unused.
   */
  evidence?: EvidenceModel;
};

/** Drafts a manifest from the org's integration users; inactive users are skipped (and listed for review). */
export function draftManifest(index: ModelIndex, integrationUsers: IntegrationUser[], options: DraftOptions = {}): ManifestDraft {
  const review: DraftReviewItem[] = [];
  const sorted = [...integrationUsers].sort((a, b) => a.user.username.localeCompare(b.user.username));
  for (const skipped of sorted.filter((iu) => !iu.user.isActive)) {
    review.push({ kind: 'inactiveUserSkipped', username: skipped.user.username, subject: skipped.user.username });
  }
  const drafted = sorted.filter((iu) => iu.user.isActive);

  // Pass 1: permission sets kept by name (first user wins), so derived names can avoid them.
  const takenSets = new Set<string>();
  const kept = new Map<string, PermissionHolder>();
  const holderCount = new Map<string, number>();
  for (const iu of drafted) for (const { holder } of iu.access.grants) holderCount.set(holder.id, (holderCount.get(holder.id) ?? 0) + 1);
  for (const iu of drafted) {
    const holder = keptPermissionSet(draftedGrants(iu.access.grants), holderCount);
    if (holder) {
      takenSets.add(holder.name.toLowerCase());
      kept.set(iu.user.id, holder);
    }
  }

  const takenApps = new Set<string>();
  const apps: ManifestApp[] = [];
  const summaries: DraftAppSummary[] = [];
  drafted.forEach((iu, appIndex) => {
    const result = draftApp(index, iu, `$.apps[${appIndex}]`, { keptSet: kept.get(iu.user.id), takenApps, takenSets, origin: options.origin, evidence: options.evidence });
    apps.push(result.app);
    summaries.push(result.summary);
    review.push(...result.review);
  });

  const users = drafted.map((iu) => iu.user);
  const license = licenseOf(users, (user) => user.userLicense ?? index.profileByProfileId.get(user.profileId)?.userLicense);
  const manifest: Manifest = {
    version: 1,
    profile: { name: DEFAULT_PROFILE_NAME, license, ...loginIpRangesOf(drafted, license) },
    apps,
  };
  return { manifest, apps: summaries, review };
}

/** The login IP ranges of the users' profiles, deduplicated (not with the integration license: its profile is Salesforce's). */
function loginIpRangesOf(users: IntegrationUser[], license: ProfileLicense): { loginIpRanges?: Array<{ start: string; end: string; description?: string }> } {
  if (license === 'integration') return {};
  const ranges = new Map<string, { start: string; end: string; description?: string }>();
  for (const iu of users) {
    for (const range of iu.access.profile?.loginIpRanges ?? []) {
      const key = `${range.start}-${range.end}`;
      if (!ranges.has(key)) {
        ranges.set(key, { start: range.start, end: range.end, ...(range.description ? { description: truncate(range.description, 40) } : {}) });
      }
    }
  }
  return ranges.size > 0 ? { loginIpRanges: [...ranges.values()] } : {};
}

type AppContext = { keptSet?: PermissionHolder; takenApps: Set<string>; takenSets: Set<string>; origin?: string; evidence?: EvidenceModel };

/**
 * Narrows the merged access to the objects the user called in the evidence window (fields of dropped objects go
 * too) and says so in a comment. A user the logs show no call for keeps everything, and the comment says why.
 */
function narrowToUse(merged: MergedAccess, iu: IntegrationUser, evidence: EvidenceModel): { merged: MergedAccess; comment: string; dropped: string[] } {
  const seen = evidenceOf(evidence, iu.user.id);
  const window = `${evidence.days} days (${evidence.apiLogs.files} ${evidence.apiLogs.eventTypes.join('/')} log files)`;
  if (!seen || seen.apiCalls === 0) {
    return { merged, dropped: [], comment: `Evidence of use, last ${window}: no API call seen; objects kept as granted.` };
  }
  const used = new Map(seen.objects.map((o) => [o.object.toLowerCase(), o]));
  const objects: Record<string, ObjectVerb[]> = {};
  const marks: string[] = [];
  const dropped: string[] = [];
  for (const [object, verbs] of Object.entries(merged.objects)) {
    const use = used.get(object.toLowerCase());
    if (use) {
      objects[object] = verbs;
      marks.push(`${object}: used (${use.calls} calls, last ${use.lastUsed.slice(0, 10)})`);
    } else {
      dropped.push(object);
      marks.push(`${object}: granted, unused (${verbs.join(', ')}), left out`);
    }
  }
  const kept = new Set(Object.keys(objects).map((o) => o.toLowerCase()));
  const fields = Object.fromEntries(Object.entries(merged.fields).filter(([field]) => kept.has(field.slice(0, field.indexOf('.')).toLowerCase())));
  return { merged: { ...merged, objects, fields }, dropped, comment: `Evidence of use, last ${window}: ${marks.join('; ')}.` };
}
type DraftedApp = { app: ManifestApp; summary: DraftAppSummary; review: DraftReviewItem[] };

/** The app's permission set name and label: the kept set's, or derived (made unique when an app keeps that name). */
function permissionSetNaming(name: string, context: AppContext): { name?: string; label?: string } {
  const { keptSet, takenSets } = context;
  if (keptSet) return { name: keptSet.name, label: truncate(keptSet.label || keptSet.name, PS_LABEL_MAX) };
  const derived = derivePermissionSetName(name);
  if (takenSets.has(derived.toLowerCase())) return { name: uniqueName(derived, takenSets, 80, '_') };
  takenSets.add(derived.toLowerCase());
  return {};
}

/** Fields whose object the app reads; the others are refused by the manifest (and useless in the org). */
function readableFields(merged: MergedAccess): { fields: Record<string, FieldAccessLevel>; dropped: string[] } {
  const readable = new Set(
    Object.entries(merged.objects)
      .filter(([, verbs]) => verbs.includes('read'))
      .map(([object]) => object.toLowerCase())
  );
  const fields: Record<string, FieldAccessLevel> = {};
  const dropped: string[] = [];
  for (const [field, level] of Object.entries(merged.fields)) {
    if (readable.has(field.slice(0, field.indexOf('.')).toLowerCase())) fields[field] = level;
    else dropped.push(field);
  }
  return { fields, dropped };
}

/** View All / Modify All per object (the higher one) and the system permissions that need elevation. */
function elevationsOf(merged: MergedAccess): ManifestElevation[] {
  const elevated: ManifestElevation[] = [];
  for (const [object, verbs] of Object.entries(merged.objects)) {
    const verb = verbs.includes('modifyAll') ? 'modifyAll' : verbs.includes('viewAll') ? 'viewAll' : undefined;
    if (verb) elevated.push({ permission: `${object}.${verb}`, justification: JUSTIFICATION_PLACEHOLDER });
  }
  for (const permission of merged.systemPermissions) {
    if (requiresElevation(permission)) elevated.push({ permission, justification: JUSTIFICATION_PLACEHOLDER });
  }
  return elevated;
}

function manifestUserOf(user: User): NonNullable<ManifestApp['user']> {
  return {
    username: user.username,
    ...(user.email ? { email: user.email } : {}),
    ...(user.firstName ? { firstName: user.firstName } : {}),
    ...(user.lastName ? { lastName: user.lastName } : {}),
    ...(user.timeZoneSidKey ? { timeZone: user.timeZoneSidKey } : {}),
    ...(user.localeSidKey ? { locale: user.localeSidKey } : {}),
    ...(user.languageLocaleKey ? { language: user.languageLocaleKey } : {}),
  };
}

/** What a human must look at for one app, besides the justifications. */
function reviewOf(iu: IntegrationUser, app: string, appPath: string, merged: MergedAccess, dropped: string[], sources: string[]): DraftReviewItem[] {
  const username = iu.user.username;
  const items: DraftReviewItem[] = dropped.map((field) => ({ kind: 'fieldWithoutObjectRead', app, username, path: `${appPath}.permissionSet.fields`, subject: field }));
  for (const permission of merged.systemPermissions.filter((p) => UI_SETUP_PERMISSIONS.includes(p))) {
    items.push({ kind: 'uiPermission', app, username, path: `${appPath}.permissionSet.systemPermissions`, subject: permission });
  }
  for (const subject of merged.notCarriedOver) items.push({ kind: 'notCarriedOver', app, username, subject });
  const profile = iu.access.profile;
  if (profile && !profile.isCustom) {
    const droppedCount = profile.systemPermissions.filter((p) => p !== API_ENABLED && p !== API_USER_ONLY).length + profile.objectPermissions.length;
    if (droppedCount > 0) items.push({ kind: 'profileAccessDropped', app, username, subject: profile.name });
  }
  if (sources.length > 1) items.push({ kind: 'mergedPermissionSets', app, username, subject: sources.join(', ') });
  if (!iu.user.email) items.push({ kind: 'emailMissing', app, username, path: `${appPath}.user`, subject: username });
  return items;
}

function draftApp(index: ModelIndex, iu: IntegrationUser, appPath: string, context: AppContext): DraftedApp {
  const { user } = iu;
  const grants = draftedGrants(iu.access.grants);
  const base = appNameFrom(user.username.split('@')[0]) || appNameFrom(context.keptSet?.name ?? '') || 'app';
  const name = uniqueName(base, context.takenApps, APP_NAME_MAX);
  const narrowed = context.evidence ? narrowToUse(mergeAccess(index, iu, grants), iu, context.evidence) : undefined;
  const merged = narrowed?.merged ?? mergeAccess(index, iu, grants);
  const sources = grants.map(holderLabel);
  const { fields, dropped } = readableFields(merged);
  const naming = permissionSetNaming(name, context);
  const elevated = elevationsOf(merged);
  const origin = context.origin ? ` in ${context.origin}` : '';
  const app: ManifestApp = {
    name,
    label: truncate(user.name || name, LABEL_MAX),
    description: truncate(`Drafted from ${user.username}${origin}: ${sources.length > 0 ? sources.join(', ') : 'no permission sets'}`, DESCRIPTION_MAX),
    permissionSet: {
      ...(narrowed ? { $comment: narrowed.comment } : {}),
      ...naming,
      objects: merged.objects,
      fields,
      systemPermissions: merged.systemPermissions,
      apexClasses: merged.apexClasses,
    },
    ...(elevated.length > 0 ? { elevated } : {}),
    user: manifestUserOf(user),
  };
  const review: DraftReviewItem[] = [
    ...elevated.map((entry, position): DraftReviewItem => ({ kind: 'justification', app: name, username: user.username, path: `${appPath}.elevated[${position}].justification`, subject: entry.permission })),
    ...reviewOf(iu, name, appPath, merged, dropped, sources),
    ...(narrowed && narrowed.dropped.length > 0
      ? [{ kind: 'unusedObjectsDropped' as const, app: name, username: user.username, path: `${appPath}.permissionSet.$comment`, subject: narrowed.dropped.join(', ') }]
      : []),
  ];
  const summary: DraftAppSummary = {
    app: name,
    username: user.username,
    sources,
    permissionSet: naming.name ?? derivePermissionSetName(name),
    objects: Object.keys(merged.objects).length,
    fields: Object.keys(fields).length,
    apexClasses: merged.apexClasses.length,
    systemPermissions: merged.systemPermissions.length,
    elevated: elevated.length,
  };
  return { app, summary, review };
}
