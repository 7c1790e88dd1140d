/*
 * Benchmark (not a mocha test) of the whole `sf integration audit --json` through the real, pinned sf (test/e2e/cli,
 * the plugin linked by scripts/setup.sh into tmp/sf-home): wall time, peak memory (max RSS of the sf process, by
 * GNU time) and size of the JSON printed, against the large generated org in its own simulator process with 50 ms
 * added per request. The org is named by its access token (SF_TARGET_ORG), so no login is needed.
 *
 *   node --import tsx test/bench/auditCli.bench.ts [--users 10000] [--permission-sets 2000] [--latency 50] [--evidence-days 30,0] [--runs 2]
 *
 * Budget (issue 10): the 10,000-user org with 30 days of evidence under 3 s and 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from './simProcess.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const users = Number(arg('users', '10000'));
const permissionSets = Number(arg('permission-sets', '2000'));
const latencyMs = Number(arg('latency', '50'));
const windows = arg('evidence-days', '30,0').split(',').map(Number);
const runs = Number(arg('runs', '2'));
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SF = join(ROOT, 'test', 'e2e', 'cli', 'node_modules', '.bin', 'sf');

if (!existsSync(SF) || !existsSync('/usr/bin/time')) {
  process.stdout.write('auditCli.bench: needs the pinned sf (bash scripts/setup.sh) and GNU time (/usr/bin/time); skipped\n');
  process.exit(0);
}

const { child, info } = await startSimulator(users, permissionSets, latencyMs);
const rows: string[][] = [];
try {
  const env = {
    ...process.env,
    HOME: join(ROOT, 'tmp', 'sf-home'),
    SF_DATA_DIR: join(ROOT, 'tmp', 'sf-data'),
    SF_TARGET_ORG: info.accessToken,
    SF_ORG_INSTANCE_URL: info.url,
    SF_ORG_API_VERSION: '66.0',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_CONTAINER_MODE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  };
  for (const days of windows) {
    for (let run = 1; run <= runs; run++) {
      const out = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', SF, 'integration', 'audit', '--json', '--evidence-days', String(days)], {
        env,
        encoding: 'utf8',
        maxBuffer: 1024 * 1024 * 1024,
      });
      const [, seconds, kb] = /TIME ([\d.]+) (\d+)/.exec(out.stderr) ?? [];
      let findings = '?';
      try {
        findings = String((JSON.parse(out.stdout) as { result: { summary: { total: number } } }).result.summary.total);
      } catch {
        process.stderr.write(out.stderr.slice(-2000));
      }
      rows.push([String(users), String(days), String(run), String(out.status), seconds ?? '?', kb ? String(Math.round(Number(kb) / 1024)) : '?', String(Math.round(out.stdout.length / 1024)), findings]);
    }
  }
} finally {
  child.kill('SIGTERM');
}
const header = ['users', 'evidence days', 'run', 'exit', 'wall s', 'peak RSS MB', 'JSON KB', 'findings'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(
  `\nsf integration audit --json through the real sf (${latencyMs} ms per request; budget < 3 s and < 300 MB at 10,000 users)\n\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`
);
