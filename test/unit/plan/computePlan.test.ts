/* computePlan: manifest × org model → actions, license choices and preflight problems (pure, no org). */
import { expect } from 'chai';
import type { AccessModel, User } from '../../../src/access/model.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import type { DesiredState, Manifest } from '../../../src/manifest/types.js';
import { MANAGED_MARKER } from '../../../src/manifest/constants.js';
import { computePlan } from '../../../src/plan/computePlan.js';
import { isWrite, type Plan, type PlanAction } from '../../../src/plan/types.js';
import { orgModel, type ModelSpec } from '../rules/modelBuilder.js';

const manifest = (apps: string[], extra: Partial<Manifest> = {}): Manifest => ({
  version: 1,
  defaults: { username: '{app}.integration@acme.example', email: 'admins@acme.example', timeZone: 'Europe/Paris', locale: 'fr_FR', language: 'en_US' },
  apps: apps.map((name) => ({ name, permissionSet: { objects: { Account: ['read', 'edit'] }, fields: { 'Account.Industry': 'read' } } })),
  ...extra,
});

const desiredOf = (m: Manifest): DesiredState => {
  const result = validateManifest(m, 'integration.json');
  expect(result.problems, JSON.stringify(result.problems)).to.deep.equal([]);
  return result.desired!;
};

const baseOrg = (extra: ModelSpec = {}, integrationUsed = 0): AccessModel =>
  orgModel({
    profiles: {
      'System Administrator': { userLicense: 'Salesforce', systemPermissions: ['ApiEnabled', 'ModifyAllData'] },
      'Standard User': { userLicense: 'Salesforce', systemPermissions: ['ApiEnabled'] },
      'Minimum Access - API Only Integrations': { userLicense: 'Salesforce Integration', systemPermissions: ['ApiEnabled', 'ApiUserOnly'], isCustom: false },
      ...extra.profiles,
    },
    userLicenses: [
      { name: 'Salesforce', total: 100, used: 10 },
      { name: 'Salesforce Integration', total: 2, used: integrationUsed },
    ],
    psls: [{ developerName: 'SalesforceAPIIntegrationPsl', total: 2, used: integrationUsed }],
    ...extra,
  });

const ops = (plan: Plan, kind: PlanAction['kind']): string[] => plan.actions.filter((a) => a.kind === kind).map((a) => `${a.op} ${a.subject}`);

/** Fills the fields the rule-test builder leaves out, as the org loader would read them. */
const withFields = (user: User, fields: Partial<User>): void => {
  Object.assign(user, { email: 'admins@acme.example', lastName: 'Integration', timeZoneSidKey: 'Europe/Paris', localeSidKey: 'fr_FR', languageLocaleKey: 'en_US', emailEncodingKey: 'UTF-8', ...fields });
};

