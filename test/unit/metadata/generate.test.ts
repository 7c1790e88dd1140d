import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { validateManifest } from '../../../src/manifest/validate.js';
import type { DesiredState } from '../../../src/manifest/types.js';
import { MANAGED_MARKER } from '../../../src/manifest/constants.js';
import { generateComponents, impliedGrants } from '../../../src/metadata/generate.js';
import { buildProfile, rejectedExplicitFalsePermissions, type DeployFailure } from '../../../src/metadata/profile.js';
import { PORTABLE_USER_PERMISSIONS } from '../../../src/salesforce/permissionTiers.js';
import { toMetadataXml } from '../../../src/metadata/xml.js';

const stateOf = (path: string): DesiredState => {
  const raw = JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')) as unknown;
  const result = validateManifest(raw);
  expect(result.problems).to.deep.equal([]);
  return result.desired as DesiredState;
};
const example = (): DesiredState => stateOf('../../../examples/integration.json');

/** Child element names of the root, in document order (duplicates collapsed). */
function elementOrder(xml: string, root: string): string[] {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true });
  const document = parser.parse(xml) as Array<Record<string, Array<Record<string, unknown>>>>;
  const children = document.find((node) => root in node)?.[root] ?? [];
  const names = children.map((child) => Object.keys(child)[0]);
  return names.filter((name, index) => name !== names[index - 1]);
}

const parse = (xml: string): Record<string, Record<string, unknown>> =>
  new XMLParser({ ignoreAttributes: false, isArray: (name) => ['userPermissions', 'objectPermissions', 'fieldPermissions', 'classAccesses', 'loginIpRanges'].includes(name), parseTagValue: false }).parse(xml) as Record<string, Record<string, unknown>>;

