/**
 * DesiredProfile → the custom API-only integration Profile. A profile deploy only OVERLAYS the org's profile:
 * a permission left out of the file keeps its old value. So every user permission the profile does not grant
 * is written explicitly false, and the profile carries no object or field access (that lives in permission sets).
 */
import { PORTABLE_USER_PERMISSIONS } from '../salesforce/permissionTiers.js';
import type { DesiredProfile } from '../manifest/types.js';
import { API_ENABLED, API_USER_ONLY } from '../manifest/constants.js';
import { byCodeUnit } from '../manifest/desiredState.js';
import type { ProfileMetadata } from './types.js';

/** The only permissions the integration profile grants. */
export const PROFILE_GRANTS: readonly string[] = [API_ENABLED, API_USER_ONLY];

export type ProfileOptions = {
  /**
   * Every user permission to state (all false except PROFILE_GRANTS). A real org rejects the whole deploy for a name
   * it does not know ("Unknown user permission"), so `apply` and `generate --target-org` pass the target org's own
   * describe here; the default (offline `generate`) is PORTABLE_USER_PERMISSIONS, the names every edition has.
   */
  userPermissions?: readonly string[];
  /** User license name; the custom profile is on the full Salesforce license. */
  userLicense?: string;
};

export function buildProfile(profile: DesiredProfile, options: ProfileOptions = {}): ProfileMetadata {
  const names = new Set([...(options.userPermissions ?? PORTABLE_USER_PERMISSIONS), ...PROFILE_GRANTS]);
  return {
    custom: true,
    description: profile.description,
    loginIpRanges: profile.loginIpRanges.map((range) => ({
      ...(range.description !== undefined ? { description: range.description } : {}),
      endAddress: range.end,
      startAddress: range.start,
    })),
    userLicense: options.userLicense ?? 'Salesforce',
    userPermissions: [...names].sort(byCodeUnit).map((name) => ({ enabled: PROFILE_GRANTS.includes(name), name })),
  };
}

/** A component failure of a deploy, as src/org/deploy reports it. */
export type DeployFailure = { type: string; fullName: string; problemType?: string; problem: string };

/**
 * The explicit-false user permissions of the generated profile that a failed deploy rejects, when dropping them is
 * all it takes: every failure is an error on this profile that names one or more of the names we stated false (an
 * org rejects a permission it does not have, "Unknown user permission: X", forcedotcom/cli#1529). Keyed on the
 * component and on our own API names found in the problem as whole words, never on the message's wording. Granted
 * names (API Enabled, API Only User) are never dropped. Empty when anything else failed.
 */
export function rejectedExplicitFalsePermissions(failures: readonly DeployFailure[], profile: { fullName: string; userPermissions: readonly UserPermissionLike[] }): string[] {
  const stated = new Set(profile.userPermissions.filter((p) => !p.enabled).map((p) => p.name));
  const rejected = new Set<string>();
  for (const failure of failures) {
    if (failure.type !== 'Profile' || failure.fullName !== profile.fullName || failure.problemType === 'Warning') return [];
    const named = failure.problem.split(/[^A-Za-z0-9_]+/).filter((word) => stated.has(word));
    if (named.length === 0) return [];
    for (const name of named) rejected.add(name);
  }
  return [...rejected].sort(byCodeUnit);
}

type UserPermissionLike = { enabled: boolean; name: string };
