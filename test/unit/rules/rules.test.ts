/**
 * Every rule, positive and near-miss negative, as data on small hand-built models:
 * users mode (an org model) and, for holder-level rules, holders mode (a metadata directory model).
 */
import { expect } from 'chai';
import type { AccessModel, OAuthClient } from '../../../src/access/model.js';
import { buildRuleContext } from '../../../src/rules/context.js';
import { runsOnDirectory } from '../../../src/rules/docs.js';
import { RULES } from '../../../src/rules/index.js';
import { runRules } from '../../../src/rules/runner.js';
import type { DeclaredIntegration, Finding, Rule } from '../../../src/rules/types.js';
import { directoryModel, orgModel, type ModelSpec, type ProfileSpec, type UserSpec } from './modelBuilder.js';

const ruleById = (id: string): Rule | undefined => RULES.find((rule) => rule.meta.id === id);
const NOW = new Date('2026-11-27T00:00:00.000Z');
const API_PROFILE: ProfileSpec = { systemPermissions: ['ApiEnabled', 'ApiUserOnly'], userLicense: 'Salesforce', loginIpRanges: [{ start: '203.0.113.0', end: '203.0.113.255' }] };
const INTEGRATION_LICENSE_PROFILE: ProfileSpec = { userLicense: 'Salesforce Integration', systemPermissions: ['ApiEnabled', 'ApiUserOnly'], isCustom: false, loginIpRanges: [{ start: '1.1.1.1', end: '1.1.1.1' }] };
const APP_SET = { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Account', read: true }] };

/** One API-only user with its own set, plus extra spec merged in. */
const org = (extra: Partial<ModelSpec> = {}, userExtra: Partial<UserSpec> = {}): AccessModel =>
  orgModel({
    profiles: { 'Integration API Only': API_PROFILE, ...(extra.profiles ?? {}) },
    permissionSets: { Erp_Set: APP_SET, ...(extra.permissionSets ?? {}) },
    groups: extra.groups,
    users: extra.users ?? [{ username: 'erp@acme.example', profile: 'Integration API Only', sets: ['Erp_Set'], lastLoginDate: '2026-11-20T00:00:00.000Z', ...userExtra }],
    userLicenses: extra.userLicenses,
    psls: extra.psls,
    availableFacts: extra.availableFacts,
    evidence: extra.evidence,
  });

const dir = (extra: Partial<ModelSpec> = {}): AccessModel =>
  directoryModel({
    profiles: { 'Integration API Only': API_PROFILE, ...(extra.profiles ?? {}) },
    permissionSets: { Erp_Set: { ...APP_SET, license: 'Salesforce API Integration' }, ...(extra.permissionSets ?? {}) },
    groups: extra.groups,
  });

const ERP_MANIFEST: DeclaredIntegration = {
  profileName: 'Integration API Only',
  apps: [
    {
      name: 'erp',
      username: 'erp@acme.example',
      permissionSetName: 'Erp_Set',
      objects: { Account: ['read', 'viewAll'] },
      fields: { 'Account.Credit__c': 'edit' },
      systemPermissions: ['ApiEnabled'],
      apexClasses: ['ErpService'],
      elevated: ['Account.viewAll', 'ModifyAllData'],
    },
    { name: 'crm', username: 'crm@acme.example', permissionSetName: 'Crm_Set', objects: {}, fields: {}, systemPermissions: ['ApiEnabled'], apexClasses: [], elevated: [] },
  ],
};

type Case = {
  rule: string;
  name: string;
  model: AccessModel;
  declared?: DeclaredIntegration;
  /** Expected subjects (kind:name), in any order; [] = no finding. */
  subjects: string[];
  /** Substrings that must appear in the evidence (holder names / grants). */
  evidence?: string[];
};

const client = (name: string, extra: Partial<OAuthClient> = {}): OAuthClient => ({ kind: 'externalClientApp', name, scopes: ['Api'], clientCredentials: true, permissionSetIds: [], ...extra });
/** Where a directory's External Client App policy file is (source format). */
const ECA_POLICY = (name: string): string => `force-app/main/default/extlClntAppOauthPolicies/${name}.ecaOauthPlcy-meta.xml`;
const withClients = (model: AccessModel, clients: OAuthClient[]): AccessModel => ({ ...model, oauthClients: clients, availableFacts: [...model.availableFacts, 'oauthClients'] });

const run = (c: Pick<Case, 'rule' | 'model' | 'declared'>): Finding[] => {
  const context = buildRuleContext(c.model, { now: NOW }, c.declared);
  const result = runRules([ruleById(c.rule)!], context);
  expect(result.notEvaluated, JSON.stringify(result.notEvaluated)).to.deep.equal([]);
  return result.findings;
};

const cases: Case[] = [
  // IU-PRIV-001
  { rule: 'IU-PRIV-001', name: 'API-only user on System Administrator', model: org({ profiles: { 'System Administrator': { systemPermissions: ['ApiEnabled', 'ApiUserOnly', 'ModifyAllData'], isCustom: false } }, users: [{ username: 'bad@x', profile: 'System Administrator' }] }), subjects: ['user:bad@x'], evidence: ['System Administrator'] },
  { rule: 'IU-PRIV-001', name: 'near miss: a System Administrator user who is not an integration user', model: org({ profiles: { 'System Administrator': { systemPermissions: ['ModifyAllData'], isCustom: false } }, users: [{ username: 'admin@x', profile: 'System Administrator' }] }), subjects: [] },
  // IU-PRIV-002
  { rule: 'IU-PRIV-002', name: 'ModifyAllData through a permission set in a group', model: org({ permissionSets: { Power: { systemPermissions: ['ModifyAllData', 'ViewSetup'] } }, groups: { Erp_Group: { members: ['Power'] } }, users: [{ username: 'erp@x', profile: 'Integration API Only', sets: ['Erp_Set'], groups: ['Erp_Group'] }] }), subjects: ['user:erp@x'], evidence: ['Power', 'Erp_Group', 'ModifyAllData'] },
  { rule: 'IU-PRIV-002', name: 'near miss: the group mutes ModifyAllData', model: org({ permissionSets: { Power: { systemPermissions: ['ModifyAllData'] } }, groups: { Erp_Group: { members: ['Power'], muting: { systemPermissions: ['ModifyAllData'] } } }, users: [{ username: 'erp@x', profile: 'Integration API Only', sets: ['Erp_Set'], groups: ['Erp_Group'] }] }), subjects: [] },
  { rule: 'IU-PRIV-002', name: 'near miss: elevated ModifyAllData justified by the manifest', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'ModifyAllData'] } } }), declared: ERP_MANIFEST, subjects: [] },
  { rule: 'IU-PRIV-002', name: 'directory: integration permission set with AuthorApex', model: dir({ permissionSets: { Dev: { systemPermissions: ['AuthorApex'], license: 'Salesforce API Integration' } } }), subjects: ['permissionSet:Dev'], evidence: ['AuthorApex'] },
  { rule: 'IU-PRIV-002', name: 'directory near miss: AuthorApex on a non-integration set', model: dir({ permissionSets: { Dev: { systemPermissions: ['AuthorApex'] } } }), subjects: [] },
  // IU-PRIV-003
  { rule: 'IU-PRIV-003', name: 'ManageUsers on the profile', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiEnabled', 'ApiUserOnly', 'ManageUsers'] } } }), subjects: ['user:erp@acme.example'], evidence: ['Integration API Only', 'ManageUsers'] },
  { rule: 'IU-PRIV-003', name: 'near miss: ManageUsers on a set the user does not hold', model: org({ permissionSets: { Admin: { systemPermissions: ['ManageUsers'] } } }), subjects: [] },
  { rule: 'IU-PRIV-003', name: 'directory: set sharing a group with an API-only set', model: dir({ permissionSets: { ApiOnly: { systemPermissions: ['ApiUserOnly'] }, Helpdesk: { systemPermissions: ['ResetPasswords'] } }, groups: { G: { members: ['ApiOnly', 'Helpdesk'] } } }), subjects: ['permissionSet:Helpdesk'] },
  // IU-PRIV-004
  { rule: 'IU-PRIV-004', name: 'modifyAll on Contact', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Contact', read: true, modifyAll: true, viewAll: true }] } } }), subjects: ['user:erp@acme.example'], evidence: ['Contact: viewAll, modifyAll'] },
  { rule: 'IU-PRIV-004', name: 'near miss: Account.viewAll elevated in the manifest', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Account', read: true, viewAll: true }] } } }), declared: ERP_MANIFEST, subjects: [] },
  { rule: 'IU-PRIV-004', name: 'near miss: read/edit only', model: org({ permissionSets: { Erp_Set: { objects: [{ object: 'Account', read: true, edit: true }] } } }), subjects: [] },
  { rule: 'IU-PRIV-004', name: 'directory: viewAll on the integration profile', model: dir({ profiles: { 'Integration API Only': { ...API_PROFILE, objects: [{ object: 'Case', read: true, viewAll: true }] } } }), subjects: ['profile:Integration API Only'], evidence: ['Case: viewAll'] },
  // IU-PRIV-005
  { rule: 'IU-PRIV-005', name: 'DataExport', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'DataExport'] } } }), subjects: ['user:erp@acme.example'], evidence: ['DataExport'] },
  { rule: 'IU-PRIV-005', name: 'near miss: ApiEnabled only', model: org(), subjects: [] },
  { rule: 'IU-PRIV-005', name: 'directory: DataExport on the app set file', model: dir({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'DataExport'], license: 'Salesforce API Integration' } } }), subjects: ['permissionSet:Erp_Set'], evidence: ['DataExport'] },
  // IU-PRIV-006
  { rule: 'IU-PRIV-006', name: 'ViewSetup', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'ViewSetup'] } } }), subjects: ['user:erp@acme.example'], evidence: ['ViewSetup'] },
  { rule: 'IU-PRIV-006', name: 'directory near miss: ViewSetup on a non-integration profile', model: dir({ profiles: { Standard: { systemPermissions: ['ViewSetup'], userLicense: 'Salesforce' } } }), subjects: [] },
  { rule: 'IU-PRIV-006', name: 'directory: ViewSetup on the integration profile file', model: dir({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiEnabled', 'ApiUserOnly', 'ViewSetup'] } } }), subjects: ['profile:Integration API Only'], evidence: ['ViewSetup'] },
  // IU-PRIV-008
  { rule: 'IU-PRIV-008', name: 'object verb, field and Apex class beyond the manifest', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Account', read: true, edit: true }], fields: [{ field: 'Account.Secret__c', read: true, edit: false }], apex: ['ErpService', 'Other'] } } }), declared: ERP_MANIFEST, subjects: ['user:erp@acme.example'], evidence: ['Account.edit', 'Account.Secret__c:read', 'ApexClass Other'] },
  { rule: 'IU-PRIV-008', name: 'near miss: exactly the declared access', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Account', read: true, viewAll: true }], fields: [{ field: 'Account.Credit__c', read: true, edit: true }], apex: ['ErpService'] } } }), declared: ERP_MANIFEST, subjects: [] },
  { rule: 'IU-PRIV-008', name: 'directory: the app set declares less than the file grants', model: dir({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'ViewSetup'], license: 'Salesforce API Integration' } } }), declared: ERP_MANIFEST, subjects: ['permissionSet:Erp_Set'], evidence: ['ViewSetup'] },
  // IU-PRIV-009
  { rule: 'IU-PRIV-009', name: 'granted Account and Contact, called Account only', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Account', read: true }, { object: 'Contact', read: true, edit: true }] } }, evidence: { 'erp@acme.example': { apiCalls: 12, objects: [{ object: 'Account', calls: 12, lastUsed: '2026-11-20T00:00:00.000Z', operations: ['GET'] }] } } }), subjects: ['user:erp@acme.example'], evidence: ['Erp_Set', 'Contact (read, edit); last use: none in 30 days'] },
  { rule: 'IU-PRIV-009', name: 'near miss: every granted object called (names compared case-insensitively)', model: org({ evidence: { 'erp@acme.example': { apiCalls: 1, objects: [{ object: 'account', calls: 1, lastUsed: '2026-11-20T00:00:00.000Z', operations: ['GET'] }] } } }), subjects: [] },
  { rule: 'IU-PRIV-009', name: 'near miss: no API call at all (dormancy is IU-HYG-001)', model: org({ evidence: { 'erp@acme.example': { apiCalls: 0 } } }), subjects: [] },
  // IU-AUTH-001
  { rule: 'IU-AUTH-001', name: 'manifest user on a UI profile', model: org({ profiles: { Standard: { systemPermissions: ['ApiEnabled'], userLicense: 'Salesforce' } }, users: [{ username: 'crm@acme.example', profile: 'Standard', sets: ['Erp_Set'] }] }), declared: ERP_MANIFEST, subjects: ['user:crm@acme.example'] },
  { rule: 'IU-AUTH-001', name: 'near miss: manifest user on the Salesforce Integration license', model: org({ profiles: { 'Minimum Access - API Only Integrations': { ...INTEGRATION_LICENSE_PROFILE, systemPermissions: ['ApiEnabled'] } }, users: [{ username: 'crm@acme.example', profile: 'Minimum Access - API Only Integrations' }] }), declared: ERP_MANIFEST, subjects: [] },
  { rule: 'IU-AUTH-001', name: 'directory: the manifest profile is not API only', model: dir({ profiles: { 'Integration API Only': { systemPermissions: ['ApiEnabled'], userLicense: 'Salesforce' } } }), declared: ERP_MANIFEST, subjects: ['profile:Integration API Only'] },
  // IU-AUTH-002
  { rule: 'IU-AUTH-002', name: 'no ApiEnabled anywhere', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiUserOnly'] } }, permissionSets: { Erp_Set: { objects: [{ object: 'Account', read: true }] } } }), subjects: ['user:erp@acme.example'] },
  { rule: 'IU-AUTH-002', name: 'near miss: ApiEnabled from the permission set only', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiUserOnly'] } } }), subjects: [] },
  // IU-AUTH-003
  { rule: 'IU-AUTH-003', name: 'MFA waiver', model: org({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'BypassMFAForUiLogins'] } } }), subjects: ['user:erp@acme.example'], evidence: ['BypassMFAForUiLogins'] },
  { rule: 'IU-AUTH-003', name: 'near miss: waiver on a human user', model: org({ profiles: { Standard: { systemPermissions: ['ApiEnabled', 'BypassMFAForUiLogins'], userLicense: 'Salesforce' } }, users: [{ username: 'human@x', profile: 'Standard' }] }), subjects: [] },
  { rule: 'IU-AUTH-003', name: 'directory: MFA waiver on the app set file', model: dir({ permissionSets: { Erp_Set: { systemPermissions: ['ApiEnabled', 'BypassMFAForUiLogins'], license: 'Salesforce API Integration' } } }), subjects: ['permissionSet:Erp_Set'], evidence: ['BypassMFAForUiLogins'] },
  // IU-AUTH-005
  { rule: 'IU-AUTH-005', name: 'password never expires', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiEnabled', 'ApiUserOnly', 'PasswordNeverExpires'] } } }), subjects: ['user:erp@acme.example'] },
  { rule: 'IU-AUTH-005', name: 'directory near miss: no such permission', model: dir(), subjects: [] },
  { rule: 'IU-AUTH-005', name: 'directory: on the integration profile file', model: dir({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiUserOnly', 'PasswordNeverExpires'] } } }), subjects: ['profile:Integration API Only'] },
  // IU-AUTH-006
  { rule: 'IU-AUTH-006', name: 'integration profile without IP ranges', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, loginIpRanges: [] } } }), subjects: ['profile:Integration API Only'], evidence: ['erp@acme.example'] },
  { rule: 'IU-AUTH-006', name: 'near miss: a human profile without IP ranges', model: org({ profiles: { Standard: { systemPermissions: ['ApiEnabled'], loginIpRanges: [] } }, users: [{ username: 'erp@acme.example', profile: 'Integration API Only', sets: ['Erp_Set'] }, { username: 'h@x', profile: 'Standard' }] }), subjects: [] },
  { rule: 'IU-AUTH-006', name: 'near miss: an integration user on a human profile (reported by other rules)', model: org({ profiles: { Standard: { systemPermissions: ['ApiEnabled'], userLicense: 'Salesforce', loginIpRanges: [] } }, permissionSets: { Api: { systemPermissions: ['ApiUserOnly'] } }, users: [{ username: 'x@x', profile: 'Standard', sets: ['Erp_Set', 'Api'] }] }), subjects: [] },
  { rule: 'IU-AUTH-006', name: 'directory: profile file without loginIpRanges', model: dir({ profiles: { 'Integration API Only': { ...API_PROFILE, loginIpRanges: [] } } }), subjects: ['profile:Integration API Only'] },
  // IU-AUTH-011
  { rule: 'IU-AUTH-011', name: 'one user holds the sets of two manifest apps', model: org({ permissionSets: { Crm_Set: { systemPermissions: ['ApiEnabled'] } }, users: [{ username: 'erp@acme.example', profile: 'Integration API Only', sets: ['Erp_Set', 'Crm_Set'] }] }), declared: ERP_MANIFEST, subjects: ['user:erp@acme.example'], evidence: ['Erp_Set', 'Crm_Set'] },
  { rule: 'IU-AUTH-011', name: 'without a manifest: two plugin-managed sets', model: org({ permissionSets: { Integration_Erp: { description: 'ERP [managed by sf-plugin-integration]' }, Integration_Crm: { description: 'CRM [managed by sf-plugin-integration]' } }, users: [{ username: 'shared@x', profile: 'Integration API Only', sets: ['Integration_Erp', 'Integration_Crm'] }] }), subjects: ['user:shared@x'] },
  { rule: 'IU-AUTH-011', name: 'near miss: one managed set and one unmanaged set', model: org({ permissionSets: { Integration_Erp: { description: 'ERP [managed by sf-plugin-integration]' }, Helper: {} }, users: [{ username: 'u@x', profile: 'Integration API Only', sets: ['Integration_Erp', 'Helper'] }] }), subjects: [] },
  { rule: 'IU-AUTH-011', name: 'evidence: two client apps seen for one user', model: org({ evidence: { 'erp@acme.example': { apps: [{ name: 'ERP Connector', seenIn: ['oauthToken'], uses: 40, lastSeen: '2026-11-20T00:00:00.000Z' }, { name: 'Zapier', seenIn: ['loginHistory'], uses: 3 }] } } }), subjects: ['user:erp@acme.example'], evidence: ['client app ERP Connector: seen in oauthToken; 40 uses', 'client app Zapier'] },
  { rule: 'IU-AUTH-011', name: 'evidence near miss: one app seen in tokens, logins and logs', model: org({ evidence: { 'erp@acme.example': { apps: [{ name: 'ERP Connector', seenIn: ['apiLog', 'loginHistory', 'oauthToken'], uses: 400 }] } } }), subjects: [] },
  // IU-OAUTH-001 … 004 (OAuth clients: External Client Apps and Connected Apps)
  { rule: 'IU-OAUTH-001', name: 'client credentials run as a person', model: withClients(org({ profiles: { 'Standard User': { systemPermissions: ['ApiEnabled'], userLicense: 'Salesforce' } }, users: [{ username: 'sally@x', profile: 'Standard User' }] }), [client('Sales_App', { runAsUsername: 'sally@x' })]), subjects: ['oauthClient:Sales_App'], evidence: ['run-as user sally@x'] },
  { rule: 'IU-OAUTH-001', name: 'near miss: runs as the integration user', model: withClients(org(), [client('Erp_App', { runAsUsername: 'erp@acme.example' })]), subjects: [] },
  { rule: 'IU-OAUTH-002', name: 'two apps run as one user', model: withClients(org(), [client('A', { runAsUsername: 'erp@acme.example' }), client('B', { runAsUsername: 'ERP@acme.example' })]), subjects: ['user:erp@acme.example'], evidence: ['External Client App A', 'External Client App B'] },
  { rule: 'IU-OAUTH-002', name: 'near miss: the same user, but one app has client credentials off', model: withClients(org(), [client('A', { runAsUsername: 'erp@acme.example' }), client('B', { runAsUsername: 'erp@acme.example', clientCredentials: false })]), subjects: [] },
  { rule: 'IU-OAUTH-002', name: 'directory: two app policy files name one run-as user (no user to report: the first client is the subject)', model: withClients(dir(), [client('A', { runAsUsername: 'erp@acme.example', filePath: ECA_POLICY('A') }), client('B', { runAsUsername: 'erp@acme.example', filePath: ECA_POLICY('B') })]), subjects: ['oauthClient:A'], evidence: ['External Client App A', 'External Client App B'] },
  { rule: 'IU-OAUTH-003', name: 'a manifest app user no client is bound to', model: withClients(org(), []), declared: ERP_MANIFEST, subjects: ['user:erp@acme.example'] },
  { rule: 'IU-OAUTH-003', name: 'near miss: its app runs as it', model: withClients(org(), [client('Erp_App', { runAsUsername: 'erp@acme.example' })]), declared: ERP_MANIFEST, subjects: [] },
  { rule: 'IU-OAUTH-004', name: 'full scope on a client credentials app', model: withClients(org(), [client('Erp_App', { runAsUsername: 'erp@acme.example', scopes: ['Api', 'Full'] })]), subjects: ['oauthClient:Erp_App'], evidence: ['scopes Api, Full'] },
  { rule: 'IU-OAUTH-004', name: 'near miss: refresh token on a jwt-bearer app (no client credentials)', model: withClients(org(), [client('Erp_App', { clientCredentials: false, scopes: ['Api', 'RefreshToken'] })]), subjects: [] },
  { rule: 'IU-OAUTH-004', name: 'directory: refresh token scope in a client-credentials app\'s files', model: withClients(dir(), [client('Erp_App', { runAsUsername: 'erp@acme.example', scopes: ['Api', 'RefreshToken'], filePath: ECA_POLICY('Erp_App') })]), subjects: ['oauthClient:Erp_App'], evidence: ['scopes Api, RefreshToken'] },
  // IU-AUTH-004
  { rule: 'IU-AUTH-004', name: 'SOAP login() with a password', model: org({ evidence: { 'erp@acme.example': { loginTypes: [{ loginType: 'Other Apex API', apiType: 'SOAP Partner', kind: 'password', count: 3, lastSeen: '2026-11-20T00:00:00.000Z' }] } } }), subjects: ['user:erp@acme.example'], evidence: ['Other Apex API (SOAP Partner): 3 logins'] },
  { rule: 'IU-AUTH-004', name: 'a UI login to an integration account', model: org({ evidence: { 'erp@acme.example': { loginTypes: [{ loginType: 'Application', kind: 'password', count: 1, lastSeen: '2026-11-20T00:00:00.000Z' }] } } }), subjects: ['user:erp@acme.example'], evidence: ['Application: 1 logins'] },
  { rule: 'IU-AUTH-004', name: 'near miss: OAuth logins only', model: org({ evidence: { 'erp@acme.example': { loginTypes: [{ loginType: 'Remote Access 2.0', subType: 'OAuth Refresh Token', kind: 'oauth', count: 90, lastSeen: '2026-11-20T00:00:00.000Z' }] } } }), subjects: [] },
  // IU-AUTH-012
  { rule: 'IU-AUTH-012', name: 'a successful login from outside the profile ranges', model: org({ evidence: { 'erp@acme.example': { sourceIps: [{ ip: '198.51.100.7', count: 2, failures: 0, lastSeen: '2026-11-20T00:00:00.000Z' }, { ip: '203.0.113.9', count: 9, failures: 0, lastSeen: '2026-11-21T00:00:00.000Z' }] } } }), subjects: ['user:erp@acme.example'], evidence: ['203.0.113.0-203.0.113.255', '198.51.100.7: 2 successful logins'] },
  { rule: 'IU-AUTH-012', name: 'near miss: inside the ranges, refused outside, or IPv6', model: org({ evidence: { 'erp@acme.example': { sourceIps: [{ ip: '203.0.113.200', count: 5, failures: 0, lastSeen: '2026-11-20T00:00:00.000Z' }, { ip: '192.0.2.1', count: 4, failures: 4, lastSeen: '2026-11-20T00:00:00.000Z' }, { ip: '2001:db8::1', count: 1, failures: 0, lastSeen: '2026-11-20T00:00:00.000Z' }] } } }), subjects: [] },
  { rule: 'IU-AUTH-012', name: 'near miss: a profile without ranges (IU-AUTH-006)', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, loginIpRanges: [] } }, evidence: { 'erp@acme.example': { sourceIps: [{ ip: '198.51.100.7', count: 2, failures: 0, lastSeen: '2026-11-20T00:00:00.000Z' }] } } }), subjects: [] },
  // IU-AUTH-013
  { rule: 'IU-AUTH-013', name: '10 failed logins', model: org({ evidence: { 'erp@acme.example': { failures: 10, logins: 2, failureStatuses: [{ status: 'Invalid Password', count: 10 }], sourceIps: [{ ip: '192.0.2.50', count: 10, failures: 10, lastSeen: '2026-11-20T00:00:00.000Z' }] } } }), subjects: ['user:erp@acme.example'], evidence: ['Invalid Password 10', '192.0.2.50 (10)'] },
  { rule: 'IU-AUTH-013', name: 'near miss: 9 failed logins', model: org({ evidence: { 'erp@acme.example': { failures: 9, failureStatuses: [{ status: 'Invalid Password', count: 9 }] } } }), subjects: [] },
  // IU-STRUCT-001
  { rule: 'IU-STRUCT-001', name: 'field permission on the integration profile', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, fields: [{ field: 'Account.Name', read: true, edit: false }] } } }), subjects: ['profile:Integration API Only'], evidence: ['Account.Name: read'] },
  { rule: 'IU-STRUCT-001', name: 'near miss: object rows with every verb false', model: org({ profiles: { 'Integration API Only': { ...API_PROFILE, objects: [{ object: 'Account' }] } } }), subjects: [] },
  { rule: 'IU-STRUCT-001', name: 'directory: object permission on the integration profile file', model: dir({ profiles: { 'Integration API Only': { ...API_PROFILE, objects: [{ object: 'Account', read: true }] } } }), subjects: ['profile:Integration API Only'] },
  // IU-STRUCT-002
  { rule: 'IU-STRUCT-002', name: 'two profiles', model: org({ profiles: { Other: API_PROFILE }, users: [{ username: 'a@x', profile: 'Integration API Only', sets: ['Erp_Set'] }, { username: 'b@x', profile: 'Other', sets: ['Erp_Set'] }] }), subjects: ['org:Test Org'] },
  { rule: 'IU-STRUCT-002', name: 'near miss: two users, one profile', model: org({ users: [{ username: 'a@x', profile: 'Integration API Only' }, { username: 'b@x', profile: 'Integration API Only' }] }), subjects: [] },
  // IU-STRUCT-003
  { rule: 'IU-STRUCT-003', name: 'two custom per-app profiles', model: org({ profiles: { 'Erp Profile': API_PROFILE, 'Crm Profile': API_PROFILE }, users: [{ username: 'a@x', profile: 'Erp Profile' }, { username: 'b@x', profile: 'Crm Profile' }] }), subjects: ['profile:Erp Profile', 'profile:Crm Profile'] },
  { rule: 'IU-STRUCT-003', name: 'near miss: a single custom profile with one user', model: org(), subjects: [] },
  { rule: 'IU-STRUCT-003', name: 'near miss: the second custom profile is not API only', model: org({ profiles: { 'Erp Profile': API_PROFILE, 'Crm UI': { systemPermissions: ['ApiEnabled'], userLicense: 'Salesforce' } }, users: [{ username: 'a@x', profile: 'Erp Profile' }, { username: 'crm@acme.example', profile: 'Crm UI' }] }), declared: ERP_MANIFEST, subjects: [] },
  { rule: 'IU-STRUCT-003', name: 'with a manifest, its own profile is not reported', model: org({ profiles: { 'Erp Profile': API_PROFILE }, users: [{ username: 'a@x', profile: 'Erp Profile' }, { username: 'b@x', profile: 'Integration API Only' }] }), declared: ERP_MANIFEST, subjects: ['profile:Erp Profile'] },
  // IU-STRUCT-004
  { rule: 'IU-STRUCT-004', name: 'no permission set of its own', model: org({ users: [{ username: 'bare@x', profile: 'Integration API Only' }] }), subjects: ['user:bare@x'] },
  { rule: 'IU-STRUCT-004', name: 'one set shared by two users (two apps)', model: org({ users: [{ username: 'a@x', profile: 'Integration API Only', sets: ['Erp_Set'] }, { username: 'b@x', profile: 'Integration API Only', sets: ['Erp_Set'] }] }), subjects: ['permissionSet:Erp_Set'], evidence: ['a@x', 'b@x'] },
  { rule: 'IU-STRUCT-004', name: 'near miss: a set granting only API Only User shared by two users', model: org({ permissionSets: { Api_Only: { systemPermissions: ['ApiUserOnly'] }, Crm_Set: APP_SET }, users: [{ username: 'a@x', profile: 'Integration API Only', sets: ['Erp_Set', 'Api_Only'] }, { username: 'b@x', profile: 'Integration API Only', sets: ['Crm_Set', 'Api_Only'] }] }), subjects: [] },
  { rule: 'IU-STRUCT-004', name: 'near miss: a managed-package set shared', model: org({ permissionSets: { Pkg: { namespace: 'pkg' } }, users: [{ username: 'a@x', profile: 'Integration API Only', sets: ['Erp_Set', 'Pkg'] }] }), subjects: [] },
  // IU-STRUCT-005
  { rule: 'IU-STRUCT-005', name: 'integration-license user without the PSL, and seats at 80 %', model: org({ profiles: { 'Minimum Access - API Only Integrations': INTEGRATION_LICENSE_PROFILE }, users: [{ username: 'int@x', profile: 'Minimum Access - API Only Integrations', sets: ['Erp_Set'] }], userLicenses: [{ name: 'Salesforce Integration', total: 5, used: 4 }], psls: [{ developerName: 'SalesforceAPIIntegrationPsl', total: 5, used: 1 }] }), subjects: ['user:int@x', 'org:Salesforce Integration'] },
  { rule: 'IU-STRUCT-005', name: 'near miss: PSL assigned, seats at 60 %', model: org({ profiles: { 'Minimum Access - API Only Integrations': INTEGRATION_LICENSE_PROFILE }, users: [{ username: 'int@x', profile: 'Minimum Access - API Only Integrations', sets: ['Erp_Set'], psls: ['SalesforceAPIIntegrationPsl'] }], userLicenses: [{ name: 'Salesforce Integration', total: 5, used: 3 }], psls: [{ developerName: 'SalesforceAPIIntegrationPsl', total: 5, used: 3 }] }), subjects: [] },
  // IU-HYG-001
  { rule: 'IU-HYG-001', name: 'last login 120 days ago', model: org({}, { lastLoginDate: '2026-07-30T00:00:00.000Z' }), subjects: ['user:erp@acme.example'] },
  { rule: 'IU-HYG-001', name: 'never logged in, created a year ago', model: org({ users: [{ username: 'n@x', profile: 'Integration API Only', createdDate: '2025-11-01T00:00:00.000Z' }] }), subjects: ['user:n@x'] },
  { rule: 'IU-HYG-001', name: 'near miss: last login 89 days ago', model: org({}, { lastLoginDate: '2026-08-30T00:00:00.000Z' }), subjects: [] },
  { rule: 'IU-HYG-001', name: 'near miss: dormant but inactive', model: org({}, { lastLoginDate: '2025-01-01T00:00:00.000Z', isActive: false }), subjects: [] },
  { rule: 'IU-HYG-001', name: 'near miss: last login 120 days ago but its OAuth token was used yesterday', model: org({ evidence: { 'erp@acme.example': { lastTokenUse: '2026-11-26T00:00:00.000Z' } } }, { lastLoginDate: '2026-07-30T00:00:00.000Z' }), subjects: [] },
  { rule: 'IU-HYG-001', name: 'frozen and dormant: still reported (a frozen user stays active), evidence says frozen', model: org({}, { lastLoginDate: '2026-07-30T00:00:00.000Z', frozen: true }), subjects: ['user:erp@acme.example'], evidence: ['last login 2026-07-30', 'frozen (UserLogin.IsFrozen)'] },
  { rule: 'IU-HYG-001', name: 'never logged in and frozen', model: org({ users: [{ username: 'n@x', profile: 'Integration API Only', createdDate: '2025-11-01T00:00:00.000Z', frozen: true }] }), subjects: ['user:n@x'], evidence: ['never logged in', 'frozen (UserLogin.IsFrozen)'] },
  { rule: 'IU-HYG-001', name: 'near miss: frozen but logged in 10 days ago', model: org({}, { lastLoginDate: '2026-11-17T00:00:00.000Z', frozen: true }), subjects: [] },
  { rule: 'IU-HYG-001', name: 'evidence: token and login both old', model: org({ evidence: { 'erp@acme.example': { lastTokenUse: '2026-06-01T00:00:00.000Z' } } }, { lastLoginDate: '2026-07-30T00:00:00.000Z' }), subjects: ['user:erp@acme.example'], evidence: ['OAuth token last used 2026-06-01'] },
  // IU-HYG-002
  { rule: 'IU-HYG-002', name: 'deprecated profile', model: org({ profiles: { 'Salesforce API Only System Integrations': { ...INTEGRATION_LICENSE_PROFILE, isCustom: true } }, users: [{ username: 'old@x', profile: 'Salesforce API Only System Integrations' }] }), subjects: ['user:old@x'] },
  { rule: 'IU-HYG-002', name: 'near miss: the current integration profile', model: org({ profiles: { 'Minimum Access - API Only Integrations': INTEGRATION_LICENSE_PROFILE }, users: [{ username: 'new@x', profile: 'Minimum Access - API Only Integrations' }] }), subjects: [] },
];

