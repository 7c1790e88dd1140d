import { systemPermissionGrants } from '../access/effective.js';
import { grantEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-AUTH-002';

/** Needs the user's assignments: a profile or set alone cannot tell whether the user gets API Enabled elsewhere. */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments'], permissions: ['ApiEnabled'], ...ruleText(id) },
  check: (context) =>
    context.integrationUsers
      .filter((iu) => systemPermissionGrants(context.index, iu.access, 'ApiEnabled').length === 0)
      .map((iu) =>
        userFinding(
          iu,
          ruleMessage(`${id}.finding`, [iu.user.username]),
          iu.access.grants.map((grant) => grantEvidence(grant, 'no ApiEnabled'))
        )
      ),
};
