/*
 * Applies deployed access metadata to the org's rows. A permission set (and a muting set, a group) is REPLACED by
 * its file; a profile is OVERLAID: only the elements present in the file change (docs: meta_profile, meta_permissionset).
 */
import type { OrgStore, Row } from '../store.js';
import type { Component } from './components.js';
import { apexClassByName, childRows, findGroup, findLicense, findMuting, findPermissionSet, findProfile, findUserLicense, ownedPermissionSet } from './orgAccess.js';
import { bool, list, text, type XmlNode } from './soap.js';
import { applyEca } from './externalClientApps.js';

export type ApplyResult = { id: string; created: boolean; changed: boolean };

const stamp = (): string => new Date().toISOString().replace('Z', '+0000');

const OBJECT_FLAGS: Array<[string, string]> = [
  ['allowRead', 'PermissionsRead'],
  ['allowCreate', 'PermissionsCreate'],
  ['allowEdit', 'PermissionsEdit'],
  ['allowDelete', 'PermissionsDelete'],
  ['viewAllRecords', 'PermissionsViewAllRecords'],
  ['modifyAllRecords', 'PermissionsModifyAllRecords'],
  ['viewAllFields', 'PermissionsViewAllFields'],
];

function permissionFieldNames(store: OrgStore, objectName: string): string[] {
  return store.schema.object(objectName)!.fields.filter((f) => f.name.startsWith('Permissions') && f.type === 'boolean').map((f) => f.name);
}

/** A stable picture of what a holder grants, to tell "changed" from "unchanged". */
export function fingerprint(store: OrgStore, holder: Row | undefined, extra: unknown = null): string {
  if (!holder) return '';
  const own = Object.keys(holder)
    .filter((k) => k.startsWith('Permissions') || ['Label', 'MasterLabel', 'Description', 'LicenseId', 'HasActivationRequired', 'Name'].includes(k))
    .sort()
    .map((k) => `${k}=${String(holder[k])}`);
  const children = ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess'].flatMap((objectName) =>
    childRows(store, objectName, holder.Id)
      .map((r) => `${objectName}:${String(r.SobjectType ?? '')}:${String(r.Field ?? '')}:${String(r.SetupEntityId ?? '')}:${OBJECT_FLAGS.map(([, f]) => String(r[f] ?? '')).join(',')}:${String(r.PermissionsRead)}${String(r.PermissionsEdit)}`)
      .sort()
  );
  return JSON.stringify([own, children, extra]);
}

function objectPermissionValues(node: XmlNode): Row {
  const values: Row = {};
  for (const [element, field] of OBJECT_FLAGS) values[field] = bool(node[element]);
  return values;
}

/** Sets one object's permissions on a holder: updates the row, or removes it when nothing is granted. */
function putObjectPermission(store: OrgStore, parentId: string, node: XmlNode): void {
  const objectName = store.schema.object(text(node.object))!.name;
  const values = objectPermissionValues(node);
  const existing = childRows(store, 'ObjectPermissions', parentId).find((r) => r.SobjectType === objectName);
  const grantsAnything = OBJECT_FLAGS.some(([, f]) => values[f] === true);
  if (!grantsAnything) {
    if (existing) store.remove(String(existing.Id));
    return;
  }
  if (existing) store.update(String(existing.Id), { ...values, SystemModstamp: stamp(), LastModifiedDate: stamp() });
  else store.insert('ObjectPermissions', { ParentId: parentId, SobjectType: objectName, ...values, CreatedDate: stamp(), LastModifiedDate: stamp(), SystemModstamp: stamp(), CreatedById: store.runningUserId, LastModifiedById: store.runningUserId });
}

