/** `.json` report: the same typed result `--json` prints. */
import type { AuditResult } from '../audit/types.js';

export const toJsonReport = (result: AuditResult): string => `${JSON.stringify(result, null, 2)}\n`;
