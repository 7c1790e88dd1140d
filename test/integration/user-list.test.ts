/* `sf integration user list` run in-process against the org simulator (demo org, a generated large org, faults). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import UserList from '../../src/commands/integration/user/list.js';
import { OrgSimulator, largeOrgFixture } from '../simulator/index.js';
import { isolateCliEnv } from './helpers.js';

const DEMO_INTEGRATION_USERS = [
  'dormant.integration@demo.sim',
  'erp.integration@demo.sim',
  'legacy.admin.integration@demo.sim',
  'marketing.integration@demo.sim',
  'never.integration@demo.sim',
  'nomfa.integration@demo.sim',
  'old.integration@demo.sim',
  'retired.integration@demo.sim',
];

/** Requests the command itself made (the Organization query of Org.create is core's, not ours). */
const commandRequests = (sim: OrgSimulator): number =>
  sim.requests.filter((r) => !(r.soql ?? '').startsWith('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate')).length;

describe('integration user list (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator | undefined;
  let restoreEnv: (() => void) | undefined;
  let sandbox: sinon.SinonSandbox;
  let ux: ReturnType<typeof stubSfCommandUx>;

  const start = async (options?: Parameters<typeof OrgSimulator.start>[0]): Promise<OrgSimulator> => {
    const started = await OrgSimulator.start(options);
    sim = started;
    restoreEnv = isolateCliEnv(started);
    return started;
  };
  const stop = async (): Promise<void> => {
    restoreEnv?.();
    restoreEnv = undefined;
    await sim?.stop();
    sim = undefined;
  };

  beforeEach(() => {
    sandbox = sinon.createSandbox();
    ux = stubSfCommandUx(sandbox);
  });

  afterEach(async () => {
    sandbox.restore();
    await stop();
  });

  it('--evidence-days adds the apps seen and the last use (table and JSON); without it neither is there', async () => {
    const org = await start();
    const plain = await UserList.run(['-o', org.accessToken, '--json']);
    expect(plain.users.every((u) => !('appsSeen' in u) && !('lastUsed' in u))).to.equal(true);
    org.resetRequests();
    const result = await UserList.run(['-o', org.accessToken, '--evidence-days', '30']);
    const byName = new Map(result.users.map((u) => [u.username, u]));
    expect(byName.get('legacy.admin.integration@demo.sim')?.appsSeen).to.deep.equal(['Jira Connector', 'Legacy Sync']);
    expect(byName.get('erp.integration@demo.sim')?.appsSeen).to.deep.equal(['ERP Connector']);
    expect(byName.get('never.integration@demo.sim')).to.deep.include({ appsSeen: [], lastUsed: null });
    expect(Date.parse(byName.get('erp.integration@demo.sim')!.lastUsed!)).to.be.greaterThan(Date.now() - 2 * 86_400_000);
    // Evidence costs one token query, one login query, one EventLogFile query and one request per log file (3).
    expect(org.requestCount({ pathIncludes: '/LogFile' })).to.equal(3);
    expect(org.requests.filter((r) => /FROM (OauthToken|LoginHistory|EventLogFile)/.test(r.soql ?? '')).length).to.equal(3);
    const table = ux.table.lastCall.args[0] as { columns: Array<{ key: string; name: string }>; data: Array<{ username: string; appsSeen: string; lastUsed: string }> };
    expect(table.columns.map((c) => c.name)).to.include.members(['Apps seen', 'Last used']);
    expect(table.data.find((r) => r.username === 'never.integration@demo.sim')?.lastUsed).to.equal('not seen');
  });

  it('lists the demo org integration users with license, profile, API Only grants and assignments', async () => {
    const org = await start();
    const result = await UserList.run(['-o', org.accessToken, '--json']);
    expect(result.users.map((u) => u.username)).to.deep.equal(DEMO_INTEGRATION_USERS);
    expect(result.total).to.equal(8);

    const erp = result.users.find((u) => u.username === 'erp.integration@demo.sim')!;
    expect(erp).to.include({ active: true, license: 'Salesforce Integration', profile: 'Minimum Access - API Only Integrations', apiOnly: true, apiEnabled: true });
    expect(erp.permissionSets).to.deep.equal(['Integration_Erp', 'Shared_Reporting']);
    expect(erp.permissionSetLicenses).to.deep.equal(['SalesforceAPIIntegrationPsl']);
    expect(erp.recognisedBy).to.have.members(['license', 'apiOnly']);
    expect(erp.lastLogin).to.be.a('string');

    const legacy = result.users.find((u) => u.username === 'legacy.admin.integration@demo.sim')!;
    expect(legacy.profile).to.equal('System Administrator');
    expect(legacy.apiOnlyGrantedBy).to.deep.equal(['API_Only_Access (permission set)']);
    expect(legacy.recognisedBy).to.deep.equal(['apiOnly']);

    const retired = result.users.find((u) => u.username === 'retired.integration@demo.sim')!;
    expect(retired.active).to.equal(false);
    const never = result.users.find((u) => u.username === 'never.integration@demo.sim')!;
    expect(never.lastLogin).to.equal(null);
  });

  it('prints a table sorted by username, and --active-only leaves inactive users out', async () => {
    const org = await start();
    const result = await UserList.run(['-o', org.accessToken, '--active-only']);
    expect(result.users.map((u) => u.username)).to.not.include('retired.integration@demo.sim');
    expect(ux.table.callCount).to.equal(1);
    const table = ux.table.firstCall.args[0] as { data: Array<{ username: string; apiOnly: string }>; title: string; maxWidth: number };
    expect(table.data.map((row) => row.username)).to.deep.equal(DEMO_INTEGRATION_USERS.filter((u) => !u.startsWith('retired')));
    expect(table.data[0].apiOnly).to.equal('yes');
    expect(table.title).to.equal('Integration users of Demo Org (00D000000000001EAA): 7 (7 active, 1 of them frozen; 0 inactive)');
    // Not a TTY under mocha's pipe, or the terminal's width when it is one.
    expect(table.maxWidth).to.equal(process.stdout.isTTY && process.stdout.columns ? Math.max(20, process.stdout.columns) : 120);
    expect(JSON.stringify(table)).to.not.include(org.accessToken);
    expect(ux.log.args.flat().join('\n')).to.include('--verbose');
  });

  it('--verbose prints every value in full, one block per user, instead of the table', async () => {
    const org = await start();
    await UserList.run(['-o', org.accessToken, '--verbose']);
    expect(ux.table.callCount).to.equal(0);
    const text = ux.log.args.flat().join('\n');
    expect(text).to.include('API Only:');
    expect(text).to.include('yes: ERP API Profile (profile)');
    expect(text).to.include('Integration_Erp, Shared_Reporting');
    expect(text).to.include('SalesforceAPIIntegrationPsl');
  });

  it('with --manifest, the manifest names users and apps: a user only the manifest names is listed, with an App column', async () => {
    const org = await start();
    const dir = await mkdtemp(join(tmpdir(), 'user-list-manifest-'));
    try {
      const manifest = join(dir, 'integration.json');
      await writeFile(
        manifest,
        JSON.stringify({
          version: 1,
          profile: { name: 'Integration API Only', license: 'auto' },
          defaults: { username: '{app}.integration@demo.sim', email: 'admins@demo.sim' },
          apps: [
            { name: 'erp', permissionSet: { objects: { Account: ['read'] } } },
            { name: 'reporting', permissionSet: { objects: { Account: ['read'] } } },
          ],
        })
      );
      const result = await UserList.run(['-o', org.accessToken, '--manifest', manifest]);
      // reporting.integration is neither API only nor on the integration license: only the manifest makes it count.
      const reporting = result.users.find((u) => u.username === 'reporting.integration@demo.sim')!;
      expect(reporting).to.include({ app: 'reporting', apiOnly: false });
      expect(reporting.recognisedBy).to.deep.equal(['manifest']);
      expect(result.users.find((u) => u.username === 'erp.integration@demo.sim')!.app).to.equal('erp');
      expect(result.users.find((u) => u.username === 'marketing.integration@demo.sim')!.app).to.equal(null);
      const table = ux.table.firstCall.args[0] as { columns: Array<{ key: string }>; data: Array<{ username: string; app: string }> };
      expect(table.columns.map((c) => c.key)).to.include('app');
      expect(table.data.find((row) => row.username === 'reporting.integration@demo.sim')!.app).to.equal('reporting');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without --manifest there is no App column', async () => {
    const org = await start();
    await UserList.run(['-o', org.accessToken]);
    const table = ux.table.firstCall.args[0] as { columns: Array<{ key: string }> };
    expect(table.columns.map((c) => c.key)).to.not.include('app');
  });

  it('makes the same number of requests for 100 and 10,000 users apart from paging', async () => {
    const counts: Record<string, number> = {};
    for (const users of [100, 10_000]) {
      // eslint-disable-next-line no-await-in-loop
      const org = await start({ fixture: largeOrgFixture({ users, permissionSets: 200 }) });
      org.resetRequests();
      // eslint-disable-next-line no-await-in-loop
      const result = await UserList.run(['-o', org.accessToken, '--json']);
      expect(result.total).to.be.greaterThan(0);
      const pages = org.requests.filter((r) => /\/query\/[^?]+$/.test(r.path)).length;
      counts[users] = commandRequests(org) - pages;
      if (users === 10_000) expect(pages).to.be.greaterThan(0);
      // eslint-disable-next-line no-await-in-loop
      await stop();
    }
    expect(counts[100]).to.equal(counts[10_000]);
    // 10 before the frozen users' UserLogin query (the assignments of the users who may be integration users only)
    expect(counts[100]).to.equal(11);
  });

  it('shows the frozen user (UserLogin.IsFrozen) in the JSON, the Active column and the title, with one query', async () => {
    const org = await start();
    org.resetRequests();
    const result = await UserList.run(['-o', org.accessToken]);
    const frozen = result.users.filter((u) => u.frozen).map((u) => u.username);
    expect(frozen).to.deep.equal(['dormant.integration@demo.sim']);
    expect(result.users.every((u) => typeof u.frozen === 'boolean')).to.equal(true);
    // frozen is not inactive: the user stays active
    expect(result.users.find((u) => u.username === 'dormant.integration@demo.sim')).to.include({ active: true, frozen: true });
    expect(org.requests.filter((r) => /FROM UserLogin\b/.test(r.soql ?? ''))).to.have.length(1);
    const table = ux.table.firstCall.args[0] as { title: string; data: Array<{ username: string; active: string }> };
    const active = new Map(table.data.map((row) => [row.username, row.active]));
    expect(active.get('dormant.integration@demo.sim')).to.equal('yes, frozen');
    expect(active.get('erp.integration@demo.sim')).to.equal('yes');
    expect(active.get('retired.integration@demo.sim')).to.equal('no');
    expect(table.title).to.equal('Integration users of Demo Org (00D000000000001EAA): 8 (7 active, 1 of them frozen; 1 inactive)');
    expect(ux.log.args.flat().join(' ')).to.include('freezing does not deactivate them');
    expect(ux.warn.args.flat().map(String).filter((w) => /UserLogin|frozen/.test(w))).to.deep.equal([]);
  });

  it('UserLogin refused: the list still succeeds, frozen is null (unknown) for every user, the title and a warning say so', async () => {
    const org = await start();
    org.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM UserLogin' }, times: 10, status: 403, errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' });
    org.resetRequests();
    const result = await UserList.run(['-o', org.accessToken]);
    expect(result.users.map((u) => u.username)).to.deep.equal(DEMO_INTEGRATION_USERS);
    expect(result.users.every((u) => u.frozen === null)).to.equal(true);
    // the same requests as when UserLogin answers: a refused read is not retried
    expect(commandRequests(org)).to.equal(11);
    const table = ux.table.firstCall.args[0] as { title: string; data: Array<{ username: string; active: string }> };
    expect(table.title).to.equal('Integration users of Demo Org (00D000000000001EAA): 8 (7 active, 1 inactive; frozen unknown)');
    expect(table.data.find((row) => row.username === 'dormant.integration@demo.sim')!.active).to.equal('yes');
    // said under the table too (a narrow terminal cuts the title)
    expect(ux.log.args.flat().join(' ')).to.include('Frozen users are unknown');
    // (the test environment's own "org-api-version configuration overridden" warning aside)
    const warnings = ux.warn.args.flat().map(String).filter((w) => /UserLogin|frozen/.test(w));
    expect(warnings).to.have.length(1);
    // one clean sentence: what was not read and why, not the internal fact id
    expect(warnings[0]).to.match(/^UserLogin could not be read \(INSUFFICIENT_ACCESS_OR_READONLY\): .*; frozen users are unknown \(reading UserLogin needs the "Manage Users" permission\)$/);
    expect(warnings[0]).to.not.include('frozenUsers');
    expect(warnings[0]).to.include('INSUFFICIENT_ACCESS_OR_READONLY').and.include('frozen users are unknown').and.include('"Manage Users"');
  });

  it('a fact the org refuses is named in words in the warning, not by its internal id; the list still succeeds', async () => {
    const org = await start();
    org.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM PermissionSetLicenseAssign' }, times: 10, status: 403, errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' });
    const result = await UserList.run(['-o', org.accessToken, '--json']);
    expect(result.users.map((u) => u.username)).to.deep.equal(DEMO_INTEGRATION_USERS);
    const warnings = ux.warn.args.flat().map(String).filter((w) => w.includes('PermissionSetLicense'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/^Could not read permission set licenses: PermissionSetLicenseAssign\b.*INSUFFICIENT_ACCESS_OR_READONLY/);
    expect(warnings[0]).to.not.include('permissionSetLicenses');
  });

  it('handles a username with a quote', async () => {
    const org = await start();
    const profileId = org.store.rows('Profile').find((p) => p.Name === 'Minimum Access - API Only Integrations')!.Id;
    org.store.insert('User', {
      Username: "o'brien.integration@demo.sim",
      LastName: "O'Brien",
      Name: "O'Brien",
      ProfileId: profileId,
      IsActive: true,
      UserType: 'Standard',
    });
    const result = await UserList.run(['-o', org.accessToken, '--json']);
    expect(result.users.map((u) => u.username)).to.include("o'brien.integration@demo.sim");
  });
});
