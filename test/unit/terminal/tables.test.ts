import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

describe('terminal/deferredTable: the stand-in covers what sf-plugins-core imports from @oclif/table', () => {
  it('every name any sf-plugins-core module imports from @oclif/table is exported by the stand-in (a new one would break every command at load)', async () => {
    const libDir = dirname(createRequire(import.meta.url).resolve('@salesforce/sf-plugins-core'));
    const files = readdirSync(libDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const imported = new Set<string>();
    let otherForms = 0;
    for (const file of files) {
      const source = readFileSync(join(libDir, file), 'utf8');
      for (const statement of source.match(/(?:import|export)[^;]*?from\s*['"]@oclif\/table['"]/g) ?? []) {
        const named = /^import\s*\{([^}]*)\}/.exec(statement);
        if (!named) otherForms++;
        else for (const name of named[1].split(',').map((part) => part.trim().split(/\s+as\s+/)[0])) if (name) imported.add(name);
      }
    }
    expect(files.length).to.be.greaterThan(5);
    expect(otherForms, 'a namespace, default or re-export of @oclif/table: the stand-in cannot serve it').to.equal(0);
    expect([...imported].sort()).to.deep.equal(['makeTable', 'printTable']);
    const standIn = (await import('../../../src/terminal/deferredTable.js')) as Record<string, unknown>;
    for (const name of imported) expect(standIn[name], name).to.be.a('function');
  });
});
