import { ADMIN_PERMISSIONS } from '../salesforce/permissionTiers.js';
import { checkSystemPermissions, isElevated } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-PRIV-002';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 1, needs: [], permissions: ADMIN_PERMISSIONS, ...ruleText(id) },
  check: (context) =>
    checkSystemPermissions(
      context,
      ADMIN_PERMISSIONS,
      (subject, granted) => ruleMessage(`${id}.finding`, [subject, granted.join(', ')]),
      (app, permission) => isElevated(context, app, permission)
    ),
};
