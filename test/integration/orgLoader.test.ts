/* The AccessModel org loader against the org simulator: content, request counts, faults, SOQL escaping. */
import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection } from '@salesforce/core';
import { indexModel, objectGrants } from '../../src/access/effective.js';
import { findIntegrationUsers } from '../../src/access/integrationUsers.js';
import type { AccessModel } from '../../src/access/model.js';
import { loadAccessModelFromOrg, USER_LIST_LOAD } from '../../src/access/orgLoader.js';
import { orgContext, newCallStats } from '../../src/org/connection.js';
import { queryAll } from '../../src/org/query.js';
import { quoteSoql } from '../../src/org/soql.js';
import { OrgSimulator, largeOrgFixture } from '../simulator/index.js';
import { connectionTo } from './helpers.js';

/** Who the model says the integration users are, why, and what each holds. */
const integrationSummary = (model: AccessModel): Array<{ user: string; reasons: string[]; grants: string[] }> =>
  findIntegrationUsers(indexModel(model))
    .map((iu) => ({ user: iu.user.username, reasons: iu.reasons.map((r) => r.kind), grants: iu.access.grants.map((g) => `${g.holder.name}${g.viaGroup ? ` via ${g.viaGroup.name}` : ''}`).sort() }))
    .sort((a, b) => a.user.localeCompare(b.user));

const assignmentQueries = (sim: OrgSimulator): string[] => sim.requests.map((r) => r.soql ?? '').filter((soql) => soql.includes('FROM PermissionSetAssignment'));

/** Requests that fetched a further page of a query (nextRecordsUrl). */
const pageRequests = (sim: OrgSimulator): number => sim.requests.filter((r) => /\/query\/[^/?]+$/.test(r.path)).length;

