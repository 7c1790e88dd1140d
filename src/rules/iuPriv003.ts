import { IDENTITY_TAKEOVER_PERMISSIONS } from '../salesforce/permissionTiers.js';
import { checkSystemPermissions, isElevated } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-PRIV-003';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 1, needs: [], permissions: IDENTITY_TAKEOVER_PERMISSIONS, ...ruleText(id) },
  check: (context) =>
    checkSystemPermissions(
      context,
      IDENTITY_TAKEOVER_PERMISSIONS,
      (subject, granted) => ruleMessage(`${id}.finding`, [subject, granted.join(', ')]),
      (app, permission) => isElevated(context, app, permission)
    ),
};
