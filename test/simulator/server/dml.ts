/*
 * DML as a real org applies it: field validation against the schema, then the org's rules for users, licenses
 * and permission assignments. Each function either changes the store or throws a DmlError without changing it.
 */
import type { FieldDescribe, Schema } from '../schema.js';
import { to18, type FieldValue, type OrgStore, type Row } from '../store.js';
import { DmlError, notFound, operationNotAllowed } from './errors.js';

export type DmlContext = { store: OrgStore; schema: Schema };

/** Objects a real org exposes read-only (describe/query/retrieve). */
const READ_ONLY = new Set(['UserLicense', 'PermissionSetLicense', 'Organization', 'LoginHistory', 'EntityDefinition', 'FieldDefinition', 'OauthToken']);
/** Objects with update() but neither create() nor delete() (object reference: UserLogin supports describe, query, retrieve, update). */
const UPDATE_ONLY = new Set(['UserLogin']);
/** Objects without a delete() call. */
const NO_DELETE = new Set(['User', ...READ_ONLY, ...UPDATE_ONLY]);
/** Objects without an update() call. */
const NO_UPDATE = new Set([...READ_ONLY, 'PermissionSetLicenseAssign', 'SetupEntityAccess']);

const USER_REQUIRED = ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'ProfileId'];
/** Non-nillable fields the org fills in when they are omitted. */
const DEFAULTED = new Set(['OwnerId', 'Status', 'CommunityNickname', 'DigestFrequency', 'DefaultGroupNotificationFrequency']);

const INTEGRATION_LICENSE = 'Salesforce Integration';
const INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';

const nowStamp = (): string => new Date().toISOString().replace('Z', '+0000');

const duplicateUsername = (): DmlError =>
  new DmlError(
    'DUPLICATE_USERNAME',
    'Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn\'t need to match the user\'s email address).',
    ['Username']
  );

const licenseLimitExceeded = (): DmlError => new DmlError('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded', []);

