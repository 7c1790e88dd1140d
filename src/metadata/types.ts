/**
 * Profile and PermissionSet metadata as plain objects whose KEY ORDER is the Metadata API element order
 * (the XSD sequences are alphabetical; retrieve returns that order). The XML writer keeps key order.
 */

export type ClassAccess = { apexClass: string; enabled: boolean };
export type FieldPermission = { editable: boolean; field: string; readable: boolean };
export type ObjectPermission = {
  allowCreate: boolean;
  allowDelete: boolean;
  allowEdit: boolean;
  allowRead: boolean;
  modifyAllRecords: boolean;
  object: string;
  viewAllRecords: boolean;
};
export type UserPermission = { enabled: boolean; name: string };
export type LoginIpRangeMetadata = { description?: string; endAddress: string; startAddress: string };

/** Element order: classAccesses, description, fieldPermissions, hasActivationRequired, label, license, objectPermissions, userPermissions. */
export type PermissionSetMetadata = {
  classAccesses: ClassAccess[];
  description: string;
  fieldPermissions: FieldPermission[];
  hasActivationRequired: boolean;
  label: string;
  license?: string;
  objectPermissions: ObjectPermission[];
  userPermissions: UserPermission[];
};

/** Element order: custom, description, loginIpRanges, userLicense, userPermissions (no object/field access by design). */
export type ProfileMetadata = {
  custom: boolean;
  description: string;
  loginIpRanges: LoginIpRangeMetadata[];
  userLicense: string;
  userPermissions: UserPermission[];
};

export type { GeneratedComponent, MetadataTypeName } from '../salesforce/sourceFormat.js';
