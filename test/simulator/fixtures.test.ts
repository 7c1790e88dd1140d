import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import type { Row } from './store.js';
import { demoOrgFixture, demoSandboxFixture, largeOrgFixture, OrgSimulator, storeFromFixture } from './index.js';

describe('simulator fixtures', () => {
  describe('demo org', () => {
    const store = storeFromFixture(demoOrgFixture());
    const named = (object: string, field: string, value: string): Row => {
      const row = store.rows(object).find((r) => r[field] === value);
      if (!row) throw new Error(`no ${object} ${value}`);
      return row;
    };
    const profileOf = (username: string): Row => store.get(String(named('User', 'Username', username).ProfileId))!.row;

    it('has the standard profiles, licenses with seats, and the integration PSL', () => {
      const profiles = store.rows('Profile').map((p) => p.Name);
      expect(profiles).to.include.members(['System Administrator', 'Standard User', 'Minimum Access - Salesforce', 'Minimum Access - API Only Integrations', 'Salesforce API Only System Integrations']);
      expect(named('UserLicense', 'Name', 'Salesforce')).to.include({ LicenseDefinitionKey: 'SFDC', TotalLicenses: 100 });
      expect(named('UserLicense', 'Name', 'Salesforce Platform')).to.include({ LicenseDefinitionKey: 'AUL' });
      expect(named('UserLicense', 'Name', 'Salesforce Integration')).to.include({ TotalLicenses: 5, UsedLicenses: 2 });
      expect(named('PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl')).to.include({ MasterLabel: 'Salesforce API Integration', TotalLicenses: 5, UsedLicenses: 1 });
      const integrationProfile = named('Profile', 'Name', 'Minimum Access - API Only Integrations');
      expect(store.get(String(integrationProfile.UserLicenseId))!.row.Name).to.equal('Salesforce Integration');
      const owned = store.rows('PermissionSet').find((p) => p.ProfileId === integrationProfile.Id)!;
      expect(owned).to.include({ IsOwnedByProfile: true, PermissionsApiUserOnly: true, PermissionsApiEnabled: true });
    });

    it('counts used seats from the active users of each license', () => {
      for (const license of store.rows('UserLicense')) {
        const active = store.rows('User').filter((u) => u.IsActive && store.get(String(u.ProfileId))!.row.UserLicenseId === license.Id).length;
        expect(license.UsedLicenses, String(license.Name)).to.equal(active);
      }
    });

    it('has the integration users the audit must tell apart', () => {
      const now = Date.now();
      const daysSinceLogin = (username: string): number | null => {
        const last = named('User', 'Username', username).LastLoginDate;
        return last ? Math.round((now - Date.parse(String(last).replace('+0000', 'Z'))) / 86_400_000) : null;
      };
      expect(profileOf('erp.integration@demo.sim').Name).to.equal('Minimum Access - API Only Integrations');
      expect(daysSinceLogin('erp.integration@demo.sim')).to.be.at.most(2);
      expect(profileOf('legacy.admin.integration@demo.sim').Name).to.equal('System Administrator');
      expect(daysSinceLogin('dormant.integration@demo.sim')).to.equal(200);
      expect(daysSinceLogin('never.integration@demo.sim')).to.equal(null);
      expect(profileOf('old.integration@demo.sim').Name).to.equal('Salesforce API Only System Integrations');
      expect(named('User', 'Username', 'retired.integration@demo.sim').IsActive).to.equal(false);
      const reportingProfile = store.rows('PermissionSet').find((p) => p.ProfileId === profileOf('reporting.integration@demo.sim').Id)!;
      expect(reportingProfile).to.include({ IsCustom: true, PermissionsApiUserOnly: false });
      const sharedSet = named('PermissionSet', 'Name', 'Shared_Reporting');
      expect(store.rows('PermissionSetAssignment').filter((a) => a.PermissionSetId === sharedSet.Id)).to.have.length(3);
      expect(named('PermissionSet', 'Name', 'Legacy_Integration_Admin').PermissionsModifyAllData).to.equal(true);
      expect(store.loginIpRanges.get(String(named('Profile', 'Name', 'ERP API Profile').Id))).to.have.length(1);
      expect(store.takenUsernames.has('taken.integration@acme.example')).to.equal(true);
    });

    it('has a permission set group with a muting permission set, and ApexClass access through SetupEntityAccess', () => {
      const group = named('PermissionSetGroup', 'DeveloperName', 'Sales_Bundle');
      const components = store.rows('PermissionSetGroupComponent').filter((c) => c.PermissionSetGroupId === group.Id);
      expect(components.map((c) => store.get(String(c.PermissionSetId))!.object).sort()).to.deep.equal(['MutingPermissionSet', 'PermissionSet', 'PermissionSet']);
      const erp = named('PermissionSet', 'Name', 'Integration_Erp');
      const access = store.rows('SetupEntityAccess').filter((s) => s.ParentId === erp.Id);
      expect(access.map((s) => store.get(String(s.SetupEntityId))!.row.Name)).to.deep.equal(['ErpOrderService']);
    });
  });

  it('sandbox variant: IsSandbox, .uat usernames, .invalid integration e-mails, some integration users deactivated', () => {
    const store = storeFromFixture(demoSandboxFixture());
    expect(store.org).to.include({ isSandbox: true, sandboxName: 'uat' });
    expect(store.rows('Organization')[0].IsSandbox).to.equal(true);
    expect(store.rows('User').every((u) => String(u.Username).endsWith('.uat'))).to.equal(true);
    const erp = store.rows('User').find((u) => u.Username === 'erp.integration@demo.sim.uat')!;
    expect(erp.Email).to.equal('erp.integration@demo.sim.invalid');
    expect(store.rows('User').find((u) => u.Username === 'dormant.integration@demo.sim.uat')!.IsActive).to.equal(false);
  });

  it('large org: deterministic for a seed, realistic proportions', () => {
    const fixture = largeOrgFixture({ users: 10_000, permissionSets: 2000, seed: 42 });
    const users = fixture.records.User;
    expect(users).to.have.length(10_000);
    expect(fixture.records.PermissionSet.filter((p) => p.Type === 'Regular')).to.have.length(2000);
    const perUser = fixture.records.PermissionSetAssignment.length / users.length;
    expect(perUser).to.be.within(2, 5);
    const integration = users.filter((u) => String(u.Username).startsWith('integration.'));
    expect(integration.length).to.be.within(150, 250);
    const again = largeOrgFixture({ users: 10_000, permissionSets: 2000, seed: 42 });
    expect(again.records.PermissionSetAssignment.map((a) => `${String(a.AssigneeId)}:${String(a.PermissionSetId)}`)).to.deep.equal(
      fixture.records.PermissionSetAssignment.map((a) => `${String(a.AssigneeId)}:${String(a.PermissionSetId)}`)
    );
    for (const size of [100, 1000]) expect(largeOrgFixture({ users: size, permissionSets: size / 5 }).records.User).to.have.length(size);
  });

  it('large org: every license has room for its active users, so DML in benchmarks does not trip seats', () => {
    const store = storeFromFixture(largeOrgFixture({ users: 1000, permissionSets: 200, seed: 5 }));
    for (const license of store.rows('UserLicense')) expect(Number(license.UsedLicenses)).to.be.at.most(Number(license.TotalLicenses));
    for (const psl of store.rows('PermissionSetLicense')) expect(Number(psl.UsedLicenses)).to.be.at.most(Number(psl.TotalLicenses));
  });

  it('cli.ts prints one JSON line, serves the org, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./cli.ts', import.meta.url).pathname, '--fixture', 'large', '--users', '300', '--permission-sets', '50'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`cli exited with ${String(code)}`)));
    });
    const info = JSON.parse(line) as { url: string; accessToken: string; username: string; orgId: string };
    expect(info.username).to.equal('admin@large.sim');
    expect(info.accessToken).to.match(/^(00D\w{12,15})![.\w]*$/);
    const response = await fetch(`${info.url}/services/data/v68.0/query?q=${encodeURIComponent('SELECT COUNT() FROM User')}`, { headers: { Authorization: `Bearer ${info.accessToken}` } });
    expect(((await response.json()) as { totalSize: number }).totalSize).to.equal(300);
    const counted = (await (await fetch(`${info.url}/__sim/requests`, { headers: { Authorization: `Bearer ${info.accessToken}` } })).json()) as unknown[];
    expect(counted).to.have.length(1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('OrgSimulator.start with a fixture serves that org', async () => {
    const sim = await OrgSimulator.start({ fixture: demoSandboxFixture() });
    try {
      expect(sim.username).to.equal('admin@demo.sim.uat');
      expect(sim.orgId).to.equal('00D000000000001AAA');
    } finally {
      await sim.stop();
    }
  });
});
