/**
 * The SOQL of the evidence loader. Pure builders: ids reach SOQL only through soqlInList (quoteSoql), and each
 * `UserId IN (…)` list is cut so the query URL stays under the REST URI limit.
 */
import { inListQueries } from '../org/query.js';
import { quoteSoql, soqlInList } from '../org/soql.js';
import { API_TOTAL_USAGE, EVENT_MONITORING_API_TYPES } from './vocabulary.js';

const DAYS_MAX = 365;

/** `LAST_N_DAYS:n` for a whole number of days (1–365). */
export const lastNDays = (days: number): string => {
  if (!Number.isInteger(days) || days < 1 || days > DAYS_MAX) throw new Error(`Not a number of days: ${days}`);
  return `LAST_N_DAYS:${days}`;
};

/**
 * `prefix + UserId IN (…)` queries over `ids`: as many ids per query as fit the URL, and at most `maxIds`, so a long
 * list also splits into several queries whose pages are fetched in parallel.
 */
export const userIdQueries = (
  ids: readonly string[],
  build: (inList: string) => string,
  urlLength: (soql: string) => number,
  maxIds = Number.POSITIVE_INFINITY
): string[] => inListQueries(ids, build, urlLength, maxIds);

/** OauthToken has no date to filter on; a user's tokens are few (one per app it authorised). */
export const tokenQuery = (inList: string): string => `SELECT UserId,AppName,LastUsedDate,UseCount FROM OauthToken WHERE UserId IN ${inList}`;

/**
 * Platform and Browser are not read: for an API login they name the client library's user agent (SecOps' parser shows
 * "Java (Salesforce.com)" for SOAP Partner logins), which no rule or summary decides anything with; Application names
 * the client app, and LoginType/LoginSubType how it authenticated.
 */
export const loginQuery = (days: number) => (inList: string): string =>
  `SELECT UserId,LoginTime,LoginType,LoginSubType,ApiType,Status,SourceIp,Application FROM LoginHistory WHERE LoginTime >= ${lastNDays(days)} AND UserId IN ${inList}`;

/** Daily API log files of the window: ApiTotalUsage (every API-enabled org) and the Event Monitoring API types. */
export const eventLogFileQuery = (days: number): string =>
  `SELECT Id,EventType,LogDate,LogFileLength FROM EventLogFile WHERE EventType IN ${soqlInList([API_TOTAL_USAGE, ...EVENT_MONITORING_API_TYPES])} AND Interval = ${quoteSoql('Daily')} AND LogDate = ${lastNDays(days)} ORDER BY LogDate`;
