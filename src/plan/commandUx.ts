/**
 * The command side shared by `apply` and `user create`: print the plan before anything is written, show progress,
 * then print the outcome and set the exit code. One place, so both commands behave the same.
 */
import type { Spinner } from '@salesforce/sf-plugins-core';
import { outputWidth, wrap } from '../terminal/width.js';
import { PARTIAL_EXIT_CODE, type ApplyRunResult } from './apply.js';
import { applyFailedError, outcomeLines, planLines } from './output.js';
import type { Plan } from './types.js';

export type CommandUx = { log: (message: string) => void; spinner: Spinner };

/** --verbose: the whole plan, every reason and change in full (by default the output fits the terminal's width). */
export type PrintOptions = { verbose?: boolean };

/** The engine callbacks that print the plan (stopping the spinner first) and report progress in the spinner. */
export const engineCallbacks = (
  ux: CommandUx,
  orgLabel: string,
  options: PrintOptions = {}
): { onPlan: (plan: Plan) => void; onProgress: (message: string) => void } => {
  const { spinner } = ux;
  return {
    onPlan: (plan: Plan): void => {
      spinner.stop();
      ux.log(planLines(plan, orgLabel, { width: outputWidth(), verbose: options.verbose }).join('\n'));
      ux.log('');
    },
    onProgress: (message: string): void => {
      if (spinner.status === undefined) spinner.start(message);
      else spinner.status = message;
    },
  };
};

/** Prints the outcome; a total failure throws the named error, a partial success exits 68 with the result. */
export const finishRun = (ux: CommandUx, result: ApplyRunResult): ApplyRunResult => {
  if (result.outcome === 'failed') throw applyFailedError(result);
  const width = outputWidth();
  for (const note of result.notes) ux.log(wrap(note, width).join('\n'));
  ux.log(outcomeLines(result, { width }).join('\n'));
  if (result.outcome === 'partial') process.exitCode = PARTIAL_EXIT_CODE;
  return result;
};