function putFieldPermission(store: OrgStore, parentId: string, node: XmlNode): void {
  const [objectName, fieldName] = text(node.field).split('.');
  const object = store.schema.object(objectName)!.name;
  const field = `${object}.${store.schema.field(object, fieldName)!.name}`;
  const editable = bool(node.editable);
  const readable = bool(node.readable) || editable;
  const existing = childRows(store, 'FieldPermissions', parentId).find((r) => r.Field === field);
  if (!readable) {
    if (existing) store.remove(String(existing.Id));
    return;
  }
  if (existing) store.update(String(existing.Id), { PermissionsRead: readable, PermissionsEdit: editable, SystemModstamp: stamp() });
  else store.insert('FieldPermissions', { ParentId: parentId, SobjectType: object, Field: field, PermissionsRead: readable, PermissionsEdit: editable, SystemModstamp: stamp() });
}

function putClassAccess(store: OrgStore, parentId: string, node: XmlNode): void {
  const apexClass = apexClassByName(store, text(node.apexClass))!;
  const existing = childRows(store, 'SetupEntityAccess', parentId).find((r) => r.SetupEntityId === apexClass.Id);
  if (bool(node.enabled) && !existing) store.insert('SetupEntityAccess', { ParentId: parentId, SetupEntityId: apexClass.Id, SetupEntityType: 'ApexClass', SystemModstamp: stamp() });
  if (!bool(node.enabled) && existing) store.remove(String(existing.Id));
}

function enabledPermissions(content: XmlNode): Row {
  const values: Row = {};
  for (const entry of list(content.userPermissions)) values[`Permissions${text((entry as XmlNode).name)}`] = bool((entry as XmlNode).enabled);
  return values;
}

/** Replaces every grant of a holder with the file's content. */
function replaceGrants(store: OrgStore, holder: Row, content: XmlNode): void {
  const id = String(holder.Id);
  const objects = list(content.objectPermissions).map((n) => n as XmlNode);
  const wantedObjects = new Set(objects.map((n) => store.schema.object(text(n.object))!.name));
  for (const r of childRows(store, 'ObjectPermissions', id)) if (!wantedObjects.has(String(r.SobjectType))) store.remove(String(r.Id));
  for (const node of objects) putObjectPermission(store, id, node);
  const fields = list(content.fieldPermissions).map((n) => n as XmlNode);
  const wantedFields = new Set(fields.map((n) => text(n.field).toLowerCase()));
  for (const r of childRows(store, 'FieldPermissions', id)) if (!wantedFields.has(String(r.Field).toLowerCase())) store.remove(String(r.Id));
  for (const node of fields) putFieldPermission(store, id, node);
  const classes = list(content.classAccesses).map((n) => n as XmlNode).filter((n) => bool(n.enabled));
  const wantedClasses = new Set(classes.map((n) => String(apexClassByName(store, text(n.apexClass))!.Id)));
  for (const r of childRows(store, 'SetupEntityAccess', id)) if (r.SetupEntityType === 'ApexClass' && !wantedClasses.has(String(r.SetupEntityId))) store.remove(String(r.Id));
  for (const node of classes) putClassAccess(store, id, node);
}

function allPermissionsOff(store: OrgStore, objectName: string): Row {
  return Object.fromEntries(permissionFieldNames(store, objectName).map((f) => [f, false]));
}

function applyPermissionSet(store: OrgStore, component: Component): ApplyResult {
  const { content } = component;
  let holder = findPermissionSet(store, component.fullName);
  const before = fingerprint(store, holder);
  const license = text(content.license);
  const fields: Row = {
    Label: text(content.label),
    Description: text(content.description) || null,
    LicenseId: license ? String(findLicense(store, license)!.Id) : null,
    HasActivationRequired: bool(content.hasActivationRequired),
    ...allPermissionsOff(store, 'PermissionSet'),
    ...enabledPermissions(content),
    LastModifiedDate: stamp(),
    SystemModstamp: stamp(),
  };
  const created = !holder;
  if (holder) store.update(String(holder.Id), fields);
  else {
    holder = store.insert('PermissionSet', {
      Name: component.fullName,
      IsOwnedByProfile: false,
      ProfileId: null,
      IsCustom: true,
      Type: 'Regular',
      NamespacePrefix: null,
      PermissionSetGroupId: null,
      CreatedDate: stamp(),
      CreatedById: store.runningUserId,
      LastModifiedById: store.runningUserId,
      ...fields,
    });
  }
  replaceGrants(store, holder, content);
  // groups that contain the set recalculate
  for (const c of store.rows('PermissionSetGroupComponent').filter((r) => r.PermissionSetId === holder.Id)) {
    if (!created && c.PermissionSetGroupId) store.update(String(c.PermissionSetGroupId), { Status: 'Updated', LastModifiedDate: stamp() });
  }
  return { id: String(holder.Id), created, changed: created || before !== fingerprint(store, holder) };
}

