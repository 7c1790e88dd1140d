import { userFinding } from './helpers.js';
import { clientEvidence, clientSubject, clientsByRunAs } from './oauthClients.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-OAUTH-002';

/** One run-as user behind several client-credentials apps: their calls cannot be told apart, nor revoked one by one. */
export const rule: Rule = {
  meta: { id, scope: 'aggregate', severity: 3, needs: ['oauthClients'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    for (const clients of clientsByRunAs(context.model.oauthClients ?? []).values()) {
      if (clients.length < 2) continue;
      const username = clients[0].runAsUsername as string;
      const message = ruleMessage(`${id}.finding`, [username, clients.map((c) => c.name).join(', ')]);
      const evidence = clients.map((c) => clientEvidence(c, ruleMessage(`${id}.evidence`, [username])));
      const iu = context.integrationUsers.find((u) => u.user.username.toLowerCase() === username.toLowerCase());
      // the user when the audit knows it (an org); otherwise (a directory, a non-integration user) the first client
      findings.push(iu ? userFinding(iu, message, evidence) : { subject: clientSubject(clients[0]), message, evidence });
    }
    return findings;
  },
};
