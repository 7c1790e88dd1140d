import { BULK_EXPORT_PERMISSIONS } from '../salesforce/permissionTiers.js';
import { checkSystemPermissions, isElevated } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-PRIV-005';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 2, needs: [], permissions: BULK_EXPORT_PERMISSIONS, ...ruleText(id) },
  check: (context) =>
    checkSystemPermissions(
      context,
      BULK_EXPORT_PERMISSIONS,
      (subject, granted) => ruleMessage(`${id}.finding`, [subject, granted.join(', ')]),
      (app, permission) => isElevated(context, app, permission)
    ),
};
