/*
 * `sf integration generate` then `sf project deploy start`, through the real sf as a user types them: a temp SFDX
 * project, the example manifest, the deploy to the simulator, and the org's state afterwards read back with
 * `sf data query` (the same SOQL a user would run), so the whole chain generate → deploy → org is checked.
 *
 * Each `it` stands alone (any one runs with --grep, in any order): it makes its own project folder and writes
 * its own files; only the deploy test writes to the org, and it checks the org against the example manifest
 * after its own deploy.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { describeRun, REPO_ROOT, useE2eSession, type SfRun } from './harness.js';

type WrittenFile = { path: string; type: string; fullName: string; action: string };
type GenerateJson = { outputDir: string; files: WrittenFile[]; profileName: string };
type QueryJson = { records: Array<Record<string, unknown>>; totalSize: number };

const EXAMPLE = join(REPO_ROOT, 'examples', 'integration.json');
const PERMISSION_SETS = ['Integration_Erp', 'Integration_Marketing', 'Integration_Warehouse_Reader'];
const PROFILE = 'Integration API Only';

const noStackTrace = (text: string): boolean => !/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text);

/** Every file under a folder with its content, by relative path: what a failed run must leave as it was. */
const snapshotTree = (root: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return out;
};

/** Wall time of every sf command this spec ran, printed at the end as figures (never asserted). */
const timings: Array<{ command: string; ms: number }> = [];
const timed = <T>(run: SfRun<T>): SfRun<T> => {
  timings.push({ command: run.args.slice(0, 3).join(' '), ms: run.durationMs });
  return run;
};

