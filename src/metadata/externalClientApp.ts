/**
 * An app's OAuth client as an External Client App: the four Metadata API components (API 59.0+) and everything the
 * plugin knows about their fields. The one module that owns this knowledge; generate, apply, audit and the tests use it.
 *
 * Sources (Metadata API Developer Guide, pages meta_externalclientapplication, meta_extlclntappoauthsettings,
 * meta_extlclntappglobaloauthsettings, meta_extlclntappoauthconfigurablepolicies; suffixes and folders as in
 * source-deploy-retrieve's registry, see sourceFilePath):
 * - ExternalClientApplication (.eca, externalClientApps): contactEmail, description, distributionState
 * (Local | Packaged | Managed | AutoInstalled), isProtected, label, …
 * - ExtlClntAppOauthSettings (.ecaOauth, extlClntAppOauthSettings): commaSeparatedOauthScopes,
 * externalClientApplication (required), label, …
 * - ExtlClntAppGlobalOauthSettings (.ecaGlblOauth, extlClntAppGlobalOauthSets): callbackUrl, certificate (PEM; enables
 * JWT bearer), consumerKey, consumerSecret, externalClientApplication (required), isClientCredentialsFlowEnabled (60.0+),
 * isConsumerSecretOptional, isIntrospectAllTokens, label, … The docs call its content "private and sensitive OAuth
 * consumer information that can't be packaged and must not be added to source control": the plugin never writes
 * consumerKey or consumerSecret and never reads this type back from an org.
 * - ExtlClntAppOauthConfigurablePolicies (.ecaOauthPlcy, extlClntAppOauthPolicies): clientCredentialsFlowUser (60.0+,
 * "must have the API Only permission"), commaSeparatedPermissionSet (permission set IDs, used when
 * permittedUsersPolicyType is AdminApprovedPreAuthorized), externalClientApplication (required),
 * ipRelaxationPolicyType (Enforce | Bypass | Bypass_2factor | Enforce_RelaxRefresh), isClientCredentialsFlowEnabled,
 * label, permittedUsersPolicyType (AdminApprovedPreAuthorized | AllSelfAuthorized), …; sessionTimeoutInMinutes is not
 * in the excerpts read here but appears in public policy files (UNVERIFIED against the reference).
 *
 * Component names follow what orgs return on retrieve and public projects commit: `<App>` for the header and
 * `<App>_oauth`, `<App>_glbloauth`, `<App>_oauthPlcy` for the others (seen in several public SFDX projects).
 */
import { createHash } from 'node:crypto';
import { MANAGED_MARKER } from '../manifest/constants.js';
import type { DesiredOAuth, IpRelaxation, OAuthScope } from '../manifest/types.js';
import {
  ECA_GLOBAL_OAUTH_TYPE,
  ECA_OAUTH_SETTINGS_TYPE,
  ECA_POLICIES_TYPE,
  ECA_TYPE,
  ecaComponentNames,
  type EcaTypeName,
} from '../salesforce/externalClientApp.js';
import type { GeneratedComponent } from './types.js';
import { toMetadataXml } from './xml.js';

export const PERMITTED_USERS_PRE_AUTHORIZED = 'AdminApprovedPreAuthorized';

/**
 * Scope token names → the values of commaSeparatedOauthScopes. Api, RefreshToken, Web and OpenID appear in public ECA
 * files; Full, Basic, Chatter and CustomPermissions are the ConnectedApp scope enumeration's names (UNVERIFIED for ECAs).
 */
export const SCOPE_METADATA: Readonly<Record<OAuthScope, string>> = Object.fromEntries([
  ['api', 'Api'],
  ['refresh_token', 'RefreshToken'],
  ['offline_access', 'RefreshToken'],
  ['full', 'Full'],
  ['web', 'Web'],
  ['openid', 'OpenID'],
  ['id', 'Basic'],
  ['chatter_api', 'Chatter'],
  ['custom_permissions', 'CustomPermissions'],
]) as Record<OAuthScope, string>;

export const IP_RELAXATION_METADATA: Readonly<Record<IpRelaxation, string>> = {
  enforce: 'Enforce',
  bypass: 'Bypass',
  'bypass-with-mfa': 'Bypass_2factor',
  'enforce-relax-refresh': 'Enforce_RelaxRefresh',
};


/** What only the target org can say: the run-as user's username there, and the permission set's id. */
export type EcaBindings = {
  /** clientCredentialsFlowUser (client-credentials only). */
  runAsUsername?: string;
  /** Id of the app's permission set: pre-authorises its holders (commaSeparatedPermissionSet takes ids). */
  permissionSetId?: string;
};

/** Sorted, de-duplicated metadata scope values: the org's comma-separated list compares equal however it was written. */
export const scopeValues = (scopes: readonly OAuthScope[]): string[] => [...new Set(scopes.map((scope) => SCOPE_METADATA[scope]))].sort();

/**
 * Short fingerprint of the global OAuth settings the plugin writes. That type is never read back (it carries the
 * consumer secret), so the header's description records which settings were deployed; a changed callback URL or
 * certificate changes the fingerprint and the plan deploys the app again.
 */
export const globalSettingsFingerprint = (oauth: DesiredOAuth): string =>
  createHash('sha256')
    .update(JSON.stringify([oauth.flow, oauth.callbackUrl ?? '', (oauth.certificate ?? '').replace(/\s+/g, '')]))
    .digest('hex')
    .slice(0, 8);

