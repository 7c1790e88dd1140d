import { SYSTEM_ADMINISTRATOR_PROFILE_NAME } from '../access/model.js';
import { clientEvidence, clientSubject } from './oauthClients.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-OAUTH-001';

/**
 * The client credentials flow hands out tokens for its run-as user without anyone signing in, so that user must be
 * an API-only integration user (the docs: "This user must have the API Only permission"), never a person or an admin.
 */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 1, needs: ['users', 'oauthClients'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    const integration = new Set(context.integrationUsers.map((iu) => iu.user.username.toLowerCase()));
    const users = new Map(context.model.users.map((u) => [u.username.toLowerCase(), u]));
    const profiles = new Map(context.model.profiles.map((p) => [p.profileId.slice(0, 15), p]));
    for (const client of context.model.oauthClients ?? []) {
      if (!client.clientCredentials || !client.runAsUsername) continue;
      const username = client.runAsUsername;
      const user = users.get(username.toLowerCase());
      const profile = user ? profiles.get(user.profileId.slice(0, 15))?.name : undefined;
      const admin = profile === SYSTEM_ADMINISTRATOR_PROFILE_NAME;
      if (user && integration.has(username.toLowerCase()) && !admin) continue;
      const what = !user ? 'missing' : admin ? 'admin' : 'human';
      findings.push({
        subject: clientSubject(client),
        message: ruleMessage(`${id}.finding.${what}`, [client.name, username, profile ?? '']),
        evidence: [clientEvidence(client, ruleMessage(`${id}.evidence`, [username]))],
      });
    }
    return findings;
  },
};
