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
import type { DesiredApp, DesiredState } from '../manifest/types.js';
import { permissionSetChanges, profileChanges } from './compare.js';
import { chooseLicenses, SALESFORCE_USER_LICENSE, type AppUser } from './license.js';
import { detectSandbox, repairedEmail, sandboxUsername } from './sandbox.js';
import type { LicenseChoice, Plan, PlanAction, PlanOp, PlanProblem, PlanSummary, SandboxInfo, UserFieldChange } from './types.js';

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
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const idKey = (id: string | undefined): string => (id ?? '').slice(0, 15);
const lower = (s: string): string => s.toLowerCase();
export const isManagedDescription = (description: string | undefined): boolean => description?.includes(MANAGED_MARKER) === true;

type AppContext = { app: DesiredApp; username: string; existing?: User; choice: LicenseChoice };

const userFieldChanges = (app: DesiredApp, user: User, profileName: string, currentProfile: string | undefined): { changes: UserFieldChange[]; repair?: { from: string; to: string } } => {
  const changes: UserFieldChange[] = [];
  const compare = (field: string, actual: string | undefined, wanted: string | undefined): void => {
    if (wanted !== undefined && (actual ?? '') !== wanted) changes.push({ field, from: actual ?? '', to: wanted });
  };
  let repair: { from: string; to: string } | undefined;
  const repaired = repairedEmail(user.email);
  if (repaired !== undefined && lower(repaired) === lower(app.user.email)) repair = { from: user.email as string, to: app.user.email };
  else if (lower(user.email ?? '') !== lower(app.user.email)) compare('Email', user.email, app.user.email);
  compare('FirstName', user.firstName, app.user.firstName);
  compare('LastName', user.lastName, app.user.lastName);
  compare('Alias', user.alias, app.user.alias);
  compare('TimeZoneSidKey', user.timeZoneSidKey, app.user.timeZone);
  compare('LocaleSidKey', user.localeSidKey, app.user.locale);
  compare('LanguageLocaleKey', user.languageLocaleKey, app.user.language);
  compare('EmailEncodingKey', user.emailEncodingKey, app.user.emailEncoding);
  if (currentProfile !== profileName) changes.push({ field: 'Profile', from: currentProfile ?? '', to: profileName });
  return { changes, ...(repair ? { repair } : {}) };
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

const planSandbox = (model: AccessModel, options: PlanOptions, problems: Problems): SandboxInfo | undefined => {
  if (!model.org.isSandbox) return options.sandboxName ? { name: options.sandboxName, source: 'flag' } : undefined;
  const sandbox = detectSandbox(options.sandboxName, model.org.instanceUrl, options.runningUsername);
  if (!sandbox) problems.add('sandboxNameUnknown', 'sandbox', 'sandboxName', []);
  return sandbox;
};

/** Each app's username and existing user, with the checks on names and addresses. */
const appUsers = (desired: DesiredState, org: OrgIndex, sandbox: SandboxInfo | undefined, problems: Problems): AppUser[] =>
  desired.apps.map((app) => {
    const username = sandbox ? sandboxUsername(app.user.username, sandbox.name) : app.user.username;
    if (!EMAIL.test(username) || username.length > 80) problems.add('invalidUsername', username, 'invalidUsername', [username]);
    if (!EMAIL.test(app.user.email)) problems.add('invalidEmail', app.user.email, 'invalidEmail', [app.user.email, app.name]);
    const existing = org.usersByName.get(lower(username));
    if (existing && !org.integrationUserIds.has(idKey(existing.id)) && !isOnManagedProfile(existing, org.profileById, desired.profile.name)) {
      const profileName = org.profileById.get(idKey(existing.profileId))?.name ?? existing.profileId;
      problems.add('usernameTakenInOrg', username, 'usernameTakenInOrg', [username, profileName]);
    }
    return { app: app.name, username, ...(existing ? { existing } : {}), hasPsl: existing !== undefined && org.pslHolders.has(idKey(existing.id)) };
  });

const deployOp = (exists: boolean, changes: string[]): PlanOp => (!exists ? 'create' : changes.length > 0 ? 'update' : 'unchanged');

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
  return [{ kind: 'deployProfile', op, subject: desired.profile.name, reason, details: { name: desired.profile.name, userLicense: SALESFORCE_USER_LICENSE, changes } }];
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
  return {
    kind: 'deployPermissionSet',
    op,
    subject: app.permissionSet.name,
    app: app.name,
    reason,
    details: { name: app.permissionSet.name, label: app.permissionSet.label, ...(license ? { license } : {}), changes },
  };
};

const newUserAction = ({ app, username, choice }: AppContext): PlanAction => ({
  kind: 'createUser',
  op: 'create',
  subject: username,
  app: app.name,
  reason: messages.getMessage('reason.user.create', [username, choice.profile, choice.license]),
  details: {
    username,
    email: app.user.email,
    ...(app.user.firstName !== undefined ? { firstName: app.user.firstName } : {}),
    lastName: app.user.lastName,
    alias: app.user.alias,
    timeZone: app.user.timeZone,
    locale: app.user.locale,
    language: app.user.language,
    emailEncoding: app.user.emailEncoding,
    profile: choice.profile,
    license: choice.license,
  },
});

