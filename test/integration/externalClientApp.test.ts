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
import { ecaComponents, findEca, type EcaType } from '../simulator/metadata/externalClientApps.js';
import { runAuditPipeline } from '../../src/audit/pipeline.js';
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

describe('External Client App: audit (org simulator and directory)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  const put = (store: OrgSimulator['store'], type: EcaType, fullName: string, content: Record<string, string>): void => {
    ecaComponents(store).set(`${type}:${fullName.toLowerCase()}`, { type, fullName, id: `0xI${fullName}`, content, createdDate: '', lastModifiedDate: '' });
  };
  const app = (store: OrgSimulator['store'], name: string, runAs: string, scopes: string): void => {
    put(store, 'ExternalClientApplication', name, { label: name, distributionState: 'Local' });
    put(store, 'ExtlClntAppOauthSettings', `${name}_oauth`, { externalClientApplication: name, commaSeparatedOauthScopes: scopes });
    put(store, 'ExtlClntAppOauthConfigurablePolicies', `${name}_oauthPlcy`, {
      externalClientApplication: name,
      isClientCredentialsFlowEnabled: 'true',
      clientCredentialsFlowUser: runAs,
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    });
  };

  it('org: flags a human run-as user, a run-as user shared by two apps, full scope without justification, and integration users with no client', async () => {
    const started = await OrgSimulator.start();
    sim = started;
    app(started.store, 'Human_App', 'sally.sales@demo.sim', 'Api');
    app(started.store, 'Shared_A', 'erp.integration@demo.sim', 'Api,Full');
    app(started.store, 'Shared_B', 'erp.integration@demo.sim', 'Api');
    const conn = await connectionTo(started);
    const run = await runAuditPipeline({ target: { kind: 'org', connection: conn }, cwd: process.cwd(), threshold: 'info' });
    const found = (ruleId: string): string[] => run.result.findings.filter((f) => f.ruleId === ruleId).map((f) => f.subject.name).sort();
    expect(found('IU-OAUTH-001')).to.deep.equal(['Human_App']);
    expect(found('IU-OAUTH-002')).to.deep.equal(['erp.integration@demo.sim']);
    expect(found('IU-OAUTH-004')).to.deep.equal(['Shared_A']);
    expect(run.result.notEvaluated.map((n) => n.ruleId)).to.not.include('IU-OAUTH-001');
    expect(run.result.notEvaluated.map((n) => n.ruleId)).to.include('IU-OAUTH-003'); // needs --manifest

    // with a manifest: the ERP app's user is bound (it runs Shared_A); the marketing app's user has no client
    const manifestPath = join(tmpdir(), `eca-audit-${process.pid}.json`);
    await writeFile(
      manifestPath,
      JSON.stringify({
        version: 1,
        defaults: { email: 'x@demo.sim' },
        apps: [
          { name: 'erp', user: { username: 'erp.integration@demo.sim' } },
          { name: 'marketing', user: { username: 'marketing.integration@demo.sim' } },
        ],
      })
    );
    const withManifest = await runAuditPipeline({ target: { kind: 'org', connection: conn }, cwd: process.cwd(), threshold: 'info', definitionFile: manifestPath });
    await rm(manifestPath, { force: true });
    expect(withManifest.result.findings.filter((f) => f.ruleId === 'IU-OAUTH-003').map((f) => f.subject.name)).to.deep.equal(['marketing.integration@demo.sim']);
    expect(JSON.stringify(run.result)).to.not.include('SIMULATED-SECRET');
  });

  it('directory: the same rules on metadata files; a justified full scope in the manifest is not reported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sfi-eca-dir-'));
    try {
      const base = join(dir, 'force-app', 'main', 'default');
      const manifestPath = join(dir, 'integration.json');
      const manifest = manifestFor('erp.integration@demo.sim', { flow: 'client-credentials', scopes: ['api', 'full'], justification: 'Reads metadata through the Tooling API.' }) as Manifest;
      manifest.apps.push({ name: 'crm', user: { username: 'crm.integration@demo.sim' }, oauth: { flow: 'client-credentials', scopes: ['api', 'refresh_token'], justification: 'Long-running sync.' } });
      await writeFile(manifestPath, JSON.stringify(manifest));
      await generateIntegrationMetadata({ manifestPath, outputDir: base });
      // a hand-written app that runs as the ERP user too
      await writeFile(
        join(base, 'externalClientApps', 'Other.eca-meta.xml'),
        '<?xml version="1.0" encoding="UTF-8"?><ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata"><label>Other</label></ExternalClientApplication>'
      );
      await writeFile(
        join(base, 'extlClntAppOauthPolicies', 'Other_oauthPlcy.ecaOauthPlcy-meta.xml'),
        '<?xml version="1.0" encoding="UTF-8"?><ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata"><clientCredentialsFlowUser>erp.integration@demo.sim</clientCredentialsFlowUser><externalClientApplication>Other</externalClientApplication><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled></ExtlClntAppOauthConfigurablePolicies>'
      );
      // the audit's manifest no longer justifies the crm app's refresh_token
      const auditManifest = join(dir, 'audit.json');
      delete manifest.apps[1].oauth!.justification;
      manifest.apps[1].oauth!.scopes = ['api'];
      await writeFile(auditManifest, JSON.stringify(manifest));
      const run = await runAuditPipeline({ target: { kind: 'directory', path: join(dir, 'force-app') }, cwd: dir, threshold: 'info', definitionFile: auditManifest });
      const found = (ruleId: string): string[] => run.result.findings.filter((f) => f.ruleId === ruleId).map((f) => f.subject.name).sort();
      const shared = run.result.findings.filter((f) => f.ruleId === 'IU-OAUTH-002');
      expect(shared.map((f) => f.message)).to.deep.equal(['erp.integration@demo.sim is the client credentials run-as user of several apps: Integration_Erp, Other']);
      expect(found('IU-OAUTH-004')).to.deep.equal(['Integration_Crm']);
      expect(run.result.notEvaluated.map((n) => n.ruleId)).to.include('IU-OAUTH-001'); // no users in a directory
      expect(run.result.findings.find((f) => f.ruleId === 'IU-OAUTH-004')?.subject.filePath).to.match(/extlClntAppOauthPolicies/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