const invalidCrossReference = (field: string, value: FieldValue): DmlError =>
  new DmlError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${String(value)}`, [field]);

function canonicalObject(ctx: DmlContext, objectName: string): string {
  const object = ctx.schema.object(objectName);
  if (!object) throw new DmlError('INVALID_TYPE', `sObject type '${objectName}' is not supported.`, [], 404);
  return object.name;
}

/** Canonical field names, type checks, reference Ids normalised to 18 chars. */
function normaliseFields(ctx: DmlContext, objectName: string, body: Record<string, unknown>, operation: 'insert' | 'update'): Row {
  const fields: Row = {};
  const notWritable: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    if (key.toLowerCase() === 'id') {
      if (operation === 'insert') throw new DmlError('INVALID_FIELD', 'The Id field should not be specified in the sobject data.', ['Id']);
      continue;
    }
    const field = ctx.schema.field(objectName, key);
    if (!field) throw new DmlError('INVALID_FIELD', `No such column '${key}' on sobject of type ${objectName}`, [key]);
    if (operation === 'insert' ? !field.createable : !field.updateable) {
      notWritable.push(field.name);
      continue;
    }
    fields[field.name] = coerceValue(ctx, field, value);
  }
  if (notWritable.length) {
    throw new DmlError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      notWritable
    );
  }
  return fields;
}

/** A JSON value as the field's type stores it; references must name an existing row (18-char Id). */
function coerceValue(ctx: DmlContext, field: FieldDescribe, value: unknown): FieldValue {
  if (value !== null && typeof value === 'object') {
    throw new DmlError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${field.type} from ${Array.isArray(value) ? 'START_ARRAY' : 'START_OBJECT'} value`, [field.name]);
  }
  let v = value as FieldValue;
  if (field.type === 'boolean' && v !== null && typeof v !== 'boolean') {
    if (v !== 'true' && v !== 'false') throw new DmlError('JSON_PARSER_ERROR', `Cannot deserialize instance of boolean from VALUE_STRING value ${String(v)}`, [field.name]);
    v = v === 'true';
  }
  if (field.type === 'reference' && typeof v === 'string' && v !== '') {
    const id = to18(v);
    if (!id) throw new DmlError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${v}`, [field.name]);
    if (!ctx.store.get(id) && field.referenceTo?.some((t) => ctx.schema.object(t))) throw invalidCrossReference(field.name, v);
    v = id;
  }
  return v === '' ? null : v;
}

function requireFields(ctx: DmlContext, objectName: string, fields: Row): void {
  const required =
    objectName === 'User'
      ? USER_REQUIRED
      : ctx.schema
          .object(objectName)!
          .fields.filter((f) => !f.nillable && f.createable && f.type !== 'boolean' && !DEFAULTED.has(f.name))
          .map((f) => f.name);
  const missing = required.filter((name) => fields[name] === undefined || fields[name] === null || fields[name] === '');
  if (missing.length) throw new DmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
}

function booleanDefaults(ctx: DmlContext, objectName: string): Row {
  const defaults: Row = {};
  for (const field of ctx.schema.object(objectName)!.fields) if (field.type === 'boolean') defaults[field.name] = false;
  return defaults;
}

function row(ctx: DmlContext, id: FieldValue): Row | undefined {
  return typeof id === 'string' ? ctx.store.get(id)?.row : undefined;
}

// ---------------------------------------------------------------- users and seats

function usernameTaken(ctx: DmlContext, username: string, exceptId?: FieldValue): boolean {
  const lower = username.toLowerCase();
  if (ctx.store.takenUsernames.has(lower)) return true;
  return ctx.store.rows('User').some((u) => u.Id !== exceptId && String(u.Username).toLowerCase() === lower);
}

function licenseOfProfile(ctx: DmlContext, profileId: FieldValue): Row | undefined {
  return row(ctx, row(ctx, profileId)?.UserLicenseId ?? null);
}

function takeSeat(ctx: DmlContext, license: Row | undefined): void {
  if (!license) return;
  if (Number(license.UsedLicenses) >= Number(license.TotalLicenses)) throw licenseLimitExceeded();
  ctx.store.update(String(license.Id), { UsedLicenses: Number(license.UsedLicenses) + 1 });
}

function freeSeat(ctx: DmlContext, license: Row | undefined): void {
  if (license) ctx.store.update(String(license.Id), { UsedLicenses: Math.max(0, Number(license.UsedLicenses) - 1) });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkUserValues(ctx: DmlContext, fields: Row, exceptId?: FieldValue): void {
  if (typeof fields.Username === 'string') {
    if (!EMAIL.test(fields.Username) || fields.Username.length > 80) throw new DmlError('INVALID_NEW_VALUE', 'Username must be in the form of an email address (for example, john@acme.com)', ['Username']);
    if (usernameTaken(ctx, fields.Username, exceptId)) throw duplicateUsername();
  }
  if (typeof fields.Email === 'string' && !EMAIL.test(fields.Email)) throw new DmlError('INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${fields.Email}`, ['Email']);
  if (typeof fields.Alias === 'string' && fields.Alias.length > 8) throw new DmlError('STRING_TOO_LONG', `Alias: data value too large: ${fields.Alias} (max length=8)`, ['Alias']);
  if (fields.ProfileId !== undefined && row(ctx, fields.ProfileId) === undefined) throw invalidCrossReference('ProfileId', fields.ProfileId);
}

const fullName = (first: FieldValue, last: FieldValue): string => (first ? `${String(first)} ${String(last)}` : String(last));

function createUser(ctx: DmlContext, fields: Row): Row {
  requireFields(ctx, 'User', fields);
  checkUserValues(ctx, fields);
  const isActive = fields.IsActive ?? true;
  if (isActive) takeSeat(ctx, licenseOfProfile(ctx, fields.ProfileId));
  const stamp = nowStamp();
  const user = ctx.store.insert('User', {
    ...booleanDefaults(ctx, 'User'),
    CommunityNickname: String(fields.Username).split('@')[0].slice(0, 40),
    DigestFrequency: 'D',
    DefaultGroupNotificationFrequency: 'N',
    ...fields,
    IsActive: isActive,
    Name: fullName(fields.FirstName ?? null, fields.LastName),
    UserType: 'Standard',
    LastLoginDate: null,
    CreatedDate: stamp,
    LastModifiedDate: stamp,
    SystemModstamp: stamp,
    CreatedById: ctx.store.runningUserId,
    LastModifiedById: ctx.store.runningUserId,
  });
  // Every user has one UserLogin row (object reference "UserLogin"); a new one is not frozen.
  ctx.store.insert('UserLogin', { UserId: user.Id, IsFrozen: false, IsPasswordLocked: false, LastModifiedDate: stamp, LastModifiedById: ctx.store.runningUserId });
  return user;
}

