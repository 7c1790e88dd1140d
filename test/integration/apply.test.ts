/* The apply engine against the org simulator: a fresh org, a converged re-run, license fallback, a sandbox after a refresh. */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { MANAGED_MARKER } from '../../src/manifest/constants.js';
import type { DesiredState, Manifest } from '../../src/manifest/types.js';
import { runApply, type ApplyRequest } from '../../src/plan/apply.js';
import { OrgSimulator, REFRESH_PREFIX, demoSandboxFixture, refreshedSandboxFixture } from '../simulator/index.js';
import { connectionTo } from './helpers.js';
import { FAST_RETRY, assigned, demoManifest, desiredOf, hasPsl, licenseOf, rowsWhere, setRow, userRow, writeRequests } from './applyHelpers.js';

describe('apply engine (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let conn: Connection;

  const apply = (desired: DesiredState, extra: Partial<ApplyRequest> = {}): ReturnType<typeof runApply> =>
    runApply({ conn, desired, retry: FAST_RETRY, ...extra });

  afterEach(async () => sim?.stop());

  describe('demo org', () => {
    beforeEach(async () => {
      sim = await OrgSimulator.start();
      conn = await connectionTo(sim);
    });

    it('creates exactly what the manifest declares on a fresh org, with integration seats first, then converges with zero writes', async () => {
      const integration = licenseOf(sim, 'Salesforce Integration');
      const freeSeats = Number(integration.TotalLicenses) - Number(integration.UsedLicenses);
      expect(freeSeats).to.equal(3);
      const desired = desiredOf(demoManifest(['alpha', 'beta', 'gamma', 'delta']));
      const first = await apply(desired);
      expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
      expect(first.notDone).to.deep.equal([]);
      expect(first.licenses.map((l) => l.license)).to.deep.equal(['integration', 'integration', 'integration', 'salesforce']);
      expect(first.licenses[3].reason).to.match(/No Salesforce Integration seat is left/);

      // the org now holds exactly the declared things
      for (const app of ['alpha', 'beta', 'gamma']) {
        const user = userRow(sim, `${app}.int@apply-test.example`)!;
        expect(sim.store.get(String(user.ProfileId))!.row.Name).to.equal('Minimum Access - API Only Integrations');
        expect(hasPsl(sim, `${app}.int@apply-test.example`)).to.equal(true);
        expect(setRow(sim, `Integration_${app[0].toUpperCase()}${app.slice(1)}`)!.LicenseId).to.be.a('string');
      }
      const delta = userRow(sim, 'delta.int@apply-test.example')!;
      const profile = sim.store.get(String(delta.ProfileId))!.row;
      expect(profile.Name).to.equal('Integration API Only');
      expect(String(profile.Description)).to.include(MANAGED_MARKER);
      expect(hasPsl(sim, 'delta.int@apply-test.example')).to.equal(false);
      expect(setRow(sim, 'Integration_Delta')!.LicenseId).to.equal(null);
      expect(delta).to.include({ Email: 'sf-admins@apply-test.example', TimeZoneSidKey: 'Europe/Paris', LocaleSidKey: 'fr_FR', LanguageLocaleKey: 'en_US', EmailEncodingKey: 'UTF-8', FirstName: 'App delta', LastName: 'Integration', Alias: 'delta', IsActive: true });
      expect(assigned(sim, 'alpha.int@apply-test.example')).to.deep.equal(['Integration_Alpha']);
      expect(assigned(sim, 'delta.int@apply-test.example')).to.deep.equal(['Integration_Delta']);
      const alphaSet = setRow(sim, 'Integration_Alpha')!;
      const objects = rowsWhere(sim, 'ObjectPermissions', (o) => o.ParentId === alphaSet.Id).map((o) => `${String(o.SobjectType)}:${String(o.PermissionsRead)}${String(o.PermissionsCreate)}${String(o.PermissionsEdit)}${String(o.PermissionsDelete)}`).sort();
      expect(objects).to.deep.equal(['Account:truefalsetruefalse', 'Order:truetruetruefalse']);
      expect(Number(licenseOf(sim, 'Salesforce Integration').UsedLicenses)).to.equal(Number(integration.TotalLicenses));
      // no password was set and nobody logged in as the new users
      expect(sim.requests.some((r) => /password|oauth2\/token/i.test(r.path))).to.equal(false);

      // second run: converged, zero writes
      sim.resetRequests();
      const second = await apply(desired);
      expect(second.outcome).to.equal('converged');
      expect(second.plan.filter((a) => a.op !== 'unchanged')).to.deep.equal([]);
      expect(writeRequests(sim)).to.equal(0);
      // the only POST is the Metadata API's readMetadata of the profile's login IP ranges (SOAP is always POST)
      expect(sim.requests.filter((r) => r.method === 'POST').map((r) => r.soapCall ?? r.path)).to.deep.equal(['readMetadata']);
      expect(sim.requestCount({ method: 'PATCH' })).to.equal(0);
      expect(sim.requestCount({ method: 'DELETE' })).to.equal(0);
    });

    it('license "salesforce": the generated profile with login IP ranges, API only, no object access; a re-run converges', async () => {
      const desired = desiredOf(
        demoManifest(['a1', 'a2'], { profile: { name: 'Integration API Only', license: 'salesforce', loginIpRanges: [{ start: '203.0.113.0', end: '203.0.113.255' }] } })
      );
      const first = await apply(desired);
      expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
      const profile = sim.store.rows('Profile').find((p) => p.Name === 'Integration API Only')!;
      expect(sim.store.loginIpRanges.get(String(profile.Id))).to.deep.equal([{ startAddress: '203.0.113.0', endAddress: '203.0.113.255' }]);
      const owned = sim.store.rows('PermissionSet').find((p) => p.ProfileId === profile.Id && p.IsOwnedByProfile)!;
      expect(Object.keys(owned).filter((k) => k.startsWith('Permissions') && owned[k] === true).sort()).to.deep.equal(['PermissionsApiEnabled', 'PermissionsApiUserOnly']);
      expect(rowsWhere(sim, 'ObjectPermissions', (o) => o.ParentId === owned.Id)).to.deep.equal([]);
      expect(first.licenses.every((l) => l.license === 'salesforce')).to.equal(true);
      sim.resetRequests();
      const second = await apply(desired);
      expect(second.outcome).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);
    });

    it('--dry-run plans the same actions and writes nothing', async () => {
      const desired = desiredOf(demoManifest(['alpha']));
      const result = await apply(desired, { dryRun: true });
      expect(result.outcome).to.equal('planned');
      expect(result.plan.map((a) => `${a.op} ${a.kind}`)).to.deep.equal([
        'create deployPermissionSet',
        'create createUser',
        'create assignPermissionSetLicense',
        'create assignPermissionSet',
      ]);
      expect(writeRequests(sim)).to.equal(0);
      expect(userRow(sim, 'alpha.int@apply-test.example')).to.equal(undefined);
    });

    it('falls back to the Salesforce license when no integration seat is left, and says why', async () => {
      const integration = licenseOf(sim, 'Salesforce Integration');
      sim.store.update(String(integration.Id), { UsedLicenses: integration.TotalLicenses });
      const result = await apply(desiredOf(demoManifest(['alpha'])));
      expect(result.outcome).to.equal('applied');
      expect(result.licenses[0]).to.include({ license: 'salesforce', profile: 'Integration API Only' });
      expect(result.licenses[0].reason).to.match(/No Salesforce Integration seat is left \(5 of 5 used\)/);
      expect(sim.store.get(String(userRow(sim, 'alpha.int@apply-test.example')!.ProfileId))!.row.Name).to.equal('Integration API Only');
    });

    it('refuses before any write when license "integration" is forced and seats are short (LICENSE_LIMIT_EXCEEDED predicted)', async () => {
      const desired = desiredOf(demoManifest(['a1', 'a2', 'a3', 'a4'], { profile: { license: 'integration' } }));
      let error: Error & { data?: { problems?: Array<{ code: string }> } } = new Error('no error');
      try {
        await apply(desired);
      } catch (e) {
        error = e as typeof error;
      }
      expect(error.name).to.equal('PreflightError');
      expect(error.message).to.match(/4 users need a new Salesforce Integration seat, but only 3 of 5 are free/);
      expect(error.data?.problems?.map((p) => p.code)).to.include('seatsExhausted');
      expect(writeRequests(sim)).to.equal(0);
    });

    it('unassigns a managed set the manifest no longer gives to the app user (the set was renamed) and lists the old set as orphaned', async () => {
      const desired = desiredOf(demoManifest(['alpha']));
      await apply(desired);
      // the app's set is renamed in the manifest: the old managed set is unassigned and listed as orphaned
      const renamed = desiredOf(demoManifest(['alpha']));
      renamed.apps[0].permissionSet.name = 'Integration_Alpha_V2';
      const result = await apply(renamed);
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(result.plan.filter((a) => a.kind === 'removeAssignment').map((a) => a.subject)).to.deep.equal(['Integration_Alpha → alpha.int@apply-test.example']);
      expect(result.plan.filter((a) => a.kind === 'orphan').map((a) => a.subject)).to.deep.equal(['Integration_Alpha']);
      expect(assigned(sim, 'alpha.int@apply-test.example')).to.deep.equal(['Integration_Alpha_V2']);
    });

    it('compares a set no integration user holds yet with its full permission list: the re-run plans no phantom update', async () => {
      // the user cannot be created (its username is taken in another org), so nobody holds the deployed set
      const manifest = demoManifest(['taken'], { defaults: { username: '{app}.integration@acme.example', email: 'ops@acme.example' } });
      manifest.apps[0].permissionSet = { ...manifest.apps[0].permissionSet, systemPermissions: ['RunReports'] };
      const desired = desiredOf(manifest);
      const first = await apply(desired);
      expect(first.outcome).to.equal('partial');
      expect(first.done.map((d) => d.kind)).to.deep.equal(['deployPermissionSet']);
      const again = await apply(desired, { dryRun: true });
      const set = again.plan.find((a) => a.kind === 'deployPermissionSet')!;
      expect(set.op, set.reason).to.equal('unchanged');
      expect(again.plan.filter((a) => a.op !== 'unchanged' && a.op !== 'orphaned').map((a) => a.kind)).to.deep.equal(['createUser', 'assignPermissionSetLicense', 'assignPermissionSet']);
    });

    it('lists an app removed from the manifest as orphaned and leaves it alone; --prune deactivates its user and removes its assignment', async () => {
      await apply(desiredOf(demoManifest(['alpha', 'beta'])));
      const onlyAlpha = desiredOf(demoManifest(['alpha']));
      const kept = await apply(onlyAlpha);
      expect(kept.outcome).to.equal('converged');
      expect(kept.plan.filter((a) => a.op === 'orphaned').map((a) => a.subject)).to.deep.equal(['Integration_Beta', 'beta.int@apply-test.example']);
      expect(userRow(sim, 'beta.int@apply-test.example')!.IsActive).to.equal(true);
      const pruned = await apply(onlyAlpha, { prune: true });
      expect(pruned.outcome, JSON.stringify(pruned.notDone)).to.equal('applied');
      expect(userRow(sim, 'beta.int@apply-test.example')!.IsActive).to.equal(false);
      expect(assigned(sim, 'beta.int@apply-test.example')).to.deep.equal([]);
      expect(setRow(sim, 'Integration_Beta')).to.not.equal(undefined);
    });
  });

  describe('production org with a frozen user the manifest names', () => {
    beforeEach(async () => {
      sim = await OrgSimulator.start();
      conn = await connectionTo(sim);
    });

    it('leaves the user frozen (an admin froze it), says so, and converges without touching UserLogin', async () => {
      const manifest: Manifest = {
        version: 1,
        profile: { name: 'ERP API Profile', license: 'auto' },
        defaults: { username: '{app}.integration@demo.sim', email: 'sf-admins@demo.sim' },
        apps: [{ name: 'dormant', permissionSet: { name: 'Integration_Dormant', objects: { Account: ['read'] } } }],
      };
      const isFrozen = (): boolean => {
        const user = userRow(sim, 'dormant.integration@demo.sim')!;
        return sim.store.rows('UserLogin').some((l) => l.UserId === user.Id && l.IsFrozen === true);
      };
      expect(isFrozen()).to.equal(true);
      const first = await apply(desiredOf(manifest), { runningUsername: sim.username });
      expect(first.notDone).to.deep.equal([]);
      expect(first.plan.filter((a) => a.kind === 'unfreezeUser')).to.deep.equal([]);
      expect(first.notices.filter((n) => n.code === 'frozenAppUser').map((n) => n.subject)).to.deep.equal(['dormant.integration@demo.sim']);
      expect(isFrozen()).to.equal(true);

      sim.resetRequests();
      const second = await apply(desiredOf(manifest), { runningUsername: sim.username });
      expect(second.outcome).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);
      expect(isFrozen()).to.equal(true);
    });
  });

  describe('scratch org', () => {
    beforeEach(async () => {
      sim = await OrgSimulator.start();
      // A scratch org answers IsSandbox true and has a TrialExpirationDate (@salesforce/core lib/org/org.js,
      // Org.Fields.IS_SCRATCH); its usernames carry no sandbox suffix.
      Object.assign(sim.store.rows('Organization')[0], { IsSandbox: true, TrialExpirationDate: '2026-12-25' });
      conn = await connectionTo(sim);
    });

    it('is not a sandbox copy: usernames stay as the manifest says and no sandbox name is asked for', async () => {
      const result = await apply(desiredOf(demoManifest(['alpha'])), { runningUsername: sim.username });
      expect(result.problems).to.deep.equal([]);
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(result.sandbox).to.equal(undefined);
      expect(userRow(sim, 'alpha.int@apply-test.example')).to.not.equal(undefined);
      expect(assigned(sim, 'alpha.int@apply-test.example')).to.deep.equal(['Integration_Alpha']);
    });
  });

  describe('sandbox after a refresh', () => {
    beforeEach(async () => {
      sim = await OrgSimulator.start({ fixture: demoSandboxFixture() });
      conn = await connectionTo(sim);
    });

    const refreshManifest: Manifest = {
      version: 1,
      profile: { name: 'ERP API Profile', license: 'auto' },
      defaults: { username: '{app}.integration@demo.sim', timeZone: 'GMT' },
      apps: [
        { name: 'dormant', permissionSet: { name: 'Integration_Dormant', objects: { Account: ['read'] } }, user: { email: 'dormant.integration@demo.sim', firstName: 'Dormant', lastName: 'Integration', alias: 'dormant' } },
        { name: 'never', permissionSet: { name: 'Integration_Never', objects: { Account: ['read'] } }, user: { email: 'never.integration@demo.sim', firstName: 'Never', lastName: 'Integration', alias: 'never' } },
      ],
    };

    it('maps usernames to the sandbox suffix, reactivates users, reports .invalid e-mails without changing them, and converges', async () => {
      const desired = desiredOf(refreshManifest);
      const before = userRow(sim, 'dormant.integration@demo.sim.uat')!;
      expect(before.IsActive).to.equal(false);
      expect(before.Email).to.equal('dormant.integration@demo.sim.invalid');

      const result = await apply(desired, { runningUsername: sim.username });
      expect(result.sandbox).to.deep.equal({ name: 'uat', source: 'username' });
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(result.plan.filter((a) => a.kind === 'createUser')).to.deep.equal([]);
      expect(result.plan.filter((a) => a.kind === 'reactivateUser').map((a) => a.subject)).to.deep.equal(['dormant.integration@demo.sim.uat']);
      expect(result.plan.filter((a) => a.kind === 'repairEmail').map((a) => `${a.op} ${a.subject}`)).to.deep.equal([
        'unchanged dormant.integration@demo.sim.uat',
        'unchanged never.integration@demo.sim.uat',
      ]);
      expect(result.notices.filter((n) => n.code === 'invalidEmail').map((n) => n.subject)).to.deep.equal(['dormant.integration@demo.sim.uat', 'never.integration@demo.sim.uat']);

      const dormant = userRow(sim, 'dormant.integration@demo.sim.uat')!;
      expect(dormant).to.include({ IsActive: true, Email: 'dormant.integration@demo.sim.invalid' });
      expect(sim.pendingEmail('dormant.integration@demo.sim.uat')).to.equal(undefined);
      expect(assigned(sim, 'dormant.integration@demo.sim.uat')).to.deep.equal(['Integration_Dormant']);
      // they keep the Salesforce license, on the manifest's (now managed) profile
      expect(sim.store.get(String(dormant.ProfileId))!.row.Name).to.equal('ERP API Profile');

      sim.resetRequests();
      const again = await apply(desired, { runningUsername: sim.username });
      expect(again.outcome, JSON.stringify(again.plan.filter((a) => a.op !== 'unchanged' && a.op !== 'orphaned'))).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);
    });

    it('--repair-emails sends each change once; Salesforce keeps it pending; a re-run without the flag sends no write', async () => {
      const desired = desiredOf(refreshManifest);
      const first = await apply(desired, { runningUsername: sim.username, repairEmails: true });
      expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
      const repaired = first.done.filter((d) => d.kind === 'repairEmail');
      expect(repaired.map((d) => d.subject)).to.deep.equal(['dormant.integration@demo.sim.uat', 'never.integration@demo.sim.uat']);
      expect(repaired[0].note).to.match(/Pending: Salesforce sent a verification mail to dormant\.integration@demo\.sim/);
      // the org holds the old address until the new one confirms it
      expect(userRow(sim, 'dormant.integration@demo.sim.uat')!.Email).to.equal('dormant.integration@demo.sim.invalid');
      expect(sim.pendingEmail('dormant.integration@demo.sim.uat')).to.equal('dormant.integration@demo.sim');

      sim.resetRequests();
      const again = await apply(desired, { runningUsername: sim.username });
      expect(again.outcome).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);

      sim.confirmEmail('dormant.integration@demo.sim.uat');
      const confirmed = await apply(desired, { runningUsername: sim.username });
      expect(confirmed.plan.filter((a) => a.kind === 'repairEmail').map((a) => a.subject)).to.deep.equal(['never.integration@demo.sim.uat']);
    });

    it('--sandbox-name overrides the detected name', async () => {
      const result = await apply(desiredOf(demoManifest(['alpha'])), { runningUsername: sim.username, sandboxName: 'qa', dryRun: true });
      expect(result.sandbox).to.deep.equal({ name: 'qa', source: 'flag' });
      expect(result.plan.find((a) => a.kind === 'createUser')!.subject).to.equal('alpha.int@apply-test.example.qa');
    });
  });

  describe('a refreshed sandbox with everything a refresh does at once', () => {
    beforeEach(async () => {
      sim = await OrgSimulator.start({ fixture: refreshedSandboxFixture() });
      conn = await connectionTo(sim);
    });

    const manifest: Manifest = {
      version: 1,
      profile: { name: 'ERP API Profile', license: 'auto' },
      defaults: { username: '{app}.integration@demo.sim', email: 'sf-admins@demo.sim', timeZone: 'Europe/Paris', locale: 'fr_FR', language: 'fr' },
      apps: [
        { name: 'erp', permissionSet: { name: 'Integration_Erp', objects: { Account: ['read', 'edit'] } } },
        { name: 'dormant', permissionSet: { name: 'Integration_Dormant', objects: { Account: ['read'] } } },
        { name: 'billing', permissionSet: { objects: { Account: ['read'] } } },
      ],
    };
    const erpName = `${REFRESH_PREFIX}erp.integration@demo.sim.uat`;
    const frozen = (username: string): boolean => {
      const user = userRow(sim, username)!;
      return sim.store.rows('UserLogin').some((l) => l.UserId === user.Id && l.IsFrozen === true);
    };

    it('one apply converges (prefixed user kept, frozen unfrozen, inactive reactivated, e-mails reported, older integration profile), a second sends no write', async () => {
      const desired = desiredOf(manifest);
      const erpBefore = { ...userRow(sim, erpName)! };
      expect(frozen(erpName)).to.equal(true);
      const first = await apply(desired, { runningUsername: sim.username });
      expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
      expect(first.notices.map((n) => `${n.code} ${n.subject}`)).to.have.members([
        `prefixedUsername ${erpName}`,
        'olderIntegrationProfile Salesforce API Only System Integrations',
        `invalidEmail ${erpName}`,
        'invalidEmail dormant.integration@demo.sim.uat',
        'frozenUser legacy.admin.integration@demo.sim.uat',
      ]);
      // the prefixed user is the app's user: no second erp user, no DUPLICATE_USERNAME
      expect(first.plan.filter((a) => a.kind === 'createUser').map((a) => a.subject)).to.deep.equal(['billing.integration@demo.sim.uat']);
      expect(sim.store.rows('User').filter((u) => String(u.Username).endsWith('erp.integration@demo.sim.uat'))).to.have.length(1);
      // frozen app user unfrozen, and said so; the frozen user no app names is left alone
      expect(first.done.find((d) => d.kind === 'unfreezeUser')).to.deep.include({ subject: erpName });
      expect(first.done.find((d) => d.kind === 'unfreezeUser')!.note).to.match(/Unfrozen/);
      expect(frozen(erpName)).to.equal(false);
      expect(frozen('legacy.admin.integration@demo.sim.uat')).to.equal(true);
      expect(userRow(sim, 'dormant.integration@demo.sim.uat')!.IsActive).to.equal(true);
      // the new user is on the org's (older) integration profile; existing users keep their fields: defaults are for new users
      const older = sim.store.rows('Profile').find((p) => p.Name === 'Salesforce API Only System Integrations')!;
      expect(userRow(sim, 'billing.integration@demo.sim.uat')).to.include({ ProfileId: older.Id, TimeZoneSidKey: 'Europe/Paris', Email: 'sf-admins@demo.sim' });
      expect(userRow(sim, erpName)).to.include({ Alias: erpBefore.Alias, TimeZoneSidKey: 'GMT', Email: 'erp.integration@demo.sim.invalid', ProfileId: older.Id });
      expect(assigned(sim, erpName)).to.include('Integration_Erp');
      expect(hasPsl(sim, 'billing.integration@demo.sim.uat')).to.equal(true);

      sim.resetRequests();
      const second = await apply(desired, { runningUsername: sim.username });
      expect(second.outcome, JSON.stringify(second.plan.filter((a) => a.op !== 'unchanged' && a.op !== 'orphaned'))).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);

      // --repair-emails once: the changes wait for their verification; the next run sends nothing
      const repair = await apply(desired, { runningUsername: sim.username, repairEmails: true });
      expect(repair.done.map((d) => `${d.kind} ${d.subject}`)).to.deep.equal([`repairEmail ${erpName}`, 'repairEmail dormant.integration@demo.sim.uat']);
      expect(sim.pendingEmail(erpName)).to.equal('erp.integration@demo.sim');
      sim.resetRequests();
      expect((await apply(desired, { runningUsername: sim.username })).outcome).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);
    });

    it('DUPLICATE_USERNAME in a sandbox says it can be transient for a day or two after a refresh', async () => {
      // a username still held by the production copy being refreshed (Salesforce says this can last a day or two)
      sim.store.takenUsernames.add('late.integration@demo.sim.uat');
      const result = await apply(desiredOf({ ...manifest, apps: [{ name: 'late' }] }), { runningUsername: sim.username });
      const failed = result.notDone.find((d) => d.kind === 'createUser');
      expect(failed?.code, JSON.stringify(result)).to.equal('DUPLICATE_USERNAME');
      expect(failed?.reason).to.match(/sandbox refreshed within the last day or two this can be transient/);
    });
  });
});
