/*
 * `sf integration user create` with the access flags, through the real sf against the simulator, typed as an admin
 * would: the one-liner that gives an app its access, its converged re-run, bad flag values named by flag, and the
 * plan and the user list fitting 120 columns (the output is a pipe here) with a long username and long reasons.
 */
import { expect } from 'chai';
import { describeRun, useE2eSession, widestLine } from './harness.js';

type Row = { op: string; kind: string; subject: string };
type Result = { outcome: string; plan: Row[]; notDone: Array<{ kind: string; code: string; reason: string }> };

const noStackTrace = (text: string): boolean => !/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text);

// 79 characters: long enough that an unbounded plan line or table row would pass 120 columns.
const LONG_USERNAME = 'enterprise.resource.planning.nightly.synchronisation.integration@demo.sim';

describe('e2e: sf integration user create --object/--field/--permission/--apex-class', () => {
  const session = useE2eSession();
  const access = ['--object', 'Account=read,edit', '--object', 'Order=read', '--field', 'Account.Industry=read', '--permission', 'ApiEnabled', '--apex-class', 'ErpOrderService'];

  it('--help shows the access flags and their examples', async () => {
    const run = await session().sf(['integration', 'user', 'create', '--help']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    for (const flag of ['--object=<value>...', '--field=<value>...', '--permission=<value>...', '--apex-class=<value>...']) expect(run.stdout).to.include(flag);
    // help folds long examples with "\" at the line end
    const examples = run.stdout.replace(/\s*\\\n\s*/g, ' ').replace(/\s+/g, ' ');
    expect(examples).to.include('user create --target-org prod --app erp --object Account=read,edit --field Account.Industry=read');
  });

  it('a one-liner creates the user with its access; the plan fits 120 columns; the same line again plans nothing', async () => {
    const dry = await session().sf(['integration', 'user', 'create', '-o', session().alias, '--app', 'erp-nightly', '--username', LONG_USERNAME, ...access, '--dry-run']);
    expect(dry.exitCode, describeRun(dry)).to.equal(0);
    expect(widestLine(dry.stdout), describeRun(dry)).to.be.at.most(120);
    expect(dry.stdout).to.match(/^Plan for .*\n.*to create/m);

    const run = await session().sf<Result>(['integration', 'user', 'create', '-o', session().alias, '--app', 'erp-nightly', '--username', LONG_USERNAME, ...access, '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.json?.result?.outcome, describeRun(run)).to.equal('applied');
    expect(run.json?.result?.plan.find((a) => a.kind === 'createUser')?.subject).to.equal(LONG_USERNAME);

    // What the org holds now, read with sf's own query command.
    const fields = await session().sf<{ records: Array<{ Field: string; PermissionsRead: boolean; PermissionsEdit: boolean }> }>([
      'data', 'query', '-o', session().alias, '--json',
      '-q', "SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = 'Integration_Erp_Nightly'",
    ]);
    expect(fields.exitCode, describeRun(fields)).to.equal(0);
    expect(fields.json?.result?.records.map((r) => `${r.Field}:${r.PermissionsEdit ? 'edit' : 'read'}`)).to.deep.equal(['Account.Industry:read']);

    const again = await session().sf(['integration', 'user', 'create', '-o', session().alias, '--app', 'erp-nightly', '--username', LONG_USERNAME, ...access]);
    expect(again.exitCode, describeRun(again)).to.equal(0);
    expect(widestLine(again.stdout), describeRun(again)).to.be.at.most(120);
    expect(again.stdout).to.include('0 to create, 0 to update');

    const list = await session().sf(['integration', 'user', 'list', '-o', session().alias]);
    expect(list.exitCode, describeRun(list)).to.equal(0);
    expect(widestLine(list.stdout), describeRun(list)).to.be.at.most(120);
    expect(list.stdout).to.include(LONG_USERNAME.slice(0, 30));
  });

  it('bad flag values: exit 1, each named by its flag, nothing written, no stack trace', async () => {
    const run = await session().sf(['integration', 'user', 'create', '-o', session().alias, '--app', 'bad', '--object', 'Account=read,destroy', '--field', 'Lead.Status=read', '--object', 'Contact']);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    expect(run.stderr).to.include('--object Account=read,destroy:');
    expect(run.stderr).to.include('--field Lead.Status=read:');
    expect(run.stderr).to.include('--object Contact:');
    expect(run.stderr).not.to.include('The input format for array arguments has changed');
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);

    const json = await session().sf(['integration', 'user', 'create', '-o', session().alias, '--app', 'bad', '--object', 'Account=read,destroy', '--json']);
    expect(json.exitCode, describeRun(json)).to.equal(1);
    expect(json.json?.name).to.equal('InvalidDefinitionError');
    expect(json.json?.message).to.include('--object Account=read,destroy');
  });
});
