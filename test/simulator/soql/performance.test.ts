import { expect } from 'chai';
import { loadSchema } from '../schema.js';
import { TestStore } from './testStore.js';
import { runSoql } from './index.js';

// Sizes of the large fixture the budgets name: 10,000 users, 2,000 permission sets, ~100,000 grant rows.
const USERS = 10_000;
const PERMISSION_SETS = 2000;
const OBJECT_PERMISSIONS = 100_000;
const ASSIGNMENTS = 30_000;
const OBJECTS = ['Account', 'Contact', 'Opportunity', 'Case', 'Lead', 'Order', 'Invoice__c', 'Product2', 'Asset', 'Campaign'];

function largeOrg(): TestStore {
  const store = new TestStore();
  const license = store.insert('UserLicense', { Name: 'Salesforce Integration' });
  const profile = store.insert('Profile', { Name: 'Minimum Access - API Only Integrations', UserLicenseId: license.Id });
  const users = Array.from({ length: USERS }, (_, i) =>
    store.insert('User', { Username: `user${i}@large.sim`, Name: `User ${i}`, IsActive: i % 10 !== 0, ProfileId: i % 2 ? profile.Id : null })
  );
  const sets = Array.from({ length: PERMISSION_SETS }, (_, i) =>
    store.insert('PermissionSet', { Name: `PS_${i}`, IsOwnedByProfile: i % 50 === 0, PermissionsApiUserOnly: i % 100 === 1 })
  );
  for (let i = 0; i < OBJECT_PERMISSIONS; i++) {
    store.insert('ObjectPermissions', {
      ParentId: sets[i % PERMISSION_SETS].Id,
      SobjectType: OBJECTS[Math.floor(i / PERMISSION_SETS) % OBJECTS.length] + (i >= PERMISSION_SETS * OBJECTS.length ? `_${Math.floor(i / 20_000)}` : ''),
      PermissionsRead: true,
      PermissionsEdit: i % 3 === 0,
      PermissionsModifyAllRecords: i % 97 === 0,
    });
  }
  for (let i = 0; i < ASSIGNMENTS; i++) {
    store.insert('PermissionSetAssignment', { AssigneeId: users[i % USERS].Id, PermissionSetId: sets[(i * 7) % PERMISSION_SETS].Id });
  }
  return store;
}

// No wall-clock bound (no test asserts on time): the time of each query is printed as a figure, and the work done is
// asserted by counting row scans (a per-row re-evaluation of a semi-join or subquery shows there, not as a slow second).

describe('simulator SOQL: performance on a large org', function () {
  this.timeout(60_000);
  const schema = loadSchema();
  let store: TestStore;

  before(() => {
    store = largeOrg();
  });

  const timed = (soql: string): { totalSize: number } => {
    const started = performance.now();
    const result = runSoql(soql, schema, store);
    const ms = performance.now() - started;
    // eslint-disable-next-line no-console -- the measured time is printed as a figure, never asserted
    console.log(`      ${ms.toFixed(0)} ms, ${result.totalSize} rows: ${soql.slice(0, 110)}`);
    return { totalSize: result.totalSize };
  };

  it('filters and orders 100,000 ObjectPermissions rows', () => {
    const { totalSize } = timed(
      "SELECT Id, ParentId, SobjectType, PermissionsRead, PermissionsEdit, Parent.Name FROM ObjectPermissions WHERE PermissionsRead = true AND SobjectType != 'Lead' ORDER BY Parent.Name, SobjectType DESC"
    );
    expect(totalSize).to.equal(OBJECT_PERMISSIONS - OBJECT_PERMISSIONS / OBJECTS.length / 5);
  });

  it('evaluates a semi-join once, not per row', () => {
    const { totalSize } = timed(
      'SELECT Id, ParentId, SobjectType FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE Assignee.IsActive = true AND PermissionSet.IsOwnedByProfile = false) ORDER BY SobjectType'
    );
    expect(totalSize).to.be.greaterThan(0);
  });

  it('answers 10,000 users with their assignments as a child subquery', () => {
    const { totalSize } = timed(
      'SELECT Id, Username, Profile.Name, Profile.UserLicense.Name, (SELECT PermissionSetId, PermissionSet.PermissionsApiUserOnly FROM PermissionSetAssignments) FROM User WHERE IsActive = true ORDER BY Username'
    );
    expect(totalSize).to.equal(USERS - USERS / 10);
  });

  it('counts without building records', () => {
    const { totalSize } = timed("SELECT COUNT() FROM ObjectPermissions WHERE SobjectType LIKE 'acc%'");
    expect(totalSize).to.equal(OBJECT_PERMISSIONS / OBJECTS.length);
  });

  it('scans each object once per query, however many outer rows a semi-join or child subquery serves', () => {
    const scans = new Map<string, number>();
    const counting = {
      rows: (objectName: string): ReturnType<TestStore['rows']> => {
        scans.set(objectName, (scans.get(objectName) ?? 0) + 1);
        return store.rows(objectName);
      },
      get: (id: string): ReturnType<TestStore['get']> => store.get(id),
    };
    const result = runSoql(
      'SELECT Id, (SELECT PermissionSetId FROM PermissionSetAssignments) FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.IsOwnedByProfile = false)',
      schema,
      counting
    );
    const ownedByProfile = new Set(store.rows('PermissionSet').filter((ps) => ps.IsOwnedByProfile).map((ps) => ps.Id));
    const expected = new Set(store.rows('PermissionSetAssignment').filter((a) => !ownedByProfile.has(a.PermissionSetId)).map((a) => a.AssigneeId));
    expect(result.totalSize).to.equal(expected.size);
    expect(Object.fromEntries(scans)).to.deep.equal({ User: 1, PermissionSetAssignment: 2 });
  });
});
