/**
 * A counting semaphore: at most `max` org requests in flight per load. Salesforce allows 25 concurrent long-running
 * requests per org, and a CLI that fires every query at once only makes them compete for the same server and
 * client CPU, so a few in flight is as fast and kinder to the org.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export const createLimiter = (max: number): Limiter => {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
};
