import { expect } from 'chai';
import { indexModel } from '../../../src/access/effective.js';
import { findIntegrationUsers } from '../../../src/access/integrationUsers.js';
import { INTEGRATION_USER_LICENSE } from '../../../src/access/model.js';
import { ModelBuilder } from './testModel.js';

const found = (b: ModelBuilder, options: Parameters<typeof findIntegrationUsers>[1] = {}): Record<string, string[]> =>
  Object.fromEntries(findIntegrationUsers(indexModel(b.model), options).map((iu) => [iu.user.username, iu.reasons.map((r) => r.kind)]));

describe('access/integrationUsers', () => {
  it('recognises the integration license, API Only on the profile, on a set and through a group; not people', () => {
    const b = new ModelBuilder();
    b.user('licensed@x.example', b.profile('Minimum Access - API Only Integrations', INTEGRATION_USER_LICENSE, { systemPermissions: ['ApiUserOnly', 'ApiEnabled'] }));
    b.user('profile@x.example', b.profile('Custom API Only', 'Salesforce', { systemPermissions: ['ApiUserOnly'] }));
    const standard = b.profile('Standard User', 'Salesforce', { systemPermissions: ['ApiEnabled'] });
    b.user('set@x.example', standard, { assign: [b.permissionSet('API_Only', { systemPermissions: ['ApiUserOnly'] })] });
    b.user('group@x.example', standard, { assign: [b.group('Bundle', [b.permissionSet('Bundled_API_Only', { systemPermissions: ['ApiUserOnly'] })])] });
    b.user('person@x.example', standard);
    expect(found(b)).to.deep.equal({
      'licensed@x.example': ['integrationLicense', 'apiOnly'],
      'profile@x.example': ['apiOnly'],
      'set@x.example': ['apiOnly'],
      'group@x.example': ['apiOnly'],
    });
  });

  it('decides users without assignments by their license and profile alone, as with assignments', () => {
    const b = new ModelBuilder();
    const standard = b.profile('Standard User', 'Salesforce', { systemPermissions: ['ApiEnabled'] });
    // the license on the user only (the profile names none), and a person with a set that grants no API Only
    const licensed = b.user('own-license@x.example', b.profile('No License', ''));
    licensed.userLicense = INTEGRATION_USER_LICENSE;
    b.user('reports@x.example', standard, { assign: [b.permissionSet('Reports', { systemPermissions: ['RunReports'] })] });
    b.user('person@x.example', standard);
    expect(found(b)).to.deep.equal({ 'own-license@x.example': ['integrationLicense'] });
    const index = indexModel(b.model);
    const [iu] = findIntegrationUsers(index);
    expect(iu.access.profile?.name).to.equal('No License');
    expect(iu.access.grants.map((g) => g.holder.name)).to.deep.equal(['No License']);
  });

  it('says which holder grants API Only', () => {
    const b = new ModelBuilder();
    const set = b.permissionSet('API_Only', { systemPermissions: ['ApiUserOnly'] });
    b.user('set@x.example', b.profile('Standard User', 'Salesforce'), { assign: [set] });
    const [iu] = findIntegrationUsers(indexModel(b.model));
    expect(iu.reasons[0].kind === 'apiOnly' && iu.reasons[0].grants.map((g) => g.holder.name)).to.deep.equal(['API_Only']);
  });

  it('a muted API Only grant does not make an integration user', () => {
    const b = new ModelBuilder();
    const member = b.permissionSet('Bundled_API_Only', { systemPermissions: ['ApiUserOnly'] });
    const group = b.group('Bundle', [member], b.muting('Bundle_Mute', { systemPermissions: ['ApiUserOnly'] }));
    b.user('muted@x.example', b.profile('Standard User', 'Salesforce'), { assign: [group] });
    expect(found(b)).to.deep.equal({});
  });

  it('includes inactive users unless told not to', () => {
    const b = new ModelBuilder();
    b.user('retired@x.example', b.profile('Minimum Access - API Only Integrations', INTEGRATION_USER_LICENSE), { active: false });
    expect(Object.keys(found(b))).to.deep.equal(['retired@x.example']);
    expect(found(b, { includeInactive: false })).to.deep.equal({});
  });

  describe('manifest users', () => {
    const build = (isSandbox: boolean, instanceUrl?: string): ModelBuilder => {
      const b = new ModelBuilder();
      b.model.org = { isSandbox, ...(instanceUrl ? { instanceUrl } : {}) };
      const standard = b.profile('Standard User', 'Salesforce');
      for (const username of ['erp.integration@acme.example', 'ERP.Integration@Acme.Example.uat', 'erp.integration@acme.example.com', 'erp.integration@acme.example.uat@evil.example']) {
        b.user(username, standard);
      }
      return b;
    };
    const manifestUsers = [{ app: 'erp', username: 'erp.integration@acme.example' }];

    it('matches the exact username, case-insensitively, in production; sandbox suffixes do not match there', () => {
      const result = findIntegrationUsers(indexModel(build(false).model), { manifestUsers });
      expect(result.map((iu) => [iu.user.username, iu.app])).to.deep.equal([['erp.integration@acme.example', 'erp']]);
    });

    it('in a sandbox of unknown name, matches the username plus one suffix label, never a further @', () => {
      const result = findIntegrationUsers(indexModel(build(true).model), { manifestUsers });
      expect(result.map((iu) => iu.user.username)).to.deep.equal([
        'erp.integration@acme.example',
        'ERP.Integration@Acme.Example.uat',
        'erp.integration@acme.example.com',
      ]);
      expect(result.every((iu) => iu.reasons.some((r) => r.kind === 'manifest' && r.app === 'erp'))).to.equal(true);
    });

    it('in a sandbox whose name the My Domain URL gives, only that suffix matches', () => {
      const result = findIntegrationUsers(indexModel(build(true, 'https://acme--uat.sandbox.my.salesforce.com').model), { manifestUsers });
      expect(result.map((iu) => iu.user.username)).to.deep.equal(['erp.integration@acme.example', 'ERP.Integration@Acme.Example.uat']);
    });
  });
});
