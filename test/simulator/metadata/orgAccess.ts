/* Lookups between metadata names and the org's rows (profiles, permission sets, groups, licenses). */
import type { OrgStore, Row } from '../store.js';

/** Standard profiles whose metadata fullName differs from their Name. */
const PROFILE_METADATA_NAMES: Record<string, string> = {
  'System Administrator': 'Admin',
  'Standard User': 'Standard',
  'Standard Platform User': 'StandardAul',
  'Read Only': 'ReadOnly',
  'Contract Manager': 'ContractManager',
  'Marketing User': 'MarketingProfile',
  'Solution Manager': 'SolutionManager',
};

const lower = (v: unknown): string => String(v ?? '').toLowerCase();

export function profileFullName(profile: Row): string {
  return PROFILE_METADATA_NAMES[String(profile.Name)] ?? String(profile.Name);
}

export function findProfile(store: OrgStore, fullName: string): Row | undefined {
  const wanted = lower(fullName);
  return store.rows('Profile').find((p) => lower(profileFullName(p)) === wanted || lower(p.Name) === wanted);
}

export function ownedPermissionSet(store: OrgStore, profileId: unknown): Row | undefined {
  return store.rows('PermissionSet').find((p) => p.IsOwnedByProfile === true && p.ProfileId === profileId);
}

/** A regular permission set (not profile-owned, not a group's aggregate) by API name. */
export function findPermissionSet(store: OrgStore, name: string): Row | undefined {
  const wanted = lower(name);
  return store.rows('PermissionSet').find((p) => !p.IsOwnedByProfile && p.Type !== 'Group' && lower(p.Name) === wanted);
}

export function findGroup(store: OrgStore, name: string): Row | undefined {
  return store.rows('PermissionSetGroup').find((g) => lower(g.DeveloperName) === lower(name));
}

export function findMuting(store: OrgStore, name: string): Row | undefined {
  return store.rows('MutingPermissionSet').find((m) => lower(m.DeveloperName) === lower(name));
}

/** A license named in metadata: a UserLicense (Name/MasterLabel) or a PermissionSetLicense (MasterLabel/DeveloperName). */
export function findLicense(store: OrgStore, label: string): Row | undefined {
  const wanted = lower(label);
  return (
    store.rows('UserLicense').find((l) => lower(l.Name) === wanted || lower(l.MasterLabel) === wanted) ??
    store.rows('PermissionSetLicense').find((l) => lower(l.MasterLabel) === wanted || lower(l.DeveloperName) === wanted)
  );
}

export function findUserLicense(store: OrgStore, label: string): Row | undefined {
  const wanted = lower(label);
  return store.rows('UserLicense').find((l) => lower(l.Name) === wanted || lower(l.MasterLabel) === wanted);
}

/** The label metadata uses for a license Id (UserLicense Name, PSL MasterLabel). */
export function licenseLabel(store: OrgStore, id: unknown): string | undefined {
  const found = typeof id === 'string' ? store.get(id) : undefined;
  if (!found) return undefined;
  return String(found.object === 'UserLicense' ? found.row.Name : found.row.MasterLabel);
}

export function childRows(store: OrgStore, objectName: string, parentId: unknown): Row[] {
  return store.rows(objectName).filter((r) => r.ParentId === parentId);
}

export function apexClassByName(store: OrgStore, name: string): Row | undefined {
  return store.rows('ApexClass').find((c) => lower(c.Name) === lower(name));
}
