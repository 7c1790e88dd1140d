import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { validateManifest, formatProblem } from '../../../src/manifest/validate.js';
import { loadManifestWithState } from '../../../src/manifest/load.js';
import { closeObjectVerbs } from '../../../src/salesforce/objectAccess.js';
import { MANAGED_MARKER } from '../../../src/manifest/constants.js';
import { derivePermissionSetName, jsonPath, resolveUsername } from '../../../src/manifest/names.js';
import type { DesiredState } from '../../../src/manifest/types.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../../fixtures/manifests/${path}`, import.meta.url));
const example = fileURLToPath(new URL('../../../examples/integration.json', import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

function desired(raw: unknown): DesiredState {
  const result = validateManifest(raw);
  expect(result.problems.map(formatProblem)).to.deep.equal([]);
  return result.desired as DesiredState;
}

describe('manifest: implied access', () => {
  const cases: Array<[Parameters<typeof closeObjectVerbs>[0], string[], string[]]> = [
    [['read'], ['read'], []],
    [['edit'], ['read', 'edit'], ['read']],
    [['create'], ['read', 'create'], ['read']],
    [['delete'], ['read', 'edit', 'delete'], ['read', 'edit']],
    [['viewAll'], ['read', 'viewAll'], ['read']],
    [['modifyAll'], ['read', 'edit', 'delete', 'viewAll', 'modifyAll'], ['read', 'edit', 'delete', 'viewAll']],
    [['modifyAll', 'read'], ['read', 'edit', 'delete', 'viewAll', 'modifyAll'], ['edit', 'delete', 'viewAll']],
  ];
  for (const [declared, all, implied] of cases) {
    it(`${declared.join('+')} → ${all.join(', ')} (implied: ${implied.join(', ') || 'none'})`, () => {
      expect(closeObjectVerbs(declared)).to.deep.equal({ all, implied });
    });
  }
});

describe('manifest: names', () => {
  it('derives the permission set API name from the app name', () => {
    expect(derivePermissionSetName('erp')).to.equal('Integration_Erp');
    expect(derivePermissionSetName('data-lake')).to.equal('Integration_Data_Lake');
    expect(derivePermissionSetName('crm_2')).to.equal('Integration_Crm_2');
  });
  it('expands {app} in username templates', () => {
    expect(resolveUsername('{app}.integration@acme.example', 'erp')).to.equal('erp.integration@acme.example');
    expect(resolveUsername('x@acme.example', 'erp')).to.equal('x@acme.example');
  });
  it('writes JSON paths with brackets for keys that are not identifiers', () => {
    expect(jsonPath(['apps', 0, 'permissionSet', 'fields', 'Account.Name'])).to.equal('$.apps[0].permissionSet.fields["Account.Name"]');
    expect(jsonPath([])).to.equal('$');
  });
});

describe('manifest: the README example', () => {
  it('loads and normalises to the desired state', async () => {
    const { desired: state, warnings } = await loadManifestWithState(example);
    expect(warnings).to.deep.equal([]);
    expect(state.profile).to.include({ name: 'Integration API Only', license: 'auto', managed: true });
    expect(state.profile.description.endsWith(MANAGED_MARKER)).to.equal(true);
    // sorted by start address
    expect(state.profile.loginIpRanges.map((range) => range.start)).to.deep.equal(['198.51.100.10', '203.0.113.0']);
    expect(state.apps.map((app) => app.permissionSet.name)).to.deep.equal(['Integration_Erp', 'Integration_Marketing', 'Integration_Warehouse_Reader']);
    const erp = state.apps[0];
    expect(erp.user).to.deep.include({ username: 'erp.integration@acme.example', email: 'sf-admins@acme.example', timeZone: 'Europe/Paris', locale: 'fr_FR', alias: 'erp' });
    expect(erp.systemPermissions).to.deep.equal(['ApiEnabled']);
    expect(erp.objects.map((o) => o.object)).to.deep.equal(['Account', 'Order']);
    const marketing = state.apps[1];
    const lead = marketing.objects.find((o) => o.object === 'Lead');
    expect(lead).to.deep.include({ read: true, create: true, edit: true, delete: false, declared: ['create', 'edit'], implied: ['read'] });
    expect(state.apps[2].user.username).to.equal('dwh.integration@acme.example');
  });
});

describe('manifest: valid edge cases', () => {
  it('accepts elevated viewAll/modifyAll and dangerous permissions, and warns about an unused elevation', () => {
    const result = validateManifest(readJson(fixture('good/elevated.json')));
    expect(result.problems.map(formatProblem)).to.deep.equal([]);
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.include('$.apps[0].elevated[3].permission').and.include('Contact.viewAll');
    const app = (result.desired as DesiredState).apps[0];
    expect(app.permissionSet.name).to.equal('Integration_Billing');
    expect(app.systemPermissions).to.deep.equal(['ApiEnabled', 'ModifyAllData', 'ViewSetup']);
    const invoice = app.objects.find((o) => o.object === 'Invoice__c');
    expect(invoice).to.deep.include({ read: true, edit: true, delete: true, viewAll: true, modifyAll: true, create: false });
    expect(app.fields.find((f) => f.field === 'Invoice__c.Amount__c')).to.deep.include({ read: true, edit: true, implied: ['read'] });
  });

  it('uses the org integration profile with license integration and warns on an unknown permission name', () => {
    const result = validateManifest(readJson(fixture('good/integration-license.json')));
    expect(result.problems).to.deep.equal([]);
    expect(result.desired?.profile).to.include({ name: 'Minimum Access - API Only Integrations', license: 'integration', managed: false });
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.include('FutureSparkle').and.include('Unknown user permission');
    const lake = result.desired?.apps[1];
    expect(lake?.user).to.deep.include({ username: 'lake@acme.example', email: 'lake-team@acme.example', lastName: 'Lake' });
    expect(lake?.permissionSet.name).to.equal('Integration_Data_Lake');
  });

  it('keeps XML special characters in labels and descriptions (they are escaped on output)', () => {
    const state = desired(readJson(fixture('good/xml-special.json')));
    expect(state.apps[0].label).to.equal('ERP <Sync> & "Co" \'Ltd\'');
    expect(state.apps[0].permissionSet.description).to.equal(`Orders < 5 & > 2 "quoted" 'single' ]]> <!-- not a comment --> ${MANAGED_MARKER}`);
  });

  it('does not mutate its input and returns no manifest when there is a problem', () => {
    const raw = { version: 1, apps: [{ name: 'erp' }] };
    const copy = JSON.parse(JSON.stringify(raw)) as unknown;
    const result = validateManifest(raw);
    expect(raw).to.deep.equal(copy);
    expect(result.manifest).to.equal(undefined);
    expect(result.problems.map((p) => p.code)).to.deep.equal(['usernameMissing', 'emailMissing']);
  });

  it('reports problems of a structurally broken manifest together with semantic ones', () => {
    const result = validateManifest({
      version: 1,
      profile: { name: 'System Administrator', loginIpRanges: 'all' },
      defaults: { username: 'x@acme.example', email: 'a@acme.example' },
      apps: [{ name: 'a' }, { name: 'b' }, 'c'],
    });
    expect(result.problems.map((p) => `${p.path} ${p.code}`)).to.have.members([
      '$.profile.loginIpRanges wrongType',
      '$.apps[2] wrongType',
      '$.profile.name systemAdministrator',
      '$.apps[1] usernameDuplicate',
    ]);
  });
});

describe('manifest: load errors', () => {
  it('names a missing file', async () => {
    try {
      await loadManifestWithState(fixture('does-not-exist.json'));
      expect.fail('no error');
    } catch (error) {
      expect((error as Error).name).to.equal('ManifestNotFoundError');
    }
  });
  it('refuses a directory', async () => {
    try {
      await loadManifestWithState(fixture('good'));
      expect.fail('no error');
    } catch (error) {
      expect((error as Error).name).to.equal('ManifestUnreadableError');
    }
  });
});

describe('manifest: file encodings and JSON details', () => {
  it('accepts a UTF-8 byte order mark', async () => {
    const { desired: state } = await loadManifestWithState(fixture('good/with-bom.json'));
    expect(state.apps[0].permissionSet.name).to.equal('Integration_Erp');
  });
});

describe('manifest: permission names checked against a target org', () => {
  const manifest = {
    version: 1,
    defaults: { username: '{app}@acme.example', email: 'a@acme.example' },
    apps: [{ name: 'erp', permissionSet: { systemPermissions: ['FutureSparkle', 'ViewSetup', 'Viewsetup2'] } }],
  };
  it('by default against the bundled API v64.0 describe', () => {
    const { warnings } = validateManifest(manifest);
    expect(warnings.join('\n')).to.include('"FutureSparkle" is not a user permission known to the bundled API v64.0 describe').and.include('"Viewsetup2"');
    expect(warnings).to.have.length(2);
  });
  it('with the org list: what the org knows passes, what it lacks is named with the org as the reference', () => {
    const { warnings, problems } = validateManifest(manifest, undefined, { knownUserPermissions: ['ApiEnabled', 'FutureSparkle', 'ViewSetup2'] });
    expect(problems.map((p) => `${p.path} ${p.code}`)).to.deep.equal(['$.apps[0].permissionSet.systemPermissions[2] systemPermissionCase']);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include('"ViewSetup" is not a user permission known to the target org');
  });
});
