/*
 * External Client Apps against the org simulator: generated files deployed with source-deploy-retrieve bind the app
 * to its integration user; the simulator refuses a run-as user that is missing or not API-only, as the Metadata API
 * reference requires.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, ComponentStatus } from '@salesforce/source-deploy-retrieve';
import { generateIntegrationMetadata } from '../../src/metadata/index.js';
import { MANAGED_MARKER } from '../../src/manifest/constants.js';
import { OrgSimulator } from '../simulator/index.js';
import { findEca } from '../simulator/metadata/externalClientApps.js';
import { runApply } from '../../src/plan/apply.js';
import type { Manifest } from '../../src/manifest/types.js';
import { connectionTo } from './helpers.js';
import { FAST_RETRY, desiredOf, setRow, userRow, writeRequests } from './applyHelpers.js';

type DeployOutcome = { status: string; failures: Array<{ fullName: string; problem: string }> };

async function deploy(projectDir: string, connection: Connection): Promise<DeployOutcome> {
  const operation = await ComponentSet.fromSource(join(projectDir, 'force-app')).deploy({ usernameOrConnection: connection });
  const result = await operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(60) });
  return {
    status: String(result.response.status),
    failures: result
      .getFileResponses()
      .filter((response) => response.state === ComponentStatus.Failed)
      .map((response) => ({ fullName: response.fullName, problem: 'error' in response ? String(response.error) : '' })),
  };
}

const manifestFor = (username: string, oauth: Record<string, unknown> = { flow: 'client-credentials' }): unknown => ({
  version: 1,
  profile: { license: 'integration' },
  defaults: { email: 'sf-admins@demo.sim' },
  apps: [{ name: 'erp', label: 'ERP Sync', description: 'Orders from SAP', user: { username }, permissionSet: { objects: { Account: ['read'] } }, oauth }],
});

describe('External Client App: generate → deploy to the org simulator', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let connection: Connection;
  let projectDir: string;

  beforeEach(async () => {
    sim = await OrgSimulator.start();
    connection = await connectionTo(sim);
    projectDir = await mkdtemp(join(tmpdir(), 'sfi-eca-'));
    await writeFile(join(projectDir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' }));
  });
  afterEach(async () => {
    await sim.stop();
    await rm(projectDir, { recursive: true, force: true });
  });

  const generate = async (manifest: unknown): Promise<void> => {
    const manifestPath = join(projectDir, 'integration.json');
    await writeFile(manifestPath, JSON.stringify(manifest));
    await generateIntegrationMetadata({ manifestPath, outputDir: join(projectDir, 'force-app', 'main', 'default') });
  };

  it('the org holds the app, bound to its API-only integration user, with its scopes and policies', async () => {
    await generate(manifestFor('erp.integration@demo.sim'));
    const outcome = await deploy(projectDir, connection);
    expect(outcome.failures).to.deep.equal([]);
    expect(outcome.status).to.equal('Succeeded');

    const header = findEca(sim.store, 'ExternalClientApplication', 'Integration_Erp');
    expect(header?.content).to.include({ label: 'ERP Sync', distributionState: 'Local' });
    expect(String(header?.content.description)).to.include(MANAGED_MARKER);
    const policies = findEca(sim.store, 'ExtlClntAppOauthConfigurablePolicies', 'Integration_Erp_oauthPlcy');
    expect(policies?.content).to.include({
      clientCredentialsFlowUser: 'erp.integration@demo.sim',
      externalClientApplication: 'Integration_Erp',
      isClientCredentialsFlowEnabled: 'true',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      ipRelaxationPolicyType: 'Enforce',
    });
    expect(findEca(sim.store, 'ExtlClntAppOauthSettings', 'Integration_Erp_oauth')?.content.commaSeparatedOauthScopes).to.equal('Api');
    expect(findEca(sim.store, 'ExtlClntAppGlobalOauthSettings', 'Integration_Erp_glbloauth')?.content.isClientCredentialsFlowEnabled).to.equal('true');
  });

  it('a run-as user without API Only fails the policies, and with rollbackOnError nothing of the app is saved', async () => {
    await generate(manifestFor('sally.sales@demo.sim'));
    const outcome = await deploy(projectDir, connection);
    expect(outcome.status).to.equal('Failed');
    expect(outcome.failures.map((f) => f.fullName)).to.deep.equal(['Integration_Erp_oauthPlcy']);
    expect(outcome.failures[0].problem).to.include('API Only');
    expect(findEca(sim.store, 'ExternalClientApplication', 'Integration_Erp')).to.equal(undefined);
  });

  it('a run-as user that does not exist yet fails the policies (deploy them after the users exist)', async () => {
    await generate(manifestFor('nobody.integration@demo.sim'));
    const outcome = await deploy(projectDir, connection);
    expect(outcome.failures.map((f) => f.fullName)).to.deep.equal(['Integration_Erp_oauthPlcy']);
    expect(outcome.failures[0].problem).to.include('nobody.integration@demo.sim');
  });
});

describe('External Client App: apply (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let conn: Connection;
  beforeEach(async () => {
    sim = await OrgSimulator.start();
    conn = await connectionTo(sim);
  });
  afterEach(async () => sim.stop());

  const soapCalls = (call: string): number => sim.requests.filter((r) => r.soapCall === call).length;

  it('an existing integration user: the app goes with the first deploy, bound to the user and pre-authorised by the set id; a re-run plans nothing', async () => {
    const desired = desiredOf(manifestFor('erp.integration@demo.sim') as Manifest);
    const first = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
    const action = first.plan.find((a) => a.kind === 'deployExternalClientApp');
    expect(action).to.deep.include({ op: 'create', subject: 'Integration_Erp' });
    expect(action?.kind === 'deployExternalClientApp' && action.details.phase).to.equal('withMetadata');
    expect(action?.reason).to.include('Consumer Key and Secret');
    expect(soapCalls('deploy'), 'one deploy').to.equal(1);
    const policies = findEca(sim.store, 'ExtlClntAppOauthConfigurablePolicies', 'Integration_Erp_oauthPlcy');
    expect(policies?.content).to.include({
      clientCredentialsFlowUser: 'erp.integration@demo.sim',
      commaSeparatedPermissionSet: String(setRow(sim, 'Integration_Erp')?.Id),
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    });
    // the org generated a consumer secret; nothing the plugin returns contains it
    expect(JSON.stringify(first)).to.not.include('SIMULATED-SECRET');

    sim.requests.length = 0;
    const second = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(second.outcome).to.equal('converged');
    expect(second.plan.find((a) => a.kind === 'deployExternalClientApp')?.op).to.equal('unchanged');
    expect(writeRequests(sim)).to.equal(0);
    // header, OAuth settings and policies are read; the global settings (which carry the secret) are only listed
    expect(soapCalls('readMetadata')).to.equal(4); // 3 ECA types + the profile login IP ranges
    expect(JSON.stringify(second)).to.not.include('SIMULATED-SECRET');
  });

  it('a new user: the plan says the app is deployed after the users; the second deploy binds it; then nothing to do', async () => {
    const desired = desiredOf(manifestFor('new.integration@demo.sim') as Manifest);
    const first = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
    const action = first.plan.find((a) => a.kind === 'deployExternalClientApp');
    expect(action?.kind === 'deployExternalClientApp' && action.details.phase).to.equal('afterUsers');
    expect(action?.reason).to.include('after the users');
    expect(soapCalls('deploy'), 'two deploys').to.equal(2);
    expect(userRow(sim, 'new.integration@demo.sim')).to.not.equal(undefined);
    expect(findEca(sim.store, 'ExtlClntAppOauthConfigurablePolicies', 'Integration_Erp_oauthPlcy')?.content.clientCredentialsFlowUser).to.equal('new.integration@demo.sim');

    const second = await runApply({ conn, desired, retry: FAST_RETRY });
    expect(second.outcome).to.equal('converged');
  });

  it('a changed scope list is an update; an app the manifest dropped is orphaned and left alone, also with --prune', async () => {
    await runApply({ conn, desired: desiredOf(manifestFor('erp.integration@demo.sim') as Manifest), retry: FAST_RETRY });
    const changed = desiredOf(manifestFor('erp.integration@demo.sim', { flow: 'client-credentials', scopes: ['api', 'chatter_api'] }) as Manifest);
    const update = await runApply({ conn, desired: changed, retry: FAST_RETRY, dryRun: true });
    const action = update.plan.find((a) => a.kind === 'deployExternalClientApp');
    expect(action?.op).to.equal('update');
    expect(action?.reason).to.include('scopes Api → Api,Chatter');

    const withoutOauth = manifestFor('erp.integration@demo.sim') as Manifest;
    withoutOauth.apps.push({ name: 'crm', user: { username: 'crm.new@demo.sim' }, oauth: { flow: 'client-credentials' } });
    delete withoutOauth.apps[0].oauth;
    const pruned = await runApply({ conn, desired: desiredOf(withoutOauth), retry: FAST_RETRY, prune: true, dryRun: true });
    expect(pruned.plan.filter((a) => a.subject === 'Integration_Erp' && a.kind !== 'deployPermissionSet').map((a) => `${a.kind}:${a.op}`)).to.deep.equal(['orphan:orphaned']);
    expect(findEca(sim.store, 'ExternalClientApplication', 'Integration_Erp')).to.not.equal(undefined);
  });
});
