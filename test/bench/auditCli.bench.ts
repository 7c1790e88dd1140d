/*
 * Benchmark (not a mocha test) of the whole `sf integration audit --json` through the real, pinned sf (test/e2e/cli):
 * wall time, user+sys CPU, peak memory (max RSS of the sf process, by GNU time) and size of the JSON printed, against
 * the large generated org in its own simulator process with 50 ms added per request, and the requests and the round
 * trips on their critical path (the simulator's request log). The org is named by its access token (SF_TARGET_ORG),
 * so no login is needed. `--save-json DIR` keeps each run's output (to diff results before and after a change).
 *
 *   node --import tsx test/bench/auditCli.bench.ts [--users 10000] [--permission-sets 2000] [--latency 50] [--evidence-days 30,0] [--runs 2] [--warm-up 1] [--mode install|link] [--sf-log-file on,off] [--save-json DIR]
 *
 * --warm-up: untimed audits through sf before the table (their wall time is printed above it). The simulator is a
 * Node process too: its first audit after it starts answers slower while its own code is compiled (measured: the
 * simulator's time beyond the 50 ms latency summed to 2.5 s over that audit's requests, against 0.5–0.6 s for the
 * next ones, with the same CPU in the sf process), which a real org, already warm, does not do.
 *
 * --mode: how the plugin sits in sf (sfProcess.ts). `install` (default) is what users get; `link` adds oclif's
 * development-checkout cost (TypeScript and tsx loaded before the command, about 1 s of CPU and 50 MB).
 * test/bench/sfCli.bench.ts puts these figures beside sf's own start and the plugin's bin.
 *
 * --sf-log-file: sf's own log file as users have it (`on`) and with SF_DISABLE_LOG_FILE=true (`off`, what docs/ci
 * advises for pipelines). With it on, sf's log writer is a worker thread that polls for work with a back-off of up to
 * 1 s (thread-stream lib/wait.js) and the process waits for it at exit, so a command through sf ends at one of that
 * thread's polls: about 1.5, 2.5, 3.5 s … after sf starts when nothing else is logged. `off` shows the command's own time.
 *
 * Budget (issue 10): the 10,000-user org with 30 days of evidence under 3 s and 300 MB.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_MODES, preparePlugin, SF, sfEnv, sfUnavailable, table, timed, type InstallMode } from './sfProcess.js';
import { criticalPath, resetSimRequests, simRequests } from './requestTimeline.js';
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
const mode = arg('mode', 'install') as InstallMode;
const saveDir = arg('save-json', '');
const logFileModes = arg('sf-log-file', 'on,off').split(',');
const warmUps = Number(arg('warm-up', '1'));

const unavailable = sfUnavailable() ?? (INSTALL_MODES.includes(mode) ? undefined : `unknown --mode ${mode} (${INSTALL_MODES.join(', ')})`);
if (unavailable) {
  process.stdout.write(`auditCli.bench: ${unavailable}; skipped\n`);
  process.exit(0);
}
preparePlugin(mode);

const { child, info } = await startSimulator(users, permissionSets, latencyMs);
const rows: string[][] = [];
try {
  const org = { SF_TARGET_ORG: info.accessToken, SF_ORG_INSTANCE_URL: info.url, SF_ORG_API_VERSION: '66.0' };
  for (let run = 1; run <= warmUps; run++) {
    const warm = timed([SF, 'integration', 'audit', '--json', '--evidence-days', String(windows[0])], sfEnv(mode, org));
    process.stdout.write(`warm-up ${run} (untimed; the simulator compiles its own code on its first audit): ${warm.wallS.toFixed(2)} s wall, exit ${warm.exit}\n`);
  }
  for (const [days, logFile] of windows.flatMap((d) => logFileModes.map((l) => [d, l] as const))) {
    const env = sfEnv(mode, logFile === 'off' ? { ...org, SF_DISABLE_LOG_FILE: 'true' } : org);
    for (let run = 1; run <= runs; run++) {
      // eslint-disable-next-line no-await-in-loop
      await resetSimRequests(info);
      const out = timed([SF, 'integration', 'audit', '--json', '--evidence-days', String(days)], env);
      // eslint-disable-next-line no-await-in-loop
      const requests = await simRequests(info);
      if (saveDir) writeFileSync(join(saveDir, `audit-${days}d-log${logFile}-run${run}.json`), out.stdout);
      let findings = '?';
      try {
        findings = String((JSON.parse(out.stdout) as { result: { summary: { total: number } } }).result.summary.total);
      } catch {
        process.stderr.write(out.stderr.slice(-2000));
      }
      rows.push([String(users), String(days), logFile, String(run), String(out.exit), String(requests.length), String(criticalPath(requests)), out.wallS.toFixed(2), out.cpuS.toFixed(2), String(out.rssMB), String(Math.round(out.stdout.length / 1024)), findings]);
    }
  }
} finally {
  child.kill('SIGTERM');
}
process.stdout.write(
  `\nsf integration audit --json through the real sf, plugin ${mode}ed (${latencyMs} ms per request; budget < 3 s and < 300 MB at 10,000 users)\n\n` +
    table(['users', 'evidence days', 'sf log file', 'run', 'exit', 'requests', 'critical path', 'wall s', 'CPU s', 'peak RSS MB', 'JSON KB', 'findings'], rows)
);
