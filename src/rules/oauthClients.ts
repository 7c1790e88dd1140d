/** What the OAuth client rules (IU-OAUTH-*) share: subjects, evidence, and who runs as whom. Pure. */
import type { OAuthClient } from '../access/model.js';
import type { Evidence, Subject } from './types.js';

export const clientSubject = (client: OAuthClient): Subject => ({
  kind: 'oauthClient',
  name: client.name,
  ...(client.filePath ? { filePath: client.filePath } : {}),
});

const kindLabel = (client: OAuthClient): string => (client.kind === 'externalClientApp' ? 'External Client App' : 'Connected App');

export const clientEvidence = (client: OAuthClient, grants: string): Evidence => ({
  holderKind: 'oauthClient',
  holderName: `${kindLabel(client)} ${client.name}`,
  grants,
  ...(client.filePath ? { filePath: client.filePath } : {}),
});

/** Client-credentials clients with a run-as user, by lower-cased username. */
export const clientsByRunAs = (clients: readonly OAuthClient[]): Map<string, OAuthClient[]> => {
  const map = new Map<string, OAuthClient[]>();
  for (const client of clients) {
    if (!client.clientCredentials || !client.runAsUsername) continue;
    const key = client.runAsUsername.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), client]);
  }
  return map;
};

/** Scope values that give more than the API: Full (everything), RefreshToken (tokens that outlive the session). */
export const ELEVATED_SCOPES = ['full', 'refreshtoken', 'offlineaccess', 'refresh_token', 'offline_access'];
export const elevatedScopes = (client: OAuthClient): string[] => client.scopes.filter((scope) => ELEVATED_SCOPES.includes(scope.trim().toLowerCase()));
