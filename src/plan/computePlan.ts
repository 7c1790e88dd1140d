/**
 * computePlan: DesiredState (the manifest) × AccessModel (the org) → Plan. Pure: the same inputs give the same
 * plan, and a converged org gives only `unchanged` (and `orphaned`) actions.
 *
 * How the plugin recognises what it manages (documented in the apply command's help):
 * - profiles and permission sets: the marker MANAGED_MARKER at the end of the description it writes;
 * - users: the username the manifest gives them (mapped to the sandbox suffix in a sandbox). The User object has no
 *   description field to carry a marker, so a user the manifest no longer names is recognised through its
 *   assignment of a managed permission set that no app names any more (an orphan).
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
  type Profile,
  type User,
} from '../access/model.js';
import { MANAGED_MARKER } from '../manifest/constants.js';
import type { DesiredApp, DesiredState } from '../manifest/types.js';
import { permissionSetChanges, profileChanges } from './compare.js';
import { chooseLicenses, SALESFORCE_USER_LICENSE, type AppUser } from './license.js';
import { detectSandbox, repairedEmail, sandboxUsername } from './sandbox.js';
import type { LicenseChoice, Plan, PlanAction, PlanProblem, PlanSummary, SandboxInfo, UserFieldChange } from './types.js';

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

export const computePlan = (desired: DesiredState, model: AccessModel, options: PlanOptions = {}): Plan => {
  const actions: PlanAction[] = [];
  const problems: PlanProblem[] = [];
  const problem = (code: string, subject: string, key: string, tokens: string[]): void => {
    problems.push({ code, subject, message: messages.getMessage(`problem.${key}`, tokens), fix: messages.getMessage(`problem.${key}.fix`) });
  };

  // --- sandbox --------------------------------------------------------------------------------------------------
  let sandbox: SandboxInfo | undefined;
  if (model.org.isSandbox) {
    sandbox = detectSandbox(options.sandboxName, model.org.instanceUrl, options.runningUsername);
    if (!sandbox) problem('sandboxNameUnknown', 'sandbox', 'sandboxName', []);
  } else if (options.sandboxName) {
    sandbox = { name: options.sandboxName, source: 'flag' };
  }
  const usernameOf = (app: DesiredApp): string => (sandbox ? sandboxUsername(app.user.username, sandbox.name) : app.user.username);

  // --- what the org has ------------------------------------------------------------------------------------------
  const profilesByName = new Map(model.profiles.map((p) => [lower(p.name), p]));
  const profileById = new Map(model.profiles.map((p) => [idKey(p.profileId), p]));
  const setsByName = new Map(model.permissionSets.filter((s) => !s.namespace).map((s) => [lower(s.name), s]));
  const setsById = new Map(model.permissionSets.map((s) => [idKey(s.id), s]));
  const usersByName = new Map(model.users.map((u) => [lower(u.username), u]));
  const psl = model.permissionSetLicenses.find((l) => l.developerName === INTEGRATION_PSL_DEVELOPER_NAME);
  const pslHolders = new Set(
    model.permissionSetLicenseAssignments.filter((a) => psl && idKey(a.permissionSetLicenseId) === idKey(psl.id)).map((a) => idKey(a.userId))
  );
  const integrationUserIds = new Set(findIntegrationUsers(indexModel(model)).map((iu) => idKey(iu.user.id)));

  const integrationProfileName = desired.profile.managed ? INTEGRATION_PROFILE_NAME : desired.profile.name;
  const salesforceProfileName = desired.profile.managed ? desired.profile.name : desired.profile.name;

  // --- preflight on names and addresses --------------------------------------------------------------------------
  if (lower(desired.profile.name) === lower(SYSTEM_ADMINISTRATOR_PROFILE_NAME) || lower(desired.profile.name) === 'admin') {
    problem('systemAdministratorProfile', desired.profile.name, 'systemAdministrator', [desired.profile.name]);
  }
  const appUsers: AppUser[] = [];
  const contexts: Array<Omit<AppContext, 'choice'>> = [];
  for (const app of desired.apps) {
    const username = usernameOf(app);
    if (!EMAIL.test(username) || username.length > 80) problem('invalidUsername', username, 'invalidUsername', [username]);
    if (!EMAIL.test(app.user.email)) problem('invalidEmail', app.user.email, 'invalidEmail', [app.user.email, app.name]);
    const existing = usersByName.get(lower(username));
    if (existing && !integrationUserIds.has(idKey(existing.id)) && !isOnManagedProfile(existing, profileById, desired.profile.name)) {
      problem('usernameTakenInOrg', username, 'usernameTakenInOrg', [username, profileById.get(idKey(existing.profileId))?.name ?? existing.profileId]);
    }
    contexts.push({ app, username, ...(existing ? { existing } : {}) });
    appUsers.push({ app: app.name, username, ...(existing ? { existing } : {}), hasPsl: existing !== undefined && pslHolders.has(idKey(existing.id)) });
  }

  // --- licenses ---------------------------------------------------------------------------------------------------
  const licensePlan = chooseLicenses(appUsers, {
    mode: desired.profile.license,
    integrationProfileName,
    integrationProfile: profilesByName.get(lower(integrationProfileName)),
    integrationLicense: model.userLicenses.find((l) => l.name === INTEGRATION_USER_LICENSE),
    psl,
    salesforceLicense: model.userLicenses.find((l) => l.name === SALESFORCE_USER_LICENSE),
    salesforceProfileName,
  });
  problems.push(...licensePlan.problems);
  const apps: AppContext[] = contexts.map((c, i) => ({ ...c, choice: licensePlan.choices[i] }));

  // --- the profile ------------------------------------------------------------------------------------------------
  const needsManagedProfile = desired.profile.managed && apps.some((a) => a.choice.license === 'salesforce');
  if (needsManagedProfile) {
    const actual = profilesByName.get(lower(desired.profile.name));
    if (actual && actual.userLicense && actual.userLicense !== SALESFORCE_USER_LICENSE) {
      problem('profileLicenseMismatch', desired.profile.name, 'profileLicense', [desired.profile.name, actual.userLicense]);
    }
    const changes = actual ? profileChanges(desired.profile, actual) : [];
    actions.push({
      kind: 'deployProfile',
      op: !actual ? 'create' : changes.length > 0 ? 'update' : 'unchanged',
      subject: desired.profile.name,
      reason: !actual
        ? messages.getMessage('reason.profile.create')
        : changes.length > 0
        ? messages.getMessage('reason.profile.update', [changes.join('; ')])
        : messages.getMessage('reason.profile.unchanged'),
      details: { name: desired.profile.name, userLicense: SALESFORCE_USER_LICENSE, changes },
    });
  }

  // --- permission sets --------------------------------------------------------------------------------------------
  const managedSetNames = new Set(desired.apps.map((a) => lower(a.permissionSet.name)));
  for (const { app, choice } of apps) {
    const license = choice.license === 'integration' ? INTEGRATION_PSL_LABEL : undefined;
    const namespaced = model.permissionSets.find((s) => s.namespace && lower(s.name) === lower(app.permissionSet.name));
    if (namespaced) problem('managedPackageSet', app.permissionSet.name, 'managedPackageSet', [app.permissionSet.name, namespaced.namespace as string]);
    const actual = setsByName.get(lower(app.permissionSet.name));
    const changes = actual ? permissionSetChanges(app, actual, license) : [];
    actions.push({
      kind: 'deployPermissionSet',
      op: !actual ? 'create' : changes.length > 0 ? 'update' : 'unchanged',
      subject: app.permissionSet.name,
      app: app.name,
      reason: !actual
        ? messages.getMessage('reason.permissionSet.create')
        : changes.length > 0
        ? messages.getMessage('reason.permissionSet.update', [changes.join('; ')])
        : messages.getMessage('reason.permissionSet.unchanged'),
      details: { name: app.permissionSet.name, label: app.permissionSet.label, ...(license ? { license } : {}), changes },
    });
  }

  // --- users and their assignments ----------------------------------------------------------------------------------
  const manifestUserIds = new Set<string>();
  for (const { app, username, existing, choice } of apps) {
    const profileName = choice.profile;
    if (!existing) {
      actions.push({
        kind: 'createUser',
        op: 'create',
        subject: username,
        app: app.name,
        reason: messages.getMessage('reason.user.create', [username, profileName, choice.license]),
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
          profile: profileName,
          license: choice.license,
        },
      });
    } else {
      manifestUserIds.add(idKey(existing.id));
      const { changes, repair } = userFieldChanges(app, existing, profileName, profileById.get(idKey(existing.profileId))?.name);
      if (!existing.isActive) {
        actions.push({ kind: 'reactivateUser', op: 'update', subject: username, app: app.name, reason: messages.getMessage('reason.user.reactivate'), details: { userId: existing.id, username } });
      }
      if (repair) {
        actions.push({ kind: 'repairEmail', op: 'update', subject: username, app: app.name, reason: messages.getMessage('reason.user.repairEmail'), details: { userId: existing.id, username, ...repair } });
      }
      actions.push({
        kind: 'updateUser',
        op: changes.length > 0 ? 'update' : 'unchanged',
        subject: username,
        app: app.name,
        reason:
          changes.length > 0
            ? messages.getMessage('reason.user.update', [changes.map((c) => `${c.field} ${c.from || '(none)'} → ${c.to}`).join('; ')])
            : messages.getMessage('reason.user.unchanged'),
        details: { userId: existing.id, username, changes },
      });
    }

    if (choice.license === 'integration' && psl) {
      const has = existing !== undefined && pslHolders.has(idKey(existing.id));
      actions.push({
        kind: 'assignPermissionSetLicense',
        op: has ? 'unchanged' : 'create',
        subject: `${INTEGRATION_PSL_DEVELOPER_NAME} → ${username}`,
        app: app.name,
        reason: has ? messages.getMessage('reason.psl.unchanged') : messages.getMessage('reason.psl.assign', [INTEGRATION_PSL_DEVELOPER_NAME]),
        details: { username, ...(existing ? { userId: existing.id } : {}), permissionSetLicense: INTEGRATION_PSL_DEVELOPER_NAME, permissionSetLicenseId: psl.id },
      });
    }

    const set = setsByName.get(lower(app.permissionSet.name));
    const userAssignments = existing ? model.assignments.filter((a) => idKey(a.userId) === idKey(existing.id) && a.permissionSetId) : [];
    const assigned = set !== undefined && userAssignments.some((a) => idKey(a.permissionSetId) === idKey(set.id));
    actions.push({
      kind: 'assignPermissionSet',
      op: assigned ? 'unchanged' : 'create',
      subject: `${app.permissionSet.name} → ${username}`,
      app: app.name,
      reason: assigned ? messages.getMessage('reason.assignment.unchanged') : messages.getMessage('reason.assignment.create'),
      details: { username, ...(existing ? { userId: existing.id } : {}), permissionSet: app.permissionSet.name, ...(set ? { permissionSetId: set.id } : {}) },
    });

    // Managed sets this user holds that the manifest does not give it (an app renamed its set, or took it away).
    for (const assignment of userAssignments) {
      const other = setsById.get(idKey(assignment.permissionSetId));
      if (!other || !isManagedDescription(other.description) || lower(other.name) === lower(app.permissionSet.name) || !assignment.id) continue;
      actions.push({
        kind: 'removeAssignment',
        op: 'remove',
        subject: `${other.name} → ${username}`,
        app: app.name,
        reason: messages.getMessage('reason.assignment.remove', [other.name]),
        details: { username, userId: (existing as User).id, permissionSet: other.name, assignmentId: assignment.id },
      });
    }
  }

  // --- orphans: managed sets no app names, and their users --------------------------------------------------------------
  if (options.reportOrphans !== false) actions.push(...orphanActions(model, managedSetNames, manifestUserIds, options.prune === true));

  return { actions, problems, licenses: licensePlan.choices, ...(sandbox ? { sandbox } : {}), summary: summarise(actions) };
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
