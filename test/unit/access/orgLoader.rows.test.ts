/* Row → model mapping of the org loader (pure; rows shaped as the REST API returns them). */
import { expect } from 'chai';
import {
  attachByParent,
  enabledPermissions,
  licenseNames,
  linkGroupComponents,
  mapPermissionSetRows,
  toAssignments,
  toMutingPermissionSet,
  toObjectAccess,
  toOrgFacts,
  toSetupEntityGrant,
  toUser,
  userLicensesOfProfileRows,
  apexClassName,
} from '../../../src/access/orgRows.js';
import {
  MAX_QUERY_URL_LENGTH,
  permissionSetShape,
  permissionSetQueries,
  permissionsByIdQueries,
  SCREENING_PERMISSIONS,
  splitSelect,
  userQuery,
} from '../../../src/access/orgQueries.js';

const LICENSE_ID = '100000000000001AAA';
const PSL_ID = '0PL000000000001AAA';
const PERMS = ['PermissionsApiEnabled', 'PermissionsApiUserOnly', 'PermissionsModifyAllData'];

const profileRow = {
  attributes: { type: 'PermissionSet' },
  Id: '0PS000000000001AAA',
  Name: 'X00e000000000001',
  Label: 'X00e000000000001',
  IsOwnedByProfile: true,
  IsCustom: false,
  ProfileId: '00e000000000001AAA',
  LicenseId: LICENSE_ID,
  Type: 'Profile',
  PermissionSetGroupId: null,
  Profile: {
    attributes: { type: 'Profile' },
    Name: 'Minimum Access - API Only Integrations',
    UserLicenseId: LICENSE_ID,
    Description: null,
    UserLicense: { attributes: { type: 'UserLicense' }, Name: 'Salesforce Integration', MasterLabel: 'Salesforce Integration', LicenseDefinitionKey: 'X', TotalLicenses: 5, UsedLicenses: 2, Status: 'Active' },
  },
  PermissionSetGroup: null,
  PermissionsApiEnabled: true,
  PermissionsApiUserOnly: true,
  PermissionsModifyAllData: false,
};
const setRow = {
  Id: '0PS000000000002AAA',
  Name: 'Integration_Erp',
  Label: 'Integration ERP',
  Description: 'ERP',
  IsOwnedByProfile: false,
  IsCustom: true,
  ProfileId: null,
  LicenseId: PSL_ID,
  NamespacePrefix: null,
  Type: 'Regular',
  PermissionSetGroupId: null,
  Profile: null,
  PermissionSetGroup: null,
  PermissionsApiEnabled: true,
  PermissionsApiUserOnly: false,
  PermissionsModifyAllData: false,
};
const aggregateRow = {
  Id: '0PS000000000003AAA',
  Name: 'Sales_Bundle',
  Label: 'Sales Bundle',
  IsOwnedByProfile: false,
  IsCustom: true,
  Type: 'Group',
  PermissionSetGroupId: '0PG000000000001AAA',
  PermissionSetGroup: { DeveloperName: 'Sales_Bundle', MasterLabel: 'Sales Bundle', Description: 'Sales', NamespacePrefix: null, Status: 'Updated' },
  PermissionsApiEnabled: false,
  PermissionsApiUserOnly: false,
  PermissionsModifyAllData: true,
};

