/*
 * Benchmark (not a mocha test) of `sf integration audit`:
 *  1. `audit -o`: requests, the round trips on their longest chain (requests each sent after the previous one was
 *     answered, from the simulator's request log) and wall time of the whole audit (load → rules → suppressions →
 *     result) against the org simulator in its own process, for generated orgs of 100, 1,000 and 10,000 users with 2,000 permission sets and
 *     50 ms added to every request. The rules' own time is shown apart.
 *  2. `audit --source-dir`: wall time on 2,000 generated profile and permission set files (source format), in
 *     process (cold: first run, module imports included; warm: second run), and through `node bin/run.js` (the
 *     built plugin's CLI, process start included).
 *
 *   node --import tsx test/bench/audit.bench.ts [--latency 50] [--users 100,1000,10000] [--permission-sets 2000] [--files 2000] [--skip-org]
 *
 * `--skip-org` runs only part 2.
 *
 * Budgets (docs/architecture.md): org of 10,000 users + 2,000 permission sets < 3 s at 50 ms/request, load requests ≤ 16 + one per
 * 2,000 rows; 2,000 files < 2 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runAuditPipeline } from '../../src/audit/pipeline.js';
import { auditModel } from '../../src/audit/runAudit.js';
import { newCallStats } from '../../src/org/connection.js';
import { criticalPath, resetSimRequests, simRequests } from './requestTimeline.js';
import { connect, startSimulator } from './simProcess.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const latencyMs = Number(arg('latency', '50'));
const sizes = process.argv.includes('--skip-org') ? [] : arg('users', '100,1000,10000').split(',').map(Number).filter((n) => n > 0);
const permissionSets = Number(arg('permission-sets', '2000'));
const fileCount = Number(arg('files', '2000'));
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** CPU time of this process since `from`: on a loaded machine wall time is noisy, CPU time is what the plugin costs. */
const cpuMsSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return Math.round((used.user + used.system) / 1000);
};

const print = (title: string, header: string[], rows: string[][]): void => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`\n${title}\n\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
};

process.stdout.write(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n`);

// ---- 1. audit -o ------------------------------------------------------------------------------------------------
const orgRows: string[][] = [];
for (const users of sizes) {
  // eslint-disable-next-line no-await-in-loop
  const { child, info } = await startSimulator(users, permissionSets, latencyMs);
  try {
    // eslint-disable-next-line no-await-in-loop
    const conn = await connect(info);
    // One unrecorded run first: the simulator JIT-compiles its SOQL engine on first use.
    // eslint-disable-next-line no-await-in-loop
    await runAuditPipeline({ target: { kind: 'org', connection: conn }, cwd: ROOT });
    // eslint-disable-next-line no-await-in-loop
    await resetSimRequests(info);
    const stats = newCallStats();
    const cpu = process.cpuUsage();
    const start = performance.now();
    // eslint-disable-next-line no-await-in-loop
    const out = await runAuditPipeline({ target: { kind: 'org', connection: conn, stats }, cwd: ROOT });
    const total = performance.now() - start;
    const cpuMs = cpuMsSince(cpu);
    // eslint-disable-next-line no-await-in-loop
    const chain = criticalPath(await simRequests(info));
    const rulesStart = performance.now();
    auditModel(out.model, { threshold: 2 });
    const rulesMs = performance.now() - rulesStart;
    const rows = out.model.users.length + out.model.assignments.length + out.model.permissionSets.length;
    orgRows.push([
      String(users),
      String(out.model.permissionSets.length),
      `${latencyMs} ms`,
      String(stats.requests),
      String(chain),
      String(Math.round(total)),
      String(cpuMs),
      String(Math.round(rulesMs)),
      String(out.result.summary.subjectsAudited),
      String(out.result.summary.total),
      String(rows),
    ]);
  } finally {
    child.kill('SIGTERM');
  }
}
if (orgRows.length > 0) print(
  `audit -o (org simulator in its own process, ${latencyMs} ms per request; budget < 3000 ms at 10,000 users)`,
  ['users', 'permission sets', 'latency', 'requests', 'longest chain', 'audit ms', 'plugin CPU ms', 'rules ms', 'integration users', 'findings', 'model rows'],
  orgRows
);

