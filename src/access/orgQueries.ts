/**
 * The SOQL the org loader runs: one query per object, no WHERE that depends on the org's size or content,
 * so the number of requests is fixed apart from paging. Pure builders; values reach SOQL only via quoteSoql.
 */
import { idRunsFittingUrl, inListQueries, longestFitting, MAX_QUERY_URL_LENGTH } from '../org/query.js';
import { soqlInList } from '../org/soql.js';
import { OBJECT_VERB_FIELDS, OBJECT_VERBS } from '../salesforce/objectAccess.js';
import { PERMISSION_TIERS } from '../salesforce/permissionTiers.js';
import { permissionField } from './orgRows.js';

export { MAX_QUERY_URL_LENGTH };

/** Non-standard user types that are never integration users (portal, community, guest); left out of the User query. */
export const EXTERNAL_USER_TYPES = ['Guest', 'PowerPartner', 'PowerCustomerSuccess', 'CustomerSuccess', 'CspLitePortal', 'CsnOnly', 'SelfService'];

/** Setup entity types the model keeps (Apex classes, pages, connected apps, custom permissions). */
export const SETUP_ENTITY_TYPES = ['ApexClass', 'ApexPage', 'ConnectedApplication', 'CustomPermission'];

const FIELD_NAME = /^\w+(\.\w+)*$/;

// Fields are joined by ',' alone: every byte counts against the URI limit when a SELECT names ~400 permission fields.
const select = (fields: string[], object: string, where?: string): string => {
  for (const field of fields) if (!FIELD_NAME.test(field)) throw new Error(`Not a field name: ${field}`);
  return `SELECT ${fields.join(',')} FROM ${object}${where ? ` WHERE ${where}` : ''}`;
};

/** What the PermissionSet describe told us about this org. */
export type PermissionSetShape = {
  /** Every permission field the org has. */
  allPermissionFields: string[];
  /** Permission fields to select for every row (e.g. PermissionsApiEnabled). */
  permissionFields: string[];
  /** Every permission name the org knows, without prefix. */
  knownPermissions: string[];
  /** The org has permission set groups (PermissionSet.PermissionSetGroupId exists). */
  hasGroups: boolean;
  hasType: boolean;
};

/** Decides the permission fields to load: all the org has, or the wanted ones the org has. Pure. */
export const permissionSetShape = (describedFields: string[], wanted: 'all' | readonly string[]): PermissionSetShape => {
  const all = describedFields.filter((f) => f.startsWith('Permissions') && f.length > 'Permissions'.length);
  const present = new Set(all);
  const permissionFields = wanted === 'all' ? all : wanted.map(permissionField).filter((f) => present.has(f));
  return {
    allPermissionFields: all,
    permissionFields,
    knownPermissions: all.map((f) => f.slice('Permissions'.length)),
    hasGroups: describedFields.includes('PermissionSetGroupId'),
    hasType: describedFields.includes('Type'),
  };
};

/**
 * Permissions read for every holder: those the audit rules name. Every other permission is read only for the holders
 * integration users hold (a second, id-filtered query), because selecting ~400 boolean columns for thousands of
 * permission sets makes responses of tens of megabytes.
 */
export const SCREENING_PERMISSIONS: readonly string[] = [
  ...new Set(['ApiEnabled', 'ApiUserOnly', 'PasswordNeverExpires', 'BypassMFAForUiLogins', ...Object.values(PERMISSION_TIERS).flat()]),
];

/**
 * Splits a SELECT whose field list would make the URL too long into several SELECTs over the same rows: the first
 * carries `baseFields`, the others `Id` + their share of `extraFields`. `urlLength(soql)` measures the final URL.
 */
export const splitSelect = (
  object: string,
  baseFields: string[],
  extraFields: string[],
  urlLength: (soql: string) => number,
  maxUrlLength = MAX_QUERY_URL_LENGTH,
  where?: string
): string[] => {
  const queries: string[] = [];
  let base = baseFields;
  let start = 0;
  // Each SELECT takes at least one extra field, then as many more as keep its URL within the limit.
  while (start < extraFields.length) {
    const head = base;
    const from = start;
    const count = longestFitting(extraFields.length - from, (n) => urlLength(select([...head, ...extraFields.slice(from, from + n)], object, where)) <= maxUrlLength);
    queries.push(select([...head, ...extraFields.slice(from, from + count)], object, where));
    base = ['Id'];
    start += count;
  }
  if (queries.length === 0) queries.push(select(base, object, where));
  return queries;
};

