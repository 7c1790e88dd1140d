/**
 * computePlan: DesiredState (the manifest) × AccessModel (the org) → Plan. Pure: the same inputs give the same
 * plan, and a converged org gives only `unchanged` (and `orphaned`) actions.
 *
 * How the plugin recognises what it manages (documented in the apply command's help):
 * - profiles and permission sets: the marker MANAGED_MARKER at the end of the description it writes;
 * - users: the username the manifest gives them (mapped to the sandbox suffix in a sandbox). The User object has no
 * description field to carry a marker, so a user the manifest no longer names is recognised through its
 * assignment of a managed permission set that no app names any more (an orphan).
 */
import { Messages } from '@salesforce/core';
import { indexModel } from '../access/effective.js';
import { findIntegrationUsers } from '../access/integrationUsers.js';
import {
  DEPRECATED_INTEGRATION_PROFILE_NAME,
  INTEGRATION_PROFILE_NAME,
  INTEGRATION_PSL_DEVELOPER_NAME,
  INTEGRATION_PSL_LABEL,
  INTEGRATION_USER_LICENSE,
  SYSTEM_ADMINISTRATOR_PROFILE_NAME,
  type AccessModel,
  type PermissionHolder,
  type PermissionSetLicense,
  type Profile,
  type User,
} from '../access/model.js';
import { MANAGED_MARKER } from '../manifest/constants.js';
import type { DesiredApp, DesiredState, StatedUserField } from '../manifest/types.js';
import { buildPermissionSet } from '../metadata/permissionSet.js';
import { buildProfile } from '../metadata/profile.js';
import type { ProfileMetadata } from '../metadata/types.js';
import { findPrefixedUser, orgSandbox, repairedEmail, sandboxUsername, type SandboxInfo } from '../salesforce/sandbox.js';
import { idKey } from '../access/orgRows.js';
import { permissionSetChanges, profileChanges } from './compare.js';
import { planExternalClientApps } from './externalClientApps.js';
import { chooseLicenses, SALESFORCE_USER_LICENSE, type AppUser } from './license.js';
import type {
  JsonValue,
  LicenseChoice,
  Plan,
  PlanAction,
  PlanComponent,
  PlanNotice,
  PlanOp,
  PlanProblem,
  PlanRecord,
  PlanSummary,
  UserFieldChange,
} from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

