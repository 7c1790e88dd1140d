import { clientEvidence, clientSubject, elevatedScopes } from './oauthClients.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-OAUTH-004';

/**
 * A client-credentials app with the full or refresh_token scope: tokens nobody signs in for, with everything or
 * without end. Accepted when the manifest's app for that client writes a justification (apps[].oauth.justification).
 */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 2, needs: ['oauthClients'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    const justified = new Set((context.declared?.apps ?? []).flatMap((app) => (app.oauth?.justification ? [app.oauth.name.toLowerCase()] : [])));
    for (const client of context.model.oauthClients ?? []) {
      if (!client.clientCredentials || justified.has(client.name.toLowerCase())) continue;
      const scopes = elevatedScopes(client);
      if (scopes.length === 0) continue;
      findings.push({
        subject: clientSubject(client),
        message: ruleMessage(`${id}.finding`, [client.name, scopes.join(', ')]),
        evidence: [clientEvidence(client, ruleMessage(`${id}.evidence`, [client.scopes.join(', ')]))],
      });
    }
    return findings;
  },
};
