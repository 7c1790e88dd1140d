/* `sf integration user create` in-process against the org simulator. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import UserCreate from '../../src/commands/integration/user/create.js';
import { OrgSimulator } from '../simulator/index.js';
import { isolateCliEnv } from './helpers.js';
import { assigned, hasPsl, rowsWhere, setRow, userRow, writeRequests } from './applyHelpers.js';

describe('integration user create (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let restore: () => void;
  let dir: string;
  let sandbox: sinon.SinonSandbox;

  beforeEach(async () => {
    sim = await OrgSimulator.start();
    restore = isolateCliEnv(sim);
    dir = mkdtempSync(join(tmpdir(), 'user-create-'));
    sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
  });
  afterEach(async () => {
    sandbox.restore();
    restore();
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
    await sim.stop();
  });

  const definition = (content: unknown): string => {
    const path = join(dir, 'app.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('creates the user with the running user defaults, its permission set and assignments; a re-run writes nothing', async () => {
    const file = definition({ objects: { Account: ['read', 'edit'] }, fields: { 'Account.Credit_Limit__c': 'edit' }, apexClasses: ['ErpOrderService'] });
    const result = await UserCreate.run(['-o', sim.accessToken, '--app', 'billing', '--definition-file', file, '--json']);
    expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
    const admin = userRow(sim, sim.username)!;
    const user = userRow(sim, 'billing.integration@demo.sim')!;
    expect(user).to.include({ Email: admin.Email, TimeZoneSidKey: admin.TimeZoneSidKey, LocaleSidKey: admin.LocaleSidKey, LanguageLocaleKey: admin.LanguageLocaleKey, IsActive: true });
    expect(sim.store.get(String(user.ProfileId))!.row.Name).to.equal('Minimum Access - API Only Integrations');
    expect(hasPsl(sim, 'billing.integration@demo.sim')).to.equal(true);
    expect(assigned(sim, 'billing.integration@demo.sim')).to.deep.equal(['Integration_Billing']);
    expect(setRow(sim, 'Integration_Billing')).to.not.equal(undefined);
    // one app: other managed sets in the org are not this command's business
    expect(result.plan.filter((a) => a.op === 'orphaned')).to.deep.equal([]);

    sim.resetRequests();
    const again = await UserCreate.run(['-o', sim.accessToken, '--app', 'billing', '--definition-file', file, '--json']);
    expect(again.outcome).to.equal('converged');
    expect(writeRequests(sim)).to.equal(0);
  });

  it('takes --username, --email, names and --license salesforce (the generated API-only profile)', async () => {
    const result = await UserCreate.run([
      '-o', sim.accessToken, '--app', 'hr', '--license', 'salesforce', '--username', 'hr.sync@corp.example', '--email', 'it@corp.example', '--first-name', 'HR', '--last-name', 'Sync', '--json',
    ]);
    expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
    const user = userRow(sim, 'hr.sync@corp.example')!;
    expect(user).to.include({ Email: 'it@corp.example', FirstName: 'HR', LastName: 'Sync' });
    const profile = sim.store.get(String(user.ProfileId))!.row;
    expect(profile.Name).to.equal('Integration API Only');
    expect(result.licenses[0]).to.include({ license: 'salesforce' });
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    sim.resetRequests();
    const result = await UserCreate.run(['-o', sim.accessToken, '--app', 'billing', '--dry-run', '--json']);
    expect(result.outcome).to.equal('planned');
    expect(result.plan.map((a) => `${a.op} ${a.kind} ${a.subject}`)).to.include('create createUser billing.integration@demo.sim');
    expect(writeRequests(sim)).to.equal(0);
  });

  it('refuses a definition with an unknown verb, naming the JSON path, before reading anything else', async () => {
    const file = definition({ objects: { Account: ['read', 'destroy'] } });
    try {
      await UserCreate.run(['-o', sim.accessToken, '--app', 'billing', '--definition-file', file, '--json']);
      expect.fail('expected an error');
    } catch (error) {
      expect((error as Error).name).to.equal('InvalidDefinitionError');
      expect((error as Error).message).to.include('$.apps[0].permissionSet.objects.Account');
    }
    expect(writeRequests(sim)).to.equal(0);
  });

  it('a username taken in another org: the user is not created, the result names the username and how to choose another (exit 68)', async () => {
    const result = await UserCreate.run(['-o', sim.accessToken, '--app', 'taken', '--username', 'taken.integration@acme.example', '--json']);
    // the permission set was deployed, the user was not: partial success
    expect(result.outcome).to.equal('partial');
    expect(process.exitCode).to.equal(68);
    const failed = result.notDone.find((d) => d.kind === 'createUser')!;
    expect(failed.code).to.equal('DUPLICATE_USERNAME');
    expect(failed.reason).to.include('taken.integration@acme.example');
    expect(userRow(sim, 'taken.integration@acme.example')).to.equal(undefined);
  });

  /** The access the org holds for a permission set: objects with their verbs, fields, Apex classes, ViewSetup. */
  const accessOf = (name: string): { objects: string[]; fields: string[]; classes: string[]; viewSetup: boolean } => {
    const set = setRow(sim, name)!;
    const verbs: Array<[string, string]> = [['read', 'PermissionsRead'], ['create', 'PermissionsCreate'], ['edit', 'PermissionsEdit'], ['delete', 'PermissionsDelete']];
    return {
      objects: rowsWhere(sim, 'ObjectPermissions', (o) => o.ParentId === set.Id)
        .map((o) => `${String(o.SobjectType)}:${verbs.filter(([, field]) => o[field] === true).map(([verb]) => verb).join(',')}`)
        .sort(),
      fields: rowsWhere(sim, 'FieldPermissions', (f) => f.ParentId === set.Id)
        .map((f) => `${String(f.Field)}:${f.PermissionsEdit === true ? 'edit' : 'read'}`)
        .sort(),
      classes: rowsWhere(sim, 'SetupEntityAccess', (a) => a.ParentId === set.Id && a.SetupEntityType === 'ApexClass')
        .map((a) => String(sim.store.get(String(a.SetupEntityId))?.row.Name))
        .sort(),
      viewSetup: set.PermissionsViewSetup === true,
    };
  };

  it('--object, --field, --permission, --apex-class: one command gives the app its access; the same flags again write nothing', async () => {
    const args = ['-o', sim.accessToken, '--app', 'billing', '--object', 'Account=read,edit', '--object', 'Order=read', '--field', 'Account.Industry=read', '--permission', 'ViewSetup', '--apex-class', 'ErpOrderService', '--json'];
    const result = await UserCreate.run(args);
    expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
    expect(accessOf('Integration_Billing')).to.deep.equal({
      objects: ['Account:read,edit', 'Order:read'],
      fields: ['Account.Industry:read'],
      classes: ['ErpOrderService'],
      viewSetup: true,
    });
    expect(assigned(sim, 'billing.integration@demo.sim')).to.deep.equal(['Integration_Billing']);

    sim.resetRequests();
    const again = await UserCreate.run(args);
    expect(again.outcome).to.equal('converged');
    expect(writeRequests(sim)).to.equal(0);
  });

  it('the flags add to --definition-file: an object in both gets the verbs of both', async () => {
    const file = definition({ objects: { Account: ['read'] }, apexClasses: ['ErpOrderService'] });
    const result = await UserCreate.run(['-o', sim.accessToken, '--app', 'billing', '--definition-file', file, '--object', 'Account=edit', '--object', 'Order=read,create', '--json']);
    expect(result.outcome, JSON.stringify(result.notDone)).to.equal('applied');
    expect(accessOf('Integration_Billing')).to.deep.include({ objects: ['Account:read,edit', 'Order:read,create'], classes: ['ErpOrderService'] });
  });

  it('bad flag values: every problem named by its flag and value, before any request to the org', async () => {
    sim.resetRequests();
    try {
      await UserCreate.run(['-o', sim.accessToken, '--app', 'billing', '--object', 'Account=read,destroy', '--object', 'Contact', '--field', 'Lead.Status=read', '--permission', 'ModifyAllData', '--json']);
      expect.fail('expected an error');
    } catch (error) {
      const message = (error as Error).message;
      expect((error as Error).name).to.equal('InvalidDefinitionError');
      expect(message).to.include('4 problem(s)');
      for (const flag of ['--object Account=read,destroy:', '--object Contact:', '--field Lead.Status=read:', '--permission ModifyAllData:']) expect(message).to.include(flag);
      expect(message).not.to.include('$.apps');
    }
    // Org.create reads the org; the command itself sent nothing (no running user read, no write).
    expect(sim.requests.filter((r) => (r.soql ?? '').includes('FROM User'))).to.deep.equal([]);
    expect(writeRequests(sim)).to.equal(0);
  });
});
