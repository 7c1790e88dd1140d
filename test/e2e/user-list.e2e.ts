/*
 * `sf integration user list` through the real sf against the simulator's demo org, typed as a user would:
 * help, the human table, --json (checked against schemas/), and a bad alias.
 */
import { expect } from 'chai';
import { describeRun, useE2eSession, widestLine } from './harness.js';
import { messageSection } from './messages.js';
import { schemaErrors, usernamesIn } from './schemas.js';

// Integration users of the demo org (test/simulator/fixtures/demoOrg.ts) that every definition the design gives
// counts: Integration license, API Only through the profile, API Only through a permission set.
const INTEGRATION_USERS = [
  'erp.integration@demo.sim', // Salesforce Integration license
  'old.integration@demo.sim', // deprecated API-only integration profile
  'legacy.admin.integration@demo.sim', // System Administrator + API Only permission set
  'nomfa.integration@demo.sim', // Standard User + API Only permission set
];
// People, and the admin the CLI is logged in as: never integration users.
const HUMANS = ['admin@demo.sim', 'sally.sales@demo.sim', 'sue.service@demo.sim', 'pat.platform@demo.sim'];

/** Usernames in the first column of sf's table, boxed ("│ a@b │") or plain (" a@b   Name"). */
const tableUsernames = (stdout: string): string[] =>
  stdout
    .split('\n')
    .map((line) => /^[\s│|]*([^\s│|]+@[^\s│|]+)(?:[\s│|]|$)/.exec(line)?.[1])
    .filter((username): username is string => username !== undefined);

const noStackTrace = (text: string): boolean => !/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text);

describe('e2e: sf integration user list', () => {
  const session = useE2eSession();

  it('--help shows the summary, usage and examples', async () => {
    const run = await session().sf(['integration', 'user', 'list', '--help']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.stdout).to.include(messageSection('integration.user.list', 'summary').split('\n')[0]);
    expect(run.stdout).to.include('$ sf integration user list');
    expect(run.stdout).to.match(/EXAMPLES/);
    expect(run.stdout).to.match(/-o, --target-org=<value>/);
  });

  it('prints a table with the integration users and without the people', async () => {
    const run = await session().sf(['integration', 'user', 'list', '-o', session().alias]);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    const rows = tableUsernames(run.stdout);
    expect(rows, describeRun(run)).to.include.members(INTEGRATION_USERS);
    expect(rows, describeRun(run)).not.to.include.oneOf(HUMANS);
    expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);
    // Not a TTY: the output fits 120 columns, the summary comes first.
    expect(widestLine(run.stdout), describeRun(run)).to.be.at.most(120);
    // the demo org's frozen user is counted in the title
    expect(run.stdout.trimStart(), describeRun(run)).to.match(/^Integration users of .*: \d+ \(\d+ active, 1 of them frozen; \d+ inactive\)/);
  });

  it('--verbose shows every value in full within 120 columns', async () => {
    const run = await session().sf(['integration', 'user', 'list', '-o', session().alias, '--verbose']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(widestLine(run.stdout), describeRun(run)).to.be.at.most(120);
    expect(run.stdout).to.include('Integration_Erp, Shared_Reporting');
    expect(run.stdout).to.include('SalesforceAPIIntegrationPsl');
  });

  it('--json returns a result that matches schemas/integration-user-list.json and the table', async () => {
    const table = await session().sf(['integration', 'user', 'list', '-o', session().alias]);
    const run = await session().sf(['integration', 'user', 'list', '-o', session().alias, '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.json, `stdout is not JSON:\n${run.stdout}`).to.not.equal(undefined);
    expect(run.json?.status).to.equal(0);
    expect(schemaErrors('integration:user:list', run.json?.result)).to.deep.equal([]);

    const usernames = usernamesIn(run.json?.result);
    expect(usernames).to.include.members(INTEGRATION_USERS);
    expect(usernames).not.to.include.oneOf(HUMANS);
    // the table and the JSON list the same users
    expect(tableUsernames(table.stdout), describeRun(table)).to.have.members(usernames);
    // frozen (UserLogin.IsFrozen) on every user: the demo org's dormant integration user is frozen, and still active
    const users = (run.json?.result as { users: Array<{ username: string; active: boolean; frozen: boolean | null }> }).users;
    expect(users.map((u) => typeof u.frozen)).to.satisfy((types: string[]) => types.every((t) => t === 'boolean'));
    expect(users.filter((u) => u.frozen).map((u) => [u.username, u.active])).to.deep.equal([['dormant.integration@demo.sim', true]]);
    expect(table.stdout, describeRun(table)).to.include('yes, frozen');
    expect(run.stdout).not.to.include(session().org.accessToken);
  });

  it('an unknown -o alias exits non-zero with a clear error and no stack trace', async () => {
    const run = await session().sf(['integration', 'user', 'list', '-o', 'no-such-org']);
    expect(run.exitCode, describeRun(run)).to.not.equal(0);
    expect(run.stderr, describeRun(run)).to.include('no-such-org');
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);
    expect(run.stdout).to.equal('');

    const json = await session().sf(['integration', 'user', 'list', '-o', 'no-such-org', '--json']);
    expect(json.exitCode, describeRun(json)).to.equal(run.exitCode);
    expect(json.json?.status).to.equal(run.exitCode);
    expect(json.json?.message).to.include('no-such-org');
  });
});