describe('audit rules', () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name}`, () => {
      const findings = run(c);
      expect(findings.map((f) => `${f.subject.kind}:${f.subject.name}`)).to.have.members(c.subjects);
      const text = JSON.stringify(findings.map((f) => f.evidence));
      for (const e of c.evidence ?? []) expect(text).to.include(e);
      for (const f of findings) {
        expect(f.ruleId).to.equal(c.rule);
        expect(f.severity, 'a finding carries its rule\'s default severity (no override here)').to.equal(ruleById(c.rule)!.meta.severity);
        expect(f.message).to.be.a('string').and.not.equal('');
        if (f.subject.kind === 'user') expect(f.recognisedBy, 'user findings say how the user was recognised').to.not.be.empty;
        if (c.model.source === 'directory') expect(f.subject.filePath).to.match(/-meta\.xml$/);
      }
    });
  }

  it('has a firing and a non-firing case for every registered rule, and one in each mode the rule runs in', () => {
    const registered = RULES.map((r) => r.meta.id);
    expect(cases.filter((c) => !registered.includes(c.rule)).map((c) => c.rule), 'cases of no registered rule').to.deep.equal([]);
    const missing: string[] = [];
    for (const rule of RULES) {
      const own = cases.filter((c) => c.rule === rule.meta.id);
      const modes = runsOnDirectory(rule) ? (['org', 'directory'] as const) : (['org'] as const);
      for (const mode of modes) {
        if (!own.some((c) => c.model.source === mode && c.subjects.length > 0)) missing.push(`${rule.meta.id}: no ${mode} case that fires`);
      }
      if (!own.some((c) => c.subjects.length === 0)) missing.push(`${rule.meta.id}: no case that does not fire`);
    }
    expect(missing).to.deep.equal([]);
  });
});

describe('rule runner', () => {
  it('reports user-level rules as not evaluated on a directory, with the reason, and runs the holder-level ones', () => {
    const result = runRules(RULES, buildRuleContext(dir(), { now: NOW }));
    const notEvaluated = Object.fromEntries(result.notEvaluated.map((n) => [n.ruleId, n.reason]));
    for (const id of ['IU-PRIV-001', 'IU-PRIV-009', 'IU-AUTH-002', 'IU-AUTH-004', 'IU-AUTH-011', 'IU-AUTH-012', 'IU-AUTH-013', 'IU-STRUCT-002', 'IU-STRUCT-003', 'IU-STRUCT-004', 'IU-STRUCT-005', 'IU-HYG-001', 'IU-HYG-002']) {
      expect(notEvaluated[id], id).to.match(/metadata directory/);
    }
    expect(notEvaluated['IU-PRIV-008']).to.match(/--manifest/);
    expect(result.evaluated).to.have.members(['IU-PRIV-002', 'IU-PRIV-003', 'IU-PRIV-004', 'IU-PRIV-005', 'IU-PRIV-006', 'IU-AUTH-001', 'IU-AUTH-003', 'IU-AUTH-005', 'IU-AUTH-006', 'IU-STRUCT-001']);
  });

  it('uses the loader\'s reason when an org fact is unavailable', () => {
    const model = org({ profiles: { 'Integration API Only': { ...API_PROFILE, loginIpRanges: undefined } } });
    model.availableFacts = model.availableFacts.filter((f) => f !== 'loginIpRanges');
    model.unavailableFacts = [{ fact: 'loginIpRanges', reason: 'the Metadata API read of Profile failed: INSUFFICIENT_ACCESS' }];
    const result = runRules([ruleById('IU-AUTH-006')!], buildRuleContext(model, { now: NOW }));
    expect(result.findings).to.deep.equal([]);
    expect(result.notEvaluated[0].reason).to.include('INSUFFICIENT_ACCESS');
  });

  it('evidence rules are not evaluated when the evidence could not be read, with the loader\'s reason', () => {
    const model = org();
    model.availableFacts = model.availableFacts.filter((f) => f !== 'loginEvents' && f !== 'apiUsage');
    model.unavailableFacts = [
      { fact: 'loginEvents', reason: 'LoginHistory could not be read (INVALID_TYPE): not supported' },
      { fact: 'apiUsage', reason: 'the org has no daily API log file in the last 30 days' },
    ];
    const result = runRules(RULES, buildRuleContext(model, { now: NOW }));
    const reasons = Object.fromEntries(result.notEvaluated.map((n) => [n.ruleId, n.reason]));
    for (const id of ['IU-AUTH-004', 'IU-AUTH-012', 'IU-AUTH-013']) expect(reasons[id], id).to.include('INVALID_TYPE');
    expect(reasons['IU-PRIV-009']).to.include('no daily API log file');
    // The rules that only use evidence when they have it still run.
    expect(result.evaluated).to.include.members(['IU-AUTH-011', 'IU-HYG-001']);
  });

  it('IU-HYG-001 says a dormant user is frozen instead of advising to stop its logins, and says nothing of it otherwise', () => {
    const dormant = { lastLoginDate: '2026-07-30T00:00:00.000Z' };
    const [frozen] = run({ rule: 'IU-HYG-001', model: org({}, { ...dormant, frozen: true }) });
    const [plain] = run({ rule: 'IU-HYG-001', model: org({}, dormant) });
    expect(frozen.message).to.match(/^erp@acme\.example has not logged in for 120 days \(dormant after 90\)\. It is frozen \(UserLogin\.IsFrozen\): it cannot log in, but it is still active/);
    // The action the frozen finding gives: deactivate or unfreeze, not the plain finding's advice.
    expect(frozen.message).to.match(/deactivate it once its integration is retired, or unfreeze it if it is still needed\.$/);
    expect(plain.message).to.equal('erp@acme.example has not logged in for 120 days (dormant after 90).');
    // Frozen status unknown (UserLogin unreadable): the finding is the plain one, the rule still runs.
    const unknown = org({}, dormant);
    unknown.availableFacts = unknown.availableFacts.filter((f) => f !== 'frozenUsers');
    unknown.unavailableFacts = [{ fact: 'frozenUsers', reason: 'UserLogin could not be read (INSUFFICIENT_ACCESS_OR_READONLY)' }];
    expect(run({ rule: 'IU-HYG-001', model: unknown }).map((f) => f.message)).to.deep.equal([plain.message]);
  });

  it('a rule whose permission fields the org does not have is not evaluated, not passed', () => {
    const model = org();
    model.knownSystemPermissions = ['ApiEnabled', 'ApiUserOnly', 'PasswordNeverExpires'];
    const result = runRules(RULES, buildRuleContext(model, { now: NOW }));
    const reasons = Object.fromEntries(result.notEvaluated.map((n) => [n.ruleId, n.reason]));
    expect(reasons['IU-AUTH-003']).to.include('PermissionsBypassMFAForUiLogins');
    expect(reasons['IU-PRIV-002']).to.include('PermissionsModifyAllData');
    expect(result.evaluated).to.include.members(['IU-AUTH-005', 'IU-AUTH-001', 'IU-AUTH-002', 'IU-PRIV-004']);
  });

  it('applies severity overrides and disabled rules', () => {
    const model = org({ profiles: { 'Integration API Only': { ...API_PROFILE, systemPermissions: ['ApiEnabled', 'ApiUserOnly', 'PasswordNeverExpires', 'ViewSetup'] } } });
    const result = runRules(RULES, buildRuleContext(model, { now: NOW }), { severities: { 'IU-PRIV-006': 2 }, disabled: ['IU-AUTH-005'] });
    expect(result.findings.find((f) => f.ruleId === 'IU-PRIV-006')?.severity).to.equal(2);
    expect(result.findings.some((f) => f.ruleId === 'IU-AUTH-005')).to.equal(false);
    expect(result.notEvaluated.find((n) => n.ruleId === 'IU-AUTH-005')?.reason).to.match(/disabled/);
  });

  it('every rule has its texts', () => {
    for (const { meta } of RULES) {
      for (const key of ['title', 'description', 'detection', 'remediation'] as const) expect(meta[key], `${meta.id}.${key}`).to.not.equal('');
    }
  });
});