// ---- 2. audit --source-dir ----------------------------------------------------------------------------------------
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const perms = (names: string[]): string => names.map((n) => `    <userPermissions>\n        <enabled>true</enabled>\n        <name>${n}</name>\n    </userPermissions>`).join('\n');
const objects = (i: number): string =>
  Array.from({ length: 10 }, (_, k) =>
    `    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Object_${k}__c</object>\n        <viewAllRecords>${(i + k) % 37 === 0}</viewAllRecords>\n    </objectPermissions>`
  ).join('\n');
const fields = (): string =>
  Array.from({ length: 30 }, (_, k) => `    <fieldPermissions>\n        <editable>false</editable>\n        <field>Object_${k % 10}__c.Field_${k}__c</field>\n        <readable>true</readable>\n    </fieldPermissions>`).join('\n');

const project = mkdtempSync(join(tmpdir(), 'audit-bench-'));
const base = join(project, 'force-app', 'main', 'default');
mkdirSync(join(base, 'profiles'), { recursive: true });
mkdirSync(join(base, 'permissionsets'), { recursive: true });
const profileCount = Math.round(fileCount / 10);
for (let i = 0; i < fileCount; i++) {
  const integration = i % 5 === 0; // a fifth of the files belong to integrations (API only / integration license)
  const basePerms = ['ApiEnabled', 'ViewSetup', 'RunReports', 'EditTask', 'EditEvent', 'ChatterInternalUser'];
  if (i < profileCount) {
    const p = perms([...basePerms, ...(integration ? ['ApiUserOnly'] : []), ...(i % 50 === 0 ? ['ModifyAllData'] : [])]);
    writeFileSync(join(base, 'profiles', `Profile_${i}.profile-meta.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n<Profile ${NS}>\n    <custom>true</custom>\n${fields()}\n${objects(i)}\n    <userLicense>Salesforce</userLicense>\n${p}\n</Profile>\n`);
  } else {
    const p = perms([...basePerms, ...(i % 40 === 0 ? ['ModifyAllData', 'ManageUsers'] : []), ...(i % 60 === 0 ? ['DataExport'] : [])]);
    const license = integration ? '    <license>Salesforce API Integration</license>\n' : '';
    writeFileSync(join(base, 'permissionsets', `Set_${i}.permissionset-meta.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>\n    <description>Set ${i}</description>\n${fields()}\n    <label>Set ${i}</label>\n${license}${objects(i)}\n${p}\n</PermissionSet>\n`);
  }
}
const dirRows: string[][] = [];
try {
  for (const run of ['cold (first run, imports included)', 'warm (second run)']) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    // eslint-disable-next-line no-await-in-loop
    const out = await runAuditPipeline({ target: { kind: 'directory', path: project }, cwd: project });
    const ms = Math.round(performance.now() - start);
    dirRows.push([run, String(out.model.profiles.length + out.model.permissionSets.length), String(ms), String(cpuMsSince(cpu)), String(out.result.summary.subjectsAudited), String(out.result.summary.total)]);
  }
  const cliStart = performance.now();
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), 'integration', 'audit', '--source-dir', project, '--json'], { encoding: 'utf8', cwd: project });
  const cliMs = Math.round(performance.now() - cliStart);
  const parsed = ((): { result?: { summary: { subjectsAudited: number; total: number } } } => {
    try {
      return JSON.parse(cli.stdout) as { result?: { summary: { subjectsAudited: number; total: number } } };
    } catch {
      return {};
    }
  })();
  dirRows.push([`node bin/run.js (built CLI, exit ${cli.status ?? '?'})`, String(fileCount), String(cliMs), '-', String(parsed.result?.summary.subjectsAudited ?? '?'), String(parsed.result?.summary.total ?? '?')]);
} finally {
  rmSync(project, { recursive: true, force: true });
}
print(`audit --source-dir (${fileCount} generated files; budget < 2000 ms)`, ['run', 'files', 'ms', 'CPU ms', 'integration holders', 'findings'], dirRows);
// The directory loader alone (files/s, MB/s, peak memory) on a large org's shape: test/bench/directory.bench.ts.
