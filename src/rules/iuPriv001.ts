import { SYSTEM_ADMINISTRATOR_PROFILE_NAME } from '../access/model.js';
import { holderEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-PRIV-001';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 1, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) =>
    context.integrationUsers
      .filter((iu) => iu.access.profile?.name.toLowerCase() === SYSTEM_ADMINISTRATOR_PROFILE_NAME.toLowerCase())
      .map((iu) =>
        userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username]), [
          holderEvidence(iu.access.profile!, SYSTEM_ADMINISTRATOR_PROFILE_NAME),
        ])
      ),
};
