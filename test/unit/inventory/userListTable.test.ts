import { expect } from 'chai';
import { Ux } from '@salesforce/sf-plugins-core';
import type { IntegrationUserRow } from '../../../src/inventory/userList.js';
import { renderUserRecords, renderUserTable, toTableRow, userListSummary } from '../../../src/inventory/userListTable.js';
import { loadTables } from '../../../src/terminal/tables.js';
import { ELLIPSIS, textWidth } from '../../../src/terminal/width.js';

/** Users with values far longer than any terminal: 80-character usernames, 15 long permission set names. */
const longUsers = (): IntegrationUserRow[] =>
  [1, 2, 3].map((n) => ({
    username: `integration.user.number.${n}.for.the.enterprise.resource.planning.system@acme-holdings.example.com`,
    name: `Enterprise Resource Planning Integration Number ${n} With A Very Long Display Name`,
    active: n !== 3,
    frozen: false,
    license: 'Salesforce Integration',
    profile: 'Minimum Access - API Only Integrations (copied for the European subsidiaries, do not edit)',
    app: n === 1 ? 'enterprise-resource-planning-europe' : null,
    apiOnly: true,
    apiOnlyGrantedBy: ['Minimum Access - API Only Integrations (profile)', 'API_Only_Access_For_Every_Integration (permission set)'],
    apiEnabled: true,
    apiEnabledGrantedBy: [],
    permissionSets: Array.from({ length: 15 }, (_, i) => `Integration_Enterprise_Resource_Planning_Object_Access_${i + 1}`),
    permissionSetGroups: n === 2 ? ['Integration_Bundle_Of_Everything_The_Warehouse_Reads'] : [],
    permissionSetLicenses: ['SalesforceAPIIntegrationPsl', 'SomeOtherPermissionSetLicenseWithALongName'],
    lastLogin: '2026-11-26T10:00:00.000+0000',
    recognisedBy: ['license', 'apiOnly'],
  }));

const TITLE = 'Integration users of Acme Holdings Europe Production With A Long Name (00D000000000001EAA): 3 (2 active, 1 inactive)';

/** What sf prints: the table rendered by sf-plugins-core's Ux (the same @oclif/table call as SfCommand.table). */
const rendered = (width: number): string[] => new Ux().makeTable(renderUserTable(longUsers(), TITLE, { width })).split('\n');

