import { checkSystemPermissions } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-AUTH-003';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 2, needs: [], permissions: ['BypassMFAForUiLogins'], ...ruleText(id) },
  check: (context) => checkSystemPermissions(context, ['BypassMFAForUiLogins'], (subject) => ruleMessage(`${id}.finding`, [subject])),
};
