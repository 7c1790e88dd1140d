import { expect } from 'chai';
import { buildUserList, describeGrant } from '../../../src/inventory/userList.js';
import { toTableRow } from '../../../src/inventory/userListTable.js';
import { INTEGRATION_USER_LICENSE } from '../../../src/access/model.js';
import { ModelBuilder } from '../access/testModel.js';

describe('inventory/userList', () => {
  const build = (): ModelBuilder => {
    const b = new ModelBuilder();
    const integration = b.profile('Minimum Access - API Only Integrations', INTEGRATION_USER_LICENSE, { systemPermissions: ['ApiUserOnly', 'ApiEnabled'] });
    const standard = b.profile('Standard User', 'Salesforce', { systemPermissions: ['ApiEnabled'] });
    const apiOnly = b.permissionSet('API_Only', { systemPermissions: ['ApiUserOnly'] });
    const member = b.permissionSet('Reports');
    const group = b.group('Bundle', [member]);
    const erp = b.user('zeta.erp@x.example', integration, { assign: [b.permissionSet('Integration_Erp')] });
    b.model.permissionSetLicenses.push({ id: 'psl', developerName: 'SalesforceAPIIntegrationPsl', label: 'Salesforce API Integration', total: 5, used: 1 });
    b.model.permissionSetLicenseAssignments.push({ userId: erp.id, permissionSetLicenseId: 'psl' });
    erp.lastLoginDate = '2026-11-26T10:00:00.000+0000';
    b.user('Alpha.Set@x.example', standard, { assign: [apiOnly, group], active: false });
    b.user('person@x.example', standard);
    b.user('manifest.only@x.example', standard);
    return b;
  };

  it('lists integration users sorted by username (case-insensitive) with how each was recognised', () => {
    const result = buildUserList(build().model, { manifestUsers: [{ app: 'crm', username: 'manifest.only@x.example' }] });
    expect(result.total).to.equal(3);
    expect(result.users.map((u) => [u.username, u.recognisedBy, u.app])).to.deep.equal([
      ['Alpha.Set@x.example', ['apiOnly'], null],
      ['manifest.only@x.example', ['manifest'], 'crm'],
      ['zeta.erp@x.example', ['license', 'apiOnly'], null],
    ]);
  });

  it('fills every column: license, profile, API Only and what grants it, sets, groups, PSLs, last login', () => {
    const { users } = buildUserList(build().model);
    expect(users.map((u) => u.username)).to.deep.equal(['Alpha.Set@x.example', 'zeta.erp@x.example']);
    const [alpha, erp] = users;
    expect(erp).to.deep.equal({
      username: 'zeta.erp@x.example',
      name: 'zeta.erp',
      active: true,
      // the model says nothing of frozen users (no 'frozenUsers' among its facts): unknown
      frozen: null,
      license: INTEGRATION_USER_LICENSE,
      profile: 'Minimum Access - API Only Integrations',
      app: null,
      apiOnly: true,
      apiOnlyGrantedBy: ['Minimum Access - API Only Integrations (profile)'],
      apiEnabled: true,
      apiEnabledGrantedBy: ['Minimum Access - API Only Integrations (profile)'],
      permissionSets: ['Integration_Erp'],
      permissionSetGroups: [],
      permissionSetLicenses: ['SalesforceAPIIntegrationPsl'],
      lastLogin: '2026-11-26T10:00:00.000+0000',
      recognisedBy: ['license', 'apiOnly'],
    });
    expect(alpha).to.deep.include({ active: false, apiOnly: true, permissionSets: ['API_Only'], permissionSetGroups: ['Bundle'], lastLogin: null });
    expect(alpha.apiOnlyGrantedBy).to.deep.equal(['API_Only (permission set)']);
  });

  it('frozen: true or false when the loader read UserLogin, null (unknown) when it could not', () => {
    const b = build();
    b.model.users.find((u) => u.username === 'zeta.erp@x.example')!.frozen = { userLoginId: '0600000000000001' };
    const unknown = buildUserList(b.model).users;
    expect(unknown.map((u) => u.frozen)).to.deep.equal([null, null]);
    b.model.availableFacts.push('frozenUsers');
    const known = buildUserList(b.model).users;
    expect(known.map((u) => [u.username, u.active, u.frozen])).to.deep.equal([
      ['Alpha.Set@x.example', false, false],
      ['zeta.erp@x.example', true, true],
    ]);
  });

  it('the Active cell says "frozen" beside yes or no; unknown or not frozen, yes or no alone', () => {
    const [row] = buildUserList(build().model).users.slice(-1);
    expect(toTableRow({ ...row, frozen: true }).active).to.equal('yes, frozen');
    expect(toTableRow({ ...row, active: false, frozen: true }, { verbose: true }).active).to.equal('no, frozen');
    expect(toTableRow({ ...row, frozen: false }).active).to.equal('yes');
    expect(toTableRow({ ...row, frozen: null }).active).to.equal('yes');
  });

  it('--active-only leaves inactive users out', () => {
    expect(buildUserList(build().model, { includeInactive: false }).users.map((u) => u.username)).to.deep.equal(['zeta.erp@x.example']);
  });

  it('names a grant reached through a group', () => {
    const b = build();
    const [member] = b.model.permissionSets.filter((p) => p.name === 'Reports');
    expect(describeGrant({ holder: member, viaGroup: b.model.permissionSetGroups[0] })).to.equal('Reports (permission set, via group Bundle)');
  });

  it('renders one-line table cells: in full with --verbose, short by default', () => {
    const [row] = buildUserList(build().model).users.slice(-1);
    expect(toTableRow(row)).to.deep.include({ apiOnly: 'yes', permissionSets: 'Integration_Erp', lastLogin: '2026-11-26' });
    expect(toTableRow(row, { verbose: true })).to.deep.include({
      active: 'yes',
      apiOnly: 'yes: Minimum Access - API Only Integrations (profile)',
      permissionSets: 'Integration_Erp',
      lastLogin: '2026-11-26T10:00:00Z',
    });
    const none = toTableRow({ ...row, apiOnly: false, apiOnlyGrantedBy: [], lastLogin: null, permissionSetGroups: ['G'] }, { verbose: true });
    expect(none).to.deep.include({ apiOnly: 'no', lastLogin: 'never', permissionSets: 'Integration_Erp, G (group)' });
  });
});
