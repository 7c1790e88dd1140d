/**
 * The human table of `sf integration user list`: one row per user, within the terminal's width. By default long
 * cells are cut with "…", lists longer than their share of the line are counted ("12 permission sets"), API Only
 * says yes or no, the last login is a date; `--verbose` shows every column in full, one block per user, wrapped
 * within the width, with the profile or permission sets granting API Only.
 */
import { Messages } from '@salesforce/core';
import { fitColumns, hang, listOrCount, textWidth, truncate, wrap } from '../terminal/width.js';
import type { IntegrationUserRow } from './userList.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'inventory');

export type UserTableRow = {
  username: string;
  app: string;
  name: string;
  active: string;
  license: string;
  profile: string;
  apiOnly: string;
  apiEnabled: string;
  permissionSets: string;
  permissionSetLicenses: string;
  lastLogin: string;
  appsSeen: string;
  lastUsed: string;
};

type Column = keyof UserTableRow;

/** Every column, in display order (the --verbose record). */
const COLUMNS: readonly Column[] = [
  'username',
  'app',
  'name',
  'active',
  'license',
  'profile',
  'apiOnly',
  'apiEnabled',
  'permissionSets',
  'permissionSetLicenses',
  'lastLogin',
  'appsSeen',
  'lastUsed',
];

/**
 * The table's columns by default: what an admin scans for; --verbose adds name, API Enabled and PS licenses. Apps
 * seen and Last used only when the evidence was read (--evidence-days).
 */
const TABLE_COLUMNS: readonly Column[] = ['username', 'app', 'active', 'license', 'profile', 'apiOnly', 'permissionSets', 'lastLogin', 'appsSeen', 'lastUsed'];

/** Which columns go first when even their minimum widths do not fit (a very narrow terminal): last in this list. */
const KEEP_ORDER: readonly Column[] = ['username', 'active', 'apiOnly', 'appsSeen', 'permissionSets', 'license', 'profile', 'lastUsed', 'lastLogin', 'app'];

const EVIDENCE_COLUMNS: readonly Column[] = ['appsSeen', 'lastUsed'];

const shortDate = (value: string): string => value.replace(/\.\d{3}\+0000$|\.\d{3}Z$/, 'Z');

/** Cell padding of @oclif/table (one space each side), and the narrowest cells worth showing. */
const PADDING = 2;
const DEFAULT_MIN_CELL = 8;
/** The username is the row's identity: up to 40 columns of it stay whole, less on a narrow terminal. */
const minCell = (key: Column, width: number): number => (key === 'username' ? Math.min(40, Math.floor(width * 0.4)) : DEFAULT_MIN_CELL);
/** Cells never cut: "yes, frozen" must not read "yes, fro…". */
const WHOLE: readonly Column[] = ['active'];

export type UserTableOptions = {
  /** Terminal width the output must fit (terminal/width outputWidth()). */
  width: number;
};

const yesNo = (value: boolean): string => messages.getMessage(value ? 'value.yes' : 'value.no');

/** "yes", "no", or "yes, frozen" for a user that is active but cannot log in (UserLogin.IsFrozen). */
const activeCell = (user: IntegrationUserRow): string => (user.frozen === true ? messages.getMessage('value.frozen', [yesNo(user.active)]) : yesNo(user.active));

/** A list's share of the line before it is counted instead of listed. */
export const listBudget = (width: number): number => Math.max(16, Math.floor(width / 5));

export const toTableRow = (user: IntegrationUserRow, options: { verbose?: boolean; listBudget?: number } = {}): UserTableRow => {
  const budget = options.verbose ? Number.POSITIVE_INFINITY : options.listBudget ?? Number.POSITIVE_INFINITY;
  const sets = [...user.permissionSets, ...user.permissionSetGroups.map((g) => `${g} (group)`)];
  const setCount = (): string =>
    user.permissionSetGroups.length > 0
      ? messages.getMessage('value.setAndGroupCount', [String(user.permissionSets.length), String(user.permissionSetGroups.length)])
      : messages.getMessage('value.setCount', [String(sets.length)]);
  const lastLogin = user.lastLogin ? user.lastLogin.replace(/\.\d{3}\+0000$|\.\d{3}Z$/, 'Z') : messages.getMessage('value.never');
  return {
    username: user.username,
    app: user.app ?? '',
    name: user.name,
    active: activeCell(user),
    license: user.license ?? '',
    profile: user.profile ?? '',
    // Who grants API Only is the long part of this cell: shown with --verbose.
    apiOnly:
      options.verbose && user.apiOnly && user.apiOnlyGrantedBy.length > 0 ? `${yesNo(true)}: ${user.apiOnlyGrantedBy.join(', ')}` : yesNo(user.apiOnly),
    apiEnabled: yesNo(user.apiEnabled),
    permissionSets: listOrCount(sets, budget, setCount),
    permissionSetLicenses: listOrCount(user.permissionSetLicenses, budget, (n) => messages.getMessage('value.licenseCount', [String(n)])),
    lastLogin: options.verbose === true || !user.lastLogin ? lastLogin : lastLogin.slice(0, 10),
    appsSeen: user.appsSeen ? listOrCount(user.appsSeen, budget, (n) => messages.getMessage('value.appCount', [String(n)])) : '',
    lastUsed: user.lastUsed ? (options.verbose === true ? shortDate(user.lastUsed) : user.lastUsed.slice(0, 10)) : user.lastUsed === null ? messages.getMessage('value.notSeen') : '',
  };
};

