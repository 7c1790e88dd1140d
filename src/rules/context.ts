/**
 * Builds the RuleContext once per audit: the model index, the integration users (users mode) or the
 * integration profiles and permission sets (holders mode, a metadata directory). Rules then stay linear.
 */
import { indexModel, mutedHolder, unionOfViews } from '../access/effective.js';
import { findIntegrationUsers } from '../access/integrationUsers.js';
import {
  DEPRECATED_INTEGRATION_PROFILE_NAME,
  INTEGRATION_PROFILE_NAME,
  INTEGRATION_PSL_DEVELOPER_NAME,
  INTEGRATION_PSL_LABEL,
  INTEGRATION_USER_LICENSE,
  type AccessModel,
  type PermissionHolder,
  type PermissionSetGroup,
  type Profile,
  type User,
} from '../access/model.js';
import { isPlatformUserProfile, nameMatch, namePatterns, type NamePattern } from './recognition.js';
import { ruleMessage } from './text.js';
import type { DeclaredIntegration, IntegrationHolder, RuleContext, RuleOptions } from './types.js';

export const DEFAULT_RULE_OPTIONS: Omit<RuleOptions, 'now'> = { dormantDays: 90, seatUsageThreshold: 0.8 };

const INTEGRATION_LICENSES = new Set(
  [INTEGRATION_USER_LICENSE, INTEGRATION_PSL_LABEL, INTEGRATION_PSL_DEVELOPER_NAME].map((l) => l.toLowerCase())
);

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Why a holder found in a directory belongs to integrations (empty = it does not). */
const directHolderReasons = (holder: PermissionHolder, patterns: readonly NamePattern[], declared?: DeclaredIntegration): string[] => {
  // Salesforce's own agent, bot and platform users are not external integrations, whatever they grant.
  if (isPlatformUserProfile(holder)) return [];
  const reasons: string[] = [];
  if (holder.systemPermissions.includes('ApiUserOnly')) reasons.push(ruleMessage('holderReason.apiOnly'));
  const license = holder.kind === 'profile' ? (holder as Profile).userLicense ?? holder.license : holder.license;
  if (license && INTEGRATION_LICENSES.has(license.toLowerCase())) {
    reasons.push(ruleMessage('holderReason.license', [license]));
  }
  if (
    holder.kind === 'profile' &&
    [INTEGRATION_PROFILE_NAME, DEPRECATED_INTEGRATION_PROFILE_NAME].some((name) => sameName(name, holder.name)) &&
    reasons.length === 0
  ) {
    reasons.push(ruleMessage('holderReason.integrationProfile', [holder.name]));
  }
  const named =
    holder.kind === 'profile'
      ? declared !== undefined && sameName(declared.profileName, holder.name)
      : declared?.apps.some((app) => sameName(app.permissionSetName, holder.name)) ?? false;
  if (named) reasons.push(ruleMessage('holderReason.manifest'));
  const match = nameMatch(holder, patterns);
  if (match) reasons.push(ruleMessage(`holderReason.${match.field}`, [match.value.length > 80 ? `${match.value.slice(0, 79)}…` : match.value, match.pattern]));
  return reasons;
};

/**
 * A permission set that belongs to permission set groups reaches users through them, so it is audited as the
 * groups give it: each group's muting set applied, and what any group still gives counted (as in org mode, where
 * a user's grants through a group are muted by that group's muting set).
 */
const throughGroups = (model: AccessModel, holder: PermissionHolder, groups: PermissionSetGroup[]): PermissionHolder => {
  if (groups.length === 0 || holder.kind !== 'permissionSet') return holder;
  const mutingById = new Map(model.mutingPermissionSets.map((m) => [m.id, m]));
  const views = groups.map((group) => {
    const muting = group.mutingPermissionSetId ? mutingById.get(group.mutingPermissionSetId) : undefined;
    return muting ? mutedHolder(holder, muting) : holder;
  });
  return views.every((view) => view === holder) ? holder : unionOfViews(views);
};

/**
 * Holders mode: the integration profiles and permission sets of a directory. A set that is not itself marked
 * as integration joins when it shares a group with one of the team's own integration sets (the group reaches the
 * same users); a namespaced or standard integration set does not bring its group in.
 */
