import { objectGrants } from '../access/effective.js';
import type { ObjectAccess } from '../access/model.js';
import { appOfHolder, grantEvidence, holderEvidence, holderFinding, isElevated, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Evidence, FindingDraft, Rule } from './types.js';

const id = 'IU-PRIV-004';

/** The sharing-bypass verbs of one object permission that the manifest does not justify for the app. */
const bypassVerbs = (access: ObjectAccess, isJustified: (grant: string) => boolean): string[] =>
  (['viewAll', 'modifyAll'] as const).filter((verb) => access[verb] && !isJustified(`${access.object}.${verb}`));

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 2, needs: [], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    if (context.mode === 'users') {
      for (const iu of context.integrationUsers) {
        const evidence: Evidence[] = [];
        const objects = new Set<string>();
        for (const { grant, access } of objectGrants(context.index, iu.access)) {
          const verbs = bypassVerbs(access, (g) => isElevated(context, iu.app, g));
          if (verbs.length === 0) continue;
          objects.add(access.object);
          evidence.push(grantEvidence(grant, `${access.object}: ${verbs.join(', ')}`));
        }
        if (evidence.length > 0) {
          findings.push(userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username, [...objects].join(', ')]), evidence));
        }
      }
      return findings;
    }
    for (const ih of context.integrationHolders) {
      const app = appOfHolder(context, ih.holder);
      const evidence = ih.holder.objectPermissions.flatMap((access) => {
        const verbs = bypassVerbs(access, (g) => isElevated(context, app, g));
        return verbs.length > 0 ? [holderEvidence(ih.holder, `${access.object}: ${verbs.join(', ')}`)] : [];
      });
      if (evidence.length > 0) {
        const objects = evidence.map((e) => e.grants.split(':')[0]);
        findings.push(holderFinding(ih, ruleMessage(`${id}.finding`, [ih.holder.name, objects.join(', ')]), evidence));
      }
    }
    return findings;
  },
};
