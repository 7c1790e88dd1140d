/*
 * The real sf sees the linked plugin, the harness's login works, and every command of the built plugin
 * answers `--help` through sf (so a command whose messages or flags are broken fails here, not in a user's shell).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeRun, REPO_ROOT, useE2eSession } from './harness.js';

type ManifestCommand = { id: string; summary?: string };
const manifestCommands = (): ManifestCommand[] => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, ManifestCommand>;
  };
  return Object.values(manifest.commands);
};

describe('e2e: the plugin inside the real sf', () => {
  const session = useE2eSession();

  it('sf plugins lists the plugin as linked from this repository', async () => {
    const run = await session().sf(['plugins']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(run.stdout).to.include(`${pkg.name} ${pkg.version} (link) ${REPO_ROOT}`);
  });

  it('sf is logged in to the simulator under the session alias', async () => {
    const run = await session().sf<{ username: string; instanceUrl: string; id: string }>([
      'org',
      'display',
      '-o',
      session().alias,
      '--json',
    ]);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.json?.result?.username).to.equal(session().org.username);
    expect(run.json?.result?.instanceUrl?.replace(/\/$/, '')).to.equal(session().org.url);
    // org display shows a token only with --verbose; the simulator's token must not leak here
    expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);
  });

  it('every command of the built plugin answers --help through sf with its summary', async function () {
    const commands = manifestCommands();
    if (commands.length === 0) this.skip();
    this.timeout(commands.length * 60_000);
    for (const command of commands) {
      // eslint-disable-next-line no-await-in-loop -- one sf at a time keeps a 2-core machine responsive
      const run = await session().sf([...command.id.split(':'), '--help']);
      expect(run.exitCode, describeRun(run)).to.equal(0);
      expect(run.stdout, describeRun(run)).to.include(`$ sf ${command.id.split(':').join(' ')}`);
      if (command.summary) expect(run.stdout, describeRun(run)).to.include(command.summary.split('\n')[0]);
    }
  });
});