describe('inventory/userListTable: the table fits the terminal', () => {
  // As the command does (IntegrationCommand.printTable): when an earlier test loaded the commands' base, @oclif/table
  // is deferred in this process.
  before(loadTables);

  for (const width of [120, 80, 200, 60]) {
    it(`no line is wider than ${width} columns, long cells end with "…"`, () => {
      const lines = rendered(width);
      for (const line of lines) expect(textWidth(line), line).to.be.at.most(width);
      const text = lines.join('\n');
      expect(text).to.include(ELLIPSIS);
      // one line per user (and the header): the usernames' start is on a line of its own each
      expect(lines.filter((line) => line.includes('integration.user.num'))).to.have.length(3);
    });
  }

  it('puts the summary first and counts a list that does not fit its share of the line', () => {
    const table = renderUserTable(longUsers(), TITLE, { width: 120 });
    expect(new Ux().makeTable(table).split('\n')[0]).to.match(/^Integration users of .*/);
    expect(table.data.map((row) => row.permissionSets)).to.deep.equal(['15 sets', '15 sets, 1 groups', '15 sets']);
    expect(table.data[0].lastLogin).to.equal('2026-11-26');
    expect(table.columns.map((c) => c.key)).to.deep.equal(['username', 'app', 'active', 'license', 'profile', 'apiOnly', 'permissionSets', 'lastLogin']);
    // the columns and borders add up to the width at most
    expect(table.columns.reduce((sum, c) => sum + c.width, 0) + table.columns.length + 1).to.be.at.most(120);
  });

  it('never cuts the Active cell of a frozen user ("yes, frozen"), at 80 columns too', () => {
    const users = longUsers().map((u, i) => ({ ...u, frozen: i === 1 }));
    for (const width of [80, 120]) {
      const table = renderUserTable(users, TITLE, { width });
      expect(table.data.map((row) => row.active)).to.deep.equal(['yes', 'yes, frozen', 'no']);
      expect(table.columns.find((c) => c.key === 'active')!.width).to.equal('yes, frozen'.length + 2);
      const lines = new Ux().makeTable(table).split('\n');
      expect(lines.join('\n')).to.include('yes, frozen');
      for (const line of lines) expect(textWidth(line), line).to.be.at.most(width);
    }
  });

  it('the title counts frozen users among the active ones, or says they are unknown, and a note under the table explains', () => {
    const users = longUsers();
    expect(userListSummary(users, 'Acme')).to.deep.equal({ title: 'Integration users of Acme: 3 (2 active, 1 inactive)', notes: [] });
    // every user frozen, the inactive one too: the title counts the two active ones, the note says what each keeps
    const frozen = userListSummary(users.map((u) => ({ ...u, frozen: true })), 'Acme');
    expect(frozen.title).to.equal('Integration users of Acme: 3 (2 active, 2 of them frozen; 1 inactive)');
    expect(frozen.notes).to.have.length(1);
    expect(frozen.notes[0]).to.include('cannot log in').and.include('does not deactivate').and.include('an inactive one ("no, frozen") has neither');
    // only the inactive user frozen: no frozen count in the title, but the note explains its "no, frozen"
    const inactiveOnly = userListSummary(users.map((u) => ({ ...u, frozen: !u.active })), 'Acme');
    expect(inactiveOnly.title).to.equal('Integration users of Acme: 3 (2 active, 1 inactive)');
    expect(inactiveOnly.notes).to.have.length(1);
    const unknown = userListSummary(users.map((u) => ({ ...u, frozen: null })), 'Acme');
    expect(unknown.title).to.equal('Integration users of Acme: 3 (2 active, 1 inactive; frozen unknown)');
    expect(unknown.notes[0]).to.include('Frozen users are unknown');
  });

  it('keeps the username whole when the rest can give way', () => {
    const users = longUsers().map((u) => ({ ...u, username: `erp${u.username.length}@acme.example` }));
    const table = renderUserTable(users, TITLE, { width: 120 });
    const username = table.columns.find((c) => c.key === 'username')!;
    expect(username.width).to.equal(Math.max(...users.map((u) => u.username.length)) + 2);
  });

  it('drops the least needed columns on a very narrow terminal rather than overflow', () => {
    const table = renderUserTable(longUsers(), TITLE, { width: 40 });
    expect(table.columns.map((c) => c.key)[0]).to.equal('username');
    expect(table.columns.length).to.be.lessThan(8);
    for (const line of new Ux().makeTable(table).split('\n')) expect(textWidth(line), line).to.be.at.most(40);
  });

  it('lists a short list in full', () => {
    const [user] = longUsers();
    expect(toTableRow({ ...user, permissionSets: ['Integration_Erp'] }, { listBudget: 30 }).permissionSets).to.equal('Integration_Erp');
  });
});

describe('inventory/userListTable: --verbose records', () => {
  it('show every value in full, wrapped within the width', () => {
    for (const width of [120, 60]) {
      const lines = renderUserRecords(longUsers(), TITLE, width);
      for (const line of lines) expect(textWidth(line), line).to.be.at.most(width);
      // A word longer than the room is cut over lines: compare without blanks.
      const text = lines.join('').replace(/\s+/g, '');
      for (let i = 1; i <= 15; i++) expect(text).to.include(`Integration_Enterprise_Resource_Planning_Object_Access_${i},`.replace(/,$/, i < 15 ? ',' : ''));
      expect(text).to.include('Integration_Bundle_Of_Everything_The_Warehouse_Reads(group)');
      expect(text).to.include('API_Only_Access_For_Every_Integration(permissionset)');
      expect(text).to.include('SomeOtherPermissionSetLicenseWithALongName');
      expect(text).to.include('2026-11-26T10:00:00Z');
      expect(text).not.to.include(ELLIPSIS);
    }
  });
});