export const findIntegrationHolders = (
  model: AccessModel,
  declared?: DeclaredIntegration,
  patterns: readonly NamePattern[] = namePatterns()
): IntegrationHolder[] => {
  const groupsOf = new Map<string, PermissionSetGroup[]>();
  for (const group of model.permissionSetGroups) {
    for (const id of group.permissionSetIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), group]);
  }
  const direct = new Map<string, string[]>();
  for (const holder of [...model.profiles, ...model.permissionSets]) {
    const reasons = directHolderReasons(holder, patterns, declared);
    if (reasons.length > 0) direct.set(holder.id, reasons);
  }
  const setNames = new Map(model.permissionSets.map((set) => [set.id, set.name]));
  // Only the team's own integration set brings its group's other sets in. A namespaced set (a managed package's
  // or Salesforce's own, such as `sfdcInternalInt__sfdc_slack` "Slack Integration User", seen in human persona
  // groups of a public project) or a standard one rides along in groups of people: it stays audited itself (capped
  // at low by the runner), but does not make its siblings integration sets.
  const bringsGroupIn = new Set(
    model.permissionSets.filter((set) => direct.has(set.id) && set.isCustom && set.namespace === undefined).map((set) => set.id)
  );
  const result: IntegrationHolder[] = [];
  for (const holder of [...model.profiles, ...model.permissionSets]) {
    const reasons = [...(direct.get(holder.id) ?? [])];
    const groups = groupsOf.get(holder.id) ?? [];
    if (reasons.length === 0) {
      // The reason names the member that made the group an integration's, so a wrong match is seen at once.
      for (const group of groups) {
        const member = group.permissionSetIds.find((id) => bringsGroupIn.has(id));
        if (member === undefined) continue;
        reasons.push(ruleMessage('holderReason.group', [group.name, setNames.get(member) ?? member]));
        break;
      }
    }
    if (reasons.length > 0) result.push({ holder: throughGroups(model, holder, groups), reasons, groups });
  }
  return result;
};

/**
 * Users mode: a profile of integration users is an *integration profile* when it is API-only, on the Salesforce
 * Integration license, or the manifest's profile. A human profile (Standard User, System Administrator) that an
 * integration user happens to have is not one: other rules report that user.
 */
export const isIntegrationProfile = (profile: Profile, declared?: DeclaredIntegration): boolean =>
  profile.systemPermissions.includes('ApiUserOnly') ||
  (profile.userLicense ?? profile.license) === INTEGRATION_USER_LICENSE ||
  (declared !== undefined && sameName(declared.profileName, profile.name));

export const buildRuleContext = (
  model: AccessModel,
  options: Partial<RuleOptions> = {},
  declared?: DeclaredIntegration
): RuleContext => {
  const index = indexModel(model);
  const mode = model.availableFacts.includes('users') && model.availableFacts.includes('assignments') ? 'users' : 'holders';
  const manifestUsers = declared?.apps.map((app) => ({ app: app.name, username: app.username })) ?? [];
  const integrationUsers =
    mode === 'users' ? findIntegrationUsers(index, { manifestUsers, includeInactive: false }) : [];
  const profiles = new Map<string, { profile: Profile; users: User[] }>();
  for (const iu of integrationUsers) {
    if (!iu.access.profile || !isIntegrationProfile(iu.access.profile, declared)) continue;
    const entry = profiles.get(iu.access.profile.id) ?? { profile: iu.access.profile, users: [] };
    entry.users.push(iu.user);
    profiles.set(iu.access.profile.id, entry);
  }
  const integrationHolders = mode === 'holders' ? findIntegrationHolders(model, declared, namePatterns(options.integrationNamePatterns)) : [];
  const integrationProfiles =
    mode === 'users'
      ? [...profiles.values()]
      : integrationHolders
          .filter((ih) => ih.holder.kind === 'profile')
          .map((ih) => ({ profile: ih.holder as Profile, users: [], recognisedBy: ih.reasons }));
  return {
    model,
    index,
    mode,
    integrationUsers,
    integrationProfiles,
    integrationHolders,
    ...(declared ? { declared } : {}),
    options: { ...DEFAULT_RULE_OPTIONS, now: new Date(), ...options },
  };
};
