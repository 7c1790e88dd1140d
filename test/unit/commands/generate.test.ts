import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Generate from '../../../src/commands/integration/generate.js';
import Audit, { type AuditResult } from '../../../src/commands/integration/audit.js';

const example = fileURLToPath(new URL('../../../examples/integration.json', import.meta.url));

describe('sf integration generate', () => {
  const $$ = new TestContext();
  let dir: string;
  let ux: ReturnType<typeof stubSfCommandUx>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfi-generate-'));
    ux = stubSfCommandUx($$.SANDBOX);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the profile and the permission sets of the example and returns what it wrote', async () => {
    const out = join(dir, 'force-app', 'main', 'default');
    const result = await Generate.run(['--manifest', example, '--output-dir', out]);
    expect(result.outputDir).to.equal(out);
    expect(result.dryRun).to.equal(false);
    expect(result.profileLicense).to.equal('auto');
    expect(result.files.map((f) => [f.type, f.fullName, f.relativePath, f.action])).to.deep.equal([
      ['Profile', 'Integration API Only', 'profiles/Integration API Only.profile-meta.xml', 'created'],
      ['PermissionSet', 'Integration_Erp', 'permissionsets/Integration_Erp.permissionset-meta.xml', 'created'],
      ['PermissionSet', 'Integration_Marketing', 'permissionsets/Integration_Marketing.permissionset-meta.xml', 'created'],
      ['PermissionSet', 'Integration_Warehouse_Reader', 'permissionsets/Integration_Warehouse_Reader.permissionset-meta.xml', 'created'],
    ]);
    for (const file of result.files) expect(file.path.startsWith(out)).to.equal(true);
    expect((await readdir(join(out, 'permissionsets'))).sort()).to.have.length(3);
    expect(result.implied).to.deep.include({ app: 'marketing', permissionSet: 'Integration_Marketing', target: 'Lead', access: 'read' });
    // Human output: a table of files and the implied access.
    const table = ux.table.firstCall.args[0] as { data: Array<{ action: string; name: string }> };
    expect(table.data.map((row) => `${row.action} ${row.name}`)).to.include('created Integration_Erp');
    expect(ux.log.args.flat().join('\n')).to.include('Integration_Marketing: Lead read');
  });

  it('is idempotent: a second run reports every file unchanged, with identical bytes', async () => {
    const out = join(dir, 'out');
    await Generate.run(['-f', example, '-d', out]);
    const before = await readFile(join(out, 'profiles', 'Integration API Only.profile-meta.xml'));
    const second = await Generate.run(['-f', example, '-d', out]);
    expect(second.files.map((f) => f.action)).to.deep.equal(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect((await readFile(join(out, 'profiles', 'Integration API Only.profile-meta.xml'))).equals(before)).to.equal(true);
  });

  it('--dry-run writes nothing', async () => {
    const out = join(dir, 'out');
    const result = await Generate.run(['-f', example, '-d', out, '--dry-run']);
    expect(result.dryRun).to.equal(true);
    expect(result.files.map((f) => f.action)).to.deep.equal(['wouldCreate', 'wouldCreate', 'wouldCreate', 'wouldCreate']);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('fails with ManifestInvalidError listing every problem, and writes nothing', async () => {
    const manifest = join(dir, 'bad.json');
    await writeFile(manifest, JSON.stringify({ version: 1, apps: [{ name: 'ERP' }, { name: 'crm', permissionSet: { objects: { Account: ['viewAll'] } } }] }));
    try {
      await Generate.run(['-f', manifest, '-d', join(dir, 'out')]);
      expect.fail('no error');
    } catch (error) {
      const sfError = error as Error & { exitCode?: number; actions?: string[] };
      expect(sfError.name).to.equal('ManifestInvalidError');
      expect(sfError.message).to.include('$.apps[0].name').and.include('$.apps[1].permissionSet.objects.Account[0]').and.include('$.apps[1]: app "crm" has no username');
      expect(sfError.actions).to.not.be.empty;
    }
    expect(await readdir(dir)).to.deep.equal(['bad.json']);
  });

  it('passes manifest warnings on', async () => {
    const manifest = join(dir, 'warn.json');
    await writeFile(
      manifest,
      JSON.stringify({
        version: 1,
        defaults: { username: '{app}@acme.example', email: 'a@acme.example' },
        apps: [{ name: 'erp', permissionSet: { systemPermissions: ['FutureSparkle'] } }],
      })
    );
    await Generate.run(['-f', manifest, '-d', join(dir, 'out')]);
    expect(ux.warn.args.flat().join('\n')).to.include('FutureSparkle');
  });

  it('with license integration writes only permission sets and says why there is no profile', async () => {
    const manifest = fileURLToPath(new URL('../../fixtures/manifests/good/integration-license.json', import.meta.url));
    const result = await Generate.run(['-f', manifest, '-d', join(dir, 'out')]);
    expect(result.files.map((f) => f.type)).to.deep.equal(['PermissionSet', 'PermissionSet']);
    expect(ux.info.args.flat().join('\n')).to.include('Minimum Access - API Only Integrations');
  });

  describe('round trip: audit --source-dir on generated files', () => {
    const roundTrip = async (manifest: string): Promise<AuditResult> => {
      const out = join(dir, 'force-app', 'main', 'default');
      await Generate.run(['-f', manifest, '-d', out]);
      return Audit.run(['--source-dir', out, '--manifest', manifest, '--severity-threshold', 'moderate', '--json']);
    };

    it('the example manifest: no finding of severity 1–3, and the generated holders were audited', async () => {
      const result = await roundTrip(example);
      const serious = result.findings.filter((finding) => finding.severity <= 3);
      expect(serious, JSON.stringify(serious, null, 2)).to.deep.equal([]);
      expect(result.loadProblems).to.deep.equal([]);
      expect(result.passed).to.equal(true);
      expect(result.summary.subjectsAudited).to.be.greaterThan(0);
    });

    it('negative control: a grant added by hand to a generated set is found by the same audit', async () => {
      const out = join(dir, 'force-app', 'main', 'default');
      await Generate.run(['-f', example, '-d', out]);
      const file = join(out, 'permissionsets', 'Integration_Erp.permissionset-meta.xml');
      const xml = await readFile(file, 'utf8');
      const tampered = xml.replace(
        '</userPermissions>',
        '</userPermissions>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ModifyAllData</name>\n    </userPermissions>'
      );
      expect(tampered).to.not.equal(xml);
      await writeFile(file, tampered);
      const result = await Audit.run(['--source-dir', out, '--manifest', example, '--severity-threshold', 'moderate', '--json']);
      expect(result.findings.filter((finding) => finding.severity <= 3).map((finding) => finding.ruleId)).to.not.be.empty;
      expect(result.passed).to.equal(false);
    });
  });
});
