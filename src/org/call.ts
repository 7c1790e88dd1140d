/**
 * One org request under the retry policy, counted. Every call to Salesforce goes through `orgCall`.
 */
import type { OrgContext } from './connection.js';
import { withRetry } from './retry.js';

export const orgCall = <T>(ctx: OrgContext, request: () => Promise<T>): Promise<T> => {
  const stats = ctx.stats;
  return withRetry(
    () => {
      const attempt = (): Promise<T> => {
        stats.requests++;
        return request();
      };
      return ctx.limit ? ctx.limit(attempt) : attempt();
    },
    {
      ...ctx.retry,
      onRetry: (error, retry, delayMs) => {
        stats.retries++;
        ctx.retry?.onRetry?.(error, retry, delayMs);
      },
    }
  );
};
