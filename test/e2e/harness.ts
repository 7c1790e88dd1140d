/*
 * End-to-end harness: the REAL sf CLI (pinned in test/e2e/cli, installed by `bash scripts/setup.sh`) with this
 * plugin linked, logged in to the org simulator with an access token, all inside a throw-away HOME.
 *
 * Usage in a spec (`test/e2e/<name>.e2e.ts`):
 *
 *   import { useE2eSession } from './harness.js';
 *   describe('sf integration audit', () => {
 *     const session = useE2eSession();                 // before: sim + link + login; after: clean up
 *     it('runs', async () => {
 *       const run = await session().sf(['integration', 'audit', '-o', session().alias, '--json']);
 *       expect(run.exitCode).to.equal(0);
 *       expect(run.json?.result).to....;
 *     });
 *   });
 *
 * Commands run as a user types them: a child process per command, the user's exact argv, nothing in-process.
 * Plain child_process (not cli-plugins-testkit's execCmd) because the harness must also own the simulator
 * process, pass per-command env without mutating this process's HOME, time each command, and never throw on a
 * non-zero exit (the specs assert exit codes themselves). The testkit NUTs (test/nuts) use testkit.
 * Set E2E_KEEP=1 to keep the session directory (HOME, sf data, sf logs) for debugging; its path is printed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** sf without telemetry, update checks, release notes or a keychain prompt (as scripts/sf-env.sh sets it for shells). */
export const QUIET_SF_ENV = {
  SF_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_HIDE_RELEASE_NOTES: 'true',
  SF_CONTAINER_MODE: 'true',
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
} as const;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SF_BIN = join(REPO_ROOT, 'test', 'e2e', 'cli', 'node_modules', '.bin', 'sf');
const SIMULATOR_CLI = join(REPO_ROOT, 'test', 'simulator', 'cli.ts');
const DEFAULT_TIMEOUT_MS = 120_000;

/** What `--json` prints: sf's envelope around the command's result. */
export type SfJsonOutput<T = unknown> = {
  status: number;
  result?: T;
  warnings?: string[];
  name?: string;
  message?: string;
  exitCode?: number;
  actions?: string[];
  stack?: string;
};

export type SfRun<T = unknown> = {
  /** the argv after `sf`, for messages */
  args: string[];
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
  /** stdout parsed as JSON when it is JSON (every `--json` run), else undefined */
  json?: SfJsonOutput<T>;
};

export type SfOptions = {
  /** extra environment for this command only (the session's isolation variables always win) */
  env?: Record<string, string>;
  /** working directory (default: the session's work dir, an empty folder) */
  cwd?: string;
  timeoutMs?: number;
};

export type SimulatedOrg = {
  url: string;
  username: string;
  orgId: string;
  /** the simulator's token: tests assert it never appears in output; never print it */
  accessToken: string;
};

/** A request the simulator served (GET /__sim/requests). */
export type SimRequest = { method: string; path: string; soql?: string; soapCall?: string; status: number };

export type E2eSession = {
  /** the alias sf is logged in under: pass it as `-o` */
  alias: string;
  org: SimulatedOrg;
  /** an empty scratch folder (cwd of commands by default): write manifests or projects here */
  workDir: string;
  /** the environment every command gets (isolated HOME, SF_DATA_DIR, quiet sf) */
  env: NodeJS.ProcessEnv;
  sf<T = unknown>(args: string[], options?: SfOptions): Promise<SfRun<T>>;
  /** requests the simulator served since start or the last reset */
  simRequests(): Promise<SimRequest[]>;
  resetSimRequests(): Promise<void>;
};

export type E2eSessionOptions = {
  /** extra simulator arguments, e.g. ['--fixture', 'large', '--users', '500'] (default: the demo org) */
  simulatorArgs?: string[];
  alias?: string;
  /** false: do not link this repository into sf (install.e2e.ts installs the packed tarball instead) */
  linkPlugin?: boolean;
};

/** Environment that isolates sf from the user's own set-up and keeps it quiet and deterministic. */
export function isolatedSfEnv(home: string, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A developer's own sf settings must not leak into the run.
  for (const key of Object.keys(env)) {
    if (/^(SF|SFDX|TESTKIT)_/.test(key)) delete env[key];
  }
  return {
    ...env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    SF_DATA_DIR: dataDir,
    ...QUIET_SF_ENV,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    // wide enough that tables never truncate a username
    COLUMNS: '240',
  };
}

/** Throws a clear message when the set-up has not been run or the plugin is not built. */
export function assertPrerequisites(): void {
  if (!existsSync(SF_BIN)) {
    throw new Error(
      `The pinned sf CLI is not installed (${SF_BIN} is missing). Run the set-up command first: bash scripts/setup.sh`
    );
  }
  const manifestPath = join(REPO_ROOT, 'oclif.manifest.json');
  if (!existsSync(join(REPO_ROOT, 'lib', 'commands')) || !existsSync(manifestPath)) {
    throw new Error('The plugin is not built (lib/commands or oclif.manifest.json missing). Run: npm run build');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string };
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  if (manifest.version !== pkg.version) {
    throw new Error(`oclif.manifest.json is for version ${String(manifest.version)}, package.json is ${pkg.version}. Run: npm run build`);
  }
}

