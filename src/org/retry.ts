/**
 * The one retry policy for every call the plugin makes to an org.
 *
 * Reads are retried on transient failures: HTTP 500/502/503/504 and 420/429 (as jsforce's errors `ERROR_HTTP_5xx`, or
 * Salesforce's `SERVER_UNAVAILABLE`), `UNABLE_TO_LOCK_ROW` (a row lock held by another transaction) and network
 * resets and timeouts. `REQUEST_LIMIT_EXCEEDED` is never retried: the daily limit lasts up to 24 h and the code does
 * not say which limit was hit (only the message does, and logic never keys on message text); the caller reports it
 * with what to do. Everything else (bad query, auth) is final.
 *
 * Writes are retried only on failures that guarantee nothing was written (`isTransientForWrite`). A 5xx or a timeout
 * after a write may hide a committed write (`mayHaveBeenWritten`): the caller re-reads the org and continues from
 * what it holds, never resends blindly.
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
  // SOAP faults carry a prefixed fault code (`sf:INVALID_SESSION_ID`); the code is what follows the prefix.
  if (typeof e.errorCode === 'string') return e.errorCode.replace(/^[a-z]+:/, '');
  if (typeof e.name === 'string' && /^(?:[a-z]+:)?[A-Z][A-Z0-9_]+$/.test(e.name)) return e.name.replace(/^[a-z]+:/, '');
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

/** Is this error worth another attempt of a read? Pure; see the module comment for the choices. */
export const isTransient = (error: unknown): boolean => {
  const code = errorCodeOf(error);
  if (code && TRANSIENT_ERROR_CODES.has(code)) return true;
  const network = networkCodeOf(error);
  return network !== undefined && TRANSIENT_NETWORK_CODES.has(network);
};

/**
 * For writes: only failures that guarantee nothing was written — a row lock (the transaction was refused) or a
 * refused connection (the request never arrived). A 5xx after a create may hide a created record; retrying it could
 * create a duplicate, so it is left to the caller, who re-reads and continues.
 */
export const isTransientForWrite = (error: unknown): boolean =>
  errorCodeOf(error) === 'UNABLE_TO_LOCK_ROW' || networkCodeOf(error) === 'ECONNREFUSED';

/** A failed write whose outcome is unknown: the org may have committed it before the response was lost. */
export const mayHaveBeenWritten = (error: unknown): boolean => isTransient(error) && !isTransientForWrite(error);

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
