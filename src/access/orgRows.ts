/**
 * Pure mapping from SOQL rows (as the REST API returns them) to AccessModel parts. No I/O: the org loader
 * fetches the rows, this module decides what they mean, and tests drive it with plain rows.
 *
 * How a real org models access (and the simulator reproduces): a profile's permissions live on its profile-owned
 * PermissionSet (IsOwnedByProfile = true, ProfileId set), so its holder id is that PermissionSet's Id and its
 * profileId the Profile's. A permission set group owns an aggregate PermissionSet row (Type 'Group',
 * PermissionSetGroupId set) holding the group's combined permissions; assignments of a group carry
 * PermissionSetGroupId. PermissionSetGroupComponent rows link a group to its member PermissionSets and to its
 * MutingPermissionSet. ObjectPermissions, FieldPermissions and SetupEntityAccess hang off any of them by ParentId.
 */
import { verbFlagsFrom } from '../salesforce/objectAccess.js';
import { isTrue as bool, nonEmptyString as str } from '../formats/values.js';
import type {
  Assignment,
  FieldAccess,
  ObjectAccess,
  OrgFacts,
  PermissionHolder,
  PermissionSetGroup,
  PermissionSetLicense,
  PermissionSetLicenseAssignment,
  Profile,
  SetupEntityGrant,
  User,
  UserLicense,
} from './model.js';

export type Row = Record<string, unknown>;

const PERMISSIONS_PREFIX = 'Permissions';

const num = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' ? Number(value) || 0 : 0);
const rel = (row: Row, relationship: string): Row | undefined => {
  const value = row[relationship];
  return typeof value === 'object' && value !== null ? (value as Row) : undefined;
};
/** 15-char form: Salesforce accepts both lengths, and joins must not miss on the checksum suffix. */
export const idKey = (id: string | undefined): string => (id ?? '').slice(0, 15);

/** `PermissionsApiEnabled` → `ApiEnabled`. */
export const permissionName = (field: string): string => field.slice(PERMISSIONS_PREFIX.length);
export const permissionField = (name: string): string => `${PERMISSIONS_PREFIX}${name}`;

/** Names (without prefix) of the permission fields that are true on the row. */
export const enabledPermissions = (row: Row, permissionFields: string[]): string[] =>
  permissionFields.filter((field) => bool(row[field])).map(permissionName);

export const toOrgFacts = (row: Row | undefined, instanceUrl?: string, runningUsername?: string): OrgFacts => ({
  ...(row && str(row.Id) ? { id: str(row.Id) } : {}),
  ...(row && str(row.Name) ? { name: str(row.Name) } : {}),
  ...(row && typeof row.IsSandbox === 'boolean' ? { isSandbox: row.IsSandbox } : {}),
  // a scratch org answers IsSandbox true too; its TrialExpirationDate tells it apart (see OrgFacts.isScratch)
  ...(row && row.IsSandbox === true && str(row.TrialExpirationDate) ? { isScratch: true } : {}),
  ...(row && str(row.InstanceName) ? { instanceName: str(row.InstanceName) } : {}),
  ...(row && str(row.OrganizationType) ? { organizationType: str(row.OrganizationType) } : {}),
  ...(instanceUrl ? { instanceUrl } : {}),
  ...(runningUsername ? { runningUsername } : {}),
});

export const toUserLicense = (row: Row): UserLicense => ({
  id: String(row.Id),
  name: str(row.Name) ?? str(row.MasterLabel) ?? String(row.Id),
  ...(str(row.LicenseDefinitionKey) ? { licenseDefinitionKey: str(row.LicenseDefinitionKey) } : {}),
  total: num(row.TotalLicenses),
  used: num(row.UsedLicenses),
  ...(str(row.Status) ? { status: str(row.Status) } : {}),
});

export const toPermissionSetLicense = (row: Row): PermissionSetLicense => ({
  id: String(row.Id),
  developerName: str(row.DeveloperName) ?? String(row.Id),
  label: str(row.MasterLabel) ?? str(row.DeveloperName) ?? String(row.Id),
  total: num(row.TotalLicenses),
  used: num(row.UsedLicenses),
  ...(str(row.Status) ? { status: str(row.Status) } : {}),
});