/** Runs a program to completion; never rejects on a non-zero exit (a timeout kills it and reports exit 124). */
export function runProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number }
): Promise<Omit<SfRun, 'args' | 'json'>> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const durationMs = Math.round(performance.now() - started);
      if (timedOut) stderr += `\n[e2e harness] killed after ${options.timeoutMs} ms`;
      const exitCode = timedOut ? 124 : code ?? (signal ? 128 : 1);
      resolvePromise({ stdout, stderr, exitCode, durationMs });
    });
  });
}

function parseJson(stdout: string): SfJsonOutput | undefined {
  const text = stdout.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as SfJsonOutput;
  } catch {
    return undefined;
  }
}

/** One-line description of a run for assertion messages. */
/** Columns of the widest line of a command's output (code points: a table's box characters are one column each). */
export const widestLine = (text: string): number => Math.max(0, ...text.split('\n').map((line) => Array.from(line).length));

export function describeRun(run: SfRun): string {
  return `sf ${run.args.join(' ')} → exit ${run.exitCode} in ${run.durationMs} ms\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

type RunningSimulator = { org: SimulatedOrg; stop(): Promise<void>; output(): string };

/** Starts `test/simulator/cli.ts` as a child process and reads its one JSON line (url, token, username, orgId). */
async function startSimulator(args: string[]): Promise<RunningSimulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', SIMULATOR_CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // If mocha exits without running `after` (a crash, process.exit), the simulator must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const lines = createInterface({ input: child.stdout });
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start within 30 s\n${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with code ${String(code)} before printing its address\n${stderr}`));
    });
  });
  const org = JSON.parse(firstLine) as SimulatedOrg;
  if (!org.url || !org.accessToken || !org.username) throw new Error(`unexpected simulator banner: ${firstLine}`);
  return {
    org,
    output: () => stderr,
    async stop(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/**
 * Starts a session: isolated HOME + SF_DATA_DIR, plugin linked into the pinned sf (unless linkPlugin is false), simulator running,
 * sf logged in to it under `alias`. Call `stopE2eSession` when done (useE2eSession does both).
 */
export async function startE2eSession(options: E2eSessionOptions = {}): Promise<E2eSession & { stop(): Promise<void> }> {
  assertPrerequisites();
  const alias = options.alias ?? 'sim';
  const root = mkdtempSync(join(tmpdir(), 'sf-e2e-'));
  const home = join(root, 'home');
  const dataDir = join(root, 'sf-data');
  const workDir = join(root, 'work');
  await Promise.all([home, dataDir, workDir].map((dir) => mkdir(dir, { recursive: true })));
  const env = isolatedSfEnv(home, dataDir);

  const sf = async <T = unknown>(args: string[], sfOptions: SfOptions = {}): Promise<SfRun<T>> => {
    const result = await runProcess(SF_BIN, args, {
      env: { ...env, ...sfOptions.env, HOME: home, SF_DATA_DIR: dataDir },
      cwd: sfOptions.cwd ?? workDir,
      timeoutMs: sfOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    return { args, ...result, json: parseJson(result.stdout) as SfJsonOutput<T> | undefined };
  };

  let simulator: RunningSimulator | undefined;
  const stop = async (): Promise<void> => {
    await simulator?.stop();
    if (process.env.E2E_KEEP) {
      process.stdout.write(`[e2e harness] kept ${root}\n`);
    } else {
      rmSync(root, { recursive: true, force: true });
    }
  };

  try {
    if (options.linkPlugin !== false) {
      const link = await sf(['plugins', 'link', REPO_ROOT, '--no-install']);
      if (link.exitCode !== 0) throw new Error(`could not link the plugin:\n${describeRun(link)}`);
    }
    simulator = await startSimulator(options.simulatorArgs ?? ['--fixture', 'demo']);
    const org = simulator.org;
    const login = await sf(['org', 'login', 'access-token', '--instance-url', org.url, '--alias', alias, '--no-prompt'], {
      env: { SF_ACCESS_TOKEN: org.accessToken },
    });
    if (login.exitCode !== 0) throw new Error(`could not log sf in to the simulator:\n${describeRun(login)}\n${simulator.output()}`);

    const simFetch = async (method: 'GET' | 'POST', path: string): Promise<Response> => {
      const response = await fetch(`${org.url}${path}`, { method, headers: { Authorization: `Bearer ${org.accessToken}` } });
      if (!response.ok) throw new Error(`${method} ${path} → HTTP ${response.status}`);
      return response;
    };
    return {
      alias,
      org,
      workDir,
      env,
      sf,
      stop,
      simRequests: async (): Promise<SimRequest[]> => {
        const body = (await (await simFetch('GET', '/__sim/requests')).json()) as SimRequest[] | { requests: SimRequest[] };
        return Array.isArray(body) ? body : body.requests;
      },
      resetSimRequests: async (): Promise<void> => {
        await simFetch('POST', '/__sim/reset-requests');
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Mocha helper: registers before/after hooks in the enclosing `describe` and returns an accessor for the session.
 * One session per describe block (about 4 s: link + simulator + login).
 */
export function useE2eSession(options: E2eSessionOptions = {}): () => E2eSession {
  let session: (E2eSession & { stop(): Promise<void> }) | undefined;
  before(async function () {
    this.timeout(120_000);
    session = await startE2eSession(options);
  });
  after(async () => {
    await session?.stop();
  });
  return () => {
    if (!session) throw new Error('the e2e session is not started (use the accessor inside it/before hooks only)');
    return session;
  };
}
