import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, ComponentStatus, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { expect } from 'chai';
import JSZip from 'jszip';
import { OrgSimulator, type Row } from './index.js';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

const objectPermission = (object: string, verbs: { read?: boolean; create?: boolean; edit?: boolean } = { read: true }): string =>
  `<objectPermissions><allowCreate>${Boolean(verbs.create)}</allowCreate><allowDelete>false</allowDelete><allowEdit>${Boolean(verbs.edit)}</allowEdit><allowRead>${Boolean(verbs.read)}</allowRead><modifyAllRecords>false</modifyAllRecords><object>${object}</object><viewAllRecords>false</viewAllRecords></objectPermissions>`;
const fieldPermission = (field: string, editable = false): string => `<fieldPermissions><editable>${editable}</editable><field>${field}</field><readable>true</readable></fieldPermissions>`;
const permissionSetXml = (label: string, body: string, license?: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>${body}<label>${label}</label>${license ? `<license>${license}</license>` : ''}</PermissionSet>`;
const profileXml = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<Profile ${NS}>${body}</Profile>`;

describe('simulator: Metadata API deploy through source-deploy-retrieve', () => {
  let sim: OrgSimulator;
  let conn: Connection;
  let dirs: string[] = [];

  /** A source-format project directory with the given files (path under force-app/main/default → content). */
  function sourceDir(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'sim-deploy-'));
    dirs.push(root);
    for (const [path, content] of Object.entries(files)) {
      const full = join(root, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, content);
    }
    return root;
  }

  async function deploy(files: Record<string, string>, apiOptions: { rollbackOnError?: boolean; checkOnly?: boolean } = {}): Promise<DeployResult> {
    const set = ComponentSet.fromSource(sourceDir(files));
    const operation = await set.deploy({ usernameOrConnection: conn, apiOptions });
    return operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(30) });
  }

  const permissionSet = (name: string): Row | undefined => sim.store.rows('PermissionSet').find((p) => p.Name === name && !p.IsOwnedByProfile);
  const children = (object: string, parentId: unknown): Row[] => sim.store.rows(object).filter((r) => r.ParentId === parentId);
  const states = (result: DeployResult): string[] => result.getFileResponses().map((r) => `${r.type}:${r.fullName}:${r.state}`);

  beforeEach(async () => {
    sim = await OrgSimulator.start();
    conn = await sim.connect();
    sim.resetRequests();
  });
  afterEach(async () => {
    await sim.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs = [];
  });

  it('creates a permission set with its object, field and Apex class access; polls InProgress first, then Succeeded', async () => {
    const result = await deploy({
      'permissionsets/App_Sync.permissionset-meta.xml': permissionSetXml(
        'App Sync',
        `<classAccesses><apexClass>ErpOrderService</apexClass><enabled>true</enabled></classAccesses>${fieldPermission('Account.Credit_Limit__c', true)}${objectPermission('Account', { read: true, edit: true })}<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>`,
        'Salesforce API Integration'
      ),
    });
    expect(result.response.status).to.equal('Succeeded');
    expect(states(result)).to.deep.equal(['PermissionSet:App_Sync:Created']);
    const ps = permissionSet('App_Sync')!;
    expect(ps).to.include({ Label: 'App Sync', PermissionsApiEnabled: true, PermissionsModifyAllData: false, IsOwnedByProfile: false, Type: 'Regular' });
    expect(ps.LicenseId).to.equal(sim.store.rows('PermissionSetLicense')[0].Id);
    expect(children('ObjectPermissions', ps.Id).map((r) => [r.SobjectType, r.PermissionsRead, r.PermissionsEdit, r.PermissionsCreate])).to.deep.equal([['Account', true, true, false]]);
    expect(children('FieldPermissions', ps.Id).map((r) => [r.Field, r.PermissionsEdit])).to.deep.equal([['Account.Credit_Limit__c', true]]);
    expect(children('SetupEntityAccess', ps.Id).map((r) => r.SetupEntityType)).to.deep.equal(['ApexClass']);
    expect(sim.requests.map((r) => r.soapCall)).to.deep.equal(['deploy', 'checkDeployStatus', 'checkDeployStatus']);
  });

  it('a permission set deploy replaces the whole set (Changed), and the same content again is Unchanged', async () => {
    const erp = permissionSet('Integration_Erp')!;
    expect(children('ObjectPermissions', erp.Id)).to.have.length(3);
    const file = permissionSetXml('ERP Integration', objectPermission('Order', { read: true, create: true, edit: true }), 'Salesforce API Integration');
    const changed = await deploy({ 'permissionsets/Integration_Erp.permissionset-meta.xml': file });
    expect(states(changed)).to.deep.equal(['PermissionSet:Integration_Erp:Changed']);
    expect(children('ObjectPermissions', erp.Id).map((r) => r.SobjectType)).to.deep.equal(['Order']);
    expect(children('FieldPermissions', erp.Id)).to.deep.equal([]);
    expect(children('SetupEntityAccess', erp.Id)).to.deep.equal([]);
    expect(erp.PermissionsApiEnabled).to.equal(false);
    const same = await deploy({ 'permissionsets/Integration_Erp.permissionset-meta.xml': file });
    expect(states(same)).to.deep.equal(['PermissionSet:Integration_Erp:Unchanged']);
  });

  it('a profile deploy overlays: only the elements in the file change; login IP ranges are kept per profile', async () => {
    const profile = sim.store.rows('Profile').find((p) => p.Name === 'ERP API Profile')!;
    const owned = sim.store.rows('PermissionSet').find((p) => p.ProfileId === profile.Id)!;
    const result = await deploy({
      'profiles/ERP API Profile.profile-meta.xml': profileXml(
        '<loginIpRanges><endAddress>198.51.100.20</endAddress><startAddress>198.51.100.10</startAddress></loginIpRanges><userPermissions><enabled>false</enabled><name>ApiUserOnly</name></userPermissions>'
      ),
    });
    expect(states(result)).to.deep.equal(['Profile:ERP API Profile:Changed']);
    expect(owned.PermissionsApiUserOnly).to.equal(false);
    expect(owned.PermissionsApiEnabled).to.equal(true);
    expect(children('ObjectPermissions', owned.Id).map((r) => r.SobjectType).sort()).to.deep.equal(['Account', 'Order']);
    expect(sim.store.loginIpRanges.get(String(profile.Id))).to.deep.equal([{ startAddress: '198.51.100.10', endAddress: '198.51.100.20' }]);
    const read = (await conn.metadata.read('Profile', 'ERP API Profile')) as unknown as { loginIpRanges: unknown; userLicense: string };
    expect(read.loginIpRanges).to.deep.equal([{ endAddress: '198.51.100.20', startAddress: '198.51.100.10' }]);
    expect(read.userLicense).to.equal('Salesforce');
  });

  it('a profile entry stated all-false removes that object or field access; entries left out stay', async () => {
    const profile = sim.store.rows('Profile').find((p) => p.Name === 'ERP API Profile')!;
    const owned = sim.store.rows('PermissionSet').find((p) => p.ProfileId === profile.Id)!;
    await deploy({
      'profiles/ERP API Profile.profile-meta.xml': profileXml(
        `<fieldPermissions><editable>false</editable><field>Account.Credit_Limit__c</field><readable>false</readable></fieldPermissions>${objectPermission('Account', {})}`
      ),
    });
    expect(children('ObjectPermissions', owned.Id).map((r) => r.SobjectType)).to.deep.equal(['Order']);
    expect(children('FieldPermissions', owned.Id)).to.deep.equal([]);
    expect(sim.store.loginIpRanges.get(String(profile.Id))).to.have.length(1);
  });

  it('a new profile needs custom=true and a known userLicense; it gets a profile-owned permission set', async () => {
    const failed = await deploy({ 'profiles/Integration API Only.profile-meta.xml': profileXml('<custom>true</custom>') });
    expect(failed.response.status).to.equal('Failed');
    expect(failed.getFileResponses()[0]).to.include({ state: 'Failed', error: 'Required field is missing: userLicense' });
    const created = await deploy({
      'profiles/Integration API Only.profile-meta.xml': profileXml('<custom>true</custom><userLicense>Salesforce</userLicense><userPermissions><enabled>true</enabled><name>ApiUserOnly</name></userPermissions>'),
    });
    expect(states(created)).to.deep.equal(['Profile:Integration API Only:Created']);
    const profile = sim.store.rows('Profile').find((p) => p.Name === 'Integration API Only')!;
    const owned = sim.store.rows('PermissionSet').find((p) => p.ProfileId === profile.Id)!;
    expect(owned).to.include({ IsOwnedByProfile: true, IsCustom: true, PermissionsApiUserOnly: true, LicenseId: profile.UserLicenseId });
  });

  it('unknown objects, fields and permissions fail their component with a Salesforce-like problem; rollbackOnError keeps the org unchanged', async () => {
    const files = {
      'permissionsets/Good_Set.permissionset-meta.xml': permissionSetXml('Good', objectPermission('Account')),
      'permissionsets/Bad_Field.permissionset-meta.xml': permissionSetXml('Bad field', fieldPermission('Account.Does_Not_Exist__c')),
      'permissionsets/Bad_Object.permissionset-meta.xml': permissionSetXml('Bad object', objectPermission('Nope__c')),
      'permissionsets/Bad_Perm.permissionset-meta.xml': permissionSetXml('Bad perm', '<userPermissions><enabled>true</enabled><name>ManageEverythingEverywhere</name></userPermissions>'),
    };
    const result = await deploy(files);
    expect(result.response.status).to.equal('Failed');
    const errors = Object.fromEntries(result.getFileResponses().filter((r) => r.state === ComponentStatus.Failed).map((r) => [r.fullName, 'error' in r ? r.error : '']));
    expect(errors).to.deep.equal({
      Bad_Field: 'In field: field - no CustomField named Account.Does_Not_Exist__c found',
      Bad_Object: 'In field: object - no CustomObject named Nope__c found',
      Bad_Perm: 'Unknown user permission: ManageEverythingEverywhere',
    });
    expect(permissionSet('Good_Set')).to.equal(undefined);

    const partial = await deploy(files, { rollbackOnError: false });
    expect(partial.response.status).to.equal('SucceededPartial');
    expect(permissionSet('Good_Set')).to.not.equal(undefined);
    expect(permissionSet('Bad_Field')).to.equal(undefined);
  });

  it('checkOnly validates without changing the org; an injected deployFailure fails the named component', async () => {
    const files = { 'permissionsets/Checked.permissionset-meta.xml': permissionSetXml('Checked', objectPermission('Lead')) };
    const validated = await deploy(files, { checkOnly: true });
    expect(validated.response.status).to.equal('Succeeded');
    expect(permissionSet('Checked')).to.equal(undefined);
    sim.injectFault({ kind: 'deployFailure', component: 'Checked', problem: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678' });
    const failed = await deploy(files);
    expect(failed.getFileResponses()[0]).to.include({ state: 'Failed', error: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678' });
    expect(permissionSet('Checked')).to.equal(undefined);
    const retried = await deploy(files);
    expect(retried.response.status).to.equal('Succeeded');
  });

  it('a permission set group may name a set deployed with it; unknown member names fail the group', async () => {
    const result = await deploy({
      'permissionsets/New_Member.permissionset-meta.xml': permissionSetXml('New member', objectPermission('Case')),
      'permissionsetgroups/New_Group.permissionsetgroup-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup ${NS}><label>New group</label><permissionSets>New_Member</permissionSets><permissionSets>Sales_Operations</permissionSets></PermissionSetGroup>`,
    });
    expect(result.response.status).to.equal('Succeeded');
    const group = sim.store.rows('PermissionSetGroup').find((g) => g.DeveloperName === 'New_Group')!;
    const members = sim.store.rows('PermissionSetGroupComponent').filter((c) => c.PermissionSetGroupId === group.Id).map((c) => sim.store.get(String(c.PermissionSetId))!.row.Name);
    expect(members.sort()).to.deep.equal(['New_Member', 'Sales_Operations']);
    const bad = await deploy({
      'permissionsetgroups/Bad_Group.permissionsetgroup-meta.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup ${NS}><label>Bad</label><permissionSets>Missing_Set</permissionSets></PermissionSetGroup>`,
    });
    expect(bad.getFileResponses()[0]).to.include({ state: 'Failed', error: 'Cannot create permission set group components since the following permission set names are invalid: Missing_Set' });
  });

  it('cancelDeploy before completion leaves the org unchanged; an HTTP fault on a SOAP call is a SOAP fault', async () => {
    const zip = new JSZip();
    zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package ${NS}><types><members>Canceled</members><name>PermissionSet</name></types><version>68.0</version></Package>`);
    zip.file('permissionsets/Canceled.permissionset', permissionSetXml('Canceled', objectPermission('Contact')));
    const started = await conn.metadata.deploy(await zip.generateAsync({ type: 'base64' }), {});
    const canceled = await conn.metadata.cancelDeploy(started.id);
    expect(String(canceled.done)).to.equal('true');
    const status = await conn.metadata.checkDeployStatus(started.id, false);
    expect([status.done, status.status]).to.deep.equal([true, 'Canceled']);
    expect(permissionSet('Canceled')).to.equal(undefined);

    sim.injectFault({ kind: 'http', match: { soapCall: 'listMetadata' }, status: 500, errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' });
    const error = await conn.metadata.list([{ type: 'Profile' }]).then(
      () => undefined,
      (e: Error & { errorCode?: string }) => e
    );
    expect(error?.errorCode).to.equal('sf:UNKNOWN_EXCEPTION');
    expect(error?.message).to.equal('An unexpected error occurred');
    const profiles = await conn.metadata.list([{ type: 'Profile' }]);
    expect(profiles.map((p) => p.fullName)).to.include.members(['Admin', 'Standard', 'Minimum Access - API Only Integrations']);
    const eleven = [...profiles.map((p) => p.fullName), 'Extra 1', 'Extra 2'];
    const tooMany = await conn.metadata.read('Profile', eleven).then(
      () => undefined,
      (e: Error & { errorCode?: string }) => e
    );
    expect(eleven.length).to.be.greaterThan(10);
    expect(tooMany?.errorCode).to.equal('sf:EXCEEDED_ID_LIMIT');
  });

  it('accepts an mdapi zip with everything under one folder, and serves listMetadata', async () => {
    const zip = new JSZip();
    zip.file('unpackaged/package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package ${NS}><types><members>Zipped</members><name>PermissionSet</name></types><version>68.0</version></Package>`);
    zip.file('unpackaged/permissionsets/Zipped.permissionset', permissionSetXml('Zipped', objectPermission('Contact')));
    const base64 = await zip.generateAsync({ type: 'base64' });
    const started = await conn.metadata.deploy(base64, { rollbackOnError: true, singlePackage: false });
    expect(started.id).to.match(/^0Af\w{15}$/);
    const first = await conn.metadata.checkDeployStatus(started.id, true);
    expect([first.done, first.status]).to.deep.equal([false, 'InProgress']);
    const second = await conn.metadata.checkDeployStatus(started.id, true);
    expect([second.done, second.status, second.success]).to.deep.equal([true, 'Succeeded', true]);
    const successes = ([] as Array<{ fileName: string; componentType: string }>).concat(second.details?.componentSuccesses as never);
    expect(successes.map((s) => `${s.componentType}|${s.fileName}`).sort()).to.deep.equal(['PermissionSet|unpackaged/permissionsets/Zipped.permissionset', '|unpackaged/package.xml']);
    const listed = await conn.metadata.list([{ type: 'PermissionSet' }]);
    expect(listed.map((f) => f.fullName)).to.include.members(['Zipped', 'Integration_Erp']);
    expect(listed.map((f) => f.fullName)).to.not.include('Sales_Bundle');
  });
});
