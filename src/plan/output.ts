/** What apply and user create print around the engine: the plan before writing, the outcome after. Pure text. */
import { Messages } from '@salesforce/core';
import type { ApplyRunResult } from './apply.js';
import { renderLicenses, renderPlan } from './render.js';
import type { Plan } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.apply');

export const planLines = (plan: Plan, orgLabel: string): string[] => {
  const s = plan.summary;
  return [
    messages.getMessage('plan.title', [orgLabel]),
    ...renderPlan(plan).map((line) => `  ${line}`),
    '',
    ...(plan.licenses.length > 0 ? [messages.getMessage('plan.licenses'), ...renderLicenses(plan).map((line) => `  ${line}`), ''] : []),
    ...(plan.notices.length > 0 ? [messages.getMessage('plan.notices'), ...plan.notices.map((n) => `  ${n.message}`), ''] : []),
    messages.getMessage('plan.summary', [String(s.create), String(s.update), String(s.unchanged), String(s.remove), String(s.orphaned)]),
  ];
};

/** Notes on writes that were carried out (an e-mail pending verification, a user unfrozen, …). */
const notes = (result: ApplyRunResult): string[] => result.done.filter((d) => d.note).map((d) => `  ${d.kind} ${d.subject}: ${d.note as string}`);

export const outcomeLines = (result: ApplyRunResult): string[] => {
  switch (result.outcome) {
    case 'converged':
      return [messages.getMessage('plan.converged')];
    case 'planned':
      return [messages.getMessage('plan.dryRun')];
    case 'applied':
      return [messages.getMessage('result.applied', [String(result.done.length)]), ...notes(result)];
    default:
      return [
        messages.getMessage('result.partial', [String(result.done.length), String(result.notDone.length)]),
        messages.getMessage('result.notDoneTitle'),
        ...result.notDone.map((item) => `  ${item.kind} ${item.subject}: ${item.reason}`),
        ...notes(result),
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