const FINGERPRINT = /\[global OAuth ([0-9a-f]{8})\]/;
export const fingerprintOfDescription = (description: string | undefined): string | undefined => FINGERPRINT.exec(description ?? '')?.[1];

/** The header's description: the app's description, the managed-by marker, and the global settings' fingerprint. */
export const headerDescription = (oauth: DesiredOAuth): string => `${oauth.description} [global OAuth ${globalSettingsFingerprint(oauth)}]`;

export type EcaHeaderMetadata = { contactEmail: string; description: string; distributionState: 'Local'; isProtected: boolean; label: string };
export type EcaOauthSettingsMetadata = { commaSeparatedOauthScopes: string; externalClientApplication: string; label: string };
export type EcaGlobalOauthMetadata = {
  callbackUrl?: string;
  certificate?: string;
  externalClientApplication: string;
  isClientCredentialsFlowEnabled: boolean;
  isConsumerSecretOptional: boolean;
  isIntrospectAllTokens: boolean;
  label: string;
};
export type EcaPoliciesMetadata = {
  clientCredentialsFlowUser?: string;
  commaSeparatedPermissionSet?: string;
  externalClientApplication: string;
  ipRelaxationPolicyType: string;
  isClientCredentialsFlowEnabled: boolean;
  label: string;
  permittedUsersPolicyType: string;
  sessionTimeoutInMinutes?: number;
};

/** Keys in element order (alphabetical, as retrieve returns them); undefined values are left out by the writer. */
export const buildHeader = (oauth: DesiredOAuth): EcaHeaderMetadata => ({
  contactEmail: oauth.contactEmail,
  description: headerDescription(oauth),
  distributionState: 'Local',
  isProtected: false,
  label: oauth.label,
});

export const buildOauthSettings = (oauth: DesiredOAuth): EcaOauthSettingsMetadata => ({
  commaSeparatedOauthScopes: scopeValues(oauth.scopes).join(','),
  externalClientApplication: oauth.name,
  label: `${oauth.label} OAuth settings`,
});

export const buildGlobalOauthSettings = (oauth: DesiredOAuth): EcaGlobalOauthMetadata => ({
  callbackUrl: oauth.callbackUrl,
  certificate: oauth.flow === 'jwt-bearer' ? oauth.certificate : undefined,
  externalClientApplication: oauth.name,
  isClientCredentialsFlowEnabled: oauth.flow === 'client-credentials',
  // The secret stays required wherever a flow uses one; no token introspection beyond the app's own.
  isConsumerSecretOptional: false,
  isIntrospectAllTokens: false,
  label: `${oauth.label} global OAuth settings`,
});

export const buildPolicies = (oauth: DesiredOAuth, bindings: EcaBindings): EcaPoliciesMetadata => ({
  clientCredentialsFlowUser: oauth.flow === 'client-credentials' ? bindings.runAsUsername : undefined,
  commaSeparatedPermissionSet: bindings.permissionSetId,
  externalClientApplication: oauth.name,
  ipRelaxationPolicyType: IP_RELAXATION_METADATA[oauth.ipRelaxation],
  isClientCredentialsFlowEnabled: oauth.flow === 'client-credentials',
  label: `${oauth.label} OAuth policies`,
  permittedUsersPolicyType: PERMITTED_USERS_PRE_AUTHORIZED,
  sessionTimeoutInMinutes: oauth.sessionTimeout,
});

/**
 * Files without a description field carry the managed-by marker in an XML comment, so generate recognises them as
 * its own (the comment is not deployed as data; the header's description marks the app in the org).
 */
const withMarkerComment = (xml: string): string => {
  const lines = xml.split('\n');
  lines.splice(2, 0, `    <!-- ${MANAGED_MARKER} -->`);
  return lines.join('\n');
};

/** Plain data without undefined values (the elements a component does not state). */
const defined = (value: object): Record<string, string | number | boolean> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;

/** The app's four components as metadata objects (keys in element order), header first. */
export const externalClientAppMetadata = (
  oauth: DesiredOAuth,
  bindings: EcaBindings
): Array<{ type: EcaTypeName; fullName: string; metadata: Record<string, string | number | boolean> }> => {
  const names = ecaComponentNames(oauth.name);
  return [
    { type: ECA_TYPE, fullName: names.header, metadata: defined(buildHeader(oauth)) },
    { type: ECA_GLOBAL_OAUTH_TYPE, fullName: names.globalSettings, metadata: defined(buildGlobalOauthSettings(oauth)) },
    { type: ECA_OAUTH_SETTINGS_TYPE, fullName: names.oauthSettings, metadata: defined(buildOauthSettings(oauth)) },
    { type: ECA_POLICIES_TYPE, fullName: names.policies, metadata: defined(buildPolicies(oauth, bindings)) },
  ];
};

/** The app's four components as files, header first; the files without a description carry the marker in a comment. */
export const buildExternalClientApp = (oauth: DesiredOAuth, bindings: EcaBindings): GeneratedComponent[] =>
  externalClientAppMetadata(oauth, bindings).map(({ type, fullName, metadata }) => {
    const xml = toMetadataXml(type, metadata);
    return { type, fullName, xml: type === ECA_TYPE ? xml : withMarkerComment(xml) };
  });
