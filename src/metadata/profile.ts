/**
 * DesiredProfile → the custom API-only integration Profile. A profile deploy only OVERLAYS the org's profile:
 * a permission left out of the file keeps its old value. So every user permission the profile does not grant
 * is written explicitly false, and the profile carries no object or field access (that lives in permission sets).
 */
import type { DesiredProfile } from '../manifest/types.js';
import { API_ENABLED, API_USER_ONLY } from '../manifest/constants.js';
import { byCodeUnit } from '../manifest/desiredState.js';
import type { ProfileMetadata } from './types.js';
import { KNOWN_USER_PERMISSIONS } from './userPermissions.js';

/** The only permissions the integration profile grants. */
export const PROFILE_GRANTS: readonly string[] = [API_ENABLED, API_USER_ONLY];

export type ProfileOptions = {
  /**
   * Every user permission to state (all false except PROFILE_GRANTS). Default: the v57 describe's list.
   * A real org rejects a name it does not know ("Unknown user permission"), so `apply` passes the target org's
   * own describe here; `generate` (no org) uses the default.
   */
  userPermissions?: readonly string[];
  /** User license name; the custom profile is on the full Salesforce license. */
  userLicense?: string;
};

export function buildProfile(profile: DesiredProfile, options: ProfileOptions = {}): ProfileMetadata {
  const names = new Set([...(options.userPermissions ?? KNOWN_USER_PERMISSIONS), ...PROFILE_GRANTS]);
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
