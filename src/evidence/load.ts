/**
 * Loads the evidence of use of the given (integration) users from an org, three reads in parallel. OauthToken of
 * the users (`UserId IN (…)`, URL-sized chunks). LoginHistory of the window (`LoginTime >= LAST_N_DAYS:n AND UserId
 * IN (…)`, chunks of at most LOGIN_CHUNK_USERS users so the pages of several chunks come in parallel), aggregated
 * page by page. The window's daily API log files (EventLogFile: ApiTotalUsage, else API/RestApi/BulkApi for a day
 * without one), each streamed and aggregated row by row; they may start before the users are known, for a superset
 * of them (startEvidence's candidates).
 * Requests: one per token chunk, one per page of logins, one EventLogFile query (startEvidence issues it before the
 * users are known, so it is made even when there turn out to be none), one per log file; never per user.
 * What cannot be read (no "Manage Users", object not available, no log file in the window) becomes an unavailable
 * fact with its reason; session and API-limit errors end the load.
 */
import { Messages } from '@salesforce/core';
import type { StartedEvidence as LoaderSteps } from '../access/orgLoader.js';
import { DEFAULT_MAX_CONCURRENT_REQUESTS, type OrgContext } from '../org/connection.js';
import { createLimiter } from '../org/limit.js';
import { isFatalOrgError, orgReadError, unavailableReason } from '../org/errors.js';
import { streamLogFile } from '../org/logFile.js';
import { queryAll, queryPages, queryUrl, type SoqlRow } from '../org/query.js';
import { EvidenceAccumulator, userKey } from './aggregate.js';
import { eventLogFileQuery, loginQuery, tokenQuery, userIdQueries } from './queries.js';
import type { EvidenceFact, EvidenceModel } from './types.js';
import { API_TOTAL_USAGE, apiFamilyOfEventType, LOG_COLUMNS } from './vocabulary.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'evidence');

/** Log files downloaded and parsed at once (below the load's request limit, see src/org/connection.ts). */
export const LOG_FILES_AT_ONCE = DEFAULT_MAX_CONCURRENT_REQUESTS - 2;

/** The key prefix of User ids. */
const USER_KEY_PREFIX = '005';

/** Users per LoginHistory query: small enough that a large org's logins page in parallel chains. */
export const LOGIN_CHUNK_USERS = 60;

export type EvidenceOptions = {
  /** Window in days (1–365). */
  days: number;
  now?: Date;
};

export type EvidenceLoad = {
  evidence: EvidenceModel;
  available: EvidenceFact[];
  unavailable: Array<{ fact: EvidenceFact; reason: string }>;
};

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Runs `read`; a non-fatal failure (or the reason `read` returns) is why the fact is unavailable. */
const attempt = async (what: string, read: () => Promise<string | void>): Promise<string | undefined> => {
  try {
    return (await read()) ?? undefined;
  } catch (error) {
    if (isFatalOrgError(error)) throw orgReadError(what, error);
    return unavailableReason(what, error);
  }
};

type LogFileRow = { id: string; eventType: string; day: string };

/** Per day, ApiTotalUsage when the org has it, else the Event Monitoring API files of that day. Pure. */
export const chooseLogFiles = (rows: SoqlRow[]): LogFileRow[] => {
  const byDay = new Map<string, LogFileRow[]>();
  for (const row of rows) {
    const id = str(row.Id);
    const eventType = str(row.EventType);
    const day = str(row.LogDate)?.slice(0, 10);
    if (!id || !eventType || !day) continue;
    byDay.set(day, [...(byDay.get(day) ?? []), { id, eventType, day }]);
  }
  const chosen: LogFileRow[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const files = byDay.get(day) ?? [];
    const total = files.filter((f) => f.eventType === API_TOTAL_USAGE);
    chosen.push(...(total.length > 0 ? total : files));
  }
  return chosen;
};

/** Where a log file's header puts each column the loader reads (-1: absent). */
type ApiLogColumns = {
  userIds: number[];
  eventType: number;
  entity: number;
  operations: number[];
  family: number;
  app: number;
  timestamp: number;
};

