/*
 * Generated files deployed to the org simulator with source-deploy-retrieve: afterwards the org shows exactly the
 * access the manifest declares (implied verbs included), nothing more: object and field permission rows, Apex class
 * access, Permissions* booleans, the profile's login IP ranges, and no object access on the profile.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { ComponentSet, ComponentStatus, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { generateIntegrationMetadata } from '../../src/metadata/index.js';
import { loadManifestWithState } from '../../src/manifest/load.js';
import type { DesiredApp, DesiredState } from '../../src/manifest/types.js';
import { MANAGED_MARKER } from '../../src/manifest/constants.js';
import { INDUSTRY_USER_PERMISSIONS, OrgSimulator, demoOrgFixture, plainEditionOrgFixture, type OrgStore, type Row } from '../simulator/index.js';
import { buildProfile } from '../../src/metadata/profile.js';
import { toMetadataXml } from '../../src/metadata/xml.js';
import Generate from '../../src/commands/integration/generate.js';
import { KNOWN_USER_PERMISSIONS } from '../../src/salesforce/userPermissions.js';
import { connectionTo, isolateCliEnv } from './helpers.js';

const example = fileURLToPath(new URL('../../examples/integration.json', import.meta.url));
const integrationLicenseManifest = fileURLToPath(new URL('../fixtures/manifests/good/integration-license.json', import.meta.url));

const enabledPermissions = (row: Row): string[] =>
  Object.keys(row)
    .filter((key) => key.startsWith('Permissions') && row[key] === true)
    .map((key) => key.slice('Permissions'.length))
    .sort();
const children = (store: OrgStore, objectName: string, parentId: unknown): Row[] => store.rows(objectName).filter((row) => row.ParentId === parentId);
const permissionSetNamed = (store: OrgStore, name: string): Row | undefined =>
  store.rows('PermissionSet').find((row) => row.Name === name && row.IsOwnedByProfile !== true);

/** The org's picture of one permission set, in the manifest's vocabulary. */
function orgAccessOf(store: OrgStore, holderId: unknown): { objects: string[]; fields: string[]; classes: string[] } {
  const verbs: Array<[string, string]> = [
    ['read', 'PermissionsRead'],
    ['create', 'PermissionsCreate'],
    ['edit', 'PermissionsEdit'],
    ['delete', 'PermissionsDelete'],
    ['viewAll', 'PermissionsViewAllRecords'],
    ['modifyAll', 'PermissionsModifyAllRecords'],
  ];
  return {
    objects: children(store, 'ObjectPermissions', holderId)
      .map((row) => `${String(row.SobjectType)}:${verbs.filter(([, field]) => row[field] === true).map(([verb]) => verb).join(',')}`)
      .sort(),
    fields: children(store, 'FieldPermissions', holderId)
      .map((row) => `${String(row.Field)}:${row.PermissionsEdit === true ? 'edit' : row.PermissionsRead === true ? 'read' : 'none'}`)
      .sort(),
    classes: children(store, 'SetupEntityAccess', holderId)
      .filter((row) => row.SetupEntityType === 'ApexClass')
      .map((row) => String(store.get(String(row.SetupEntityId))?.row.Name))
      .sort(),
  };
}

/** What the manifest declares for one app, in the same vocabulary (implied verbs included). */
function declaredAccessOf(app: DesiredApp): { objects: string[]; fields: string[]; classes: string[] } {
  const order = ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'] as const;
  return {
    objects: app.objects.map((o) => `${o.object}:${order.filter((verb) => o[verb]).join(',')}`).sort(),
    fields: app.fields.map((f) => `${f.field}:${f.edit ? 'edit' : 'read'}`).sort(),
    classes: [...app.apexClasses].sort(),
  };
}

async function deploy(projectDir: string, connection: Connection): Promise<void> {
  const components = ComponentSet.fromSource(join(projectDir, 'force-app'));
  const operation = await components.deploy({ usernameOrConnection: connection });
  const result = await operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(60) });
  const failures = result.getFileResponses().filter((response) => response.state === ComponentStatus.Failed);
  expect(failures, JSON.stringify(failures)).to.deep.equal([]);
  expect(result.response.status).to.equal(RequestStatus.Succeeded);
}

