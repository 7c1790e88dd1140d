import { MANAGED_MARKER } from '../manifest/constants.js';
import { grantEvidence, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-AUTH-011';

/**
 * What is detectable from the model: the per-app permission sets a user holds. With a manifest, a set is an
 * app's when the manifest names it; without one, when its description carries the plugin's managed marker
 * (the plugin writes one set per app). OAuth token history is not in the model.
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
      const apps = new Map<string, ReturnType<typeof grantEvidence>>();
      for (const grant of iu.access.grants) {
        if (grant.holder.kind !== 'permissionSet') continue;
        const app = appOfSet(grant.holder.name, grant.holder.description);
        if (app && !apps.has(app)) apps.set(app, grantEvidence(grant, `permission set of app ${app}`));
      }
      if (apps.size > 1) {
        findings.push(userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username, [...apps.keys()].join(', ')]), [...apps.values()]));
      }
    }
    return findings;
  },
};
