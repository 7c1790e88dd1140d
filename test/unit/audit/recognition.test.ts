/**
 * Directory audits recognise integration holders the way real repositories name them (name, label, description
 * patterns; manifest; license), cap Salesforce's standard profiles at low, leave its agent and platform-user
 * profiles out, and apply a permission set group's muting set. Fixtures are small files written here with the
 * shapes seen in public SFDX projects.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { loadAccessModelFromDirectory } from '../../../src/access/directoryLoader.js';
import { toAuditConfig } from '../../../src/audit/config.js';
import { auditModel } from '../../../src/audit/runAudit.js';
import type { AuditRun } from '../../../src/audit/types.js';
import { DEFAULT_INTEGRATION_NAME_PATTERNS, nameMatch, namePatterns } from '../../../src/rules/recognition.js';
import type { PermissionHolder } from '../../../src/access/model.js';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const permissions = (names: string[]): string =>
  names.map((p) => `    <userPermissions>\n        <enabled>true</enabled>\n        <name>${p}</name>\n    </userPermissions>\n`).join('');
const objects = (names: string[], verbs: string): string =>
  names
    .map(
      (o) =>
        `    <objectPermissions>\n        <allowCreate>false</allowCreate>\n        <allowDelete>${verbs.includes('d')}</allowDelete>\n        <allowEdit>${verbs.includes('e')}</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>${verbs.includes('m')}</modifyAllRecords>\n        <object>${o}</object>\n        <viewAllRecords>${verbs.includes('v')}</viewAllRecords>\n    </objectPermissions>\n`
    )
    .join('');
const profile = (opts: { custom: boolean; license?: string; perms?: string[]; body?: string }): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Profile ${NS}>\n    <custom>${opts.custom}</custom>\n${opts.body ?? ''}    <userLicense>${opts.license ?? 'Salesforce'}</userLicense>\n${permissions(opts.perms ?? [])}</Profile>\n`;
const permissionSet = (opts: { label: string; description?: string; perms?: string[]; body?: string }): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>\n${opts.description ? `    <description>${opts.description}</description>\n` : ''}${opts.body ?? ''}    <label>${opts.label}</label>\n${permissions(opts.perms ?? [])}</PermissionSet>\n`;

const holder = (name: string, label = name, description?: string): PermissionHolder => ({
  id: name,
  kind: 'permissionSet',
  name,
  label,
  ...(description ? { description } : {}),
  isCustom: true,
  systemPermissions: [],
  objectPermissions: [],
  fieldPermissions: [],
  setupEntityAccess: [],
});

describe('directory audit: who is an integration holder', () => {
  let dir: string;
  const write = async (path: string, content: string): Promise<void> => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  const audit = async (config = toAuditConfig({})): Promise<AuditRun> => auditModel(await loadAccessModelFromDirectory(dir), { threshold: 2, config });
  const findingsOf = (run: AuditRun, subject: string): Array<[string, number]> =>
    run.result.findings.filter((f) => f.subject.name === subject).map((f) => [f.ruleId, f.severity]);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recognition-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('the default patterns catch "integration" in five languages, API only, middleware and service account, and not "Sales User"', () => {
    const patterns = namePatterns();
    const matches = (name: string, label?: string, description?: string): string | undefined => nameMatch(holder(name, label, description), patterns)?.field;
    for (const name of ['System Admin - Integrations', 'Ventas_Integracion', 'Integración SAP', 'Intégration Sage', 'Integração ERP', 'Integrazione Hera', 'IEC_SAP_APIOnly', 'Erp_API_ONLY', 'Api Only ETL', 'Middleware_Access', 'Boomi Service Account']) {
      expect(matches(name), name).to.equal('name');
    }
    expect(matches('Erp_Sync', 'ERP integration user')).to.equal('label');
    expect(matches('Erp_Sync', 'ERP', 'Used by the MuleSoft middleware')).to.equal('description');
    expect(matches('Sales_User', 'Sales User', 'Standard access for sales reps')).to.equal(undefined);
    // OmniStudio's "Integration Procedures" are a feature people run, not an integration identity.
    expect(matches('Omni_User', 'Omni User', 'Allows users to execute OmniScripts, DataRaptors, Integration Procedures, and FlexCards.')).to.equal(undefined);
    expect(matches('Omni_Integration_Procedure_Runner')).to.equal(undefined);
    expect(matches('Erp_Integration', 'ERP', 'Runs Integration Procedures')).to.equal('name');
    expect(DEFAULT_INTEGRATION_NAME_PATTERNS.length).to.be.greaterThan(0);
  });

  it('recognises holders by name, label and description and gives them the PRIV/AUTH/STRUCT rules; recognisedBy says which rule matched', async () => {
    await write('profiles/System Admin - Integrations.profile-meta.xml', profile({ custom: true, perms: ['ApiEnabled', 'ModifyAllData', 'ManageUsers'] }));
    await write('profiles/Hera M2M Integrazione.profile-meta.xml', profile({ custom: true, perms: ['ApiEnabled', 'CustomizeApplication'] }));
    await write('permissionsets/Ventas_Integracion.permissionset-meta.xml', permissionSet({ label: 'Ventas', perms: ['ManageUsers'], body: objects(['Account', 'Contact'], 'edmv') }));
    await write('permissionsets/Erp_Sync.permissionset-meta.xml', permissionSet({ label: 'ERP sync', description: 'Service account for the ERP', perms: ['ViewAllData'] }));
    await write('permissionsets/Sales_Reps.permissionset-meta.xml', permissionSet({ label: 'Sales reps', perms: ['ModifyAllData'] }));
    const run = await audit();
    expect(findingsOf(run, 'System Admin - Integrations')).to.deep.include.members([['IU-PRIV-002', 1], ['IU-PRIV-003', 1], ['IU-AUTH-001', 2]]);
    expect(findingsOf(run, 'Hera M2M Integrazione')).to.deep.include(['IU-PRIV-002', 1]);
    expect(findingsOf(run, 'Ventas_Integracion')).to.deep.include.members([['IU-PRIV-003', 1], ['IU-PRIV-004', 2]]);
    expect(findingsOf(run, 'Erp_Sync')).to.deep.include(['IU-PRIV-002', 1]);
    expect(findingsOf(run, 'Sales_Reps')).to.deep.equal([]);
    const recognised = (name: string): string[] => run.result.findings.find((f) => f.subject.name === name)!.recognisedBy!;
    expect(recognised('System Admin - Integrations').join()).to.match(/its name "System Admin - Integrations" matches the integration pattern/);
    expect(recognised('Erp_Sync').join()).to.match(/its description "Service account for the ERP" matches/);
    // Every finding says why its subject is an integration's, the profile rules (IU-AUTH-006, IU-STRUCT-001) too.
    expect(findingsOf(run, 'System Admin - Integrations').map(([rule]) => rule)).to.include('IU-AUTH-006');
    expect(run.result.findings.filter((f) => !f.recognisedBy?.length).map((f) => `${f.ruleId} ${f.subject.name}`)).to.deep.equal([]);
    expect(run.result.summary.subjectsAudited).to.equal(4);
  });

  it('the configuration replaces the patterns ([] turns name recognition off); API Only, license and manifest still count', async () => {
    await write('permissionsets/Erp_Integration.permissionset-meta.xml', permissionSet({ label: 'ERP', perms: ['ModifyAllData'] }));
    await write('permissionsets/Crm_Feed.permissionset-meta.xml', permissionSet({ label: 'CRM feed', perms: ['ApiUserOnly', 'ModifyAllData'] }));
    await write('permissionsets/Nightly_Etl.permissionset-meta.xml', permissionSet({ label: 'Nightly ETL', perms: ['ModifyAllData'] }));
    const off = await audit(toAuditConfig({ integrationNamePatterns: [] }));
    expect(off.result.findings.map((f) => f.subject.name)).to.deep.equal(['Crm_Feed']);
    const custom = await audit(toAuditConfig({ integrationNamePatterns: ['etl'] }));
    expect(custom.result.findings.map((f) => f.subject.name).sort()).to.deep.equal(['Crm_Feed', 'Nightly_Etl']);
  });

  it('a Salesforce standard profile (<custom>false</custom>) is reported at low at most, and says why', async () => {
    await write('profiles/Sales Insights Integration User.profile-meta.xml', profile({ custom: false, license: 'Sales Insights Integration User', perms: ['ApiEnabled', 'ViewAllData', 'ManageUsers'] }));
    await write('profiles/Minimum Access - API Only Integrations.profile-meta.xml', profile({ custom: false, license: 'Salesforce Integration', perms: ['ApiEnabled', 'ApiUserOnly'], body: objects(['Account'], 'v') }));
    await write('profiles/Erp Integration.profile-meta.xml', profile({ custom: true, perms: ['ApiEnabled', 'ApiUserOnly', 'ViewAllData'] }));
    const run = await audit();
    const insights = run.result.findings.filter((f) => f.subject.name === 'Sales Insights Integration User');
    expect(insights.length).to.be.greaterThan(0);
    expect(insights.every((f) => f.severity === 4 || f.severity === 5)).to.equal(true);
    expect(insights[0].message).to.include('Salesforce-owned standard profile');
    expect(findingsOf(run, 'Minimum Access - API Only Integrations').every(([, severity]) => severity >= 4)).to.equal(true);
    expect(findingsOf(run, 'Erp Integration')).to.deep.include(['IU-PRIV-002', 1]);
    expect(run.result.passed).to.equal(false);
  });

  it('a namespaced (managed-package or Salesforce-internal) permission set is reported as low at most, and says whose it is', async () => {
    // Shape seen in retrieved projects: `sfdcInternalInt__sfdc_<feature>` sets labelled "<Feature> Integration User".
    await write('permissionsets/acmeInt__Feature_Sync.permissionset-meta.xml', permissionSet({ label: 'Feature Integration User', perms: ['ViewAllUsers'], body: objects(['Account'], 'v') }));
    await write('permissionsets/Erp_Integration.permissionset-meta.xml', permissionSet({ label: 'ERP', perms: ['ViewAllUsers'], body: objects(['Account'], 'v') }));
    const run = await audit();
    const managed = run.result.findings.filter((f) => f.subject.name === 'acmeInt__Feature_Sync');
    expect(managed.map((f) => [f.ruleId, f.severity])).to.deep.equal([['IU-PRIV-004', 4], ['IU-PRIV-005', 4]]);
    expect(managed[0].message).to.include('namespace acmeInt');
    expect(findingsOf(run, 'Erp_Integration')).to.deep.equal([['IU-PRIV-004', 2], ['IU-PRIV-005', 2]]);
    const model = await loadAccessModelFromDirectory(dir);
    expect(model.permissionSets.map((s) => [s.name, s.namespace, s.isCustom])).to.deep.equal([
      ['acmeInt__Feature_Sync', 'acmeInt', false],
      ['Erp_Integration', undefined, true],
    ]);
  });

  it('Salesforce agent, bot and platform-user profiles are not integration holders, even when they grant API Only', async () => {
    await write('profiles/Einstein Agent User.profile-meta.xml', profile({ custom: false, license: 'Einstein Agent', perms: ['ApiEnabled', 'ApiUserOnly', 'ViewAllData'] }));
    await write('profiles/Analytics Cloud Integration User.profile-meta.xml', profile({ custom: false, license: 'Analytics Cloud Integration User', perms: ['ApiEnabled', 'ModifyAllData'] }));
    await write('profiles/Chatter Free User.profile-meta.xml', profile({ custom: false, license: 'Chatter Free', perms: ['ApiEnabled'] }));
    await write('profiles/B2BMA Integration User.profile-meta.xml', profile({ custom: false, license: 'B2BMA Integration User', perms: ['ApiEnabled', 'ApiUserOnly', 'ViewAllData', 'ModifyMetadata'] }));
    // A custom profile of the same name is the project's own, and audited.
    await write('other/profiles/Analytics Cloud Integration User.profile-meta.xml', profile({ custom: true, perms: ['ApiEnabled', 'ModifyAllData'] }));
    const run = await audit();
    expect(run.subjects.map((s) => s.filePath)).to.deep.equal(['other/profiles/Analytics Cloud Integration User.profile-meta.xml']);
    expect(run.result.findings.every((f) => f.subject.filePath === 'other/profiles/Analytics Cloud Integration User.profile-meta.xml')).to.equal(true);
  });

  it('a group reaches its other sets only through a real integration set, and the reason names that set', async () => {
    // Shape seen on a public project: a human persona group holding a copy of OmniStudio's user set, whose
    // description names "Integration Procedures", beside sets with View All on objects.
    await write('permissionsets/Omni_User.permissionset-meta.xml', permissionSet({ label: 'Omni User', description: 'Allows users to execute OmniScripts, DataRaptors, Integration Procedures, and FlexCards.' }));
    await write('permissionsets/Case_Desk.permissionset-meta.xml', permissionSet({ label: 'Case desk', perms: ['ExportReport'], body: objects(['Case'], 'v') }));
    await write('permissionsets/Erp_Integration.permissionset-meta.xml', permissionSet({ label: 'ERP', perms: ['ApiEnabled'] }));
    await write('permissionsets/Erp_Objects.permissionset-meta.xml', permissionSet({ label: 'ERP objects', body: objects(['Account'], 'v') }));
    const group = (name: string, members: string[]): string =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup ${NS}>\n    <label>${name}</label>\n${members.map((m) => `    <permissionSets>${m}</permissionSets>\n`).join('')}</PermissionSetGroup>\n`;
    await write('permissionsetgroups/Contact_Centre.permissionsetgroup-meta.xml', group('Contact centre', ['Omni_User', 'Case_Desk']));
    await write('permissionsetgroups/Erp.permissionsetgroup-meta.xml', group('ERP', ['Erp_Integration', 'Erp_Objects']));
    const run = await audit();
    expect(findingsOf(run, 'Case_Desk')).to.deep.equal([]);
    expect(findingsOf(run, 'Erp_Objects')).to.deep.equal([['IU-PRIV-004', 2]]);
    expect(run.result.findings.find((f) => f.subject.name === 'Erp_Objects')!.recognisedBy).to.deep.equal([
      'member of permission set group Erp with the integration permission set Erp_Integration',
    ]);
  });

  it('a namespaced integration set does not bring its group in; the team\'s own integration set still does', async () => {
    // test/fixtures/metadata/namespaced-group: a human persona group holding Salesforce's own "Slack Integration
    // User" set (shape seen on a public project) beside a custom set granting Modify All Data, and an ERP group
    // holding the same namespaced set and the team's own ERP integration set.
    const run = auditModel(await loadAccessModelFromDirectory('test/fixtures/metadata/namespaced-group'), { threshold: 2, config: toAuditConfig({}) });
    const findings = (subject: string): Array<[string, number]> =>
      run.result.findings.filter((f) => f.subject.name === subject).map((f) => [f.ruleId, f.severity]);
    expect(findings('Sales_Manager')).to.deep.equal([]);
    expect(run.subjects.map((s) => s.name)).to.not.include('Sales_Manager');
    // The namespaced set itself is still audited, capped at low.
    expect(findings('sfdcInternalInt__sfdc_slack')).to.deep.equal([['IU-PRIV-005', 4]]);
    expect(findings('Erp_Objects')).to.deep.equal([['IU-PRIV-002', 1]]);
    expect(run.result.findings.find((f) => f.subject.name === 'Erp_Objects')!.recognisedBy).to.deep.equal([
      'member of permission set group Erp with the integration permission set Erp_Integration',
    ]);
  });

  it('applies the muting permission set of a permission set group, as in org mode', async () => {
    await write('permissionsets/Erp_Integration.permissionset-meta.xml', permissionSet({ label: 'ERP', perms: ['ApiEnabled', 'ModifyAllData', 'ExportReport'], body: objects(['Account'], 'edmv') }));
    await write(
      'mutingpermissionsets/Erp_Muting.mutingpermissionset-meta.xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<MutingPermissionSet ${NS}>\n    <label>Erp muting</label>\n    <objectPermissions>\n        <modifyAllRecords>true</modifyAllRecords>\n        <object>Account</object>\n    </objectPermissions>\n${permissions(['ModifyAllData'])}</MutingPermissionSet>\n`
    );
    await write(
      'permissionsetgroups/Erp_Group.permissionsetgroup-meta.xml',
      `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup ${NS}>\n    <label>ERP group</label>\n    <mutingPermissionSets>Erp_Muting</mutingPermissionSets>\n    <permissionSets>Erp_Integration</permissionSets>\n</PermissionSetGroup>\n`
    );
    const run = await audit();
    const rules = findingsOf(run, 'Erp_Integration').map(([rule]) => rule);
    expect(rules).to.not.include('IU-PRIV-002'); // ModifyAllData muted
    expect(rules).to.include('IU-PRIV-005'); // ExportReport is not muted
    const priv004 = run.result.findings.find((f) => f.ruleId === 'IU-PRIV-004' && f.subject.name === 'Erp_Integration')!;
    expect(priv004.evidence.map((e) => e.grants)).to.deep.equal(['Account: viewAll']); // Modify All muted, View All kept
  });
});
