import { checkSystemPermissions } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-AUTH-005';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: [], permissions: ['PasswordNeverExpires'], ...ruleText(id) },
  check: (context) => checkSystemPermissions(context, ['PasswordNeverExpires'], (subject) => ruleMessage(`${id}.finding`, [subject])),
};
