/**
 * One org request under the retry policy, counted. Every call to Salesforce goes through `orgCall`.
 */
import type { OrgContext } from './connection.js';
import { withRetry } from './retry.js';

/**
 * `shouldRetry` overrides the context's choice of retried errors (writes pass `isTransientForWrite`; a caller that
 * runs its own attempt loop under the same policy passes `() => false`).
 */
export const orgCall = <T>(ctx: OrgContext, request: () => Promise<T>, shouldRetry?: (error: unknown) => boolean): Promise<T> => {
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
      ...(shouldRetry ? { shouldRetry } : {}),
      onRetry: (error, retry, delayMs) => {
        stats.retries++;
        ctx.retry?.onRetry?.(error, retry, delayMs);
      },
    }
  );
};
