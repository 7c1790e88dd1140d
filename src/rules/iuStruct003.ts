import { holderEvidence, holderSubject } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-STRUCT-003';

/**
 * Custom API-only profiles in use by integration users: one is the shared integration profile, two or more is
 * the profile-per-app pattern. Each is reported, except the manifest's own profile when a manifest is given.
 */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    const custom = context.integrationProfiles.filter(({ profile }) => profile.isCustom && profile.systemPermissions.includes('ApiUserOnly'));
    if (custom.length < 2) return [];
    const shared = context.declared?.profileName.toLowerCase();
    return custom
      .filter(({ profile }) => profile.name.toLowerCase() !== shared)
      .map(({ profile, users }) => ({
        subject: holderSubject(profile),
        message: ruleMessage(`${id}.finding`, [profile.name, users.map((u) => u.username).join(', '), custom.length]),
        evidence: [holderEvidence(profile, `ApiUserOnly; used by ${users.map((u) => u.username).join(', ')}`)],
      }));
  },
};
