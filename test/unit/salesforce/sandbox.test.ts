/* src/salesforce/sandbox.ts: is the org a sandbox and what is its name; apply, audit and user list give one answer. */
import { expect } from 'chai';
import type { AccessModel } from '../../../src/access/model.js';
import { buildUserList } from '../../../src/inventory/userList.js';
import { appUsernames } from '../../../src/manifest/desiredState.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import { computePlan } from '../../../src/plan/computePlan.js';
import { buildRuleContext } from '../../../src/rules/context.js';
import type { DeclaredIntegration } from '../../../src/rules/types.js';
import {
  isSandboxCopyOf,
  isSandboxHost,
  isScratchHost,
  orgSandbox,
  repairedEmail,
  sandboxNameFromHost,
  sandboxNameFromUsername,
  sandboxUsername,
  type SandboxFacts,
} from '../../../src/salesforce/sandbox.js';
import { orgModel } from '../rules/modelBuilder.js';

describe('salesforce/sandbox', () => {
  it('reads the sandbox name from My Domain hosts, old and new', () => {
    expect(sandboxNameFromHost('https://acme--uat.sandbox.my.salesforce.com')).to.equal('uat');
    expect(sandboxNameFromHost('https://my-co--Dev1.sandbox.my.salesforce.com')).to.equal('dev1');
    expect(sandboxNameFromHost('https://acme--qa2.my.salesforce.com')).to.equal('qa2');
    expect(sandboxNameFromHost('https://acme--dev.cs42.my.salesforce.com')).to.equal('dev');
    expect(sandboxNameFromHost('https://acme.my.salesforce.com')).to.equal(undefined);
    expect(sandboxNameFromHost('http://127.0.0.1:1234')).to.equal(undefined);
    expect(sandboxNameFromHost('not a url')).to.equal(undefined);
    expect(sandboxNameFromHost(undefined)).to.equal(undefined);
  });

  it('a scratch org (IsSandbox with a TrialExpirationDate, or a scratch host) is not a sandbox copy', () => {
    expect(orgSandbox({ isSandbox: true, isScratch: true, runningUsername: 'test-abc@example.com' })).to.deep.equal({ isSandbox: false });
    expect(orgSandbox({ instanceUrl: 'https://power-fun-1234-dev-ed.scratch.my.salesforce.com' })).to.deep.equal({ isSandbox: false });
    expect(isScratchHost('https://acme--uat.sandbox.my.salesforce.com')).to.equal(false);
    // a real sandbox still asks for its name when nothing names it
    expect(orgSandbox({ isSandbox: true, runningUsername: 'test-abc@example.com' })).to.deep.equal({ isSandbox: true });
    // --sandbox-name is the admin's word, even on a scratch org
    expect(orgSandbox({ isSandbox: true, isScratch: true }, 'qa')).to.deep.equal({ isSandbox: true, info: { name: 'qa', source: 'flag' } });
  });

  it('a sandbox host is only the enhanced-domain shape', () => {
    expect(isSandboxHost('https://acme--uat.sandbox.my.salesforce.com')).to.equal(true);
    expect(isSandboxHost('https://acme--qa2.my.salesforce.com')).to.equal(false);
    expect(isSandboxHost('https://acme.my.salesforce.com')).to.equal(false);
    expect(isSandboxHost('https://acme--uat.sandbox.my.salesforce.com.evil.example')).to.equal(false);
    expect(isSandboxHost(undefined)).to.equal(false);
  });

  it('reads the name from a sandbox username, never from a production-looking one', () => {
    expect(sandboxNameFromUsername('admin@acme.com.uat')).to.equal('uat');
    expect(sandboxNameFromUsername('admin@acme.com')).to.equal(undefined);
    expect(sandboxNameFromUsername('nobody')).to.equal(undefined);
  });

  it('is a sandbox by --sandbox-name, Organization.IsSandbox, or (IsSandbox not read) a sandbox host', () => {
    const uatHost = 'https://acme--uat.sandbox.my.salesforce.com';
    expect(orgSandbox({ isSandbox: false, instanceUrl: uatHost })).to.deep.equal({ isSandbox: false });
    expect(orgSandbox({ isSandbox: true, instanceUrl: uatHost })).to.deep.equal({ isSandbox: true, info: { name: 'uat', source: 'myDomain' } });
    expect(orgSandbox({ instanceUrl: uatHost })).to.deep.equal({ isSandbox: true, info: { name: 'uat', source: 'myDomain' } });
    expect(orgSandbox({ instanceUrl: 'https://acme.my.salesforce.com', runningUsername: 'a@b.c.dev' })).to.deep.equal({ isSandbox: false });
    // --sandbox-name says so even where the org does not
    expect(orgSandbox({ isSandbox: false }, 'qa')).to.deep.equal({ isSandbox: true, info: { name: 'qa', source: 'flag' } });
  });

  it('names it by the flag, then the host, then the running username; a sandbox nothing names has no name', () => {
    const facts: SandboxFacts = { isSandbox: true, instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com', runningUsername: 'a@b.c.dev' };
    expect(orgSandbox(facts, 'qa')).to.deep.equal({ isSandbox: true, info: { name: 'qa', source: 'flag' } });
    expect(orgSandbox(facts)).to.deep.equal({ isSandbox: true, info: { name: 'uat', source: 'myDomain' } });
    expect(orgSandbox({ ...facts, instanceUrl: 'http://127.0.0.1' })).to.deep.equal({ isSandbox: true, info: { name: 'dev', source: 'username' } });
    expect(orgSandbox({ isSandbox: true, instanceUrl: 'http://127.0.0.1', runningUsername: 'admin@acme.com' })).to.deep.equal({ isSandbox: true });
  });

  it('a sandbox copy of a username carries the sandbox suffix, or any one label when the name is unknown', () => {
    expect(isSandboxCopyOf('ERP@Acme.Example.UAT', 'erp@acme.example', 'uat')).to.equal(true);
    expect(isSandboxCopyOf('erp@acme.example.com', 'erp@acme.example', 'uat')).to.equal(false);
    expect(isSandboxCopyOf('erp@acme.example.com', 'erp@acme.example', undefined)).to.equal(true);
    expect(isSandboxCopyOf('erp@acme.example.uat@evil.example', 'erp@acme.example', undefined)).to.equal(false);
    expect(isSandboxCopyOf('erp@acme.example', 'erp@acme.example', 'uat')).to.equal(false);
  });

  it('maps usernames once and repairs .invalid e-mails', () => {
    expect(sandboxUsername('erp@acme.example', 'uat')).to.equal('erp@acme.example.uat');
    expect(sandboxUsername('erp@acme.example.UAT', 'uat')).to.equal('erp@acme.example.UAT');
    expect(repairedEmail('ops@acme.example.invalid')).to.equal('ops@acme.example');
    expect(repairedEmail('ops@acme.example')).to.equal(undefined);
  });

  describe('apply, audit and user list agree on the app user', () => {
    const validation = validateManifest({ version: 1, defaults: { username: '{app}.integration@acme.example', email: 'ops@acme.example' }, apps: [{ name: 'erp' }] }, 'integration.json');
    const desired = validation.desired!;
    const declared: DeclaredIntegration = {
      profileName: desired.profile.name,
      apps: [{ name: 'erp', username: 'erp.integration@acme.example', permissionSetName: 'Integration_Erp', objects: {}, fields: {}, systemPermissions: [], apexClasses: [], elevated: [] }],
    };
    // Two users that could be the app's in a sandbox: the `uat` copy, and one whose last label is not the sandbox's.
    const model = (org: AccessModel['org']): AccessModel => {
      const m = orgModel({
        profiles: { 'Standard User': { userLicense: 'Salesforce', systemPermissions: ['ApiEnabled'] } },
        users: [
          { username: 'admin@acme.example.uat', profile: 'Standard User' },
          { username: 'erp.integration@acme.example.uat', profile: 'Standard User' },
          { username: 'erp.integration@acme.example.com', profile: 'Standard User' },
        ],
      });
      m.org = org;
      return m;
    };
    /** The usernames each command takes for the app "erp". */
    const answers = (m: AccessModel): { apply: string[]; audit: string[]; list: string[] } => {
      const plan = computePlan(desired, m);
      return {
        apply: plan.actions.filter((a) => a.app === 'erp' && (a.kind === 'updateUser' || a.kind === 'createUser')).map((a) => `${a.op} ${a.subject}`),
        audit: buildRuleContext(m, {}, declared).integrationUsers.filter((iu) => iu.app === 'erp').map((iu) => iu.user.username),
        list: buildUserList(m, { manifestUsers: appUsernames(desired) }).users.filter((u) => u.app === 'erp').map((u) => u.username),
      };
    };

    const cases: Array<[string, AccessModel['org'], string]> = [
      ['named by the My Domain host', { isSandbox: true, instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' }, 'erp.integration@acme.example.uat'],
      // Before one module owned this, audit and list took both users here (any suffix), apply only the `uat` one.
      ['named by the running username only', { isSandbox: true, instanceUrl: 'https://acme.my.salesforce.com', runningUsername: 'admin@acme.example.uat' }, 'erp.integration@acme.example.uat'],
      ['IsSandbox not read, sandbox host', { instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' }, 'erp.integration@acme.example.uat'],
    ];
    for (const [title, org, expected] of cases) {
      it(`a sandbox ${title}: the one copy with its suffix`, () => {
        const a = answers(model(org));
        expect(a.apply).to.deep.equal([`update ${expected}`]);
        expect(a.audit).to.deep.equal([expected]);
        expect(a.list).to.deep.equal([expected]);
      });
    }

    it('a user the sandbox copy prefixed after a collision is the app user for all three', () => {
      const m = model({ isSandbox: true, instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' });
      m.users = m.users.filter((u) => u.username !== 'erp.integration@acme.example.uat');
      m.users[1].username = '00x7Vqerp.integration@acme.example.uat';
      const a = answers(m);
      expect(a.apply).to.deep.equal(['update 00x7Vqerp.integration@acme.example.uat']);
      expect(a.audit).to.deep.equal(['00x7Vqerp.integration@acme.example.uat']);
      expect(a.list).to.deep.equal(['00x7Vqerp.integration@acme.example.uat']);
    });

    it('production: no suffixed user is the app user, and apply creates it', () => {
      const a = answers(model({ isSandbox: false, instanceUrl: 'https://acme.my.salesforce.com', runningUsername: 'admin@acme.example' }));
      expect(a).to.deep.equal({ apply: ['create erp.integration@acme.example'], audit: [], list: [] });
    });
  });
});