const columnsOf = (header: readonly string[]): ApiLogColumns => {
  const at = (column: string): number => header.indexOf(column);
  const present = (...columns: string[]): number[] => columns.map(at).filter((index) => index >= 0);
  return {
    // USER_ID_DERIVED (18 characters) before USER_ID (15).
    userIds: present(LOG_COLUMNS.userIdDerived, LOG_COLUMNS.userId),
    eventType: at(LOG_COLUMNS.eventType),
    entity: at(LOG_COLUMNS.entity),
    operations: present(LOG_COLUMNS.httpMethod, LOG_COLUMNS.method, LOG_COLUMNS.methodName, LOG_COLUMNS.operationType),
    family: at(LOG_COLUMNS.family),
    app: at(LOG_COLUMNS.connectedApp),
    timestamp: at(LOG_COLUMNS.timestamp),
  };
};

/** The value of a cell, undefined when the column is absent or the cell empty. */
const cell = (row: readonly string[], index: number): string | undefined => {
  const value = index >= 0 ? row[index] : undefined;
  return value === '' ? undefined : value;
};
const firstCell = (row: readonly string[], indexes: readonly number[]): string | undefined => {
  for (const index of indexes) {
    const value = cell(row, index);
    if (value !== undefined) return value;
  }
  return undefined;
};

/**
 * Adds a log file's rows to the accumulator as API calls, straight from their cells: the columns are found once per
 * header, and a row builds no object of its own. Rows without a user are skipped; the API family comes from
 * API_FAMILY, else from the event type (the row's EVENT_TYPE, else the file's).
 */
export const apiRowReader = (fileEventType: string, acc: EvidenceAccumulator): ((header: readonly string[], row: readonly string[]) => void) => {
  let cachedHeader: readonly string[] | undefined;
  let columns = columnsOf([]);
  return (header, row) => {
    if (header !== cachedHeader) {
      cachedHeader = header;
      columns = columnsOf(header);
    }
    const userId = firstCell(row, columns.userIds);
    if (!userId) return;
    const family = cell(row, columns.family) ?? apiFamilyOfEventType(cell(row, columns.eventType) ?? fileEventType);
    acc.addApiCall(userId, cell(row, columns.entity), family, firstCell(row, columns.operations), cell(row, columns.app), cell(row, columns.timestamp));
  };
};

/** A read started before its result is wanted: its failure is kept, never an unhandled rejection. */
type Started<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;
const startRead = <T>(read: () => Promise<T>): Started<T> =>
  Promise.resolve()
    .then(read)
    .then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error })
    );
const resultOf = async <T>(started: Started<T>): Promise<T> => {
  const outcome = await started;
  if (outcome.ok) return outcome.value;
  throw outcome.error;
};

/** What the API log files gave: the kind of logs read, or why there is none. */
type ApiLogsRead = { apiLogs: EvidenceModel['apiLogs'] } | { reason: string };

/**
 * Reads the window's log files (listed by `logFileList`) into `acc`, keeping the rows of the `wanted` users (15-character
 * keys).
 */
const readApiLogs = async (ctx: OrgContext, days: number, logFileList: Started<SoqlRow[]>, wanted: ReadonlySet<string>, acc: EvidenceAccumulator): Promise<ApiLogsRead> => {
  // A row of one of our users names its id (USER_ID, 15 characters; USER_ID_DERIVED starts the same): rows that name
  // no such id are skipped before CSV parsing. Salesforce ids start with a 3-character key prefix; users' is 005.
  const mentionsUser = (record: string): boolean => {
    for (let at = record.indexOf(USER_KEY_PREFIX); at >= 0 && at + 15 <= record.length; at = record.indexOf(USER_KEY_PREFIX, at + 1)) {
      if (wanted.has(record.slice(at, at + 15))) return true;
    }
    return false;
  };
  const files = chooseLogFiles(await resultOf(logFileList));
  if (files.length === 0) return { reason: messages.getMessage('reason.noLogFiles', [days]) };
  // A file holds its connection while it streams: at most LOG_FILES_AT_ONCE at once, so memory stays bounded and
  // the login pages still get a request slot.
  const fileSlot = createLimiter(LOG_FILES_AT_ONCE);
  await Promise.all(
    files.map((file) => {
      const addRow = apiRowReader(file.eventType, acc);
      return fileSlot(() => streamLogFile(ctx, file.id, addRow, mentionsUser));
    })
  );
  const eventTypes = [...new Set(files.map((f) => f.eventType))].sort();
  return { apiLogs: { kind: eventTypes.includes(API_TOTAL_USAGE) ? 'ApiTotalUsage' : 'EventMonitoring', files: files.length, eventTypes } };
};

/** Log files read for the candidates before the integration users are known. */
type EarlyLogs = { wanted: ReadonlySet<string>; acc: EvidenceAccumulator; logs: Started<ApiLogsRead> };