/**
 * A changed e-mail address is held until the new address confirms it: Salesforce sends a verification mail and the
 * field keeps the old value meanwhile, also when the change comes through the API (help article 000385115 "Change
 * Email Address in Salesforce After Email Verification Link Has Expired": the link is valid 72 hours; simplysfdc.com
 * 2013/09 "change email address without confirmation": "no matter how many times you do it, even using API").
 * The simulator keeps the pending address in `store.pendingEmails` until `OrgSimulator.confirmEmail`. UNVERIFIED: that
 * sending the same change again replaces the pending one (assumed: one pending address per user).
 */
function holdEmailChange(ctx: DmlContext, user: Row, fields: Row): Row {
  if (typeof fields.Email !== 'string' || fields.Email.toLowerCase() === String(user.Email).toLowerCase()) return fields;
  const { Email: email, ...rest } = fields;
  const userId = String(user.Id);
  const previous = ctx.store.pendingEmails.get(userId);
  ctx.store.pendingEmails.set(userId, email);
  ctx.store.onUndo(() => (previous === undefined ? ctx.store.pendingEmails.delete(userId) : ctx.store.pendingEmails.set(userId, previous)));
  return rest;
}

function updateUser(ctx: DmlContext, user: Row, requested: Row): void {
  checkUserValues(ctx, requested, user.Id);
  const fields = holdEmailChange(ctx, user, requested);
  const wasActive = Boolean(user.IsActive);
  const willBeActive = fields.IsActive === undefined ? wasActive : Boolean(fields.IsActive);
  const oldLicense = licenseOfProfile(ctx, user.ProfileId);
  const newLicense = fields.ProfileId === undefined ? oldLicense : licenseOfProfile(ctx, fields.ProfileId);
  const seatChanges = wasActive !== willBeActive || oldLicense?.Id !== newLicense?.Id;
  if (seatChanges) {
    if (wasActive) freeSeat(ctx, oldLicense);
    if (willBeActive) takeSeat(ctx, newLicense);
  }
  const names: Row = {};
  if (fields.FirstName !== undefined || fields.LastName !== undefined) {
    names.Name = fullName(fields.FirstName === undefined ? user.FirstName : fields.FirstName, fields.LastName ?? user.LastName);
  }
  ctx.store.update(String(user.Id), { ...fields, ...names, LastModifiedDate: nowStamp(), SystemModstamp: nowStamp(), LastModifiedById: ctx.store.runningUserId });
}

// ---------------------------------------------------------------- permission set licenses and assignments

function integrationPsl(ctx: DmlContext): Row | undefined {
  return ctx.store.rows('PermissionSetLicense').find((p) => p.DeveloperName === INTEGRATION_PSL);
}

function hasPsl(ctx: DmlContext, userId: FieldValue, pslId: FieldValue): boolean {
  return ctx.store.rows('PermissionSetLicenseAssign').some((a) => a.AssigneeId === userId && a.PermissionSetLicenseId === pslId);
}