describe('org loader (simulator)', function () {
  this.timeout(120_000);

  describe('demo org', () => {
    let sim: OrgSimulator;
    let conn: Connection;
    before(async () => {
      sim = await OrgSimulator.start();
      conn = await connectionTo(sim);
    });
    after(() => sim.stop());
    beforeEach(() => {
      sim.resetRequests();
      sim.clearFaults();
    });

    it('loads profiles, sets, groups with muting, users, assignments, licenses and org facts as the fixture has them', async () => {
      const stats = newCallStats();
      // every holder's access, as the fixture has it (the default reads only the integration users' holders', below)
      const model = await loadAccessModelFromOrg(conn, { stats, holderAccess: 'everyHolder' });
      const store = sim.store;

      expect(model.profiles.map((p) => p.name).sort()).to.deep.equal(store.rows('Profile').map((p) => String(p.Name)).sort());
      const integrationProfile = model.profiles.find((p) => p.name === 'Minimum Access - API Only Integrations')!;
      expect(integrationProfile).to.include({ userLicense: 'Salesforce Integration', isCustom: false });
      expect(integrationProfile.systemPermissions).to.include('ApiUserOnly');
      const owned = store.rows('PermissionSet').find((r) => r.IsOwnedByProfile && r.ProfileId === integrationProfile.profileId)!;
      expect(integrationProfile.id).to.equal(owned.Id);

      const regular = store.rows('PermissionSet').filter((r) => !r.IsOwnedByProfile && r.Type !== 'Group');
      expect(model.permissionSets.map((p) => p.name).sort()).to.deep.equal(regular.map((r) => String(r.Name)).sort());
      const erp = model.permissionSets.find((p) => p.name === 'Integration_Erp')!;
      expect(erp.license).to.equal('Salesforce API Integration');
      expect(erp.objectPermissions.find((o) => o.object === 'Order')).to.include({ read: true, create: true, edit: true, delete: false });
      expect(erp.fieldPermissions.length).to.be.greaterThan(0);
      expect(erp.setupEntityAccess).to.deep.include({ type: 'ApexClass', name: 'ErpOrderService' });
      const admin = model.permissionSets.find((p) => p.name === 'Legacy_Integration_Admin')!;
      expect(admin.systemPermissions).to.include.members(['ModifyAllData', 'ViewAllData']);
      // every permission for holders integration users hold; the audit's list for the others
      const salesOps = model.permissionSets.find((p) => p.name === 'Sales_Operations')!;
      expect(salesOps.partialSystemPermissions).to.equal(true);
      expect(salesOps.systemPermissions).to.not.include('CreateCustomizeReports');
      expect(admin.partialSystemPermissions).to.equal(undefined);
      const noMfa = model.permissionSets.find((p) => p.name === 'Integration_No_MFA')!;
      expect(noMfa.partialSystemPermissions).to.equal(undefined);
      const adminRow = store.rows('PermissionSet').find((r) => r.Name === 'Legacy_Integration_Admin')!;
      const enabled = Object.keys(adminRow).filter((k) => k.startsWith('Permissions') && adminRow[k] === true).map((k) => k.slice(11));
      expect(admin.systemPermissions.slice().sort()).to.deep.equal(enabled.sort());

      const [group] = model.permissionSetGroups;
      const groupRow = store.rows('PermissionSetGroup')[0];
      expect(group).to.include({ id: groupRow.Id, name: 'Sales_Bundle' });
      const memberIds = store.rows('PermissionSetGroupComponent').filter((c) => String(c.PermissionSetId).startsWith('0PS')).map((c) => c.PermissionSetId);
      expect(group.permissionSetIds.sort()).to.deep.equal(memberIds.sort());
      const muting = model.mutingPermissionSets.find((m) => m.id === group.mutingPermissionSetId)!;
      expect(muting.name).to.equal('Sales_Bundle_Muting');
      expect(muting.objectPermissions.length).to.be.greaterThan(0);

      const standardUsers = store.rows('User').filter((u) => u.UserType === 'Standard');
      expect(model.users).to.have.length(standardUsers.length);
      const erpUser = model.users.find((u) => u.username === 'erp.integration@demo.sim')!;
      expect(erpUser).to.include({ isActive: true, userLicense: 'Salesforce Integration' });
      expect(model.assignments.filter((a) => a.userId === erpUser.id).map((a) => a.permissionSetId)).to.have.members(
        ['Integration_Erp', 'Shared_Reporting'].map((name) => model.permissionSets.find((p) => p.name === name)!.id)
      );
      expect(model.permissionSetLicenseAssignments.filter((a) => a.userId === erpUser.id)).to.have.length(1);
      expect(model.userLicenses.map((l) => l.name)).to.include('Salesforce Integration');
      expect(model.org).to.include({ isSandbox: false, name: 'Demo Org' });
      expect(model.org.id?.slice(0, 15)).to.equal(sim.orgId.slice(0, 15));

      // login IP ranges, read for the profiles of integration users only
      expect(model.profiles.find((p) => p.name === 'ERP API Profile')!.loginIpRanges).to.deep.equal([
        { start: '203.0.113.0', end: '203.0.113.255', description: 'ERP data centre' },
      ]);
      expect(integrationProfile.loginIpRanges).to.deep.equal([]);
      expect(model.profiles.find((p) => p.name === 'Standard Platform User')!.loginIpRanges).to.equal(undefined);

      expect(model.unavailableFacts).to.deep.equal([]);
      expect(model.availableFacts).to.have.members(['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginHistory', 'loginIpRanges', 'setupEntityAccess', 'orgFacts', 'frozenUsers']);
      // the demo org's frozen user (UserLogin.IsFrozen), read with one query of the frozen rows only
      expect(model.users.filter((u) => u.frozen).map((u) => u.username)).to.deep.equal(['dormant.integration@demo.sim']);
      expect(sim.requests.filter((r) => (r.soql ?? '').includes('FROM UserLogin WHERE IsFrozen = true'))).to.have.length(1);
      expect(stats.requests).to.equal(sim.requests.length);
      expect(sim.requestCount({ soapCall: 'readMetadata' })).to.equal(1);
      // 15 before the frozen users' UserLogin query
      expect(stats.requests).to.be.at.most(16);
      expect(sim.requests.filter((r) => (r.soql ?? '').includes('FROM PermissionSet WHERE Id IN'))).to.have.length(1);
    });

    it('keeps the running username (it names a sandbox), never an access token', async () => {
      expect((await loadAccessModelFromOrg(conn, { facts: ['orgFacts'] })).org.runningUsername).to.equal(conn.getUsername());
      // An org authorised by access token alone: core reports the token as the connection's username.
      const token = sinon.stub(conn, 'getUsername').returns(sim.accessToken);
      try {
        const model = await loadAccessModelFromOrg(conn, { facts: ['orgFacts'] });
        expect(model.org.runningUsername).to.equal(undefined);
        expect(JSON.stringify(model)).to.not.include(sim.accessToken);
      } finally {
        token.restore();
      }
    });

    it('reads object, field and setup entity access of the holders integration users hold and the named ones only, the same as every holder\'s for them', async () => {
      const every = await loadAccessModelFromOrg(conn, { holderAccess: 'everyHolder' });
      sim.resetRequests();
      const held = await loadAccessModelFromOrg(conn, { completeHolders: ['Sales_Operations'] });
      const integrationUsers = findIntegrationUsers(indexModel(held));
      const heldIds = new Set([...integrationUsers.flatMap((iu) => iu.access.grants.map((g) => g.holder.id)), held.permissionSets.find((p) => p.name === 'Sales_Operations')!.id]);
      const accessOf = (model: AccessModel, id: string): unknown => {
        const holder = [...model.profiles, ...model.permissionSets].find((h) => h.id === id)!;
        return { objects: holder.objectPermissions, fields: holder.fieldPermissions, setup: holder.setupEntityAccess };
      };
      expect(heldIds.size).to.be.greaterThan(3);
      for (const id of heldIds) expect(accessOf(held, id), id).to.deep.equal(accessOf(every, id));
      // holders nobody audited holds carry nothing: their rows were never read
      const others = [...held.profiles, ...held.permissionSets].filter((h) => !heldIds.has(h.id));
      expect(others.filter((h) => h.objectPermissions.length + h.fieldPermissions.length + h.setupEntityAccess.length > 0).map((h) => h.name)).to.deep.equal([]);
      expect(others.some((h) => (accessOf(every, h.id) as { objects: unknown[] }).objects.length > 0)).to.equal(true);
      const reads = sim.requests.map((r) => r.soql ?? '').filter((q) => /FROM (ObjectPermissions|FieldPermissions|SetupEntityAccess)\b/.test(q));
      expect(reads).to.have.length(3);
      for (const q of reads) expect(q).to.include(' ParentId IN (');
    });

    it('an integration user in a group with a muting set: the members\' and the muting set\'s access are read, and the user\'s muted access is the same as from every holder\'s', async () => {
      const own = await OrgSimulator.start();
      try {
        const ownConn = await connectionTo(own);
        const store = own.store;
        const erp = store.rows('User').find((u) => String(u.Username).startsWith('erp.integration@'))!;
        const group = store.rows('PermissionSetGroup').find((g) => g.DeveloperName === 'Sales_Bundle')!;
        const aggregate = store.rows('PermissionSet').find((p) => p.Type === 'Group' && p.PermissionSetGroupId === group.Id)!;
        store.insert('PermissionSetAssignment', { AssigneeId: erp.Id, PermissionSetId: aggregate.Id, PermissionSetGroupId: group.Id, IsActive: true, IsRevoked: false, ExpirationDate: null });
        const every = await loadAccessModelFromOrg(ownConn, { assignments: 'integrationUsers', holderAccess: 'everyHolder' });
        own.resetRequests();
        const held = await loadAccessModelFromOrg(ownConn, { assignments: 'integrationUsers' });
        const grantsOf = (model: AccessModel): { objects: unknown[]; muting: unknown } => {
          const index = indexModel(model);
          const iu = findIntegrationUsers(index).find((u) => u.user.id === erp.Id)!;
          return {
            objects: objectGrants(index, iu.access).map(({ grant, access }) => ({ holder: grant.holder.name, via: grant.viaGroup?.name, access })),
            muting: model.mutingPermissionSets.find((m) => m.name === 'Sales_Bundle_Muting')?.objectPermissions,
          };
        };
        const expected = grantsOf(every);
        // Service_Agent grants Case through the group, and the group's muting set takes Case away
        expect(every.permissionSets.find((p) => p.name === 'Service_Agent')!.objectPermissions.map((o) => o.object)).to.include('Case');
        expect(expected.objects.filter((o) => (o as { via?: string }).via === 'Sales_Bundle').length).to.be.greaterThan(0);
        expect(expected.objects.some((o) => (o as { access: { object: string } }).access.object === 'Case')).to.equal(false);
        expect(expected.muting).to.have.length(1);
        expect(grantsOf(held)).to.deep.equal(expected);
        const muting = store.rows('MutingPermissionSet').find((m) => m.DeveloperName === 'Sales_Bundle_Muting')!;
        const objectReads = own.requests.map((r) => r.soql ?? '').filter((q) => q.includes('FROM ObjectPermissions'));
        expect(objectReads.some((q) => q.includes(`'${String(muting.Id)}'`))).to.equal(true);
      } finally {
        await own.stop();
      }
    });

    it("assignments 'integrationUsers': the same integration users and grants as reading every assignment, and no other user's rows", async () => {
      const all = await loadAccessModelFromOrg(conn, {});
      sim.resetRequests();
      const narrowed = await loadAccessModelFromOrg(conn, { assignments: 'integrationUsers' });
      const expected = integrationSummary(all);
      expect(expected.length).to.be.greaterThan(2);
      expect(integrationSummary(narrowed)).to.deep.equal(expected);
      const integrationIds = new Set(findIntegrationUsers(indexModel(narrowed)).map((iu) => iu.user.id));
      expect(narrowed.assignments.length).to.be.greaterThan(0);
      expect(narrowed.assignments.filter((a) => !integrationIds.has(a.userId))).to.deep.equal([]);
      expect(all.assignments.length).to.be.greaterThan(narrowed.assignments.length);
      // one read of the API-only assignments, one of the candidates' assignments; never every user's rows
      const queries = assignmentQueries(sim);
      expect(queries).to.have.length(2);
      expect(queries[0]).to.include('PermissionSet.PermissionsApiUserOnly = true');
      expect(queries[1]).to.include('AssigneeId IN (');
      expect(narrowed.availableFacts).to.include('assignments');
    });

    it("assignments 'integrationUsers': a group that grants API Only through a member is found although its aggregate row does not say so", async () => {
      // The simulator's group aggregate rows carry no permissions, as an org's do until the group is recalculated.
      const own = await OrgSimulator.start();
      try {
        const ownConn = await connectionTo(own);
        const agent = own.store.rows('PermissionSet').find((r) => r.Name === 'Service_Agent')!;
        own.store.update(String(agent.Id), { PermissionsApiUserOnly: true });
        const all = await loadAccessModelFromOrg(ownConn, {});
        own.resetRequests();
        const narrowed = await loadAccessModelFromOrg(ownConn, { assignments: 'integrationUsers' });
        const expected = integrationSummary(all);
        expect(expected.map((e) => e.user)).to.include.members(['sally.sales@demo.sim', 'sam.sales@demo.sim', 'sue.service@demo.sim']);
        expect(expected.find((e) => e.user === 'sally.sales@demo.sim')!.grants).to.include('Service_Agent via Sales_Bundle');
        expect(integrationSummary(narrowed)).to.deep.equal(expected);
        // the group's assignees, then the assignments of those the first round did not know
        const queries = assignmentQueries(own);
        expect(queries.filter((q) => q.includes('PermissionSetGroupId IN ('))).to.have.length(1);
        expect(queries.filter((q) => q.includes('AssigneeId IN ('))).to.have.length(2);
      } finally {
        await own.stop();
      }
    });

    it('completeHolders reads every permission of named holders no integration user holds', async () => {
      const model = await loadAccessModelFromOrg(conn, { completeHolders: ['sales_operations'] });
      const salesOps = model.permissionSets.find((p) => p.name === 'Sales_Operations')!;
      expect(salesOps.systemPermissions).to.include('CreateCustomizeReports');
      expect(salesOps.partialSystemPermissions).to.equal(undefined);
    });

    it("'everyHolder' reads every permission of every holder in one wide query", async () => {
      const model = await loadAccessModelFromOrg(conn, { completeSystemPermissions: 'everyHolder' });
      const salesOps = model.permissionSets.find((p) => p.name === 'Sales_Operations')!;
      expect(salesOps.systemPermissions).to.include('CreateCustomizeReports');
      expect(salesOps.partialSystemPermissions).to.equal(undefined);
    });

    it('user list settings skip object/field permissions, setup entity access and metadata reads', async () => {
      const stats = newCallStats();
      const model = await loadAccessModelFromOrg(conn, { ...USER_LIST_LOAD, stats });
      // 10 before the frozen users' UserLogin query; the assignments in two (those of API-only sets, then those of the
      // users who may be integration users), never every user's pages
      expect(stats.requests).to.equal(11);
      const assignmentReads = assignmentQueries(sim);
      expect(assignmentReads).to.have.length(2);
      expect(assignmentReads[1]).to.include('AssigneeId IN (');
      expect(sim.requests.some((r) => /FROM (ObjectPermissions|FieldPermissions|SetupEntityAccess|ApexClass)\b/.test(r.soql ?? ''))).to.equal(false);
      expect(sim.requestCount({ soapCall: 'readMetadata' })).to.equal(0);
      expect(model.permissionSets.find((p) => p.name === 'API_Only_Access')!.systemPermissions).to.deep.equal(['ApiUserOnly']);
    });

    it('retries a 503 and still loads everything', async () => {
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM User WHERE' }, status: 503, errorCode: 'SERVER_UNAVAILABLE' });
      const stats = newCallStats();
      const model = await loadAccessModelFromOrg(conn, { ...USER_LIST_LOAD, stats, retry: { policy: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 5 } } });
      expect(stats.retries).to.equal(1);
      // 11 and the retry
      expect(stats.requests).to.equal(12);
      expect(model.users.length).to.be.greaterThan(10);
    });

    it('a persistent INVALID_FIELD on an optional object becomes an unavailable fact, not a crash', async () => {
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM PermissionSetLicenseAssign' }, times: 10, status: 400, errorCode: 'INVALID_FIELD', message: "No such column 'AssigneeId' on entity 'PermissionSetLicenseAssign'." });
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM SetupEntityAccess' }, times: 10, status: 400, errorCode: 'INVALID_TYPE', message: 'sObject type SetupEntityAccess is not supported.' });
      const model = await loadAccessModelFromOrg(conn);
      expect(model.unavailableFacts.map((u) => u.fact)).to.have.members(['permissionSetLicenses', 'setupEntityAccess']);
      expect(model.unavailableFacts.find((u) => u.fact === 'permissionSetLicenses')!.reason).to.include('INVALID_FIELD').and.include('AssigneeId');
      expect(model.availableFacts).to.not.include('setupEntityAccess');
      expect(model.availableFacts).to.include('users');
    });

    it('UserLogin refused (no "Manage Users"): frozen users are unknown, with the reason and the permission, and the load goes on', async () => {
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM UserLogin' }, times: 10, status: 403, errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id' });
      const model = await loadAccessModelFromOrg(conn, USER_LIST_LOAD);
      expect(model.availableFacts).to.not.include('frozenUsers');
      expect(model.availableFacts).to.include('users');
      const [unknown] = model.unavailableFacts;
      expect(unknown.fact).to.equal('frozenUsers');
      expect(unknown.reason).to.include('INSUFFICIENT_ACCESS_OR_READONLY').and.include('frozen users are unknown').and.include('"Manage Users"');
      expect(model.users.some((u) => u.frozen)).to.equal(false);
      expect(model.loadProblems).to.deep.equal([]);
    });

    it('UserLogin unknown to the running user (INVALID_TYPE) or failing otherwise: unknown too; the permission is named for the access codes only', async () => {
      sim.store.deniedObjects.add('userlogin');
      const denied = await loadAccessModelFromOrg(conn, USER_LIST_LOAD);
      expect(denied.unavailableFacts.map((u) => u.fact)).to.deep.equal(['frozenUsers']);
      expect(denied.unavailableFacts[0].reason).to.include('INVALID_TYPE').and.include('"Manage Users"');
      sim.store.deniedObjects.delete('userlogin');
      // A message that names the permission does not make the hint: the code decides.
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM UserLogin' }, times: 10, status: 400, errorCode: 'MALFORMED_QUERY', message: 'needs Manage Users' });
      const other = await loadAccessModelFromOrg(conn, USER_LIST_LOAD);
      expect(other.unavailableFacts[0].reason).to.include('MALFORMED_QUERY').and.include('frozen users are unknown').and.not.include('"Manage Users"');
    });

    it('a failure on a core object throws a named error with next steps', async () => {
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM User WHERE' }, times: 10, status: 400, errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' });
      const error = await loadAccessModelFromOrg(conn).then(
        () => undefined,
        (e: unknown) => e as { name: string; message: string; actions?: string[] }
      );
      expect(error?.name).to.equal('QueryFailedError');
      expect(error?.message).to.include('User').and.include('INSUFFICIENT_ACCESS');
      expect(error?.actions?.length).to.be.greaterThan(0);
    });

    it('the daily API limit is not retried and ends the load with its own error', async () => {
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM Organization' }, times: 10, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
      const stats = newCallStats();
      const error = await loadAccessModelFromOrg(conn, { stats }).then(() => undefined, (e: unknown) => e as { name: string });
      expect(error?.name).to.equal('ApiLimitExceededError');
      expect(stats.retries).to.equal(0);
    });

    it('quoteSoql output is read back by the org as the exact value (a username with a quote and a backslash)', async () => {
      const profileId = sim.store.rows('Profile')[0].Id;
      const username = "o'brien\\x@demo.sim";
      sim.store.insert('User', { Username: username, LastName: "O'Brien", Name: "O'Brien", ProfileId: profileId, IsActive: true, UserType: 'Standard' });
      const ctx = orgContext(conn);
      const rows = await queryAll(ctx, `SELECT Id, Username FROM User WHERE Username = ${quoteSoql(username)}`);
      expect(rows.map((r) => r.Username)).to.deep.equal([username]);
      const injection = await queryAll(ctx, `SELECT Id FROM User WHERE Username = ${quoteSoql("x' OR Username != '")}`);
      expect(injection).to.deep.equal([]);
    });
  });

  it('makes the same requests for the demo org, 100 and 10,000 users apart from paging', async () => {
    const fixtures = [
      { label: 'demo', options: {} },
      { label: '100', options: { fixture: largeOrgFixture({ users: 100, permissionSets: 50 }) } },
      { label: '10000', options: { fixture: largeOrgFixture({ users: 10_000, permissionSets: 2000 }) } },
    ];
    const counts: Record<string, { requests: number; pages: number; users: number; narrowedPages: number; narrowedAssignmentReads: number }> = {};
    for (const { label, options } of fixtures) {
      // eslint-disable-next-line no-await-in-loop
      const sim = await OrgSimulator.start(options);
      try {
        // eslint-disable-next-line no-await-in-loop
        const conn = await connectionTo(sim);
        sim.resetRequests();
        const stats = newCallStats();
        // eslint-disable-next-line no-await-in-loop
        const model = await loadAccessModelFromOrg(conn, { stats });
        const pages = pageRequests(sim);
        expect(stats.requests).to.equal(sim.requests.length);
        sim.resetRequests();
        // eslint-disable-next-line no-await-in-loop
        await loadAccessModelFromOrg(conn, { assignments: 'integrationUsers' });
        counts[label] = { requests: stats.requests, pages, users: model.users.length, narrowedPages: pageRequests(sim), narrowedAssignmentReads: assignmentQueries(sim).length };
      } finally {
        // eslint-disable-next-line no-await-in-loop
        await sim.stop();
      }
    }
    const withoutPaging = Object.values(counts).map((c) => c.requests - c.pages);
    expect(new Set(withoutPaging).size, JSON.stringify(counts)).to.equal(1);
    // 15 before the frozen users' UserLogin query
    expect(withoutPaging[0]).to.be.at.most(16);
    expect(counts['10000'].pages).to.be.greaterThan(0);
    expect(counts['10000'].users).to.be.at.least(10_000);
    // the audit's narrowed assignments: two queries of one page each, instead of every user's rows page after page
    expect(counts['10000'].narrowedAssignmentReads).to.equal(2);
    expect(counts['10000'].pages - counts['10000'].narrowedPages, JSON.stringify(counts)).to.be.at.least(13);
  });
});
