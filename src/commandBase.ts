/**
 * The plugin's commands run inside sf with their own copy of @salesforce/core. Left alone, that copy starts a second
 * writer of sf's log file: a pino transport in a worker thread (about 17 MB), which the process then waits for at
 * exit. thread-stream's idle worker polls with a back-off of up to 1 s (thread-stream lib/wait.js), so the wait adds
 * up to 1 s to every command that ran longer than that. sf's own copy already writes the same file, so at the default
 * log level this copy logs into memory and hands the records to sf's logger when the command ends. With
 * SF_LOG_LEVEL (debugging), DEBUG or SF_DISABLE_LOG_FILE set, or outside sf (bin/run.js, tests), nothing changes.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Logger } from '@salesforce/core';
import type { SfCommand as SfCommandClass } from '@salesforce/sf-plugins-core';
import { deferTables, endTableDeferral, loadTables } from './terminal/tables.js';

// Before this copy of sf-plugins-core loads (so no static import of it here or in the commands' other imports): its
// table stack is loaded only when a command prints a table (src/terminal/tables.ts).
deferTables();
const { SfCommand } = await import('@salesforce/sf-plugins-core');
endTableDeferral();

/** The part of a pino logger the hand-over uses. */
export type HostPino = {
  levels: { labels: Record<number, string> };
  child(bindings: Record<string, unknown>): HostPino;
} & Partial<Record<string, unknown>>;

/** The part of the host's @salesforce/core Logger class the hand-over uses (public API). */
export type HostLogger = { getRawRootLogger(): HostPino };

/** Levels at or above core's default (warn): nothing is being debugged, so nothing is lost by buffering. */
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal']);

/** True when this copy's log records may wait in memory until the command ends (see the module comment). */
export const mayBufferLog = (env: NodeJS.ProcessEnv): boolean => {
  const level = (env.SF_LOG_LEVEL ?? env.SFDX_LOG_LEVEL)?.toLowerCase();
  const fileOff = env.SF_DISABLE_LOG_FILE === 'true' || env.SFDX_DISABLE_LOG_FILE === 'true';
  return (level === undefined || QUIET_LEVELS.has(level)) && !env.DEBUG && !fileOff;
};

/**
 * The Logger class of the host CLI's @salesforce/core (resolved from the CLI's root, so the copy the CLI already
 * loaded), or undefined when there is none or it is this plugin's own copy (bin/run.js, tests).
 */
export const hostLoggerOf = (cliRoot: string): HostLogger | undefined => {
  try {
    const host = (createRequire(join(cliRoot, 'package.json'))('@salesforce/core/logger') as { Logger?: HostLogger }).Logger;
    return host && host !== (Logger as unknown) && typeof host.getRawRootLogger === 'function' ? host : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Makes this copy's root logger an in-memory one and returns the function that hands what it holds to the host's
 * logger (call it when the command ends; it sends each record once). Undefined, and nothing changed, when there is no
 * host, when logs may not wait (mayBufferLog), or when this copy already has its root logger.
 */
export const bufferLogForHost = (host: HostLogger | undefined, env: NodeJS.ProcessEnv): (() => void) | undefined => {
  if (!host || !mayBufferLog(env)) return undefined;
  let root: Logger;
  try {
    root = new Logger({ name: Logger.ROOT_NAME, useMemoryLogger: true });
  } catch {
    return undefined; // RedundantRootLoggerError: this copy logs to its own file writer already
  }
  let sent = 0;
  return () => {
    const records = root.getBufferedRecords() as Array<Record<string, unknown>>;
    if (sent >= records.length) return;
    const hostRoot = host.getRawRootLogger();
    for (const record of records.slice(sent)) {
      // the host's pino adds its own time, pid and hostname
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { level, time, pid, hostname, name, msg, ...fields } = record;
      const label = hostRoot.levels.labels[Number(level)];
      const child = hostRoot.child({ name });
      const log = child[label];
      if (typeof log === 'function') (log as (obj: object, message?: unknown) => void).call(child, fields, msg);
    }
    sent = records.length;
  };
};

/** Base of the plugin's commands: an SfCommand whose log records go to the host CLI's log writer (module comment). */
export abstract class IntegrationCommand<T> extends SfCommand<T> {
  private flushLogToHost?: () => void;

  // eslint-disable-next-line no-underscore-dangle -- oclif's entry: the last point before this copy logs anything
  public async _run<R>(): Promise<R> {
    this.flushLogToHost = bufferLogForHost(hostLoggerOf(this.config.root), process.env);
    // eslint-disable-next-line no-underscore-dangle
    return super._run<R>();
  }

  /**
   * SfCommand's table, after loading the table module it needs (deferred at start, src/terminal/tables.ts). With
   * --json SfCommand prints no table, so nothing is loaded.
   */
  protected async printTable(options: Parameters<SfCommandClass<T>['table']>[0]): Promise<void> {
    if (this.jsonEnabled()) return;
    await loadTables();
    this.table(options);
  }

  protected async finally(error: Error | undefined): Promise<unknown> {
    this.flushLogToHost?.();
    return super.finally(error);
  }
}
