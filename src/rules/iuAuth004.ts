import { isUiLogin } from '../evidence/vocabulary.js';
import { perUserEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-AUTH-004';

/** Successful password logins in the window (SOAP login(), OAuth username-password, the UI form), per login type. */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments', 'loginEvents'], ...ruleText(id) },
  check: (context) =>
    perUserEvidence(context, (iu, evidence, days) => {
      const password = (evidence?.loginTypes ?? []).filter((t) => t.kind === 'password');
      if (password.length === 0) return undefined;
      const count = password.reduce((sum, t) => sum + t.count, 0);
      const ui = password.some((t) => isUiLogin(t.loginType));
      return userFinding(
        iu,
        ruleMessage(ui ? `${id}.findingUi` : `${id}.finding`, [iu.user.username, count, days]),
        password.map((t) => ({
          holderKind: 'user' as const,
          holderName: iu.user.username,
          grants: `${t.loginType}${t.subType ? ` / ${t.subType}` : ''}${t.apiType ? ` (${t.apiType})` : ''}: ${t.count} logins, last ${t.lastSeen}`,
        }))
      );
    }),
};
