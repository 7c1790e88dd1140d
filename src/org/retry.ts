/**
 * The one retry policy for every call the plugin makes to an org.
 *
 * Retried (transient): HTTP 500/502/503/504 and 420/429 (as jsforce's errors `ERROR_HTTP_5xx`, or Salesforce's
 * `SERVER_UNAVAILABLE`), `UNABLE_TO_LOCK_ROW` (a row lock held by another transaction), network resets, and
 * `REQUEST_LIMIT_EXCEEDED` only when it is the *concurrent* request limit (it clears in seconds).
 * Not retried: the daily `REQUEST_LIMIT_EXCEEDED` ("TotalRequests Limit exceeded") — it lasts up to 24 h, so
 * retrying only burns time; the caller reports it with what to do. Everything else (bad query, auth) is final.
 *
 * Callers pass `retry: { maxRetries: 0 }` to jsforce so that requests are not retried twice (jsforce retries GETs
 * on 5xx by itself; see NO_TRANSPORT_RETRY).
 */

export type RetryPolicy = {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles on each further retry. */
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000 };

/** jsforce request options that turn off its own transport-level retries, so this module is the only policy. */
export const NO_TRANSPORT_RETRY = { retry: { maxRetries: 0 } };

const TRANSIENT_ERROR_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'ERROR_HTTP_420',
  'ERROR_HTTP_429',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
]);

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);

type ErrorLike = { errorCode?: unknown; name?: unknown; code?: unknown; message?: unknown; cause?: unknown };

/** The Salesforce error code of an error thrown by jsforce / @salesforce/core, if any. */
export const errorCodeOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  if (typeof e.errorCode === 'string') return e.errorCode;
  if (typeof e.name === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.name)) return e.name;
  return undefined;
};

const networkCodeOf = (error: unknown): string | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as ErrorLike).code;
    if (typeof code === 'string') return code;
    current = (current as ErrorLike).cause;
  }
  return undefined;
};

const messageOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as ErrorLike).message === 'string'
    ? ((error as ErrorLike).message as string)
    : String(error);

/** Is this error worth another attempt? Pure; see the module comment for the choices. */
export const isTransient = (error: unknown): boolean => {
  const code = errorCodeOf(error);
  if (code === 'REQUEST_LIMIT_EXCEEDED') return /concurrent/i.test(messageOf(error));
  if (code && TRANSIENT_ERROR_CODES.has(code)) return true;
  const network = networkCodeOf(error);
  return network !== undefined && TRANSIENT_NETWORK_CODES.has(network);
};

/**
 * For non-idempotent writes (creates): only failures that guarantee nothing was written — a row lock, the
 * concurrent-request limit, a refused connection. A 5xx after a create may hide a created record; retrying it could
 * create a duplicate, so it is left to the caller (who can re-read and converge).
 */
export const isTransientForWrite = (error: unknown): boolean => {
  const code = errorCodeOf(error);
  if (code === 'UNABLE_TO_LOCK_ROW') return true;
  if (code === 'REQUEST_LIMIT_EXCEEDED') return /concurrent/i.test(messageOf(error));
  return networkCodeOf(error) === 'ECONNREFUSED';
};

/** Delay before retry number `retry` (1-based): exponential, capped, with "equal jitter" (half fixed, half random). */
export const backoffDelay = (policy: RetryPolicy, retry: number, random: () => number = Math.random): number => {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
};

export type RetryOptions = {
  policy?: RetryPolicy;
  /** Which errors to retry (default isTransient; pass isTransientForWrite for creates). */
  shouldRetry?: (error: unknown) => boolean;
  random?: () => number;
  /** Called before each retry (for logging / counting). */
  onRetry?: (error: unknown, retry: number, delayMs: number) => void;
};

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Runs `operation`, retrying transient failures per the policy; the last error is rethrown unchanged. */
export const withRetry = async <T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> => {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    try {
      // eslint-disable-next-line no-await-in-loop -- attempts are sequential by nature
      return await operation();
    } catch (error) {
      if (attempt >= policy.maxAttempts || !(options.shouldRetry ?? isTransient)(error)) throw error;
      const delay = backoffDelay(policy, attempt, options.random);
      options.onRetry?.(error, attempt, delay);
      // eslint-disable-next-line no-await-in-loop
      await sleep(delay);
    }
  }
};
