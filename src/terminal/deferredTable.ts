/**
 * The stand-in for @oclif/table that this plugin's sf-plugins-core imports when tables are deferred (./tables.ts):
 * the two functions its Ux calls, each handing over to the real module that loadTables() imported.
 */
import { tableModule } from './tables.js';

export const makeTable = (options: unknown): string => tableModule().makeTable(options);

export const printTable = (options: unknown): void => tableModule().printTable(options);
