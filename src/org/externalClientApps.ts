/**
 * The org's OAuth clients through the Metadata API (the docs expose External Client Apps as metadata types, not as
 * queryable rows): listMetadata to find them, readMetadata (10 names a call) for the header, the OAuth settings and the
 * OAuth policies, and for Connected Apps. ExtlClntAppGlobalOauthSettings is only listed, never read: its records carry
 * the consumer key and secret, which the plugin never reads, prints or stores. A Connected App's read record may carry
 * oauthConfig.consumerSecret as well; it is dropped here, field by field, before anything else sees the record.
 */
import {
  ECA_GLOBAL_OAUTH_TYPE,
  ECA_OAUTH_SETTINGS_TYPE,
  ECA_POLICIES_TYPE,
  ECA_TYPE,
  ecaComponentNames,
} from '../salesforce/externalClientApp.js';
import { asArray, isTrue as yes, nonEmptyString as str } from '../formats/values.js';
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';

/**
 * An OAuth client of the org or the directory (src/access/model.ts re-exports it for the AccessModel): an External Client App (its OAuth settings and policies) or a
 * Connected App, in the plugin's words. Scopes keep the metadata values (Api, Full, RefreshToken).
 */
export type OAuthClient = {
  kind: 'externalClientApp' | 'connectedApp';
  name: string;
  label?: string;
  description?: string;
  scopes: string[];
  /** The client credentials flow is on (in the policies for an External Client App). */
  clientCredentials: boolean;
  /** The client credentials flow's run-as user (clientCredentialsFlowUser / oauthClientCredentialUser). */
  runAsUsername?: string;
  /** permittedUsersPolicyType (AdminApprovedPreAuthorized | AllSelfAuthorized). */
  permittedUsers?: string;
  /** Pre-authorised permission set ids (commaSeparatedPermissionSet). */
  permissionSetIds: string[];
  ipRelaxation?: string;
  sessionTimeout?: number;
  /** The global OAuth settings exist (listMetadata only: that type carries the consumer secret and is never read). */
  hasGlobalSettings?: boolean;
  /** The OAuth policies exist (an External Client App without them has no admin policy). */
  hasPolicies?: boolean;
  /** Metadata file (directory audits). */
  filePath?: string;
};

const READ_CHUNK = 10;
type Loose = Record<string, unknown>;
const splitList = (value: unknown): string[] =>
  (str(value) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const listNames = async (ctx: OrgContext, types: string[]): Promise<Map<string, string[]>> => {
  const byType = new Map<string, string[]>(types.map((t) => [t, []]));
  // listMetadata takes up to 3 queries a call; the calls are independent, so they run in parallel
  const batches: Array<Array<{ type: string }>> = [];
  for (let i = 0; i < types.length; i += 3) batches.push(types.slice(i, i + 3).map((type) => ({ type })));
  const results = await Promise.all(
    batches.map((queries) => orgCall(ctx, async () => (await ctx.conn.metadata.list(queries)) as unknown as Loose | Loose[]))
  );
  for (const file of results.flatMap((result) => asArray(result))) {
    const type = str(file.type);
    const name = str(file.fullName);
    if (type && name) byType.get(type)?.push(name);
  }
  return byType;
};

const readAll = async (ctx: OrgContext, type: string, names: string[]): Promise<Map<string, Loose>> => {
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += READ_CHUNK) chunks.push(names.slice(i, i + READ_CHUNK));
  const results = await Promise.all(chunks.map((chunk) => orgCall(ctx, async () => (await ctx.conn.metadata.read(type as Parameters<typeof ctx.conn.metadata.read>[0], chunk)) as unknown as Loose | Loose[])));
  const records = new Map<string, Loose>();
  for (const record of results.flatMap((r) => asArray(r))) {
    const name = str(record?.fullName);
    if (name) records.set(name.toLowerCase(), record);
  }
  return records;
};

/** A Connected App record with every secret-bearing field removed. */
const withoutSecrets = (record: Loose): Loose => {
  const oauthConfig = record.oauthConfig as Loose | undefined;
  if (!oauthConfig) return record;
  const { consumerSecret, ...rest } = oauthConfig;
  void consumerSecret;
  return { ...record, oauthConfig: rest };
};

export type ReadOAuthClientsOptions = {
  /** Read these External Client Apps (by header name) whether or not listMetadata shows them; all listed ones are read. */
  externalClientApps?: string[];
  /** Also read the Connected Apps (audit). */
  connectedApps?: boolean;
};

