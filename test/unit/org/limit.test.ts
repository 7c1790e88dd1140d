import { expect } from 'chai';
import { createLimiter } from '../../../src/org/limit.js';

describe('org/limit', () => {
  it('runs at most `max` tasks at once, in the order they came, and passes results and errors through', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (n: number) => async (): Promise<number> => {
      started.push(n);
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      if (n === 3) throw new Error('three');
      return n * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limit(task(n))));
    expect(peak).to.equal(2);
    expect(started).to.deep.equal([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).to.deep.equal([10, 20, 'three', 40, 50]);
  });
});
