/**
 * Tables on demand. sf-plugins-core's SfCommand imports its Ux, which imports @oclif/table and with it ink, React,
 * react-reconciler, yoga-layout (WebAssembly) and es-toolkit: about 0.3–0.45 s of CPU at every start of a command of
 * this plugin (its own copies, beside sf's), although most runs print no table (`--json`, an audit, a plan). Before
 * this plugin's sf-plugins-core is loaded, a module resolve hook (node:module registerHooks, in-thread) hands that
 * one importer a stand-in (./deferredTable.js) with the same two functions; a command that prints a table awaits
 * `loadTables()` first (IntegrationCommand.printTable), which imports the real module. Nothing else is redirected:
 * only the specifier `@oclif/table` imported from this plugin's own sf-plugins-core. Without registerHooks (a Node
 * older than 22.15), or when that sf-plugins-core was loaded already, tables load as before.
 */
import * as nodeModule from 'node:module';

type TableModule = { makeTable(options: unknown): string; printTable(options: unknown): void };

const TABLE_SPECIFIER = '@oclif/table';
// Built: lib/terminal/deferredTable.js; run from source (tsx: tests, bin/dev): src/terminal/deferredTable.ts.
const STAND_IN_URL = new URL(`./deferredTable${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

type State = { hooked: boolean; realUrl?: string; real?: TableModule; hooks?: { deregister(): void } };
// One state per process, though this module may be instantiated twice (tsx loads a test's imports as CommonJS and a
// module with top-level await, like the commands' base, as ESM).
const STATE_KEY = Symbol.for('sf-plugin-integration/terminal/tables');
const holder = globalThis as typeof globalThis & { [STATE_KEY]?: State };
const state: State = (holder[STATE_KEY] ??= { hooked: false });

/** The sf-plugins-core directory whose imports are redirected (this plugin's own copy), as a URL prefix. */
const ownSfPluginsCore = (): string | undefined => {
  try {
    // …/@salesforce/sf-plugins-core/lib/exported.js → …/@salesforce/sf-plugins-core/
    return new URL('..', import.meta.resolve('@salesforce/sf-plugins-core')).href;
  } catch {
    return undefined;
  }
};

/**
 * Installs the resolve hook (once per process). Returns whether tables are now deferred. Call before anything imports
 * '@salesforce/sf-plugins-core', and `endTableDeferral()` once it is loaded: a resolve hook, even one that passes
 * everything on, makes each later module resolution slower (about 7 % more CPU to load @salesforce/core, measured).
 */
export const deferTables = (): boolean => {
  if (state.hooked) return true;
  const registerHooks = (nodeModule as Partial<typeof nodeModule>).registerHooks;
  const prefix = ownSfPluginsCore();
  if (typeof registerHooks !== 'function' || !prefix) return false;
  state.hooks = registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier !== TABLE_SPECIFIER || !context.parentURL?.startsWith(prefix)) return nextResolve(specifier, context);
      const real = nextResolve(specifier, context);
      state.realUrl = real.url;
      return { url: STAND_IN_URL, shortCircuit: true };
    },
  });
  state.hooked = true;
  return true;
};

/** Removes the resolve hook (sf-plugins-core has its stand-in by then); the stand-in keeps working. */
export const endTableDeferral = (): void => {
  state.hooks?.deregister();
  delete state.hooks;
};

/** Loads the real table module when it was deferred (a no-op otherwise, or when loaded already). */
export const loadTables = async (): Promise<void> => {
  if (state.realUrl && !state.real) state.real = (await import(state.realUrl)) as TableModule;
};

/** The real table module, for the stand-in. Throws when a table is printed before loadTables(). */
export const tableModule = (): TableModule => {
  if (!state.real) throw new Error('@oclif/table was deferred: await loadTables() before printing a table');
  return state.real;
};

/** Whether this plugin's sf-plugins-core was handed the stand-in. */
export const tablesDeferred = (): boolean => state.realUrl !== undefined;

