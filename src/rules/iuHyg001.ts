import { daysBetween, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-HYG-001';

/** Integration users are already active-only; a user without a known creation date and no login is skipped. */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    const { now, dormantDays } = context.options;
    const findings: FindingDraft[] = [];
    for (const iu of context.integrationUsers) {
      const { user } = iu;
      if (user.lastLoginDate) {
        const days = daysBetween(new Date(user.lastLoginDate), now);
        if (days > dormantDays) {
          findings.push(
            userFinding(iu, ruleMessage(`${id}.finding`, [user.username, days, dormantDays]), [
              { holderKind: 'user', holderName: user.username, grants: `last login ${user.lastLoginDate}` },
            ])
          );
        }
      } else if (user.createdDate) {
        const days = daysBetween(new Date(user.createdDate), now);
        if (days > dormantDays) {
          findings.push(
            userFinding(iu, ruleMessage(`${id}.never`, [user.username, days, dormantDays]), [
              { holderKind: 'user', holderName: user.username, grants: `never logged in; created ${user.createdDate}` },
            ])
          );
        }
      }
    }
    return findings;
  },
};
