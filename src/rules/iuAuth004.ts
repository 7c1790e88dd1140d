import { evidenceOf } from '../evidence/aggregate.js';
import { isUiLogin } from '../evidence/vocabulary.js';
import { userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-AUTH-004';

/** Successful password logins in the window (SOAP login(), OAuth username-password, the UI form), per login type. */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments', 'loginEvents'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    const days = context.model.evidence?.days ?? 0;
    for (const iu of context.integrationUsers) {
      const password = (evidenceOf(context.model.evidence, iu.user.id)?.loginTypes ?? []).filter((t) => t.kind === 'password');
      if (password.length === 0) continue;
      const count = password.reduce((sum, t) => sum + t.count, 0);
      const ui = password.some((t) => isUiLogin(t.loginType));
      findings.push(
        userFinding(
          iu,
          ruleMessage(ui ? `${id}.findingUi` : `${id}.finding`, [iu.user.username, count, days]),
          password.map((t) => ({
            holderKind: 'user' as const,
            holderName: iu.user.username,
            grants: `${t.loginType}${t.subType ? ` / ${t.subType}` : ''}${t.apiType ? ` (${t.apiType})` : ''}: ${t.count} logins, last ${t.lastSeen}`,
          }))
        )
      );
    }
    return findings;
  },
};
