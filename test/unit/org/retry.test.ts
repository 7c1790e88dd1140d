import { expect } from 'chai';
import sinon from 'sinon';
import { backoffDelay, DEFAULT_RETRY_POLICY, isTransient, isTransientForWrite, mayHaveBeenWritten, withRetry } from '../../../src/org/retry.js';

const apiError = (errorCode: string, message = errorCode): Error => Object.assign(new Error(message), { name: errorCode, errorCode });

describe('org/retry', () => {
  describe('isTransient', () => {
    for (const code of ['ERROR_HTTP_503', 'ERROR_HTTP_502', 'ERROR_HTTP_500', 'SERVER_UNAVAILABLE', 'UNABLE_TO_LOCK_ROW']) {
      it(`retries ${code}`, () => expect(isTransient(apiError(code))).to.equal(true));
    }
    for (const code of ['INVALID_FIELD', 'MALFORMED_QUERY', 'INVALID_SESSION_ID', 'INSUFFICIENT_ACCESS', 'INVALID_TYPE']) {
      it(`does not retry ${code}`, () => expect(isTransient(apiError(code))).to.equal(false));
    }
    it('does not retry the daily API limit, which lasts up to 24 hours', () => {
      expect(isTransient(apiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'))).to.equal(false);
    });
    it('does not tell the concurrent-request limit from the daily one: only the message does, and logic never reads it', () => {
      expect(isTransient(apiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'))).to.equal(false);
    });
    it('reads the code of a SOAP fault without its prefix', () => {
      expect(isTransient(apiError('sf:SERVER_UNAVAILABLE'))).to.equal(true);
    });
    it('retries a reset connection found in the error cause', () => {
      const error = new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) });
      expect(isTransient(error)).to.equal(true);
    });
    it('does not retry plain programming errors', () => {
      expect(isTransient(new TypeError('x is not a function'))).to.equal(false);
    });
  });

  describe('isTransientForWrite', () => {
    it('retries only failures that guarantee nothing was written', () => {
      expect(isTransientForWrite(apiError('UNABLE_TO_LOCK_ROW'))).to.equal(true);
      expect(isTransientForWrite(apiError('ERROR_HTTP_503'))).to.equal(false);
      expect(isTransientForWrite(apiError('SERVER_UNAVAILABLE'))).to.equal(false);
      const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
      expect(isTransientForWrite(refused)).to.equal(true);
    });
    it('a 5xx or a reset connection may hide a committed write', () => {
      expect(mayHaveBeenWritten(apiError('ERROR_HTTP_503'))).to.equal(true);
      expect(mayHaveBeenWritten(new TypeError('fetch failed', { cause: Object.assign(new Error('socket'), { code: 'ECONNRESET' }) }))).to.equal(true);
      expect(mayHaveBeenWritten(apiError('UNABLE_TO_LOCK_ROW'))).to.equal(false);
      expect(mayHaveBeenWritten(apiError('INVALID_FIELD'))).to.equal(false);
    });
  });

  describe('backoffDelay', () => {
    it('doubles from the base delay and is capped', () => {
      const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
      expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 1))).to.deep.equal([100, 200, 400, 800, 1000]);
      expect(backoffDelay(policy, 3, () => 0)).to.equal(200);
    });
  });

  describe('withRetry', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers();
    });
    afterEach(() => clock.restore());

    it('retries a transient failure after the backoff delay, then returns the result', async () => {
      const operation = sinon.stub();
      operation.onFirstCall().rejects(apiError('ERROR_HTTP_503'));
      operation.onSecondCall().resolves('ok');
      const retries: number[] = [];
      const promise = withRetry(operation, { random: () => 1, onRetry: (_e, _n, delay) => retries.push(delay) });
      await clock.tickAsync(DEFAULT_RETRY_POLICY.baseDelayMs - 1);
      expect(operation.callCount).to.equal(1);
      await clock.tickAsync(1);
      expect(await promise).to.equal('ok');
      expect(operation.callCount).to.equal(2);
      expect(retries).to.deep.equal([DEFAULT_RETRY_POLICY.baseDelayMs]);
    });

    it('gives up after maxAttempts and rethrows the last error unchanged', async () => {
      const last = apiError('UNABLE_TO_LOCK_ROW', 'third');
      const operation = sinon.stub();
      operation.onCall(0).rejects(apiError('UNABLE_TO_LOCK_ROW', 'first'));
      operation.onCall(1).rejects(apiError('UNABLE_TO_LOCK_ROW', 'second'));
      operation.onCall(2).rejects(last);
      const promise = withRetry(operation, { policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, random: () => 1 });
      const settled = promise.catch((error: unknown) => error);
      await clock.tickAsync(1000);
      expect(await settled).to.equal(last);
      expect(operation.callCount).to.equal(3);
    });

    it('uses the shouldRetry the caller gives', async () => {
      const operation = sinon.stub().rejects(apiError('ERROR_HTTP_503'));
      const settled = withRetry(operation, { shouldRetry: isTransientForWrite }).catch((error: unknown) => error);
      await clock.tickAsync(60_000);
      expect(await settled).to.have.property('errorCode', 'ERROR_HTTP_503');
      expect(operation.callCount).to.equal(1);
    });

    it('does not retry a permanent failure', async () => {
      const operation = sinon.stub().rejects(apiError('INVALID_FIELD'));
      const settled = withRetry(operation).catch((error: unknown) => error);
      await clock.tickAsync(60_000);
      expect(await settled).to.have.property('errorCode', 'INVALID_FIELD');
      expect(operation.callCount).to.equal(1);
    });
  });
});
