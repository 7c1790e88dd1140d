/**
 * The dangerous system permissions, by audit rule, in ONE place: the audit rules report them and the
 * manifest refuses them unless an app lists them under `elevated` with a written justification.
 *
 * Names are Metadata API user permission names (no `Permissions` prefix), as in the AccessModel.
 * Tiers follow DESIGN.md's rule table; IU-PRIV-006 is this plugin's own choice (see below).
 */

export type DangerousPermissionRule = 'IU-PRIV-002' | 'IU-PRIV-003' | 'IU-PRIV-005' | 'IU-PRIV-006';

/** IU-PRIV-002, severity 1: admin-grade power over the whole org's data or configuration. */
export const ADMIN_PERMISSIONS: readonly string[] = [
  'AuthorApex',
  'CustomizeApplication',
  'ManageProfilesPermissionsets',
  'ModifyAllData',
  'ModifyMetadata',
  'ViewAllData',
];

/** IU-PRIV-003, severity 1: permissions that let the holder take over other identities. */
export const IDENTITY_TAKEOVER_PERMISSIONS: readonly string[] = [
  'AssignPermissionSets',
  'ManageInternalUsers',
  'ManagePasswordPolicies',
  'ManageTwoFactor',
  'ManageUsers',
  'ResetPasswords',
];

/** IU-PRIV-005, severity 2: bulk export or destruction of data. */
export const BULK_EXPORT_PERMISSIONS: readonly string[] = [
  'BulkApiHardDelete',
  'DataExport',
  'ExportReport',
  'QueryAllFiles',
  'ViewAllUsers',
];

/**
 * IU-PRIV-006, severity 4: UI or setup permissions that an API-only identity never needs.
 * Chosen as: Setup and its read views (ViewSetup, ViewRoles, ViewAllProfiles, ViewHealthCheck,
 * ViewEventLogFiles), installing packages, and the Lightning Experience / Chatter UI switches.
 * Each exists in the v57 PermissionSet describe. They are not refused by the manifest (low severity),
 * only reported by the audit.
 */
export const UI_SETUP_PERMISSIONS: readonly string[] = [
  'ChatterInternalUser',
  'InstallPackaging',
  'LightningExperienceUser',
  'ViewAllProfiles',
  'ViewEventLogFiles',
  'ViewHealthCheck',
  'ViewRoles',
  'ViewSetup',
];

export const PERMISSION_TIERS: Readonly<Record<DangerousPermissionRule, readonly string[]>> = {
  'IU-PRIV-002': ADMIN_PERMISSIONS,
  'IU-PRIV-003': IDENTITY_TAKEOVER_PERMISSIONS,
  'IU-PRIV-005': BULK_EXPORT_PERMISSIONS,
  'IU-PRIV-006': UI_SETUP_PERMISSIONS,
};

/** Permissions the manifest refuses unless elevated with a justification (IU-PRIV-002, 003, 005). */
export const ELEVATION_REQUIRED_PERMISSIONS: readonly string[] = [
  ...ADMIN_PERMISSIONS,
  ...IDENTITY_TAKEOVER_PERMISSIONS,
  ...BULK_EXPORT_PERMISSIONS,
].sort();

/** The audit rule whose tier holds a permission (case-insensitive), or undefined when it is in none. */
export function dangerousPermissionRule(permission: string): DangerousPermissionRule | undefined {
  const wanted = permission.toLowerCase();
  for (const [rule, names] of Object.entries(PERMISSION_TIERS) as Array<[DangerousPermissionRule, readonly string[]]>) {
    if (names.some((name) => name.toLowerCase() === wanted)) return rule;
  }
  return undefined;
}

export function requiresElevation(permission: string): boolean {
  const rule = dangerousPermissionRule(permission);
  return rule !== undefined && rule !== 'IU-PRIV-006';
}
