/*
 * `sf integration apply` and `sf integration user create` through the real sf against the simulator, typed as a
 * user would: a fresh org, the converged re-run (zero writes), a username taken in another org (exit 68), and a
 * sandbox after a refresh.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeRun, useE2eSession, widestLine, type SfRun, type SimRequest } from './harness.js';

type Row = { op: string; kind: string; subject: string };
type Result = { outcome: string; plan: Row[]; notDone: Array<{ kind: string; code: string; reason: string }>; done: Row[]; sandbox?: { name: string } };

const SOAP_READS = new Set(['readMetadata', 'listMetadata', 'describeMetadata', 'checkDeployStatus']);
const writes = (requests: SimRequest[]): SimRequest[] =>
  requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/__sim') && !(r.soapCall && SOAP_READS.has(r.soapCall)));

const manifest = (usernameTemplate: string): object => ({
  version: 1,
  profile: { license: 'auto' },
  defaults: { username: usernameTemplate, email: 'sf-admins@acme.example', timeZone: 'Europe/Paris', locale: 'fr_FR', language: 'en_US' },
  apps: [
    { name: 'billing', permissionSet: { objects: { Account: ['read', 'edit'] }, fields: { 'Account.Credit_Limit__c': 'edit' }, apexClasses: ['ErpOrderService'] } },
    { name: 'leads', permissionSet: { objects: { Lead: ['create', 'edit'] } } },
  ],
});

describe('e2e: sf integration apply', () => {
  const session = useE2eSession();
  const write = (name: string, content: object): string => {
    const path = join(session().workDir, name);
    writeFileSync(path, JSON.stringify(content, null, 2));
    return path;
  };

  it('--help shows the exit codes and how managed components are recognised', async () => {
    const run = await session().sf(['integration', 'apply', '--help']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.stdout).to.include('$ sf integration apply');
    expect(run.stdout).to.match(/68/);
    expect(run.stdout).to.include('[managed by sf-plugin-integration]');
  });

  it('plans, applies, and converges with zero writes', async () => {
    const file = write('integration.json', manifest('{app}.e2e@acme-e2e.example'));
    await session().resetSimRequests();
    const dry = await session().sf<Result>(['integration', 'apply', '-o', session().alias, '-f', file, '--dry-run', '--json']);
    expect(dry.exitCode, describeRun(dry)).to.equal(0);
    expect(dry.json?.result?.outcome).to.equal('planned');
    expect(writes(await session().simRequests())).to.deep.equal([]);

    const human = await session().sf(['integration', 'apply', '-o', session().alias, '-f', file]);
    expect(human.exitCode, describeRun(human)).to.equal(0);
    expect(human.stdout).to.match(/\+ user\s+billing\.e2e@acme-e2e\.example/);
    expect(human.stdout).to.match(/\+ permission set\s+Integration_Billing/);
    expect(human.stdout + human.stderr).not.to.include(session().org.accessToken);
    // a pipe, not a terminal: 120 columns
    expect(widestLine(human.stdout), describeRun(human)).to.be.at.most(120);

    await session().resetSimRequests();
    const again = await session().sf<Result>(['integration', 'apply', '-o', session().alias, '-f', file, '--json']);
    expect(again.exitCode, describeRun(again)).to.equal(0);
    expect(again.json?.result?.outcome).to.equal('converged');
    expect(writes(await session().simRequests())).to.deep.equal([]);
  });

  it('a username taken in another org: exit 68, the error names the username, the other app is done', async () => {
    const file = write('taken.json', manifest('{app}.integration@acme.example'));
    const content = JSON.parse(JSON.stringify(manifest('{app}.integration@acme.example'))) as { apps: Array<{ name: string }> };
    content.apps[0].name = 'taken';
    writeFileSync(file, JSON.stringify(content));
    const run = await session().sf<Result>(['integration', 'apply', '-o', session().alias, '-f', file, '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(68);
    expect(run.json?.result?.outcome).to.equal('partial');
    const failed = run.json?.result?.notDone.find((d) => d.kind === 'createUser');
    expect(failed?.code).to.equal('DUPLICATE_USERNAME');
    expect(failed?.reason).to.include('taken.integration@acme.example');
    expect(run.json?.result?.done.map((d) => d.subject)).to.include('leads.integration@acme.example');
  });

  it('user create makes one app user with the running user defaults', async () => {
    const definition = write('hr.json', { objects: { Contact: ['read'] } });
    const run = await session().sf<Result>(['integration', 'user', 'create', '-o', session().alias, '--app', 'hr', '--definition-file', definition, '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.json?.result?.outcome).to.equal('applied');
    expect(run.json?.result?.plan.find((a) => a.kind === 'createUser')?.subject).to.equal('hr.integration@demo.sim');
  });
});

describe('e2e: sf integration apply in a sandbox after a refresh', () => {
  // everything a refresh does at once: prefixed username, frozen users, .invalid e-mails, an inactive user, an org
  // with only the older integration profile (test/simulator/fixtures/refreshedSandbox.ts)
  const session = useE2eSession({ simulatorArgs: ['--fixture', 'refreshed'] });
  type SandboxResult = Result & { notices: Array<{ code: string; subject: string }>; done: Array<Row & { note?: string }> };

  it('one apply converges, a second sends no write; --repair-emails sends the e-mail changes once', async () => {
    const file = join(session().workDir, 'integration.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        profile: { name: 'ERP API Profile' },
        defaults: { username: '{app}.integration@demo.sim', email: 'sf-admins@demo.sim', timeZone: 'Europe/Paris' },
        apps: [
          { name: 'erp', permissionSet: { name: 'Integration_Erp', objects: { Account: ['read', 'edit'] } } },
          { name: 'dormant', permissionSet: { name: 'Integration_Dormant', objects: { Account: ['read'] } } },
          { name: 'billing', permissionSet: { objects: { Account: ['read'] } } },
        ],
      })
    );
    const apply = (extra: string[] = []): Promise<SfRun<SandboxResult>> =>
      session().sf<SandboxResult>(['integration', 'apply', '-o', session().alias, '-f', file, '--json', ...extra]);
    const first = await apply();
    expect(first.exitCode, describeRun(first)).to.equal(0);
    const result = first.json?.result as SandboxResult;
    expect(result.outcome).to.equal('applied');
    expect(result.sandbox?.name).to.equal('uat');
    expect(result.notices.map((n) => n.code)).to.include.members(['prefixedUsername', 'olderIntegrationProfile', 'invalidEmail', 'frozenUser']);
    const changes = result.plan.filter((a) => a.op !== 'unchanged' && a.op !== 'orphaned').map((a) => `${a.kind} ${a.subject}`);
    expect(changes).to.include.members([
      'unfreezeUser 00x7Vqerp.integration@demo.sim.uat',
      'reactivateUser dormant.integration@demo.sim.uat',
      'createUser billing.integration@demo.sim.uat',
    ]);
    expect(changes.filter((c) => c.startsWith('createUser'))).to.deep.equal(['createUser billing.integration@demo.sim.uat']);

    await session().resetSimRequests();
    const second = await apply();
    expect(second.json?.result?.outcome, describeRun(second)).to.equal('converged');
    expect(writes(await session().simRequests())).to.deep.equal([]);

    const repair = await apply(['--repair-emails']);
    expect(repair.exitCode, describeRun(repair)).to.equal(0);
    expect((repair.json?.result as SandboxResult).done.map((d) => `${d.kind} ${d.subject}`)).to.deep.equal([
      'repairEmail 00x7Vqerp.integration@demo.sim.uat',
      'repairEmail dormant.integration@demo.sim.uat',
    ]);
    await session().resetSimRequests();
    const fourth = await apply();
    expect(fourth.json?.result?.outcome, describeRun(fourth)).to.equal('converged');
    expect(writes(await session().simRequests())).to.deep.equal([]);
  });
});
