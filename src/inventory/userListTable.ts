/**
 * The human table of `sf integration user list`: one row per user, lists joined, "granted by" shown with API Only.
 */
import { Messages } from '@salesforce/core';
import type { IntegrationUserRow } from './userList.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.user.list');

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
};

const COLUMNS = [
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
] as const;

// Cells stay on one line: @oclif/table misaligns its borders around embedded newlines; 'wrap' folds long ones.
const yesNo = (value: boolean, grantedBy: string[] = []): string =>
  value
    ? [messages.getMessage('value.yes'), grantedBy.join(', ')].filter(Boolean).join(': ')
    : messages.getMessage('value.no');

export const toTableRow = (user: IntegrationUserRow): UserTableRow => ({
  username: user.username,
  app: user.app ?? '',
  name: user.name,
  active: yesNo(user.active),
  license: user.license ?? '',
  profile: user.profile ?? '',
  apiOnly: yesNo(user.apiOnly, user.apiOnlyGrantedBy),
  apiEnabled: yesNo(user.apiEnabled),
  permissionSets: [...user.permissionSets, ...user.permissionSetGroups.map((g) => `${g} (group)`)].join(', '),
  permissionSetLicenses: user.permissionSetLicenses.join(', '),
  lastLogin: user.lastLogin ? user.lastLogin.replace(/\.\d{3}\+0000$|\.\d{3}Z$/, 'Z') : messages.getMessage('value.never'),
});

/** Options for SfCommand.table (sf-plugins-core 13 takes @oclif/table's options object). */
export const renderUserTable = (
  users: IntegrationUserRow[],
  title: string
): { data: UserTableRow[]; columns: Array<{ key: keyof UserTableRow; name: string }>; title: string; overflow: 'wrap' } => ({
  data: users.map(toTableRow),
  // The App column only means something when a manifest names the users.
  columns: COLUMNS.filter((key) => key !== 'app' || users.some((user) => user.app)).map((key) => ({
    key,
    name: messages.getMessage(`column.${key}`),
  })),
  title,
  overflow: 'wrap',
});
