/**
 * The benchmarks' real sf: the pinned CLI of test/e2e/cli, its quiet isolated environment, the two ways the plugin
 * sits in it, and one command timed by GNU time (wall, user+sys CPU, peak RSS of the whole process tree's largest
 * process).
 *
 * How the plugin is put into sf matters for what a measurement means. `link` (`sf plugins link`, what
 * scripts/setup.sh and the e2e tests do): oclif treats a linked ESM plugin that lists tsx in its devDependencies as
 * a development checkout. Before it loads a command it requires the project's TypeScript compiler to read
 * tsconfig.json and registers tsx's module hooks for the rest of the process, although the command then loads from
 * lib/ (the manifest says so): about 1 s of CPU and 50 MB per command that no user of a published plugin pays
 * (@oclif/core lib/config/ts-path.js, tsPath → determinePath). `install` (`sf plugins install file:<this clone>`):
 * a user plugin, as after `sf plugins install <name>` from the registry; npm links the folder, so the plugin runs
 * lib/ with only its runtime dependencies loaded, needs no network, and a rebuild needs no re-install. Measured
 * within noise of installing `npm pack`'s tarball (which needs the registry for the dependencies).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUIET_SF_ENV } from '../e2e/harness.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SF = join(ROOT, 'test', 'e2e', 'cli', 'node_modules', '.bin', 'sf');
export const PLUGIN_BIN = join(ROOT, 'bin', 'run.js');
const TIME = '/usr/bin/time';

export type InstallMode = 'link' | 'install';
export const INSTALL_MODES: readonly InstallMode[] = ['link', 'install'];

/** Why the pinned sf cannot be benchmarked here, or undefined when it can. */
export const sfUnavailable = (): string | undefined =>
  !existsSync(SF)
    ? 'needs the pinned sf (bash scripts/setup.sh)'
    : !existsSync(TIME)
    ? 'needs GNU time (/usr/bin/time)'
    : !existsSync(join(ROOT, 'lib', 'commands'))
    ? 'needs the built plugin (npm run build)'
    : undefined;

/** The quiet, isolated settings of scripts/sf-env.sh, with this mode's HOME and SF_DATA_DIR. */
export const sfEnv = (mode: InstallMode, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  // link: the link scripts/setup.sh made; install: a separate home so both can exist side by side
  HOME: join(ROOT, 'tmp', mode === 'link' ? 'sf-home' : 'sf-install-home'),
  SF_DATA_DIR: join(ROOT, 'tmp', mode === 'link' ? 'sf-data' : 'sf-install-data'),
  ...QUIET_SF_ENV,
  npm_config_update_notifier: 'false',
  ...extra,
});

const sfSync = (mode: InstallMode, args: string[]): { status: number | null; out: string } => {
  const run = spawnSync(SF, args, { env: sfEnv(mode, { NO_COLOR: '1' }), encoding: 'utf8' });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
};

/**
 * Makes sure the plugin sits in the pinned sf the way `mode` says (idempotent; the first `install` takes ~10 s).
 * Throws with sf's output when it cannot.
 */
export const preparePlugin = (mode: InstallMode): void => {
  const env = sfEnv(mode);
  mkdirSync(env.HOME!, { recursive: true });
  mkdirSync(env.SF_DATA_DIR!, { recursive: true });
  const listed = (): string => sfSync(mode, ['plugins']).out;
  const pattern = mode === 'link' ? /^sf-plugin-integration \S+ \(link\)/m : /^sf-plugin-integration \S+$/m;
  if (pattern.test(listed())) return;
  if (mode === 'link') {
    const link = sfSync(mode, ['plugins', 'link', ROOT, '--no-install']);
    if (link.status !== 0) throw new Error(`sf plugins link failed:\n${link.out}`);
  } else {
    // An unsigned plugin is installed without the confirmation prompt only when it is on the allow list.
    const configDir = join(env.HOME!, '.config', 'sf');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'unsignedPluginAllowList.json'), JSON.stringify([`file:${ROOT}`]));
    const install = sfSync(mode, ['plugins', 'install', `file:${ROOT}`]);
    if (install.status !== 0) throw new Error(`sf plugins install file:${ROOT} failed:\n${install.out}`);
  }
  if (!pattern.test(listed())) throw new Error(`sf does not list the plugin as ${mode}ed:\n${listed()}`);
};

export type Timing = { exit: number | null; wallS: number; cpuS: number; rssMB: number; stdout: string; stderr: string };

/** Runs one command under GNU time: wall seconds, user+sys CPU seconds, peak RSS (MB). */
export const timed = (command: string[], env: NodeJS.ProcessEnv): Timing => {
  const run = spawnSync(TIME, ['-f', 'TIME %e %U %S %M', ...command], { env, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const lines = run.stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('TIME '));
  const [wall, user, sys, kb] = (at >= 0 ? lines[at] : 'TIME NaN NaN NaN NaN').split(' ').slice(1).map(Number);
  return {
    exit: run.status,
    wallS: wall,
    cpuS: Math.round((user + sys) * 100) / 100,
    rssMB: Math.round(kb / 1024),
    stdout: run.stdout,
    stderr: lines.filter((_, i) => i !== at).join('\n'),
  };
};

/** Best wall and CPU, highest peak RSS (it does not depend on load) over several timings of one case. */
export const best = (timings: Timing[]): { exits: string; wallS: number; cpuS: number; rssMB: number } => ({
  exits: [...new Set(timings.map((t) => String(t.exit)))].join('/'),
  wallS: Math.min(...timings.map((t) => t.wallS)),
  cpuS: Math.min(...timings.map((t) => t.cpuS)),
  rssMB: Math.max(...timings.map((t) => t.rssMB)),
});

/** The 1-minute load average, to print beside figures from a shared machine. */
export const load = (): string => `load ${loadavg()[0].toFixed(2)}`;

/** A Markdown table. */
export const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return `${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`;
};
