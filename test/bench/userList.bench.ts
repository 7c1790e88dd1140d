/*
 * Benchmark (not a mocha test): requests and wall time of the org loader — audit settings (everything), audit with
 * every permission of every holder in one wide query, and `user list` settings — against the org simulator running
 * in its own process (as the CLI sees it), for generated orgs, with latency added per request.
 *
 *   node --import tsx test/bench/userList.bench.ts [--latency 0,50] [--users 100,1000,10000] [--permission-sets 2000]
 *
 * Permission sets per org: min(--permission-sets, max(50, users / 5)), so 10,000 users come with 2,000 sets.
 * Each simulator gets one unrecorded warm-up load (its SOQL engine is JIT-compiled on first use).
 */
import { performance } from 'node:perf_hooks';
import { loadAccessModelFromOrg, USER_LIST_LOAD, type LoadAccessModelOptions } from '../../src/access/orgLoader.js';
import { buildUserList } from '../../src/inventory/userList.js';
import { newCallStats } from '../../src/org/connection.js';
import { connect, startSimulator } from './simProcess.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const latencies = arg('latency', '0,50').split(',').map(Number);
const sizes = arg('users', '100,1000,10000').split(',').map(Number);
const maxPermissionSets = Number(arg('permission-sets', '2000'));

const LOADS: Array<[string, LoadAccessModelOptions]> = [
  ['audit', {}],
  ['audit, one wide query', { completeSystemPermissions: 'everyHolder' }],
  ['user list', USER_LIST_LOAD],
];

const table: string[][] = [];
for (const users of sizes) {
  const permissionSets = Math.min(maxPermissionSets, Math.max(50, users / 5));
  for (const latencyMs of latencies) {
    // eslint-disable-next-line no-await-in-loop
    const { child, info } = await startSimulator(users, permissionSets, latencyMs);
    try {
      // eslint-disable-next-line no-await-in-loop
      const conn = await connect(info);
      // One unrecorded load first: the simulator process JIT-compiles its SOQL engine on first use.
      // eslint-disable-next-line no-await-in-loop
      await loadAccessModelFromOrg(conn, USER_LIST_LOAD);
      for (const [load, options] of LOADS) {
        const stats = newCallStats();
        const start = performance.now();
        // eslint-disable-next-line no-await-in-loop
        const model = await loadAccessModelFromOrg(conn, { ...options, stats });
        const list = buildUserList(model);
        const ms = Math.round(performance.now() - start);
        table.push([String(users), String(permissionSets), `${latencyMs} ms`, load, String(stats.requests), String(ms), String(list.total)]);
      }
    } finally {
      child.kill('SIGTERM');
    }
  }
}

const header = ['users', 'permission sets', 'latency', 'load', 'requests', 'ms', 'integration users'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const format = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
process.stdout.write(`${format(header)}\n${format(widths.map((w) => '-'.repeat(w)))}\n${table.map(format).join('\n')}\n`);
