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
/** An object named in a log row, and its case-folded key. */
type ObjectName = { object: string; key: string };

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

/** Length of the UTC designator ending an ISO date-time (`Z`, `+0000`, `+00:00`), or -1 for any other ending. */
const utcSuffixLength = (value: string): number =>
  value.endsWith('Z') ? 1 : value.endsWith('+0000') ? 5 : value.endsWith('+00:00') ? 6 : -1;

/** `YYYY-MM-DDTHH:MM:SS…` in its first `length` characters (digits are not checked: both sides come from the same API). */
const isIsoDateTime = (value: string, length: number): boolean =>
  length >= 19 &&
  value.charCodeAt(4) === 45 &&
  value.charCodeAt(7) === 45 &&
  value.charCodeAt(10) === 84 &&
  value.charCodeAt(13) === 58 &&
  value.charCodeAt(16) === 58;

/**
 * Later of two ISO date-times as instants (Salesforce mixes `+0000` and `Z`); the first when they are the same instant.
 * Two UTC date-times written to the same precision (all of Salesforce's, all of one log file's) compare as text, with no
 * parsing: this runs several times per login and per API log row. Anything else is compared as Date values.
 */
export const latest = (a: string | undefined, b: string | undefined): string | undefined => {
  if (!a) return b;
  if (!b || a === b) return a;
  const suffixA = utcSuffixLength(a);
  const suffixB = utcSuffixLength(b);
  const length = a.length - suffixA;
  if (suffixA > 0 && suffixB > 0 && length === b.length - suffixB && isIsoDateTime(a, length) && isIsoDateTime(b, length)) {
    // One designator (its length tells which): the whole strings compare as the instants do.
    if (suffixA === suffixB) return b > a ? b : a;
    for (let i = 0; i < length; i++) {
      const diff = b.charCodeAt(i) - a.charCodeAt(i);
      if (diff !== 0) return diff > 0 ? b : a;
    }
    return a;
  }
  return Date.parse(b) > Date.parse(a) ? b : a;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Apps are matched case-insensitively (`key`): a token's AppName and a login's Application name the same app. */
const addApp = (user: UserEntry, name: string, source: AppSource, uses: number, lastSeen: string | undefined, key = name.toLowerCase()): void => {
  let app = user.apps.get(key);
  if (!app) {
    app = { name, seenIn: new Set<AppSource>(), uses: 0 };
    user.apps.set(key, app);
  }
  app.seenIn.add(source);
  app.uses += uses;
  const last = latest(app.lastSeen, lastSeen);
  if (last) app.lastSeen = last;
};

export class EvidenceAccumulator {
  private readonly users = new Map<string, UserEntry>();
  /**
   * What repeated log values mean, worked out once per distinct value rather than once per row: an ENTITY_NAME's
   * objects, and whether a CONNECTED_APP_NAME is a client application (its key) or not (null).
   */
  private readonly objectsOfEntity = new Map<string, ObjectName[]>();
  private readonly appKeys = new Map<string, string | null>();

  /** `wanted`: the users whose evidence is kept (15- or 18-character ids); rows of other users are ignored. */
  public constructor(private readonly wanted: ReadonlySet<string>) {}

  public addToken(row: TokenRow): void {
    const user = this.user(row.userId);
    if (!user) return;
    user.lastTokenUse = latest(user.lastTokenUse, text(row.lastUsedDate));
    const name = text(row.appName);
    if (name) addApp(user, name, 'oauthToken', row.useCount ?? 0, text(row.lastUsedDate));
  }

  public addLogin(row: LoginRow): void {
    const user = this.user(row.userId);
    if (!user) return;
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

  /**
   * One API call of a log row, its values as the row has them (undefined for an empty cell): `entities` is
   * ENTITY_NAME, comma-separated. Called once per row of the users' calls: it builds nothing that is not kept.
   */
  public addApiCall(userId: string, entities?: string, family?: string, operation?: string, app?: string, timestamp?: string): void {
    const user = this.user(userId);
    if (!user) return;
    user.apiCalls++;
    user.lastApiCall = latest(user.lastApiCall, timestamp);
    const familyName = text(family);
    if (familyName) user.families.add(familyName);
    if (app !== undefined) {
      const appKey = this.appKey(app);
      if (appKey !== null) addApp(user, app.trim(), 'apiLog', 1, timestamp, appKey);
    }
    if (entities === undefined) return;
    const operationName = text(operation);
    for (const { object, key } of this.objectsOf(entities)) {
      let use = user.objects.get(key);
      if (!use) {
        use = { object, calls: 0, lastUsed: timestamp ?? '', operations: new Set<string>() };
        user.objects.set(key, use);
      }
      use.calls++;
      use.lastUsed = latest(use.lastUsed || undefined, timestamp) ?? '';
      if (operationName) use.operations.add(operationName);
    }
  }

  /** The evidence of every user seen, or of the `only` ones (15-character keys). */
  public result(window: { days: number; since: string }, apiLogs: { kind: ApiLogKind; files: number; eventTypes: string[] }, only?: ReadonlySet<string>): EvidenceModel {
    const byUser: Record<string, UserEvidence> = {};
    const byName = <T>(values: Iterable<T>, name: (value: T) => string): T[] => [...values].sort((a, b) => name(a).localeCompare(name(b)));
    for (const [key, entry] of this.users) {
      if (only && !only.has(key)) continue;
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

  /** The objects an ENTITY_NAME value names (comma-separated, blanks dropped), each with its case-folded key. */
  private objectsOf(entities: string): ObjectName[] {
    let objects = this.objectsOfEntity.get(entities);
    if (!objects) {
      objects = entities
        .split(',')
        .map((raw) => raw.trim())
        .filter((object) => object !== '')
        .map((object) => ({ object, key: object.toLowerCase() }));
      this.objectsOfEntity.set(entities, objects);
    }
    return objects;
  }

  /** The case-folded key of a client application's name, or null for a value that names none (isClientApplication). */
  private appKey(app: string): string | null {
    let key = this.appKeys.get(app);
    if (key === undefined) {
      key = isClientApplication(app) ? app.trim().toLowerCase() : null;
      this.appKeys.set(app, key);
    }
    return key;
  }

  /** The entry of a wanted user (created on first sight), undefined for any other user. */
  private user(userId: string): UserEntry | undefined {
    const key = userKey(userId);
    let entry = this.users.get(key);
    if (!entry) {
      if (!this.wanted.has(key)) return undefined;
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