function applyMutingPermissionSet(store: OrgStore, component: Component): ApplyResult {
  const { content } = component;
  let holder = findMuting(store, component.fullName);
  const before = fingerprint(store, holder);
  const fields: Row = { MasterLabel: text(content.label), ...allPermissionsOff(store, 'MutingPermissionSet'), ...enabledPermissions(content), LastModifiedDate: stamp(), SystemModstamp: stamp() };
  const created = !holder;
  if (holder) store.update(String(holder.Id), fields);
  else holder = store.insert('MutingPermissionSet', { DeveloperName: component.fullName, Language: 'en_US', IsDeleted: false, CreatedDate: stamp(), CreatedById: store.runningUserId, LastModifiedById: store.runningUserId, ...fields });
  replaceGrants(store, holder, content);
  return { id: String(holder.Id), created, changed: created || before !== fingerprint(store, holder) };
}

function applyGroup(store: OrgStore, component: Component): ApplyResult {
  const { content } = component;
  let group = findGroup(store, component.fullName);
  const members = (): string[] =>
    store
      .rows('PermissionSetGroupComponent')
      .filter((c) => c.PermissionSetGroupId === group?.Id)
      .map((c) => String(c.PermissionSetId))
      .sort();
  const before = group ? JSON.stringify([group.MasterLabel, group.Description, members()]) : '';
  const fields: Row = { MasterLabel: text(content.label), Description: text(content.description) || null, HasActivationRequired: bool(content.hasActivationRequired), Status: 'Updated', LastModifiedDate: stamp(), SystemModstamp: stamp() };
  const created = !group;
  if (group) store.update(String(group.Id), fields);
  else {
    group = store.insert('PermissionSetGroup', { DeveloperName: component.fullName, Language: 'en_US', NamespacePrefix: null, IsDeleted: false, CreatedDate: stamp(), CreatedById: store.runningUserId, LastModifiedById: store.runningUserId, ...fields });
    store.insert('PermissionSet', {
      ...allPermissionsOff(store, 'PermissionSet'),
      Name: component.fullName,
      Label: text(content.label),
      IsOwnedByProfile: false,
      ProfileId: null,
      IsCustom: true,
      LicenseId: null,
      Type: 'Group',
      NamespacePrefix: null,
      HasActivationRequired: false,
      PermissionSetGroupId: group.Id,
    });
  }
  const wanted = [
    ...list(content.permissionSets).map((n) => String(findPermissionSet(store, text(n))!.Id)),
    ...list(content.mutingPermissionSets).map((n) => String(findMuting(store, text(n))!.Id)),
  ];
  const groupId = String(group.Id);
  for (const c of store.rows('PermissionSetGroupComponent').filter((r) => r.PermissionSetGroupId === groupId)) {
    if (!wanted.includes(String(c.PermissionSetId))) store.remove(String(c.Id));
  }
  for (const id of wanted) {
    if (!store.rows('PermissionSetGroupComponent').some((c) => c.PermissionSetGroupId === groupId && c.PermissionSetId === id)) {
      store.insert('PermissionSetGroupComponent', { PermissionSetGroupId: groupId, PermissionSetId: id, IsDeleted: false, CreatedDate: stamp(), SystemModstamp: stamp() });
    }
  }
  const after = JSON.stringify([group.MasterLabel, group.Description, members()]);
  return { id: groupId, created, changed: created || before !== after };
}

