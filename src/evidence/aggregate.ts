/**
 * Aggregates OauthToken rows, LoginHistory rows and API log events into one UserEvidence per user, as they arrive
 * (page by page, CSV row by CSV row): memory grows with distinct apps, IPs, login types and objects per user, never
 * with the number of rows. Pure: no I/O.
 */
import type { AppSource, ApiLogKind, EvidenceModel, LoginTypeSeen, ObjectUse, SourceIpSeen, UserEvidence } from './types.js';
import { authKindOf, isClientApplication, LOGIN_SUCCESS } from './vocabulary.js';

/** The 15-character form of a Salesforce id (15- and 18-character ids of one record share it). */
export const userKey = (id: string): string => id.slice(0, 15);

export type TokenRow = { userId: string; appName?: string; lastUsedDate?: string; useCount?: number };
export type LoginRow = {
  userId: string;
  loginTime: string;
  loginType?: string;
  subType?: string;
  apiType?: string;
  status?: string;
  sourceIp?: string;
  application?: string;
};
export type ApiEvent = { userId: string; family?: string; objects: string[]; operation?: string; app?: string; timestamp?: string };

type AppEntry = { name: string; seenIn: Set<AppSource>; uses: number; lastSeen?: string };
type UserEntry = {
  userId: string;
  apps: Map<string, AppEntry>;
  loginTypes: Map<string, LoginTypeSeen>;
  sourceIps: Map<string, SourceIpSeen>;
  logins: number;
  failures: number;
  failureStatuses: Map<string, number>;
  lastLogin?: string;
  lastTokenUse?: string;
  families: Set<string>;
  objects: Map<string, { object: string; calls: number; lastUsed: string; operations: Set<string> }>;
  apiCalls: number;
  lastApiCall?: string;
};

