/* draftManifest: AccessModel + integration users → a draft manifest and what a human must review. */
import { expect } from 'chai';
import type { AccessModel, ObjectAccess, PermissionHolder, PermissionSetGroup, Profile, User } from '../../../src/access/model.js';
import { indexModel } from '../../../src/access/effective.js';
import { findIntegrationUsers } from '../../../src/access/integrationUsers.js';
import { appNameFrom, draftManifest, JUSTIFICATION_PLACEHOLDER, uniqueName, type ManifestDraft } from '../../../src/manifest/draft.js';
import { validateManifest } from '../../../src/manifest/validate.js';

const object = (name: string, verbs: Partial<ObjectAccess>): ObjectAccess => ({
  object: name,
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
  ...verbs,
});

const holder = (id: string, name: string, access: Partial<PermissionHolder> = {}): PermissionHolder => ({
  id,
  kind: 'permissionSet',
  name,
  label: name.replace(/_/g, ' '),
  isCustom: true,
  systemPermissions: [],
  objectPermissions: [],
  fieldPermissions: [],
  setupEntityAccess: [],
  ...access,
});

const profile = (id: string, name: string, license: string, access: Partial<Profile> = {}): Profile => ({
  ...holder(`0PS${id}`, name),
  kind: 'profile',
  profileId: `00e${id}`,
  isCustom: false,
  userLicense: license,
  systemPermissions: ['ApiEnabled', 'ApiUserOnly'],
  ...access,
});

const user = (id: string, username: string, profileId: string, extra: Partial<User> = {}): User => ({
  id,
  username,
  name: `${username.split('@')[0]} user`,
  lastName: 'Integration',
  email: `${username.split('@')[0]}@acme.example`,
  isActive: true,
  profileId,
  ...extra,
});

/** A small org: two API-only users on the integration license, one on a custom per-app profile, one person. */
function model(): AccessModel {
  const integrationProfile = profile('1', 'Minimum Access - API Only Integrations', 'Salesforce Integration');
  const perAppProfile = profile('2', 'Billing API Profile', 'Salesforce', {
    isCustom: true,
    objectPermissions: [object('Invoice__c', { read: true, create: true })],
    loginIpRanges: [{ start: '10.0.0.1', end: '10.0.0.9', description: 'billing hosts' }],
  });
  const standardUser = profile('3', 'Standard User', 'Salesforce', { systemPermissions: ['ApiEnabled', 'ViewSetup'], objectPermissions: [object('Account', { read: true })] });
  const erpSet = holder('0PSa', 'Integration_Erp', {
    objectPermissions: [object('Account', { read: true, edit: true }), object('Case', { read: true, viewAll: true })],
    fieldPermissions: [
      { field: 'Account.Industry', read: true, edit: false },
      { field: 'Lead.Rating', read: true, edit: true }, // no Lead access anywhere
    ],
    setupEntityAccess: [
      { type: 'ApexClass', name: 'ErpService' },
      { type: 'ApexPage', name: 'ErpPage' },
    ],
    systemPermissions: ['ApiEnabled', 'ViewSetup'],
  });
  const shared = holder('0PSb', 'Shared_Read', {
    objectPermissions: [object('Account', { read: true }), object('Contact', { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true })],
    fieldPermissions: [{ field: 'Account.Industry', read: true, edit: true }],
  });
  const admin = holder('0PSc', 'Export_Admin', { systemPermissions: ['DataExport', 'ManageUsers'] });
  const member = holder('0PSd', 'Grouped', { objectPermissions: [object('Opportunity', { read: true, edit: true })] });
  const muting = holder('0PSe', 'Grouped_Muting', { kind: 'mutingPermissionSet', objectPermissions: [object('Opportunity', { edit: true })] });
  const group: PermissionSetGroup = { ...holder('0PGa', 'Erp_Group'), kind: 'permissionSetGroup', permissionSetIds: ['0PSd'], mutingPermissionSetId: '0PSe' };
  return {
    source: 'org',
    origin: '00Dx',
    org: { id: '00Dx', name: 'Acme' },
    profiles: [integrationProfile, perAppProfile, standardUser],
    permissionSets: [erpSet, shared, admin, member],
    permissionSetGroups: [group],
    mutingPermissionSets: [muting],
    users: [
      user('005a', 'erp.integration@acme.example', '00e1'),
      user('005b', 'erp@other.example', '00e1'),
      user('005c', 'billing-int@acme.example', '00e2'),
      user('005d', 'svc.integration@acme.example', '00e1', { isActive: false }),
      user('005e', 'ada@acme.example', '00e3'),
    ],
    assignments: [
      { userId: '005a', permissionSetId: '0PSa' },
      { userId: '005a', permissionSetId: '0PSb' },
      { userId: '005a', permissionSetGroupId: '0PGa' },
      { userId: '005b', permissionSetId: '0PSb' },
      { userId: '005b', permissionSetId: '0PSc' },
      { userId: '005c', permissionSetId: '0PSb' },
    ],
    userLicenses: [],
    permissionSetLicenses: [],
    permissionSetLicenseAssignments: [],
    availableFacts: ['users', 'assignments'],
    unavailableFacts: [],
    loadProblems: [],
  };
}

