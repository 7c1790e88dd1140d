/*
 * Benchmark (not a mocha test) of `--help` start-up through the real, pinned sf: `sf integration user list --help`
 * next to sf's own `sf org list users --help`, with the plugin installed (as users have it) and linked (as the e2e
 * tests have it; see sfProcess.ts for what a link costs). One untimed run of each first (disk cache), then --rounds
 * interleaved rounds so machine noise hits both alike. Per command: best and median wall, best user+sys CPU,
 * highest peak RSS; then the plugin / core ratios.
 *
 *   node --import tsx test/bench/startup.bench.ts [--rounds 5] [--modes install,link]
 *
 * Budget (docs/architecture.md, Budgets): the plugin's --help starts no slower than `sf org list users --help`
 * (ratio ≤ 1). Printed, never asserted: wall times on a shared machine are too noisy to gate on. What keeps the
 * budget is tested: test/unit/commands/helpStartup.test.ts (no flag makes oclif import a command for --help).
 */
import { best, INSTALL_MODES, load, preparePlugin, SF, sfEnv, sfUnavailable, table, timed, type InstallMode, type Timing } from './sfProcess.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const rounds = Number(arg('rounds', '5'));
const modes = arg('modes', 'install,link')
  .split(',')
  .filter((m): m is InstallMode => (INSTALL_MODES as readonly string[]).includes(m));

const unavailable = sfUnavailable();
if (unavailable) {
  process.stdout.write(`startup.bench: ${unavailable}; skipped\n`);
  process.exit(0);
}

const COMMANDS = {
  plugin: ['integration', 'user', 'list', '--help'],
  core: ['org', 'list', 'users', '--help'],
} as const;
type Name = keyof typeof COMMANDS;

const run = (mode: InstallMode, name: Name): Timing => {
  const t = timed([SF, ...COMMANDS[name]], sfEnv(mode, { NO_COLOR: '1' }));
  if (t.exit !== 0) {
    process.stderr.write(`startup.bench: sf ${COMMANDS[name].join(' ')} (${mode}) exited ${String(t.exit)}\n${t.stderr.slice(-2000)}\n`);
    process.exit(1);
  }
  return t;
};

const loadBefore = load();
const rows: string[][] = [];
for (const mode of modes) {
  preparePlugin(mode);
  const samples: Record<Name, Timing[]> = { plugin: [], core: [] };
  for (const name of Object.keys(COMMANDS) as Name[]) run(mode, name);
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(COMMANDS) as Name[]) samples[name].push(run(mode, name));
  }
  const median = (ts: Timing[]): number => [...ts.map((t) => t.wallS)].sort((a, b) => a - b)[Math.floor(ts.length / 2)];
  const figures = (name: Name): { wallS: number; medianS: number; cpuS: number; rssMB: number } => ({ ...best(samples[name]), medianS: median(samples[name]) });
  const plugin = figures('plugin');
  const core = figures('core');
  for (const [name, f] of [['plugin', plugin], ['core', core]] as const) {
    rows.push([`sf ${COMMANDS[name].join(' ')}`, mode, f.wallS.toFixed(2), f.medianS.toFixed(2), f.cpuS.toFixed(2), String(f.rssMB)]);
  }
  const ratio = (a: number, b: number): string => (a / b).toFixed(2);
  rows.push(['ratio plugin / core', mode, ratio(plugin.wallS, core.wallS), ratio(plugin.medianS, core.medianS), ratio(plugin.cpuS, core.cpuS), ratio(plugin.rssMB, core.rssMB)]);
}

process.stdout.write(
  `\n--help start-up through the real sf: ${rounds} interleaved rounds per mode; ${load()} (before: ${loadBefore}); budget: ratio ≤ 1\n\n` +
    table(['command', 'plugin', 'best wall s', 'median wall s', 'best CPU s', 'peak RSS MB'], rows)
);