/**
 * `SELECT Id, <permission fields> FROM object WHERE Id IN (…)` for the given rows, as few queries as fit the URL limit:
 * as many ids per query as fit beside the whole field list (at least 20; below that the field list is split instead).
 */
export const permissionsByIdQueries = (
  object: 'PermissionSet' | 'MutingPermissionSet',
  ids: string[],
  permissionFields: string[],
  urlLength: (soql: string) => number
): string[] => {
  const runs = idRunsFittingUrl(ids, (inList) => select(['Id', ...permissionFields], object, `Id IN ${inList}`), urlLength, { minIds: 20 });
  return runs.flatMap((run) => splitSelect(object, ['Id'], permissionFields, urlLength, MAX_QUERY_URL_LENGTH, `Id IN ${soqlInList(run)}`));
};

export const permissionSetQueries = (shape: PermissionSetShape, urlLength: (soql: string) => number): string[] => {
  const base = [
    'Id',
    'Name',
    'Label',
    'Description',
    'IsOwnedByProfile',
    'IsCustom',
    'ProfileId',
    'NamespacePrefix',
    'LicenseId',
    'Profile.Name',
    'Profile.UserLicenseId',
    'Profile.Description',
    // The user licenses the profiles use (the only ones a user can hold), instead of a UserLicense query.
    'Profile.UserLicense.Name',
    'Profile.UserLicense.MasterLabel',
    'Profile.UserLicense.LicenseDefinitionKey',
    'Profile.UserLicense.TotalLicenses',
    'Profile.UserLicense.UsedLicenses',
    'Profile.UserLicense.Status',
    ...(shape.hasType ? ['Type'] : []),
    ...(shape.hasGroups
      ? [
          'PermissionSetGroupId',
          'PermissionSetGroup.DeveloperName',
          'PermissionSetGroup.MasterLabel',
          'PermissionSetGroup.Description',
          'PermissionSetGroup.NamespacePrefix',
          'PermissionSetGroup.Status',
        ]
      : []),
  ];
  return splitSelect('PermissionSet', base, shape.permissionFields, urlLength);
};

/** MutingPermissionSet mirrors PermissionSet's permission fields (it mutes the same permissions). */
export const mutingPermissionSetQueries = (shape: PermissionSetShape, urlLength: (soql: string) => number): string[] =>
  splitSelect('MutingPermissionSet', ['Id', 'DeveloperName', 'MasterLabel'], shape.permissionFields, urlLength);

export const ORGANIZATION_QUERY = select(['Id', 'Name', 'IsSandbox', 'TrialExpirationDate', 'InstanceName', 'OrganizationType'], 'Organization');

/**
 * Frozen users only (a handful): UserLogin has one row per user, and "To query for all frozen users" is this query in
 * the object reference (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm).
 * A query of its own, not a UserLogins subquery of the User read: UserLogin needs "Manage Users", and a refused
 * subquery fails the whole User query (Salesforce-Inspector-reloaded PR #1289 had to retry without it).
 */
export const FROZEN_USER_LOGIN_QUERY = select(['Id', 'UserId', 'IsFrozen'], 'UserLogin', 'IsFrozen = true');

export const PERMISSION_SET_LICENSE_QUERY = select(
  ['Id', 'DeveloperName', 'MasterLabel', 'TotalLicenses', 'UsedLicenses', 'Status'],
  'PermissionSetLicense'
);

export const PERMISSION_SET_GROUP_COMPONENT_QUERY = select(['PermissionSetGroupId', 'PermissionSetId'], 'PermissionSetGroupComponent');

export const userQuery = (): string =>
  select(
    [
      'Id',
      'Username',
      'Name',
      'FirstName',
      'LastName',
      'Email',
      'IsActive',
      'UserType',
      'ProfileId',
      'LastLoginDate',
      'CreatedDate',
      'TimeZoneSidKey',
      'LocaleSidKey',
      'LanguageLocaleKey',
      'EmailEncodingKey',
      'Alias',
    ],
    'User',
    `UserType NOT IN ${soqlInList(EXTERNAL_USER_TYPES)}`
  );

const ASSIGNMENT_BASE_FILTER = 'PermissionSet.IsOwnedByProfile = false';
const assignmentFields = (hasGroups: boolean): string[] => ['Id', 'AssigneeId', 'PermissionSetId', ...(hasGroups ? ['PermissionSetGroupId'] : []), 'IsActive'];

