/** Names and defaults shared by the manifest, the generators and (later) apply. */

/**
 * Marker the plugin appends to the descriptions it writes (profile and permission sets). `apply` uses it to
 * recognise what it manages, and `generate` refuses to overwrite a file without it unless --force.
 */
export const MANAGED_MARKER = '[managed by sf-plugin-integration]';

/** Default name of the custom API-only profile the plugin generates (license salesforce or auto). */
export const DEFAULT_PROFILE_NAME = 'Integration API Only';

export const DEFAULT_PROFILE_DESCRIPTION = 'API-only profile shared by all integration users; access comes from one permission set per app.';

/** Prefix of a permission set API name derived from an app name: erp → Integration_Erp. */
export const PERMISSION_SET_NAME_PREFIX = 'Integration_';

export const DEFAULT_USER_LAST_NAME = 'Integration';
export const DEFAULT_TIME_ZONE = 'GMT';
export const DEFAULT_LOCALE = 'en_US';
export const DEFAULT_LANGUAGE = 'en_US';
export const DEFAULT_EMAIL_ENCODING = 'UTF-8';

/** Shortest justification accepted for an elevated grant (trimmed). */
export const MIN_JUSTIFICATION_LENGTH = 10;

/** The permission every integration user needs; always granted by the app's permission set. */
export const API_ENABLED = 'ApiEnabled';
/** The API-only switch; granted by the profile. */
export const API_USER_ONLY = 'ApiUserOnly';
