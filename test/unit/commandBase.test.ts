import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Logger } from '@salesforce/core';
import { bufferLogForHost, hostLoggerOf, mayBufferLog, type HostLogger, type HostPino } from '../../src/commandBase.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LABELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

type Call = { bindings: Record<string, unknown>; label: string; fields: object; msg: unknown };

/** A host CLI's Logger class whose root pino records every call. */
const fakeHost = (): { host: HostLogger; calls: Call[] } => {
  const calls: Call[] = [];
  const pino = (bindings: Record<string, unknown>): HostPino => {
    const at = (label: string) => (fields: object, msg?: unknown): void => {
      calls.push({ bindings, label, fields, msg });
    };
    return { levels: { labels: LABELS }, child: (more) => pino({ ...bindings, ...more }), ...Object.fromEntries(Object.values(LABELS).map((l) => [l, at(l)])) };
  };
  const root = pino({});
  return { host: { getRawRootLogger: () => root }, calls };
};

describe('commandBase: this copy of @salesforce/core hands its log records to the host CLI', () => {
  beforeEach(() => Logger.destroyRoot());
  afterEach(() => Logger.destroyRoot());

  it('buffers at the default level and sends each record once, when the command ends', () => {
    const { host, calls } = fakeHost();
    const flush = bufferLogForHost(host, {});
    expect(flush).to.be.a('function');
    const logger = Logger.childFromRoot('sfi-test');
    logger.warn('first');
    logger.debug('below the default level: not kept');
    expect(calls, 'nothing reaches the host before the end').to.deep.equal([]);
    flush!();
    expect(calls.map((c) => [c.label, c.msg, c.bindings.name])).to.deep.equal([['warn', 'first', 'sf:sfi-test']]);
    flush!();
    expect(calls).to.have.length(1);
    logger.error('second');
    flush!();
    expect(calls.map((c) => [c.label, c.msg])).to.deep.equal([
      ['warn', 'first'],
      ['error', 'second'],
    ]);
  });

  it('changes nothing when the user debugs (SF_LOG_LEVEL), when there is no host, or when this copy already logs', () => {
    const { host, calls } = fakeHost();
    expect(bufferLogForHost(host, { SF_LOG_LEVEL: 'debug' })).to.equal(undefined);
    expect(bufferLogForHost(undefined, {})).to.equal(undefined);
    // no root logger was made by the refusals above: making one now does not throw RedundantRootLoggerError
    const own = new Logger({ name: Logger.ROOT_NAME, useMemoryLogger: true });
    expect(bufferLogForHost(host, {}), 'a root logger exists already').to.equal(undefined);
    own.warn('stays in this copy');
    expect(calls).to.deep.equal([]);
  });

  it('buffers only while nothing is being debugged and the log file is on', () => {
    const cases: Array<[NodeJS.ProcessEnv, boolean]> = [
      [{}, true],
      [{ SF_LOG_LEVEL: 'warn' }, true],
      [{ SF_LOG_LEVEL: 'ERROR' }, true],
      [{ SFDX_LOG_LEVEL: 'fatal' }, true],
      [{ SF_LOG_LEVEL: 'info' }, false],
      [{ SF_LOG_LEVEL: 'trace' }, false],
      [{ SFDX_LOG_LEVEL: 'debug' }, false],
      [{ DEBUG: 'sf:*' }, false],
      [{ SF_DISABLE_LOG_FILE: 'true' }, false],
      [{ SFDX_DISABLE_LOG_FILE: 'true' }, false],
    ];
    expect(cases.map(([env]) => mayBufferLog(env))).to.deep.equal(cases.map(([, expected]) => expected));
  });

  describe('hostLoggerOf', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sfi-host-'));
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    it("finds the Logger of the CLI's own @salesforce/core, not this plugin's copy", async () => {
      const core = join(dir, 'node_modules', '@salesforce', 'core');
      await mkdir(join(core, 'lib'), { recursive: true });
      await writeFile(join(dir, 'package.json'), '{"name":"host-cli"}');
      await writeFile(join(core, 'package.json'), JSON.stringify({ name: '@salesforce/core', exports: { './logger': './lib/logger.js' } }));
      await writeFile(join(core, 'lib', 'logger.js'), 'exports.Logger = class HostLogger { static getRawRootLogger() { return "host root"; } };');
      const host = hostLoggerOf(dir);
      expect(host?.getRawRootLogger()).to.equal('host root');
      expect(hostLoggerOf(REPO_ROOT), 'this plugin run by its own bin or tests').to.equal(undefined);
      const bare = await mkdtemp(join(tmpdir(), 'sfi-bare-'));
      expect(hostLoggerOf(bare), 'no @salesforce/core there').to.equal(undefined);
      await rm(bare, { recursive: true, force: true });
    });
  });
});
