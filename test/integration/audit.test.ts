/* `sf integration audit` run in-process against the org simulator's demo org (good and bad integration users). */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Audit, { type AuditResult } from '../../src/commands/integration/audit.js';
import type { Finding } from '../../src/rules/types.js';
import { OrgSimulator } from '../simulator/index.js';
import { isolateCliEnv } from './helpers.js';

const GOOD_USER = 'erp.integration@demo.sim';

/** rule id → subjects it reported. */
const subjectsByRule = (findings: Finding[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const f of findings) (out[f.ruleId] ??= []).push(f.subject.name);
  for (const list of Object.values(out)) list.sort();
  return out;
};

describe('integration audit (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let restoreEnv: () => void;
  let sandbox: sinon.SinonSandbox;
  let dir: string;

  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
    sim = await OrgSimulator.start();
    restoreEnv = isolateCliEnv(sim);
    dir = await mkdtemp(join(tmpdir(), 'audit-it-'));
    process.exitCode = undefined;
  });

  afterEach(async () => {
    sandbox.restore();
    restoreEnv();
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  it('names the org without its access token when -o is a token', async () => {
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    expect(JSON.stringify(result)).to.not.include(sim.accessToken.split('!')[1]);
  });

  it('each rule fires on the demo org bad integration users and never on the good one', async () => {
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    const byRule = subjectsByRule(result.findings);
    expect(byRule).to.deep.include({
      'IU-PRIV-001': ['legacy.admin.integration@demo.sim'],
      'IU-PRIV-002': ['legacy.admin.integration@demo.sim'],
      'IU-PRIV-003': ['legacy.admin.integration@demo.sim'],
      'IU-PRIV-004': ['legacy.admin.integration@demo.sim'],
      'IU-PRIV-005': ['legacy.admin.integration@demo.sim'],
      'IU-PRIV-006': ['legacy.admin.integration@demo.sim', 'nomfa.integration@demo.sim'],
      'IU-AUTH-003': ['nomfa.integration@demo.sim'],
      'IU-AUTH-005': ['nomfa.integration@demo.sim'],
      'IU-AUTH-006': ['Marketing API Profile', 'Minimum Access - API Only Integrations', 'Salesforce API Only System Integrations'],
      'IU-STRUCT-001': ['ERP API Profile', 'Marketing API Profile'],
      'IU-STRUCT-002': ['Demo Org'],
      'IU-STRUCT-003': ['ERP API Profile', 'Marketing API Profile'],
      'IU-STRUCT-004': ['Shared_Reporting', 'dormant.integration@demo.sim', 'never.integration@demo.sim', 'old.integration@demo.sim'],
      'IU-STRUCT-005': ['old.integration@demo.sim'],
      'IU-HYG-001': ['dormant.integration@demo.sim'],
      'IU-HYG-002': ['old.integration@demo.sim'],
    });
    expect(result.findings.filter((f) => f.subject.name === GOOD_USER)).to.deep.equal([]);
    // Evidence names the holder, and users say how they were recognised.
    const priv002 = result.findings.find((f) => f.ruleId === 'IU-PRIV-002')!;
    expect(priv002.evidence.map((e) => e.holderName)).to.include.members(['System Administrator', 'Legacy_Integration_Admin']);
    expect(priv002.recognisedBy!.join(' ')).to.include('API_Only_Access');
    expect(result.notEvaluated.map((n) => n.ruleId)).to.deep.equal(['IU-PRIV-008', 'IU-OAUTH-003']); // both need --manifest
    expect(result.passed).to.equal(false);
    expect(process.exitCode).to.equal(1);
  });

  it('IU-HYG-001 on the frozen dormant user says it is frozen (one UserLogin query), with no load problem', async () => {
    sim.resetRequests();
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    const [dormant] = result.findings.filter((f) => f.ruleId === 'IU-HYG-001');
    expect(dormant.subject.name).to.equal('dormant.integration@demo.sim');
    expect(dormant.message).to.match(/has not logged in for \d+ days \(dormant after 90\)\. It is frozen \(UserLogin\.IsFrozen\): it cannot log in, but it is still active/);
    expect(dormant.evidence.map((e) => e.grants).join(' ')).to.include('frozen (UserLogin.IsFrozen)');
    expect(sim.requests.filter((r) => /FROM UserLogin\b/.test(r.soql ?? ''))).to.have.length(1);
    expect(result.loadProblems).to.deep.equal([]);
  });

  it('UserLogin refused: the audit still runs to its verdict, and says that frozen users are unknown', async () => {
    sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM UserLogin' }, times: 10, status: 403, errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' });
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    expect(result.passed).to.equal(false);
    expect(process.exitCode).to.equal(1); // the findings' verdict, not an audit that could not run (2)
    expect(subjectsByRule(result.findings)['IU-HYG-001']).to.deep.equal(['dormant.integration@demo.sim']);
    const dormant = result.findings.find((f) => f.ruleId === 'IU-HYG-001')!;
    expect(dormant.message).to.not.include('frozen');
    expect(result.loadProblems).to.have.length(1);
    expect(result.loadProblems[0].message).to.include('INSUFFICIENT_ACCESS_OR_READONLY').and.include('frozen users are unknown').and.include('"Manage Users"');
    expect(result.loadProblems[0].blocking).to.equal(undefined);
  });

  it('exit 0 when nothing reaches the threshold; suppressions from the project file are listed as suppressed', async () => {
    const config = join(dir, 'audit.json');
    await writeFile(config, JSON.stringify({ suppressions: [{ rule: 'IU-HYG-001', subject: 'dormant.integration@demo.sim', reason: 'Quarterly batch job' }], rules: { 'IU-PRIV-001': { severity: 'low' } } }));
    for (const user of sim.store.rows('User')) {
      if (['legacy.admin.integration@demo.sim', 'nomfa.integration@demo.sim'].includes(String(user.Username))) sim.store.update(String(user.Id), { IsActive: false });
    }
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json', '--config-file', config, '--severity-threshold', 'high']);
    expect(result.summary.critical + result.summary.high).to.equal(0);
    expect(result.passed).to.equal(true);
    expect(process.exitCode ?? 0).to.equal(0);
    expect(result.suppressed.map((f) => `${f.ruleId} ${f.subject.name} ${f.suppression.reason}`)).to.deep.equal(['IU-HYG-001 dormant.integration@demo.sim Quarterly batch job']);
  });

  it('IU-AUTH-002 fires when nothing grants API Enabled', async () => {
    const marketingProfile = sim.store.rows('Profile').find((p) => p.Name === 'Marketing API Profile')!;
    const owned = sim.store.rows('PermissionSet').find((ps) => ps.ProfileId === marketingProfile.Id && ps.IsOwnedByProfile === true)!;
    owned.PermissionsApiEnabled = false;
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    expect(subjectsByRule(result.findings)['IU-AUTH-002']).to.deep.equal(['marketing.integration@demo.sim']);
  });

  it('with a manifest: IU-AUTH-001, IU-AUTH-011 and IU-PRIV-008; manifest users join the audited set', async () => {
    const manifest = join(dir, 'integration.json');
    await writeFile(
      manifest,
      JSON.stringify({
        version: 1,
        profile: { name: 'Minimum Access - API Only Integrations', license: 'integration' },
        defaults: { username: '{app}.integration@demo.sim', email: 'admins@demo.sim' },
        apps: [
          {
            name: 'erp',
            permissionSet: {
              name: 'Integration_Erp',
              objects: { Account: ['read', 'edit'], Order: ['read', 'create', 'edit'], Invoice__c: ['read', 'create', 'edit'] },
              fields: { 'Account.Credit_Limit__c': 'edit', 'Order.External_Id__c': 'read', 'Invoice__c.Amount__c': 'edit' },
              apexClasses: ['ErpOrderService'],
            },
          },
          { name: 'reporting', permissionSet: { name: 'Shared_Reporting', objects: { Account: ['read'], Opportunity: ['read'] }, fields: { 'Account.Credit_Limit__c': 'read' } } },
        ],
      })
    );
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json', '-f', manifest]);
    const byRule = subjectsByRule(result.findings);
    // reporting.integration is neither API only nor on the integration license: only the manifest makes it one.
    expect(byRule['IU-AUTH-001']).to.deep.equal(['reporting.integration@demo.sim']);
    const auth001 = result.findings.find((f) => f.ruleId === 'IU-AUTH-001')!;
    expect(auth001.recognisedBy).to.deep.equal(['named in the manifest for app reporting']);
    // erp holds its own set and the reporting app's set; legacy.admin is seen with two client apps (evidence).
    expect(byRule['IU-AUTH-011']).to.deep.equal([GOOD_USER, 'legacy.admin.integration@demo.sim']);
    expect(result.findings.find((f) => f.ruleId === 'IU-AUTH-011' && f.subject.name === GOOD_USER)!.message).to.match(/shared by several apps: (erp, reporting|reporting, erp)/);
    // reporting.integration also has Account_View_All (viewAll) and its profile's Chatter permission.
    const priv008 = result.findings.find((f) => f.ruleId === 'IU-PRIV-008' && f.subject.name === 'reporting.integration@demo.sim')!;
    expect(priv008.message).to.include('Account.viewAll');
    expect(priv008.evidence.map((e) => e.holderName)).to.include('Account_View_All');
    expect(result.notEvaluated).to.deep.equal([]);
  });

  it('reads object and field permissions of the integration users\' holders only, by ParentId, once they are known', async () => {
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    const reads = sim.requests.filter((r) => /FROM (ObjectPermissions|FieldPermissions)\b/.test(r.soql ?? ''));
    expect(reads.length).to.be.greaterThan(1);
    const parentIds = new Set(reads.flatMap((r) => [...(r.soql ?? '').matchAll(/'(0PS[A-Za-z0-9]{12,15})'/g)].map((m) => m[1])));
    for (const r of reads) expect(r.soql).to.match(/ WHERE ParentId IN \('0PS/);
    // The holders whose object access a finding names were read (IU-PRIV-004: View All / Modify All on an object).
    const priv004 = result.findings.find((f) => f.ruleId === 'IU-PRIV-004');
    const holderNames = new Set(priv004?.evidence.map((e) => e.holderName));
    expect(holderNames.size).to.be.greaterThan(0);
    // A profile's permissions sit on its profile-owned PermissionSet row (ProfileId).
    const profileIds = new Set(sim.store.rows('Profile').filter((p) => holderNames.has(String(p.Name))).map((p) => String(p.Id)));
    const holderIds = sim.store.rows('PermissionSet').filter((p) => holderNames.has(String(p.Name)) || profileIds.has(String(p.ProfileId)));
    expect(holderIds.length).to.equal(holderNames.size);
    for (const holder of holderIds) expect(parentIds.has(String(holder.Id)), String(holder.Name)).to.equal(true);
    // Other holders' rows are left in the org: holders no integration user holds have object permissions nobody read.
    const unread = sim.store.rows('ObjectPermissions').filter((o) => !parentIds.has(String(o.ParentId)));
    expect(unread.length).to.be.greaterThan(0);
  });

  it('PermissionSetAssignment refused: every holder\'s object and field permissions are read (the rules look for integration holders among all)', async () => {
    sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM PermissionSetAssignment' }, times: 20, status: 403, errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' });
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    const reads = sim.requests.filter((r) => /FROM (ObjectPermissions|FieldPermissions)\b/.test(r.soql ?? ''));
    expect(reads.map((r) => (r.soql ?? '').includes('WHERE'))).to.deep.equal([false, false]);
    expect(result.findings.some((f) => f.ruleId === 'IU-STRUCT-001')).to.equal(true);
  });

  it('a rule whose fact the org would not give is "not evaluated" with the reason, and the rest runs', async () => {
    sim.injectFault({ match: { soapCall: 'readMetadata' }, times: 10, kind: 'http', status: 500, errorCode: 'INSUFFICIENT_ACCESS', message: 'no Modify Metadata' });
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
    const auth006 = result.notEvaluated.find((n) => n.ruleId === 'IU-AUTH-006');
    expect(auth006?.reason).to.include('INSUFFICIENT_ACCESS');
    expect(result.findings.some((f) => f.ruleId === 'IU-AUTH-006')).to.equal(false);
    expect(result.findings.some((f) => f.ruleId === 'IU-PRIV-001')).to.equal(true);
  });

  it('writes SARIF with logical locations for org subjects, and JUnit, from the same run', async () => {
    const sarifPath = join(dir, 'out', 'audit.sarif');
    const junitPath = join(dir, 'out', 'audit.junit.xml');
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json', '--output-file', sarifPath, '--output-file', junitPath]);
    expect(result.reports).to.deep.equal([sarifPath, junitPath]);
    const sarif = JSON.parse(await readFile(sarifPath, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> }> }> };
    const priv001 = sarif.runs[0].results.find((r) => r.ruleId === 'IU-PRIV-001')!;
    expect(priv001.locations[0].logicalLocations[0].fullyQualifiedName).to.equal('user/legacy.admin.integration@demo.sim');
    const junit = await readFile(junitPath, 'utf8');
    expect(junit).to.include(`<testcase classname="IU-PRIV-001" name="user ${GOOD_USER}"/>`);
    expect((junit.match(/<failure /g) ?? []).length).to.equal(result.findings.length);
  });

  it('an API failure is exit code 2 or more, not a finding', async () => {
    sim.injectFault({ match: { soqlIncludes: 'FROM ObjectPermissions' }, times: 20, kind: 'http', status: 500, errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' });
    const error = await Audit.run(['-o', sim.accessToken, '--json']).then(
      () => undefined,
      (e: Error & { exitCode?: number }) => e
    );
    expect(error, 'the audit must fail').to.not.equal(undefined);
    expect(error!.exitCode).to.be.at.least(2);
  });
});