describe('metadata: generated components', () => {
  it('gives the profile first, then one permission set per app sorted by name', () => {
    const components = generateComponents(example());
    expect(components.map((c) => `${c.type}:${c.fullName}`)).to.deep.equal([
      'Profile:Integration API Only',
      'PermissionSet:Integration_Erp',
      'PermissionSet:Integration_Marketing',
      'PermissionSet:Integration_Warehouse_Reader',
    ]);
  });

  it('is deterministic: the same manifest gives byte-identical XML, whatever the key order in the file', () => {
    const first = generateComponents(example());
    const raw = JSON.parse(readFileSync(fileURLToPath(new URL('../../../examples/integration.json', import.meta.url)), 'utf8')) as {
      apps: Array<{ permissionSet: { objects: Record<string, string[]>; fields: Record<string, string> } }>;
    };
    // Reverse object/field key order and the order of verbs: the output must not change.
    for (const app of raw.apps) {
      app.permissionSet.objects = Object.fromEntries(Object.entries(app.permissionSet.objects).reverse().map(([k, v]) => [k, [...v].reverse()]));
      app.permissionSet.fields = Object.fromEntries(Object.entries(app.permissionSet.fields).reverse());
    }
    const second = generateComponents(validateManifest(raw).desired as DesiredState);
    expect(second).to.deep.equal(first);
    for (const component of first) {
      expect(component.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).to.equal(true);
      expect(component.xml.endsWith('>\n')).to.equal(true);
      expect(component.xml).to.match(/\n {4}<[a-zA-Z]/);
      expect(component.xml).to.not.include('\t');
    }
  });

  it('writes the permission set complete and in Metadata API element order', () => {
    const erp = generateComponents(example()).find((c) => c.fullName === 'Integration_Erp');
    const xml = erp?.xml as string;
    expect(elementOrder(xml, 'PermissionSet')).to.deep.equal([
      'classAccesses',
      'description',
      'fieldPermissions',
      'hasActivationRequired',
      'label',
      'objectPermissions',
      'userPermissions',
    ]);
    const set = parse(xml).PermissionSet;
    expect(set['@_xmlns']).to.equal('http://soap.sforce.com/2006/04/metadata');
    expect(set.label).to.equal('ERP Sync Integration');
    expect(set.description).to.equal(`Orders and credit limits from SAP ${MANAGED_MARKER}`);
    expect(set.hasActivationRequired).to.equal('false');
    expect(set.license).to.equal(undefined);
    expect(set.classAccesses).to.deep.equal([{ apexClass: 'ErpOrderService', enabled: 'true' }]);
    expect(set.objectPermissions).to.deep.equal([
      { allowCreate: 'false', allowDelete: 'false', allowEdit: 'true', allowRead: 'true', modifyAllRecords: 'false', object: 'Account', viewAllRecords: 'false' },
      { allowCreate: 'true', allowDelete: 'false', allowEdit: 'true', allowRead: 'true', modifyAllRecords: 'false', object: 'Order', viewAllRecords: 'false' },
    ]);
    expect(set.fieldPermissions).to.deep.equal([
      { editable: 'true', field: 'Account.Credit_Limit__c', readable: 'true' },
      { editable: 'false', field: 'Account.Industry', readable: 'true' },
      { editable: 'false', field: 'Order.External_Id__c', readable: 'true' },
    ]);
    expect(set.userPermissions).to.deep.equal([{ enabled: 'true', name: 'ApiEnabled' }]);
    // Element order inside each entry.
    expect(xml).to.match(
      /<objectPermissions>\s*<allowCreate>.*<\/allowCreate>\s*<allowDelete>.*<\/allowDelete>\s*<allowEdit>.*<\/allowEdit>\s*<allowRead>.*<\/allowRead>\s*<modifyAllRecords>.*<\/modifyAllRecords>\s*<object>Account<\/object>\s*<viewAllRecords>/
    );
  });

  it('writes the API-only profile: custom, Salesforce license, IP ranges, API Enabled + API Only true, the portable rest false, no object access', () => {
    const profile = generateComponents(example())[0];
    expect(elementOrder(profile.xml, 'Profile')).to.deep.equal(['custom', 'description', 'loginIpRanges', 'userLicense', 'userPermissions']);
    const parsed = parse(profile.xml).Profile;
    expect(parsed.custom).to.equal('true');
    expect(parsed.userLicense).to.equal('Salesforce');
    expect(parsed.loginIpRanges).to.deep.equal([
      { description: 'iPaaS egress', endAddress: '198.51.100.20', startAddress: '198.51.100.10' },
      { description: 'Integration hosts', endAddress: '203.0.113.255', startAddress: '203.0.113.0' },
    ]);
    const permissions = parsed.userPermissions as Array<{ enabled: string; name: string }>;
    expect(permissions.filter((p) => p.enabled === 'true').map((p) => p.name)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    // Offline: only the names every edition has (an org rejects the whole deploy for one it does not know).
    expect(permissions.map((p) => p.name)).to.deep.equal([...PORTABLE_USER_PERMISSIONS]);
    expect(permissions.map((p) => p.name)).to.include.members(['ModifyAllData', 'ManageUsers', 'DataExport', 'ViewAllData']);
    expect(permissions.map((p) => p.name)).to.not.include.members(['AccessBankingServiceAgent', 'FSCComprehensiveUserAccess', 'OmnichannelInventorySync']);
    expect(permissions).to.have.length(19);
    expect(profile.xml).to.not.include('objectPermissions').and.not.include('fieldPermissions');
  });

  it('states exactly the permission list it is given (apply passes the org describe)', () => {
    const profile = buildProfile(example().profile, { userPermissions: ['ViewSetup', 'ApiEnabled', 'ModifyAllData'] });
    expect(profile.userPermissions).to.deep.equal([
      { enabled: true, name: 'ApiEnabled' },
      { enabled: true, name: 'ApiUserOnly' },
      { enabled: false, name: 'ModifyAllData' },
      { enabled: false, name: 'ViewSetup' },
    ]);
  });

  it('with license integration writes no profile and ties each set to the Salesforce API Integration license', () => {
    const components = generateComponents(stateOf('../../fixtures/manifests/good/integration-license.json'));
    expect(components.map((c) => c.type)).to.deep.equal(['PermissionSet', 'PermissionSet']);
    for (const component of components) {
      expect(parse(component.xml).PermissionSet.license).to.equal('Salesforce API Integration');
      const order = elementOrder(component.xml, 'PermissionSet');
      expect(order.indexOf('label')).to.equal(order.indexOf('license') - 1);
    }
  });

  it('writes elevated object access and dangerous permissions that the manifest justified', () => {
    const [, billing] = generateComponents(stateOf('../../fixtures/manifests/good/elevated.json'));
    const set = parse(billing.xml).PermissionSet;
    expect(set.objectPermissions).to.deep.include({
      allowCreate: 'false',
      allowDelete: 'true',
      allowEdit: 'true',
      allowRead: 'true',
      modifyAllRecords: 'true',
      object: 'Invoice__c',
      viewAllRecords: 'true',
    });
    expect((set.userPermissions as Array<{ name: string }>).map((p) => p.name)).to.deep.equal(['ApiEnabled', 'ModifyAllData', 'ViewSetup']);
  });

  it('escapes XML special characters in labels and descriptions and parses back to the same text', () => {
    const components = generateComponents(stateOf('../../fixtures/manifests/good/xml-special.json'));
    const set = components.find((c) => c.type === 'PermissionSet')?.xml as string;
    expect(set).to.include('<label>ERP &lt;Sync&gt; &amp; &quot;Co&quot; &apos;Ltd&apos; Integration</label>');
    expect(set).to.not.include('<!--').and.not.include(']]>');
    const parser = new XMLParser({ processEntities: true, htmlEntities: false });
    const parsed = parser.parse(set) as { PermissionSet: { label: string; description: string } };
    expect(parsed.PermissionSet.label).to.equal('ERP <Sync> & "Co" \'Ltd\' Integration');
    expect(parsed.PermissionSet.description).to.equal(`Orders < 5 & > 2 "quoted" 'single' ]]> <!-- not a comment --> ${MANAGED_MARKER}`);
    const profile = parser.parse(components[0].xml) as { Profile: { description: string } };
    expect(profile.Profile.description).to.equal(`Owned by <R&D> "platform" team's admins ${MANAGED_MARKER}`);
  });

  it('leaves empty lists out instead of writing empty elements', () => {
    const xml = toMetadataXml('PermissionSet', { classAccesses: [], label: 'x', userPermissions: [] });
    expect(xml).to.equal('<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>x</label>\n</PermissionSet>\n');
  });

  it('lists the implied grants for display', () => {
    expect(impliedGrants(example())).to.deep.equal([
      { app: 'erp', permissionSet: 'Integration_Erp', target: 'Account.Credit_Limit__c', access: 'read' },
      { app: 'marketing', permissionSet: 'Integration_Marketing', target: 'Lead', access: 'read' },
      { app: 'marketing', permissionSet: 'Integration_Marketing', target: 'Lead.LeadSource', access: 'read' },
    ]);
  });
});

describe('rejectedExplicitFalsePermissions', () => {
  const profile = { fullName: 'Integration API Only', userPermissions: [
    { enabled: true, name: 'ApiEnabled' },
    { enabled: true, name: 'ApiUserOnly' },
    { enabled: false, name: 'ManageHpi' },
    { enabled: false, name: 'ViewSetup' },
  ] };
  const failure = (problem: string, extra: Partial<DeployFailure> = {}): DeployFailure => ({ type: 'Profile', fullName: 'Integration API Only', problemType: 'Error', problem, ...extra });

  it('names the explicit-false permissions the profile failures name, whatever the wording', () => {
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ManageHpi')], profile)).to.deep.equal(['ManageHpi']);
    expect(rejectedExplicitFalsePermissions([failure('Permission inconnue : ManageHpi'), failure('ViewSetup?')], profile)).to.deep.equal(['ManageHpi', 'ViewSetup']);
  });
  it('never drops a granted permission, a word that is only part of a name, or a failure of another component', () => {
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ApiUserOnly')], profile)).to.deep.equal([]);
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ManageHpiX')], profile)).to.deep.equal([]);
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ManageHpi', { type: 'PermissionSet', fullName: 'Integration_Erp' })], profile)).to.deep.equal([]);
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ManageHpi', { fullName: 'Other' })], profile)).to.deep.equal([]);
  });
  it('gives nothing when any failure is not about our explicit-false names (a retry would fail again)', () => {
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ManageHpi'), failure('Invalid IP address range')], profile)).to.deep.equal([]);
    expect(rejectedExplicitFalsePermissions([failure('Unknown user permission: ManageHpi'), failure('x', { type: 'PermissionSet', fullName: 'S' })], profile)).to.deep.equal([]);
    expect(rejectedExplicitFalsePermissions([failure('ManageHpi', { problemType: 'Warning' })], profile)).to.deep.equal([]);
    expect(rejectedExplicitFalsePermissions([], profile)).to.deep.equal([]);
  });
});
