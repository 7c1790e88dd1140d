/*
 * `sf integration generate` then `sf project deploy start`, through the real sf as a user types them: a temp SFDX
 * project, the example manifest, the deploy to the simulator, and the org's state afterwards read back with
 * `sf data query` (the same SOQL a user would run), so the whole chain generate → deploy → org is checked.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeRun, REPO_ROOT, useE2eSession, type SfRun } from './harness.js';

type WrittenFile = { path: string; type: string; fullName: string; action: string };
type GenerateJson = { outputDir: string; files: WrittenFile[]; profileName: string };
type QueryJson = { records: Array<Record<string, unknown>>; totalSize: number };

const EXAMPLE = join(REPO_ROOT, 'examples', 'integration.json');
const PERMISSION_SETS = ['Integration_Erp', 'Integration_Marketing', 'Integration_Warehouse_Reader'];
const PROFILE = 'Integration API Only';

const noStackTrace = (text: string): boolean => !/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text);

/** Wall time of every sf command this spec ran, printed at the end (the lead's timing report). */
const timings: Array<{ command: string; ms: number }> = [];
const timed = <T>(run: SfRun<T>): SfRun<T> => {
  timings.push({ command: run.args.slice(0, 3).join(' '), ms: run.durationMs });
  return run;
};

describe('e2e: sf integration generate → sf project deploy start', () => {
  const session = useE2eSession();
  let project: string;
  let outputDir: string;

  before(() => {
    project = join(session().workDir, 'acme-project');
    outputDir = join(project, 'force-app', 'main', 'default');
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'acme', sourceApiVersion: '57.0' }, null, 2)
    );
  });

  after(() => {
    process.stdout.write(`      timings: ${timings.map((t) => `${t.command} ${t.ms} ms`).join('; ')}\n`);
  });

  const query = async (soql: string): Promise<Array<Record<string, unknown>>> => {
    const run = timed(await session().sf<QueryJson>(['data', 'query', '-q', soql, '-o', session().alias, '--json'], { cwd: project }));
    expect(run.exitCode, describeRun(run)).to.equal(0);
    return run.json!.result!.records;
  };

  it('generate writes the profile and one permission set per app into the project (exit 0)', async () => {
    const run = timed(await session().sf(['integration', 'generate', '-f', EXAMPLE, '--output-dir', outputDir], { cwd: project }));
    expect(run.exitCode, describeRun(run)).to.equal(0);
    // The table: action │ type │ name │ path, one row per file.
    expect(run.stdout, describeRun(run)).to.match(/created\W+PermissionSet\W+Integration_Erp\W/);
    expect(run.stdout).to.match(/created\W+Profile\W+Integration API Only\W/);
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);
    for (const name of PERMISSION_SETS) {
      const file = join(outputDir, 'permissionsets', `${name}.permissionset-meta.xml`);
      expect(existsSync(file), file).to.equal(true);
      expect(readFileSync(file, 'utf8')).to.include('[managed by sf-plugin-integration]');
    }
    expect(existsSync(join(outputDir, 'profiles', `${PROFILE}.profile-meta.xml`))).to.equal(true);
  });

  it('sf project deploy start deploys them to the org (exit 0, table lists the components)', async () => {
    const run = timed(
      await session().sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', session().alias], { cwd: project })
    );
    expect(run.exitCode, describeRun(run)).to.equal(0);
    for (const name of [...PERMISSION_SETS, PROFILE]) expect(run.stdout, describeRun(run)).to.include(name);
    expect(run.stdout).to.match(/Status: Succeeded|Deploy Succeeded|Succeeded/);
    expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);
  });

  it('the org now holds exactly the declared access (sf data query)', async () => {
    const sets = await query(
      `SELECT Id, Name, Label, Description, PermissionsApiEnabled, PermissionsModifyAllData FROM PermissionSet WHERE Name IN ('${PERMISSION_SETS.join("','")}')`
    );
    expect(sets.map((s) => s.Name).sort()).to.deep.equal(PERMISSION_SETS);
    const erp = sets.find((s) => s.Name === 'Integration_Erp')!;
    expect(erp.Label, 'app label + " Integration"').to.equal('ERP Sync Integration');
    expect(String(erp.Description)).to.include('[managed by sf-plugin-integration]');
    expect(erp.PermissionsApiEnabled).to.equal(true);
    expect(erp.PermissionsModifyAllData).to.equal(false);

    const objects = await query(
      "SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE Parent.Name = 'Integration_Erp' ORDER BY SobjectType"
    );
    const verbsOf = (row: Record<string, unknown>): string =>
      [
        ['read', 'PermissionsRead'],
        ['create', 'PermissionsCreate'],
        ['edit', 'PermissionsEdit'],
        ['delete', 'PermissionsDelete'],
        ['viewAll', 'PermissionsViewAllRecords'],
        ['modifyAll', 'PermissionsModifyAllRecords'],
      ]
        .filter(([, field]) => row[field] === true)
        .map(([verb]) => verb)
        .join(',');
    // The demo org's hand-made Integration_Erp also had Invoice__c: a permission set deploy replaces, so it is gone.
    expect(objects.map((row) => `${String(row.SobjectType)}:${verbsOf(row)}`)).to.deep.equal([
      'Account:read,edit',
      'Order:read,create,edit',
    ]);

    const fields = await query(
      "SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = 'Integration_Erp' ORDER BY Field"
    );
    expect(fields.map((row) => `${String(row.Field)}:${row.PermissionsEdit === true ? 'edit' : row.PermissionsRead === true ? 'read' : 'none'}`)).to.deep.equal([
      'Account.Credit_Limit__c:edit',
      'Account.Industry:read',
      'Order.External_Id__c:read',
    ]);

    const classes = await query(
      "SELECT SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE Parent.Name = 'Integration_Erp' AND SetupEntityType = 'ApexClass'"
    );
    expect(classes).to.have.length(1);
    const apex = await query(`SELECT Name FROM ApexClass WHERE Id = '${String(classes[0].SetupEntityId)}'`);
    expect(apex.map((row) => row.Name)).to.deep.equal(['ErpOrderService']);

    const marketing = await query(
      "SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE Parent.Name = 'Integration_Marketing' ORDER BY SobjectType"
    );
    // Lead create/edit implies read: generate added it, the org has it.
    expect(marketing.map((row) => `${String(row.SobjectType)}:${verbsOf(row)}`)).to.deep.equal(['Contact:read', 'Lead:read,create,edit']);

    const profiles = await query(`SELECT Id, Name, PermissionsApiEnabled, PermissionsApiUserOnly, PermissionsViewSetup FROM Profile WHERE Name = '${PROFILE}'`);
    expect(profiles).to.have.length(1);
    expect(profiles[0]).to.include({ PermissionsApiEnabled: true, PermissionsApiUserOnly: true, PermissionsViewSetup: false });
    const profileObjects = await query(
      `SELECT SobjectType FROM ObjectPermissions WHERE Parent.IsOwnedByProfile = true AND Parent.Profile.Name = '${PROFILE}'`
    );
    expect(profileObjects, 'the profile grants no object access').to.deep.equal([]);
  });

  it('a second generate reports every file unchanged', async () => {
    const run = timed(
      await session().sf<GenerateJson>(['integration', 'generate', '-f', EXAMPLE, '--output-dir', outputDir, '--json'], { cwd: project })
    );
    expect(run.exitCode, describeRun(run)).to.equal(0);
    const files = run.json!.result!.files;
    expect(files.map((f) => f.fullName).sort()).to.deep.equal([PROFILE, ...PERMISSION_SETS].sort());
    expect(files.map((f) => f.action)).to.deep.equal(files.map(() => 'unchanged'));
  });

  it('a bad manifest: non-zero exit, the named error and its problem, no stack trace, no file touched', async () => {
    const bad = join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'bad', 'dangerous-permission-not-elevated.json');
    const erpFile = join(outputDir, 'permissionsets', 'Integration_Erp.permissionset-meta.xml');
    const before = readFileSync(erpFile, 'utf8');
    const run = timed(await session().sf(['integration', 'generate', '-f', bad, '--output-dir', outputDir], { cwd: project }));
    expect(run.exitCode, describeRun(run)).to.not.equal(0);
    expect(run.stderr, describeRun(run)).to.include('ManifestInvalid');
    expect(run.stderr).to.include('ModifyAllData');
    expect(run.stderr).to.include('$.apps[0].permissionSet.systemPermissions');
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);

    const json = timed(await session().sf(['integration', 'generate', '-f', bad, '--output-dir', outputDir, '--json'], { cwd: project }));
    expect(json.exitCode, describeRun(json)).to.equal(run.exitCode);
    expect(json.json?.name).to.equal('ManifestInvalidError');
    expect(json.json?.message).to.include('ModifyAllData');
    expect(noStackTrace(json.stderr), describeRun(json)).to.equal(true);
    // The failed runs rewrote nothing (the bad manifest's app erp would write this very file).
    expect(readFileSync(erpFile, 'utf8')).to.equal(before);
  });
});
