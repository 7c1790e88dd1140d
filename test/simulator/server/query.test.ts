import { expect } from 'chai';
import { largeOrgFixture, OrgSimulator } from '../index.js';
import { rejection } from './rejection.js';

describe('simulator: SOQL over REST', () => {
  let sim: OrgSimulator;
  before(async () => {
    sim = await OrgSimulator.start();
  });
  after(async () => sim.stop());
  beforeEach(() => sim.resetRequests());

  it('answers relationship paths, IN lists, semi-joins, ORDER BY and LIMIT from the store', async () => {
    const conn = await sim.connect();
    const result = await conn.query<{ Username: string; Profile: { Name: string; UserLicense: { Name: string } } }>(
      "SELECT Username, Profile.Name, Profile.UserLicense.Name FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetLicenseAssign WHERE PermissionSetLicense.DeveloperName = 'SalesforceAPIIntegrationPsl') ORDER BY Username LIMIT 5"
    );
    expect(result.totalSize).to.equal(1);
    expect(result.records[0].Username).to.equal('erp.integration@demo.sim');
    expect(result.records[0].Profile.Name).to.equal('Minimum Access - API Only Integrations');
    expect(result.records[0].Profile.UserLicense.Name).to.equal('Salesforce Integration');

    const inList = await conn.query<{ Name: string }>("SELECT Name FROM Profile WHERE Name IN ('System Administrator', 'Standard User') ORDER BY Name DESC");
    expect(inList.records.map((r) => r.Name)).to.deep.equal(['System Administrator', 'Standard User']);
  });

  it('rejects unknown fields and objects the way a real org does (400 INVALID_FIELD / INVALID_TYPE)', async () => {
    const conn = await sim.connect();
    sim.resetRequests();
    const field = await rejection(conn.query('SELECT Id, Usernme FROM User'));
    expect(field.errorCode).to.equal('INVALID_FIELD');
    expect(field.message).to.include("No such column 'Usernme' on entity 'User'");
    const type = await rejection(conn.query('SELECT Id FROM Userz'));
    expect(type.errorCode).to.equal('INVALID_TYPE');
    expect(sim.requests.filter((r) => r.path.endsWith('/query')).map((r) => r.status)).to.deep.equal([400, 400]);
  });

  it('serves the tooling query endpoint and queryAll from the same store', async () => {
    const conn = await sim.connect();
    const tooling = await conn.tooling.query<{ Name: string }>("SELECT Name FROM PermissionSet WHERE Name = 'Integration_Erp'");
    expect(tooling.records.map((r) => r.Name)).to.deep.equal(['Integration_Erp']);
    expect(sim.requestCount({ pathIncludes: '/tooling/query' })).to.equal(1);
    const all = await conn.query('SELECT Id FROM Organization', { scanAll: true });
    expect(all.totalSize).to.equal(1);
    expect(sim.requestCount({ pathIncludes: '/queryAll' })).to.equal(1);
  });

  it('refuses a query URI over 16,384 bytes with 414, as the real front end does', async () => {
    const ids = Array.from({ length: 900 }, (_, i) => `'005000000000${String(i).padStart(3, '0')}AAA'`).join(',');
    const response = await fetch(`${sim.url}/services/data/v68.0/query?q=${encodeURIComponent(`SELECT Id FROM User WHERE Id IN (${ids})`)}`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    expect(response.status).to.equal(414);
    expect(sim.requests.at(-1)).to.deep.include({ path: '/services/data/v68.0/query', status: 414 });
  });

  it('returns totalSize only for SELECT COUNT()', async () => {
    const conn = await sim.connect();
    const count = await conn.query('SELECT COUNT() FROM User WHERE IsActive = true');
    expect(count.records).to.deep.equal([]);
    expect(count.totalSize).to.equal(sim.store.rows('User').filter((u) => u.IsActive).length);
  });

  it('answers columns=true with columnMetadata (what `sf data query` reads)', async () => {
    const response = await fetch(`${sim.url}/services/data/v68.0/query?q=${encodeURIComponent('SELECT Id, Profile.Name FROM User')}&columns=true`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    const body = (await response.json()) as { entityName: string; columnMetadata: Array<{ columnName: string; joinColumns: Array<{ columnName: string }> }> };
    expect(body.entityName).to.equal('User');
    expect(body.columnMetadata.map((c) => c.columnName)).to.deep.equal(['Id', 'Profile']);
    expect(body.columnMetadata[1].joinColumns[0].columnName).to.equal('Name');
  });
});

describe('simulator: query paging over a large org', () => {
  let sim: OrgSimulator;
  before(async () => {
    sim = await OrgSimulator.start({ fixture: largeOrgFixture({ users: 5500, permissionSets: 200, seed: 3 }) });
  });
  after(async () => sim.stop());

  it('pages 5,500 users in batches of 2,000 through nextRecordsUrl /query/<locator>-<offset>', async () => {
    const conn = await sim.connect();
    sim.resetRequests();
    const raw = await fetch(`${sim.url}/services/data/v68.0/query?q=${encodeURIComponent('SELECT Id, Username FROM User ORDER BY Username')}`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    const first = (await raw.json()) as { totalSize: number; done: boolean; records: unknown[]; nextRecordsUrl: string };
    expect(first.totalSize).to.equal(5500);
    expect(first.done).to.equal(false);
    expect(first.records).to.have.length(2000);
    expect(first.nextRecordsUrl).to.match(/^\/services\/data\/v68\.0\/query\/01g\w{15}-2000$/);
    const all = await conn.query<{ Username: string }>('SELECT Id, Username FROM User ORDER BY Username', { autoFetch: true, maxFetch: 10_000 });
    expect(all.records).to.have.length(5500);
    expect(new Set(all.records.map((r) => r.Username)).size).to.equal(5500);
    // 1 + (1 + 2 more pages)
    expect(sim.requestCount({ pathIncludes: '/query' })).to.equal(4);
    expect(sim.requests.filter((r) => r.path.includes('/query/01g'))).to.have.length(2);
  });

  it('honours Sforce-Query-Options batchSize (200–2,000)', async () => {
    const response = await fetch(`${sim.url}/services/data/v68.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`, {
      headers: { Authorization: `Bearer ${sim.accessToken}`, 'Sforce-Query-Options': 'batchSize=500' },
    });
    const body = (await response.json()) as { records: unknown[]; nextRecordsUrl: string };
    expect(body.records).to.have.length(500);
    expect(body.nextRecordsUrl).to.match(/-500$/);
    const next = (await (await fetch(`${sim.url}${body.nextRecordsUrl}`, { headers: { Authorization: `Bearer ${sim.accessToken}` } })).json()) as { records: unknown[] };
    expect(next.records).to.have.length(500);
  });
});