describe('e2e: sf integration generate → sf project deploy start', () => {
  const session = useE2eSession();

  after(() => {
    process.stdout.write(`      timings: ${timings.map((t) => `${t.command} ${t.ms} ms`).join('; ')}\n`);
  });

  /** A fresh SFDX project of this test's own, in a new folder of the session's work dir. */
  const newProject = (): { project: string; outputDir: string } => {
    const project = mkdtempSync(join(session().workDir, 'acme-project-'));
    writeFileSync(
      join(project, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], name: 'acme', sourceApiVersion: '57.0' }, null, 2)
    );
    return { project, outputDir: join(project, 'force-app', 'main', 'default') };
  };

  const generate = async <T = unknown>(manifest: string, project: string, outputDir: string, extra: string[] = []): Promise<SfRun<T>> =>
    timed(await session().sf<T>(['integration', 'generate', '-f', manifest, '--output-dir', outputDir, ...extra], { cwd: project }));

  const query = async (project: string, soql: string): Promise<Array<Record<string, unknown>>> => {
    const run = timed(await session().sf<QueryJson>(['data', 'query', '-q', soql, '-o', session().alias, '--json'], { cwd: project }));
    expect(run.exitCode, describeRun(run)).to.equal(0);
    return run.json!.result!.records;
  };

  it('generate writes the profile and one permission set per app into the project (exit 0)', async () => {
    const { project, outputDir } = newProject();
    const run = await generate(EXAMPLE, project, outputDir);
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

  it('a second generate into the same folder reports every file unchanged', async () => {
    const { project, outputDir } = newProject();
    const first = await generate<GenerateJson>(EXAMPLE, project, outputDir, ['--json']);
    expect(first.exitCode, describeRun(first)).to.equal(0);
    expect(first.json!.result!.files.map((f) => f.action)).to.deep.equal(first.json!.result!.files.map(() => 'created'));
    const written = snapshotTree(outputDir);

    const run = await generate<GenerateJson>(EXAMPLE, project, outputDir, ['--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    const files = run.json!.result!.files;
    expect(files.map((f) => f.fullName).sort()).to.deep.equal([PROFILE, ...PERMISSION_SETS].sort());
    expect(files.map((f) => f.action)).to.deep.equal(files.map(() => 'unchanged'));
    expect(snapshotTree(outputDir), 'the files are byte for byte the same').to.deep.equal(written);
  });

  it('a bad manifest: non-zero exit, the named error and its problem, no stack trace, no file touched', async () => {
    const { project, outputDir } = newProject();
    const bad = join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'bad', 'dangerous-permission-not-elevated.json');
    // A file the bad manifest's app erp would write: it must come out of the failed runs as it went in.
    mkdirSync(join(outputDir, 'permissionsets'), { recursive: true });
    writeFileSync(join(outputDir, 'permissionsets', 'Integration_Erp.permissionset-meta.xml'), '<!-- the team\'s own file -->\n');
    const before = snapshotTree(outputDir);

    const run = await generate(bad, project, outputDir);
    expect(run.exitCode, describeRun(run)).to.not.equal(0);
    expect(run.stderr, describeRun(run)).to.include('ManifestInvalid');
    expect(run.stderr).to.include('ModifyAllData');
    expect(run.stderr).to.include('$.apps[0].permissionSet.systemPermissions');
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);

    const json = await generate(bad, project, outputDir, ['--json']);
    expect(json.exitCode, describeRun(json)).to.equal(run.exitCode);
    expect(json.json?.name).to.equal('ManifestInvalidError');
    expect(json.json?.message).to.include('ModifyAllData');
    expect(noStackTrace(json.stderr), describeRun(json)).to.equal(true);
    expect(snapshotTree(outputDir), 'the failed runs wrote, changed and removed nothing').to.deep.equal(before);
  });

  it('generate then sf project deploy start (exit 0, table lists the components): the org holds exactly the declared access', async () => {
    const { project, outputDir } = newProject();
    const generated = await generate(EXAMPLE, project, outputDir);
    expect(generated.exitCode, describeRun(generated)).to.equal(0);
    // The demo org's hand-made Integration_Erp has Invoice__c, which the example manifest does not grant.
    const seeded = await query(project, "SELECT SobjectType FROM ObjectPermissions WHERE Parent.Name = 'Integration_Erp' AND SobjectType = 'Invoice__c'");
    expect(seeded, 'the seeded org before this deploy').to.have.length(1);

    const run = timed(await session().sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', session().alias], { cwd: project }));
    expect(run.exitCode, describeRun(run)).to.equal(0);
    for (const name of [...PERMISSION_SETS, PROFILE]) expect(run.stdout, describeRun(run)).to.include(name);
    expect(run.stdout).to.match(/Status: Succeeded|Deploy Succeeded|Succeeded/);
    expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);

    const sets = await query(
      project,
      `SELECT Id, Name, Label, Description, PermissionsApiEnabled, PermissionsModifyAllData FROM PermissionSet WHERE Name IN ('${PERMISSION_SETS.join("','")}')`
    );
    expect(sets.map((s) => s.Name).sort()).to.deep.equal(PERMISSION_SETS);
    const erp = sets.find((s) => s.Name === 'Integration_Erp')!;
    expect(erp.Label, 'app label + " Integration"').to.equal('ERP Sync Integration');
    expect(String(erp.Description)).to.include('[managed by sf-plugin-integration]');
    expect(erp.PermissionsApiEnabled).to.equal(true);
    expect(erp.PermissionsModifyAllData).to.equal(false);

    const objects = await query(
      project,
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
      project,
      "SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = 'Integration_Erp' ORDER BY Field"
    );
    expect(fields.map((row) => `${String(row.Field)}:${row.PermissionsEdit === true ? 'edit' : row.PermissionsRead === true ? 'read' : 'none'}`)).to.deep.equal([
      'Account.Credit_Limit__c:edit',
      'Account.Industry:read',
      'Order.External_Id__c:read',
    ]);

    const classes = await query(
      project,
      "SELECT SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE Parent.Name = 'Integration_Erp' AND SetupEntityType = 'ApexClass'"
    );
    expect(classes).to.have.length(1);
    const apex = await query(project, `SELECT Name FROM ApexClass WHERE Id = '${String(classes[0].SetupEntityId)}'`);
    expect(apex.map((row) => row.Name)).to.deep.equal(['ErpOrderService']);

    const marketing = await query(
      project,
      "SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE Parent.Name = 'Integration_Marketing' ORDER BY SobjectType"
    );
    // Lead create/edit implies read: generate added it, the org has it.
    expect(marketing.map((row) => `${String(row.SobjectType)}:${verbsOf(row)}`)).to.deep.equal(['Contact:read', 'Lead:read,create,edit']);

    const profiles = await query(project, `SELECT Id, Name, PermissionsApiEnabled, PermissionsApiUserOnly, PermissionsViewSetup FROM Profile WHERE Name = '${PROFILE}'`);
    expect(profiles).to.have.length(1);
    expect(profiles[0]).to.include({ PermissionsApiEnabled: true, PermissionsApiUserOnly: true, PermissionsViewSetup: false });
    const profileObjects = await query(
      project,
      `SELECT SobjectType FROM ObjectPermissions WHERE Parent.IsOwnedByProfile = true AND Parent.Profile.Name = '${PROFILE}'`
    );
    expect(profileObjects, 'the profile grants no object access').to.deep.equal([]);
  });
});
