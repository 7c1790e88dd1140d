import fsPromises, { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { expect } from 'chai';
import { loadAccessModelFromDirectory } from '../../../src/access/directoryLoader.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'metadata');

describe('directory loader', () => {
  it('loads source-format profiles, permission sets, groups and muting sets with their file paths', async () => {
    const model = await loadAccessModelFromDirectory(join(FIXTURES, 'source'));
    expect(model.source).to.equal('directory');
    expect(model.loadProblems).to.deep.equal([]);
    expect(model.profiles.map((p) => p.name).sort()).to.deep.equal(['Custom: Sales', 'Integration API Only']);
    const profile = model.profiles.find((p) => p.name === 'Integration API Only')!;
    expect(profile.filePath).to.equal('force-app/main/default/profiles/Integration API Only.profile-meta.xml');
    expect(profile.userLicense).to.equal('Salesforce');
    expect(profile.isCustom).to.equal(true);
    // Disabled permissions are absent; enabled ones listed.
    expect(profile.systemPermissions).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    expect(profile.fieldPermissions).to.deep.equal([{ field: 'Account.Industry', read: true, edit: false }]);
    expect(profile.loginIpRanges).to.deep.equal([]);
    const sales = model.profiles.find((p) => p.name === 'Custom: Sales')!;
    expect(sales.loginIpRanges).to.deep.equal([{ start: '198.51.100.0', end: '198.51.100.255', description: 'office' }]);

    const erp = model.permissionSets.find((p) => p.name === 'Integration_Erp')!;
    expect(erp.license).to.equal('Salesforce API Integration');
    expect(erp.description).to.include('[managed by sf-plugin-integration]');
    expect(erp.objectPermissions).to.deep.equal([
      { object: 'Account', read: true, create: false, edit: true, delete: false, viewAll: true, modifyAll: false },
    ]);
    expect(erp.setupEntityAccess).to.deep.equal([{ type: 'ApexClass', name: 'ErpOrderService' }]);

    const group = model.permissionSetGroups[0];
    expect(group.name).to.equal('Erp_Bundle');
    expect(group.permissionSetIds).to.have.members([erp.id, model.permissionSets.find((p) => p.name === 'Reporting')!.id]);
    expect(group.mutingPermissionSetId).to.equal(model.mutingPermissionSets[0].id);
    expect(model.mutingPermissionSets[0].systemPermissions).to.deep.equal(['ExportReport']);

    expect(model.availableFacts).to.not.include('users');
    expect(model.availableFacts).to.not.include('assignments');
    expect(model.users).to.deep.equal([]);
  });

  it('loads mdapi format (profiles/X.profile, permissionsets/X.permissionset) and ignores package.xml', async () => {
    const model = await loadAccessModelFromDirectory(join(FIXTURES, 'mdapi'));
    expect(model.loadProblems).to.deep.equal([]);
    expect(model.profiles.map((p) => [p.name, p.filePath])).to.deep.equal([['Integration API Only', 'profiles/Integration API Only.profile']]);
    expect(model.profiles[0].systemPermissions).to.deep.equal(['ApiUserOnly', 'PasswordNeverExpires']);
    expect(model.profiles[0].loginIpRanges).to.deep.equal([{ start: '203.0.113.0', end: '203.0.113.255' }]);
    expect(model.permissionSets.map((p) => p.name)).to.deep.equal(['Integration_Crm']);
  });

  it('reports a malformed file with its path and line, and a wrong root element, and loads the rest', async () => {
    const model = await loadAccessModelFromDirectory(join(FIXTURES, 'malformed'));
    const broken = model.loadProblems.find((p) => p.path === 'permissionsets/Broken.permissionset-meta.xml');
    expect(broken, JSON.stringify(model.loadProblems)).to.not.equal(undefined);
    expect(broken!.line).to.equal(7);
    expect(broken!.message).to.match(/not well-formed XML/);
    const wrong = model.loadProblems.find((p) => p.path === 'permissionsets/Wrong_Root.permissionset-meta.xml');
    expect(wrong!.message).to.match(/expected a <PermissionSet> document, found: Profile/);
    expect(model.permissionSets.map((p) => p.name)).to.deep.equal(['Good_Api']);
  });

  describe('bad input', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'dirloader-'));
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    it('a missing directory is a named error', async () => {
      const error = await loadAccessModelFromDirectory(join(dir, 'nope')).then(
        () => undefined,
        (e: Error) => e
      );
      expect(error?.name).to.equal('SourceDirNotFoundError');
      expect(error?.message).to.include(join(dir, 'nope'));
    });

    it('a directory without any profile or permission set file is a named error, not a passing audit', async () => {
      await writeFile(join(dir, 'README.md'), '# nothing');
      const error = await loadAccessModelFromDirectory(dir).then(
        () => undefined,
        (e: Error) => e
      );
      expect(error?.name).to.equal('NoMetadataFilesError');
    });

    it('a folder that cannot be read is an unreadable load problem with its errno code; a folder gone mid-walk is not', async () => {
      // Root reads any folder whatever its mode, so readdir is made to fail as it does for a user without access
      // (the chmod case itself is in test/unit/audit/failClosed.test.ts, skipped as root).
      await mkdir(join(dir, 'locked'));
      await mkdir(join(dir, 'gone'));
      await writeFile(join(dir, 'Api.permissionset-meta.xml'), '<?xml version="1.0"?><PermissionSet><label>Api</label></PermissionSet>');
      const realReaddir = fsPromises.readdir;
      const fail = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: said by the system`), { code });
      const stub = sinon.stub(fsPromises, 'readdir').callsFake(((path: string, options: never) => {
        if (path === join(dir, 'locked')) return Promise.reject(fail('EACCES'));
        if (path === join(dir, 'gone')) return Promise.reject(fail('ENOENT'));
        return realReaddir(path, options);
      }) as typeof fsPromises.readdir);
      syncBuiltinESMExports();
      try {
        const model = await loadAccessModelFromDirectory(dir);
        expect(model.loadProblems).to.deep.equal([
          { path: 'locked', code: 'unreadable', message: 'cannot read the folder (EACCES), so the files in it are not audited; give the process read access to it' },
        ]);
        expect(model.permissionSets.map((p) => p.name)).to.deep.equal(['Api']);
      } finally {
        stub.restore();
        syncBuiltinESMExports();
      }
    });

    it('skips node_modules and reports a group member missing from the directory', async () => {
      await mkdir(join(dir, 'node_modules', 'pkg'), { recursive: true });
      await writeFile(join(dir, 'node_modules', 'pkg', 'X.permissionset-meta.xml'), '<PermissionSet/>');
      await writeFile(
        join(dir, 'G.permissionsetgroup-meta.xml'),
        '<?xml version="1.0"?><PermissionSetGroup><label>G</label><permissionSets>Missing</permissionSets><permissionSets>acme__Managed_User</permissionSets></PermissionSetGroup>'
      );
      const model = await loadAccessModelFromDirectory(dir);
      expect(model.permissionSets).to.deep.equal([]);
      // A managed package's set is rarely in source control (seen 43 times on one public project): said so.
      expect(model.loadProblems.map((p) => p.message)).to.deep.equal([
        'permission set group G names permission set Missing, which is not in the directory',
        'permission set group G names permission set acme__Managed_User of the namespace acme (a managed package\'s), which is not in the directory: what it grants through the group is not audited',
      ]);
    });
  });
  it('with 600 files (one read buffer, grown for a 1 MB file; values pooled across files) keeps every file, the sorted order and a malformed file\'s line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dirloader-many-'));
    try {
      const sets = join(dir, 'permissionsets');
      await mkdir(sets, { recursive: true });
      // 600 files of 40 objects, the same object names in each (pooled), and one of 4,000 objects (1.2 MB) past the
      // first read buffer's size: the files after it must not see its bytes.
      const count = 600;
      const big = 400;
      const filler = Array.from({ length: 40 }, (_, k) => `    <objectPermissions>\n        <allowCreate>false</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>false</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Filler${k}__c</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>\n`).join('');
      const name = (i: number): string => `Set_${String(i).padStart(3, '0')}`;
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          writeFile(
            join(sets, `${name(i)}.permissionset-meta.xml`),
            i === 250
              ? '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Broken</label>\n    <userPermissions>\n</PermissionSet>\n'
              : `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>${name(i)}</label>\n${i === big ? filler.repeat(100) : filler}    <objectPermissions>\n        <allowCreate>false</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>false</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Obj${i}__c</object>\n        <viewAllRecords>${i % 2 === 0}</viewAllRecords>\n    </objectPermissions>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n</PermissionSet>\n`
          )
        )
      );
      const model = await loadAccessModelFromDirectory(dir);
      const expected = Array.from({ length: count }, (_, i) => i).filter((i) => i !== 250);
      expect(model.permissionSets.map((p) => p.name)).to.deep.equal(expected.map(name));
      for (const i of expected) {
        const set = model.permissionSets.find((p) => p.name === name(i))!;
        expect(set.objectPermissions).to.have.length(i === big ? 4001 : 41);
        expect(set.objectPermissions.find((o) => o.object === `Obj${i}__c`)).to.deep.equal(
          { object: `Obj${i}__c`, read: true, create: false, edit: false, delete: false, viewAll: i % 2 === 0, modifyAll: false }
        );
        expect(set.systemPermissions).to.deep.equal(['ApiEnabled']);
      }
      expect(model.loadProblems).to.have.length(1);
      expect(model.loadProblems[0].path).to.equal(`permissionsets/${name(250)}.permissionset-meta.xml`);
      expect(model.loadProblems[0].line).to.be.a('number');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