describe('access/orgRows: SOQL rows to the AccessModel', () => {
  const userLicenses = userLicensesOfProfileRows([profileRow, setRow, aggregateRow, { ...profileRow, Id: '0PS000000000009AAA' }]);
  const licenses = licenseNames(userLicenses, [{ id: PSL_ID, developerName: 'SalesforceAPIIntegrationPsl', label: 'Salesforce API Integration', total: 5, used: 1 }]);
  const mapped = mapPermissionSetRows([profileRow, setRow, aggregateRow], PERMS, licenses);

  it('derives each user license once from the profiles’ relationship', () => {
    expect(userLicenses).to.deep.equal([{ id: LICENSE_ID, name: 'Salesforce Integration', licenseDefinitionKey: 'X', total: 5, used: 2, status: 'Active' }]);
  });

  it('maps a profile-owned row to a profile holder: PermissionSet id, Profile id, profile name and license', () => {
    expect(mapped.profiles).to.have.length(1);
    expect(mapped.profiles[0]).to.deep.include({
      id: '0PS000000000001AAA',
      kind: 'profile',
      profileId: '00e000000000001AAA',
      name: 'Minimum Access - API Only Integrations',
      userLicense: 'Salesforce Integration',
      license: 'Salesforce Integration',
      isCustom: false,
      systemPermissions: ['ApiEnabled', 'ApiUserOnly'],
    });
  });

  it('maps a regular set with its PSL label as license', () => {
    expect(mapped.permissionSets.map((p) => [p.name, p.label, p.license, p.systemPermissions])).to.deep.equal([
      ['Integration_Erp', 'Integration ERP', 'Salesforce API Integration', ['ApiEnabled']],
    ]);
  });

  it('maps a group aggregate row to a group keyed by the PermissionSetGroup id', () => {
    expect(mapped.permissionSetGroups[0]).to.deep.include({ id: '0PG000000000001AAA', name: 'Sales_Bundle', status: 'Updated', systemPermissions: ['ModifyAllData'] });
    expect(mapped.aggregateRowIdByGroupId.get('0PG000000000001AAA')).to.equal('0PS000000000003AAA');
    expect(mapped.holderByRowId.get('0PS000000000003')?.kind).to.equal('permissionSetGroup');
  });

  it('links group components: members, and the muting set by its id', () => {
    const groups = mapPermissionSetRows([aggregateRow], PERMS, licenses).permissionSetGroups;
    const muting = toMutingPermissionSet({ Id: '0QM000000000001AAA', DeveloperName: 'Sales_Mute', MasterLabel: 'Mute', PermissionsApiEnabled: true }, PERMS);
    linkGroupComponents(
      groups,
      [
        { PermissionSetGroupId: '0PG000000000001AAA', PermissionSetId: '0PS000000000002AAA' },
        { PermissionSetGroupId: '0PG000000000001AAA', PermissionSetId: '0QM000000000001AAA' },
        { PermissionSetGroupId: '0PG000000000001AAA', PermissionSetId: '0PS000000000002AAA' },
        { PermissionSetGroupId: '0PGunknown00000AAA', PermissionSetId: '0PS000000000005AAA' },
      ],
      new Set(['0QM000000000001'])
    );
    expect(groups[0].permissionSetIds).to.deep.equal(['0PS000000000002AAA']);
    expect(groups[0].mutingPermissionSetId).to.equal('0QM000000000001AAA');
    expect(muting).to.deep.include({ kind: 'mutingPermissionSet', name: 'Sales_Mute', systemPermissions: ['ApiEnabled'] });
  });

  it('attaches object, field and setup entity rows by ParentId (15- or 18-char), skipping unknown parents', () => {
    const holders = mapPermissionSetRows([setRow], PERMS, licenses);
    const rows = [
      { ParentId: '0PS000000000002AAA', SobjectType: 'Account', PermissionsRead: true, PermissionsCreate: false, PermissionsEdit: true, PermissionsDelete: false, PermissionsViewAllRecords: false, PermissionsModifyAllRecords: false },
      { ParentId: '0PS000000000002', SobjectType: 'Order', PermissionsRead: true },
      { ParentId: '0PL000000000001AAA', SobjectType: 'Lead', PermissionsRead: true },
    ];
    attachByParent(rows, holders.holderByRowId, toObjectAccess, (h, a) => h.objectPermissions.push(a));
    expect(holders.permissionSets[0].objectPermissions).to.deep.equal([
      { object: 'Account', read: true, create: false, edit: true, delete: false, viewAll: false, modifyAll: false },
      { object: 'Order', read: true, create: false, edit: false, delete: false, viewAll: false, modifyAll: false },
    ]);
    const names = new Map([['01p000000000001', apexClassName({ Name: 'Sync', NamespacePrefix: 'erp' })]]);
    expect(toSetupEntityGrant({ SetupEntityId: '01p000000000001AAA', SetupEntityType: 'ApexClass' }, names)).to.deep.equal({ type: 'ApexClass', name: 'erp__Sync' });
    expect(toSetupEntityGrant({ SetupEntityId: '0H4000000000001AAA', SetupEntityType: 'ConnectedApplication' }, names)).to.deep.equal({
      type: 'ConnectedApplication',
      name: '0H4000000000001AAA',
    });
  });

  it('maps users with the license of their profile, and nulls to absent fields', () => {
    const user = toUser(
      { Id: '005000000000001AAA', Username: 'erp@x.example', Name: 'ERP Integration', FirstName: null, LastName: 'Integration', IsActive: true, ProfileId: '00e000000000001AAA', LastLoginDate: null, UserType: 'Standard' },
      new Map([['00e000000000001', 'Salesforce Integration']])
    );
    expect(user).to.deep.equal({
      id: '005000000000001AAA',
      username: 'erp@x.example',
      name: 'ERP Integration',
      lastName: 'Integration',
      isActive: true,
      userType: 'Standard',
      profileId: '00e000000000001AAA',
      userLicense: 'Salesforce Integration',
    });
  });

  it('lists a user’s fields in the model’s order (the JSON output keeps it), each non-empty one', () => {
    const row = {
      Alias: 'erp',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      LocaleSidKey: 'fr_FR',
      TimeZoneSidKey: 'Europe/Paris',
      CreatedDate: '2026-01-01T00:00:00.000+0000',
      LastLoginDate: '2026-11-01T00:00:00.000+0000',
      ProfileId: '00e000000000001AAA',
      UserType: 'Standard',
      IsActive: false,
      Email: 'ops@x.example',
      LastName: 'Integration',
      FirstName: 'ERP',
      Name: '',
      Username: 'erp@x.example',
      Id: '005000000000001AAA',
    };
    const user = toUser(row, new Map([['00e000000000001', 'Salesforce']]));
    expect(Object.keys(user)).to.deep.equal([
      'id',
      'username',
      'name',
      'firstName',
      'lastName',
      'email',
      'isActive',
      'userType',
      'profileId',
      'userLicense',
      'lastLoginDate',
      'createdDate',
      'timeZoneSidKey',
      'localeSidKey',
      'languageLocaleKey',
      'emailEncodingKey',
      'alias',
    ]);
    expect(user.name).to.equal('ERP Integration');
    expect(user.isActive).to.equal(false);
    expect(user.timeZoneSidKey).to.equal('Europe/Paris');
  });

  it('keeps active assignments; a group assignment keeps only the group; profile-owned rows are dropped', () => {
    const assignments = toAssignments(
      [
        { Id: 'a1', AssigneeId: 'u1', PermissionSetId: 'ps1', PermissionSetGroupId: null, IsActive: true },
        { Id: 'a2', AssigneeId: 'u1', PermissionSetId: 'agg', PermissionSetGroupId: 'g1', IsActive: true },
        { Id: 'a3', AssigneeId: 'u1', PermissionSetId: 'ps2', PermissionSetGroupId: null, IsActive: false },
        { Id: 'a4', AssigneeId: 'u1', PermissionSetId: '0PS000000000001AAA', PermissionSetGroupId: null },
      ],
      new Set(['0PS000000000001'])
    );
    expect(assignments).to.deep.equal([
      { id: 'a1', userId: 'u1', permissionSetId: 'ps1' },
      { id: 'a2', userId: 'u1', permissionSetGroupId: 'g1' },
    ]);
  });

  it('reads org facts', () => {
    expect(toOrgFacts({ Id: '00D', Name: 'Acme', IsSandbox: true, InstanceName: 'CS1', OrganizationType: 'Enterprise Edition' }, 'https://acme--uat.sandbox.my.salesforce.com')).to.deep.equal({
      id: '00D',
      name: 'Acme',
      isSandbox: true,
      instanceName: 'CS1',
      organizationType: 'Enterprise Edition',
      instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com',
    });
    expect(toOrgFacts(undefined)).to.deep.equal({});
  });

  it('lists enabled permissions without the prefix', () => {
    expect(enabledPermissions({ PermissionsA: true, PermissionsB: false, PermissionsC: 'true' }, ['PermissionsA', 'PermissionsB', 'PermissionsC'])).to.deep.equal(['A', 'C']);
  });
});

