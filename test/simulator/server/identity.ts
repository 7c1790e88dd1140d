/* Versions, resources, userinfo and identity: what `sf org login access-token` and Connection.create call. */
import type { Row } from '../store.js';
import type { SimContext } from './context.js';
import { notFound } from './errors.js';

const SEASONS = ['Winter', 'Spring', 'Summer'];
export const MIN_VERSION = 31;
export const MAX_VERSION = 68;

/** 31.0 = Summer '14 … 68.0 = Winter '27 (three releases a year). */
export function versionLabel(major: number): string {
  const k = major - MIN_VERSION + 2; // 31 → Summer '14, 32 → Winter '15
  return `${SEASONS[k % 3]} '${14 + Math.floor(k / 3)}`;
}

export function versions(): Array<{ label: string; url: string; version: string }> {
  const list = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) list.push({ label: versionLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return list;
}

export function runningUser(ctx: SimContext): Row {
  const found = ctx.store.get(ctx.store.runningUserId);
  if (!found) throw notFound();
  return found.row;
}

export function identityUrl(ctx: SimContext): string {
  return `${ctx.url}/id/${ctx.store.org.orgId}/${ctx.store.runningUserId}`;
}

export function resources(ctx: SimContext, version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'smartdatadiscovery', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'domino', 'event', 'serviceTemplates', 'recent', 'connect', 'licensing', 'limits', 'process', 'async-queries', 'query', 'jobs', 'match', 'localizedvalue', 'mobile', 'emailConnect', 'compactLayouts', 'knowledgeManagement', 'sobjects', 'actions', 'support', 'scheduling', 'ui-api'];
  const result: Record<string, string> = {};
  for (const name of names) result[name] = `${base}/${name}`;
  result.identity = identityUrl(ctx);
  return result;
}

function urls(ctx: SimContext): Record<string, string> {
  const org = ctx.store.org.orgId;
  return {
    enterprise: `${ctx.url}/services/Soap/c/{version}/${org}`,
    metadata: `${ctx.url}/services/Soap/m/{version}/${org}`,
    partner: `${ctx.url}/services/Soap/u/{version}/${org}`,
    rest: `${ctx.url}/services/data/v{version}/`,
    sobjects: `${ctx.url}/services/data/v{version}/sobjects/`,
    search: `${ctx.url}/services/data/v{version}/search/`,
    query: `${ctx.url}/services/data/v{version}/query/`,
    recent: `${ctx.url}/services/data/v{version}/recent/`,
    tooling_soap: `${ctx.url}/services/Soap/T/{version}/${org}`,
    tooling_rest: `${ctx.url}/services/data/v{version}/tooling/`,
    profile: `${ctx.url}/${ctx.store.runningUserId}`,
    feeds: `${ctx.url}/services/data/v{version}/chatter/feeds`,
    groups: `${ctx.url}/services/data/v{version}/chatter/groups`,
    users: `${ctx.url}/services/data/v{version}/chatter/users`,
    feed_items: `${ctx.url}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${ctx.url}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: ctx.url,
  };
}

function isIntegrationUser(ctx: SimContext, user: Row): boolean {
  const profile = ctx.store.get(String(user.ProfileId))?.row;
  const license = profile ? ctx.store.get(String(profile.UserLicenseId))?.row : undefined;
  return license?.Name === 'Salesforce Integration';
}

export function userinfo(ctx: SimContext): Record<string, unknown> {
  const user = runningUser(ctx);
  const photo = `${ctx.url}/profilephoto/005/F`;
  return {
    sub: identityUrl(ctx),
    user_id: user.Id,
    organization_id: ctx.store.org.orgId,
    preferred_username: user.Username,
    nickname: user.CommunityNickname,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    photos: { picture: photo, thumbnail: `${photo}/T` },
    profile: `${ctx.url}/${String(user.Id)}`,
    picture: photo,
    address: {},
    is_salesforce_integration_user: isIntegrationUser(ctx, user),
    urls: urls(ctx),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: user.LocaleSidKey,
    utcOffset: 3_600_000,
    updated_at: user.LastModifiedDate,
    is_app_installed: true,
  };
}

export function identity(ctx: SimContext, orgId: string, userId: string): Record<string, unknown> {
  const found = ctx.store.get(userId);
  if (!found || found.object !== 'User' || orgId.slice(0, 15) !== ctx.store.org.orgId.slice(0, 15)) throw notFound();
  const user = found.row;
  return {
    id: `${ctx.url}/id/${ctx.store.org.orgId}/${String(user.Id)}`,
    asserted_user: true,
    user_id: user.Id,
    organization_id: ctx.store.org.orgId,
    username: user.Username,
    nick_name: user.CommunityNickname,
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey,
    photos: { picture: `${ctx.url}/profilephoto/005/F`, thumbnail: `${ctx.url}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(ctx),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: user.LocaleSidKey,
    utcOffset: 3_600_000,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
  };
}

export function limits(ctx: SimContext): Record<string, { Max: number; Remaining: number }> {
  const used = ctx.requests.length;
  return {
    DailyApiRequests: { Max: 15_000, Remaining: Math.max(0, 15_000 - used) },
    DailyBulkApiBatches: { Max: 15_000, Remaining: 15_000 },
    DailyAsyncApexExecutions: { Max: 250_000, Remaining: 250_000 },
    DataStorageMB: { Max: 5, Remaining: 5 },
    FileStorageMB: { Max: 20, Remaining: 20 },
    SingleEmail: { Max: 5000, Remaining: 5000 },
    ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
  };
}
