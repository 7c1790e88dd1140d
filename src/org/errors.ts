/**
 * Turns what jsforce throws into named errors with next steps (messages/org.md).
 */
import { Messages, type SfError } from '@salesforce/core';
import { errorCodeOf } from './retry.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'org');

/** Error code and message of anything thrown by an org call. */
export const describeOrgError = (error: unknown): { code: string; message: string } => {
  const code = errorCodeOf(error) ?? 'UNKNOWN_ERROR';
  const raw = error instanceof Error ? error.message : String(error);
  // Salesforce positions query errors over several lines; one line reads better in a table or a reason.
  return { code, message: raw.replace(/\s*\n\s*/g, ' ').trim() };
};

/** A named error for a failed read of `what` (an sObject name or a call). */
export const orgReadError = (what: string, error: unknown): SfError => {
  const { code, message } = describeOrgError(error);
  switch (code) {
    case 'INVALID_SESSION_ID':
      return messages.createError('error.SessionInvalid', [code, message], undefined, error as Error);
    case 'REQUEST_LIMIT_EXCEEDED':
      return messages.createError('error.ApiLimitExceeded', [code, message], undefined, error as Error);
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return messages.createError('error.ApiDisabled', [code, message], undefined, error as Error);
    default:
      return messages.createError('error.QueryFailed', [what, code, message], undefined, error as Error);
  }
};

/** Errors that end the whole load whatever was being read (no point going on without a session or API quota). */
export const isFatalOrgError = (error: unknown): boolean => {
  const code = errorCodeOf(error);
  return code === 'INVALID_SESSION_ID' || code === 'REQUEST_LIMIT_EXCEEDED' || code === 'API_DISABLED_FOR_ORG' || code === 'API_CURRENTLY_DISABLED';
};

/** The reason text of a fact that could not be loaded. */
export const unavailableReason = (what: string, error: unknown): string => {
  const { code, message } = describeOrgError(error);
  return messages.getMessage('reason.objectUnavailable', [what, code, message]);
};

export const orgMessages = messages;
