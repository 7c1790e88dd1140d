/*
 * One External Client App per integration, through the real sf as a user types the commands: audit names the manifest
 * app's user that no OAuth client is bound to; `sf integration generate` writes the app's four components; `sf project
 * deploy start` deploys them; the audit then reads the app back from the org bound to its user; `sf integration apply`
 * converges and a second apply sends no write. The simulated org's consumer secret never appears in any output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeRun, useE2eSession, type SimRequest } from './harness.js';

type AuditJson = { findings: Array<{ ruleId: string; subject: { kind: string; name: string } }> };
type ApplyJson = { outcome: string };

const SOAP_READS = new Set(['readMetadata', 'listMetadata', 'describeMetadata', 'checkDeployStatus']);
const writes = (requests: SimRequest[]): SimRequest[] =>
  requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/__sim') && !(r.soapCall && SOAP_READS.has(r.soapCall)));

const ERP_USER = 'erp.integration@demo.sim';
const manifest = {
  version: 1,
  profile: { license: 'integration' },
  defaults: { email: 'sf-admins@demo.sim' },
  apps: [
    {
      name: 'erp',
      label: 'ERP Sync',
      description: 'Orders from SAP',
      user: { username: ERP_USER },
      permissionSet: { objects: { Account: ['read'] } },
      oauth: { flow: 'client-credentials', scopes: ['api'] },
    },
  ],
};

describe('e2e: External Client App per integration (generate → deploy → audit → apply)', () => {
  const session = useE2eSession();
  let project: string;
  let manifestPath: string;

  before(() => {
    project = join(session().workDir, 'eca-project');
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'eca', sourceApiVersion: '66.0' }, null, 2)
    );
    manifestPath = join(project, 'integration.json');
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  });

  const oauthFindings = async (): Promise<AuditJson['findings']> => {
    const run = await session().sf<AuditJson>(['integration', 'audit', '-o', session().alias, '-f', manifestPath, '--json'], { cwd: project });
    expect([0, 1], describeRun(run)).to.include(run.exitCode);
    return run.json!.result!.findings.filter((f) => f.ruleId.startsWith('IU-OAUTH-'));
  };

  it('before the app exists, audit reports the manifest app user without an OAuth client (IU-OAUTH-003)', async () => {
    const findings = await oauthFindings();
    expect(findings.some((f) => f.ruleId === 'IU-OAUTH-003' && f.subject.name === ERP_USER), JSON.stringify(findings)).to.equal(true);
  });

  it('generate writes the four components in their source-format folders, bound to the app user', async () => {
    const outputDir = join(project, 'force-app', 'main', 'default');
    const run = await session().sf(['integration', 'generate', '-f', manifestPath, '--output-dir', outputDir], { cwd: project });
    expect(run.exitCode, describeRun(run)).to.equal(0);
    const policies = join(outputDir, 'extlClntAppOauthPolicies', 'Integration_Erp_oauthPlcy.ecaOauthPlcy-meta.xml');
    for (const file of [
      join(outputDir, 'externalClientApps', 'Integration_Erp.eca-meta.xml'),
      join(outputDir, 'extlClntAppOauthSettings', 'Integration_Erp_oauth.ecaOauth-meta.xml'),
      join(outputDir, 'extlClntAppGlobalOauthSets', 'Integration_Erp_glbloauth.ecaGlblOauth-meta.xml'),
      policies,
    ]) {
      expect(existsSync(file), `${file}\n${describeRun(run)}`).to.equal(true);
    }
    expect(readFileSync(policies, 'utf8')).to.include(`<clientCredentialsFlowUser>${ERP_USER}</clientCredentialsFlowUser>`);
  });

  it('sf project deploy start deploys them; the audit then finds the app bound to its user', async () => {
    const deploy = await session().sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', session().alias], { cwd: project });
    expect(deploy.exitCode, describeRun(deploy)).to.equal(0);
    expect(deploy.stdout, describeRun(deploy)).to.include('Integration_Erp_oauthPlcy');
    const findings = await oauthFindings();
    expect(findings.filter((f) => f.subject.name === ERP_USER), JSON.stringify(findings)).to.deep.equal([]);
  });

  it('apply converges, and a second apply sends no write; no consumer secret is printed', async () => {
    const first = await session().sf<ApplyJson>(['integration', 'apply', '-o', session().alias, '-f', manifestPath, '--json'], { cwd: project });
    expect(first.exitCode, describeRun(first)).to.equal(0);
    await session().resetSimRequests();
    const again = await session().sf<ApplyJson>(['integration', 'apply', '-o', session().alias, '-f', manifestPath, '--json'], { cwd: project });
    expect(again.exitCode, describeRun(again)).to.equal(0);
    expect(again.json?.result?.outcome).to.equal('converged');
    expect(writes(await session().simRequests())).to.deep.equal([]);
    for (const run of [first, again]) {
      // the simulated org's global OAuth settings hold this made-up secret (test/simulator/metadata/externalClientApps.ts)
      expect(run.stdout + run.stderr).not.to.include('SIMULATED-SECRET-never-read');
      expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);
    }
  });
});