/**
 * The user licenses of the profiles, from the `Profile.UserLicense` relationship of profile-owned PermissionSet rows
 * (one per license, in first-seen order). Licenses no profile uses cannot be held by any user, so none is missed.
 */
export const userLicensesOfProfileRows = (rows: Row[]): UserLicense[] => {
  const byId = new Map<string, UserLicense>();
  for (const row of rows) {
    const licenseId = str(rel(row, 'Profile')?.UserLicenseId);
    const license = rel(rel(row, 'Profile') ?? {}, 'UserLicense');
    if (!bool(row.IsOwnedByProfile) || !licenseId || !license || byId.has(idKey(licenseId))) continue;
    byId.set(idKey(licenseId), toUserLicense({ ...license, Id: licenseId }));
  }
  return [...byId.values()];
};

/** License names by Id (15-char key), for PermissionSet.LicenseId and Profile.UserLicenseId. */
export const licenseNames = (userLicenses: UserLicense[], psls: PermissionSetLicense[]): Map<string, string> =>
  new Map([
    ...userLicenses.map((l): [string, string] => [idKey(l.id), l.name]),
    ...psls.map((l): [string, string] => [idKey(l.id), l.label]),
  ]);

export type PermissionSetRowsResult = {
  profiles: Profile[];
  permissionSets: PermissionHolder[];
  permissionSetGroups: PermissionSetGroup[];
  /** PermissionSet row Id (15-char key) → the holder it belongs to (profile, set or group aggregate). */
  holderByRowId: Map<string, PermissionHolder>;
  /** PermissionSetGroup Id → Id of its aggregate PermissionSet row. */
  aggregateRowIdByGroupId: Map<string, string>;
};

const emptyAccess = (): Pick<PermissionHolder, 'objectPermissions' | 'fieldPermissions' | 'setupEntityAccess'> => ({
  objectPermissions: [],
  fieldPermissions: [],
  setupEntityAccess: [],
});

const isGroupAggregate = (row: Row): boolean => row.Type === 'Group' || str(row.PermissionSetGroupId) !== undefined;

const toProfileHolder = (row: Row, systemPermissions: string[], licenses: Map<string, string>): Profile => {
  const id = String(row.Id);
  const profileRow = rel(row, 'Profile');
  const name = str(profileRow?.Name) ?? str(row.Label) ?? id;
  const userLicenseId = str(profileRow?.UserLicenseId);
  const licenseId = str(row.LicenseId);
  const userLicense =
    (userLicenseId ? licenses.get(idKey(userLicenseId)) : undefined) ?? (licenseId ? licenses.get(idKey(licenseId)) : undefined);
  const description = str(profileRow?.Description);
  const namespace = str(row.NamespacePrefix);
  return {
    id,
    kind: 'profile',
    profileId: str(row.ProfileId) ?? id,
    name,
    label: name,
    ...(description ? { description } : {}),
    ...(namespace ? { namespace } : {}),
    isCustom: bool(row.IsCustom),
    ...(userLicense ? { license: userLicense, userLicense } : {}),
    systemPermissions,
    ...emptyAccess(),
  };
};

/** A group holder keyed by the PermissionSetGroup Id (what assignments and components point at). */
const toGroupHolder = (row: Row, systemPermissions: string[]): PermissionSetGroup => {
  const groupRow = rel(row, 'PermissionSetGroup');
  const groupId = str(row.PermissionSetGroupId) ?? String(row.Id);
  const name = str(groupRow?.DeveloperName) ?? str(row.Name) ?? groupId;
  const namespace = str(groupRow?.NamespacePrefix) ?? str(row.NamespacePrefix);
  const description = str(groupRow?.Description) ?? str(row.Description);
  const status = str(groupRow?.Status);
  return {
    id: groupId,
    kind: 'permissionSetGroup',
    name,
    label: str(groupRow?.MasterLabel) ?? str(row.Label) ?? name,
    ...(description ? { description } : {}),
    ...(namespace ? { namespace } : {}),
    isCustom: namespace === undefined,
    systemPermissions,
    ...emptyAccess(),
    permissionSetIds: [],
    ...(status ? { status } : {}),
  };
};

