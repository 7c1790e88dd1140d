/** DesiredApp → PermissionSet metadata. A permission set deploy REPLACES the set, so this is its whole content. */
import type { DesiredApp } from '../manifest/types.js';
import { byCodeUnit } from '../manifest/desiredState.js';
import type { PermissionSetMetadata } from './types.js';

export type PermissionSetOptions = {
  /** License the set is tied to: 'Salesforce API Integration' for the integration license; undefined = none. */
  license?: string;
};

export function buildPermissionSet(app: DesiredApp, options: PermissionSetOptions = {}): PermissionSetMetadata {
  return {
    classAccesses: [...app.apexClasses].sort(byCodeUnit).map((apexClass) => ({ apexClass, enabled: true })),
    description: app.permissionSet.description,
    fieldPermissions: [...app.fields]
      .sort((a, b) => byCodeUnit(a.field, b.field))
      .map((field) => ({ editable: field.edit, field: field.field, readable: field.read })),
    hasActivationRequired: false,
    label: app.permissionSet.label,
    ...(options.license !== undefined ? { license: options.license } : {}),
    objectPermissions: [...app.objects]
      .sort((a, b) => byCodeUnit(a.object, b.object))
      .map((access) => ({
        allowCreate: access.create,
        allowDelete: access.delete,
        allowEdit: access.edit,
        allowRead: access.read,
        modifyAllRecords: access.modifyAll,
        object: access.object,
        viewAllRecords: access.viewAll,
      })),
    userPermissions: [...new Set(app.systemPermissions)].sort(byCodeUnit).map((name) => ({ enabled: true, name })),
  };
}
