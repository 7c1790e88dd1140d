/**
 * `sf integration user create`: one app, imperative. Builds a one-app manifest in memory from the flags, the
 * permission set definition file and the running user's defaults (e-mail, time zone, locale, language), validates
 * it like a manifest file, and runs the apply engine on it.
 */
import { readFile } from 'node:fs/promises';
import { Messages, type Connection } from '@salesforce/core';
import { mergeAccessFlags, nameFlagProblems, nameFlagWarnings, type AccessFlags } from '../manifest/accessFlags.js';
import { formatProblem, validateManifest } from '../manifest/validate.js';
import type { Manifest, ManifestPermissionSet, ManifestProblem, ProfileLicense } from '../manifest/types.js';
import { newCallStats, orgContext } from '../org/connection.js';
import { queryAll } from '../org/query.js';
import type { RetryOptions } from '../org/retry.js';
import { quoteSoql } from '../org/soql.js';
import { resolveRunningUsername } from '../org/runningUser.js';
import { runApply, type ApplyRunResult } from './apply.js';
import type { Plan } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

export type UserCreateRequest = {
  conn: Connection;
  app: string;
  definitionFile?: string;
  /** --object, --field, --permission, --apex-class: added to the definition file's permission set. */
  access?: AccessFlags;
  license?: ProfileLicense;
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  profileName?: string;
  sandboxName?: string;
  dryRun?: boolean;
  retry?: RetryOptions;
  onPlan?: (plan: Plan) => void;
  onProgress?: (message: string) => void;
  /** Manifest warnings (an unknown permission name…), named by their flag when a flag caused them. */
  onWarning?: (message: string) => void;
};

/** What an admin expects by default, read from the running user (one query). */
export type RunningUserDefaults = { username: string; email?: string; timeZone?: string; locale?: string; language?: string };

export const readRunningUser = async (conn: Connection, retry?: RetryOptions): Promise<RunningUserDefaults> => {
  const ctx = orgContext(conn, { stats: newCallStats(), retry });
  const username = await resolveRunningUsername(ctx, conn);
  if (!username) throw messages.createError('error.NoRunningUser');
  const [row] = await queryAll(ctx, `SELECT Username, Email, TimeZoneSidKey, LocaleSidKey, LanguageLocaleKey FROM User WHERE Username = ${quoteSoql(username)}`);
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const defaults: RunningUserDefaults = { username };
  if (row) {
    const email = text(row.Email);
    const timeZone = text(row.TimeZoneSidKey);
    const locale = text(row.LocaleSidKey);
    const language = text(row.LanguageLocaleKey);
    if (email) defaults.email = email.replace(/\.invalid$/i, '');
    if (timeZone) defaults.timeZone = timeZone;
    if (locale) defaults.locale = locale;
    if (language) defaults.language = language;
  }
  return defaults;
};

/** The file as parsed: its shape is the validator's to check. */
const readDefinition = async (path: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw messages.createError('error.DefinitionUnreadable', [path, (error as Error).message]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw messages.createError('error.DefinitionNotJson', [path, (error as Error).message]);
  }
};

/** `{app}.integration@<the running user's domain>` (a sandbox suffix is left to the engine's mapping). */
export const defaultUsernameTemplate = (runningUsername: string, sandboxName?: string): string => {
  let domain = runningUsername.split('@')[1] ?? 'example.com';
  if (sandboxName && domain.toLowerCase().endsWith(`.${sandboxName.toLowerCase()}`)) domain = domain.slice(0, -(sandboxName.length + 1));
  return `{app}.integration@${domain}`;
};

/** The one-app manifest (pure). */
export const oneAppManifest = (request: Omit<UserCreateRequest, 'conn'>, definition: ManifestPermissionSet | undefined, running: RunningUserDefaults, sandboxName?: string): Manifest => ({
  version: 1,
  profile: { license: request.license ?? 'auto', ...(request.profileName ? { name: request.profileName } : {}) },
  defaults: {
    username: request.username ?? defaultUsernameTemplate(running.username, sandboxName),
    ...(request.email ?? running.email ? { email: request.email ?? running.email } : {}),
    ...(running.timeZone ? { timeZone: running.timeZone } : {}),
    ...(running.locale ? { locale: running.locale } : {}),
    ...(running.language ? { language: running.language } : {}),
  },
  apps: [
    {
      name: request.app,
      ...(definition ? { permissionSet: definition } : {}),
      ...(request.firstName ?? request.lastName
        ? { user: { ...(request.firstName ? { firstName: request.firstName } : {}), ...(request.lastName ? { lastName: request.lastName } : {}) } }
        : {}),
    },
  ],
});

const invalidDefinition = (problems: ManifestProblem[]): Error => {
  const error = messages.createError('error.InvalidDefinition', [String(problems.length), problems.map((p) => `  ${formatProblem(p)}`).join('\n')]);
  error.setData({ problems });
  return error;
};

/** Where the one-app manifest holds the app's permission set (for the flags' origins). */
const PERMISSION_SET_PATH = ['apps', 0, 'permissionSet'] as const;

/** Stands in for the running user while the access is checked before any request (only the access's problems count). */
const PLACEHOLDER_RUNNING_USER: RunningUserDefaults = { username: 'running.user@example.com', email: 'running.user@example.com' };
const PERMISSION_SET_JSON_PATH = '$.apps[0].permissionSet';

export const runUserCreate = async (request: UserCreateRequest): Promise<ApplyRunResult> => {
  const definition = request.definitionFile ? await readDefinition(request.definitionFile) : undefined;
  const access = mergeAccessFlags(request.access ?? {}, definition, PERMISSION_SET_PATH);
  // The access (definition file and flags) is checked before any request, every problem at once.
  const early = validateManifest(oneAppManifest(request, access.permissionSet, PLACEHOLDER_RUNNING_USER), request.definitionFile ?? '--app');
  const accessProblems = [
    ...access.problems,
    ...nameFlagProblems(early.problems.filter((p) => p.path.startsWith(PERMISSION_SET_JSON_PATH)), access.origins),
  ];
  if (accessProblems.length > 0) throw invalidDefinition(accessProblems);
  const running = await readRunningUser(request.conn, request.retry);
  // In a sandbox the running user's domain already ends with the sandbox suffix, which the engine's mapping keeps.
  const manifest = oneAppManifest(request, access.permissionSet, running, request.sandboxName);
  const validation = validateManifest(manifest, request.definitionFile ?? '--app');
  if (!validation.desired) throw invalidDefinition(nameFlagProblems(validation.problems, access.origins));
  for (const warning of nameFlagWarnings(validation.warnings, access.origins)) request.onWarning?.(warning);
  const result = await runApply({
    conn: request.conn,
    desired: validation.desired,
    dryRun: request.dryRun,
    sandboxName: request.sandboxName,
    runningUsername: running.username,
    reportOrphans: false,
    retry: request.retry,
    onPlan: request.onPlan,
    onProgress: request.onProgress,
  });
  return { ...result, notes: [...validation.notes, ...result.notes] };
};