/**
 * The title (counts first) and the notes printed under the table. Frozen users are counted and explained; when
 * UserLogin could not be read (`frozen` null) both say that frozen users are unknown, so that "yes" does not read as
 * "not frozen" (a narrow terminal cuts the title, not the wrapped notes).
 */
export const userListSummary = (users: IntegrationUserRow[], orgLabel: string): { title: string; notes: string[] } => {
  const active = users.filter((user) => user.active).length;
  // The title counts the frozen users among the active ones: an inactive user, frozen or not, has no seat nor access.
  const frozen = users.filter((user) => user.frozen === true && user.active).length;
  const [total, activeCount, inactive] = [String(users.length), String(active), String(users.length - active)];
  if (users.some((user) => user.frozen === null)) {
    return { title: messages.getMessage('title.frozenUnknown', [orgLabel, total, activeCount, inactive]), notes: [messages.getMessage('note.frozenUnknown')] };
  }
  const notes = users.some((user) => user.frozen === true) ? [messages.getMessage('note.frozen')] : [];
  if (frozen > 0) {
    return { title: messages.getMessage('title.frozen', [orgLabel, total, activeCount, String(frozen), inactive]), notes };
  }
  return { title: messages.getMessage('title', [orgLabel, total, activeCount, inactive]), notes };
};

export type UserTableColumn = { key: Column; name: string; width: number };

/** Options for SfCommand.table (sf-plugins-core 13 passes them to @oclif/table). */
export type UserTable = { data: UserTableRow[]; columns: UserTableColumn[]; title: string; maxWidth: number; overflow: 'truncate' };

const withApp = (keys: readonly Column[], users: IntegrationUserRow[]): Column[] =>
  // The App column only means something when a manifest names the users; the evidence columns when it was read.
  keys.filter((key) => (key !== 'app' || users.some((user) => user.app)) && (!EVIDENCE_COLUMNS.includes(key) || users.some((user) => user.appsSeen)));

const header = (key: Column): string => messages.getMessage(`column.${key}`);

/** The default table: one line per user, cells cut with "…" so that no line is wider than `width`. */
export const renderUserTable = (users: IntegrationUserRow[], title: string, options: UserTableOptions): UserTable => {
  const { width } = options;
  const data = users.map((user) => toTableRow(user, { listBudget: listBudget(width) }));
  let keys = withApp(TABLE_COLUMNS, users);
  const natural = (key: Column): number => Math.max(textWidth(header(key)), ...data.map((row) => textWidth(row[key]))) + PADDING;
  const minimum = (key: Column): number => (WHOLE.includes(key) ? natural(key) : Math.min(natural(key), minCell(key, width) + PADDING));
  // One border between columns and one at each end (the sf default border style).
  const room = (count: number): number => width - (count + 1);
  while (keys.length > 1 && keys.reduce((sum, key) => sum + minimum(key), 0) > room(keys.length)) {
    const drop = [...KEEP_ORDER].reverse().find((key) => keys.includes(key));
    keys = keys.filter((key) => key !== drop);
  }
  const widths = fitColumns(keys.map(natural), room(keys.length), keys.map(minimum));
  return {
    data,
    columns: keys.map((key, i) => ({ key, name: header(key), width: widths[i] })),
    title: truncate(title, width),
    maxWidth: width,
    overflow: 'truncate',
  };
};

/**
 * --verbose: one block per user, every column with its full value, wrapped within `width` (continuation lines
 * aligned under the value). Not a table: @oclif/table misaligns its borders around wrapped cells.
 */
export const renderUserRecords = (users: IntegrationUserRow[], title: string, width: number): string[] => {
  const keys = withApp(COLUMNS, users).filter((key) => key !== 'username');
  const labelWidth = Math.max(...keys.map((key) => textWidth(header(key)))) + 2;
  const lines = [...wrap(title, width), ''];
  for (const user of users) {
    const row = toTableRow(user, { verbose: true });
    lines.push(...wrap(row.username, width));
    for (const key of keys) lines.push(...hang(`  ${header(key)}:`.padEnd(labelWidth + 2), row[key] || '-', width));
    lines.push('');
  }
  return lines;
};
