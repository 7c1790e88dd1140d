/**
 * Directory audits on the shapes real repositories have: duplicate names in two package directories, empty
 * documents, symbolic links (and loops), dot files, decomposed permission sets, .forceignore, UTF-16 and
 * truncated files. Each fixture is written here, small, with the shape seen in public SFDX projects.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { loadAccessModelFromDirectory } from '../../../src/access/directoryLoader.js';
import { auditModel } from '../../../src/audit/runAudit.js';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const permissionSet = (label: string, permissions: string[] = [], extra = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>\n    <label>${label}</label>\n${extra}${permissions
    .map((p) => `    <userPermissions>\n        <enabled>true</enabled>\n        <name>${p}</name>\n    </userPermissions>\n`)
    .join('')}</PermissionSet>\n`;

describe('directory loader: shapes of real repositories', () => {
  let dir: string;
  const write = async (path: string, content: string | Buffer): Promise<void> => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dirshapes-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('audits both files of a name defined in two package directories, each under its path, and reports the duplicate', async () => {
    await write('app-a/main/default/permissionsets/Erp_Integration.permissionset-meta.xml', permissionSet('A', ['ApiUserOnly']));
    await write('app-b/main/default/permissionsets/Erp_Integration.permissionset-meta.xml', permissionSet('B', ['ApiUserOnly', 'ModifyAllData']));
    const model = await loadAccessModelFromDirectory(dir);
    expect(model.permissionSets.map((p) => p.filePath)).to.deep.equal([
      'app-a/main/default/permissionsets/Erp_Integration.permissionset-meta.xml',
      'app-b/main/default/permissionsets/Erp_Integration.permissionset-meta.xml',
    ]);
    expect(model.loadProblems).to.have.length(1);
    expect(model.loadProblems[0]).to.include({ code: 'duplicate', path: 'app-b/main/default/permissionsets/Erp_Integration.permissionset-meta.xml' });
    const run = auditModel(model, { threshold: 2 });
    const priv002 = run.result.findings.filter((f) => f.ruleId === 'IU-PRIV-002');
    expect(priv002.map((f) => f.subject.filePath)).to.deep.equal(['app-b/main/default/permissionsets/Erp_Integration.permissionset-meta.xml']);
  });

  it('accepts valid empty documents: <PermissionSet/> and <Profile></Profile>', async () => {
    await write('permissionsets/Empty.permissionset-meta.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}/>\n`);
    await write('profiles/Blank.profile-meta.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Profile ${NS}></Profile>\n`);
    const model = await loadAccessModelFromDirectory(dir);
    expect(model.loadProblems).to.deep.equal([]);
    expect(model.permissionSets.map((p) => [p.name, p.systemPermissions])).to.deep.equal([['Empty', []]]);
    expect(model.profiles.map((p) => p.name)).to.deep.equal(['Blank']);
  });

  it('follows a symbolic link to a folder once, reports a link back to a folder already walked, and ignores a shell .profile', async () => {
    await write('shared/permissionsets/Linked_Api.permissionset-meta.xml', permissionSet('Linked', ['ApiUserOnly']));
    await mkdir(join(dir, 'force-app'), { recursive: true });
    await symlink(join(dir, 'shared'), join(dir, 'force-app', 'shared-link'));
    await symlink(dir, join(dir, 'shared', 'loop'));
    await write('.profile', 'export PATH=$PATH:~/bin\n');
    await write('home/.profile', 'umask 022\n');
    const model = await loadAccessModelFromDirectory(dir);
    // The real folder is walked first or the link is: either way the set is loaded exactly once.
    expect(model.permissionSets.map((p) => p.name)).to.deep.equal(['Linked_Api']);
    expect(model.profiles).to.deep.equal([]);
    const links = model.loadProblems.filter((p) => p.code === 'symlink');
    expect(links.map((p) => p.path)).to.include('shared/loop');
    expect(links.every((p) => p.message.includes('already audited'))).to.equal(true);
  });

  it('reads a decomposed permission set (decomposePermissionSetBeta2) whole: parent file and objectSettings parts', async () => {
    await write('sfdx-project.json', JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceBehaviorOptions: ['decomposePermissionSetBeta2'] }));
    const base = 'force-app/main/default/permissionsets/Erp_Api_Only';
    await write(`${base}/Erp_Api_Only.permissionset-meta.xml`, permissionSet('ERP API only', ['ApiEnabled', 'ApiUserOnly']));
    await write(
      `${base}/objectSettings/Account.objectSettings-meta.xml`,
      `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>\n    <fieldPermissions>\n        <editable>true</editable>\n        <field>Account.Rating</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <objectPermissions>\n        <allowCreate>false</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>true</modifyAllRecords>\n        <object>Account</object>\n        <viewAllRecords>true</viewAllRecords>\n    </objectPermissions>\n</PermissionSet>\n`
    );
    const model = await loadAccessModelFromDirectory(dir);
    expect(model.loadProblems).to.deep.equal([]);
    expect(model.permissionSets).to.have.length(1);
    const set = model.permissionSets[0];
    expect(set.name).to.equal('Erp_Api_Only');
    expect(set.label).to.equal('ERP API only');
    expect(set.systemPermissions).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    expect(set.objectPermissions).to.deep.equal([{ object: 'Account', read: true, create: false, edit: true, delete: false, viewAll: true, modifyAll: true }]);
    expect(set.fieldPermissions).to.deep.equal([{ field: 'Account.Rating', read: true, edit: true }]);
    expect(model.loadStats).to.include({ filesFound: 2, filesRead: 2, filesSkipped: 0 });
    const run = auditModel(model, { threshold: 2 });
    expect(run.result.findings.map((f) => f.ruleId)).to.include('IU-PRIV-004');
  });

  it('fails closed on the parts of a decomposed set when the project does not enable the format, as sf project deploy stops on them', async () => {
    await write('sfdx-project.json', JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }));
    const base = 'force-app/main/default/permissionsets/Erp';
    await write(`${base}/Erp.permissionset-meta.xml`, permissionSet('ERP', ['ApiUserOnly']));
    await write(`${base}/objectSettings/Account.objectSettings-meta.xml`, `<PermissionSet ${NS}><objectPermissions><allowRead>true</allowRead><modifyAllRecords>true</modifyAllRecords><object>Account</object></objectPermissions></PermissionSet>`);
    // A custom permission is a type of its own (not the part "customPermission" of the older decomposed format).
    await write('force-app/main/default/customPermissions/Erp_Sync.customPermission-meta.xml', '<CustomPermission/>');
    // What source-deploy-retrieve (and so sf project deploy) does with this project: it cannot type the part.
    const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
    expect(() => ComponentSet.fromSource(join(dir, 'force-app'))).to.throw().with.property('name', 'TypeInferenceError');

    const model = await loadAccessModelFromDirectory(join(dir, 'force-app'));
    expect(model.loadProblems.map((p) => [p.code, p.path])).to.deep.equal([['unreadable', 'main/default/permissionsets/Erp/objectSettings/Account.objectSettings-meta.xml']]);
    expect(model.loadProblems[0].message).to.include('"decomposePermissionSetBeta2" format').and.include('sourceBehaviorOptions');
    expect(model.loadStats).to.include({ filesFound: 2, filesRead: 1, filesSkipped: 1 });
    // The parent file is audited for what it says; the gate fails on the part whatever the findings.
    const run = auditModel(model, { threshold: 1 });
    expect(run.result.passed).to.equal(false);
    expect(run.result.summary.unreadableFiles).to.equal(1);
    expect(run.result.loadProblems[0]).to.include({ blocking: true });
    expect(run.result.summary.subjectsAudited).to.equal(1);
  });

  it('leaves out what .forceignore ignores and counts it as skipped', async () => {
    await write('sfdx-project.json', JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }));
    await write('.forceignore', '**/Ignored_Set.permissionset-meta.xml\n');
    await write('force-app/main/default/permissionsets/Ignored_Set.permissionset-meta.xml', permissionSet('Ignored', ['ModifyAllData']));
    await write('force-app/main/default/permissionsets/Kept_Set.permissionset-meta.xml', permissionSet('Kept'));
    const model = await loadAccessModelFromDirectory(join(dir, 'force-app'));
    expect(model.permissionSets.map((p) => p.name)).to.deep.equal(['Kept_Set']);
    expect(model.loadStats).to.include({ filesFound: 2, filesRead: 1, filesSkipped: 1, filesIgnored: 1 });
  });

  it('reads UTF-16 files with a byte order mark, and names UTF-16 without one', async () => {
    const xml = permissionSet('Wide', ['ApiUserOnly', 'ManageUsers']).replace('UTF-8', 'UTF-16');
    await write('permissionsets/Wide.permissionset-meta.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    await write('permissionsets/NoMark.permissionset-meta.xml', Buffer.from(xml, 'utf16le'));
    const model = await loadAccessModelFromDirectory(dir);
    expect(model.permissionSets.map((p) => [p.name, p.systemPermissions])).to.deep.equal([['Wide', ['ApiUserOnly', 'ManageUsers']]]);
    expect(model.loadProblems.map((p) => [p.code, p.path])).to.deep.equal([['unreadable', 'permissionsets/NoMark.permissionset-meta.xml']]);
    expect(model.loadProblems[0].message).to.match(/UTF-16/);
  });

  it('reports a truncated file at the line where it ends, with the elements left open', async () => {
    const full = permissionSet('Cut', ['ApiUserOnly', 'ModifyAllData']);
    await write('permissionsets/Cut.permissionset-meta.xml', full.slice(0, full.indexOf('ModifyAllData')));
    const model = await loadAccessModelFromDirectory(dir);
    expect(model.loadProblems).to.have.length(1);
    expect(model.loadProblems[0]).to.include({ code: 'unreadable', line: 10 });
    expect(model.loadProblems[0].message).to.match(/ends before <PermissionSet> <userPermissions> <name> is closed/);
  });
});