describe('access/orgQueries', () => {
  const described = ['Id', 'Name', 'Type', 'PermissionSetGroupId', ...Array.from({ length: 500 }, (_, i) => `PermissionsSomething${String(i).padStart(3, '0')}LongName`), 'PermissionsApiUserOnly'];
  const urlLength = (soql: string): number => `https://acme.my.salesforce.com/services/data/v66.0/query?q=${encodeURIComponent(soql)}`.length;

  it('keeps only the permissions the org has, and knows whether it has groups', () => {
    const shape = permissionSetShape(described, ['ApiUserOnly', 'NoSuchPermission']);
    expect(shape.permissionFields).to.deep.equal(['PermissionsApiUserOnly']);
    expect(shape.allPermissionFields).to.have.length(501);
    expect(shape).to.include({ hasGroups: true, hasType: true });
    expect(permissionSetShape(['Id', 'PermissionsApiEnabled'], 'all')).to.include({ hasGroups: false, hasType: false });
  });

  it('screens the permissions the audit rules name', () => {
    expect(SCREENING_PERMISSIONS).to.include.members(['ApiEnabled', 'ApiUserOnly', 'ModifyAllData', 'ViewSetup', 'PasswordNeverExpires', 'BypassMFAForUiLogins']);
  });

  it('splits a SELECT that would pass the URL limit into queries over the same rows, each within the limit', () => {
    const shape = permissionSetShape(described, 'all');
    const queries = permissionSetQueries(shape, urlLength);
    expect(queries.length).to.equal(2);
    for (const soql of queries) expect(urlLength(soql)).to.be.at.most(MAX_QUERY_URL_LENGTH);
    expect(queries[1].startsWith('SELECT Id,Permissions')).to.equal(true);
    const selected = queries.flatMap((q) => q.slice('SELECT '.length, q.indexOf(' FROM ')).split(','));
    for (const field of shape.allPermissionFields) expect(selected).to.include(field);
    expect(splitSelect('User', ['Id'], ['Name'], urlLength)).to.deep.equal(['SELECT Id,Name FROM User']);
  });

  it('reads permissions by id in as few queries as fit, each id once', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `0PS${String(i).padStart(15, '0')}`);
    const queries = permissionsByIdQueries('PermissionSet', [...ids, ids[0]], ['PermissionsApiEnabled'], urlLength);
    for (const soql of queries) expect(urlLength(soql)).to.be.at.most(MAX_QUERY_URL_LENGTH);
    expect(queries.length).to.equal(1);
    const wide = permissionsByIdQueries('PermissionSet', ids, permissionSetShape(described, 'all').allPermissionFields, urlLength);
    for (const soql of wide) expect(urlLength(soql)).to.be.at.most(MAX_QUERY_URL_LENGTH);
    const quoted = wide.join(' ').match(/'0PS\d{15}'/g) ?? [];
    expect(new Set(quoted).size).to.equal(250);
  });

  it('leaves portal and guest users out of the User query, with quoted literals', () => {
    expect(userQuery()).to.match(/ FROM User WHERE UserType NOT IN \('Guest', 'PowerPartner', .*'SelfService'\)$/);
  });
});
