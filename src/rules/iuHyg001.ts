import { evidenceOf, lastActivity, latest } from '../evidence/aggregate.js';
import { daysBetween, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-HYG-001';

/**
 * Integration users are already active-only; a user without a known creation date and no sign of life is skipped.
 * The last sign of life is the latest of User.LastLoginDate and, with evidence of use, the last successful login in
 * the window, the last use of one of its OAuth tokens and its last API call: an app that only refreshes tokens (no
 * new login) is not dormant.
 *
 * A frozen user (UserLogin.IsFrozen) cannot log in but "their account isn't deactivated" (object reference,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm):
 * it keeps its license seat and its access, so it is still reported, and the finding says it is frozen instead of
 * advising what was done already. Whether users are frozen is not needed to run the rule (unknown: no mention).
 */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    const { now, dormantDays } = context.options;
    const findings: FindingDraft[] = [];
    for (const iu of context.integrationUsers) {
      const { user } = iu;
      const frozen = (message: string): string => (user.frozen ? `${message} ${ruleMessage(`${id}.frozen`)}` : message);
      const frozenSource = user.frozen ? [ruleMessage(`${id}.evidence.frozen`)] : [];
      const evidence = evidenceOf(context.model.evidence, user.id);
      const lastSeen = latest(user.lastLoginDate, lastActivity(evidence));
      if (lastSeen) {
        const days = daysBetween(new Date(lastSeen), now);
        if (days > dormantDays) {
          const sources = [
            user.lastLoginDate ? ruleMessage(`${id}.evidence.lastLogin`, [user.lastLoginDate]) : ruleMessage(`${id}.evidence.noLogin`),
            ...(evidence?.lastTokenUse ? [ruleMessage(`${id}.evidence.tokenUse`, [evidence.lastTokenUse])] : []),
            ...(evidence?.lastApiCall ? [ruleMessage(`${id}.evidence.apiCall`, [evidence.lastApiCall])] : []),
            ...frozenSource,
          ];
          findings.push(
            userFinding(iu, frozen(ruleMessage(`${id}.finding`, [user.username, days, dormantDays])), [
              { holderKind: 'user', holderName: user.username, grants: sources.join('; ') },
            ])
          );
        }
      } else if (user.createdDate) {
        const days = daysBetween(new Date(user.createdDate), now);
        if (days > dormantDays) {
          findings.push(
            userFinding(iu, frozen(ruleMessage(`${id}.never`, [user.username, days, dormantDays])), [
              { holderKind: 'user', holderName: user.username, grants: [ruleMessage(`${id}.evidence.created`, [user.createdDate]), ...frozenSource].join('; ') },
            ])
          );
        }
      }
    }
    return findings;
  },
};
