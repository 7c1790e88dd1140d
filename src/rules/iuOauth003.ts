import { clientsByRunAs } from './oauthClients.js';
import { userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-OAUTH-003';

/**
 * A manifest app's integration user that no OAuth client is bound to: not a client-credentials run-as user, none of
 * its permission sets pre-authorises it for an app, and the app's declared client is not in the org. Such a user
 * authenticates some other way (a password, a client nobody bound). Without a manifest the audit cannot tell which
 * users are meant to have a client of their own, so the rule needs one.
 */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 4, needs: ['users', 'assignments', 'oauthClients'], needsManifest: true, ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    const clients = context.model.oauthClients ?? [];
    const runAs = clientsByRunAs(clients);
    const preAuthorised = new Set(clients.flatMap((c) => c.permissionSetIds.map((setId) => setId.slice(0, 15))));
    const declaredClients = new Set((context.declared?.apps ?? []).flatMap((app) => (app.oauth ? [app.oauth.name.toLowerCase()] : [])));
    const clientNames = new Set(clients.map((c) => c.name.toLowerCase()));
    const manifestUsers = new Set((context.declared?.apps ?? []).map((a) => a.username.toLowerCase()));
    for (const iu of context.integrationUsers) {
      if (!manifestUsers.has(iu.user.username.toLowerCase())) continue;
      if (runAs.has(iu.user.username.toLowerCase())) continue;
      const sets = context.model.assignments.filter((a) => a.userId.slice(0, 15) === iu.user.id.slice(0, 15)).map((a) => (a.permissionSetId ?? '').slice(0, 15));
      if (sets.some((setId) => preAuthorised.has(setId))) continue;
      // with a manifest, an app whose declared client exists is bound (it may still lack its pre-authorisation: apply fixes it)
      const app = context.declared?.apps.find((a) => a.username.toLowerCase() === iu.user.username.toLowerCase());
      if (app?.oauth && declaredClients.has(app.oauth.name.toLowerCase()) && clientNames.has(app.oauth.name.toLowerCase())) continue;
      findings.push(userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username]), []));
    }
    return findings;
  },
};
