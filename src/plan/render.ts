/**
 * The plan as text, Terraform-style: one line per action, `+ create`, `~ update`, `= unchanged`, `- remove`,
 * `? orphaned`. Every line fits `width` columns: by default subjects and reasons are cut with "…" and unchanged
 * actions are counted on one line; `verbose` lists every action with its full reason and what it changes,
 * wrapped within the width. Pure (its labels come from messages/plan.md).
 */
import { Messages } from '@salesforce/core';
import { hang, textWidth, truncate } from '../terminal/width.js';
import type { Plan, PlanAction, PlanOp } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

export const OP_SYMBOL: Record<PlanOp, string> = { create: '+', update: '~', unchanged: '=', remove: '-', orphaned: '?' };

/** The kind column: what the action is about ("permission set", "reactivate user"…), from messages/plan.md. */
const kindLabel = (kind: PlanAction['kind']): string => messages.getMessage(`kind.${kind}`);

export type RenderOptions = {
  /** Columns every line must fit (terminal/width outputWidth()); unbounded when absent. */
  width?: number;
  /** Every action, reasons in full and what each changes, wrapped within the width. */
  verbose?: boolean;
  /** Columns the caller puts before each line (an indent), counted against the width. */
  indent?: number;
  /** The line that counts the unchanged actions when they are not listed (from the command's messages). */
  unchangedLine?: (count: number) => string;
};

const pad = (text: string, width: number): string => (textWidth(text) >= width ? text : text + ' '.repeat(width - textWidth(text)));

/** What an action changes or writes, as lines for --verbose: its listed changes, else the record it sends. */
const changeLines = (action: PlanAction): string[] => {
  const details = action.details as { changes?: unknown; record?: unknown };
  if (Array.isArray(details.changes) && details.changes.length > 0) {
    return details.changes.map((change: unknown) => {
      if (typeof change === 'string') return change;
      const c = change as { field?: unknown; from?: unknown; to?: unknown };
      return c.field === undefined ? JSON.stringify(change) : `${String(c.field)}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`;
    });
  }
  if (action.op === 'unchanged' || details.record === null || typeof details.record !== 'object') return [];
  return Object.entries(details.record as Record<string, unknown>).map(([field, value]) => `${field} = ${JSON.stringify(value)}`);
};

/** Lines of the plan table (no colour, so it reads the same in a log). */
export const renderPlan = (plan: Plan, options: RenderOptions = {}): string[] => {
  const width = options.width === undefined ? Number.POSITIVE_INFINITY : options.width - (options.indent ?? 0);
  const unchanged = plan.actions.filter((a) => a.op === 'unchanged');
  // By default the unchanged actions are one count; a converged plan of 200 apps is one line, not 800.
  const rows = options.verbose ? plan.actions : plan.actions.filter((a) => a.op !== 'unchanged');
  const kindWidth = Math.max(0, ...rows.map((a) => textWidth(kindLabel(a.kind))));
  // The subject gets its longest length up to 60 columns, or 40% of a narrow line; the reason has the rest.
  const subjectCap = Math.min(60, Math.max(20, Math.floor(width * 0.4)));
  const subjectWidth = Math.min(subjectCap, Math.max(0, ...rows.map((a) => textWidth(a.subject))));
  const lines: string[] = [];
  for (const a of rows) {
    const head = `${OP_SYMBOL[a.op]} ${pad(kindLabel(a.kind), kindWidth)}  `;
    if (options.verbose) {
      // The subject after the kind, then the reason and each change on lines of their own, under the kind.
      const under = ' '.repeat(Math.min(2, textWidth(head)));
      lines.push(...hang(head, a.subject, width));
      lines.push(...hang(under, a.reason, width));
      for (const change of changeLines(a)) lines.push(...hang(`${under}· `, change, width));
    } else {
      lines.push(truncate(`${head}${pad(truncate(a.subject, subjectWidth), subjectWidth)}  ${a.reason}`, width));
    }
  }
  if (!options.verbose && unchanged.length > 0) {
    lines.push(truncate(`${OP_SYMBOL.unchanged} ${options.unchangedLine?.(unchanged.length) ?? `${unchanged.length} unchanged`}`, width));
  }
  return lines;
};

/** One entry per app; long reasons are wrapped (never cut: they say why a license was chosen). */
export const renderLicenses = (plan: Plan, options: RenderOptions = {}): string[] => {
  const width = options.width === undefined ? Number.POSITIVE_INFINITY : options.width - (options.indent ?? 0);
  return plan.licenses.flatMap((l) =>
    hang(`${l.app}: `, messages.getMessage('license.line', [messages.getMessage(`license.name.${l.license}`), l.profile, l.reason]), width)
  );
};