const draftOf = (m: AccessModel): ManifestDraft => {
  const index = indexModel(m);
  // The billing user is named by a manifest-like list, as it is neither API only nor on the integration license.
  return draftManifest(index, findIntegrationUsers(index, { manifestUsers: [{ app: 'billing', username: 'billing-int@acme.example' }] }), { origin: 'Acme' });
};

describe('draftManifest', () => {
  it('names apps after usernames, valid and unique', () => {
    expect(appNameFrom('erp.integration')).to.equal('erp');
    expect(appNameFrom('Data_Lake.API.User')).to.equal('data-lake');
    expect(appNameFrom('2fa-sync')).to.equal('fa-sync');
    expect(appNameFrom('integration')).to.equal('');
    expect(appNameFrom('x'.repeat(60))).to.have.length(40);
    const taken = new Set<string>();
    expect(['erp', 'erp', 'erp'].map((n) => uniqueName(n, taken, 40))).to.deep.equal(['erp', 'erp-2', 'erp-3']);
    expect(uniqueName('a'.repeat(40), new Set(['a'.repeat(40)]), 40)).to.equal(`${'a'.repeat(38)}-2`);

    const draft = draftOf(model());
    expect(draft.manifest.apps.map((a) => [a.name, a.user?.username])).to.deep.equal([
      ['billing', 'billing-int@acme.example'],
      ['erp', 'erp.integration@acme.example'],
      ['erp-2', 'erp@other.example'],
    ]);
  });

  it('merges direct sets and group members (muting applied) and the higher field access; keeps a set only that user holds', () => {
    const erp = draftOf(model()).manifest.apps[1];
    expect(erp.permissionSet?.name).to.equal('Integration_Erp');
    expect(erp.permissionSet?.objects).to.deep.equal({
      Account: ['read', 'edit'],
      Case: ['read', 'viewAll'],
      Contact: ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'],
      Opportunity: ['read'], // edit muted in the group
    });
    expect(erp.permissionSet?.fields).to.deep.equal({ 'Account.Industry': 'edit' });
    expect(erp.permissionSet?.apexClasses).to.deep.equal(['ErpService']);
    expect(erp.permissionSet?.systemPermissions).to.deep.equal(['ViewSetup']);
    expect(erp.description).to.equal('Drafted from erp.integration@acme.example in Acme: Integration_Erp, Shared_Read, Grouped (group Erp_Group)');
  });

  it('lists View All / Modify All and dangerous permissions under elevated with the failing placeholder', () => {
    const draft = draftOf(model());
    const [, erp, erp2] = draft.manifest.apps;
    expect(erp.elevated).to.deep.equal([
      { permission: 'Case.viewAll', justification: JUSTIFICATION_PLACEHOLDER },
      { permission: 'Contact.modifyAll', justification: JUSTIFICATION_PLACEHOLDER },
    ]);
    expect(erp2.elevated?.map((e) => e.permission)).to.deep.equal(['Contact.modifyAll', 'DataExport', 'ManageUsers']);
    const validation = validateManifest(draft.manifest);
    const codes = validation.problems.map((p) => `${p.path} ${p.code}`);
    const wanted = draft.review.filter((r) => r.kind === 'justification').map((r) => `${r.path} justificationTooShort`);
    expect(wanted).to.have.length(6); // billing 1 (Contact.modifyAll), erp 2, erp-2 3
    expect(codes.sort()).to.deep.equal(wanted.sort());
  });

  it('with justifications written the draft validates; the shared set is no app\'s name, a set one user holds is kept', () => {
    const { manifest } = draftOf(model());
    for (const app of manifest.apps) for (const entry of app.elevated ?? []) entry.justification = 'Reviewed by security in SEC-1.';
    const validation = validateManifest(manifest);
    expect(validation.problems).to.deep.equal([]);
    expect(validation.desired?.apps.map((a) => a.permissionSet.name)).to.deep.equal(['Integration_Billing', 'Integration_Erp', 'Export_Admin']);
  });

  it('carries a custom per-app profile\'s access and IP ranges; license auto when users differ', () => {
    const draft = draftOf(model());
    const billing = draft.manifest.apps[0];
    expect(billing.permissionSet?.objects).to.deep.equal({ Account: ['read'], Contact: ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'], Invoice__c: ['read', 'create'] });
    expect(draft.manifest.profile).to.deep.equal({
      name: 'Integration API Only',
      license: 'auto',
      loginIpRanges: [{ start: '10.0.0.1', end: '10.0.0.9', description: 'billing hosts' }],
    });
  });

  it('license integration when every user has it, and then no IP ranges', () => {
    const m = model();
    m.users = m.users.filter((u) => u.profileId === '00e1');
    const draft = draftOf(m);
    expect(draft.manifest.profile).to.deep.equal({ name: 'Integration API Only', license: 'integration' });
  });

  it('lists for review what it could not carry over or merged', () => {
    const review = draftOf(model()).review.filter((r) => r.kind !== 'justification').map((r) => `${r.kind} ${r.app ?? '-'} ${r.subject}`);
    expect(review).to.deep.equal([
      'inactiveUserSkipped - svc.integration@acme.example',
      'mergedPermissionSets billing profile Billing API Profile, Shared_Read',
      'fieldWithoutObjectRead erp Lead.Rating',
      'uiPermission erp ViewSetup',
      'notCarriedOver erp ApexPage ErpPage',
      'mergedPermissionSets erp Integration_Erp, Shared_Read, Grouped (group Erp_Group)',
      'mergedPermissionSets erp-2 Shared_Read, Export_Admin',
    ]);
  });

  it('a derived permission set name another app keeps gets a suffix', () => {
    const m = model();
    m.permissionSets.push(holder('0PSz', 'Integration_Billing', { objectPermissions: [object('Task', { read: true })] }));
    m.users.push(user('005z', 'zeta.integration@acme.example', '00e1'));
    m.assignments.push({ userId: '005z', permissionSetId: '0PSz' });
    const { manifest } = draftOf(m);
    expect(manifest.apps.map((a) => [a.name, a.permissionSet?.name])).to.deep.include.members([
      ['billing', 'Integration_Billing_2'],
      ['zeta', 'Integration_Billing'],
    ]);
    for (const app of manifest.apps) for (const entry of app.elevated ?? []) entry.justification = 'Reviewed by security in SEC-1.';
    expect(validateManifest(manifest).problems).to.deep.equal([]);
  });
});
