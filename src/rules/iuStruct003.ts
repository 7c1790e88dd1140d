import { holderEvidence, holderSubject } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-STRUCT-003';

/** A single custom profile with one user is normal; the pattern is several of them. */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    const perApp = context.integrationProfiles.filter(({ profile, users }) => profile.isCustom && users.length === 1);
    if (perApp.length < 2) return [];
    return perApp.map(({ profile, users }) => ({
      subject: holderSubject(profile),
      message: ruleMessage(`${id}.finding`, [profile.name, users[0].username, perApp.length]),
      evidence: [holderEvidence(profile, `only integration user: ${users[0].username}`)],
    }));
  },
};
