import { expect } from 'chai';
import { mergeAccessFlags, nameFlagProblems, nameFlagWarnings, type AccessFlags } from '../../../src/manifest/accessFlags.js';
import type { Manifest, ManifestPermissionSet } from '../../../src/manifest/types.js';
import { validateManifest } from '../../../src/manifest/validate.js';

const PS_PATH = ['apps', 0, 'permissionSet'] as const;

/** What user create does: the flags into a one-app manifest, validated like any manifest, problems named by flag. */
const check = (flags: AccessFlags, definition?: unknown): { problems: string[]; warnings: string[]; permissionSet?: ManifestPermissionSet } => {
  const merged = mergeAccessFlags(flags, definition, PS_PATH);
  const manifest: Manifest = {
    version: 1,
    defaults: { username: '{app}.integration@acme.example', email: 'ops@acme.example' },
    apps: [{ name: 'erp', ...(merged.permissionSet ? { permissionSet: merged.permissionSet } : {}) }],
  };
  const validation = validateManifest(manifest);
  return {
    problems: [...merged.problems, ...nameFlagProblems(validation.problems, merged.origins)].map((p) => `${p.path} [${p.code}]`),
    warnings: nameFlagWarnings(validation.warnings, merged.origins),
    permissionSet: merged.permissionSet,
  };
};

describe('manifest/accessFlags: user create access flags', () => {
  it('turns the flags into the permission set a manifest would hold, and validates it cleanly', () => {
    const result = check({
      objects: ['Account=read,edit', 'Order = read , create '],
      fields: ['Account.Industry=read', 'Order.External_Id__c=edit'],
      permissions: ['ApiEnabled', 'ViewSetup'],
      apexClasses: ['ErpOrderService'],
    });
    expect(result.problems).to.deep.equal([]);
    expect(result.permissionSet).to.deep.equal({
      objects: { Account: ['read', 'edit'], Order: ['read', 'create'] },
      fields: { 'Account.Industry': 'read', 'Order.External_Id__c': 'edit' },
      systemPermissions: ['ApiEnabled', 'ViewSetup'],
      apexClasses: ['ErpOrderService'],
    });
  });

  it('adds the flags to the definition file: verbs of both, edit over read, names once, the file\'s other keys kept', () => {
    const definition = {
      name: 'ERP_Access',
      objects: { Account: ['read'], Contact: ['read'] },
      fields: { 'Account.Industry': 'edit', 'Contact.Email': 'read' },
      systemPermissions: ['ApiEnabled'],
      apexClasses: ['ErpOrderService'],
    };
    const result = check(
      {
        objects: ['Account=read,edit', 'Case=read'],
        fields: ['Account.Industry=read', 'Contact.Email=edit'],
        permissions: ['ApiEnabled', 'ViewSetup'],
        apexClasses: ['ErpOrderService', 'ErpInvoiceService'],
      },
      definition
    );
    expect(result.problems).to.deep.equal([]);
    expect(result.permissionSet).to.deep.equal({
      name: 'ERP_Access',
      objects: { Account: ['read', 'edit'], Contact: ['read'], Case: ['read'] },
      fields: { 'Account.Industry': 'edit', 'Contact.Email': 'edit' },
      systemPermissions: ['ApiEnabled', 'ViewSetup'],
      apexClasses: ['ErpOrderService', 'ErpInvoiceService'],
    });
    // the file itself is not changed
    expect(definition.objects.Account).to.deep.equal(['read']);
  });

  it('names every problem by the flag and value that caused it, all at once', () => {
    const result = check({
      objects: ['Opportunity', '=read', 'Contact=reed', 'Bad Object=read', 'Case=read,viewAll', 'Lead=read,'],
      fields: ['Account.Industry', 'Lead.Status=rd', 'Order.Status=read'],
      permissions: ['ModifyAllData', 'PermissionsApiEnabled'],
      apexClasses: ['Bad Class'],
    });
    expect(result.problems).to.have.members([
      '--object Opportunity [flagObjectFormat]',
      '--object =read [flagObjectFormat]',
      '--field Account.Industry [flagFieldFormat]',
      '--object Contact=reed [notAllowedValue]',
      '--object Bad Object=read [invalid.objectName]',
      '--object Case=read,viewAll [elevationRequired]',
      '--field Lead.Status=rd [notAllowedValue]',
      '--field Order.Status=read [fieldWithoutObjectAccess]',
      '--permission ModifyAllData [elevationRequiredPermission]',
      '--permission PermissionsApiEnabled [systemPermissionPrefix]',
      '--apex-class Bad Class [invalid.apexClassName]',
    ]);
  });

  it('gives the fix as a flag where the manifest\'s fix is JSON', () => {
    const merged = mergeAccessFlags({ fields: ['Order.Status=read'], objects: ['Case=read,modifyAll'] }, undefined, PS_PATH);
    const manifest: Manifest = { version: 1, defaults: { username: '{app}@acme.example', email: 'a@acme.example' }, apps: [{ name: 'erp', permissionSet: merged.permissionSet }] };
    const problems = nameFlagProblems(validateManifest(manifest).problems, merged.origins);
    expect(problems.find((p) => p.code === 'fieldWithoutObjectAccess')?.fix).to.include('--object Order=read');
    expect(problems.find((p) => p.code === 'elevationRequired')?.fix).to.include('sf integration apply');
  });

  it('a problem in the definition file keeps its JSON path; one in a verb a flag added names the flag', () => {
    const result = check({ objects: ['Account=edit,destroy'] }, { objects: { Account: ['read'], Contact: ['reed'] } });
    expect(result.problems).to.have.members(['$.apps[0].permissionSet.objects.Contact[0] [notAllowedValue]', '--object Account=edit,destroy [notAllowedValue]']);
  });

  it('names warnings by flag too', () => {
    const result = check({ permissions: ['ViewSetupp'] });
    expect(result.problems).to.deep.equal([]);
    expect(result.warnings).to.have.length(1);
    expect(result.warnings[0]).to.match(/^--permission ViewSetupp: "ViewSetupp" is not a user permission/);
  });

  it('no flags: the definition as it is; a definition that is not an object is left to the validator', () => {
    expect(mergeAccessFlags({}, undefined, PS_PATH)).to.deep.equal({ origins: [], problems: [] });
    expect(mergeAccessFlags({}, { objects: {} }, PS_PATH).permissionSet).to.deep.equal({ objects: {} });
    const notObject = check({ objects: ['Account=read'] }, ['Account']);
    expect(notObject.permissionSet).to.deep.equal(['Account']);
    expect(notObject.problems.length).to.be.greaterThan(0);
    expect(notObject.problems[0]).to.match(/^\$\.apps\[0\]\.permissionSet/);
  });
});
