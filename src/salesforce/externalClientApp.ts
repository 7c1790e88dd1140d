/**
 * External Client Apps as the Metadata API names them: the four metadata types of one app and the API names of its
 * components. Layer 1 (docs/architecture.md): the generator (src/metadata) and the org reader (src/org) both use it.
 */
export const ECA_TYPE = 'ExternalClientApplication';
export const ECA_OAUTH_SETTINGS_TYPE = 'ExtlClntAppOauthSettings';
export const ECA_GLOBAL_OAUTH_TYPE = 'ExtlClntAppGlobalOauthSettings';
export const ECA_POLICIES_TYPE = 'ExtlClntAppOauthConfigurablePolicies';
export const ECA_TYPES = [ECA_TYPE, ECA_OAUTH_SETTINGS_TYPE, ECA_GLOBAL_OAUTH_TYPE, ECA_POLICIES_TYPE] as const;
export type EcaTypeName = (typeof ECA_TYPES)[number];

/** The API names of an app's four components. */
export type EcaComponentNames = { header: string; oauthSettings: string; globalSettings: string; policies: string };

export const ecaComponentNames = (name: string): EcaComponentNames => ({
  header: name,
  oauthSettings: `${name}_oauth`,
  globalSettings: `${name}_glbloauth`,
  policies: `${name}_oauthPlcy`,
});
