import type { Profile, User } from '../access/model.js';
import { holderEvidence } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-STRUCT-002';

/** One finding for the org: its subject is the org, its evidence each profile with its integration users. */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    // Every profile an integration user is on counts here, human profiles included.
    const byProfile = new Map<string, { profile: Profile; users: User[] }>();
    for (const iu of context.integrationUsers) {
      if (!iu.access.profile) continue;
      const entry = byProfile.get(iu.access.profile.id) ?? { profile: iu.access.profile, users: [] };
      entry.users.push(iu.user);
      byProfile.set(iu.access.profile.id, entry);
    }
    const profiles = [...byProfile.values()];
    if (profiles.length < 2) return [];
    return [
      {
        subject: { kind: 'org', name: context.model.org.name ?? context.model.origin, ...(context.model.org.id ? { id: context.model.org.id } : {}) },
        message: ruleMessage(`${id}.finding`, [profiles.length, profiles.map((p) => p.profile.name).join(', ')]),
        evidence: profiles.map(({ profile, users }) =>
          holderEvidence(profile, `${users.length} integration user(s): ${users.map((u) => u.username).join(', ')}`)
        ),
      },
    ];
  },
};
