import { objectGrants, type Grant } from '../access/effective.js';
import { verbsOf } from '../salesforce/objectAccess.js';
import { grantEvidence, perUserEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Rule } from './types.js';

const id = 'IU-PRIV-009';
const MAX_LISTED = 10;

/**
 * Objects the user's effective access grants (profile, permission sets and groups, muting applied) that no API
 * log row of the window names for the user. Only users the logs show calling the API at all: a user with no call
 * is IU-HYG-001's (dormant) case, not this one.
 */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 4, needs: ['users', 'assignments', 'apiUsage'], ...ruleText(id) },
  check: (context) =>
    perUserEvidence(context, (iu, evidence, days) => {
      if (!evidence || evidence.apiCalls === 0) return undefined;
      const used = new Set(evidence.objects.map((o) => o.object.toLowerCase()));
      const perHolder = new Map<string, { grant: Grant; objects: string[] }>();
      const unused = new Set<string>();
      for (const { grant, access } of objectGrants(context.index, iu.access)) {
        if (used.has(access.object.toLowerCase())) continue;
        unused.add(access.object);
        const key = `${grant.holder.id}|${grant.viaGroup?.id ?? ''}`;
        const entry = perHolder.get(key) ?? { grant, objects: [] };
        entry.objects.push(`${access.object} (${verbsOf(access).join(', ')})`);
        perHolder.set(key, entry);
      }
      if (unused.size === 0) return undefined;
      const names = [...unused].sort();
      const listed = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more` : names.join(', ');
      return userFinding(
        iu,
        ruleMessage(`${id}.finding`, [iu.user.username, listed, days]),
        [...perHolder.values()].map(({ grant, objects }) => grantEvidence(grant, `${objects.join(', ')}; last use: none in ${days} days`))
      );
    }),
};