describe('computePlan', () => {
  it('plans a fresh org: integration seats in manifest order, then the Salesforce license with the generated profile', () => {
    const plan = computePlan(desiredOf(manifest(['erp', 'crm', 'dwh'])), baseOrg());
    expect(plan.problems).to.deep.equal([]);
    expect(plan.licenses.map((l) => `${l.app}:${l.license}:${l.profile}`)).to.deep.equal([
      'erp:integration:Minimum Access - API Only Integrations',
      'crm:integration:Minimum Access - API Only Integrations',
      'dwh:salesforce:Integration API Only',
    ]);
    expect(plan.licenses[2].reason).to.match(/No Salesforce Integration seat is left \(2 of 2 used\)/);
    expect(ops(plan, 'deployProfile')).to.deep.equal(['create Integration API Only']);
    expect(ops(plan, 'deployPermissionSet')).to.deep.equal(['create Integration_Erp', 'create Integration_Crm', 'create Integration_Dwh']);
    expect(ops(plan, 'createUser')).to.deep.equal([
      'create erp.integration@acme.example',
      'create crm.integration@acme.example',
      'create dwh.integration@acme.example',
    ]);
    expect(ops(plan, 'assignPermissionSetLicense')).to.have.length(2);
    expect(ops(plan, 'assignPermissionSet')).to.have.length(3);
    const sets = plan.actions.filter((a) => a.kind === 'deployPermissionSet');
    expect(sets.map((a) => (a.kind === 'deployPermissionSet' ? a.details.license ?? 'none' : ''))).to.deep.equal([
      'Salesforce API Integration',
      'Salesforce API Integration',
      'none',
    ]);
    const created = plan.actions.find((a) => a.kind === 'createUser')!;
    expect(created.kind === 'createUser' && created.details.record).to.include({
      Username: 'erp.integration@acme.example',
      Email: 'admins@acme.example',
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      Alias: 'erp',
    });
  });

  it('plans nothing to write on a converged org', () => {
    const desired = desiredOf(manifest(['erp']));
    const app = desired.apps[0];
    const model = baseOrg(
      {
        permissionSets: {
          Integration_Erp: {
            description: app.permissionSet.description,
            license: 'Salesforce API Integration',
            systemPermissions: ['ApiEnabled'],
            objects: [{ object: 'Account', read: true, edit: true }],
            fields: [{ field: 'Account.Industry', read: true, edit: false }],
          },
        },
        users: [{ username: 'erp.integration@acme.example', profile: 'Minimum Access - API Only Integrations', sets: ['Integration_Erp'], psls: ['SalesforceAPIIntegrationPsl'] }],
      },
      1
    );
    model.permissionSets[0].label = app.permissionSet.label;
    withFields(model.users[0], { firstName: app.user.firstName, alias: 'erp' });
    const plan = computePlan(desired, model);
    expect(plan.problems).to.deep.equal([]);
    expect(plan.actions.filter(isWrite), JSON.stringify(plan.actions.filter(isWrite))).to.deep.equal([]);
    expect(plan.summary).to.deep.include({ create: 0, update: 0, remove: 0 });
    expect(plan.licenses[0].reason).to.match(/already exists on the Salesforce Integration license/);
  });

  it('detects a permission set whose content drifted', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg({ permissionSets: { Integration_Erp: { description: desired.apps[0].permissionSet.description, objects: [{ object: 'Account', read: true, edit: true, delete: true }] } } });
    const plan = computePlan(desired, model);
    const set = plan.actions.find((a) => a.kind === 'deployPermissionSet')!;
    expect(set.op).to.equal('update');
    expect(set.reason).to.include('object Account: read,edit,delete → read,edit');
    expect(set.reason).to.include('field Account.Industry: none → read');
  });

  it('maps usernames in a sandbox, repairs .invalid e-mails and reactivates users', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg(
      { users: [{ username: 'admin@acme.example.uat', profile: 'System Administrator' }, { username: 'erp.integration@acme.example.uat', profile: 'Minimum Access - API Only Integrations', isActive: false }] },
      0
    );
    model.org.isSandbox = true;
    withFields(model.users[1], { email: 'admins@acme.example.invalid', firstName: 'erp', alias: 'erp' });
    const plan = computePlan(desired, model, { runningUsername: 'admin@acme.example.uat' });
    expect(plan.sandbox).to.deep.equal({ name: 'uat', source: 'username' });
    expect(plan.problems).to.deep.equal([]);
    expect(ops(plan, 'reactivateUser')).to.deep.equal(['update erp.integration@acme.example.uat']);
    expect(ops(plan, 'createUser')).to.deep.equal([]);
    // an inactive integration user needs a seat again to come back: one was free
    expect(plan.licenses[0].license).to.equal('integration');
    // the .invalid e-mail is reported, not changed
    const repair = plan.actions.find((a) => a.kind === 'repairEmail')!;
    expect(repair.op).to.equal('unchanged');
    expect(repair.kind === 'repairEmail' && repair.details).to.deep.equal({ userId: model.users[1].id, username: 'erp.integration@acme.example.uat', from: 'admins@acme.example.invalid', to: 'admins@acme.example' });
    expect(plan.notices.map((n) => `${n.code} ${n.subject}`)).to.deep.equal(['invalidEmail erp.integration@acme.example.uat']);
    // --repair-emails sends it, once per run, as the record says
    const repairing = computePlan(desired, model, { runningUsername: 'admin@acme.example.uat', repairEmails: true });
    const send = repairing.actions.find((a) => a.kind === 'repairEmail')!;
    expect(send.op).to.equal('update');
    expect(send.kind === 'repairEmail' && send.details.record).to.deep.equal({ Email: 'admins@acme.example' });
    expect(repairing.notices).to.deep.equal([]);
  });

  it('recognises a username the sandbox copy prefixed after a collision, and reports the prefix', () => {
    const desired = desiredOf(manifest(['erp', 'perp']));
    const model = baseOrg(
      {
        users: [
          { username: 'admin@acme.example.uat', profile: 'System Administrator' },
          { username: '00x7Vqerp.integration@acme.example.uat', profile: 'Minimum Access - API Only Integrations', psls: ['SalesforceAPIIntegrationPsl'] },
          { username: 'perp.integration@acme.example.uat', profile: 'Minimum Access - API Only Integrations', psls: ['SalesforceAPIIntegrationPsl'] },
        ],
      },
      2
    );
    model.org.isSandbox = true;
    const plan = computePlan(desired, model, { runningUsername: 'admin@acme.example.uat' });
    expect(plan.problems).to.deep.equal([]);
    expect(ops(plan, 'createUser')).to.deep.equal([]);
    // "perp" ends like "erp" too, but it is another app's exact username: never taken for erp's
    expect(ops(plan, 'updateUser').map((o) => o.split(' ')[1])).to.deep.equal(['00x7Vqerp.integration@acme.example.uat', 'perp.integration@acme.example.uat']);
    expect(plan.notices.map((n) => `${n.code} ${n.subject}`)).to.deep.equal(['prefixedUsername 00x7Vqerp.integration@acme.example.uat']);
    expect(plan.notices[0].message).to.include('"00x7Vq"');
    expect(plan.actions.find((a) => a.kind === 'updateUser')!.reason).to.include('"00x7Vq"');
    // outside a sandbox the prefix means nothing: a new user is planned
    model.org.isSandbox = false;
    expect(ops(computePlan(desired, model), 'createUser')).to.deep.equal(['create erp.integration@acme.example', 'create perp.integration@acme.example']);
  });

  it('in a sandbox, unfreezes a frozen app user with the UserLogin record, and reports a frozen integration user it does not manage', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg(
      {
        users: [
          { username: 'admin@acme.example.uat', profile: 'System Administrator' },
          { username: 'erp.integration@acme.example.uat', profile: 'Minimum Access - API Only Integrations' },
          { username: 'other.integration@acme.example.uat', profile: 'Minimum Access - API Only Integrations' },
        ],
      },
      2
    );
    model.org.isSandbox = true;
    model.users[1].frozen = { userLoginId: '060000000000001AAA' };
    model.users[2].frozen = { userLoginId: '060000000000002AAA' };
    const plan = computePlan(desired, model, { runningUsername: 'admin@acme.example.uat' });
    const unfreeze = plan.actions.filter((a) => a.kind === 'unfreezeUser');
    expect(unfreeze.map((a) => `${a.op} ${a.subject}`)).to.deep.equal(['update erp.integration@acme.example.uat']);
    expect(unfreeze[0].kind === 'unfreezeUser' && unfreeze[0].details).to.include({ userLoginId: '060000000000001AAA' });
    expect(unfreeze[0].kind === 'unfreezeUser' && unfreeze[0].details.record).to.deep.equal({ IsFrozen: false });
    expect(plan.notices.map((n) => `${n.code} ${n.subject}`)).to.deep.equal(['frozenUser other.integration@acme.example.uat']);
  });

  it('in production, leaves a frozen app user frozen (an admin froze it, e.g. after a credential leak) and says so', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg(
      {
        users: [
          { username: 'erp.integration@acme.example', profile: 'Minimum Access - API Only Integrations' },
          { username: 'other.integration@acme.example', profile: 'Minimum Access - API Only Integrations' },
        ],
      },
      2
    );
    model.users[0].frozen = { userLoginId: '060000000000001AAA' };
    model.users[1].frozen = { userLoginId: '060000000000002AAA' };
    const plan = computePlan(desired, model);
    expect(plan.actions.filter((a) => a.kind === 'unfreezeUser')).to.deep.equal([]);
    expect(plan.notices.map((n) => `${n.code} ${n.subject} ${n.app ?? ''}`.trim())).to.deep.equal([
      'frozenAppUser erp.integration@acme.example erp',
      'frozenUser other.integration@acme.example',
    ]);
    expect(plan.notices[0].message).to.match(/left frozen/).and.to.match(/Unfreeze/);
    // the user's plan is the same as without the freeze, only the unfreeze is left out
    const kinds = (p: ReturnType<typeof computePlan>): string[] => p.actions.filter((a) => a.subject === 'erp.integration@acme.example').map((a) => `${a.kind}:${a.op}`);
    const unfrozenModel = structuredClone(model);
    delete unfrozenModel.users[0].frozen;
    expect(kinds(plan)).to.deep.equal(kinds(computePlan(desired, unfrozenModel)));
  });

  it('in production, an inactive frozen app user is reactivated, stays frozen, and the plan says so', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg({ users: [{ username: 'erp.integration@acme.example', profile: 'Minimum Access - API Only Integrations' }] }, 2);
    model.users[0].isActive = false;
    model.users[0].frozen = { userLoginId: '060000000000001AAA' };
    const plan = computePlan(desired, model);
    expect(plan.actions.filter((a) => a.kind === 'reactivateUser' || a.kind === 'unfreezeUser').map((a) => a.kind)).to.deep.equal(['reactivateUser']);
    expect(plan.notices.map((n) => `${n.code} ${n.subject}`)).to.deep.equal(['frozenAppUser erp.integration@acme.example']);
  });

  it('--sandbox-name names a sandbox but does not make production one: a frozen app user is not unfrozen', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg({ users: [{ username: 'erp.integration@acme.example.uat', profile: 'Minimum Access - API Only Integrations' }] }, 2);
    model.org.isSandbox = false;
    model.users[0].frozen = { userLoginId: '060000000000001AAA' };
    const plan = computePlan(desired, model, { sandboxName: 'uat' });
    expect(plan.actions.filter((a) => a.kind === 'unfreezeUser')).to.deep.equal([]);
    expect(plan.notices.map((n) => `${n.code} ${n.subject}`)).to.deep.equal(['frozenAppUser erp.integration@acme.example.uat']);
    // the org's own facts say sandbox: unfrozen
    model.org.isSandbox = true;
    expect(computePlan(desired, model, { sandboxName: 'uat' }).actions.filter((a) => a.kind === 'unfreezeUser').map((a) => a.subject)).to.deep.equal(['erp.integration@acme.example.uat']);
  });

  it('when UserLogin could not be read, says frozen users are unknown instead of taking them for not frozen', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg({ users: [{ username: 'erp.integration@acme.example', profile: 'Minimum Access - API Only Integrations' }] }, 2);
    model.unavailableFacts.push({ fact: 'frozenUsers', reason: 'UserLogin could not be read (INSUFFICIENT_ACCESS_OR_READONLY): no access; frozen users are unknown (reading UserLogin needs the "Manage Users" permission)' });
    const plan = computePlan(desired, model);
    expect(plan.notices.map((n) => n.code)).to.deep.equal(['frozenUnknown']);
    expect(plan.notices[0].message).to.include('Manage Users').and.to.match(/neither unfrozen nor reported/);
  });

  it('chooses the integration profile by its license, falling back to the older one with a notice', () => {
    const desired = desiredOf(manifest(['erp']));
    const older = baseOrg({ profiles: { 'Salesforce API Only System Integrations': { userLicense: 'Salesforce Integration', systemPermissions: ['ApiEnabled', 'ApiUserOnly'], isCustom: false } } });
    older.profiles = older.profiles.filter((p) => p.name !== 'Minimum Access - API Only Integrations');
    const plan = computePlan(desired, older);
    expect(plan.problems).to.deep.equal([]);
    expect(plan.licenses.map((l) => `${l.license}:${l.profile}`)).to.deep.equal(['integration:Salesforce API Only System Integrations']);
    expect(plan.notices.map((n) => n.code)).to.deep.equal(['olderIntegrationProfile']);
    const created = plan.actions.find((a) => a.kind === 'createUser')!;
    const olderId = older.profiles.find((p) => p.name === 'Salesforce API Only System Integrations')!.profileId;
    expect(created.kind === 'createUser' && created.details.record.ProfileId).to.equal(olderId);
    // with both profiles, the current one wins and nothing is noted
    expect(computePlan(desired, baseOrg()).notices).to.deep.equal([]);
  });

  it('changes an existing user only in the fields its app states: defaults are for users the plugin creates', () => {
    const desired = desiredOf(
      manifest(['erp', 'crm'], {
        defaults: { username: '{app}.integration@acme.example', email: 'new-admins@acme.example', timeZone: 'Europe/Paris', locale: 'fr_FR', language: 'fr' },
      })
    );
    desired.apps[1].user = { ...desired.apps[1].user, alias: 'crmsync', stated: ['alias'] };
    const model = baseOrg(
      {
        users: [
          { username: 'erp.integration@acme.example', profile: 'Minimum Access - API Only Integrations' },
          { username: 'crm.integration@acme.example', profile: 'Minimum Access - API Only Integrations' },
        ],
      },
      2
    );
    withFields(model.users[0], { email: 'ops@acme.example', alias: 'Sinte', timeZoneSidKey: 'GMT', localeSidKey: 'en_US', languageLocaleKey: 'en_US' });
    withFields(model.users[1], { email: 'ops@acme.example', alias: 'Sinte' });
    const plan = computePlan(desired, model);
    const updates = plan.actions.filter((a) => a.kind === 'updateUser');
    expect(updates.map((a) => `${a.op} ${a.subject}`)).to.deep.equal(['unchanged erp.integration@acme.example', 'update crm.integration@acme.example']);
    expect(updates[1].kind === 'updateUser' && updates[1].details.record).to.deep.equal({ Alias: 'crmsync' });
    expect(plan.actions.filter((a) => a.kind === 'repairEmail')).to.deep.equal([]);
  });

  it('deploy actions carry the component they send, only when they write', () => {
    const plan = computePlan(desiredOf(manifest(['erp', 'crm', 'dwh'])), baseOrg());
    const profile = plan.actions.find((a) => a.kind === 'deployProfile')!;
    expect(profile.kind === 'deployProfile' && profile.details.component).to.deep.include({ type: 'Profile', fullName: 'Integration API Only' });
    const set = plan.actions.find((a) => a.kind === 'deployPermissionSet')!;
    const metadata = set.kind === 'deployPermissionSet' ? set.details.component?.metadata : undefined;
    expect(metadata).to.deep.include({ label: 'erp Integration', license: 'Salesforce API Integration' });
    expect(metadata?.objectPermissions).to.deep.equal([
      { allowCreate: false, allowDelete: false, allowEdit: true, allowRead: true, modifyAllRecords: false, object: 'Account', viewAllRecords: false },
    ]);
    // a created user's record has no ProfileId when the same deploy creates its profile
    const dwh = plan.actions.find((a) => a.kind === 'createUser' && a.app === 'dwh')!;
    expect(dwh.kind === 'createUser' && dwh.details.record.ProfileId).to.equal(undefined);
    expect(dwh.kind === 'createUser' && dwh.details.profile).to.equal('Integration API Only');
  });

  it('takes the sandbox name from --sandbox-name or the My Domain host, and asks for it otherwise', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg();
    model.org.isSandbox = true;
    expect(computePlan(desired, model, { sandboxName: 'qa' }).sandbox).to.deep.equal({ name: 'qa', source: 'flag' });
    model.org.instanceUrl = 'https://acme--uat2.sandbox.my.salesforce.com';
    const fromHost = computePlan(desired, model);
    expect(fromHost.sandbox).to.deep.equal({ name: 'uat2', source: 'myDomain' });
    expect(ops(fromHost, 'createUser')).to.deep.equal(['create erp.integration@acme.example.uat2']);
    model.org.instanceUrl = 'http://127.0.0.1:1234';
    const unknown = computePlan(desired, model, { runningUsername: 'admin@acme.com' });
    expect(unknown.problems.map((p) => p.code)).to.deep.equal(['sandboxNameUnknown']);
  });

  it('refuses a username that belongs to a human user of the org', () => {
    const model = baseOrg({ users: [{ username: 'erp.integration@acme.example', profile: 'Standard User' }] });
    const plan = computePlan(desiredOf(manifest(['erp'])), model);
    expect(plan.problems.map((p) => p.code)).to.deep.equal(['usernameTakenInOrg']);
    expect(plan.problems[0].message).to.include('erp.integration@acme.example');
    expect(plan.problems[0].fix).to.match(/user\.username|defaults\.username/);
  });

  it('predicts LICENSE_LIMIT_EXCEEDED when the license is forced and seats are short', () => {
    const plan = computePlan(desiredOf(manifest(['erp', 'crm', 'dwh'], { profile: { license: 'integration' } })), baseOrg({}, 1));
    expect(plan.problems.map((p) => `${p.code}:${p.subject}`)).to.deep.equal(['seatsExhausted:Salesforce Integration', 'seatsExhausted:SalesforceAPIIntegrationPsl']);
    expect(plan.problems[0].message).to.match(/3 users need a new Salesforce Integration seat, but only 1 of 2 are free/);
  });

  it('never uses the System Administrator profile', () => {
    const result = validateManifest(manifest(['erp'], { profile: { name: 'System Administrator', license: 'salesforce' } }), 'm.json');
    // the manifest loader may already refuse it; if it does not, the plan must
    if (result.desired) {
      const plan = computePlan(result.desired, baseOrg());
      expect(plan.problems.map((p) => p.code)).to.include('systemAdministratorProfile');
    } else {
      expect(result.problems.map((p) => p.message).join(' ')).to.match(/System Administrator/);
    }
  });

  it('lists a managed set no app names as orphaned, and with prune deactivates its user and removes the assignment', () => {
    const spec: ModelSpec = {
      permissionSets: { Integration_Old: { description: `Old app ${MANAGED_MARKER}` }, Unrelated: { description: 'by hand' } },
      users: [{ username: 'old.integration@acme.example', profile: 'Minimum Access - API Only Integrations', sets: ['Integration_Old'] }],
    };
    const model = baseOrg(spec, 1);
    model.assignments[0].id = '0Pa000000000001';
    const desired = desiredOf(manifest(['erp']));
    const plan = computePlan(desired, model);
    expect(ops(plan, 'orphan')).to.deep.equal(['orphaned Integration_Old', 'orphaned old.integration@acme.example']);
    expect(ops(plan, 'deactivateUser')).to.deep.equal([]);
    const pruned = computePlan(desired, model, { prune: true });
    expect(ops(pruned, 'deactivateUser')).to.deep.equal(['remove old.integration@acme.example']);
    expect(ops(pruned, 'removeAssignment')).to.deep.equal(['remove Integration_Old → old.integration@acme.example']);
  });

  it('removes a managed set the manifest no longer gives to an app user', () => {
    const desired = desiredOf(manifest(['erp']));
    const model = baseOrg(
      {
        permissionSets: { Integration_Erp_Old: { description: MANAGED_MARKER } },
        users: [{ username: 'erp.integration@acme.example', profile: 'Minimum Access - API Only Integrations', sets: ['Integration_Erp_Old'], psls: ['SalesforceAPIIntegrationPsl'] }],
      },
      1
    );
    model.assignments[0].id = '0Pa000000000002';
    const plan = computePlan(desired, model);
    expect(ops(plan, 'removeAssignment')).to.deep.equal(['remove Integration_Erp_Old → erp.integration@acme.example']);
    expect(ops(plan, 'orphan')).to.deep.equal(['orphaned Integration_Erp_Old']);
  });
});
