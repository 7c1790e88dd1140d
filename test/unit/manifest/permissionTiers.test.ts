import { expect } from 'chai';
import {
  dangerousPermissionRule,
  ELEVATION_REQUIRED_PERMISSIONS,
  PERMISSION_TIERS,
  PORTABLE_USER_PERMISSIONS,
  requiresElevation,
} from '../../../src/salesforce/permissionTiers.js';
import { KNOWN_USER_PERMISSIONS } from '../../../src/salesforce/userPermissions.js';

describe('permission tiers', () => {
  it('lists only permissions the bundled v64 describe knows', () => {
    const known = new Set(KNOWN_USER_PERMISSIONS);
    for (const names of Object.values(PERMISSION_TIERS)) for (const name of names) expect(known.has(name), name).to.equal(true);
  });
  it('the portable list: the two API grants and every tier that needs elevation, each known to the describe, sorted', () => {
    const known = new Set(KNOWN_USER_PERMISSIONS);
    expect(PORTABLE_USER_PERMISSIONS).to.have.length(2 + ELEVATION_REQUIRED_PERMISSIONS.length);
    expect(PORTABLE_USER_PERMISSIONS).to.include.members(['ApiEnabled', 'ApiUserOnly', ...ELEVATION_REQUIRED_PERMISSIONS]);
    for (const name of PORTABLE_USER_PERMISSIONS) expect(known.has(name), name).to.equal(true);
    expect([...PORTABLE_USER_PERMISSIONS]).to.deep.equal([...PORTABLE_USER_PERMISSIONS].sort());
  });
  it('puts each permission in one tier', () => {
    const all = Object.values(PERMISSION_TIERS).flat();
    expect(new Set(all).size).to.equal(all.length);
  });
  it('maps permissions to their audit rule, case-insensitively', () => {
    expect(dangerousPermissionRule('ModifyAllData')).to.equal('IU-PRIV-002');
    expect(dangerousPermissionRule('manageusers')).to.equal('IU-PRIV-003');
    expect(dangerousPermissionRule('DataExport')).to.equal('IU-PRIV-005');
    expect(dangerousPermissionRule('ViewSetup')).to.equal('IU-PRIV-006');
    expect(dangerousPermissionRule('ApiEnabled')).to.equal(undefined);
  });
  it('requires elevation for tiers 002, 003 and 005 only', () => {
    expect(requiresElevation('ViewAllData')).to.equal(true);
    expect(requiresElevation('ResetPasswords')).to.equal(true);
    expect(requiresElevation('BulkApiHardDelete')).to.equal(true);
    expect(requiresElevation('ViewSetup')).to.equal(false);
    expect(ELEVATION_REQUIRED_PERMISSIONS).to.have.length(17);
  });
});
