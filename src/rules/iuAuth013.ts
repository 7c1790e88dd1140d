import { perUserEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-AUTH-013';
/** Failed logins in the window from which an integration user is reported: a few are a rotation, more are not. */
export const FAILED_LOGIN_THRESHOLD = 10;

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments', 'loginEvents'], ...ruleText(id) },
  check: (context) =>
    perUserEvidence(context, (iu, evidence, days) => {
      if (!evidence || evidence.failures < FAILED_LOGIN_THRESHOLD) return undefined;
      const ips = evidence.sourceIps.filter((s) => s.failures > 0).map((s) => `${s.ip} (${s.failures})`);
      return userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username, evidence.failures, days, evidence.logins]), [
        {
          holderKind: 'user',
          holderName: iu.user.username,
          grants: `failed: ${evidence.failureStatuses.map((f) => `${f.status} ${f.count}`).join(', ')}${ips.length > 0 ? `; from ${ips.join(', ')}` : ''}`,
        },
      ]);
    }),
};
