/**
 * The integration manifest (integration.json, version 1) as written by the user, and the DesiredState it
 * normalises to. The JSON Schema in schemas/integration-manifest.schema.json is the structural truth; these
 * types mirror it.
 */
import type { LoginIpRange } from '../access/model.js';

import type { FieldAccessLevel, ObjectVerb } from '../salesforce/objectAccess.js';

export { OBJECT_VERBS, type FieldAccessLevel, type ObjectVerb } from '../salesforce/objectAccess.js';
export type ProfileLicense = 'auto' | 'salesforce' | 'integration';

// ---- the file, as written -------------------------------------------------------------------

export type ManifestProfile = {
  name?: string;
  license?: ProfileLicense;
  description?: string;
  loginIpRanges?: Array<{ start: string; end: string; description?: string }>;
};

export type ManifestDefaults = {
  username?: string;
  email?: string;
  timeZone?: string;
  locale?: string;
  language?: string;
  emailEncoding?: string;
};

export type ManifestPermissionSet = {
  /** Free text for people (manifest init writes what the evidence of use showed); ignored by the plugin. */
  $comment?: string;
  name?: string;
  label?: string;
  objects?: Record<string, ObjectVerb[]>;
  fields?: Record<string, FieldAccessLevel>;
  systemPermissions?: string[];
  apexClasses?: string[];
};

export type ManifestElevation = { permission: string; justification: string };

export type ManifestUser = {
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  alias?: string;
  timeZone?: string;
  locale?: string;
  language?: string;
};

/** OAuth flows the plugin sets an External Client App up for. */
export const OAUTH_FLOWS = ['client-credentials', 'jwt-bearer'] as const;
export type OAuthFlow = (typeof OAUTH_FLOWS)[number];
/** Scope token names (as in a token request's `scope` parameter) the manifest accepts. */
export const OAUTH_SCOPES = ['api', 'refresh_token', 'offline_access', 'full', 'web', 'openid', 'id', 'chatter_api', 'custom_permissions'] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];
/** Scopes a client-credentials app may hold only with a written justification. */
export const OAUTH_SCOPES_NEEDING_JUSTIFICATION: readonly OAuthScope[] = ['full', 'refresh_token', 'offline_access'];
export type IpRelaxation = 'enforce' | 'bypass' | 'bypass-with-mfa' | 'enforce-relax-refresh';

export type ManifestOAuth = {
  flow: OAuthFlow;
  name?: string;
  scopes?: OAuthScope[];
  justification?: string;
  certificate?: string;
  callbackUrl?: string;
  ipRelaxation?: IpRelaxation;
  sessionTimeout?: number;
  contactEmail?: string;
};

export type ManifestApp = {
  name: string;
  label?: string;
  description?: string;
  permissionSet?: ManifestPermissionSet;
  elevated?: ManifestElevation[];
  user?: ManifestUser;
  oauth?: ManifestOAuth;
};

export type Manifest = {
  $schema?: string;
  version: 1;
  profile?: ManifestProfile;
  defaults?: ManifestDefaults;
  apps: ManifestApp[];
};

// ---- problems --------------------------------------------------------------------------------

/** One thing wrong with a manifest: where (JSON path such as `$.apps[0].name`), what, and what to write instead. */
export type ManifestProblem = {
  path: string;
  /** Stable machine code, e.g. `unknownKey`, `appNameDuplicate`, `elevationRequired`. */
  code: string;
  message: string;
  fix: string;
};

// ---- the normalised manifest -----------------------------------------------------------------

/** Object access with the implied verbs added; `implied` lists the verbs the manifest did not write. */
export type DesiredObjectAccess = {
  object: string;
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
  declared: ObjectVerb[];
  implied: ObjectVerb[];
};

export type DesiredFieldAccess = {
  field: string;
  read: boolean;
  edit: boolean;
  declared: FieldAccessLevel;
  /** `read` when the manifest wrote `edit` (edit implies read). */
  implied: FieldAccessLevel[];
};

/** User fields an app states itself (apps[].user); only these are ever changed on a user that already exists. */
export type StatedUserField = 'email' | 'firstName' | 'lastName' | 'alias' | 'timeZone' | 'locale' | 'language';

export type DesiredUser = {
  username: string;
  email: string;
  firstName?: string;
  lastName: string;
  alias: string;
  timeZone: string;
  locale: string;
  language: string;
  emailEncoding: string;
  /** Fields apps[].user states for this app; defaults apply only to users the plugin creates. */
  stated: StatedUserField[];
};

export type DesiredPermissionSet = {
  /** API name (developer name), explicit or derived from the app name. */
  name: string;
  label: string;
  /** Description as written to the org, ending with the managed-by marker. */
  description: string;
};

/** The app's External Client App as the manifest wants it. */
export type DesiredOAuth = {
  /** API name of the ExternalClientApplication (explicit or derived from the app name). */
  name: string;
  label: string;
  /** Description as written to the org, ending with the managed-by marker. */
  description: string;
  flow: OAuthFlow;
  /** Manifest order, duplicates (refresh_token / offline_access) kept as written. */
  scopes: OAuthScope[];
  justification?: string;
  /** The certificate path as written in the manifest (relative to the manifest file). */
  certificatePath?: string;
  /** PEM text of the certificate, read by loadManifestWithState; absent until then. */
  certificate?: string;
  callbackUrl?: string;
  ipRelaxation: IpRelaxation;
  sessionTimeout?: number;
  contactEmail: string;
};

export type DesiredApp = {
  name: string;
  label: string;
  description?: string;
  permissionSet: DesiredPermissionSet;
  user: DesiredUser;
  /** Sorted by object name. */
  objects: DesiredObjectAccess[];
  /** Sorted by field name. */
  fields: DesiredFieldAccess[];
  /** Sorted; always includes ApiEnabled (API Only User lives on the profile). */
  systemPermissions: string[];
  /** Sorted. */
  apexClasses: string[];
  elevations: ManifestElevation[];
  /** The app's OAuth client, when the manifest asks for one. */
  oauth?: DesiredOAuth;
};

export type DesiredProfile = {
  name: string;
  license: ProfileLicense;
  /** true when the plugin generates and owns the profile (license salesforce or auto). */
  managed: boolean;
  description: string;
  loginIpRanges: LoginIpRange[];
};

export type DesiredState = {
  version: 1;
  /** The manifest file it came from, when known. */
  source?: string;
  profile: DesiredProfile;
  apps: DesiredApp[];
};
