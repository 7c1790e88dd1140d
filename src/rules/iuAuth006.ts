import { holderEvidence, holderSubject } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-AUTH-006';

/** A profile whose ranges are unknown (undefined) is skipped: the loader then lists 'loginIpRanges' as unavailable. */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 3, needs: ['loginIpRanges'], ...ruleText(id) },
  check: (context) =>
    context.integrationProfiles
      .filter(({ profile }) => profile.loginIpRanges !== undefined && profile.loginIpRanges.length === 0)
      .map(({ profile, users, recognisedBy }) => ({
        subject: holderSubject(profile),
        ...(recognisedBy ? { recognisedBy } : {}),
        message: ruleMessage(`${id}.finding`, [profile.name]),
        evidence: [
          holderEvidence(profile, 'loginIpRanges: none'),
          ...users.map((user) => ({ holderKind: 'user' as const, holderName: user.username, grants: 'uses this profile' })),
        ],
      })),
};
