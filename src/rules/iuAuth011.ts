import { evidenceOf } from '../evidence/aggregate.js';
import type { AppSeen } from '../evidence/types.js';
import { MANAGED_MARKER } from '../manifest/constants.js';
import { grantEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { Evidence, FindingDraft, Rule } from './types.js';

const id = 'IU-AUTH-011';

/** "ERP Connector: OAuth token, login history; 4,210 uses; last 2026-11-26T08:00:00Z". */
const appEvidence = (username: string, app: AppSeen): Evidence => ({
  holderKind: 'user',
  holderName: username,
  grants: `client app ${app.name}: seen in ${app.seenIn.join(', ')}; ${app.uses} uses${app.lastSeen ? `; last ${app.lastSeen}` : ''}`,
});

/**
 * Two signals, either is enough: the per-app permission sets a user holds (with a manifest, the sets it names;
 * without one, sets carrying the plugin's managed marker), and — with evidence of use — two or more distinct client
 * applications seen for the user (OAuth token app names, login history Application, API log connected app names).
 */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    const appOfSet = (name: string, description?: string): string | undefined => {
      if (context.declared) {
        return context.declared.apps.find((app) => app.permissionSetName.toLowerCase() === name.toLowerCase())?.name;
      }
      return description?.includes(MANAGED_MARKER) ? name : undefined;
    };
    for (const iu of context.integrationUsers) {
      const apps = new Map<string, Evidence>();
      for (const grant of iu.access.grants) {
        if (grant.holder.kind !== 'permissionSet') continue;
        const app = appOfSet(grant.holder.name, grant.holder.description);
        if (app && !apps.has(app)) apps.set(app, grantEvidence(grant, `permission set of app ${app}`));
      }
      const seen = evidenceOf(context.model.evidence, iu.user.id)?.apps ?? [];
      if (apps.size > 1) {
        findings.push(userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username, [...apps.keys()].join(', ')]), [...apps.values()]));
      } else if (seen.length > 1) {
        const days = context.model.evidence?.days ?? 0;
        findings.push(
          userFinding(
            iu,
            ruleMessage(`${id}.findingEvidence`, [iu.user.username, seen.length, days, seen.map((a) => a.name).join(', ')]),
            seen.map((app) => appEvidence(iu.user.username, app))
          )
        );
      }
    }
    return findings;
  },
};
