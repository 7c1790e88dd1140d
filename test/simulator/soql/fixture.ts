/* A small org for the SOQL tests: two licenses, two profiles, four users, permission sets and their grants. */
import { loadSchema, type Schema } from '../schema.js';
import { TestStore } from './testStore.js';
import type { Row } from './index.js';

export type SmallOrg = {
  schema: Schema;
  store: TestStore;
  users: Record<'admin' | 'integration' | 'obrien' | 'inactive', Row>;
  profiles: Record<'admin' | 'integration', Row>;
  permissionSets: Record<'apiOnly' | 'readAccounts' | 'adminOwned', Row>;
};

export function smallOrg(): SmallOrg {
  const schema = loadSchema([
    { name: 'Account', fields: [{ name: 'Credit_Limit__c', type: 'currency' }] },
    {
      name: 'Invoice__c',
      fields: [
        { name: 'Account__c', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account__r', childRelationshipName: 'Invoices__r' },
        { name: 'Amount__c', type: 'double' },
      ],
    },
  ]);
  const store = new TestStore();
  const salesforce = store.insert('UserLicense', { Name: 'Salesforce', LicenseDefinitionKey: 'SFDC' });
  const integrationLicense = store.insert('UserLicense', { Name: 'Salesforce Integration', LicenseDefinitionKey: 'PID_SALESFORCE_INTEGRATION' });
  const profiles = {
    admin: store.insert('Profile', { Name: 'System Administrator', UserLicenseId: salesforce.Id }),
    integration: store.insert('Profile', { Name: 'Minimum Access - API Only Integrations', UserLicenseId: integrationLicense.Id }),
  };
  const users = {
    admin: store.insert('User', {
      Username: 'admin@demo.sim', Name: 'Ada Admin', LastName: 'Admin', ProfileId: profiles.admin.Id, IsActive: true,
      LastLoginDate: '2026-11-26T08:00:00.000+0000', CreatedDate: '2025-01-01T00:00:00.000+0000',
    }),
    integration: store.insert('User', {
      Username: 'erp@demo.sim', Name: 'ERP Integration', LastName: 'Integration', ProfileId: profiles.integration.Id, IsActive: true,
      LastLoginDate: '2026-06-01T10:00:00.000+0000', CreatedDate: '2025-06-01T00:00:00.000+0000',
    }),
    obrien: store.insert('User', {
      Username: 'obrien@demo.sim', Name: "Pat O'Brien", LastName: "O'Brien", ProfileId: profiles.admin.Id, IsActive: true,
      LastLoginDate: null, CreatedDate: '2026-11-20T00:00:00.000+0000',
    }),
    inactive: store.insert('User', {
      Username: 'old_user@demo.sim', Name: 'Old User', LastName: 'User', ProfileId: null, IsActive: false,
      CreatedDate: '2024-03-01T00:00:00.000+0000',
    }),
  };
  const permissionSets = {
    apiOnly: store.insert('PermissionSet', { Name: 'API_Only', Label: 'API Only', IsOwnedByProfile: false, PermissionsApiUserOnly: true }),
    readAccounts: store.insert('PermissionSet', { Name: 'Read_Accounts', Label: 'Read Accounts', IsOwnedByProfile: false, PermissionsApiUserOnly: false }),
    adminOwned: store.insert('PermissionSet', { Name: 'X00ex000000', Label: 'Profile-owned', IsOwnedByProfile: true, ProfileId: profiles.admin.Id }),
  };
  store.insert('PermissionSetAssignment', { AssigneeId: users.integration.Id, PermissionSetId: permissionSets.apiOnly.Id });
  store.insert('PermissionSetAssignment', { AssigneeId: users.integration.Id, PermissionSetId: permissionSets.readAccounts.Id });
  store.insert('PermissionSetAssignment', { AssigneeId: users.admin.Id, PermissionSetId: permissionSets.adminOwned.Id });
  store.insert('ObjectPermissions', { ParentId: permissionSets.readAccounts.Id, SobjectType: 'Account', PermissionsRead: true, PermissionsEdit: false });
  store.insert('ObjectPermissions', { ParentId: permissionSets.adminOwned.Id, SobjectType: 'Account', PermissionsRead: true, PermissionsEdit: true });
  store.insert('ObjectPermissions', { ParentId: permissionSets.adminOwned.Id, SobjectType: 'Contact', PermissionsRead: true, PermissionsEdit: true });
  const acme = store.insert('Account', { Name: 'Acme', Credit_Limit__c: 5000, OwnerId: users.admin.Id });
  store.insert('Account', { Name: 'Globex 100% Corp', Credit_Limit__c: null, OwnerId: users.admin.Id });
  store.insert('Invoice__c', { Name: 'INV-1', Account__c: acme.Id, Amount__c: 10 });
  store.insert('Invoice__c', { Name: 'INV-2', Account__c: acme.Id, Amount__c: 20 });
  return { schema, store, users, profiles, permissionSets };
}
