import { expect } from 'chai';
import { fieldSecurity, keyPrefix, loadSchema, pluralize } from './schema.js';
import { INDUSTRY_USER_PERMISSIONS, plainEditionOrgFixture } from './fixtures/editions.js';

describe('simulator schema', () => {
  it('serves the 26 standard objects of the v64 describe, EventLogFile and UserLogin, case-insensitively with canonical names', () => {
    const schema = loadSchema();
    expect(schema.objectNames()).to.have.length(28);
    expect(schema.field('eventlogfile', 'logdate')).to.deep.include({ name: 'LogDate', type: 'datetime' });
    expect(schema.field('userlogin', 'isfrozen')).to.deep.include({ name: 'IsFrozen', type: 'boolean', updateable: true, createable: false });
    expect(schema.object('permissionsetassignment')?.name).to.equal('PermissionSetAssignment');
    expect(schema.field('USER', 'username')).to.deep.include({ name: 'Username', type: 'string' });
    expect(schema.field('User', 'ProfileId')).to.deep.include({ referenceTo: ['Profile'], relationshipName: 'Profile' });
    expect(schema.field('User', 'Bogus')).to.equal(undefined);
  });

  it('leaves out objects a normal org does not have', () => {
    const schema = loadSchema();
    expect(schema.object('ScratchOrgInfo')).to.equal(undefined);
    expect(schema.object('PermissionSetGroupComponent')?.name).to.equal('PermissionSetGroupComponent');
  });

  it('adds custom fields to a standard object', () => {
    const schema = loadSchema([{ name: 'account', fields: [{ name: 'Credit_Limit__c', type: 'currency' }] }]);
    expect(schema.field('Account', 'credit_limit__c')).to.deep.include({
      name: 'Credit_Limit__c',
      type: 'currency',
      nillable: true,
      createable: true,
      updateable: true,
    });
    expect(schema.field('Account', 'Name')?.name).to.equal('Name');
    expect(loadSchema().field('Account', 'Credit_Limit__c')).to.equal(undefined);
  });

  it('gives a new custom object the standard system fields', () => {
    const schema = loadSchema([{ name: 'Invoice__c', fields: [{ name: 'Amount__c', type: 'double' }] }]);
    const names = schema.object('invoice__c')?.fields.map((f) => f.name);
    expect(names).to.deep.equal([
      'Id', 'Name', 'OwnerId', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted', 'Amount__c',
    ]);
    expect(schema.object('Invoice__c')?.custom).to.equal(true);
    expect(schema.field('Invoice__c', 'Id')).to.deep.include({ type: 'id', createable: false });
  });

  it('refuses to extend a standard object that does not exist', () => {
    expect(() => loadSchema([{ name: 'Nope', extendsStandard: true, fields: [] }])).to.throw(/Nope/);
  });

  it('derives child relationships from reference fields, with real names where known', () => {
    const schema = loadSchema([
      {
        name: 'Invoice__c',
        fields: [
          { name: 'Account__c', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account__r' },
          { name: 'Buyer__c', type: 'reference', referenceTo: ['Contact'], relationshipName: 'Buyer__r', childRelationshipName: 'Purchases__r' },
        ],
      },
    ]);
    expect(schema.childRelationship('User', 'permissionsetassignments')).to.deep.equal({
      name: 'PermissionSetAssignments',
      childObject: 'PermissionSetAssignment',
      field: 'AssigneeId',
    });
    expect(schema.childRelationship('PermissionSet', 'Assignments')?.field).to.equal('PermissionSetId');
    expect(schema.childRelationship('PermissionSet', 'ObjectPerms')?.childObject).to.equal('ObjectPermissions');
    expect(schema.childRelationship('PermissionSet', 'FieldPerms')?.childObject).to.equal('FieldPermissions');
    expect(schema.childRelationship('Profile', 'Users')?.field).to.equal('ProfileId');
    expect(schema.childRelationship('Account', 'Invoices__r')?.field).to.equal('Account__c');
    expect(schema.childRelationship('Contact', 'Purchases__r')?.field).to.equal('Buyer__c');
    // audit fields (CreatedById, …) point at User from everywhere and create no child relationship
    expect(schema.childRelationship('User', 'Accounts')).to.equal(undefined);
    expect(schema.childRelationship('User', 'Invoices__r')).to.equal(undefined);
  });

  it('mints realistic key prefixes', () => {
    const expected: Record<string, string> = {
      User: '005', Profile: '00e', PermissionSet: '0PS', PermissionSetAssignment: '0Pa', PermissionSetGroup: '0PG',
      PermissionSetLicense: '0PL', PermissionSetLicenseAssign: '2LA', ObjectPermissions: '110', FieldPermissions: '01k',
      SetupEntityAccess: '0J0', UserLicense: '100', Organization: '00D', ApexClass: '01p', Account: '001', Contact: '003',
      Opportunity: '006', Order: '801', Lead: '00Q', Case: '500', UserRole: '00E', LoginHistory: '0Ya',
    };
    for (const [object, prefix] of Object.entries(expected)) expect(keyPrefix(object), object).to.equal(prefix);
    expect(keyPrefix('user')).to.equal('005');
    const custom = keyPrefix('Invoice__c');
    expect(custom).to.match(/^a[0-9A-Za-z]{2}$/);
    expect(keyPrefix('Invoice__c')).to.equal(custom);
    expect(keyPrefix('Shipment__c')).to.not.equal(custom);
    const schema = loadSchema([{ name: 'Invoice__c', fields: [] }]);
    expect(schema.keyPrefix('invoice__c')).to.equal(custom);
    expect(schema.objectForId('005000000000001AAA')).to.equal('User');
  });

  it('gives every custom object of a schema its own key prefix', () => {
    const names = Array.from({ length: 300 }, (_, i) => `Obj${i}__c`);
    const schema = loadSchema(names.map((name) => ({ name, fields: [] })));
    const prefixes = new Set(names.map((name) => schema.keyPrefix(name)));
    expect(prefixes.size).to.equal(300);
    for (const name of names) expect(schema.objectForId(`${schema.keyPrefix(name)!}000000000001AAA`)).to.equal(name);
  });

  it('pluralizes like Salesforce child relationship names', () => {
    expect(['Case', 'Opportunity', 'Address', 'Key', 'Box'].map(pluralize)).to.deep.equal(['Cases', 'Opportunities', 'Addresses', 'Keys', 'Boxes']);
  });

  it('an org without some user permissions: removeFields takes them out of the describe (plainEditionOrgFixture drops twenty)', () => {
    const fixture = plainEditionOrgFixture();
    const schema = loadSchema(fixture.customObjects);
    for (const object of ['PermissionSet', 'Profile', 'MutingPermissionSet']) {
      for (const name of INDUSTRY_USER_PERMISSIONS) expect(schema.field(object, `Permissions${name}`), `${object}.${name}`).to.equal(undefined);
      expect(schema.field(object, 'PermissionsApiEnabled'), object).to.not.equal(undefined);
    }
    const all = loadSchema().object('PermissionSet')!.fields.filter((f) => f.name.startsWith('Permissions')).length;
    expect(schema.object('PermissionSet')!.fields.filter((f) => f.name.startsWith('Permissions'))).to.have.length(all - 20);
  });

  it('field security: required (nillable false, createable, not defaulted) is not permissionable; booleans and the owner are defaulted', () => {
    const schema = loadSchema();
    const of = (object: string, field: string): ReturnType<typeof fieldSecurity> => fieldSecurity(schema.field(object, field)!);
    expect(of('Account', 'Name')).to.deep.equal({ defaultedOnCreate: false, permissionable: false, required: true });
    expect(of('Lead', 'Company')).to.include({ required: true });
    expect(of('Opportunity', 'IsPrivate')).to.deep.equal({ defaultedOnCreate: true, permissionable: true, required: false });
    expect(of('Account', 'OwnerId')).to.deep.equal({ defaultedOnCreate: true, permissionable: false, required: false });
    expect(of('Account', 'Industry')).to.deep.equal({ defaultedOnCreate: false, permissionable: true, required: false });
  });
});
