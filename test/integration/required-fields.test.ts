/*
 * Required fields take no field permission (an org refuses the deploy: "You cannot deploy to a required field: …"):
 * generate and apply leave them out and say so. Offline the bundled describe knows the standard objects; with an org,
 * its describes also know its custom required fields.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { ComponentSet, RequestStatus } from '@salesforce/source-deploy-retrieve';
import Generate from '../../src/commands/integration/generate.js';
import { generateIntegrationMetadata } from '../../src/metadata/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import { runApply } from '../../src/plan/apply.js';
import { OrgSimulator, demoOrgFixture, type OrgFixture, type Row } from '../simulator/index.js';
import { FAST_RETRY, desiredOf, writeRequests } from './applyHelpers.js';
import { connectionTo, isolateCliEnv } from './helpers.js';

/** The demo org with a custom required field on Account (nillable false, createable, not defaulted). */
const orgWithRequiredCustomField = (): OrgFixture => {
  const fixture = demoOrgFixture();
  return { ...fixture, customObjects: [...fixture.customObjects, { name: 'Account', extendsStandard: true, fields: [{ name: 'Tax_Id__c', type: 'string', nillable: false }] }] };
};

const manifest: Manifest = {
  version: 1,
  profile: { license: 'salesforce' },
  defaults: { username: '{app}.int@required-test.example', email: 'ops@required-test.example' },
  apps: [
    {
      name: 'crm',
      permissionSet: {
        objects: { Account: ['read', 'edit'], Lead: ['read'] },
        fields: { 'Account.Name': 'edit', 'Lead.Company': 'read', 'Account.Industry': 'read', 'Account.Tax_Id__c': 'read' },
      },
    },
  ],
};

async function deployDir(dir: string, connection: Connection): Promise<{ status: string; errors: string[] }> {
  const operation = await ComponentSet.fromSource(dir).deploy({ usernameOrConnection: connection });
  const result = await operation.pollStatus({ frequency: Duration.milliseconds(50), timeout: Duration.seconds(60) });
  return { status: String(result.response.status), errors: result.getFileResponses().flatMap((r) => ('error' in r ? [r.error] : [])) };
}

describe('required fields (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let connection: Connection;
  let dir: string;
  let manifestPath: string;

  beforeEach(async () => {
    sim = await OrgSimulator.start({ fixture: orgWithRequiredCustomField() });
    connection = await connectionTo(sim);
    dir = await mkdtemp(join(tmpdir(), 'sfi-required-'));
    manifestPath = join(dir, 'integration.json');
    await writeFile(manifestPath, JSON.stringify(manifest));
  });
  afterEach(async () => {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const fieldRows = (setName: string): string[] => {
    const set = sim.store.rows('PermissionSet').find((p) => p.Name === setName) as Row;
    return sim.store.rows('FieldPermissions').filter((f) => f.ParentId === set.Id).map((f) => String(f.Field)).sort();
  };

  it('the simulator describe says which fields are required, and a deploy naming one is refused', async () => {
    type Described = { fields: Array<{ name: string; permissionable: boolean; defaultedOnCreate: boolean }> };
    const describe = await connection.request<Described>(`${connection.baseUrl()}/sobjects/Lead/describe`);
    const byName = new Map(describe.fields.map((f) => [f.name, f]));
    expect(byName.get('Company')).to.include({ permissionable: false, defaultedOnCreate: false });
    expect(byName.get('LeadSource')).to.include({ permissionable: true });
    expect(byName.get('OwnerId')).to.include({ permissionable: false, defaultedOnCreate: true });
    expect(byName.get('IsUnreadByOwner')).to.include({ permissionable: true, defaultedOnCreate: true });

    const set = join(dir, 'refused', 'permissionsets');
    await mkdir(set, { recursive: true });
    await writeFile(
      join(set, 'Hand_Written.permissionset-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><fieldPermissions><editable>false</editable><field>Lead.Company</field><readable>true</readable></fieldPermissions><label>Hand Written</label><objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Lead</object><viewAllRecords>false</viewAllRecords></objectPermissions></PermissionSet>\n'
    );
    const refused = await deployDir(join(dir, 'refused'), connection);
    expect(refused.status).to.equal(RequestStatus.Failed);
    expect(refused.errors).to.deep.equal(['You cannot deploy to a required field: Lead.Company']);
  });

  it('offline generate leaves the standard required fields out and notes it; the custom one only the org knows fails the deploy', async () => {
    const out = join(dir, 'offline');
    const outcome = await generateIntegrationMetadata({ manifestPath, outputDir: out });
    const notes = outcome.notes.join('\n');
    expect(notes).to.include('Account.Name').and.include('Lead.Company').and.not.include('Tax_Id__c');
    const xml = await readFile(join(out, 'permissionsets', 'Integration_Crm.permissionset-meta.xml'), 'utf8');
    expect(xml).to.not.include('<field>Account.Name</field>').and.not.include('<field>Lead.Company</field>');
    expect(xml).to.include('<field>Account.Industry</field>').and.include('<field>Account.Tax_Id__c</field>');
    const result = await deployDir(out, connection);
    expect(result.errors).to.deep.equal(['You cannot deploy to a required field: Account.Tax_Id__c']);
  });

  it('generate --target-org uses the org describes: the custom required field is left out too, and the files deploy', async () => {
    const restore = isolateCliEnv(sim);
    const sandbox = sinon.createSandbox();
    const ux = stubSfCommandUx(sandbox);
    try {
      const out = join(dir, 'online');
      const result = await Generate.run(['-f', manifestPath, '-d', out, '-o', sim.accessToken]);
      expect(result.notes.join('\n')).to.include('Account.Tax_Id__c').and.include('Account.Name').and.include('Lead.Company');
      expect(ux.info.args.flat().join('\n')).to.include('Account.Tax_Id__c is a required field');
      expect(sim.requestCount({ pathIncludes: '/sobjects/Account/describe' })).to.equal(1);
      expect((await deployDir(out, connection)).status).to.equal(RequestStatus.Succeeded);
      expect(fieldRows('Integration_Crm')).to.deep.equal(['Account.Industry']);
    } finally {
      sandbox.restore();
      restore();
    }
  });

  it('apply leaves them out (the note in the result), converges, and a re-run sends no write', async () => {
    const first = await runApply({ conn: connection, desired: desiredOf(manifest), retry: FAST_RETRY });
    expect(first.outcome, JSON.stringify(first.notDone)).to.equal('applied');
    expect(first.notes.join('\n')).to.include('Account.Tax_Id__c');
    expect(fieldRows('Integration_Crm')).to.deep.equal(['Account.Industry']);
    const before = writeRequests(sim);
    const second = await runApply({ conn: connection, desired: desiredOf(manifest), retry: FAST_RETRY });
    expect(second.outcome).to.equal('converged');
    expect(writeRequests(sim)).to.equal(before);
  });
});
