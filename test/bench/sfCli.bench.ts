/*
 * Benchmark (not a mocha test) of what running the plugin THROUGH the real sf costs beyond the plugin's own work:
 * the same commands through the pinned sf with the plugin linked and installed (see sfProcess.ts for why both), and
 * through the plugin's own bin (node bin/run.js, no sf). Per case: best wall and best user+sys CPU of --runs runs
 * (runs interleaved, so load hits every case alike), highest peak RSS.
 *
 *   node --import tsx test/bench/sfCli.bench.ts [--runs 3] [--corpus DIR] [--users 10000] [--permission-sets 2000]
 *        [--latency 50] [--evidence-days 0,30] [--modes link,install] [--skip-org]
 *
 * Cases: `sf version` (sf's own start), `sf integration audit --help`, `audit --source-dir CORPUS` (only with
 * --corpus DIR or SF_BENCH_CORPUS=DIR: a folder of real profiles and permission sets you collected OUTSIDE the
 * repository; skipped with a message otherwise), and `audit --json` of the generated large org in its own simulator
 * process (50 ms per request) for each --evidence-days window.
 *
 * Budgets: issue 8, `--source-dir` on ~800 real files (110 MB) < 4 s and < 400 MB; issue 10, the 10,000-user audit
 * with --json < 3 s and < 300 MB, both end to end through sf.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  best,
  INSTALL_MODES,
  load,
  PLUGIN_BIN,
  preparePlugin,
  SF,
  sfEnv,
  sfUnavailable,
  table,
  timed,
  type InstallMode,
  type Timing,
} from './sfProcess.js';
import { startSimulator, type SimInfo } from './simProcess.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const runs = Number(arg('runs', '3'));
const corpusArg = arg('corpus', process.env.SF_BENCH_CORPUS ?? '');
const corpus = corpusArg ? resolve(corpusArg) : '';
const users = Number(arg('users', '10000'));
const permissionSets = Number(arg('permission-sets', '2000'));
const latencyMs = Number(arg('latency', '50'));
const windows = arg('evidence-days', '0,30').split(',').map(Number);
const modes = arg('modes', INSTALL_MODES.join(','))
  .split(',')
  .filter((m): m is InstallMode => (INSTALL_MODES as readonly string[]).includes(m));
const skipOrg = process.argv.includes('--skip-org');

const unavailable = sfUnavailable();
if (unavailable) {
  process.stdout.write(`sfCli.bench: ${unavailable}; skipped\n`);
  process.exit(0);
}
const notes: string[] = [];
if (!corpus) {
  notes.push('directory audit skipped: give --corpus DIR (or SF_BENCH_CORPUS=DIR), a folder of real profiles and permission sets kept outside the repository');
} else if (!existsSync(corpus)) {
  notes.push(`directory audit skipped: ${corpus} does not exist`);
}
const haveCorpus = corpus !== '' && existsSync(corpus);
for (const mode of modes) preparePlugin(mode);

/** A case: a label and the command line for a given way of running (an sf mode, or the plugin's bin). */
type Case = { label: string; viaBin: boolean; args: string[]; org?: boolean };
const cases: Case[] = [
  { label: 'sf version', viaBin: false, args: ['version'] },
  { label: 'integration audit --help', viaBin: false, args: ['integration', 'audit', '--help'] },
  ...(haveCorpus
    ? [true, false].map((viaBin) => ({ label: `integration audit --source-dir ${corpus}`, viaBin, args: ['integration', 'audit', '--source-dir', corpus] }))
    : []),
  ...(skipOrg
    ? []
    : windows.flatMap((days) =>
        [true, false].map((viaBin) => ({
          label: `integration audit --json --evidence-days ${days} (${users} users)`,
          viaBin,
          args: ['integration', 'audit', '--json', '--evidence-days', String(days)],
          org: true,
        }))
      )),
];

const sim = skipOrg ? undefined : await startSimulator(users, permissionSets, latencyMs);
const orgEnv = (info: SimInfo | undefined): Record<string, string> =>
  info ? { SF_TARGET_ORG: info.accessToken, SF_ORG_INSTANCE_URL: info.url, SF_ORG_API_VERSION: '66.0' } : {};

const loadBefore = load();
const timings = new Map<string, Timing[]>();
try {
  for (let run = 1; run <= runs; run++) {
    for (const c of cases) {
      for (const via of c.viaBin ? ['bin'] : modes) {
        // The bin has no sf around it: same environment, and the install mode does not apply.
        const env = sfEnv(via === 'bin' ? 'link' : (via as InstallMode), c.org ? orgEnv(sim?.info) : {});
        const command = via === 'bin' ? [process.execPath, PLUGIN_BIN, ...c.args] : [SF, ...c.args];
        const t = timed(command, env);
        if (t.exit !== 0 && t.exit !== 1) process.stderr.write(`${via} ${c.args.join(' ')}: exit ${t.exit}\n${t.stderr.slice(-2000)}\n`);
        const key = `${c.label}\u0000${via}`;
        timings.set(key, [...(timings.get(key) ?? []), t]);
      }
    }
  }
} finally {
  sim?.child.kill('SIGTERM');
}

const rows = [...timings].map(([key, ts]) => {
  const [label, via] = key.split('\u0000');
  const b = best(ts);
  return [label, via === 'bin' ? 'node bin/run.js' : `sf (${via})`, b.exits, b.wallS.toFixed(2), b.cpuS.toFixed(2), String(b.rssMB)];
});
process.stdout.write(
  `\nThe plugin through the real sf vs its own bin: best of ${runs} (wall, user+sys CPU), highest peak RSS; ` +
    `${load()} (before: ${loadBefore})\n\n` +
    table(['command', 'run by', 'exit', 'wall s', 'CPU s', 'peak RSS MB'], rows) +
    notes.map((n) => `\n${n}`).join('') +
    '\n'
);
