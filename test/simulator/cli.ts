/*
 * Runs the org simulator as a process (for end-to-end tests and manual use):
 *   node --import tsx test/simulator/cli.ts [--fixture demo|sandbox|refreshed|large] [--users N] [--permission-sets M] [--seed S] [--port P] [--latency MS]
 * Prints one JSON line {"url","accessToken","username","orgId"} to stdout, then serves until SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';
import { demoOrgFixture, demoSandboxFixture } from './fixtures/demoOrg.js';
import { largeOrgFixture } from './fixtures/largeOrg.js';
import { refreshedSandboxFixture } from './fixtures/refreshedSandbox.js';
import { OrgSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    fixture: { type: 'string', default: 'demo' },
    users: { type: 'string' },
    'permission-sets': { type: 'string' },
    seed: { type: 'string' },
    port: { type: 'string' },
    latency: { type: 'string' },
  },
});

const integer = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return n;
};

const fixtureName = values.fixture ?? 'demo';
const fixture =
  fixtureName === 'demo'
    ? demoOrgFixture()
    : fixtureName === 'sandbox'
    ? demoSandboxFixture()
    : fixtureName === 'refreshed'
    ? refreshedSandboxFixture()
    : fixtureName === 'large'
    ? largeOrgFixture({ users: integer('users', values.users, 10_000), permissionSets: integer('permission-sets', values['permission-sets'], 2000), seed: integer('seed', values.seed, 1) })
    : undefined;
if (!fixture) {
  process.stderr.write(`Unknown --fixture ${fixtureName} (demo, sandbox, refreshed, large)\n`);
  process.exit(2);
}

const sim = await OrgSimulator.start({ fixture, port: integer('port', values.port, 0), latencyMs: integer('latency', values.latency, 0) });
process.stdout.write(JSON.stringify({ url: sim.url, accessToken: sim.accessToken, username: sim.username, orgId: sim.orgId }) + '\n');

const shutdown = (): void => {
  void sim.stop().then(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
