import { expect } from 'chai';
import { userPermissionsFromDescribe } from '../../../src/metadata/orgPermissions.js';

describe('metadata: user permissions from an org describe', () => {
  it('strips the Permissions prefix, drops other fields, sorts and de-duplicates', () => {
    expect(userPermissionsFromDescribe(['Id', 'PermissionsViewSetup', 'Permissions', 'PermissionsApiEnabled', 'Name', 'PermissionsViewSetup'])).to.deep.equal([
      'ApiEnabled',
      'ViewSetup',
    ]);
  });
});
