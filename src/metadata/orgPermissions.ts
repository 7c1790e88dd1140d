/** The user permission names an org knows, from its PermissionSet describe (pure part; the call is in src/org). */

/** `PermissionsApiEnabled` → `ApiEnabled`; sorted, unique. */
export function userPermissionsFromDescribe(permissionFields: readonly string[]): string[] {
  const names = permissionFields.filter((field) => field.startsWith('Permissions') && field.length > 'Permissions'.length).map((field) => field.slice('Permissions'.length));
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