/** Later of two ISO date-times (comparable as Date values; Salesforce mixes `+0000` and `Z`). */
export const latest = (a: string | undefined, b: string | undefined): string | undefined => {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Apps are matched case-insensitively: a token's AppName and a login's Application name the same app. */
const addApp = (user: UserEntry, name: string, source: AppSource, uses: number, lastSeen: string | undefined): void => {
  const key = name.toLowerCase();
  const app = user.apps.get(key) ?? { name, seenIn: new Set<AppSource>(), uses: 0 };
  app.seenIn.add(source);
  app.uses += uses;
  const last = latest(app.lastSeen, lastSeen);
  if (last) app.lastSeen = last;
  user.apps.set(key, app);
};

export class EvidenceAccumulator {
  private readonly users = new Map<string, UserEntry>();

  /** `wanted`: the users whose evidence is kept (15- or 18-character ids); rows of other users are ignored. */
  public constructor(private readonly wanted: ReadonlySet<string>) {}

  public wants(userId: string): boolean {
    return this.wanted.has(userKey(userId));
  }

  public addToken(row: TokenRow): void {
    if (!this.wants(row.userId)) return;
    const user = this.user(row.userId);
    user.lastTokenUse = latest(user.lastTokenUse, text(row.lastUsedDate));
    const name = text(row.appName);
    if (name) addApp(user, name, 'oauthToken', row.useCount ?? 0, text(row.lastUsedDate));
  }

  public addLogin(row: LoginRow): void {
    if (!this.wants(row.userId)) return;
    const user = this.user(row.userId);
    const status = text(row.status) ?? LOGIN_SUCCESS;
    const success = status === LOGIN_SUCCESS;
    const ip = text(row.sourceIp);
    if (ip) {
      const seen = user.sourceIps.get(ip) ?? { ip, count: 0, lastSeen: row.loginTime, failures: 0 };
      seen.count++;
      if (!success) seen.failures++;
      seen.lastSeen = latest(seen.lastSeen, row.loginTime) ?? row.loginTime;
      user.sourceIps.set(ip, seen);
    }
    if (!success) {
      user.failures++;
      user.failureStatuses.set(status, (user.failureStatuses.get(status) ?? 0) + 1);
      return;
    }
    user.logins++;
    user.lastLogin = latest(user.lastLogin, row.loginTime);
    const loginType = text(row.loginType) ?? 'Unknown';
    const subType = text(row.subType);
    const apiType = text(row.apiType);
    const key = `${loginType}|${subType ?? ''}|${apiType ?? ''}`;
    const seen = user.loginTypes.get(key) ?? {
      loginType,
      ...(subType ? { subType } : {}),
      ...(apiType ? { apiType } : {}),
      kind: authKindOf(loginType, subType),
      count: 0,
      lastSeen: row.loginTime,
    };
    seen.count++;
    seen.lastSeen = latest(seen.lastSeen, row.loginTime) ?? row.loginTime;
    user.loginTypes.set(key, seen);
    const application = text(row.application);
    if (isClientApplication(application)) addApp(user, application, 'loginHistory', 1, row.loginTime);
  }

  public addApiEvent(event: ApiEvent): void {
    if (!this.wants(event.userId)) return;
    const user = this.user(event.userId);
    user.apiCalls++;
    user.lastApiCall = latest(user.lastApiCall, event.timestamp);
    const family = text(event.family);
    if (family) user.families.add(family);
    const app = text(event.app);
    if (isClientApplication(app)) addApp(user, app, 'apiLog', 1, event.timestamp);
    for (const raw of event.objects) {
      const object = raw.trim();
      if (object === '') continue;
      const key = object.toLowerCase();
      const use = user.objects.get(key) ?? { object, calls: 0, lastUsed: event.timestamp ?? '', operations: new Set<string>() };
      use.calls++;
      use.lastUsed = latest(use.lastUsed || undefined, event.timestamp) ?? '';
      const operation = text(event.operation);
      if (operation) use.operations.add(operation);
      user.objects.set(key, use);
    }
  }

  public result(window: { days: number; since: string }, apiLogs: { kind: ApiLogKind; files: number; eventTypes: string[] }): EvidenceModel {
    const byUser: Record<string, UserEvidence> = {};
    const byName = <T>(values: Iterable<T>, name: (value: T) => string): T[] => [...values].sort((a, b) => name(a).localeCompare(name(b)));
    for (const [key, entry] of this.users) {
      const objects: ObjectUse[] = byName(entry.objects.values(), (o) => o.object).map((o) => ({
        object: o.object,
        calls: o.calls,
        lastUsed: o.lastUsed,
        operations: [...o.operations].sort(),
      }));
      byUser[key] = {
        userId: entry.userId,
        apps: byName(entry.apps.values(), (a) => a.name).map((a) => ({ name: a.name, seenIn: [...a.seenIn].sort(), uses: a.uses, ...(a.lastSeen ? { lastSeen: a.lastSeen } : {}) })),
        loginTypes: byName(entry.loginTypes.values(), (t) => `${t.loginType}|${t.subType ?? ''}|${t.apiType ?? ''}`),
        sourceIps: byName(entry.sourceIps.values(), (s) => s.ip),
        logins: entry.logins,
        failures: entry.failures,
        failureStatuses: byName(entry.failureStatuses.entries(), ([status]) => status).map(([status, count]) => ({ status, count })),
        ...(entry.lastLogin ? { lastLogin: entry.lastLogin } : {}),
        ...(entry.lastTokenUse ? { lastTokenUse: entry.lastTokenUse } : {}),
        apiFamilies: [...entry.families].sort(),
        objects,
        apiCalls: entry.apiCalls,
        ...(entry.lastApiCall ? { lastApiCall: entry.lastApiCall } : {}),
      };
    }
    return { days: window.days, since: window.since, byUser, apiLogs };
  }

  private user(userId: string): UserEntry {
    const key = userKey(userId);
    let entry = this.users.get(key);
    if (!entry) {
      entry = {
        userId,
        apps: new Map(),
        loginTypes: new Map(),
        sourceIps: new Map(),
        logins: 0,
        failures: 0,
        failureStatuses: new Map(),
        families: new Set(),
        objects: new Map(),
        apiCalls: 0,
      };
      this.users.set(key, entry);
    }
    // Prefer the 18-character id when one source gives it.
    if (userId.length > entry.userId.length) entry.userId = userId;
    return entry;
  }

}

/** The latest sign of life of a user: last login, last OAuth token use, last API call (evidence may be absent). */
export const lastActivity = (evidence: UserEvidence | undefined): string | undefined =>
  evidence ? latest(latest(evidence.lastLogin, evidence.lastTokenUse), evidence.lastApiCall) : undefined;

/** The evidence of one user in a model (15- or 18-character id). */
export const evidenceOf = (model: EvidenceModel | undefined, userId: string): UserEvidence | undefined => model?.byUser[userKey(userId)];
