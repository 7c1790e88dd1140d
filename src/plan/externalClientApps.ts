/**
 * The plan's External Client App actions: one per app with `oauth`, compared with what the org has (its header,
 * OAuth settings and policies; the global settings only by existence and by the fingerprint the header records).
 * Pure. A converged app plans `unchanged`; an app the plugin manages that the manifest no longer names is listed as
 * orphaned and left alone, with or without --prune (deleting an OAuth client cuts an integration off).
 */
import { Messages } from '@salesforce/core';
import type { OAuthClient } from '../access/model.js';
import type { DesiredApp } from '../manifest/types.js';
import {
  IP_RELAXATION_METADATA,
  PERMITTED_USERS_PRE_AUTHORIZED,
  fingerprintOfDescription,
  globalSettingsFingerprint,
  headerDescription,
  externalClientAppMetadata,
  scopeValues,
} from '../metadata/externalClientApp.js';
import { idKey } from '../access/orgRows.js';
import type { DeployExternalClientAppAction, PlanAction } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

const lower = (s: string): string => s.toLowerCase();

export type EcaAppContext = {
  app: DesiredApp;
  /** The app's username in this org (sandbox suffix applied). */
  username: string;
  /** The user exists, is active and already on the profile the plan wants (so it can be the run-as user now). */
  userReady: boolean;
  /** Id of the app's permission set when it exists before this apply. */
  permissionSetId?: string;
};

const headerChanges = (context: EcaAppContext, client: OAuthClient): string[] => {
  const oauth = context.app.oauth!;
  const changes: string[] = [];
  if ((client.label ?? '') !== oauth.label) changes.push(`label ${client.label ?? '(none)'} → ${oauth.label}`);
  if ((client.description ?? '') !== headerDescription(oauth)) {
    changes.push(fingerprintOfDescription(client.description) !== globalSettingsFingerprint(oauth) ? 'global OAuth settings (callback URL, certificate or flow)' : 'description');
  }
  if (!client.hasGlobalSettings) changes.push('global OAuth settings missing');
  const scopes = [...new Set(client.scopes.map((s) => s.trim()))].sort();
  if (scopes.join(',') !== scopeValues(oauth.scopes).join(',')) changes.push(`scopes ${scopes.join(',') || '(none)'} → ${scopeValues(oauth.scopes).join(',')}`);
  return changes;
};

const onOff = (on: boolean): string => (on ? 'on' : 'off');
const shown = (value: unknown, none = '(none)'): string => (value === undefined || value === '' ? none : String(value));

const policyChanges = (context: EcaAppContext, client: OAuthClient): string[] => {
  const oauth = context.app.oauth!;
  const changes: string[] = [];
  if (!client.hasPolicies) changes.push('OAuth policies missing');
  const clientCredentials = oauth.flow === 'client-credentials';
  if (client.clientCredentials !== clientCredentials) changes.push(`client credentials flow ${onOff(client.clientCredentials)} → ${onOff(clientCredentials)}`);
  const runAs = clientCredentials ? context.username : undefined;
  if (lower(client.runAsUsername ?? '') !== lower(runAs ?? '')) changes.push(`run-as user ${shown(client.runAsUsername)} → ${shown(runAs)}`);
  if (client.permittedUsers !== PERMITTED_USERS_PRE_AUTHORIZED) changes.push(`permitted users ${shown(client.permittedUsers)} → ${PERMITTED_USERS_PRE_AUTHORIZED}`);
  const sets = client.permissionSetIds.map(idKey);
  if (!context.permissionSetId || sets.length !== 1 || sets[0] !== idKey(context.permissionSetId)) changes.push(`pre-authorised permission set → ${context.app.permissionSet.name}`);
  const ip = IP_RELAXATION_METADATA[oauth.ipRelaxation];
  if ((client.ipRelaxation ?? '') !== ip) changes.push(`IP relaxation ${shown(client.ipRelaxation)} → ${ip}`);
  if (client.sessionTimeout !== oauth.sessionTimeout) changes.push(`session timeout ${shown(client.sessionTimeout, '(org default)')} → ${shown(oauth.sessionTimeout, '(org default)')}`);
  return changes;
};

/** What differs between the org's app and the manifest's, in words for the plan table. */
const changesOf = (context: EcaAppContext, client: OAuthClient): string[] => [...headerChanges(context, client), ...policyChanges(context, client)];

const actionFor = (context: EcaAppContext, clientsByName: Map<string, OAuthClient>): DeployExternalClientAppAction => {
  const { app } = context;
  const oauth = app.oauth!;
  const existing = clientsByName.get(lower(oauth.name));
  const changes = existing ? changesOf(context, existing) : [];
  const op = !existing ? 'create' : changes.length > 0 ? 'update' : 'unchanged';
  const clientCredentials = oauth.flow === 'client-credentials';
  // The policies name the run-as user and the set's id: both must exist when they are deployed.
  const phase = (clientCredentials && !context.userReady) || !context.permissionSetId ? 'afterUsers' : 'withMetadata';
  const collectSecret = messages.getMessage('eca.collectSecret', [oauth.label]);
  const reason =
    op === 'unchanged'
      ? messages.getMessage('reason.eca.unchanged')
      : `${op === 'create' ? messages.getMessage('reason.eca.create', [oauth.flow]) : messages.getMessage('reason.eca.update', [changes.join('; ')])}${
          phase === 'afterUsers' ? ` ${messages.getMessage('reason.eca.afterUsers')}` : ''
        }${op === 'create' ? ` ${collectSecret}` : ''}`;
  return {
    kind: 'deployExternalClientApp',
    op,
    subject: oauth.name,
    app: app.name,
    reason,
    details: {
      name: oauth.name,
      label: oauth.label,
      flow: oauth.flow,
      ...(clientCredentials ? { runAs: context.username } : {}),
      permissionSet: app.permissionSet.name,
      ...(context.permissionSetId ? { permissionSetId: context.permissionSetId } : {}),
      phase,
      changes,
      components: externalClientAppMetadata(oauth, { runAsUsername: clientCredentials ? context.username : undefined, permissionSetId: context.permissionSetId }),
      collectSecret,
    },
  };
};

export const isManagedClient = (client: OAuthClient, marker: string): boolean => client.kind === 'externalClientApp' && client.description?.includes(marker) === true;

/** One action per app with an OAuth client, then the managed apps no app names (orphans: never removed). */
export const planExternalClientApps = (contexts: EcaAppContext[], clients: OAuthClient[], marker: string, reportOrphans: boolean): PlanAction[] => {
  const clientsByName = new Map(clients.filter((c) => c.kind === 'externalClientApp').map((c) => [lower(c.name), c]));
  const actions: PlanAction[] = contexts.filter((c) => c.app.oauth).map((c) => actionFor(c, clientsByName));
  if (!reportOrphans) return actions;
  const wanted = new Set(contexts.flatMap((c) => (c.app.oauth ? [lower(c.app.oauth.name)] : [])));
  for (const client of clients) {
    if (!isManagedClient(client, marker) || wanted.has(lower(client.name))) continue;
    actions.push({ kind: 'orphan', op: 'orphaned', subject: client.name, reason: messages.getMessage('reason.orphan.externalClientApp'), details: { type: 'externalClientApp', name: client.name } });
  }
  return actions;
};