const toPermissionSetHolder = (row: Row, systemPermissions: string[], licenses: Map<string, string>): PermissionHolder => {
  const id = String(row.Id);
  const name = str(row.Name) ?? id;
  const namespace = str(row.NamespacePrefix);
  const description = str(row.Description);
  const licenseId = str(row.LicenseId);
  const license = licenseId ? licenses.get(idKey(licenseId)) : undefined;
  return {
    id,
    kind: 'permissionSet',
    name,
    label: str(row.Label) ?? name,
    ...(description ? { description } : {}),
    ...(namespace ? { namespace } : {}),
    isCustom: bool(row.IsCustom),
    ...(license ? { license } : {}),
    systemPermissions,
    ...emptyAccess(),
  };
};

/** Splits PermissionSet rows into profiles, permission sets and group holders. */
export const mapPermissionSetRows = (
  rows: Row[],
  permissionFields: string[],
  licenses: Map<string, string>
): PermissionSetRowsResult => {
  const result: PermissionSetRowsResult = {
    profiles: [],
    permissionSets: [],
    permissionSetGroups: [],
    holderByRowId: new Map(),
    aggregateRowIdByGroupId: new Map(),
  };
  for (const row of rows) {
    const systemPermissions = enabledPermissions(row, permissionFields);
    let holder: PermissionHolder;
    if (bool(row.IsOwnedByProfile)) {
      const profile = toProfileHolder(row, systemPermissions, licenses);
      result.profiles.push(profile);
      holder = profile;
    } else if (isGroupAggregate(row)) {
      const group = toGroupHolder(row, systemPermissions);
      result.permissionSetGroups.push(group);
      result.aggregateRowIdByGroupId.set(group.id, String(row.Id));
      holder = group;
    } else {
      holder = toPermissionSetHolder(row, systemPermissions, licenses);
      result.permissionSets.push(holder);
    }
    result.holderByRowId.set(idKey(String(row.Id)), holder);
  }
  return result;
};

export const toMutingPermissionSet = (row: Row, permissionFields: string[]): PermissionHolder => {
  const id = String(row.Id);
  const name = str(row.DeveloperName) ?? id;
  return {
    id,
    kind: 'mutingPermissionSet',
    name,
    label: str(row.MasterLabel) ?? name,
    ...(str(row.NamespacePrefix) ? { namespace: str(row.NamespacePrefix) } : {}),
    isCustom: str(row.NamespacePrefix) === undefined,
    systemPermissions: enabledPermissions(row, permissionFields),
    ...emptyAccess(),
  };
};

/** Fills each group's members and muting set from PermissionSetGroupComponent rows. */
export const linkGroupComponents = (
  groups: PermissionSetGroup[],
  componentRows: Row[],
  mutingIds: Set<string>
): void => {
  const groupById = new Map(groups.map((g) => [idKey(g.id), g]));
  for (const row of componentRows) {
    const group = str(row.PermissionSetGroupId) ? groupById.get(idKey(String(row.PermissionSetGroupId))) : undefined;
    const memberId = str(row.PermissionSetId);
    if (!group || !memberId) continue;
    if (mutingIds.has(idKey(memberId))) group.mutingPermissionSetId = memberId;
    else if (!group.permissionSetIds.includes(memberId)) group.permissionSetIds.push(memberId);
  }
};

export const toObjectAccess = (row: Row): ObjectAccess => ({
  object: String(row.SobjectType),
  ...verbFlagsFrom((field) => bool(row[field]), 'soql'),
  ...(row.PermissionsViewAllFields === undefined ? {} : { viewAllFields: bool(row.PermissionsViewAllFields) }),
});

export const toFieldAccess = (row: Row): FieldAccess => ({
  field: String(row.Field),
  read: bool(row.PermissionsRead),
  edit: bool(row.PermissionsEdit),
});

/** `ns__Name` for a namespaced Apex class, as permission set metadata names it. */
export const apexClassName = (row: Row): string =>
  str(row.NamespacePrefix) ? `${String(row.NamespacePrefix)}__${String(row.Name)}` : String(row.Name);

