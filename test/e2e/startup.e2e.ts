/*
 * Design budget: `sf integration … --help` starts no slower than `sf org list users --help`. Measured here with the
 * real sf, same session, median of 3 interleaved runs each, and printed as a benchmark line (not asserted: wall
 * times on a shared 2-core machine are too noisy to gate on; the ratio is what to watch).
 */
import { expect } from 'chai';
import { medianDurations, useE2eSession } from './harness.js';

describe('e2e: help start-up time', () => {
  const session = useE2eSession();

  it('measures sf integration user list --help next to sf org list users --help', async function () {
    this.timeout(300_000);
    // one untimed run each, so the first-run disk cache effects do not land on one side only
    await session().sf(['integration', 'user', 'list', '--help']);
    await session().sf(['org', 'list', 'users', '--help']);
    const timings = await medianDurations(session(), {
      plugin: ['integration', 'user', 'list', '--help'],
      core: ['org', 'list', 'users', '--help'],
    });
    expect(timings.plugin.exitCodes).to.deep.equal([0, 0, 0]);
    expect(timings.core.exitCodes).to.deep.equal([0, 0, 0]);
    const ratio = timings.plugin.medianMs / timings.core.medianMs;
    const line =
      `[bench] help start-up, median of 3: sf integration user list --help ${timings.plugin.medianMs} ms, ` +
      `sf org list users --help ${timings.core.medianMs} ms, ratio ${ratio.toFixed(2)}`;
    // eslint-disable-next-line no-console -- the benchmark line belongs in the test output
    console.log(`      ${line}`);
  });
});
