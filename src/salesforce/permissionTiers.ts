/**
 * The dangerous system permissions, by audit rule, in ONE place: the audit rules report them and the
 * manifest refuses them unless an app lists them under `elevated` with a written justification.
 *
 * Names are Metadata API user permission names (no `Permissions` prefix), as in the AccessModel.
 * Tiers follow the rule severities of docs/rules.md; IU-PRIV-006 is this plugin's own choice (see below).
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
 * Each exists in the bundled (API v64.0) PermissionSet describe. They are not refused by the manifest (low severity),
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

/**
 * User permissions that every edition the plugin can work in has (an integration user needs the API: Enterprise,
 * Performance, Unlimited, Developer, and Professional with API access). An offline profile states only these, because
 * an org rejects the whole profile deploy for one name it does not know ("Unknown user permission: X";
 * forcedotcom/cli#1529, SFDO-Community/declarative-lookup-rollup-summaries#58) and "the user permissions available
 * vary according to which edition you have" (help: platform.admin_userperms.htm). Why these are safe:
 * ApiEnabled, ApiUserOnly: the API switches every API-capable edition has (help: platform.integration_user.htm,
 * "Give Integration Users API Only Access", Enterprise, Unlimited, Performance and Developer Editions; both are Profile
 * fields in the field reference of API 50.0, sfFieldRef 226.0 "Profile", as are AssignPermissionSets, AuthorApex and
 * BulkApiHardDelete). The IU-PRIV-002/003/005 tiers above: core Setup, user-management and data permissions (help
 * article 000386319 "User Profile permission descriptions" lists them for every edition with profiles); per-permission
 * edition notes:
 * QueryAllFiles "Group, Professional, Enterprise, Performance, Unlimited, Contact Manager, and Developer"
 * (help: experience.collab_files_query.htm); ManageTwoFactor "Professional, Enterprise, Unlimited, and Developer"
 * (help article 000395168, which adds that Support may have to activate it: UNVERIFIED that every such org lists
 * it in its describe); ModifyMetadata "Enterprise, Unlimited, or Developer" for Metadata API use, the permission
 * itself also in Professional and Performance (help: platform.meta_modify_metadata_perm.htm; Winter '19 release notes
 * rn_api_meta_modify_metadata.htm); permission sets and their assignment in every edition from Essentials up
 * (help: platform.perm_sets_create.htm).
 * Industry-cloud and add-on permissions (banking, wealth, FSC, omnichannel inventory, …) are left out: only `--target-org`
 * (the org's own PermissionSet describe) gives the complete explicit-false list.
 */
export const PORTABLE_USER_PERMISSIONS: readonly string[] = ['ApiEnabled', 'ApiUserOnly', ...ELEVATION_REQUIRED_PERMISSIONS].sort();

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