function createPslAssignment(ctx: DmlContext, fields: Row): Row {
  requireFields(ctx, 'PermissionSetLicenseAssign', fields);
  const psl = row(ctx, fields.PermissionSetLicenseId);
  if (!psl) throw invalidCrossReference('PermissionSetLicenseId', fields.PermissionSetLicenseId ?? null);
  const existing = ctx.store.rows('PermissionSetLicenseAssign').find((a) => a.AssigneeId === fields.AssigneeId && a.PermissionSetLicenseId === psl.Id);
  if (existing) throw new DmlError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${String(existing.Id)}`, []);
  if (Number(psl.UsedLicenses) >= Number(psl.TotalLicenses)) throw licenseLimitExceeded();
  ctx.store.update(String(psl.Id), { UsedLicenses: Number(psl.UsedLicenses) + 1 });
  const stamp = nowStamp();
  return ctx.store.insert('PermissionSetLicenseAssign', { IsDeleted: false, ...fields, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp, CreatedById: ctx.store.runningUserId, LastModifiedById: ctx.store.runningUserId });
}

function deletePslAssignment(ctx: DmlContext, assignment: Row): void {
  const dependent = ctx.store
    .rows('PermissionSetAssignment')
    .some((a) => a.AssigneeId === assignment.AssigneeId && row(ctx, a.PermissionSetId)?.LicenseId === assignment.PermissionSetLicenseId);
  if (dependent) {
    throw new DmlError('FIELD_INTEGRITY_EXCEPTION', 'You can\'t remove this permission set license because the user has permission sets that require it.', []);
  }
  const psl = row(ctx, assignment.PermissionSetLicenseId);
  if (psl) ctx.store.update(String(psl.Id), { UsedLicenses: Math.max(0, Number(psl.UsedLicenses) - 1) });
  ctx.store.remove(String(assignment.Id));
}

/** Label of the first thing a set grants, for "The user license doesn't allow the permission: …". */
function firstGrantLabel(ctx: DmlContext, permissionSet: Row): string {
  const op = ctx.store.rows('ObjectPermissions').find((o) => o.ParentId === permissionSet.Id && o.PermissionsRead);
  if (op) return `Read ${ctx.schema.object(String(op.SobjectType))?.label ?? String(op.SobjectType)}s`;
  const perm = Object.keys(permissionSet).find((k) => k.startsWith('Permissions') && permissionSet[k] === true);
  return perm ? perm.slice('Permissions'.length) : String(permissionSet.Label);
}

function grantsStandardObjectAccess(ctx: DmlContext, permissionSet: Row): boolean {
  return ctx.store.rows('ObjectPermissions').some((o) => o.ParentId === permissionSet.Id && !String(o.SobjectType).endsWith('__c') && o.PermissionsRead);
}

/** A permission set's license must match the assignee's; integration users need the API integration PSL for standard-object access. */
function checkLicenseCompatibility(ctx: DmlContext, permissionSet: Row, user: Row): void {
  const userLicense = licenseOfProfile(ctx, user.ProfileId);
  const refuse = (): DmlError =>
    new DmlError(
      'FIELD_INTEGRITY_EXCEPTION',
      `Can't assign permission set ${String(permissionSet.Label)} to user ${String(user.Username)}. The user license doesn't allow the permission: ${firstGrantLabel(ctx, permissionSet)}`,
      ['PermissionSetId']
    );
  const license = row(ctx, permissionSet.LicenseId);
  if (license) {
    const isPsl = String(license.Id).startsWith(ctx.schema.keyPrefix('PermissionSetLicense') ?? '0PL');
    if (isPsl ? !hasPsl(ctx, user.Id, license.Id) : license.Id !== userLicense?.Id) throw refuse();
    return;
  }
  if (userLicense?.Name === INTEGRATION_LICENSE && grantsStandardObjectAccess(ctx, permissionSet)) {
    const psl = integrationPsl(ctx);
    if (!psl || !hasPsl(ctx, user.Id, psl.Id)) throw refuse();
  }
}

function createAssignment(ctx: DmlContext, fields: Row): Row {
  const user = row(ctx, fields.AssigneeId);
  if (!user) throw new DmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [AssigneeId]', ['AssigneeId']);
  let permissionSet = row(ctx, fields.PermissionSetId ?? null);
  const group = row(ctx, fields.PermissionSetGroupId ?? null);
  if (!permissionSet && group) {
    permissionSet = ctx.store.rows('PermissionSet').find((p) => p.PermissionSetGroupId === group.Id && p.Type === 'Group');
  }
  if (!permissionSet) throw new DmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [PermissionSetId]', ['PermissionSetId']);
  if (permissionSet.IsOwnedByProfile) {
    throw new DmlError('INVALID_CROSS_REFERENCE_KEY', 'You can\'t assign or unassign this permission set because it\'s associated with a profile.', ['PermissionSetId']);
  }
  const duplicate = ctx.store.rows('PermissionSetAssignment').find((a) => a.AssigneeId === user.Id && a.PermissionSetId === permissionSet.Id);
  if (duplicate) {
    throw new DmlError('DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${String(duplicate.Id)}`, []);
  }
  checkLicenseCompatibility(ctx, permissionSet, user);
  return ctx.store.insert('PermissionSetAssignment', {
    ExpirationDate: null,
    ...fields,
    PermissionSetId: permissionSet.Id,
    PermissionSetGroupId: permissionSet.PermissionSetGroupId ?? null,
    IsActive: true,
    IsRevoked: false,
    SystemModstamp: nowStamp(),
  });
}

// ---------------------------------------------------------------- generic rows

