/*
 * The published artifact: `npm pack` of the built tree, installed into the pinned sf with `sf plugins install`
 * (not `link`), so the plugin runs from the tarball's files with only its `dependencies` (npm installs them with
 * `--omit dev`), exactly as a user gets it from the registry. Then help, a directory audit and an org audit
 * (the simulator's demo org) through the installed copy.
 *
 * Network: installing the tarball makes sf run `npm install` of its dependencies from the npm registry (the one
 * network CI has). The test shares the caller's npm cache and prefers cached data, so a set-up machine installs
 * mostly from the cache; it skips, with the reason printed, only when the registry does not answer `npm ping`.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { expect } from 'chai';
import { describeRun, REPO_ROOT, runProcess, useE2eSession, type SfRun } from './harness.js';
import { schemaErrors } from './schemas.js';

type PackJson = Array<{ filename: string; size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }> }>;
type AuditJson = { passed: boolean; findings: Array<{ ruleId: string; subject: { name: string; filePath?: string } }> };
type PluginJson = Array<{ name: string; type: string; root: string; version: string; hasManifest: boolean }>;

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const manifestCommands = Object.keys(
  (JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as { commands: Record<string, unknown> }).commands
);
const noStackTrace = (text: string): boolean => !/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text);

/** npm run in this (the caller's) environment: its registry, proxy and cache settings apply. */
const npm = (args: string[], timeoutMs = 60_000): ReturnType<typeof runProcess> =>
  runProcess('npm', args, { env: process.env, cwd: REPO_ROOT, timeoutMs });

