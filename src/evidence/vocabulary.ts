/**
 * What Salesforce's login and API log values mean for an integration: the one module that knows LoginHistory's
 * LoginType / LoginSubType picklist values, the EventLogFile event types and CSV columns. Keyed on API values,
 * never on message text.
 *
 * Sources: Object Reference, LoginHistory (fields LoginType, LoginSubType, ApiType, Status, Application); "API Total
 * Usage" event type (sforce_api_objects_eventlogfile_apitotalusage.htm, API v67.0: API_FAMILY REST | SOAP | Bulk |
 * ApexREST, ENTITY_NAME, HTTP_METHOD, USER_ID 15 characters, CONNECTED_APP_NAME, CLIENT_NAME, TIMESTAMP_DERIVED);
 * EventLogFile (LogFile is CSV with a quoted header row; Interval Daily | Hourly from API 37.0).
 * Public monitoring material shows "Remote Access 2.0" for OAuth logins with sub-types such as "OAuth Refresh
 * Token", and Status "Restricted IP" for a login refused by the profile's IP ranges.
 * LoginType values: the login-type picklist as Object Reference "AuthSession" (API 67.0) lists it — Application,
 * Other Apex API, Partner Product, Remote Access 2.0, Remote Access Client, SAML …; the LoginHistory page names the
 * field (picklist, 40) without listing values. OAuth sub-types: Object Reference "LoginEventLog" LoginSubType —
 * uiup "UI Username-Password", oauthpassword "OAuth Username-Password", oauthclientcredential "OAuth Client
 * Credential", oauthcode "OAuth Web Server"; hence a Remote Access login whose sub-type says Username-Password sent a
 * password. "Other Apex API" is the SOAP API login() (which takes a username and password): Google SecOps' Salesforce
 * parser (docs.cloud.google.com/chronicle/docs/ingestion/default-parsers/salesforce) maps LoginHistory rows of ApiType
 * "SOAP Partner" to it, and the public sf plugin j-schreiber/sf-cli-security-audit flags it (NoOtherApexApiLogins).
 * UNVERIFIED (no source found): that "Partner Product" (a SOAP login() through a partner's client id) always sends
 * a password; it is classified 'password' like the SOAP login() it is. An unknown value is 'other', never 'password'.
 */
import type { AuthKind } from './types.js';

/** LoginHistory.Status of a successful login; every other value is a failure ("Invalid Password", "Restricted IP" …). */
export const LOGIN_SUCCESS = 'Success';

/** LoginType values of logins that send a password: the UI form and the SOAP API login() call. */
const PASSWORD_LOGIN_TYPES = new Set(['application', 'other apex api', 'partner product']);
/** LoginType values of OAuth logins (connected apps, External Client Apps). */
const OAUTH_LOGIN_TYPES = new Set(['remote access 2.0', 'remote access client', 'remote access 1.0']);

/** How a login authenticated, from LoginHistory.LoginType and LoginSubType. */
export const authKindOf = (loginType: string, subType?: string): AuthKind => {
  const type = loginType.trim().toLowerCase();
  if (PASSWORD_LOGIN_TYPES.has(type)) return 'password';
  if (OAUTH_LOGIN_TYPES.has(type)) return /username[- ]password/i.test(subType ?? '') ? 'password' : 'oauth';
  return 'other';
};

/** LoginType "Application" is the UI login form: a person, not a system, logged in. */
export const isUiLogin = (loginType: string): boolean => loginType.trim().toLowerCase() === 'application';

/**
 * LoginHistory.Application values that name no client application: the UI and placeholders. Anything else (a
 * connected app or External Client App name, "Salesforce CLI", "Workbench" …) is a client application.
 */
const NOT_AN_APP = new Set(['', 'n/a', 'browser', 'unknown', 'salesforce.com', 'salesforce']);
export const isClientApplication = (name: string | undefined): name is string =>
  name !== undefined && !NOT_AN_APP.has(name.trim().toLowerCase());

/** EventLogFile types read, by preference: the free daily ApiTotalUsage, else the Event Monitoring API types. */
export const API_TOTAL_USAGE = 'ApiTotalUsage';
export const EVENT_MONITORING_API_TYPES = ['API', 'RestApi', 'BulkApi'];

/** API family of an Event Monitoring event type (ApiTotalUsage rows carry API_FAMILY themselves). */
const FAMILY_OF_EVENT_TYPE: Record<string, string> = { API: 'SOAP', RestApi: 'REST', BulkApi: 'Bulk' };
export const apiFamilyOfEventType = (eventType: string): string | undefined => FAMILY_OF_EVENT_TYPE[eventType];

/** CSV columns the loader reads; a file lacking USER_ID (and USER_ID_DERIVED) is skipped. */
export const LOG_COLUMNS = {
  eventType: 'EVENT_TYPE',
  userId: 'USER_ID',
  userIdDerived: 'USER_ID_DERIVED',
  family: 'API_FAMILY',
  entity: 'ENTITY_NAME',
  httpMethod: 'HTTP_METHOD',
  /** RestApi's method column; API and BulkApi name the call in METHOD_NAME / OPERATION_TYPE. */
  method: 'METHOD',
  methodName: 'METHOD_NAME',
  operationType: 'OPERATION_TYPE',
  resource: 'API_RESOURCE',
  connectedApp: 'CONNECTED_APP_NAME',
  timestamp: 'TIMESTAMP_DERIVED',
} as const;
