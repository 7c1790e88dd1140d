/*
 * `sf integration user list` against a real org (skipped unless a TESTKIT_* variable names one, see realOrg.ts).
 * The expected users come from the org itself through an independent query, never from a fixture.
 */
import { execCmd } from '@salesforce/cli-plugins-testkit';
import { Org } from '@salesforce/core';
import { expect } from 'chai';
import { schemaErrors } from '../e2e/schemas.js';
import { configuredRealOrg, openRealOrgSession, type RealOrgSession } from './realOrg.js';

// The fields these NUTs read (the full shape is checked against schemas/integration-user-list.json).
type UserListResult = { total: number; users: Array<{ username: string; active: boolean }> };

describe('NUT: sf integration user list (real org)', () => {
  let real: RealOrgSession | undefined;
  let onIntegrationLicense: string[] = [];

  before(async function () {
    if (!configuredRealOrg()) this.skip();
    this.timeout(15 * 60_000);
    real = await openRealOrgSession();
    // Independent of the plugin: users on the Salesforce Integration license are integration users by definition.
    const org = await Org.create({ aliasOrUsername: real.username });
    const rows = await org
      .getConnection()
      .query<{ Username: string }>("SELECT Username FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration'");
    onIntegrationLicense = rows.records.map((r) => r.Username);
  });

  after(async () => {
    await real?.session.clean();
  });

  it('--json lists every Salesforce Integration license user and matches the schema', () => {
    const output = execCmd<UserListResult>(`integration user list --target-org ${real!.username} --json`, {
      ensureExitCode: 0,
    }).jsonOutput;
    expect(output?.status).to.equal(0);
    const result = output!.result;
    expect(schemaErrors('integration:user:list', result)).to.deep.equal([]);
    expect(result.total).to.equal(result.users.length);
    expect(result.users.map((u) => u.username)).to.include.members(onIntegrationLicense);
  });

  it('the table shows the same users as --json', () => {
    const json = execCmd<UserListResult>(`integration user list --target-org ${real!.username} --json`, {
      ensureExitCode: 0,
    }).jsonOutput!.result;
    const table = execCmd(`integration user list --target-org ${real!.username}`, { ensureExitCode: 0 }).shellOutput
      .stdout;
    for (const user of json.users) expect(table).to.include(user.username);
  });

  it('--active-only leaves out inactive users', () => {
    const result = execCmd<UserListResult>(`integration user list --target-org ${real!.username} --active-only --json`, {
      ensureExitCode: 0,
    }).jsonOutput!.result;
    expect(result.users.every((u) => u.active)).to.equal(true);
  });
});
