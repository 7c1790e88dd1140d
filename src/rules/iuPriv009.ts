import { objectGrants, type Grant } from '../access/effective.js';
import type { ObjectAccess } from '../access/model.js';
import { evidenceOf } from '../evidence/aggregate.js';
import { grantEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-PRIV-009';
const VERBS = ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'] as const;
const MAX_LISTED = 10;

const verbsOf = (access: ObjectAccess): string => VERBS.filter((verb) => access[verb]).join(', ');

/**
 * Objects the user's effective access grants (profile, permission sets and groups, muting applied) that no API
 * log row of the window names for the user. Only users the logs show calling the API at all: a user with no call
 * is IU-HYG-001's (dormant) case, not this one.
 */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 4, needs: ['users', 'assignments', 'apiUsage'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    const days = context.model.evidence?.days ?? 0;
    for (const iu of context.integrationUsers) {
      const evidence = evidenceOf(context.model.evidence, iu.user.id);
      if (!evidence || evidence.apiCalls === 0) continue;
      const used = new Set(evidence.objects.map((o) => o.object.toLowerCase()));
      const perHolder = new Map<string, { grant: Grant; objects: string[] }>();
      const unused = new Set<string>();
      for (const { grant, access } of objectGrants(context.index, iu.access)) {
        if (used.has(access.object.toLowerCase())) continue;
        unused.add(access.object);
        const key = `${grant.holder.id}|${grant.viaGroup?.id ?? ''}`;
        const entry = perHolder.get(key) ?? { grant, objects: [] };
        entry.objects.push(`${access.object} (${verbsOf(access)})`);
        perHolder.set(key, entry);
      }
      if (unused.size === 0) continue;
      const names = [...unused].sort();
      const listed = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more` : names.join(', ');
      findings.push(
        userFinding(
          iu,
          ruleMessage(`${id}.finding`, [iu.user.username, listed, days]),
          [...perHolder.values()].map(({ grant, objects }) => grantEvidence(grant, `${objects.join(', ')}; last use: none in ${days} days`))
        )
      );
    }
    return findings;
  },
};
