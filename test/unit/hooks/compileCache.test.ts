import { join } from 'node:path';
import { expect } from 'chai';
import { compileCacheDir, PLUGIN_NAME } from '../../../src/hooks/compileCache.js';

/** oclif's Config as the hook reads it: the cache folder and the command lookup. */
const config = (commands: Record<string, string>): Parameters<typeof compileCacheDir>[0] => ({
  cacheDir: join('/home', 'u', '.cache', 'sf'),
  findCommand: (id: string) => (id in commands ? { pluginName: commands[id] } : undefined),
});

describe('hooks/compileCache', () => {
  const sf = config({ 'integration:audit': PLUGIN_NAME, 'org:list': '@salesforce/plugin-org' });

  it("turns the compile cache on in sf's cache folder for this plugin's commands only", () => {
    expect(compileCacheDir(sf, 'integration:audit')).to.equal(join('/home', 'u', '.cache', 'sf', 'compile-cache'));
    expect(compileCacheDir(sf, 'org:list')).to.equal(undefined);
  });

  it('leaves a topic, an unknown id and no id alone (help, typos, bare sf)', () => {
    expect(compileCacheDir(sf, 'integration')).to.equal(undefined);
    expect(compileCacheDir(sf, 'integration:audti')).to.equal(undefined);
    expect(compileCacheDir(sf, undefined)).to.equal(undefined);
  });

  it('names the plugin as package.json does (oclif lists commands under that name)', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; oclif: { hooks: Record<string, string> } };
    expect(pkg.name).to.equal(PLUGIN_NAME);
    expect(pkg.oclif.hooks.init).to.equal('./lib/hooks/compileCache');
  });
});