const existingUserActions = ({ app, username, choice }: AppContext, existing: User, org: OrgIndex): PlanAction[] => {
  const actions: PlanAction[] = [];
  const { changes, repair } = userFieldChanges(app, existing, choice.profile, org.profileById.get(idKey(existing.profileId))?.name);
  const about = { subject: username, app: app.name };
  if (!existing.isActive) {
    actions.push({ kind: 'reactivateUser', op: 'update', ...about, reason: messages.getMessage('reason.user.reactivate'), details: { userId: existing.id, username } });
  }
  if (repair) {
    actions.push({ kind: 'repairEmail', op: 'update', ...about, reason: messages.getMessage('reason.user.repairEmail'), details: { userId: existing.id, username, ...repair } });
  }
  const reason =
    changes.length > 0
      ? messages.getMessage('reason.user.update', [changes.map((c) => `${c.field} ${c.from || '(none)'} → ${c.to}`).join('; ')])
      : messages.getMessage('reason.user.unchanged');
  actions.push({ kind: 'updateUser', op: changes.length > 0 ? 'update' : 'unchanged', ...about, reason, details: { userId: existing.id, username, changes } });
  return actions;
};

const assignmentActions = ({ app, username, existing, choice }: AppContext, org: OrgIndex): PlanAction[] => {
  const actions: PlanAction[] = [];
  const userRef = { username, ...(existing ? { userId: existing.id } : {}) };
  if (choice.license === 'integration' && org.psl) {
    const has = existing !== undefined && org.pslHolders.has(idKey(existing.id));
    actions.push({
      kind: 'assignPermissionSetLicense',
      op: has ? 'unchanged' : 'create',
      subject: `${INTEGRATION_PSL_DEVELOPER_NAME} → ${username}`,
      app: app.name,
      reason: has ? messages.getMessage('reason.psl.unchanged') : messages.getMessage('reason.psl.assign', [INTEGRATION_PSL_DEVELOPER_NAME]),
      details: { ...userRef, permissionSetLicense: INTEGRATION_PSL_DEVELOPER_NAME, permissionSetLicenseId: org.psl.id },
    });
  }
  const set = org.setsByName.get(lower(app.permissionSet.name));
  const held = existing ? org.model.assignments.filter((a) => idKey(a.userId) === idKey(existing.id) && a.permissionSetId) : [];
  const assigned = set !== undefined && held.some((a) => idKey(a.permissionSetId ?? '') === idKey(set.id));
  actions.push({
    kind: 'assignPermissionSet',
    op: assigned ? 'unchanged' : 'create',
    subject: `${app.permissionSet.name} → ${username}`,
    app: app.name,
    reason: assigned ? messages.getMessage('reason.assignment.unchanged') : messages.getMessage('reason.assignment.create'),
    details: { ...userRef, permissionSet: app.permissionSet.name, ...(set ? { permissionSetId: set.id } : {}) },
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

export const computePlan = (desired: DesiredState, model: AccessModel, options: PlanOptions = {}): Plan => {
  const problems = problemList();
  const org = indexOrg(model);
  const sandbox = planSandbox(model, options, problems);
  if ([lower(SYSTEM_ADMINISTRATOR_PROFILE_NAME), 'admin'].includes(lower(desired.profile.name))) {
    problems.add('systemAdministratorProfile', desired.profile.name, 'systemAdministrator', [desired.profile.name]);
  }
  const users = appUsers(desired, org, sandbox, problems);
  const integrationProfileName = desired.profile.managed ? INTEGRATION_PROFILE_NAME : desired.profile.name;
  const licensePlan = chooseLicenses(users, {
    mode: desired.profile.license,
    integrationProfileName,
    integrationProfile: org.profilesByName.get(lower(integrationProfileName)),
    integrationLicense: model.userLicenses.find((l) => l.name === INTEGRATION_USER_LICENSE),
    psl: org.psl,
    salesforceLicense: model.userLicenses.find((l) => l.name === SALESFORCE_USER_LICENSE),
    salesforceProfileName: desired.profile.name,
  });
  problems.list.push(...licensePlan.problems);
  const apps: AppContext[] = desired.apps.map((app, i) => ({
    app,
    username: users[i].username,
    ...(users[i].existing ? { existing: users[i].existing } : {}),
    choice: licensePlan.choices[i],
  }));

  const actions: PlanAction[] = [...planProfile(desired, apps, org, problems), ...apps.map((a) => planPermissionSet(a, org, problems))];
  for (const context of apps) {
    actions.push(...(context.existing ? existingUserActions(context, context.existing, org) : [newUserAction(context)]));
    actions.push(...assignmentActions(context, org));
  }
  if (options.reportOrphans !== false) {
    const managedSetNames = new Set(desired.apps.map((a) => lower(a.permissionSet.name)));
    const manifestUserIds = new Set(apps.flatMap((a) => (a.existing ? [idKey(a.existing.id)] : [])));
    actions.push(...orphanActions(model, managedSetNames, manifestUserIds, options.prune === true));
  }
  return { actions, problems: problems.list, licenses: licensePlan.choices, ...(sandbox ? { sandbox } : {}), summary: summarise(actions) };
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
          actions.push({ kind: 'deactivateUser', op: 'remove', subject: user.username, reason: messages.getMessage('reason.prune.deactivate'), details: { userId: user.id, username: user.username } });
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