export const toSetupEntityGrant = (row: Row, namesById: Map<string, string>): SetupEntityGrant => {
  const entityId = String(row.SetupEntityId);
  return { type: String(row.SetupEntityType), name: namesById.get(idKey(entityId)) ?? entityId };
};

/** Adds rows that hang off holders by ParentId; rows of unknown parents (PSL / user license parents) are skipped. */
export const attachByParent = <T>(
  rows: Row[],
  holderByRowId: Map<string, PermissionHolder>,
  map: (row: Row) => T,
  add: (holder: PermissionHolder, item: T) => void
): void => {
  for (const row of rows) {
    const holder = str(row.ParentId) ? holderByRowId.get(idKey(String(row.ParentId))) : undefined;
    if (holder) add(holder, map(row));
  }
};

/** User fields that are copied when non-empty, in the order the User object lists them (JSON output keeps it). */
const USER_TEXT_BEFORE_ACTIVE: ReadonlyArray<[keyof User, string]> = [
  ['firstName', 'FirstName'],
  ['lastName', 'LastName'],
  ['email', 'Email'],
];
const USER_TEXT_AFTER_LICENSE: ReadonlyArray<[keyof User, string]> = [
  ['lastLoginDate', 'LastLoginDate'],
  ['createdDate', 'CreatedDate'],
  ['timeZoneSidKey', 'TimeZoneSidKey'],
  ['localeSidKey', 'LocaleSidKey'],
  ['languageLocaleKey', 'LanguageLocaleKey'],
  ['emailEncodingKey', 'EmailEncodingKey'],
  ['alias', 'Alias'],
];

const copyText = (user: Record<keyof User, unknown>, row: Row, fields: ReadonlyArray<[keyof User, string]>): void => {
  for (const [key, field] of fields) {
    const value = str(row[field]);
    // eslint-disable-next-line no-param-reassign -- the user being built by toUser
    if (value) user[key] = value;
  }
};

/** One User per row of a 10,000-user org: properties are set in place (no per-field object spread). */
export const toUser = (row: Row, userLicenseOfProfile: Map<string, string>): User => {
  const profileId = String(row.ProfileId ?? '');
  const userLicense = userLicenseOfProfile.get(idKey(profileId));
  const user = {
    id: String(row.Id),
    username: String(row.Username),
    name: str(row.Name) ?? [str(row.FirstName), str(row.LastName)].filter(Boolean).join(' '),
  } as Record<keyof User, unknown>;
  copyText(user, row, USER_TEXT_BEFORE_ACTIVE);
  user.isActive = bool(row.IsActive);
  const userType = str(row.UserType);
  if (userType) user.userType = userType;
  user.profileId = profileId;
  if (userLicense) user.userLicense = userLicense;
  copyText(user, row, USER_TEXT_AFTER_LICENSE);
  return user as User;
};

/**
 * PermissionSetAssignment rows → assignments. A group assignment keeps only the group id (its PermissionSetId is the
 * group's aggregate row); inactive ones (IsActive = false: expired, or session-based and not activated) are dropped;
 * profile-owned rows are dropped because the profile is the user's ProfileId already.
 */
export const toAssignments = (rows: Row[], profileRowIds: Set<string>): Assignment[] => {
  const result: Assignment[] = [];
  for (const row of rows) {
    if (row.IsActive === false) continue;
    const userId = str(row.AssigneeId);
    if (!userId) continue;
    const groupId = str(row.PermissionSetGroupId);
    const permissionSetId = str(row.PermissionSetId);
    if (groupId) result.push({ ...(str(row.Id) ? { id: String(row.Id) } : {}), userId, permissionSetGroupId: groupId });
    else if (permissionSetId && !profileRowIds.has(idKey(permissionSetId))) {
      result.push({ ...(str(row.Id) ? { id: String(row.Id) } : {}), userId, permissionSetId });
    }
  }
  return result;
};

export const toPslAssignment = (row: Row): PermissionSetLicenseAssignment => ({
  ...(str(row.Id) ? { id: String(row.Id) } : {}),
  userId: String(row.AssigneeId),
  permissionSetLicenseId: String(row.PermissionSetLicenseId),
});