describe('generate → deploy to the org simulator', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let connection: Connection;
  let projectDir: string;

  beforeEach(async () => {
    sim = await OrgSimulator.start();
    connection = await connectionTo(sim);
    projectDir = await mkdtemp(join(tmpdir(), 'sfi-project-'));
    await writeFile(
      join(projectDir, 'sfdx-project.json'),
      JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '66.0' })
    );
  });
  afterEach(async () => {
    await sim.stop();
    await rm(projectDir, { recursive: true, force: true });
  });

  const generate = async (manifestPath: string): Promise<DesiredState> => {
    await generateIntegrationMetadata({ manifestPath, outputDir: join(projectDir, 'force-app', 'main', 'default') });
    return (await loadManifestWithState(manifestPath)).desired;
  };

  it('the example manifest: every permission set holds exactly the declared access', async () => {
    const desired = await generate(example);
    // The demo org already has an Integration_Erp set with more access (Invoice__c): the deploy must replace it.
    const before = permissionSetNamed(sim.store, 'Integration_Erp') as Row;
    expect(orgAccessOf(sim.store, before.Id).objects).to.include('Invoice__c:read,create,edit');

    await deploy(projectDir, connection);

    for (const app of desired.apps) {
      const set = permissionSetNamed(sim.store, app.permissionSet.name);
      expect(set, app.permissionSet.name).to.not.equal(undefined);
      const row = set as Row;
      expect(row.Label).to.equal(app.permissionSet.label);
      expect(String(row.Description).endsWith(MANAGED_MARKER)).to.equal(true);
      expect(row.LicenseId ?? null, 'license auto: no license restriction').to.equal(null);
      expect(enabledPermissions(row), `${app.name} system permissions`).to.deep.equal(app.systemPermissions);
      expect(orgAccessOf(sim.store, row.Id), app.name).to.deep.equal(declaredAccessOf(app));
    }
    // Spot checks written out, so the comparison above cannot pass by deriving both sides wrongly.
    const erp = orgAccessOf(sim.store, (permissionSetNamed(sim.store, 'Integration_Erp') as Row).Id);
    expect(erp).to.deep.equal({
      objects: ['Account:read,edit', 'Order:read,create,edit'],
      fields: ['Account.Credit_Limit__c:edit', 'Account.Industry:read', 'Order.External_Id__c:read'],
      classes: ['ErpOrderService'],
    });
    const marketing = orgAccessOf(sim.store, (permissionSetNamed(sim.store, 'Integration_Marketing') as Row).Id);
    expect(marketing.objects).to.deep.equal(['Contact:read', 'Lead:read,create,edit']);
  });

  it('the example manifest: the profile is API-only with nothing else, its IP ranges set, no object or field access', async () => {
    await generate(example);
    await deploy(projectDir, connection);
    const profile = sim.store.rows('Profile').find((row) => row.Name === 'Integration API Only') as Row;
    expect(profile, 'profile created').to.not.equal(undefined);
    expect(enabledPermissions(profile)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    const owned = sim.store.rows('PermissionSet').find((row) => row.IsOwnedByProfile === true && row.ProfileId === profile.Id) as Row;
    expect(enabledPermissions(owned)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    expect(children(sim.store, 'ObjectPermissions', owned.Id)).to.deep.equal([]);
    expect(children(sim.store, 'FieldPermissions', owned.Id)).to.deep.equal([]);
    const ranges = (sim.store.loginIpRanges.get(String(profile.Id)) ?? []).map((r) => `${r.startAddress}-${r.endAddress}`);
    expect(ranges).to.deep.equal(['198.51.100.10-198.51.100.20', '203.0.113.0-203.0.113.255']);
  });

  it('a profile deploy overlays, so the explicit false switches off a permission someone granted by hand', async () => {
    await generate(example);
    await deploy(projectDir, connection);
    const profile = sim.store.rows('Profile').find((row) => row.Name === 'Integration API Only') as Row;
    const owned = sim.store.rows('PermissionSet').find((row) => row.IsOwnedByProfile === true && row.ProfileId === profile.Id) as Row;
    sim.store.update(String(profile.Id), { PermissionsViewSetup: true, PermissionsModifyAllData: true });
    sim.store.update(String(owned.Id), { PermissionsViewSetup: true, PermissionsModifyAllData: true });
    expect(enabledPermissions(profile)).to.include('ModifyAllData');

    await deploy(projectDir, connection);
    // Offline, the profile states only the portable names: ModifyAllData goes, ViewSetup (not stated) stays.
    expect(enabledPermissions(sim.store.get(String(profile.Id))?.row as Row)).to.deep.equal(['ApiEnabled', 'ApiUserOnly', 'ViewSetup']);
    expect(enabledPermissions(sim.store.get(String(owned.Id))?.row as Row)).to.deep.equal(['ApiEnabled', 'ApiUserOnly', 'ViewSetup']);

    // With --target-org the profile states every permission that org knows: ViewSetup goes too.
    const restoreEnv = isolateCliEnv(sim);
    try {
      const sandbox = sinon.createSandbox();
      stubSfCommandUx(sandbox);
      await Generate.run(['-f', example, '-d', join(projectDir, 'force-app', 'main', 'default'), '-o', sim.accessToken]).finally(() => sandbox.restore());
    } finally {
      restoreEnv();
    }
    await deploy(projectDir, connection);
    expect(enabledPermissions(sim.store.get(String(profile.Id))?.row as Row)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    expect(enabledPermissions(sim.store.get(String(owned.Id))?.row as Row)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
  });

  it('license integration: no profile deployed, permission sets tied to the Salesforce API Integration license', async () => {
    const profilesBefore = sim.store.rows('Profile').length;
    // The fixture's made-up permission (which the loader only warns about) is dropped here: see the next test.
    const manifest = JSON.parse(await readFile(integrationLicenseManifest, 'utf8')) as { apps: Array<{ permissionSet?: { systemPermissions?: string[] } }> };
    delete manifest.apps[0].permissionSet?.systemPermissions;
    const manifestPath = join(projectDir, 'integration.json');
    await writeFile(manifestPath, JSON.stringify(manifest));
    const desired = await generate(manifestPath);
    await deploy(projectDir, connection);
    expect(sim.store.rows('Profile')).to.have.length(profilesBefore);
    const psl = sim.store.rows('PermissionSetLicense').find((row) => row.DeveloperName === 'SalesforceAPIIntegrationPsl') as Row;
    for (const app of desired.apps) {
      const set = permissionSetNamed(sim.store, app.permissionSet.name) as Row;
      expect(set.LicenseId).to.equal(psl.Id);
      expect(orgAccessOf(sim.store, set.Id)).to.deep.equal(declaredAccessOf(app));
      expect(enabledPermissions(set)).to.deep.equal(['ApiEnabled']);
    }
  });

  it('a permission name the org does not know fails the deploy, as the loader warned', async () => {
    await generate(integrationLicenseManifest);
    const operation = await ComponentSet.fromSource(join(projectDir, 'force-app')).deploy({ usernameOrConnection: connection });
    const result = await operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(60) });
    expect(result.response.status).to.equal(RequestStatus.Failed);
    expect(result.getFileResponses().map((r) => ('error' in r ? r.error : ''))).to.include('Unknown user permission: FutureSparkle');
  });

  describe('an org without twenty industry-cloud permissions of the bundled describe', () => {
    let plain: OrgSimulator;
    let plainConnection: Connection;
    beforeEach(async () => {
      plain = await OrgSimulator.start({ fixture: plainEditionOrgFixture() });
      plainConnection = await connectionTo(plain);
    });
    afterEach(() => plain.stop());

    it('the offline profile deploys there: API only, the dangerous permissions switched off, and the output says --target-org lists all', async () => {
      expect(INDUSTRY_USER_PERMISSIONS).to.have.length(20);
      const outcome = await generateIntegrationMetadata({ manifestPath: example, outputDir: join(projectDir, 'force-app', 'main', 'default') });
      expect(outcome.userPermissionSource).to.equal('portable');
      expect(outcome.notes.join('\n')).to.include('--target-org');
      const profileXml = await readFile(join(projectDir, 'force-app', 'main', 'default', 'profiles', 'Integration API Only.profile-meta.xml'), 'utf8');
      for (const name of INDUSTRY_USER_PERMISSIONS) expect(profileXml, name).to.not.include(`<name>${name}</name>`);

      await deploy(projectDir, plainConnection);
      const profile = plain.store.rows('Profile').find((row) => row.Name === 'Integration API Only') as Row;
      expect(enabledPermissions(profile)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
      // Someone grants a dangerous permission by hand: the next deploy of the same files switches it off again.
      plain.store.update(String(profile.Id), { PermissionsModifyAllData: true, PermissionsManageUsers: true });
      await deploy(projectDir, plainConnection);
      expect(enabledPermissions(plain.store.get(String(profile.Id))?.row as Row)).to.deep.equal(['ApiEnabled', 'ApiUserOnly']);
    });

    it('a profile listing the whole bundled describe is rejected there, naming an industry permission (what the portable list avoids)', async () => {
      const desired = (await loadManifestWithState(example)).desired;
      const full = buildProfile(desired.profile, { userPermissions: KNOWN_USER_PERMISSIONS });
      const dir = join(projectDir, 'force-app', 'main', 'default', 'profiles');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'Integration API Only.profile-meta.xml'), toMetadataXml('Profile', full));
      const operation = await ComponentSet.fromSource(join(projectDir, 'force-app')).deploy({ usernameOrConnection: plainConnection });
      const result = await operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(60) });
      expect(result.response.status).to.equal(RequestStatus.Failed);
      const errors = result.getFileResponses().map((r) => ('error' in r ? r.error : ''));
      expect(errors.some((e) => INDUSTRY_USER_PERMISSIONS.some((name) => e === `Unknown user permission: ${name}`)), errors.join('; ')).to.equal(true);
      expect(plain.store.rows('Profile').some((row) => row.Name === 'Integration API Only')).to.equal(false);
    });
  });

  describe('--target-org: the profile lists the permissions that org knows', () => {
    let newerOrg: OrgSimulator;
    let restoreEnv: () => void;
    let sandbox: sinon.SinonSandbox;
    let ux: ReturnType<typeof stubSfCommandUx>;
    beforeEach(async () => {
      sandbox = sinon.createSandbox();
      ux = stubSfCommandUx(sandbox);
      // An org newer than the bundled v64 describe: its PermissionSet describe has one more permission, FutureSparkle.
      const fixture = demoOrgFixture();
      fixture.customObjects = [...fixture.customObjects, { name: 'PermissionSet', extendsStandard: true, fields: [{ name: 'PermissionsFutureSparkle', type: 'boolean', nillable: false }] }];
      newerOrg = await OrgSimulator.start({ fixture });
      restoreEnv = isolateCliEnv(newerOrg);
    });
    afterEach(async () => {
      sandbox.restore();
      restoreEnv();
      await newerOrg.stop();
    });

    it('reads the describe, lists its permissions in the profile, and the files deploy there', async () => {
      const out = join(projectDir, 'force-app', 'main', 'default');
      const withProfile = await Generate.run(['-f', example, '-d', out, '-o', newerOrg.accessToken]);
      expect(withProfile.userPermissionSource).to.equal('org');
      const profileXml = await readFile(join(out, 'profiles', 'Integration API Only.profile-meta.xml'), 'utf8');
      const listed = [...profileXml.matchAll(/<name>(\w+)<\/name>/g)].map((match) => match[1]);
      expect(listed).to.include('FutureSparkle');
      expect(listed).to.have.length(KNOWN_USER_PERMISSIONS.length + 1);
      // Then the integration-license manifest's sets (its Integration_Erp grants FutureSparkle) over the example's.
      const sets = await Generate.run(['-f', integrationLicenseManifest, '-d', out, '-o', newerOrg.accessToken]);
      expect(sets.files.map((f) => `${f.fullName}:${f.action}`)).to.deep.equal(['Integration_Data_Lake:created', 'Integration_Erp:updated']);
      expect(ux.warn.args.flat().join('\n'), 'the org knows FutureSparkle').to.not.include('FutureSparkle');
      // Without --target-org the built-in list is used and the org's newer permission is absent.
      const offline = await Generate.run(['-f', example, '-d', join(projectDir, 'offline')]);
      expect(offline.userPermissionSource).to.equal('portable');
      // Integration_Erp grants FutureSparkle, which this org knows: everything deploys.
      await deploy(projectDir, await connectionTo(newerOrg));
      expect(enabledPermissions(permissionSetNamed(newerOrg.store, 'Integration_Erp') as Row)).to.deep.equal(['ApiEnabled', 'FutureSparkle']);
    });
  });
});
