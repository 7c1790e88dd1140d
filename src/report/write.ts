/** `--output-file`: the format follows the extension; every report is rendered from the same audit run. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Messages } from '@salesforce/core';
import type { AuditRun } from '../audit/types.js';
import { toCsvReport } from './csv.js';
import { toJsonReport } from './json.js';
import { toJunitReport } from './junit.js';
import { toMarkdownReport } from './markdown.js';
import { toSarifReport, type SarifOptions } from './sarif.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'report');

export type ReportFormat = 'sarif' | 'junit' | 'markdown' | 'csv' | 'json';

const EXTENSIONS: Array<[string, ReportFormat]> = [
  ['.sarif.json', 'sarif'],
  ['.sarif', 'sarif'],
  ['.junit.xml', 'junit'],
  ['.xml', 'junit'],
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.csv', 'csv'],
  ['.json', 'json'],
];

export const reportFormatOf = (path: string): ReportFormat | undefined =>
  EXTENSIONS.find(([ext]) => path.toLowerCase().endsWith(ext))?.[1];

/** Checks every path before the audit runs, so a typo does not cost a full org load. */
export const checkOutputFiles = (paths: string[]): void => {
  for (const path of paths) if (!reportFormatOf(path)) throw messages.createError('error.UnknownOutputFormat', [path], [], 2);
};

export const renderReport = (format: ReportFormat, run: AuditRun, options: SarifOptions): string => {
  switch (format) {
    case 'sarif':
      return toSarifReport(run.result, options);
    case 'junit':
      return toJunitReport(run.result, run.subjects);
    case 'markdown':
      return toMarkdownReport(run.result);
    case 'csv':
      return toCsvReport(run.result);
    case 'json':
      return toJsonReport(run.result);
  }
};

export const writeReports = async (paths: string[], run: AuditRun, options: SarifOptions): Promise<string[]> => {
  checkOutputFiles(paths);
  for (const path of paths) {
    const content = renderReport(reportFormatOf(path)!, run, options);
    try {
      // eslint-disable-next-line no-await-in-loop -- a few files, written in order so errors name the first failure
      await mkdir(dirname(path), { recursive: true });
      // eslint-disable-next-line no-await-in-loop
      await writeFile(path, content, 'utf8');
    } catch (error) {
      throw messages.createError('error.OutputFileUnwritable', [path, (error as Error).message], [], 2);
    }
  }
  return paths;
};
