/* `sf integration manifest init` run in-process against the org simulator's demo org. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, RequestStatus } from '@salesforce/source-deploy-retrieve';
import ManifestInit from '../../src/commands/integration/manifest/init.js';
import { validateManifest } from '../../src/manifest/validate.js';
import type { Manifest, ManifestApp } from '../../src/manifest/types.js';
import { generateIntegrationMetadata } from '../../src/metadata/index.js';
import { runApply } from '../../src/plan/apply.js';
import { OrgSimulator, type Row } from '../simulator/index.js';
import { connectionTo, isolateCliEnv } from './helpers.js';

const appNamed = (manifest: Manifest, name: string): ManifestApp => {
  const app = manifest.apps.find((a) => a.name === name);
  if (!app) throw new Error(`no app ${name} in ${manifest.apps.map((a) => a.name).join(', ')}`);
  return app;
};

describe('integration manifest init (simulator demo org)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let restoreEnv: () => void;
  let sandbox: sinon.SinonSandbox;
  let ux: ReturnType<typeof stubSfCommandUx>;
  let dir: string;
  let file: string;

  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    ux = stubSfCommandUx(sandbox);
    sim = await OrgSimulator.start();
    restoreEnv = isolateCliEnv(sim);
    dir = mkdtempSync(join(tmpdir(), 'sfi-init-'));
    file = join(dir, 'integration.json');
  });
  afterEach(async () => {
    sandbox.restore();
    restoreEnv();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const printed = (): string => [...ux.log.args, ...ux.warn.args, ...ux.info.args].flat().map(String).join('\n');

  it('writes one app per active integration user, the file equal to the returned draft', async () => {
    const result = await ManifestInit.run(['-o', sim.accessToken, '--output-file', file]);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    expect(written).to.deep.equal(result.manifest);
    // reporting.integration is neither API only nor on the integration license; retired.integration is inactive.
    expect(written.apps.map((a) => a.name)).to.deep.equal(['dormant', 'erp', 'legacy-admin', 'marketing', 'never', 'nomfa', 'old']);
    expect(written.apps.map((a) => a.user?.username)).to.deep.equal(
      ['dormant', 'erp', 'legacy.admin', 'marketing', 'never', 'nomfa', 'old'].map((local) => `${local}.integration@demo.sim`)
    );
    expect(result.review.filter((r) => r.kind === 'inactiveUserSkipped').map((r) => r.username)).to.deep.equal(['retired.integration@demo.sim']);
    // Users on the integration license and on Salesforce profiles alike: the license is chosen per app.
    expect(written.profile?.license).to.equal('auto');
    expect(written.profile?.loginIpRanges).to.deep.equal([{ start: '203.0.113.0', end: '203.0.113.255', description: 'ERP data centre' }]);
    expect(ux.table.callCount).to.equal(1);
    expect(printed()).to.include(`Draft manifest written to ${file}`);
    expect(printed()).to.include('sf integration generate -f');
    // Read as the audit reads: assignments, object and field permissions of the possible integration users and their
    // holders only, by id; no UserLogin (whether a user is frozen changes nothing in a draft).
    const soql = sim.requests.map((r) => r.soql ?? '').filter(Boolean);
    expect(soql.filter((q) => q.includes('FROM UserLogin'))).to.deep.equal([]);
    const accessReads = soql.filter((q) => /FROM (ObjectPermissions|FieldPermissions)\b/.test(q));
    expect(accessReads).to.have.length(2);
    expect(accessReads.every((q) => q.includes(' WHERE ParentId IN ('))).to.equal(true);
    expect(soql.some((q) => q.includes('FROM PermissionSetAssignment') && q.includes('AssigneeId IN ('))).to.equal(true);
  });

  it('merges the user\'s permission sets into the app; a set only that user holds keeps its name', async () => {
    const { manifest } = await ManifestInit.run(['-o', sim.accessToken, '--output-file', file]);
    const erp = appNamed(manifest, 'erp');
    expect(erp.permissionSet?.name).to.equal('Integration_Erp');
    expect(erp.permissionSet?.objects).to.deep.equal({
      Account: ['read', 'edit'],
      Invoice__c: ['read', 'create', 'edit'],
      Opportunity: ['read'], // from Shared_Reporting
      Order: ['read', 'create', 'edit'],
    });
    // Shared_Reporting reads Account.Credit_Limit__c, Integration_Erp edits it: the higher access wins.
    expect(erp.permissionSet?.fields).to.deep.equal({ 'Account.Credit_Limit__c': 'edit', 'Invoice__c.Amount__c': 'edit', 'Order.External_Id__c': 'read' });
    expect(erp.permissionSet?.apexClasses).to.deep.equal(['ErpOrderService']);
    expect(erp.elevated).to.equal(undefined);
    expect(erp.description).to.match(/^Drafted from erp\.integration@demo\.sim in Demo Org \(00D\w+\): Integration_Erp, Shared_Reporting$/);
    // Shared_Reporting is held by several users: nobody keeps it, marketing gets its own set with its profile's access.
    const marketing = appNamed(manifest, 'marketing');
    expect(marketing.permissionSet?.name).to.equal(undefined);
    expect(marketing.permissionSet?.objects).to.deep.include({ Lead: ['read', 'create', 'edit'], Contact: ['read'], Account: ['read'] });
  });

  it('elevated grants get a TODO justification that fails validation until a human writes one', async () => {
    const result = await ManifestInit.run(['-o', sim.accessToken, '--output-file', file]);
    const legacy = appNamed(result.manifest, 'legacy-admin');
    expect(legacy.permissionSet?.systemPermissions).to.deep.equal(['ModifyAllData', 'ViewAllData']);
    expect(legacy.elevated).to.deep.equal([
      { permission: 'ModifyAllData', justification: 'TODO' },
      { permission: 'ViewAllData', justification: 'TODO' },
    ]);
    const index = result.manifest.apps.indexOf(legacy);
    const justifications = result.review.filter((r) => r.kind === 'justification');
    expect(justifications.map((r) => r.path)).to.deep.equal([`$.apps[${index}].elevated[0].justification`, `$.apps[${index}].elevated[1].justification`]);
    expect(printed()).to.include('legacy-admin: elevated grant ModifyAllData needs a written justification');
    expect(result.problems, 'nothing else wrong with the draft').to.deep.equal([]);

    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    const validation = validateManifest(onDisk);
    expect(validation.problems.map((p) => `${p.path} ${p.code}`).sort()).to.deep.equal(justifications.map((r) => `${r.path} justificationTooShort`).sort());

    for (const entry of appNamed(onDisk, 'legacy-admin').elevated ?? []) entry.justification = 'Nightly full reconciliation, approved in SEC-7.';
    const justified = validateManifest(onDisk);
    expect(justified.problems).to.deep.equal([]);
    expect(justified.desired?.apps.map((a) => a.permissionSet.name)).to.include('Integration_Erp');
  });

  it('--evidence-days drafts each app from the objects it used, and says which granted objects were unused', async () => {
    const result = await ManifestInit.run(['-o', sim.accessToken, '--output-file', file, '--evidence-days', '30']);
    const legacy = result.apps.find((a) => a.username === 'legacy.admin.integration@demo.sim')!;
    const legacySet = appNamed(result.manifest, legacy.app).permissionSet!;
    // The System Administrator profile is not carried over; its sets grant no object: nothing to narrow.
    expect(legacySet.$comment).to.be.a('string');
    const erp = appNamed(result.manifest, result.apps.find((a) => a.username === 'erp.integration@demo.sim')!.app).permissionSet!;
    expect(Object.keys(erp.objects ?? {}).sort()).to.deep.equal(['Account', 'Invoice__c', 'Opportunity', 'Order']);
    expect(erp.objects!.Order).to.deep.equal(['read', 'create', 'edit']);
    expect(erp.$comment).to.match(/^Evidence of use, last 30 days \(3 ApiTotalUsage log files\): /).and.include('Account: used (3 calls');
    const marketing = appNamed(result.manifest, result.apps.find((a) => a.username === 'marketing.integration@demo.sim')!.app).permissionSet!;
    expect(marketing.$comment).to.include('no API call seen; objects kept as granted');
    expect(Object.keys(marketing.objects ?? {})).to.include('Lead');
    // The file is the draft, and $comment does not make it invalid.
    const written = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    expect(written).to.deep.equal(result.manifest);
    expect(validateManifest(written, file).problems.filter((p) => p.code !== 'justificationTooShort')).to.deep.equal([]);
  });

  it('--evidence-days narrows access and lists the unused objects for review', async () => {
    // erp stops calling Opportunity and Invoice__c: its draft leaves them out, and the review says so.
    for (const row of sim.store.rows('EventLogFile')) {
      const id = String(row.Id);
      const csv = sim.store.logFile(id)!;
      sim.store.logFiles.set(id.slice(0, 15), csv.split('\n').filter((line) => !/"(Opportunity|Invoice__c)"/.test(line)).join('\n'));
    }
    const result = await ManifestInit.run(['-o', sim.accessToken, '--output-file', file, '--evidence-days', '30', '--json']);
    const erpApp = result.apps.find((a) => a.username === 'erp.integration@demo.sim')!.app;
    const erp = appNamed(result.manifest, erpApp).permissionSet!;
    expect(Object.keys(erp.objects ?? {}).sort()).to.deep.equal(['Account', 'Order']);
    expect(Object.keys(erp.fields ?? {}).some((f) => f.startsWith('Invoice__c.'))).to.equal(false);
    expect(erp.$comment).to.include('Invoice__c: granted, unused (read, create, edit), left out').and.include('Opportunity: granted, unused (read), left out');
    const item = result.review.find((r) => r.kind === 'unusedObjectsDropped' && r.app === erpApp)!;
    expect(item.subject).to.equal('Invoice__c, Opportunity');
    expect(item.message).to.include('Invoice__c, Opportunity');
  });

  it('--evidence-days on an org without API log files keeps every granted object and warns', async () => {
    for (const row of [...sim.store.rows('EventLogFile')]) sim.store.remove(String(row.Id));
    const result = await ManifestInit.run(['-o', sim.accessToken, '--output-file', file, '--evidence-days', '30']);
    expect(printed()).to.include('No API usage log files could be read');
    const erp = appNamed(result.manifest, result.apps.find((a) => a.username === 'erp.integration@demo.sim')!.app).permissionSet!;
    expect(erp.$comment).to.equal(undefined);
    expect(Object.keys(erp.objects ?? {}).sort()).to.deep.equal(['Account', 'Invoice__c', 'Opportunity', 'Order']);
  });

  it('refuses to overwrite an existing file without --force, overwrites with it', async () => {
    writeFileSync(file, '{"hand": "written"}');
    let error: Error | undefined;
    try {
      await ManifestInit.run(['-o', sim.accessToken, '--output-file', file]);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).to.equal('FileExistsError');
    expect(readFileSync(file, 'utf8')).to.equal('{"hand": "written"}');
    expect(sim.requests.filter((r) => r.soql?.includes('FROM User')), 'the org was not read').to.deep.equal([]);

    await ManifestInit.run(['-o', sim.accessToken, '--output-file', file, '--force']);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Manifest).version).to.equal(1);
  });

  it('never writes or prints the access token', async () => {
    await ManifestInit.run(['-o', sim.accessToken, '--output-file', file, '--json']);
    expect(existsSync(file)).to.equal(true);
    expect(readFileSync(file, 'utf8')).not.to.include(sim.accessToken);
    expect(printed()).not.to.include(sim.accessToken);
    expect(JSON.stringify(ux.table.args)).not.to.include(sim.accessToken);
  });

  it('round trip: the justified draft generates and deploys, and the kept set holds the same access as before', async () => {
    const erpSetBefore = sim.store.rows('PermissionSet').find((row) => row.Name === 'Integration_Erp') as Row;
    const objectsOf = (parentId: unknown): string[] =>
      sim.store
        .rows('ObjectPermissions')
        .filter((row) => row.ParentId === parentId)
        .map((row) => `${String(row.SobjectType)}:${['PermissionsRead', 'PermissionsCreate', 'PermissionsEdit'].filter((f) => row[f] === true).join(',')}`)
        .sort();
    const before = objectsOf(erpSetBefore.Id);
    await ManifestInit.run(['-o', sim.accessToken, '--output-file', file]);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    for (const app of manifest.apps) for (const entry of app.elevated ?? []) entry.justification = 'Kept while the vendor migrates, ticket SEC-9.';
    writeFileSync(file, JSON.stringify(manifest, null, 2));
    const outputDir = join(dir, 'force-app', 'main', 'default');
    await generateIntegrationMetadata({ manifestPath: file, outputDir });
    const connection = await connectionTo(sim);
    const operation = await ComponentSet.fromSource(join(dir, 'force-app')).deploy({ usernameOrConnection: connection });
    const result = await operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(60) });
    expect(result.response.status).to.equal(RequestStatus.Succeeded);
    const erpSetAfter = sim.store.rows('PermissionSet').find((row) => row.Name === 'Integration_Erp') as Row;
    expect(erpSetAfter.Id, 'updated in place').to.equal(erpSetBefore.Id);
    // Integration_Erp plus Shared_Reporting's Opportunity read: nothing the user had is lost.
    expect(objectsOf(erpSetAfter.Id)).to.deep.equal([...before, 'Opportunity:PermissionsRead'].sort());
  });

  it('apply of the drafted manifest on the same org changes no field of an existing user (defaults are for new users)', async () => {
    await ManifestInit.run(['-o', sim.accessToken, '--output-file', file]);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    for (const app of manifest.apps) for (const entry of app.elevated ?? []) entry.justification = 'Kept while the vendor migrates, ticket SEC-9.';
    const { desired, problems } = validateManifest(manifest, file);
    expect(problems, JSON.stringify(problems)).to.deep.equal([]);
    const fields = ['Alias', 'Email', 'FirstName', 'LastName', 'TimeZoneSidKey', 'LocaleSidKey', 'LanguageLocaleKey', 'EmailEncodingKey'];
    const snapshot = (): Record<string, string> =>
      Object.fromEntries(sim.store.rows('User').map((u) => [String(u.Username), fields.map((f) => String(u[f])).join('|')]));
    const before = snapshot();
    const result = await runApply({ conn: await connectionTo(sim), desired: desired!, retry: { policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } } });
    const userChanges = result.plan.flatMap((a) => (a.kind === 'updateUser' ? a.details.changes.map((c) => c.field) : []));
    expect(userChanges.filter((field) => field !== 'Profile')).to.deep.equal([]);
    expect(result.plan.filter((a) => a.kind === 'repairEmail')).to.deep.equal([]);
    expect(result.plan.filter((a) => a.kind === 'createUser').map((a) => a.subject)).to.deep.equal([]);
    expect(snapshot()).to.deep.equal(before);
  });
});