/** The org loader's evidence steps (src/access/orgLoader.ts StartedEvidence); `forUsers` also says which facts were read. */
export type StartedEvidence = Omit<LoaderSteps, 'forUsers'> & { forUsers: (userIds: readonly string[]) => Promise<EvidenceLoad> };

/**
 * Starts what needs no user (the window's EventLogFile list) and returns the steps that read the users' evidence: the
 * org loader calls this beside its first round, names the candidates when it knows them (the log files start then),
 * and asks for the integration users' evidence once they are known. A failure of an early read is reported by
 * `forUsers`, exactly as if it had been made then (an unavailable fact, or the load's end when fatal).
 */
export const startEvidence = (ctx: OrgContext, options: EvidenceOptions): StartedEvidence => {
  const logFileList = startRead(() => queryAll(ctx, eventLogFileQuery(options.days)));
  let early: EarlyLogs | undefined;
  return {
    candidates: (userIds): void => {
      if (early !== undefined || userIds.length === 0) return;
      const wanted = new Set(userIds.map(userKey));
      const acc = new EvidenceAccumulator(wanted);
      early = { wanted, acc, logs: startRead(() => readApiLogs(ctx, options.days, logFileList, wanted, acc)) };
    },
    forUsers: (userIds) => loadEvidence(ctx, userIds, options, logFileList, early),
  };
};

const loadEvidence = async (
  ctx: OrgContext,
  userIds: readonly string[],
  options: EvidenceOptions,
  logFileList: Started<SoqlRow[]>,
  early: EarlyLogs | undefined
): Promise<EvidenceLoad> => {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const wanted = new Set(userIds.map(userKey));
  const window = { days: options.days, since };
  const unavailable: EvidenceLoad['unavailable'] = [];
  let apiLogs: EvidenceModel['apiLogs'] = { kind: 'none', files: 0, eventTypes: [] };

  if (wanted.size === 0) {
    return { evidence: new EvidenceAccumulator(wanted).result(window, apiLogs), available: ['oauthTokens', 'loginEvents', 'apiUsage'], unavailable };
  }
  // The early read serves when it covers every user (the candidates are a superset); its accumulator then holds
  // other candidates' calls too, left out of the result.
  const earlyServes = early !== undefined && [...wanted].every((key) => early.wanted.has(key));
  const acc = earlyServes ? early.acc : new EvidenceAccumulator(wanted);
  const logs = earlyServes ? early.logs : startRead(() => readApiLogs(ctx, options.days, logFileList, wanted, acc));
  const urlLength = (soql: string): number => queryUrl(ctx, soql).length;
  const ids = [...wanted];
  const readTokens = (): Promise<void> =>
    Promise.all(
      userIdQueries(ids, tokenQuery, urlLength).map((soql) =>
        queryPages(ctx, soql, (rows) => {
          for (const row of rows) {
            acc.addToken({ userId: String(row.UserId), appName: str(row.AppName), lastUsedDate: str(row.LastUsedDate), useCount: num(row.UseCount) });
          }
        })
      )
    ).then(() => undefined);
  const readLogins = (): Promise<void> =>
    Promise.all(
      userIdQueries(ids, loginQuery(options.days), urlLength, LOGIN_CHUNK_USERS).map((soql) =>
        queryPages(ctx, soql, (rows) => {
          for (const row of rows) {
            acc.addLogin({
              userId: String(row.UserId),
              loginTime: String(row.LoginTime),
              loginType: str(row.LoginType),
              subType: str(row.LoginSubType),
              apiType: str(row.ApiType),
              status: str(row.Status),
              sourceIp: str(row.SourceIp),
              application: str(row.Application),
            });
          }
        })
      )
    ).then(() => undefined);
  const readLogs = async (): Promise<string | void> => {
    const read = await resultOf(logs);
    if ('reason' in read) return read.reason;
    apiLogs = read.apiLogs;
  };

  const [tokens, logins, logReason] = await Promise.all([
    attempt('OauthToken', readTokens),
    attempt('LoginHistory', readLogins),
    attempt('EventLogFile', readLogs),
  ]);
  const outcomes: Array<[EvidenceFact, string | undefined]> = [
    ['oauthTokens', tokens],
    ['loginEvents', logins],
    ['apiUsage', logReason],
  ];
  for (const [fact, reason] of outcomes) if (reason) unavailable.push({ fact, reason });
  return {
    evidence: acc.result(window, apiLogs, wanted),
    available: outcomes.filter(([, reason]) => !reason).map(([fact]) => fact),
    unavailable,
  };
};
