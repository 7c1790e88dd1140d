/**
 * oclif `init` hook: before sf imports one of this plugin's commands, turns on Node's compile cache
 * (`module.enableCompileCache`, Node ≥ 22.1), so the command's modules, above all the plugin's own copies of sf's
 * core library, sf-plugins-core and jsforce, are compiled from V8 code kept on disk instead of from source on
 * every run. TypeScript's tsc does the same since 5.7. Measured through sf, 10,000-user audit, 10 interleaved runs
 * each: 0.13 s less wall time on average (median 2.19 s against 2.34 s), 6 MB more peak memory.
 *
 * Only for this plugin's commands: sf runs every plugin's `init` hook for every command, and other commands are left
 * as they are. The cache sits in sf's cache folder (`compile-cache` under `sf`'s cacheDir, e.g. ~/.cache/sf); Node
 * writes it at exit and keys it by Node version and file content, so a changed file is compiled again.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own switch). A folder that cannot be written leaves the cache off;
 * Node reports that in the returned status and throws nothing.
 */
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import type { Hook } from '@oclif/core';

/** This plugin's name in oclif's command list (package.json `name`). */
export const PLUGIN_NAME = 'sf-plugin-integration';

/** Where the compile cache goes when `id` names one of this plugin's commands, else undefined. Pure. */
export const compileCacheDir = (
  config: { cacheDir: string; findCommand(id: string): { pluginName?: string } | undefined },
  id: string | undefined
): string | undefined => (id && config.findCommand(id)?.pluginName === PLUGIN_NAME ? join(config.cacheDir, 'compile-cache') : undefined);

const hook: Hook.Init = function (options) {
  const dir = compileCacheDir(options.config, options.id);
  // A namespace import and an optional call: on a Node without the API the hook does nothing instead of failing to
  // load (sf runs it before every command, so it must never break one).
  if (dir) nodeModule.enableCompileCache?.(dir);
  return Promise.resolve();
};

export default hook;
