import { UI_SETUP_PERMISSIONS } from '../salesforce/permissionTiers.js';
import { checkSystemPermissions, isElevated } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-PRIV-006';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 4, needs: [], permissions: UI_SETUP_PERMISSIONS, ...ruleText(id) },
  check: (context) =>
    checkSystemPermissions(
      context,
      UI_SETUP_PERMISSIONS,
      (subject, granted) => ruleMessage(`${id}.finding`, [subject, granted.join(', ')]),
      (app, permission) => isElevated(context, app, permission)
    ),
};