export type PlanOptions = {
  /** Username of the user running apply (sandbox name detection). */
  runningUsername?: string;
  /** --sandbox-name. */
  sandboxName?: string;
  /** --prune: deactivate orphaned users and remove their assignments. */
  prune?: boolean;
  /** List managed sets no app names (default true; `user create` manages one app and leaves the others out). */
  reportOrphans?: boolean;
  /** --repair-emails: send e-mail changes of existing users (Salesforce holds each until the new address confirms it). */
  repairEmails?: boolean;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const lower = (s: string): string => s.toLowerCase();
export const isManagedDescription = (description: string | undefined): boolean => description?.includes(MANAGED_MARKER) === true;

type AppContext = { app: DesiredApp; username: string; existing?: User; prefix?: string; choice: LicenseChoice };

/** User fields the manifest can state, with the User field each maps to and how the model holds it. */
const USER_FIELDS: Array<{ stated: StatedUserField; field: string; actual: (u: User) => string | undefined }> = [
  { stated: 'firstName', field: 'FirstName', actual: (u) => u.firstName },
  { stated: 'lastName', field: 'LastName', actual: (u) => u.lastName },
  { stated: 'alias', field: 'Alias', actual: (u) => u.alias },
  { stated: 'timeZone', field: 'TimeZoneSidKey', actual: (u) => u.timeZoneSidKey },
  { stated: 'locale', field: 'LocaleSidKey', actual: (u) => u.localeSidKey },
  { stated: 'language', field: 'LanguageLocaleKey', actual: (u) => u.languageLocaleKey },
];

/**
 * Changes to an existing user: only the fields apps[].user states for this app (defaults apply to users the
 * plugin creates), and the profile the license choice needs. E-mail is separate (see emailChange).
 */
const userFieldChanges = (app: DesiredApp, user: User, profileName: string, currentProfile: Profile | undefined, license: string): UserFieldChange[] => {
  const changes: UserFieldChange[] = [];
  for (const { stated, field, actual } of USER_FIELDS) {
    const wanted = app.user[stated];
    if (!app.user.stated.includes(stated) || wanted === undefined || (actual(user) ?? '') === wanted) continue;
    changes.push({ field, from: actual(user) ?? '', to: wanted });
  }
  // A user already on a profile of the integration license keeps it (whichever integration profile it is).
  const keepsProfile = license === INTEGRATION_USER_LICENSE && currentProfile?.userLicense === INTEGRATION_USER_LICENSE;
  if (!keepsProfile && currentProfile?.name !== profileName) changes.push({ field: 'Profile', from: currentProfile?.name ?? '', to: profileName });
  return changes;
};

/**
 * The e-mail an existing user should get, when it differs: the address apps[].user states, or else the address a
 * sandbox refresh made invalid, without its `.invalid`. Salesforce holds a changed address until the new one confirms
 * it, so the change is a separate action that only --repair-emails sends.
 */
const emailChange = (app: DesiredApp, user: User): { from: string; to: string; refreshed: boolean } | undefined => {
  const from = user.email ?? '';
  const repaired = repairedEmail(from);
  const to = app.user.stated.includes('email') ? app.user.email : repaired;
  if (to === undefined || lower(to) === lower(from)) return undefined;
  return { from, to, refreshed: repaired !== undefined };
};

const summarise = (actions: PlanAction[]): PlanSummary => {
  const summary: PlanSummary = { create: 0, update: 0, unchanged: 0, remove: 0, orphaned: 0 };
  for (const action of actions) summary[action.op]++;
  return summary;
};

/** Lookups over the org model, built once. */
type OrgIndex = {
  model: AccessModel;
  profilesByName: Map<string, Profile>;
  profileById: Map<string, Profile>;
  setsByName: Map<string, PermissionHolder>;
  setsById: Map<string, PermissionHolder>;
  usersByName: Map<string, User>;
  psl?: PermissionSetLicense;
  pslHolders: Set<string>;
  integrationUserIds: Set<string>;
  notices: PlanNotice[];
};

/**
 * The org's profile for users on the Salesforce Integration license, chosen by its license: the one named
 * `wanted` (by default "Minimum Access - API Only Integrations"), else — for the default name only — the older
 * "Salesforce API Only System Integrations" or another profile of that license, with a notice.
 */
const integrationProfileOf = (model: AccessModel, wanted: string, notices: PlanNotice[]): Profile | undefined => {
  const onLicense = model.profiles.filter((p) => p.userLicense === INTEGRATION_USER_LICENSE);
  const named = onLicense.find((p) => lower(p.name) === lower(wanted)) ?? model.profiles.find((p) => !p.userLicense && lower(p.name) === lower(wanted));
  if (named !== undefined || lower(wanted) !== lower(INTEGRATION_PROFILE_NAME)) return named;
  const older = onLicense.find((p) => lower(p.name) === lower(DEPRECATED_INTEGRATION_PROFILE_NAME)) ?? [...onLicense].sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  if (older) notices.push({ code: 'olderIntegrationProfile', subject: older.name, message: messages.getMessage('notice.olderIntegrationProfile', [older.name, wanted]) });
  return older;
};

const indexOrg = (model: AccessModel): OrgIndex => {
  const psl = model.permissionSetLicenses.find((l) => l.developerName === INTEGRATION_PSL_DEVELOPER_NAME);
  return {
    model,
    profilesByName: new Map(model.profiles.map((p) => [lower(p.name), p])),
    profileById: new Map(model.profiles.map((p) => [idKey(p.profileId), p])),
    setsByName: new Map(model.permissionSets.filter((s) => !s.namespace).map((s) => [lower(s.name), s])),
    setsById: new Map(model.permissionSets.map((s) => [idKey(s.id), s])),
    usersByName: new Map(model.users.map((u) => [lower(u.username), u])),
    ...(psl ? { psl } : {}),
    pslHolders: new Set(
      model.permissionSetLicenseAssignments.filter((a) => psl && idKey(a.permissionSetLicenseId) === idKey(psl.id)).map((a) => idKey(a.userId))
    ),
    integrationUserIds: new Set(findIntegrationUsers(indexModel(model)).map((iu) => idKey(iu.user.id))),
    notices: [],
  };
};

type Problems = { list: PlanProblem[]; add: (code: string, subject: string, key: string, tokens: string[]) => void };
const problemList = (): Problems => {
  const list: PlanProblem[] = [];
  return {
    list,
    add: (code, subject, key, tokens) =>
      list.push({ code, subject, message: messages.getMessage(`problem.${key}`, tokens), fix: messages.getMessage(`problem.${key}.fix`) }),
  };
};

/** The org's sandbox as audit and user list see it (src/salesforce/sandbox.ts); a sandbox without a name is a problem. */
/**
 * `orgSaysSandbox`: the org's own facts (Organization.IsSandbox, not a scratch org, else its host) say sandbox, whatever
 * `--sandbox-name` says: the flag names a sandbox, it never makes production one (unfreezing keys on this).
 */
const planSandbox = (model: AccessModel, options: PlanOptions, problems: Problems): { sandbox?: SandboxInfo; orgSaysSandbox: boolean } => {
  const facts = { ...model.org, ...(options.runningUsername ? { runningUsername: options.runningUsername } : {}) };
  const orgSaysSandbox = orgSandbox(facts).isSandbox;
  const sandbox = orgSandbox(facts, options.sandboxName);
  if (!sandbox.isSandbox) return { orgSaysSandbox };
  if (!sandbox.info) problems.add('sandboxNameUnknown', 'sandbox', 'sandboxName', []);
  return { ...(sandbox.info ? { sandbox: sandbox.info } : {}), orgSaysSandbox };
};

/**
 * Each app's username and existing user, with the checks on names and addresses. In a sandbox, a user whose
 * username the copy prefixed with random characters after a collision is the app's user (reported with its prefix).
 */
const appUsers = (desired: DesiredState, org: OrgIndex, sandbox: SandboxInfo | undefined, problems: Problems): Array<AppUser & { prefix?: string }> => {
  const expected = desired.apps.map((app) => (sandbox ? sandboxUsername(app.user.username, sandbox.name) : app.user.username));
  return desired.apps.map((app, i) => {
    let username = expected[i];
    if (!EMAIL.test(username) || username.length > 80) problems.add('invalidUsername', username, 'invalidUsername', [username]);
    if (!EMAIL.test(app.user.email)) problems.add('invalidEmail', app.user.email, 'invalidEmail', [app.user.email, app.name]);
    let existing = org.usersByName.get(lower(username));
    let prefix: string | undefined;
    if (!existing && sandbox) {
      const prefixed = findPrefixedUser(username, org.model.users, expected);
      if (prefixed) {
        existing = prefixed.user;
        prefix = prefixed.prefix;
        const message = messages.getMessage('notice.prefixedUsername', [prefixed.user.username, prefixed.prefix, username]);
        org.notices.push({ code: 'prefixedUsername', subject: prefixed.user.username, app: app.name, message });
        username = prefixed.user.username;
      }
    }
    if (existing && !org.integrationUserIds.has(idKey(existing.id)) && !isOnManagedProfile(existing, org.profileById, desired.profile.name)) {
      const profileName = org.profileById.get(idKey(existing.profileId))?.name ?? existing.profileId;
      problems.add('usernameTakenInOrg', username, 'usernameTakenInOrg', [username, profileName]);
    }
    return {
      app: app.name,
      username,
      ...(existing ? { existing } : {}),
      ...(prefix ? { prefix } : {}),
      hasPsl: existing !== undefined && org.pslHolders.has(idKey(existing.id)),
    };
  });
};

const deployOp = (exists: boolean, changes: string[]): PlanOp => (!exists ? 'create' : changes.length > 0 ? 'update' : 'unchanged');

const asJson = (metadata: object): { [key: string]: JsonValue } => metadata as { [key: string]: JsonValue };

/**
 * A profile deploy only overlays, so object and field access an adopted profile already grants is revoked by stating
 * it false explicitly. Keys stay in Metadata API element order (alphabetical).
 */
const withAccessRevoked = (profile: ProfileMetadata, actual: Profile | undefined): object => {
  const objects = (actual?.objectPermissions ?? []).filter((o) => o.read || o.create || o.edit || o.delete || o.viewAll || o.modifyAll);
  const fields = (actual?.fieldPermissions ?? []).filter((f) => f.read || f.edit);
  if (objects.length === 0 && fields.length === 0) return profile;
  const { custom, description, loginIpRanges, userLicense, userPermissions } = profile;
  return {
    custom,
    description,
    fieldPermissions: fields.map((f) => ({ editable: false, field: f.field, readable: false })),
    loginIpRanges,
    objectPermissions: objects.map((o) => ({
      allowCreate: false,
      allowDelete: false,
      allowEdit: false,
      allowRead: false,
      modifyAllRecords: false,
      object: o.object,
      viewAllRecords: false,
    })),
    userLicense,
    userPermissions,
  };
};

const planProfile = (desired: DesiredState, apps: AppContext[], org: OrgIndex, problems: Problems): PlanAction[] => {
  if (!desired.profile.managed || !apps.some((a) => a.choice.license === 'salesforce')) return [];
  const actual = org.profilesByName.get(lower(desired.profile.name));
  if (actual?.userLicense && actual.userLicense !== SALESFORCE_USER_LICENSE) {
    problems.add('profileLicenseMismatch', desired.profile.name, 'profileLicense', [desired.profile.name, actual.userLicense]);
  }
  const changes = actual ? profileChanges(desired.profile, actual) : [];
  const op = deployOp(actual !== undefined, changes);
  const reason =
    op === 'create' ? messages.getMessage('reason.profile.create') : op === 'update' ? messages.getMessage('reason.profile.update', [changes.join('; ')]) : messages.getMessage('reason.profile.unchanged');
  const component: PlanComponent | undefined =
    op === 'unchanged'
      ? undefined
      : {
          type: 'Profile',
          fullName: desired.profile.name,
          metadata: asJson(
            withAccessRevoked(buildProfile(desired.profile, { userPermissions: org.model.knownSystemPermissions, userLicense: SALESFORCE_USER_LICENSE }), actual)
          ),
        };
  return [
    {
      kind: 'deployProfile',
      op,
      subject: desired.profile.name,
      reason,
      details: { name: desired.profile.name, userLicense: SALESFORCE_USER_LICENSE, changes, ...(component ? { component } : {}) },
    },
  ];
};

const planPermissionSet = ({ app, choice }: AppContext, org: OrgIndex, problems: Problems): PlanAction => {
  const license = choice.license === 'integration' ? INTEGRATION_PSL_LABEL : undefined;
  const namespaced = org.model.permissionSets.find((s) => s.namespace && lower(s.name) === lower(app.permissionSet.name));
  if (namespaced) problems.add('managedPackageSet', app.permissionSet.name, 'managedPackageSet', [app.permissionSet.name, namespaced.namespace as string]);
  const actual = org.setsByName.get(lower(app.permissionSet.name));
  const changes = actual ? permissionSetChanges(app, actual, license) : [];
  const op = deployOp(actual !== undefined, changes);
  const reason =
    op === 'create'
      ? messages.getMessage('reason.permissionSet.create')
      : op === 'update'
      ? messages.getMessage('reason.permissionSet.update', [changes.join('; ')])
      : messages.getMessage('reason.permissionSet.unchanged');
  const component: PlanComponent | undefined =
    op === 'unchanged'
      ? undefined
      : { type: 'PermissionSet', fullName: app.permissionSet.name, metadata: asJson(buildPermissionSet(app, license ? { license } : {})) };
  return {
    kind: 'deployPermissionSet',
    op,
    subject: app.permissionSet.name,
    app: app.name,
    reason,
    details: { name: app.permissionSet.name, label: app.permissionSet.label, ...(license ? { license } : {}), changes, ...(component ? { component } : {}) },
  };
};

/** The org Id of a profile that exists before the deploy; undefined when the same apply creates it. */
const profileIdOf = (org: OrgIndex, name: string): string | undefined => org.profilesByName.get(lower(name))?.profileId;

const newUserAction = ({ app, username, choice }: AppContext, org: OrgIndex): PlanAction => {
  const user = app.user;
  const profileId = profileIdOf(org, choice.profile);
  const record: PlanRecord = {
    Username: username,
    Email: user.email,
    ...(user.firstName !== undefined ? { FirstName: user.firstName } : {}),
    LastName: user.lastName,
    Alias: user.alias,
    TimeZoneSidKey: user.timeZone,
    LocaleSidKey: user.locale,
    LanguageLocaleKey: user.language,
    EmailEncodingKey: user.emailEncoding,
    ...(profileId ? { ProfileId: profileId } : {}),
  };
  return {
    kind: 'createUser',
    op: 'create',
    subject: username,
    app: app.name,
    reason: messages.getMessage('reason.user.create', [username, choice.profile, choice.license]),
    details: { username, profile: choice.profile, license: choice.license, record },
  };
};

/**
 * `inSandbox` (the org's own facts, never --sandbox-name alone): a frozen app user is unfrozen only in a sandbox, where
 * selective sandbox access freezes the users outside its chosen group (help: "Selective sandbox access"). In production
 * a user is frozen by an admin (Setup → Users → Freeze), typically to stop its logins at once when its credentials
 * leaked: a pipeline's apply must not undo that (frozenAppUserNotices). UNVERIFIED: whether a sandbox copy keeps a
 * production user's freeze; if it does, apply unfreezes that copy in the sandbox, and the plan says so.
 */
const existingUserActions = ({ app, username, prefix, choice }: AppContext, existing: User, org: OrgIndex, options: PlanOptions, inSandbox: boolean): PlanAction[] => {
  const actions: PlanAction[] = [];
  const currentProfile = org.profileById.get(idKey(existing.profileId));
  const license = choice.license === 'integration' ? INTEGRATION_USER_LICENSE : SALESFORCE_USER_LICENSE;
  const changes = userFieldChanges(app, existing, choice.profile, currentProfile, license);
  const about = { subject: username, app: app.name };
  const user = { userId: existing.id, username };
  if (!existing.isActive) {
    actions.push({ kind: 'reactivateUser', op: 'update', ...about, reason: messages.getMessage('reason.user.reactivate'), details: { ...user, record: { IsActive: true } } });
  }
  if (existing.frozen && inSandbox) {
    actions.push({
      kind: 'unfreezeUser',
      op: 'update',
      ...about,
      reason: messages.getMessage('reason.user.unfreeze'),
      details: { ...user, userLoginId: existing.frozen.userLoginId, record: { IsFrozen: false } },
    });
  }
  const email = emailChange(app, existing);
  if (email) {
    const send = options.repairEmails === true;
    const key = `reason.user.email.${email.refreshed ? 'refreshed' : 'changed'}.${send ? 'send' : 'report'}`;
    actions.push({
      kind: 'repairEmail',
      op: send ? 'update' : 'unchanged',
      ...about,
      reason: messages.getMessage(key, [email.from, email.to]),
      details: { ...user, from: email.from, to: email.to, ...(send ? { record: { Email: email.to } } : {}) },
    });
    if (!send) org.notices.push({ code: email.refreshed ? 'invalidEmail' : 'emailDiffers', subject: username, app: app.name, message: messages.getMessage(key, [email.from, email.to]) });
  }
  const record: PlanRecord = {};
  let pendingProfile: string | undefined;
  for (const change of changes) {
    if (change.field !== 'Profile') record[change.field] = change.to;
    else {
      const profileId = profileIdOf(org, change.to);
      if (profileId) record.ProfileId = profileId;
      else pendingProfile = change.to;
    }
  }
  const described = changes.map((c) => `${c.field} ${c.from || '(none)'} → ${c.to}`).join('; ');
  const reason = [
    ...(prefix ? [messages.getMessage('reason.user.prefixed', [prefix])] : []),
    changes.length > 0 ? messages.getMessage('reason.user.update', [described]) : messages.getMessage('reason.user.unchanged'),
  ].join(' ');
  actions.push({
    kind: 'updateUser',
    op: changes.length > 0 ? 'update' : 'unchanged',
    ...about,
    reason,
    details: { ...user, changes, record, ...(pendingProfile ? { profile: pendingProfile } : {}) },
  });
  return actions;
};

/** The integration PSL assignment an app's user on the integration license needs. */
const pslAction = ({ app, username, existing, choice }: Pick<AppContext, 'app' | 'username' | 'existing' | 'choice'>, org: OrgIndex): PlanAction | undefined => {
  if (choice.license !== 'integration' || !org.psl) return undefined;
  const has = existing !== undefined && org.pslHolders.has(idKey(existing.id));
  return {
    kind: 'assignPermissionSetLicense',
    op: has ? 'unchanged' : 'create',
    subject: `${INTEGRATION_PSL_DEVELOPER_NAME} → ${username}`,
    app: app.name,
    reason: has ? messages.getMessage('reason.psl.unchanged') : messages.getMessage('reason.psl.assign', [INTEGRATION_PSL_DEVELOPER_NAME]),
    details: {
      username,
      ...(existing ? { userId: existing.id } : {}),
      permissionSetLicense: INTEGRATION_PSL_DEVELOPER_NAME,
      permissionSetLicenseId: org.psl.id,
      record: { ...(existing ? { AssigneeId: existing.id } : {}), PermissionSetLicenseId: org.psl.id },
    },
  };
};

const assignmentActions = ({ app, username, existing, choice }: AppContext, org: OrgIndex): PlanAction[] => {
  const actions: PlanAction[] = [];
  const userRef = { username, ...(existing ? { userId: existing.id } : {}) };
  const assignee: PlanRecord = existing ? { AssigneeId: existing.id } : {};
  const psl = pslAction({ app, username, existing, choice }, org);
  if (psl) actions.push(psl);
  const set = org.setsByName.get(lower(app.permissionSet.name));
  const held = existing ? org.model.assignments.filter((a) => idKey(a.userId) === idKey(existing.id) && a.permissionSetId) : [];
  const assigned = set !== undefined && held.some((a) => idKey(a.permissionSetId ?? '') === idKey(set.id));
  actions.push({
    kind: 'assignPermissionSet',
    op: assigned ? 'unchanged' : 'create',
    subject: `${app.permissionSet.name} → ${username}`,
    app: app.name,
    reason: assigned ? messages.getMessage('reason.assignment.unchanged') : messages.getMessage('reason.assignment.create'),
    details: {
      ...userRef,
      permissionSet: app.permissionSet.name,
      ...(set ? { permissionSetId: set.id } : {}),
      record: { ...assignee, ...(set ? { PermissionSetId: set.id } : {}) },
    },
  });
  // Managed sets this user holds that the manifest does not give it (an app renamed its set, or took it away).
  for (const assignment of held) {
    const other = org.setsById.get(idKey(assignment.permissionSetId ?? ''));
    if (!existing || !other || !assignment.id || !isManagedDescription(other.description) || lower(other.name) === lower(app.permissionSet.name)) continue;
    actions.push({
      kind: 'removeAssignment',
      op: 'remove',
      subject: `${other.name} → ${username}`,
      app: app.name,
      reason: messages.getMessage('reason.assignment.remove', [other.name]),
      details: { username, userId: existing.id, permissionSet: other.name, assignmentId: assignment.id },
    });
  }
  return actions;
};

/**
 * Outside a sandbox, the frozen users the manifest names, active or not (an inactive one is reactivated but stays
 * frozen): reported, left frozen (see existingUserActions). When UserLogin could not be read, one notice says that
 * frozen users are unknown (a frozen app user would then be neither unfrozen nor reported).
 */
const frozenAppUserNotices = (apps: AppContext[], inSandbox: boolean, model: AccessModel): PlanNotice[] => {
  const unknown = model.unavailableFacts.find((u) => u.fact === 'frozenUsers');
  if (unknown) return [{ code: 'frozenUnknown', subject: 'UserLogin', message: messages.getMessage('notice.frozenUnknown', [unknown.reason]) }];
  if (inSandbox) return [];
  return apps
    .filter((a) => a.existing?.frozen)
    .map((a) => ({ code: 'frozenAppUser', subject: a.username, app: a.app.name, message: messages.getMessage('notice.frozenAppUser', [a.username]) }));
};

/** Frozen integration users the manifest does not name: reported, left alone. */
const frozenNotices = (org: OrgIndex, manifestUserIds: Set<string>): PlanNotice[] =>
  org.model.users
    .filter((u) => u.frozen && u.isActive && org.integrationUserIds.has(idKey(u.id)) && !manifestUserIds.has(idKey(u.id)))
    .map((u) => ({ code: 'frozenUser', subject: u.username, message: messages.getMessage('notice.frozenUser', [u.username]) }));

/** Which license and profile each app's user gets (the integration profile chosen by its license). */
const planLicenses = (desired: DesiredState, org: OrgIndex, users: AppUser[]): ReturnType<typeof chooseLicenses> => {
  const { model } = org;
  const wantedIntegrationProfile = desired.profile.managed ? INTEGRATION_PROFILE_NAME : desired.profile.name;
  const integrationProfile = integrationProfileOf(model, wantedIntegrationProfile, org.notices);
  return chooseLicenses(users, {
    mode: desired.profile.license,
    integrationProfileName: integrationProfile?.name ?? wantedIntegrationProfile,
    integrationProfile,
    integrationLicense: model.userLicenses.find((l) => l.name === INTEGRATION_USER_LICENSE),
    psl: org.psl,
    salesforceLicense: model.userLicenses.find((l) => l.name === SALESFORCE_USER_LICENSE),
    salesforceProfileName: desired.profile.name,
  });
};

export const computePlan = (desired: DesiredState, model: AccessModel, options: PlanOptions = {}): Plan => {
  const problems = problemList();
  const org = indexOrg(model);
  const { sandbox, orgSaysSandbox: inSandbox } = planSandbox(model, options, problems);
  if ([lower(SYSTEM_ADMINISTRATOR_PROFILE_NAME), 'admin'].includes(lower(desired.profile.name))) {
    problems.add('systemAdministratorProfile', desired.profile.name, 'systemAdministrator', [desired.profile.name]);
  }
  const users = appUsers(desired, org, sandbox, problems);
  const licensePlan = planLicenses(desired, org, users);
  problems.list.push(...licensePlan.problems);
  const apps: AppContext[] = desired.apps.map((app, i) => ({ ...users[i], app, choice: licensePlan.choices[i] }));

  const actions: PlanAction[] = [...planProfile(desired, apps, org, problems), ...apps.map((a) => planPermissionSet(a, org, problems))];
  for (const context of apps) {
    actions.push(...(context.existing ? existingUserActions(context, context.existing, org, options, inSandbox) : [newUserAction(context, org)]));
    actions.push(...assignmentActions(context, org));
  }
  const manifestUserIds = new Set(apps.flatMap((a) => (a.existing ? [idKey(a.existing.id)] : [])));
  actions.push(...externalClientAppActions(apps, actions, org, options.reportOrphans !== false));
  if (options.reportOrphans !== false) {
    const managedSetNames = new Set(desired.apps.map((a) => lower(a.permissionSet.name)));
    actions.push(...orphanActions(model, managedSetNames, manifestUserIds, options.prune === true));
  }
  const notices = [...org.notices, ...frozenAppUserNotices(apps, inSandbox, model), ...frozenNotices(org, manifestUserIds)];
  return { actions, problems: problems.list, notices, licenses: licensePlan.choices, ...(sandbox ? { sandbox } : {}), summary: summarise(actions) };
};

/** The app's user can be a run-as user now: it exists, and this apply neither creates, reactivates nor moves it. */
const externalClientAppActions = (apps: AppContext[], userActions: PlanAction[], org: OrgIndex, reportOrphans: boolean): PlanAction[] => {
  if (!apps.some((a) => a.app.oauth) && !(org.model.oauthClients ?? []).length) return [];
  const changing = new Set(
    userActions
      .filter((a) => a.op !== 'unchanged' && (a.kind === 'createUser' || a.kind === 'reactivateUser' || (a.kind === 'updateUser' && a.details.changes.some((c) => c.field === 'Profile'))))
      .map((a) => lower(a.subject))
  );
  const contexts = apps.map(({ app, username, existing }) => {
    const set = org.setsByName.get(lower(app.permissionSet.name));
    return { app, username, userReady: existing !== undefined && !changing.has(lower(username)), ...(set ? { permissionSetId: set.id } : {}) };
  });
  return planExternalClientApps(contexts, org.model.oauthClients ?? [], MANAGED_MARKER, reportOrphans);
};

const isOnManagedProfile = (user: User, profileById: Map<string, Profile>, managedProfileName: string): boolean => {
  const profile = profileById.get(idKey(user.profileId));
  return profile !== undefined && (lower(profile.name) === lower(managedProfileName) || isManagedDescription(profile.description));
};

const orphanActions = (model: AccessModel, managedSetNames: Set<string>, manifestUserIds: Set<string>, prune: boolean): PlanAction[] => {
  const actions: PlanAction[] = [];
  const orphanSets: PermissionHolder[] = model.permissionSets.filter((s) => isManagedDescription(s.description) && !managedSetNames.has(lower(s.name)));
  const usersById = new Map(model.users.map((u) => [idKey(u.id), u]));
  const seenUsers = new Set<string>();
  for (const set of orphanSets) {
    actions.push({ kind: 'orphan', op: 'orphaned', subject: set.name, reason: messages.getMessage('reason.orphan.permissionSet'), details: { type: 'permissionSet', name: set.name } });
    for (const assignment of model.assignments.filter((a) => idKey(a.permissionSetId) === idKey(set.id))) {
      const user = usersById.get(idKey(assignment.userId));
      if (!user || manifestUserIds.has(idKey(user.id))) continue;
      if (!seenUsers.has(idKey(user.id))) {
        seenUsers.add(idKey(user.id));
        actions.push({ kind: 'orphan', op: 'orphaned', subject: user.username, reason: messages.getMessage('reason.orphan.user', [set.name]), details: { type: 'user', name: user.username } });
        if (prune && user.isActive) {
          actions.push({
            kind: 'deactivateUser',
            op: 'remove',
            subject: user.username,
            reason: messages.getMessage('reason.prune.deactivate'),
            details: { userId: user.id, username: user.username, record: { IsActive: false } },
          });
        }
      }
      if (prune && assignment.id) {
        actions.push({
          kind: 'removeAssignment',
          op: 'remove',
          subject: `${set.name} → ${user.username}`,
          reason: messages.getMessage('reason.prune.remove', [set.name]),
          details: { username: user.username, userId: user.id, permissionSet: set.name, assignmentId: assignment.id },
        });
      }
    }
  }
  return actions;
};
