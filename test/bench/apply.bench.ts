/*
 * Benchmark (not a mocha test): requests and wall time of `apply` for 1, 10, 50 and 200 apps on a fresh demo org,
 * then of the converged re-run, with latency added to every simulator response.
 *
 *   node --import tsx test/bench/apply.bench.ts [--apps 1,10,50,200] [--latency 50]
 *
 * The demo org's Salesforce license gets 1,000 seats so that 200 apps fit (3 Salesforce Integration seats are free,
 * so most apps fall back to the Salesforce license, which exercises the profile deploy too).
 */
import { performance } from 'node:perf_hooks';
import { runApply } from '../../src/plan/apply.js';
import { OrgSimulator } from '../simulator/index.js';
import { connectionTo } from '../integration/helpers.js';
import { demoManifest, desiredOf, writeRequests } from '../integration/applyHelpers.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const appCounts = arg('apps', '1,10,50,200').split(',').map(Number);
const latencyMs = Number(arg('latency', '50'));

type Row = { apps: number; requests: number; deploys: number; collections: number; ms: number; rerunRequests: number; rerunWrites: number; rerunMs: number };

const measure = async (apps: number): Promise<Row> => {
  const sim = await OrgSimulator.start();
  try {
    const salesforce = sim.store.rows('UserLicense').find((l) => l.Name === 'Salesforce')!;
    sim.store.update(String(salesforce.Id), { TotalLicenses: 1000 });
    const conn = await connectionTo(sim);
    const desired = desiredOf(demoManifest(Array.from({ length: apps }, (_, i) => `app${i}`)));
    sim.setLatency(latencyMs);
    sim.resetRequests();
    let start = performance.now();
    const first = await runApply({ conn, desired });
    const ms = performance.now() - start;
    if (first.outcome !== 'applied') throw new Error(`apply of ${apps} apps: ${first.outcome} ${JSON.stringify(first.notDone.slice(0, 2))}`);
    const row = {
      apps,
      requests: sim.requests.length,
      deploys: sim.requestCount({ soapCall: 'deploy' }),
      collections: sim.requestCount({ pathIncludes: '/composite/sobjects' }),
      ms,
    };
    sim.resetRequests();
    start = performance.now();
    const second = await runApply({ conn, desired });
    const rerunMs = performance.now() - start;
    if (second.outcome !== 'converged') throw new Error(`re-run of ${apps} apps: ${second.outcome}`);
    return { ...row, rerunRequests: sim.requests.length, rerunWrites: writeRequests(sim), rerunMs };
  } finally {
    await sim.stop();
  }
};

const rows: Row[] = [];
for (const apps of appCounts) {
  // eslint-disable-next-line no-await-in-loop -- one simulator at a time, so timings do not interfere
  rows.push(await measure(apps));
}
const line = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;
process.stdout.write(`${`apply against the org simulator, ${latencyMs} ms added per request (requests as the simulator counted them)\n`}\n`);
process.stdout.write(`${line(['apps', 'requests', 'deploys', 'collection calls', 'wall time', 're-run requests', 're-run writes', 're-run wall time'])}\n`);
process.stdout.write(`${line(['---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])}\n`);
for (const r of rows) {
  process.stdout.write(`${line([r.apps, r.requests, r.deploys, r.collections, `${Math.round(r.ms)} ms`, r.rerunRequests, r.rerunWrites, `${Math.round(r.rerunMs)} ms`])}\n`);
}
