/** What apply and user create print around the engine: the plan before writing, the outcome after. Pure text. */
import { Messages } from '@salesforce/core';
import { ELLIPSIS, hang, truncate, wrap } from '../terminal/width.js';
import type { ApplyRunResult } from './apply.js';
import { renderLicenses, renderPlan } from './render.js';
import type { Plan } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

/** How the plan and outcome are printed: the terminal's width (unbounded when absent), and --verbose. */
export type OutputOptions = { width?: number; verbose?: boolean };

/** The title, the summary, then one line per action (unchanged ones counted unless verbose), then the licenses. */
export const planLines = (plan: Plan, orgLabel: string, options: OutputOptions = {}): string[] => {
  const s = plan.summary;
  const width = options.width ?? Number.POSITIVE_INFINITY;
  const render = { ...options, indent: 2, unchangedLine: (count: number): string => messages.getMessage('plan.unchangedCount', [String(count)]) };
  const actions = renderPlan(plan, render);
  // Say how to see more only when something was cut or counted.
  const shortened = !options.verbose && (s.unchanged > 0 || actions.some((line) => line.includes(ELLIPSIS)));
  return [
    truncate(messages.getMessage('plan.title', [orgLabel]), width),
    ...wrap(messages.getMessage('plan.summary', [String(s.create), String(s.update), String(s.unchanged), String(s.remove), String(s.orphaned)]), width),
    ...actions.map((line) => `  ${line}`),
    ...(plan.licenses.length > 0 ? ['', messages.getMessage('plan.licenses'), ...renderLicenses(plan, render).map((line) => `  ${line}`)] : []),
    ...(plan.notices.length > 0 ? ['', messages.getMessage('plan.notices'), ...plan.notices.flatMap((n) => hang('  ', n.message, width))] : []),
    ...(shortened ? wrap(messages.getMessage('plan.more'), width) : []),
  ];
};

/** Notes on writes that were carried out (an e-mail pending verification, a user unfrozen, …), wrapped. */
const notes = (result: ApplyRunResult, width: number): string[] =>
  result.done.filter((d) => d.note).flatMap((d) => hang('  ', `${d.kind} ${d.subject}: ${d.note as string}`, width));

export const outcomeLines = (result: ApplyRunResult, options: OutputOptions = {}): string[] => {
  const width = options.width ?? Number.POSITIVE_INFINITY;
  switch (result.outcome) {
    case 'converged':
      return [messages.getMessage('plan.converged')];
    case 'planned':
      return wrap(messages.getMessage('plan.dryRun'), width);
    case 'applied':
      return [messages.getMessage('result.applied', [String(result.done.length)]), ...notes(result, width)];
    default:
      return [
        ...wrap(messages.getMessage('result.partial', [String(result.done.length), String(result.notDone.length)]), width),
        messages.getMessage('result.notDoneTitle'),
        // Never cut: the reason says what to do next.
        ...result.notDone.flatMap((item) => hang('  ', `${item.kind} ${item.subject}: ${item.reason}`, width)),
        ...notes(result, width),
      ];
  }
};

/** The error thrown when no write succeeded (outcome failed). */
export const applyFailedError = (result: ApplyRunResult): Error => {
  const error = messages.createError('error.ApplyFailed', [
    String(result.notDone.length),
    String(result.notDone.length + result.done.length),
    result.notDone.map((item) => `  - ${item.kind} ${item.subject}: ${item.reason}`).join('\n'),
  ]);
  error.setData(result);
  return error;
};
