import { expect } from 'chai';
import { fieldGrants, indexModel, objectGrants, systemPermissionGrants, userAccess } from '../../../src/access/effective.js';
import { ModelBuilder, objectAccess } from './testModel.js';

describe('access/effective', () => {
  it('lists the profile first, then direct permission sets, then sets reached through groups', () => {
    const b = new ModelBuilder();
    const profile = b.profile('Integration', 'Salesforce');
    const direct = b.permissionSet('Direct');
    const member = b.permissionSet('Member');
    const group = b.group('Bundle', [member]);
    const user = b.user('u@x.example', profile, { assign: [group, direct] });
    const access = userAccess(indexModel(b.model), user);
    expect(access.grants.map((g) => [g.holder.name, g.viaGroup?.name])).to.deep.equal([
      ['Integration', undefined],
      ['Direct', undefined],
      ['Member', 'Bundle'],
    ]);
    expect(access.groups.map((g) => g.name)).to.deep.equal(['Bundle']);
  });

  it('ignores duplicate assignments, unknown ids and a profile-owned set assigned directly', () => {
    const b = new ModelBuilder();
    const profile = b.profile('P', 'Salesforce');
    const set = b.permissionSet('S');
    const group = b.group('G', [set]);
    const user = b.user('u@x.example', profile, { assign: [set, set, group, group] });
    b.model.assignments.push({ userId: user.id, permissionSetId: 'unknown' }, { userId: user.id, permissionSetId: profile.id });
    const access = userAccess(indexModel(b.model), user);
    expect(access.grants.map((g) => `${g.holder.name}/${g.viaGroup?.name ?? '-'}`)).to.deep.equal(['P/-', 'S/-', 'S/G']);
    expect(access.groups).to.have.length(1);
  });

  it('resolves permission set licenses', () => {
    const b = new ModelBuilder();
    const user = b.user('u@x.example', b.profile('P', 'Salesforce Integration'));
    b.model.permissionSetLicenses.push({ id: 'psl1', developerName: 'SalesforceAPIIntegrationPsl', label: 'Salesforce API Integration', total: 5, used: 1 });
    b.model.permissionSetLicenseAssignments.push({ userId: user.id, permissionSetLicenseId: 'psl1' }, { userId: user.id, permissionSetLicenseId: 'gone' });
    expect(userAccess(indexModel(b.model), user).permissionSetLicenses.map((p) => p.developerName)).to.deep.equal(['SalesforceAPIIntegrationPsl']);
  });

  describe('muting', () => {
    it('a group muting set removes a system permission granted through that group only', () => {
      const b = new ModelBuilder();
      const profile = b.profile('P', 'Salesforce');
      const member = b.permissionSet('ApiOnlyMember', { systemPermissions: ['ApiUserOnly', 'ApiEnabled'] });
      const group = b.group('G', [member], b.muting('G_Muting', { systemPermissions: ['ApiUserOnly'] }));
      const viaGroup = b.user('group@x.example', profile, { assign: [group] });
      const both = b.user('both@x.example', profile, { assign: [group, member] });
      const index = indexModel(b.model);

      expect(systemPermissionGrants(index, userAccess(index, viaGroup), 'ApiUserOnly')).to.deep.equal([]);
      expect(systemPermissionGrants(index, userAccess(index, viaGroup), 'ApiEnabled').map((g) => g.holder.name)).to.deep.equal(['ApiOnlyMember']);
      // assigned directly as well: the direct grant is not muted
      const grants = systemPermissionGrants(index, userAccess(index, both), 'ApiUserOnly');
      expect(grants.map((g) => [g.holder.name, g.viaGroup?.name])).to.deep.equal([['ApiOnlyMember', undefined]]);
    });

    it('muting Read on an object takes every verb that needs it', () => {
      const b = new ModelBuilder();
      const member = b.permissionSet('M', { objects: [objectAccess('Account', ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll']), objectAccess('Contact', ['read', 'edit'])] });
      const group = b.group('G', [member], b.muting('Mute', { objects: [objectAccess('account', ['read'])] }));
      const user = b.user('u@x.example', b.profile('P', 'Salesforce'), { assign: [group] });
      const index = indexModel(b.model);
      const result = objectGrants(index, userAccess(index, user));
      expect(result.map((r) => r.access.object)).to.deep.equal(['Contact']);
    });

    it('muting Delete leaves Read/Edit but removes Modify All', () => {
      const b = new ModelBuilder();
      const member = b.permissionSet('M', { objects: [objectAccess('Account', ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'])] });
      const group = b.group('G', [member], b.muting('Mute', { objects: [objectAccess('Account', ['delete'])] }));
      const user = b.user('u@x.example', b.profile('P', 'Salesforce'), { assign: [group] });
      const index = indexModel(b.model);
      const [only] = objectGrants(index, userAccess(index, user), 'ACCOUNT');
      expect(only.access).to.include({ read: true, create: true, edit: true, delete: false, viewAll: true, modifyAll: false });
    });

    it('muting field Read also removes Edit; muting Edit keeps Read', () => {
      const b = new ModelBuilder();
      const member = b.permissionSet('M', {
        fields: [
          { field: 'Account.Secret__c', read: true, edit: true },
          { field: 'Account.Name', read: true, edit: true },
        ],
      });
      const mute = b.muting('Mute', {
        fields: [
          { field: 'account.secret__c', read: true, edit: false },
          { field: 'Account.Name', read: false, edit: true },
        ],
      });
      const user = b.user('u@x.example', b.profile('P', 'Salesforce'), { assign: [b.group('G', [member], mute)] });
      const index = indexModel(b.model);
      expect(fieldGrants(index, userAccess(index, user)).map((g) => g.access)).to.deep.equal([{ field: 'Account.Name', read: true, edit: false }]);
    });
  });

  it('profile permissions count as a grant by the profile', () => {
    const b = new ModelBuilder();
    const profile = b.profile('API Only', 'Salesforce', { systemPermissions: ['ApiUserOnly'], objects: [objectAccess('Account', ['read'])] });
    const user = b.user('u@x.example', profile);
    const index = indexModel(b.model);
    const access = userAccess(index, user);
    expect(systemPermissionGrants(index, access, 'ApiUserOnly').map((g) => g.holder.kind)).to.deep.equal(['profile']);
    expect(objectGrants(index, access).map((g) => g.grant.holder.name)).to.deep.equal(['API Only']);
  });
});