function applyProfile(store: OrgStore, component: Component): ApplyResult {
  const { content } = component;
  let profile = findProfile(store, component.fullName);
  let owned = profile ? ownedPermissionSet(store, profile.Id) : undefined;
  const rangesBefore = profile ? JSON.stringify(store.loginIpRanges.get(String(profile.Id)) ?? []) : '';
  const before = fingerprint(store, owned, [profile?.Description ?? null, rangesBefore]);
  const created = !profile;
  if (!profile) {
    const license = findUserLicense(store, text(content.userLicense))!;
    profile = store.insert('Profile', {
      ...allPermissionsOff(store, 'Profile'),
      Name: component.fullName,
      UserLicenseId: license.Id,
      UserType: 'Standard',
      Description: text(content.description) || null,
      CreatedDate: stamp(),
      LastModifiedDate: stamp(),
      SystemModstamp: stamp(),
      CreatedById: store.runningUserId,
      LastModifiedById: store.runningUserId,
    });
    const id15 = String(profile.Id).slice(0, 15);
    owned = store.insert('PermissionSet', {
      ...allPermissionsOff(store, 'PermissionSet'),
      Name: `X${id15}`,
      Label: `X${id15}`,
      IsOwnedByProfile: true,
      ProfileId: profile.Id,
      IsCustom: true,
      LicenseId: license.Id,
      Type: 'Profile',
      NamespacePrefix: null,
      HasActivationRequired: false,
      PermissionSetGroupId: null,
    });
  }
  const profileId = String(profile.Id);
  const holder = owned!;
  const permissions = enabledPermissions(content);
  const profileUpdate: Row = { ...permissions, LastModifiedDate: stamp(), SystemModstamp: stamp() };
  if (content.description !== undefined) profileUpdate.Description = text(content.description) || null;
  store.update(profileId, profileUpdate);
  if (Object.keys(permissions).length) store.update(String(holder.Id), permissions);
  // overlay: only the entries present change
  for (const node of list(content.objectPermissions)) putObjectPermission(store, String(holder.Id), node as XmlNode);
  for (const node of list(content.fieldPermissions)) putFieldPermission(store, String(holder.Id), node as XmlNode);
  for (const node of list(content.classAccesses)) putClassAccess(store, String(holder.Id), node as XmlNode);
  if (content.loginIpRanges !== undefined) {
    const ranges = list(content.loginIpRanges).map((n) => {
      const node = n as XmlNode;
      const description = text(node.description);
      return { startAddress: text(node.startAddress), endAddress: text(node.endAddress), ...(description ? { description } : {}) };
    });
    const previous = store.loginIpRanges.get(profileId);
    store.loginIpRanges.set(profileId, ranges);
    // login IP ranges live outside the rows: undo them with the rest if the deploy rolls back
    store.onUndo(() => (previous ? store.loginIpRanges.set(profileId, previous) : store.loginIpRanges.delete(profileId)));
  }
  const after = fingerprint(store, holder, [profile.Description ?? null, JSON.stringify(store.loginIpRanges.get(profileId) ?? [])]);
  return { id: profileId, created, changed: created || before !== after };
}

export function applyComponent(store: OrgStore, component: Component): ApplyResult {
  switch (component.type) {
    case 'PermissionSet':
      return applyPermissionSet(store, component);
    case 'MutingPermissionSet':
      return applyMutingPermissionSet(store, component);
    case 'PermissionSetGroup':
      return applyGroup(store, component);
    case 'Profile':
      return applyProfile(store, component);
    default:
      return applyEca(store, component);
  }
}

/** Apply order: sets before the groups that name them; profiles last. */
export const APPLY_ORDER: Record<Component['type'], number> = {
  PermissionSet: 0,
  MutingPermissionSet: 1,
  PermissionSetGroup: 2,
  Profile: 3,
  // an External Client App's header before the components that name it
  ExternalClientApplication: 4,
  ExtlClntAppOauthSettings: 5,
  ExtlClntAppGlobalOauthSettings: 5,
  ExtlClntAppOauthConfigurablePolicies: 6,
};