/** Profile-owned rows are left out: every user has one, and the profile is known from User.ProfileId. */
export const assignmentQuery = (hasGroups: boolean): string =>
  select(assignmentFields(hasGroups), 'PermissionSetAssignment', ASSIGNMENT_BASE_FILTER);

/**
 * The assignments of permission sets (and of groups whose aggregate row, Type 'Group') that grant API Only User:
 * with the users' licenses and profiles, they say who may be an integration user before every user's rows are read.
 */
export const apiOnlyAssignmentQuery = (hasGroups: boolean): string =>
  select(assignmentFields(hasGroups), 'PermissionSetAssignment', `${ASSIGNMENT_BASE_FILTER} AND PermissionSet.${permissionField('ApiUserOnly')} = true`);

/** Every assignment of the given users, in as few queries as fit the URL limit. */
export const assignmentsOfUsersQueries = (hasGroups: boolean, userIds: readonly string[], urlLength: (soql: string) => number): string[] =>
  inListQueries(userIds, (inList) => select(assignmentFields(hasGroups), 'PermissionSetAssignment', `${ASSIGNMENT_BASE_FILTER} AND AssigneeId IN ${inList}`), urlLength);

/** Who is assigned the given permission set groups (their AssigneeId only). */
export const groupAssigneesQueries = (groupIds: readonly string[], urlLength: (soql: string) => number): string[] =>
  inListQueries(groupIds, (inList) => select(['AssigneeId', 'IsActive'], 'PermissionSetAssignment', `PermissionSetGroupId IN ${inList}`), urlLength);

export const PSL_ASSIGNMENT_QUERY = select(['Id', 'AssigneeId', 'PermissionSetLicenseId'], 'PermissionSetLicenseAssign');

const OBJECT_PERMISSION_FIELDS = ['ParentId', 'SobjectType', ...OBJECT_VERBS.map((verb) => OBJECT_VERB_FIELDS[verb].soql)];
export const OBJECT_PERMISSIONS_QUERY = select(OBJECT_PERMISSION_FIELDS, 'ObjectPermissions');

const FIELD_PERMISSION_FIELDS = ['ParentId', 'SobjectType', 'Field', 'PermissionsRead', 'PermissionsEdit'];
export const FIELD_PERMISSIONS_QUERY = select(FIELD_PERMISSION_FIELDS, 'FieldPermissions');

/**
 * The object and field permissions of the given holders only (PermissionSet or MutingPermissionSet row ids; ParentId
 * is a lookup, so the filter is indexed): an org's FieldPermissions has a row per holder and field with access, often
 * hundreds of thousands, of which an audit needs its integration users' holders' few.
 */
export const objectPermissionsOfQueries = (parentIds: readonly string[], urlLength: (soql: string) => number): string[] =>
  inListQueries(parentIds, (inList) => select(OBJECT_PERMISSION_FIELDS, 'ObjectPermissions', `ParentId IN ${inList}`), urlLength);
export const fieldPermissionsOfQueries = (parentIds: readonly string[], urlLength: (soql: string) => number): string[] =>
  inListQueries(parentIds, (inList) => select(FIELD_PERMISSION_FIELDS, 'FieldPermissions', `ParentId IN ${inList}`), urlLength);

const SETUP_ENTITY_ACCESS_FIELDS = ['ParentId', 'SetupEntityId', 'SetupEntityType'];
const SETUP_ENTITY_TYPE_FILTER = `SetupEntityType IN ${soqlInList(SETUP_ENTITY_TYPES)}`;
export const setupEntityAccessQuery = (): string => select(SETUP_ENTITY_ACCESS_FIELDS, 'SetupEntityAccess', SETUP_ENTITY_TYPE_FILTER);
/** The setup entity access of the given holders only (see objectPermissionsOfQueries). */
export const setupEntityAccessOfQueries = (parentIds: readonly string[], urlLength: (soql: string) => number): string[] =>
  inListQueries(parentIds, (inList) => select(SETUP_ENTITY_ACCESS_FIELDS, 'SetupEntityAccess', `${SETUP_ENTITY_TYPE_FILTER} AND ParentId IN ${inList}`), urlLength);

export const APEX_CLASS_QUERY = select(['Id', 'Name', 'NamespacePrefix'], 'ApexClass');
