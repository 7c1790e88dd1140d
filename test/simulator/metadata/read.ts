/* listMetadata and readMetadata for Profile, PermissionSet, PermissionSetGroup: metadata built from the org's rows. */
import type { OrgStore, Row } from '../store.js';
import { childRows, findGroup, findPermissionSet, findProfile, licenseLabel, ownedPermissionSet, profileFullName } from './orgAccess.js';
import type { XmlNode, XmlValue } from './soap.js';
import { isEcaType, listEca, readEca } from './externalClientApps.js';

export type FileProperties = XmlNode;

function fileProperties(store: OrgStore, type: string, fullName: string, fileName: string, row: Row): FileProperties {
  const admin = store.get(store.runningUserId)?.row;
  return {
    createdById: String(row.CreatedById ?? store.runningUserId),
    createdByName: String(admin?.Name ?? ''),
    createdDate: String(row.CreatedDate ?? new Date().toISOString()),
    fileName,
    fullName,
    id: String(row.Id),
    lastModifiedById: String(row.LastModifiedById ?? store.runningUserId),
    lastModifiedByName: String(admin?.Name ?? ''),
    lastModifiedDate: String(row.LastModifiedDate ?? new Date().toISOString()),
    manageableState: 'unmanaged',
    type,
  };
}

export function listMetadata(store: OrgStore, types: string[]): FileProperties[] {
  const result: FileProperties[] = [];
  for (const type of types) {
    if (type === 'Profile') {
      for (const p of store.rows('Profile')) result.push(fileProperties(store, type, profileFullName(p), `profiles/${profileFullName(p)}.profile`, p));
    } else if (type === 'PermissionSet') {
      for (const p of store.rows('PermissionSet').filter((r) => !r.IsOwnedByProfile && r.Type !== 'Group')) {
        result.push(fileProperties(store, type, String(p.Name), `permissionsets/${String(p.Name)}.permissionset`, p));
      }
    } else if (isEcaType(type)) {
      for (const c of listEca(store, type)) result.push(fileProperties(store, type, c.fullName, c.fileName, c.row));
    } else if (type === 'PermissionSetGroup') {
      for (const g of store.rows('PermissionSetGroup')) result.push(fileProperties(store, type, String(g.DeveloperName), `permissionsetgroups/${String(g.DeveloperName)}.permissionsetgroup`, g));
    }
  }
  return result;
}

function grants(store: OrgStore, holder: Row, profileStyle: boolean): XmlNode {
  const objectPermissions = childRows(store, 'ObjectPermissions', holder.Id)
    .sort((a, b) => String(a.SobjectType).localeCompare(String(b.SobjectType)))
    .map((r) => ({
      allowCreate: Boolean(r.PermissionsCreate),
      allowDelete: Boolean(r.PermissionsDelete),
      allowEdit: Boolean(r.PermissionsEdit),
      allowRead: Boolean(r.PermissionsRead),
      modifyAllRecords: Boolean(r.PermissionsModifyAllRecords),
      object: String(r.SobjectType),
      viewAllFields: Boolean(r.PermissionsViewAllFields),
      viewAllRecords: Boolean(r.PermissionsViewAllRecords),
    }));
  const fieldPermissions = childRows(store, 'FieldPermissions', holder.Id)
    .sort((a, b) => String(a.Field).localeCompare(String(b.Field)))
    .map((r) => ({ editable: Boolean(r.PermissionsEdit), field: String(r.Field), readable: Boolean(r.PermissionsRead) }));
  const classAccesses = childRows(store, 'SetupEntityAccess', holder.Id)
    .filter((r) => r.SetupEntityType === 'ApexClass')
    .map((r) => ({ apexClass: String(store.get(String(r.SetupEntityId))?.row.Name ?? r.SetupEntityId), enabled: true }))
    .sort((a, b) => a.apexClass.localeCompare(b.apexClass));
  const userPermissions = Object.keys(holder)
    .filter((k) => k.startsWith('Permissions') && holder[k] === true)
    .sort()
    .map((k) => ({ enabled: true, name: k.slice('Permissions'.length) }));
  void profileStyle;
  return { classAccesses, fieldPermissions, objectPermissions, userPermissions };
}

function readProfile(store: OrgStore, fullName: string): XmlNode {
  const profile = findProfile(store, fullName);
  if (!profile) return {};
  const owned = ownedPermissionSet(store, profile.Id);
  const g = owned ? grants(store, owned, true) : {};
  const ranges = store.loginIpRanges.get(String(profile.Id)) ?? [];
  return {
    fullName: profileFullName(profile),
    classAccesses: g.classAccesses,
    custom: Boolean(owned?.IsCustom),
    description: (profile.Description as XmlValue) ?? undefined,
    fieldPermissions: g.fieldPermissions,
    loginIpRanges: ranges.map((r) => ({ ...(r.description ? { description: r.description } : {}), endAddress: r.endAddress, startAddress: r.startAddress })),
    objectPermissions: g.objectPermissions,
    userLicense: licenseLabel(store, profile.UserLicenseId),
    userPermissions: g.userPermissions,
  };
}

function readPermissionSet(store: OrgStore, fullName: string): XmlNode {
  const ps = findPermissionSet(store, fullName);
  if (!ps) return {};
  const g = grants(store, ps, false);
  return {
    fullName: String(ps.Name),
    classAccesses: g.classAccesses,
    description: (ps.Description as XmlValue) ?? undefined,
    fieldPermissions: g.fieldPermissions,
    hasActivationRequired: Boolean(ps.HasActivationRequired),
    label: String(ps.Label),
    license: licenseLabel(store, ps.LicenseId),
    objectPermissions: g.objectPermissions,
    userPermissions: g.userPermissions,
  };
}

function readGroup(store: OrgStore, fullName: string): XmlNode {
  const group = findGroup(store, fullName);
  if (!group) return {};
  const members = store.rows('PermissionSetGroupComponent').filter((c) => c.PermissionSetGroupId === group.Id).map((c) => store.get(String(c.PermissionSetId)));
  return {
    fullName: String(group.DeveloperName),
    description: (group.Description as XmlValue) ?? undefined,
    label: String(group.MasterLabel),
    mutingPermissionSets: members.filter((m) => m?.object === 'MutingPermissionSet').map((m) => String(m!.row.DeveloperName)),
    permissionSets: members.filter((m) => m?.object === 'PermissionSet').map((m) => String(m!.row.Name)),
    status: String(group.Status ?? 'Updated'),
  };
}

/** Records in request order; a name that does not exist gives an empty record (no fullName). */
export function readMetadata(store: OrgStore, type: string, fullNames: string[]): XmlNode[] {
  return fullNames.map((name) =>
    type === 'Profile'
      ? readProfile(store, name)
      : type === 'PermissionSet'
      ? readPermissionSet(store, name)
      : type === 'PermissionSetGroup'
      ? readGroup(store, name)
      : isEcaType(type)
      ? readEca(store, type, name)
      : {}
  );
}
