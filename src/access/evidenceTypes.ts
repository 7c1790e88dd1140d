/**
 * Evidence of use: what the org recorded about each integration user over a window of days — the client
 * applications seen (OAuth tokens, logins, API log files), how it logged in, from where, how often it failed, and
 * which objects and API families it really called. Plain JSON data, built by src/evidence/load.ts, read by the
 * rules, `user list` and `manifest init`.
 */

/** Facts the evidence loader provides (see AccessModel.availableFacts). */
export type EvidenceFact = 'oauthTokens' | 'loginEvents' | 'apiUsage';

/** How a login authenticated: a password (SOAP login(), OAuth username-password, UI), an OAuth token flow, or unknown. */
export type AuthKind = 'password' | 'oauth' | 'other';

/** Where a client application was seen. */
export type AppSource = 'oauthToken' | 'loginHistory' | 'apiLog';

export type AppSeen = {
  name: string;
  seenIn: AppSource[];
  /** OAuth token UseCount + logins + API calls attributed to the app. */
  uses: number;
  /** ISO date-time of the latest use, when known. */
  lastSeen?: string;
};

export type LoginTypeSeen = {
  /** LoginHistory.LoginType, e.g. "Remote Access 2.0". */
  loginType: string;
  /** LoginHistory.LoginSubType, when the org records one. */
  subType?: string;
  /** LoginHistory.ApiType, e.g. "SOAP Partner". */
  apiType?: string;
  kind: AuthKind;
  count: number;
  lastSeen: string;
};

export type SourceIpSeen = { ip: string; count: number; lastSeen: string; failures: number };

export type ObjectUse = {
  object: string;
  calls: number;
  lastUsed: string;
  /** HTTP methods or SOAP/Bulk operations seen, e.g. GET, PATCH, query. */
  operations: string[];
};

/** Everything seen for one user in the window. Lists are sorted (by name, type, ip or object). */
export type UserEvidence = {
  userId: string;
  apps: AppSeen[];
  loginTypes: LoginTypeSeen[];
  sourceIps: SourceIpSeen[];
  /** Successful logins in the window. */
  logins: number;
  failures: number;
  /** LoginHistory.Status of the failed logins, with counts ("Invalid Password", "Restricted IP" …). */
  failureStatuses: Array<{ status: string; count: number }>;
  /** Latest successful login in the window (LoginHistory). */
  lastLogin?: string;
  /** Latest OauthToken.LastUsedDate of the user's tokens (not limited to the window). */
  lastTokenUse?: string;
  /** API families called (REST, SOAP, Bulk, ApexREST …), from the API log files. */
  apiFamilies: string[];
  objects: ObjectUse[];
  apiCalls: number;
  lastApiCall?: string;
};

/** Which kind of API log files were read: the free daily ApiTotalUsage, the Event Monitoring types, or none. */
export type ApiLogKind = 'ApiTotalUsage' | 'EventMonitoring' | 'none';

export type EvidenceModel = {
  /** Window length in days, and its first day (ISO date). */
  days: number;
  since: string;
  /** Per user, keyed by the 15-character user id. Users without any evidence are absent. */
  byUser: Record<string, UserEvidence>;
  apiLogs: { kind: ApiLogKind; files: number; eventTypes: string[] };
};
