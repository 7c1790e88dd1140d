import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { writeComponents, sourceFilePath, isSafeFileName } from '../../../src/metadata/write.js';
import type { GeneratedComponent } from '../../../src/metadata/types.js';
import { MANAGED_MARKER } from '../../../src/manifest/constants.js';

const managed = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<X><description>${body} ${MANAGED_MARKER}</description></X>\n`;
const components = (version = 'v1'): GeneratedComponent[] => [
  { type: 'Profile', fullName: 'Integration API Only', xml: managed(`profile ${version}`) },
  { type: 'PermissionSet', fullName: 'Integration_Erp', xml: managed(`erp ${version}`) },
];

async function expectError(promise: Promise<unknown>, name: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).name).to.equal(name);
    return error as Error;
  }
  return expect.fail(`expected ${name}`);
}

describe('metadata: writing source-format files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sfi-write-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes directory names and suffixes from the SDR registry', () => {
    const registry = new RegistryAccess();
    expect(sourceFilePath(registry, 'Profile', 'Integration API Only')).to.equal('profiles/Integration API Only.profile-meta.xml');
    expect(sourceFilePath(registry, 'PermissionSet', 'Integration_Erp')).to.equal('permissionsets/Integration_Erp.permissionset-meta.xml');
  });

  it('creates, then reports unchanged, then updates its own files', async () => {
    const out = join(dir, 'force-app', 'main', 'default');
    const first = await writeComponents(out, components());
    expect(first.map((f) => [f.relativePath, f.action])).to.deep.equal([
      ['profiles/Integration API Only.profile-meta.xml', 'created'],
      ['permissionsets/Integration_Erp.permissionset-meta.xml', 'created'],
    ]);
    expect(await readFile(join(out, 'permissionsets', 'Integration_Erp.permissionset-meta.xml'), 'utf8')).to.equal(managed('erp v1'));
    const before = (await stat(join(out, 'profiles', 'Integration API Only.profile-meta.xml'))).mtimeMs;
    const second = await writeComponents(out, components());
    expect(second.map((f) => f.action)).to.deep.equal(['unchanged', 'unchanged']);
    expect((await stat(join(out, 'profiles', 'Integration API Only.profile-meta.xml'))).mtimeMs).to.equal(before);
    const third = await writeComponents(out, components('v2'));
    expect(third.map((f) => f.action)).to.deep.equal(['updated', 'updated']);
    expect(await readFile(join(out, 'permissionsets', 'Integration_Erp.permissionset-meta.xml'), 'utf8')).to.equal(managed('erp v2'));
  });

  it('--dry-run lists what it would do and writes nothing', async () => {
    const out = join(dir, 'out');
    const planned = await writeComponents(out, components(), { dryRun: true });
    expect(planned.map((f) => f.action)).to.deep.equal(['wouldCreate', 'wouldCreate']);
    expect(await readdir(dir)).to.deep.equal([]);
    await writeComponents(out, components());
    const again = await writeComponents(out, components('v2'), { dryRun: true });
    expect(again.map((f) => f.action)).to.deep.equal(['wouldUpdate', 'wouldUpdate']);
    expect(await readFile(join(out, 'profiles', 'Integration API Only.profile-meta.xml'), 'utf8')).to.equal(managed('profile v1'));
  });

  it('refuses to overwrite a file it did not generate, writes nothing at all, and overwrites with force', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, 'permissionsets'), { recursive: true });
    const handWritten = '<PermissionSet><label>Hand made</label></PermissionSet>\n';
    await writeFile(join(out, 'permissionsets', 'Integration_Erp.permissionset-meta.xml'), handWritten);
    const error = await expectError(writeComponents(out, components()), 'WouldOverwriteError');
    expect(error.message).to.include('Integration_Erp.permissionset-meta.xml');
    // Nothing half-written: the profile (which was free) was not written either.
    expect(await readdir(out)).to.deep.equal(['permissionsets']);
    expect(await readFile(join(out, 'permissionsets', 'Integration_Erp.permissionset-meta.xml'), 'utf8')).to.equal(handWritten);
    await expectError(writeComponents(out, components(), { dryRun: true }), 'WouldOverwriteError');
    const forced = await writeComponents(out, components(), { force: true });
    expect(forced.map((f) => f.action)).to.deep.equal(['created', 'updated']);
    expect(await readFile(join(out, 'permissionsets', 'Integration_Erp.permissionset-meta.xml'), 'utf8')).to.equal(managed('erp v1'));
  });

  it('never writes outside the output directory: unsafe names', async () => {
    for (const fullName of ['../evil', 'a/b', 'a\\b', '..', 'x\u0000y', ' lead']) {
      expect(isSafeFileName(fullName), fullName).to.equal(false);
      // eslint-disable-next-line no-await-in-loop
      await expectError(writeComponents(join(dir, 'out'), [{ type: 'PermissionSet', fullName, xml: managed('x') }]), 'UnsafeNameError');
    }
    expect(isSafeFileName('Integration API Only')).to.equal(true);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('never writes outside the output directory: a symbolic link inside it', async () => {
    const out = join(dir, 'out');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(out);
    await mkdir(elsewhere);
    await symlink(elsewhere, join(out, 'permissionsets'));
    await expectError(writeComponents(out, components()), 'OutsideOutputDirError');
    expect(await readdir(elsewhere)).to.deep.equal([]);
  });

  it('does not follow a symbolic link in place of a file', async () => {
    const out = join(dir, 'out');
    await mkdir(join(out, 'profiles'), { recursive: true });
    const target = join(dir, 'target.xml');
    await writeFile(target, managed('target'));
    await symlink(target, join(out, 'profiles', 'Integration API Only.profile-meta.xml'));
    await expectError(writeComponents(out, components()), 'NotARegularFileError');
    expect(await readFile(target, 'utf8')).to.equal(managed('target'));
  });
});