function createGeneric(ctx: DmlContext, objectName: string, fields: Row): Row {
  requireFields(ctx, objectName, fields);
  const stamp = nowStamp();
  const audit: Row = {};
  for (const [name, value] of [['CreatedDate', stamp], ['LastModifiedDate', stamp], ['SystemModstamp', stamp], ['CreatedById', ctx.store.runningUserId], ['LastModifiedById', ctx.store.runningUserId], ['OwnerId', ctx.store.runningUserId]] as const) {
    if (ctx.schema.field(objectName, name)) audit[name] = value;
  }
  const extra: Row = {};
  if (objectName === 'PermissionSet') {
    if (ctx.store.rows('PermissionSet').some((p) => String(p.Name).toLowerCase() === String(fields.Name).toLowerCase())) {
      throw new DmlError('DUPLICATE_DEVELOPER_NAME', 'The API Name you chose is already in use.', ['Name']);
    }
    Object.assign(extra, { IsOwnedByProfile: false, IsCustom: true, Type: 'Regular', NamespacePrefix: null });
  }
  if (objectName === 'SetupEntityAccess' && fields.SetupEntityId) extra.SetupEntityType = ctx.schema.objectForId(String(fields.SetupEntityId)) ?? null;
  return ctx.store.insert(objectName, { ...booleanDefaults(ctx, objectName), ...audit, ...fields, ...extra });
}

// ---------------------------------------------------------------- entry points

export function createRecord(ctx: DmlContext, objectName: string, body: Record<string, unknown>): Row {
  const object = canonicalObject(ctx, objectName);
  if (READ_ONLY.has(object)) throw operationNotAllowed(object, 'insert', 'POST', 'HEAD,GET');
  if (UPDATE_ONLY.has(object)) throw operationNotAllowed(object, 'insert', 'POST', 'HEAD,GET,PATCH');
  const fields = normaliseFields(ctx, object, body, 'insert');
  return ctx.store.atomically(() => {
    switch (object) {
      case 'User':
        return createUser(ctx, fields);
      case 'PermissionSetAssignment':
        return createAssignment(ctx, fields);
      case 'PermissionSetLicenseAssign':
        return createPslAssignment(ctx, fields);
      default:
        return createGeneric(ctx, object, fields);
    }
  });
}

function existingRow(ctx: DmlContext, object: string, id: string): Row {
  const found = ctx.store.get(id);
  if (!found || found.object !== object) {
    throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted', [], 404, notFound());
  }
  return found.row;
}

export function updateRecord(ctx: DmlContext, objectName: string, id: string, body: Record<string, unknown>): Row {
  const object = canonicalObject(ctx, objectName);
  if (NO_UPDATE.has(object)) throw operationNotAllowed(object, 'update', 'PATCH', 'HEAD,GET,DELETE');
  const target = existingRow(ctx, object, id);
  const fields = normaliseFields(ctx, object, body, 'update');
  ctx.store.atomically(() => {
    if (object === 'User') updateUser(ctx, target, fields);
    else {
      const audit: Row = {};
      if (ctx.schema.field(object, 'LastModifiedDate')) audit.LastModifiedDate = nowStamp();
      if (ctx.schema.field(object, 'SystemModstamp')) audit.SystemModstamp = nowStamp();
      ctx.store.update(String(target.Id), { ...fields, ...audit });
    }
  });
  return target;
}

export function deleteRecord(ctx: DmlContext, objectName: string, id: string): void {
  const object = canonicalObject(ctx, objectName);
  if (NO_DELETE.has(object)) throw operationNotAllowed(object, 'delete', 'DELETE', object === 'User' ? 'GET,HEAD,PATCH' : 'HEAD,GET');
  const target = existingRow(ctx, object, id);
  ctx.store.atomically(() => {
    if (object === 'PermissionSetLicenseAssign') return deletePslAssignment(ctx, target);
    if (object === 'PermissionSet') {
      if (target.IsOwnedByProfile) throw new DmlError('CANNOT_DELETE_OWNED_OBJECT', 'Cannot delete a permission set owned by a profile', []);
      if (ctx.store.rows('PermissionSetAssignment').some((a) => a.PermissionSetId === target.Id)) {
        throw new DmlError('DELETE_FAILED', 'Your attempt to delete this permission set could not be completed because it is assigned to users.', []);
      }
      for (const child of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess', 'PermissionSetGroupComponent']) {
        for (const r of ctx.store.rows(child).filter((c) => c.ParentId === target.Id || c.PermissionSetId === target.Id)) ctx.store.remove(String(r.Id));
      }
    }
    ctx.store.remove(String(target.Id));
  });
}

/** The object an Id belongs to (collections deletes pass bare Ids). */
export function objectOfId(ctx: DmlContext, id: string): string | undefined {
  return ctx.store.get(id)?.object;
}
