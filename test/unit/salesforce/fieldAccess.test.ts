import { expect } from 'chai';
import { bundledFieldAccess, fieldAccessFromDescribes, implicitFieldAccess, objectsOfFields } from '../../../src/salesforce/fieldAccess.js';
import { withoutImplicitFieldAccess } from '../../../src/manifest/fieldAccess.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import type { Manifest } from '../../../src/manifest/types.js';

describe('field access that comes with the object', () => {
  it('a describe decides: required (nillable false, createable, not defaulted, not boolean) or not permissionable', () => {
    expect(implicitFieldAccess({ name: 'Company', type: 'string', nillable: false, createable: true, defaultedOnCreate: false, permissionable: false })).to.equal('required');
    expect(implicitFieldAccess({ name: 'Status', type: 'picklist', nillable: false, createable: true, defaultedOnCreate: true, permissionable: true })).to.equal(undefined);
    expect(implicitFieldAccess({ name: 'IsPrivate', type: 'boolean', nillable: false, createable: true })).to.equal(undefined);
    expect(implicitFieldAccess({ name: 'OwnerId', type: 'reference', nillable: false, createable: true, defaultedOnCreate: true, permissionable: false })).to.equal('notPermissionable');
    expect(implicitFieldAccess({ name: 'Industry', type: 'picklist', nillable: true, createable: true, permissionable: true })).to.equal(undefined);
    expect(implicitFieldAccess({ name: 'Formula__c', type: 'string', nillable: true, createable: false, permissionable: true })).to.equal(undefined);
  });

  it('the bundled describe knows the standard required fields, in any case', () => {
    expect(bundledFieldAccess('Account', 'Name')).to.equal('required');
    expect(bundledFieldAccess('lead', 'company')).to.equal('required');
    expect(bundledFieldAccess('Opportunity', 'StageName')).to.equal('required');
    expect(bundledFieldAccess('Account', 'Industry')).to.equal(undefined);
    expect(bundledFieldAccess('Invoice__c', 'Amount__c'), 'custom objects are unknown offline').to.equal(undefined);
  });

  it('an org describe wins for the objects it describes; others fall back to the bundled describe', () => {
    const lookup = fieldAccessFromDescribes(new Map([['account', [{ name: 'Tax_Id__c', type: 'string', nillable: false, createable: true, defaultedOnCreate: false, permissionable: false }, { name: 'Name', type: 'string', nillable: false, createable: true, defaultedOnCreate: false }]]]));
    expect(lookup('Account', 'Tax_Id__c')).to.equal('required');
    expect(lookup('ACCOUNT', 'name')).to.equal('required');
    expect(lookup('Account', 'Industry'), 'not in this describe').to.equal(undefined);
    expect(lookup('Lead', 'Company'), 'fallback').to.equal('required');
    expect(objectsOfFields(['Account.Name', 'Lead.Company', 'Account.Industry', 'bad'])).to.deep.equal(['Account', 'Lead']);
  });

  it('the manifest validator leaves required fields out of the desired set and notes it (no error), the rest stays', () => {
    const manifest: Manifest = {
      version: 1,
      defaults: { username: '{app}@acme.example', email: 'ops@acme.example' },
      apps: [{ name: 'crm', permissionSet: { objects: { Account: ['read', 'edit'], Lead: ['read'] }, fields: { 'Account.Name': 'edit', 'Lead.Company': 'read', 'Account.Industry': 'read' } } }],
    };
    const result = validateManifest(manifest, 'integration.json');
    expect(result.problems).to.deep.equal([]);
    expect(result.desired?.apps[0].fields.map((f) => f.field)).to.deep.equal(['Account.Industry']);
    expect(result.notes).to.have.length(2);
    expect(result.notes.join('\n')).to.include('Account.Name is a required field').and.include('Lead.Company').and.include('object Account').and.include('Integration_Crm');
    expect(result.warnings.join('\n')).to.not.include('Account.Name');
  });

  it('withoutImplicitFieldAccess returns the same state when nothing is left out', () => {
    const desired = validateManifest({ version: 1, defaults: { username: '{app}@acme.example', email: 'o@acme.example' }, apps: [{ name: 'a', permissionSet: { objects: { Account: ['read'] }, fields: { 'Account.Industry': 'read' } } }] }).desired!;
    const kept = withoutImplicitFieldAccess(desired, () => undefined);
    expect(kept.desired).to.equal(desired);
    expect(kept.omitted).to.deep.equal([]);
  });
});
