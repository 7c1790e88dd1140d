/* apply under failure: a username taken in another org, transient and persistent faults mid-apply, and the call budget. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Apply from '../../src/commands/integration/apply.js';
import type { Manifest } from '../../src/manifest/types.js';
import { runApply } from '../../src/plan/apply.js';
import { OrgSimulator } from '../simulator/index.js';
import { connectionTo, isolateCliEnv } from './helpers.js';
import { FAST_RETRY, assigned, demoManifest, desiredOf, userRow, writeRequests } from './applyHelpers.js';

describe('apply under failure (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let conn: Connection;

  beforeEach(async () => {
    sim = await OrgSimulator.start();
    conn = await connectionTo(sim);
  });
  afterEach(async () => sim.stop());

  it('retries a 503 and an UNABLE_TO_LOCK_ROW on a Collections call, and finishes', async () => {
    sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/composite/sobjects' }, status: 503, errorCode: 'SERVER_UNAVAILABLE' });
    sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/composite/sobjects' }, status: 400, errorCode: 'UNABLE_TO_LOCK_ROW' });
    const result = await runApply({ conn, desired: desiredOf(demoManifest(['alpha', 'beta'])), retry: FAST_RETRY });
    expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
    const collectionPosts = sim.requests.filter((r) => r.method === 'POST' && r.path.includes('/composite/sobjects'));
    // users: 503 (whole call, retried), then 200 with a per-record UNABLE_TO_LOCK_ROW (those records sent again), then 200;
    // then the PSL and permission set assignments
    expect(collectionPosts.map((r) => r.status)).to.deep.equal([503, 200, 200, 200, 200]);
    expect(result.done.filter((d) => d.kind === 'createUser')).to.have.length(2);
    expect(assigned(sim, 'beta.int@apply-test.example')).to.deep.equal(['Integration_Beta']);
  });

  it('a persistent fault after the deploy: partial success, what was and was not done is listed, and a re-run converges', async () => {
    const desired = desiredOf(demoManifest(['alpha', 'beta']));
    sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/composite/sobjects' }, times: 50, status: 503, errorCode: 'SERVER_UNAVAILABLE' });
    const first = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(first.outcome).to.equal('partial');
    expect(first.done.map((d) => `${d.kind} ${d.subject}`)).to.deep.equal(['deployPermissionSet Integration_Alpha', 'deployPermissionSet Integration_Beta']);
    expect(first.notDone.map((d) => `${d.kind} ${d.code}`)).to.deep.equal([
      'createUser SERVER_UNAVAILABLE',
      'createUser SERVER_UNAVAILABLE',
      'assignPermissionSetLicense NOT_ATTEMPTED',
      'assignPermissionSetLicense NOT_ATTEMPTED',
      'assignPermissionSet NOT_ATTEMPTED',
      'assignPermissionSet NOT_ATTEMPTED',
    ]);
    // a 503 may hide a committed create: the users were looked up by username, found missing, sent once more, then left
    expect(first.notDone[0].reason).to.match(/may have written it .*run apply again/);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path.includes('/composite/sobjects')).map((r) => r.status)).to.deep.equal([503, 503]);
    expect(userRow(sim, 'alpha.int@apply-test.example')).to.equal(undefined);

    sim.clearFaults();
    const second = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(second.outcome, JSON.stringify(second.notDone)).to.equal('applied');
    // the permission sets were already deployed: the re-run does only what is missing
    expect(second.plan.filter((a) => a.kind === 'deployPermissionSet').map((a) => a.op)).to.deep.equal(['unchanged', 'unchanged']);
    expect(sim.requestCount({ soapCall: 'deploy' })).to.equal(1);
    sim.resetRequests();
    const third = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(third.outcome).to.equal('converged');
    expect(writeRequests(sim)).to.equal(0);
  });

  describe('a write committed before its response was lost', () => {
    const usersPosts = (): number[] => sim.requests.filter((r) => r.method === 'POST' && r.path.includes('/composite/sobjects')).map((r) => r.status);
    const userCount = (username: string): number => sim.store.rows('User').filter((u) => String(u.Username).toLowerCase() === username).length;

    it('creates: re-reads the users by username and never creates one twice', async () => {
      sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/composite/sobjects' }, status: 503, errorCode: 'SERVER_UNAVAILABLE', afterCommit: true });
      const result = await runApply({ conn, desired: desiredOf(demoManifest(['alpha', 'beta'])), retry: FAST_RETRY });
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      const created = result.done.filter((d) => d.kind === 'createUser');
      expect(created.map((d) => d.subject)).to.deep.equal(['alpha.int@apply-test.example', 'beta.int@apply-test.example']);
      expect(created[0].note).to.match(/found by re-reading the org; not sent again/);
      expect(created[0].id).to.equal(String(userRow(sim, 'alpha.int@apply-test.example')!.Id));
      // users (lost answer, not resent), PSL assignments, permission set assignments
      expect(usersPosts()).to.deep.equal([503, 200, 200]);
      expect(sim.requests.some((r) => r.soql?.includes('FROM User WHERE Username IN'))).to.equal(true);
      expect(userCount('alpha.int@apply-test.example')).to.equal(1);
      expect(assigned(sim, 'beta.int@apply-test.example')).to.deep.equal(['Integration_Beta']);
    });

    it('assignments: re-reads each by its user and set, and sends none again', async () => {
      // the third Collections POST is the permission set assignments
      sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/composite/sobjects' }, skip: 2, status: 500, errorCode: 'SERVER_UNAVAILABLE', afterCommit: true });
      const result = await runApply({ conn, desired: desiredOf(demoManifest(['alpha'])), retry: FAST_RETRY });
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(result.done.find((d) => d.kind === 'assignPermissionSet')!.note).to.match(/found by re-reading/);
      expect(usersPosts()).to.deep.equal([200, 200, 500]);
      expect(sim.store.rows('PermissionSetAssignment').filter((a) => a.AssigneeId === userRow(sim, 'alpha.int@apply-test.example')!.Id)).to.have.length(1);
    });

    it('a lost create that did not happen is sent once more after the re-read', async () => {
      sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/composite/sobjects' }, status: 503, errorCode: 'SERVER_UNAVAILABLE' });
      const result = await runApply({ conn, desired: desiredOf(demoManifest(['alpha'])), retry: FAST_RETRY });
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(usersPosts()).to.deep.equal([503, 200, 200, 200]);
      expect(result.done.find((d) => d.kind === 'createUser')!.note).to.equal(undefined);
      expect(userCount('alpha.int@apply-test.example')).to.equal(1);
    });

    it('a polling error asks again about the same deploy: the deploy is sent once', async () => {
      sim.injectFault({ kind: 'http', match: { soapCall: 'checkDeployStatus' }, times: 2, status: 500, errorCode: 'SERVER_UNAVAILABLE' });
      const result = await runApply({ conn, desired: desiredOf(demoManifest(['alpha'])), retry: FAST_RETRY });
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(sim.requestCount({ soapCall: 'deploy' })).to.equal(1);
      expect(sim.requests.filter((r) => r.soapCall === 'checkDeployStatus').map((r) => r.status).slice(0, 2)).to.deep.equal([500, 500]);
    });

    it('a deploy request lost after it may have been queued is not sent again, and nothing else is written; a re-run converges', async () => {
      sim.injectFault({ kind: 'http', match: { soapCall: 'deploy' }, status: 503, errorCode: 'SERVER_UNAVAILABLE', afterCommit: true });
      const desired = desiredOf(demoManifest(['alpha']));
      const first = await runApply({ conn, desired, retry: FAST_RETRY });
      expect(first.outcome).to.equal('failed');
      expect(first.notDone[0]).to.deep.include({ kind: 'deployPermissionSet', code: 'SERVER_UNAVAILABLE' });
      expect(first.notDone[0].reason).to.match(/may have queued it.*not sent again/);
      expect(sim.requestCount({ soapCall: 'deploy' })).to.equal(1);
      expect(usersPosts()).to.deep.equal([]);
      const second = await runApply({ conn, desired, retry: FAST_RETRY });
      expect(second.outcome, JSON.stringify(second.notDone)).to.equal('applied');
      sim.resetRequests();
      expect((await runApply({ conn, desired, retry: FAST_RETRY })).outcome).to.equal('converged');
      expect(writeRequests(sim)).to.equal(0);
    });

    it('updates: re-reads the fields and does not send them again', async () => {
      const desired = desiredOf(demoManifest(['alpha']));
      await runApply({ conn, desired, retry: FAST_RETRY });
      const alpha = userRow(sim, 'alpha.int@apply-test.example')!;
      sim.store.update(String(alpha.Id), { IsActive: false });
      sim.resetRequests();
      sim.injectFault({ kind: 'http', match: { method: 'PATCH', pathIncludes: '/composite/sobjects' }, status: 502, errorCode: 'ERROR_HTTP_502', afterCommit: true });
      const result = await runApply({ conn, desired, retry: FAST_RETRY });
      expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
      expect(result.done.find((d) => d.kind === 'reactivateUser')!.note).to.match(/found by re-reading/);
      expect(sim.requestCount({ method: 'PATCH', pathIncludes: '/composite/sobjects' })).to.equal(1);
      expect(userRow(sim, 'alpha.int@apply-test.example')!.IsActive).to.equal(true);
    });
  });

  it('a failed deploy is rolled back and nothing else is written', async () => {
    sim.injectFault({ kind: 'deployFailure', component: 'Integration_Beta', problem: 'In field: field - no CustomField named Lead.Nope found' });
    let error: Error & { data?: { notDone: Array<{ code: string }>; done: unknown[] } } = new Error('none');
    sim.resetRequests();
    try {
      const result = await runApply({ conn, desired: desiredOf(demoManifest(['alpha', 'beta'])), retry: FAST_RETRY });
      expect.fail(`expected a failure, got ${result.outcome}`);
    } catch (e) {
      error = e as typeof error;
    }
    // runApply returns outcome failed; only the command turns it into an error, so check the engine result instead
    expect(error.message).to.match(/expected a failure, got failed/);
    expect(sim.requestCount({ method: 'POST', pathIncludes: '/composite/sobjects' })).to.equal(0);
    expect(userRow(sim, 'alpha.int@apply-test.example')).to.equal(undefined);
  });

  it('takes the same number of requests for 10 and 50 apps (one deploy, a constant number of Collections calls)', async () => {
    const counts: Record<number, { total: number; collections: number; deploys: number }> = {};
    for (const n of [10, 50]) {
      // eslint-disable-next-line no-await-in-loop -- one simulator at a time
      const fresh = await OrgSimulator.start();
      try {
        // eslint-disable-next-line no-await-in-loop
        const c = await connectionTo(fresh);
        const apps = Array.from({ length: n }, (_, i) => `app${i}`);
        // eslint-disable-next-line no-await-in-loop
        const result = await runApply({ conn: c, desired: desiredOf(demoManifest(apps)), retry: FAST_RETRY });
        expect(result.outcome, JSON.stringify(result.notDone.slice(0, 3))).to.equal('applied');
        expect(result.done.filter((d) => d.kind === 'createUser')).to.have.length(n);
        counts[n] = {
          total: fresh.requests.length,
          collections: fresh.requestCount({ pathIncludes: '/composite/sobjects' }),
          deploys: fresh.requestCount({ soapCall: 'deploy' }),
        };
      } finally {
        // eslint-disable-next-line no-await-in-loop
        await fresh.stop();
      }
    }
    expect(counts[10], JSON.stringify(counts)).to.deep.equal(counts[50]);
    expect(counts[50].deploys).to.equal(1);
    expect(counts[50].collections).to.equal(3); // users, PSL assignments, permission set assignments
  });

  describe('the command', () => {
    let restore: () => void;
    let dir: string;
    let sandbox: sinon.SinonSandbox;
    const writeManifest = (manifest: Manifest): string => {
      const path = join(dir, 'integration.json');
      writeFileSync(path, JSON.stringify(manifest, null, 2));
      return path;
    };
    beforeEach(() => {
      restore = isolateCliEnv(sim);
      dir = mkdtempSync(join(tmpdir(), 'apply-cmd-'));
      sandbox = sinon.createSandbox();
      stubSfCommandUx(sandbox);
    });
    afterEach(() => {
      sandbox.restore();
      restore();
      rmSync(dir, { recursive: true, force: true });
      process.exitCode = undefined;
    });

    it('a username taken in another org: named per-record error, the other apps done, exit 68; fixing the username converges', async () => {
      const manifest = demoManifest(['taken', 'alpha'], { defaults: { username: '{app}.integration@acme.example', email: 'ops@acme.example' } });
      const file = writeManifest(manifest);
      const first = await Apply.run(['-o', sim.accessToken, '-f', file, '--json']);
      expect(first.outcome).to.equal('partial');
      expect(process.exitCode).to.equal(68);
      const failed = first.notDone.find((d) => d.kind === 'createUser')!;
      expect(failed.code).to.equal('DUPLICATE_USERNAME');
      expect(failed.reason).to.include('taken.integration@acme.example');
      expect(failed.reason).to.match(/apps\[\]\.user\.username.*"taken".*defaults\.username/);
      expect(assigned(sim, 'alpha.integration@acme.example')).to.deep.equal(['Integration_Alpha']);

      process.exitCode = undefined;
      manifest.apps[0].user = { username: 'taken.integration.2@acme.example' };
      writeManifest(manifest);
      const second = await Apply.run(['-o', sim.accessToken, '-f', file, '--json']);
      expect(second.outcome, JSON.stringify(second.notDone)).to.equal('applied');
      expect(process.exitCode ?? 0).to.equal(0);
      const third = await Apply.run(['-o', sim.accessToken, '-f', file, '--json']);
      expect(third.outcome).to.equal('converged');
    });

    it('--dry-run prints the plan and writes nothing', async () => {
      const file = writeManifest(demoManifest(['alpha']));
      sim.resetRequests();
      const result = await Apply.run(['-o', sim.accessToken, '-f', file, '--dry-run']);
      expect(result.outcome).to.equal('planned');
      expect(result.dryRun).to.equal(true);
      expect(writeRequests(sim)).to.equal(0);
    });
  });
});
