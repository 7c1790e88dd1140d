/*
 * apply states the TARGET ORG's user permissions in the profile: on an org without twenty industry permissions of the
 * bundled describe it converges; a name the org's deploy rejects although its describe lists it is dropped and the
 * deploy sent once more, saying so; any other failure is not retried.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { runApply } from '../../src/plan/apply.js';
import { INDUSTRY_USER_PERMISSIONS, OrgSimulator, demoOrgFixture, plainEditionOrgFixture, type Row } from '../simulator/index.js';
import { connectionTo } from './helpers.js';
import { FAST_RETRY, demoManifest, desiredOf, writeRequests } from './applyHelpers.js';

const enabled = (row: Row): string[] =>
  Object.keys(row)
    .filter((key) => key.startsWith('Permissions') && row[key] === true)
    .map((key) => key.slice('Permissions'.length))
    .sort();

describe('apply: the profile states the org\'s own permission names (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let conn: Connection;
  afterEach(async () => sim?.stop());

  const desired = desiredOf(demoManifest(['alpha'], { profile: { license: 'salesforce' } }));
  const deploys = (): number => sim.requests.filter((r) => r.soapCall === 'deploy').length;
  const profileRow = (): Row => sim.store.rows('Profile').find((p) => p.Name === 'Integration API Only') as Row;

  it('an org without twenty industry permissions: the profile deploys, and a permission granted by hand is switched off by name', async () => {
    sim = await OrgSimulator.start({ fixture: plainEditionOrgFixture() });
    conn = await connectionTo(sim);
    for (const name of INDUSTRY_USER_PERMISSIONS) expect(sim.store.schema.field('PermissionSet', `Permissions${name}`), name).to.equal(undefined);
    const first = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
    expect(deploys()).to.equal(1);
    expect(enabled(profileRow())).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);

    // ViewSetup is not among the offline (portable) names: only the org's own list can switch it off.
    const owned = sim.store.rows('PermissionSet').find((p) => p.IsOwnedByProfile === true && p.ProfileId === profileRow().Id) as Row;
    for (const id of [profileRow().Id, owned.Id]) sim.store.update(String(id), { PermissionsViewSetup: true });
    const second = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(second.outcome, JSON.stringify(second.notDone)).to.equal('applied');
    expect(second.done.map((d) => d.kind)).to.deep.equal(['deployProfile']);
    expect(enabled(profileRow())).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    expect(enabled(sim.store.get(String(owned.Id))?.row as Row)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);

    const before = writeRequests(sim);
    const third = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(third.outcome).to.equal('converged');
    expect(writeRequests(sim)).to.equal(before);
  });

  it('a permission the deploy rejects although the describe lists it: dropped from the profile, deployed once more, and said', async () => {
    sim = await OrgSimulator.start({ fixture: { ...demoOrgFixture(), metadataUnknownUserPermissions: ['AccessCMC'] } });
    conn = await connectionTo(sim);
    const progress: string[] = [];
    const result = await runApply({ conn, desired, retry: FAST_RETRY, onProgress: (message) => progress.push(message) });
    expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
    expect(deploys()).to.equal(2);
    const profileDone = result.done.find((d) => d.kind === 'deployProfile');
    expect(profileDone?.note).to.include('AccessCMC');
    expect(progress.join('\n')).to.include('AccessCMC');
    expect(enabled(profileRow())).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    expect(sim.store.rows('User').some((u) => u.Username === 'alpha.int@apply-test.example')).to.equal(true);
  });

  it('a rejected GRANTED permission is not dropped: one deploy, reported failed, nothing else written', async () => {
    sim = await OrgSimulator.start({ fixture: { ...demoOrgFixture(), metadataUnknownUserPermissions: ['ApiUserOnly'] } });
    conn = await connectionTo(sim);
    const result = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(result.outcome).to.equal('failed');
    expect(deploys()).to.equal(1);
    expect(result.notDone.find((n) => n.kind === 'deployProfile')?.reason).to.include('ApiUserOnly');
    expect(sim.store.rows('Profile').some((p) => p.Name === 'Integration API Only')).to.equal(false);
  });
});