describe('e2e: the packed plugin, installed with sf plugins install', () => {
  const session = useE2eSession({ linkPlugin: false });
  let pack: PackJson[number];
  let tarballUrl: string;
  let install: SfRun;
  const figures: string[] = [];

  before(async function () {
    this.timeout(420_000);
    const ping = await npm(['ping', '--fetch-retries=0'], 30_000);
    if (ping.exitCode !== 0) {
      process.stdout.write(
        `      SKIPPED: the npm registry does not answer (npm ping exit ${ping.exitCode}); ` +
          `sf plugins install needs it to install the plugin's dependencies.\n${ping.stderr.trim()}\n`
      );
      this.skip();
    }
    // sf's npm runs in the session's HOME: hand it the caller's npm cache and .npmrc (registry, proxy)
    const [cache, userconfig] = await Promise.all(['cache', 'userconfig'].map(async (key) => (await npm(['config', 'get', key])).stdout.trim()));

    // The built tree (lib/, oclif.manifest.json from `npm run build`) as npm would publish it.
    const dest = join(session().workDir, 'pack');
    await mkdir(dest, { recursive: true });
    const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dest]);
    expect(packed.exitCode, packed.stderr).to.equal(0);
    pack = (JSON.parse(packed.stdout) as PackJson)[0];
    const tarball = join(dest, pack.filename);
    // `sf plugins install` takes a local tarball as a `file:` URL (a bare path with "/" is read as a GitHub repo).
    tarballUrl = `file:${tarball}`;

    // sf prompts before installing an unsigned plugin; the documented unattended way is an allowlist file,
    // unsignedPluginAllowList.json in sf's config dir ($XDG_CONFIG_HOME/sf, i.e. ~/.config/sf): Salesforce CLI
    // Setup Guide, "Install Trusted Unsigned Plugins Automatically", and the README of salesforcecli/plugin-trust.
    // For a URL install, plugin-trust's verifyInstallSignature hook looks up the URL as typed, not the package
    // name (`isAllowListed({ name: options.plugin.url, configPath: options.config.configDir })`, plugin-trust 4.0.10
    // lib/hooks/verifyInstallSignature.js). Without the file the prompt gets no answer and the install exits 1.
    const configDir = join(session().env.XDG_CONFIG_HOME!, 'sf');
    await mkdir(configDir, { recursive: true });
    writeFileSync(join(configDir, 'unsignedPluginAllowList.json'), JSON.stringify([tarballUrl]));

    install = await session().sf(['plugins', 'install', tarballUrl], {
      env: {
        npm_config_cache: cache,
        npm_config_userconfig: userconfig,
        npm_config_prefer_offline: 'true',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
      },
      timeoutMs: 400_000,
    });
    figures.push(`pack ${pack.size} B (${pack.entryCount} files, ${pack.unpackedSize} B unpacked)`, `install ${install.durationMs} ms`);
  });

  after(() => {
    if (figures.length > 0) process.stdout.write(`      figures: ${figures.join('; ')}\n`);
  });

  it('npm pack ships lib, messages, schemas and oclif.manifest.json: no sources, tests or dev files', () => {
    const paths = pack.files.map((f) => f.path);
    const allowed = /^(lib\/.+\.(js|d\.ts|js\.map)|messages\/[^/]+\.md|schemas\/[^/]+\.json|oclif\.manifest\.json|package\.json|README\.md|LICENSE(\.\w+)?)$/;
    expect(paths.filter((p) => !allowed.test(p))).to.deep.equal([]);
    expect(paths).to.include.members(['oclif.manifest.json', 'lib/index.js', 'schemas/integration-manifest.schema.json']);
    // every command of the manifest is in the tarball, and every module compiled from src/
    for (const id of manifestCommands) expect(paths).to.include(`lib/commands/${id.split(':').join('/')}.js`);
    const modules = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => `lib/${f.split(sep).join('/').replace(/\.ts$/, '.js')}`);
    expect(modules.length).to.be.greaterThan(manifestCommands.length);
    expect(modules.filter((m) => !paths.includes(m))).to.deep.equal([]);
  });

  it('sf plugins install <tarball> installs it without a prompt, as a user plugin (not a link), without devDependencies', async () => {
    expect(install.exitCode, describeRun(install)).to.equal(0);
    expect(install.stdout + install.stderr).to.include(`installed v${pkg.version}`);
    const plugins = await session().sf(['plugins', '--json']);
    expect(plugins.exitCode, describeRun(plugins)).to.equal(0);
    // `sf plugins --json` prints oclif's plugin array itself, not sf's { status, result } envelope
    const ours = (JSON.parse(plugins.stdout) as PluginJson).find((p) => p.name === pkg.name);
    // "user": installed into sf's data dir ("link" would be a linked checkout); hasManifest: the tarball's manifest
    expect(ours, describeRun(plugins)).to.deep.include({ type: 'user', version: pkg.version, hasManifest: true });
    const dataDir = session().env.SF_DATA_DIR!;
    expect(ours!.root).to.equal(join(dataDir, 'node_modules', pkg.name));
    // the installed copy came from the tarball, not from this repository
    expect(existsSync(join(ours!.root, 'src'))).to.equal(false);
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(dataDir, 'node_modules', dep)), dep).to.equal(true);
    // devDependencies that nothing in the dependency tree needs: absent, so the plugin ran without them
    for (const dev of ['mocha', 'chai', 'sinon', 'tsx', 'typescript', 'oclif', 'eslint', 'jscpd']) {
      expect(pkg.devDependencies, dev).to.have.property(dev);
      expect(existsSync(join(dataDir, 'node_modules', dev)), `${dev} installed`).to.equal(false);
    }
  });

  it('sf integration --help lists the commands; sf integration audit --help answers', async () => {
    const topic = await session().sf(['integration', '--help']);
    expect(topic.exitCode, describeRun(topic)).to.equal(0);
    // the topic's help lists its commands and subtopics: `integration audit`, `integration user`, …
    for (const id of manifestCommands) expect(topic.stdout, describeRun(topic)).to.include(id.split(':').slice(0, 2).join(' '));
    const help = await session().sf(['integration', 'audit', '--help']);
    expect(help.exitCode, describeRun(help)).to.equal(0);
    expect(help.stdout).to.include('$ sf integration audit');
    expect(help.stdout).to.match(/--source-dir=<value>/);
    figures.push(`audit --help ${help.durationMs} ms`);
  });

  it('audits a metadata directory: exit 1 on the fixture findings, SARIF written, JSON result matches its schema', async () => {
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'metadata', 'source'), join(session().workDir, 'project'), { recursive: true });
    const run = await session().sf<AuditJson>(['integration', 'audit', '--source-dir', 'project', '--json', '--output-file', 'dir.sarif']);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    expect(schemaErrors('integration:audit', run.json?.result)).to.deep.equal([]);
    const priv002 = run.json!.result!.findings.find((f) => f.ruleId === 'IU-PRIV-002');
    expect(priv002?.subject.filePath, describeRun(run)).to.equal('force-app/main/default/permissionsets/Integration_Erp.permissionset-meta.xml');
    const sarif = JSON.parse(readFileSync(join(session().workDir, 'dir.sarif'), 'utf8')) as {
      runs: Array<{ tool: { driver: { name: string; semanticVersion: string } }; results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.runs[0].tool.driver).to.deep.include({ name: pkg.name, semanticVersion: pkg.version });
    expect(sarif.runs[0].results.map((r) => r.ruleId)).to.include('IU-PRIV-002');
    figures.push(`directory audit ${run.durationMs} ms`);
  });

  it('audits the simulated org: table, exit 1, the admin-profile user flagged, no token printed', async () => {
    const run = await session().sf(['integration', 'audit', '-o', session().alias]);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    expect(run.stdout).to.include('IU-PRIV-001');
    expect(run.stdout).to.include('legacy.admin.integration@demo.sim');
    expect(run.stdout).to.match(/FAILED/);
    expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);
    figures.push(`org audit ${run.durationMs} ms`);
  });

  it('user list prints its table from the installed copy (the table module loads on demand, src/terminal/tables.ts)', async () => {
    const run = await session().sf(['integration', 'user', 'list', '-o', session().alias]);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    // a table row (boxed on a terminal, plain under CI=true): the table module was loaded when the command printed it
    expect(run.stdout, describeRun(run)).to.match(/^[│ ]*Username +[│ ]*Active\b/m);
    expect(run.stdout, describeRun(run)).to.match(/^[│ ]*legacy\.admin\.integration@demo\.sim +[│ ]*yes\b/m);
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);
  });

  it("keeps its commands' compiled code in sf's cache folder (src/hooks/compileCache.ts), and leaves other commands' runs alone", async () => {
    // The commands above ran with the session's XDG_CACHE_HOME: sf's cacheDir is its `sf` folder.
    const cacheDir = join(session().env.XDG_CACHE_HOME!, 'sf', 'compile-cache');
    expect(existsSync(cacheDir), `no ${cacheDir}`).to.equal(true);
    // Node keeps one folder per Node version and V8 flags, holding one file per compiled module.
    const cached = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(cached.length, cacheDir).to.be.greaterThan(100);
    // Another plugin's command, in a cache folder of its own: the hook turns nothing on there.
    const otherCache = join(session().workDir, 'other-cache');
    const other = await session().sf(['plugins', '--json'], { env: { XDG_CACHE_HOME: otherCache } });
    expect(other.exitCode, describeRun(other)).to.equal(0);
    expect(existsSync(join(otherCache, 'sf', 'compile-cache'))).to.equal(false);
  });
});
