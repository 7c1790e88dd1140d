import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * A fresh process (this one has sf-plugins-core loaded already): records every module it loads, imports every
 * command (as oclif does before running one), then prints a table through sf-plugins-core's Ux before and after
 * loadTables().
 */
const CHILD = `
import { registerHooks } from 'node:module';
import { readdirSync } from 'node:fs';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
const ink = () => loaded.some((url) => url.includes('/node_modules/ink/'));
const commands = readdirSync('src/commands', { recursive: true }).filter((f) => f.endsWith('.ts'));
for (const file of commands) await import('./src/commands/' + file);
const tables = await import('./src/terminal/tables.ts');
const { Ux } = await import('@salesforce/sf-plugins-core');
const report = { commands: commands.length > 5, deferred: tables.tablesDeferred(), inkAtStart: ink() };
try {
  new Ux().table({ data: [{ app: 'erp-before' }] });
  report.before = 'printed';
} catch (error) {
  report.before = error.message;
}
await tables.loadTables();
new Ux().table({ data: [{ app: 'erp-after' }] });
report.inkAfterLoad = ink();
console.log('REPORT ' + JSON.stringify(report));
`;

describe('terminal/tables: the table stack loads when a table is printed', () => {
  it('the commands load without ink; a table prints once loadTables() ran, and only then', function () {
    this.timeout(60_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    expect(line, `${run.stdout}\n${run.stderr}`).to.be.a('string');
    const report = JSON.parse((line as string).slice('REPORT '.length)) as Record<string, unknown>;
    expect(report).to.deep.equal({
      commands: true,
      deferred: true,
      inkAtStart: false,
      before: '@oclif/table was deferred: await loadTables() before printing a table',
      inkAfterLoad: true,
    });
    expect(run.stdout).to.include('erp-after');
    expect(run.stdout).not.to.include('erp-before');
    expect(run.status).to.equal(0);
  });
});