/** External Client Apps (and, when asked, Connected Apps) with their OAuth settings and policies. */
export const readOAuthClients = async (ctx: OrgContext, options: ReadOAuthClientsOptions = {}): Promise<OAuthClient[]> => {
  const types = [ECA_TYPE, ECA_GLOBAL_OAUTH_TYPE, ECA_POLICIES_TYPE, ...(options.connectedApps ? ['ConnectedApp'] : [])];
  const listed = await listNames(ctx, types);
  const headers = [...new Set([...(listed.get(ECA_TYPE) ?? []), ...(options.externalClientApps ?? [])])];
  const globals = new Set((listed.get(ECA_GLOBAL_OAUTH_TYPE) ?? []).map((n) => n.toLowerCase()));
  const policyNames = new Set((listed.get(ECA_POLICIES_TYPE) ?? []).map((n) => n.toLowerCase()));
  const names = headers.map(ecaComponentNames);
  const [headerRecords, settingsRecords, policyRecords, connectedRecords] = await Promise.all([
    readAll(ctx, ECA_TYPE, headers),
    readAll(ctx, ECA_OAUTH_SETTINGS_TYPE, names.map((n) => n.oauthSettings)),
    readAll(ctx, ECA_POLICIES_TYPE, names.map((n) => n.policies)),
    options.connectedApps ? readAll(ctx, 'ConnectedApp', listed.get('ConnectedApp') ?? []) : Promise.resolve(new Map<string, Loose>()),
  ]);
  const clients: OAuthClient[] = [];
  for (const n of names) {
    const header = headerRecords.get(n.header.toLowerCase());
    if (!header) continue; // listed under a name read could not find, or asked for and absent
    const settings = settingsRecords.get(n.oauthSettings.toLowerCase());
    const policies = policyRecords.get(n.policies.toLowerCase());
    const timeout = Number(policies?.sessionTimeoutInMinutes);
    clients.push({
      kind: 'externalClientApp',
      name: str(header.fullName) ?? n.header,
      ...(str(header.label) ? { label: str(header.label) } : {}),
      ...(str(header.description) ? { description: str(header.description) } : {}),
      scopes: splitList(settings?.commaSeparatedOauthScopes),
      clientCredentials: yes(policies?.isClientCredentialsFlowEnabled),
      ...(str(policies?.clientCredentialsFlowUser) ? { runAsUsername: str(policies?.clientCredentialsFlowUser) } : {}),
      ...(str(policies?.permittedUsersPolicyType) ? { permittedUsers: str(policies?.permittedUsersPolicyType) } : {}),
      permissionSetIds: splitList(policies?.commaSeparatedPermissionSet),
      ...(str(policies?.ipRelaxationPolicyType) ? { ipRelaxation: str(policies?.ipRelaxationPolicyType) } : {}),
      ...(Number.isFinite(timeout) && timeout > 0 ? { sessionTimeout: timeout } : {}),
      hasGlobalSettings: globals.has(n.globalSettings.toLowerCase()),
      hasPolicies: policy(policies, policyNames, n.policies),
    });
  }
  for (const raw of connectedRecords.values()) clients.push(connectedAppClient(withoutSecrets(raw)));
  return clients;
};

const policy = (record: Loose | undefined, listedNames: Set<string>, name: string): boolean => record !== undefined || listedNames.has(name.toLowerCase());

/**
 * ConnectedApp metadata: oauthConfig.scopes (repeated), oauthConfig.isClientCredentialEnabled and
 * oauthConfig.oauthClientCredentialUser (client credentials; names as in public connected app files, UNVERIFIED against
 * the reference), oauthPolicy.ipRelaxation, permissionSetName (repeated, the pre-authorised sets by name).
 */
export const connectedAppClient = (record: Loose): OAuthClient => {
  const oauthConfig = (record.oauthConfig ?? {}) as Loose;
  const oauthPolicy = (record.oauthPolicy ?? {}) as Loose;
  return {
    kind: 'connectedApp',
    name: str(record.fullName) ?? '',
    ...(str(record.label) ? { label: str(record.label) } : {}),
    ...(str(record.description) ? { description: str(record.description) } : {}),
    scopes: asArray(oauthConfig.scopes as string | string[]).filter((s): s is string => typeof s === 'string'),
    clientCredentials: yes(oauthConfig.isClientCredentialEnabled),
    ...(str(oauthConfig.oauthClientCredentialUser) ? { runAsUsername: str(oauthConfig.oauthClientCredentialUser) } : {}),
    ...(yes(oauthConfig.isAdminApproved) ? { permittedUsers: 'AdminApprovedPreAuthorized' } : {}),
    permissionSetIds: [],
    ...(str(oauthPolicy.ipRelaxation) ? { ipRelaxation: str(oauthPolicy.ipRelaxation) } : {}),
  };
};
