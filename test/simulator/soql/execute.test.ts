import { expect } from 'chai';
import { smallOrg, type SmallOrg } from './fixture.js';
import { executeSoql, runSoql, type QueryRecord } from './index.js';

const NOW = new Date('2026-11-27T12:00:00Z');

describe('simulator SOQL: evaluation', () => {
  let org: SmallOrg;
  const query = (soql: string, apiVersion?: string): QueryRecord[] =>
    executeSoql(soql, org.schema, org.store, { now: NOW, ...(apiVersion ? { apiVersion } : {}) });
  const names = (records: QueryRecord[], key = 'Username'): unknown[] => records.map((r) => r[key]);

  beforeEach(() => {
    org = smallOrg();
  });

  describe('SELECT list and record shape', () => {
    it('returns fields in SELECT order with canonical casing and attributes', () => {
      const [record] = query("select username, ID from user where username = 'admin@demo.sim'");
      expect(Object.keys(record)).to.deep.equal(['attributes', 'Username', 'Id']);
      expect(record.attributes).to.deep.equal({
        type: 'User',
        url: `/services/data/v66.0/sobjects/User/${String(org.users.admin.Id)}`,
      });
      expect(record.Username).to.equal('admin@demo.sim');
    });

    it('uses the requested API version in attribute urls', () => {
      const [record] = query("SELECT Id FROM User WHERE Username = 'admin@demo.sim'", '61.0');
      expect(record.attributes.url).to.match(/^\/services\/data\/v61\.0\/sobjects\/User\/005/);
    });

    it('gives null for a field the row does not have', () => {
      const [record] = query("SELECT Id, Email FROM User WHERE Username = 'admin@demo.sim'");
      expect(record.Email).to.equal(null);
    });

    it('nests parent relationships of any depth, each with its own attributes', () => {
      const [record] = query(
        "SELECT Id, Profile.Name, Profile.UserLicense.Name, Profile.UserLicense.LicenseDefinitionKey FROM User WHERE Username = 'erp@demo.sim'"
      );
      expect(Object.keys(record)).to.deep.equal(['attributes', 'Id', 'Profile']);
      const profile = record.Profile as QueryRecord;
      expect(profile.attributes.type).to.equal('Profile');
      expect(profile.attributes.url).to.equal(`/services/data/v66.0/sobjects/Profile/${String(org.profiles.integration.Id)}`);
      expect(profile.Name).to.equal('Minimum Access - API Only Integrations');
      const license = profile.UserLicense as QueryRecord;
      expect(license.attributes.type).to.equal('UserLicense');
      expect(license).to.include({ Name: 'Salesforce Integration', LicenseDefinitionKey: 'PID_SALESFORCE_INTEGRATION' });
    });

    it('gives null for a relationship whose parent is null', () => {
      const [record] = query("SELECT Id, Profile.Name, Profile.UserLicense.Name FROM User WHERE Username = 'old_user@demo.sim'");
      expect(record.Profile).to.equal(null);
    });

    it('accepts the object name and a FROM alias as a path prefix', () => {
      expect(names(query('SELECT User.Username FROM User WHERE User.IsActive = false'))).to.deep.equal(['old_user@demo.sim']);
      expect(names(query('SELECT u.Username FROM User u WHERE u.IsActive = false ORDER BY u.Username'))).to.deep.equal([
        'old_user@demo.sim',
      ]);
    });

    it('reads custom fields and custom relationships (__r)', () => {
      const records = query('SELECT Name, Amount__c, Account__r.Name, Account__r.Credit_Limit__c FROM Invoice__c ORDER BY Name');
      expect(records.map((r) => [r.Name, r.Amount__c, (r.Account__r as QueryRecord).Name])).to.deep.equal([
        ['INV-1', 10, 'Acme'],
        ['INV-2', 20, 'Acme'],
      ]);
      expect(records[0].attributes.type).to.equal('Invoice__c');
    });
  });

  it('accepts objects and relationships named like keywords (Order)', () => {
    const acme = org.store.rows('Account')[0];
    org.store.insert('Order', { OrderNumber: '00000100', AccountId: acme.Id, Status: 'Draft' });
    org.store.insert('Order', { OrderNumber: '00000101', AccountId: acme.Id, Status: 'Draft', OriginalOrderId: org.store.rows('Order')[0].Id });
    const records = query("SELECT OrderNumber, OriginalOrder.OrderNumber FROM Order WHERE Account.Name = 'acme' ORDER BY OrderNumber DESC");
    expect(records.map((r) => [r.OrderNumber, (r.OriginalOrder as QueryRecord | null)?.OrderNumber ?? null])).to.deep.equal([
      ['00000101', '00000100'],
      ['00000100', null],
    ]);
    expect(query('SELECT Id FROM Order o WHERE o.Status = \'Draft\'')).to.have.length(2);
  });

  it('follows a polymorphic Owner to the User that owns a Lead', () => {
    org.store.insert('Lead', { LastName: 'Lead', Company: 'Initech', OwnerId: org.users.admin.Id });
    const [lead] = query("SELECT Owner.Name, Owner.Username FROM Lead WHERE Owner.Username = 'admin@demo.sim'");
    expect(lead.Owner).to.deep.include({ Name: 'Ada Admin', Username: 'admin@demo.sim' });
    expect((lead.Owner as QueryRecord).attributes.type).to.equal('User');
  });

  describe('child subqueries', () => {
    it('returns children as {totalSize, done, records} and null when there are none', () => {
      const records = query(
        'SELECT Username, (SELECT PermissionSetId, PermissionSet.Name FROM PermissionSetAssignments ORDER BY PermissionSet.Name) FROM User WHERE IsActive = true ORDER BY Username'
      );
      expect(names(records)).to.deep.equal(['admin@demo.sim', 'erp@demo.sim', 'obrien@demo.sim']);
      const erp = records[1].PermissionSetAssignments as { totalSize: number; done: boolean; records: QueryRecord[] };
      expect(erp.totalSize).to.equal(2);
      expect(erp.done).to.equal(true);
      expect(erp.records.map((r) => (r.PermissionSet as QueryRecord).Name)).to.deep.equal(['API_Only', 'Read_Accounts']);
      expect(erp.records[0].attributes.type).to.equal('PermissionSetAssignment');
      expect(records[2].PermissionSetAssignments).to.equal(null);
    });

    it('applies WHERE and LIMIT per parent', () => {
      const [erp] = query(
        "SELECT Id, (SELECT Id FROM PermissionSetAssignments WHERE PermissionSet.IsOwnedByProfile = false ORDER BY PermissionSet.Name DESC LIMIT 1) FROM User WHERE Username = 'erp@demo.sim'"
      );
      const children = erp.PermissionSetAssignments as { records: QueryRecord[] };
      expect(children.records).to.have.length(1);
      const [admin] = query(
        "SELECT Id, (SELECT Id FROM PermissionSetAssignments WHERE PermissionSet.IsOwnedByProfile = false) FROM User WHERE Username = 'admin@demo.sim'"
      );
      expect(admin.PermissionSetAssignments).to.equal(null);
    });

    it('knows the real child relationship names of permission sets', () => {
      const [ps] = query(
        "SELECT Name, (SELECT SobjectType FROM ObjectPerms ORDER BY SobjectType), (SELECT AssigneeId FROM Assignments) FROM PermissionSet WHERE Name = 'X00ex000000'"
      );
      expect((ps.ObjectPerms as { records: QueryRecord[] }).records.map((r) => r.SobjectType)).to.deep.equal(['Account', 'Contact']);
      expect((ps.Assignments as { totalSize: number }).totalSize).to.equal(1);
    });

    it('uses a child relationship name given by a custom object definition', () => {
      const [acme] = query("SELECT Name, (SELECT Name FROM Invoices__r ORDER BY Amount__c DESC) FROM Account WHERE Name = 'Acme'");
      expect((acme.Invoices__r as { records: QueryRecord[] }).records.map((r) => r.Name)).to.deep.equal(['INV-2', 'INV-1']);
    });
  });

  describe('COUNT', () => {
    it('COUNT() gives totalSize and no records', () => {
      const result = runSoql('SELECT COUNT() FROM User WHERE IsActive = true', org.schema, org.store);
      expect(result).to.deep.equal({ totalSize: 3, records: [], countOnly: true });
      const records = executeSoql('SELECT COUNT() FROM User', org.schema, org.store);
      expect(records).to.have.length(0);
      expect(records.totalSize).to.equal(4);
      expect(records.countOnly).to.equal(true);
    });

    it('COUNT(field) is an AggregateResult with expr0, counting non-null values', () => {
      expect(query('SELECT COUNT(Id) FROM User')).to.deep.equal([{ attributes: { type: 'AggregateResult' }, expr0: 4 }]);
      expect(query('SELECT COUNT(ProfileId), COUNT(LastLoginDate) FROM User')).to.deep.equal([
        { attributes: { type: 'AggregateResult' }, expr0: 3, expr1: 2 },
      ]);
      expect(query("SELECT COUNT(Id) total FROM User WHERE Username = 'nobody'")).to.deep.equal([
        { attributes: { type: 'AggregateResult' }, total: 0 },
      ]);
    });

    it('computes MAX, MIN, SUM, AVG and COUNT_DISTINCT, returning stored values', () => {
      const [all] = query(
        'SELECT MAX(LastLoginDate), MIN(LastLoginDate) first, COUNT_DISTINCT(ProfileId), MAX(Username) FROM User'
      );
      expect(all).to.deep.equal({
        attributes: { type: 'AggregateResult' },
        expr0: '2026-11-26T08:00:00.000+0000',
        first: '2026-06-01T10:00:00.000+0000',
        expr1: 2,
        expr2: 'old_user@demo.sim',
      });
      const [sums] = query('SELECT SUM(Amount__c), AVG(Amount__c) FROM Invoice__c');
      expect(sums).to.deep.include({ expr0: 30, expr1: 15 });
      const [none] = query("SELECT SUM(Amount__c), MAX(Name) FROM Invoice__c WHERE Name = 'none'");
      expect(none).to.deep.include({ expr0: null, expr1: null });
    });

    it('groups with GROUP BY', () => {
      const records = query('SELECT ProfileId, COUNT(Id) FROM User WHERE ProfileId != null GROUP BY ProfileId ORDER BY ProfileId');
      expect(records.map((r) => [r.ProfileId, r.expr0])).to.deep.equal([
        [org.profiles.admin.Id, 2],
        [org.profiles.integration.Id, 1],
      ]);
      const byCount = query('SELECT ProfileId, COUNT(Id) FROM User GROUP BY ProfileId ORDER BY COUNT(Id) DESC, ProfileId NULLS LAST');
      expect(byCount.map((r) => [r.ProfileId, r.expr0])).to.deep.equal([
        [org.profiles.admin.Id, 2],
        [org.profiles.integration.Id, 1],
        [null, 1],
      ]);
      const byMax = query('SELECT ProfileId FROM User GROUP BY ProfileId ORDER BY MAX(LastLoginDate) ASC NULLS FIRST LIMIT 2');
      expect(byMax.map((r) => r.ProfileId)).to.deep.equal([null, org.profiles.integration.Id]);
      const lastLogin = query('SELECT Profile.Name, MAX(LastLoginDate) last FROM User GROUP BY Profile.Name ORDER BY Profile.Name NULLS LAST');
      expect(lastLogin.map((r) => [r.Name, r.last])).to.deep.equal([
        ['Minimum Access - API Only Integrations', '2026-06-01T10:00:00.000+0000'],
        ['System Administrator', '2026-11-26T08:00:00.000+0000'],
        [null, null],
      ]);
    });
  });

  describe('WHERE', () => {
    it('compares strings case-insensitively', () => {
      expect(names(query("SELECT Username FROM User WHERE Username = 'ADMIN@Demo.SIM'"))).to.deep.equal(['admin@demo.sim']);
      expect(names(query("SELECT Username FROM User WHERE Profile.Name = 'system administrator' ORDER BY Username"))).to.deep.equal([
        'admin@demo.sim',
        'obrien@demo.sim',
      ]);
    });

    it('filters on relationship paths of depth two', () => {
      expect(names(query("SELECT Username FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration'"))).to.deep.equal([
        'erp@demo.sim',
      ]);
    });

    it('supports != and <> including null rows, and = null / != null', () => {
      expect(names(query("SELECT Username FROM User WHERE Profile.Name != 'System Administrator' ORDER BY Username"))).to.deep.equal([
        'erp@demo.sim',
        'old_user@demo.sim',
      ]);
      expect(names(query("SELECT Username FROM User WHERE Profile.Name <> 'System Administrator'"))).to.have.length(2);
      expect(names(query('SELECT Username FROM User WHERE ProfileId = null'))).to.deep.equal(['old_user@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE ProfileId != null'))).to.have.length(3);
    });

    it('treats an empty string like null, as Salesforce stores it', () => {
      expect(names(query("SELECT Username FROM User WHERE Email = ''"))).to.have.length(4);
      expect(names(query("SELECT Username FROM User WHERE Username != ''"))).to.have.length(4);
    });

    it('compares booleans as booleans, case-insensitively written', () => {
      expect(names(query('SELECT Username FROM User WHERE IsActive = FALSE'))).to.deep.equal(['old_user@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE isactive = true'))).to.have.length(3);
      expect(names(query('SELECT Username FROM User WHERE IsActive != true'))).to.deep.equal(['old_user@demo.sim']);
    });

    it('reads a missing checkbox as false, since booleans are never null in Salesforce', () => {
      org.store.insert('User', { Username: 'nocheckbox@demo.sim' });
      expect(names(query('SELECT Username FROM User WHERE IsActive = false ORDER BY Username'))).to.deep.equal([
        'nocheckbox@demo.sim',
        'old_user@demo.sim',
      ]);
      expect(query('SELECT Username FROM User WHERE IsActive = null')).to.have.length(0);
      const [record] = query("SELECT IsActive FROM User WHERE Username = 'nocheckbox@demo.sim'");
      expect(record.IsActive).to.equal(null);
    });

    it('compares numbers and ignores nulls in ordering comparisons', () => {
      expect(names(query('SELECT Name FROM Account WHERE Credit_Limit__c > 100'), 'Name')).to.deep.equal(['Acme']);
      expect(names(query('SELECT Name FROM Account WHERE Credit_Limit__c < 100000.5'), 'Name')).to.deep.equal(['Acme']);
      expect(names(query('SELECT Name FROM Account WHERE Credit_Limit__c >= 5000 AND Credit_Limit__c <= 5000'), 'Name')).to.deep.equal([
        'Acme',
      ]);
      expect(names(query('SELECT Name FROM Invoice__c WHERE Amount__c > -1'), 'Name')).to.have.length(2);
    });

    it('supports AND, OR, NOT and parentheses', () => {
      const soql =
        "SELECT Username FROM User WHERE IsActive = true AND (Profile.Name = 'System Administrator' OR Username LIKE 'erp%') AND NOT Username = 'admin@demo.sim' ORDER BY Username";
      expect(names(query(soql))).to.deep.equal(['erp@demo.sim', 'obrien@demo.sim']);
      expect(names(query("SELECT Username FROM User WHERE NOT (IsActive = true OR Username = 'x')"))).to.deep.equal(['old_user@demo.sim']);
    });

    it('supports LIKE with % and _ wildcards, case-insensitively, and escaped wildcards', () => {
      expect(names(query("SELECT Username FROM User WHERE Username LIKE '%@DEMO.sim' AND Username LIKE 'e_p@%'"))).to.deep.equal([
        'erp@demo.sim',
      ]);
      expect(names(query("SELECT Name FROM Account WHERE Name LIKE '%100\\%%'"), 'Name')).to.deep.equal(['Globex 100% Corp']);
      expect(names(query("SELECT Name FROM Account WHERE Name LIKE '%\\%'"), 'Name')).to.deep.equal([]);
      expect(names(query("SELECT Username FROM User WHERE Username LIKE 'old\\_user%'"))).to.deep.equal(['old_user@demo.sim']);
      expect(names(query("SELECT Username FROM User WHERE Username LIKE 'old\\_user'"))).to.deep.equal([]);
    });

    it('supports IN and NOT IN lists', () => {
      expect(names(query("SELECT Username FROM User WHERE Username IN ('ERP@demo.sim', 'nobody', 'admin@demo.sim') ORDER BY Username"))).to.deep.equal([
        'admin@demo.sim',
        'erp@demo.sim',
      ]);
      expect(names(query("SELECT Username FROM User WHERE Username NOT IN ('erp@demo.sim', 'admin@demo.sim') ORDER BY Username"))).to.deep.equal([
        'obrien@demo.sim',
        'old_user@demo.sim',
      ]);
      expect(names(query(`SELECT Username FROM User WHERE Id IN ('${String(org.users.admin.Id).slice(0, 15)}')`))).to.deep.equal([
        'admin@demo.sim',
      ]);
    });

    it('supports semi-joins and anti-joins', () => {
      const semi =
        'SELECT Username FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.PermissionsApiUserOnly = true)';
      expect(names(query(semi))).to.deep.equal(['erp@demo.sim']);
      const anti = 'SELECT Username FROM User WHERE Id NOT IN (SELECT AssigneeId FROM PermissionSetAssignment) ORDER BY Username';
      expect(names(query(anti))).to.deep.equal(['obrien@demo.sim', 'old_user@demo.sim']);
      const onReference =
        "SELECT SobjectType FROM ObjectPermissions WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE Assignee.Username = 'erp@demo.sim')";
      expect(names(query(onReference), 'SobjectType')).to.deep.equal(['Account']);
    });

    it('compares datetimes with datetime literals in any Salesforce form', () => {
      for (const literal of ['2026-06-01T10:00:00Z', '2026-06-01T10:00:00.000+0000', '2026-06-01T12:00:00+02:00']) {
        expect(names(query(`SELECT Username FROM User WHERE LastLoginDate = ${literal}`))).to.deep.equal(['erp@demo.sim']);
      }
      expect(names(query('SELECT Username FROM User WHERE CreatedDate < 2025-01-01T00:00:00Z'))).to.deep.equal(['old_user@demo.sim']);
    });

    it('evaluates TODAY, YESTERDAY, LAST_N_DAYS:n and N_DAYS_AGO:n relative to now (UTC)', () => {
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate = YESTERDAY'))).to.deep.equal(['admin@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate = TODAY'))).to.deep.equal([]);
      expect(names(query('SELECT Username FROM User WHERE CreatedDate = LAST_N_DAYS:7'))).to.deep.equal(['obrien@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE CreatedDate = N_DAYS_AGO:7'))).to.deep.equal(['obrien@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE CreatedDate = N_DAYS_AGO:6'))).to.deep.equal([]);
      // dormant: never logged in or not in the last 90 days
      const dormant = 'SELECT Username FROM User WHERE IsActive = true AND (LastLoginDate = null OR LastLoginDate < LAST_N_DAYS:90) ORDER BY Username';
      expect(names(query(dormant))).to.deep.equal(['erp@demo.sim', 'obrien@demo.sim']);
    });

    it('evaluates month and year literals', () => {
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate = THIS_MONTH'))).to.deep.equal(['admin@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate = LAST_MONTH'))).to.deep.equal([]);
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate = LAST_N_MONTHS:6'))).to.deep.equal(['erp@demo.sim']);
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate = THIS_YEAR ORDER BY Username'))).to.deep.equal([
        'admin@demo.sim',
        'erp@demo.sim',
      ]);
      expect(names(query('SELECT Username FROM User WHERE CreatedDate = LAST_YEAR ORDER BY Username'))).to.deep.equal([
        'admin@demo.sim',
        'erp@demo.sim',
      ]);
      expect(names(query('SELECT Username FROM User WHERE LastLoginDate < LAST_90_DAYS'))).to.deep.equal(['erp@demo.sim']);
    });

    it('compares date fields with date literals and date-only values', () => {
      org.store.insert('PermissionSetLicense', { MasterLabel: 'Seats A', ExpirationDate: '2026-12-31' });
      org.store.insert('PermissionSetLicense', { MasterLabel: 'Seats B', ExpirationDate: '2026-11-28' });
      const labels = (soql: string): unknown[] => names(query(soql), 'MasterLabel');
      expect(labels('SELECT MasterLabel FROM PermissionSetLicense WHERE ExpirationDate = 2026-12-31')).to.deep.equal(['Seats A']);
      expect(labels('SELECT MasterLabel FROM PermissionSetLicense WHERE ExpirationDate > 2026-12-01')).to.deep.equal(['Seats A']);
      expect(labels('SELECT MasterLabel FROM PermissionSetLicense WHERE ExpirationDate = TOMORROW')).to.deep.equal(['Seats B']);
      expect(labels('SELECT MasterLabel FROM PermissionSetLicense WHERE ExpirationDate <= NEXT_N_DAYS:1')).to.deep.equal(['Seats B']);
      expect(labels('SELECT MasterLabel FROM PermissionSetLicense WHERE ExpirationDate = NEXT_N_DAYS:40 ORDER BY ExpirationDate')).to.deep.equal([
        'Seats B',
        'Seats A',
      ]);
    });

    it('matches 15- and 18-character Ids alike', () => {
      const id18 = String(org.users.integration.Id);
      expect(names(query(`SELECT Username FROM User WHERE Id = '${id18}'`))).to.deep.equal(['erp@demo.sim']);
      expect(names(query(`SELECT Username FROM User WHERE Id = '${id18.slice(0, 15)}'`))).to.deep.equal(['erp@demo.sim']);
    });
  });

  describe('values built into the query text (injection)', () => {
    it('an unsafely built value changes the query as it would in a real org', () => {
      const unsafe = "x' OR Username != '";
      const records = query(`SELECT Username FROM User WHERE Username = '${unsafe}'`);
      expect(records).to.have.length(4);
    });

    it('an unsafely built value that breaks the syntax fails as MALFORMED_QUERY', () => {
      const unsafe = "O'Brien";
      expect(() => query(`SELECT Username FROM User WHERE LastName = '${unsafe}'`)).to.throw().with.property('errorCode', 'MALFORMED_QUERY');
    });

    it('an escaped quote matches the literal value', () => {
      expect(names(query("SELECT Username FROM User WHERE LastName = 'O\\'Brien'"))).to.deep.equal(['obrien@demo.sim']);
      expect(names(query("SELECT Username FROM User WHERE LastName = 'o\\'brien'"))).to.deep.equal(['obrien@demo.sim']);
    });

    it('an escaped injection attempt matches nothing', () => {
      expect(query("SELECT Username FROM User WHERE Username = 'x\\' OR Username != \\''")).to.have.length(0);
    });

    it('escaped backslashes and control characters are part of the value', () => {
      org.store.insert('Account', { Name: 'Back\\slash\nline' });
      expect(names(query("SELECT Name FROM Account WHERE Name = 'back\\\\slash\\nline'"), 'Name')).to.deep.equal(['Back\\slash\nline']);
    });
  });

  describe('ORDER BY, LIMIT, OFFSET', () => {
    it('orders by several fields, ASC/DESC, case-insensitively', () => {
      org.store.insert('User', { Username: 'Zed@demo.sim', LastName: 'admin', IsActive: true });
      const records = query('SELECT Username, LastName FROM User ORDER BY LastName DESC, Username ASC');
      expect(records.map((r) => r.LastName)).to.deep.equal(['User', "O'Brien", 'Integration', 'Admin', 'admin']);
      expect(names(records)).to.deep.equal(['old_user@demo.sim', 'obrien@demo.sim', 'erp@demo.sim', 'admin@demo.sim', 'Zed@demo.sim']);
    });

    it('puts nulls first ascending and last descending by default, and obeys NULLS FIRST/LAST', () => {
      expect(names(query('SELECT Username FROM User ORDER BY LastLoginDate'))).to.deep.equal([
        'obrien@demo.sim',
        'old_user@demo.sim',
        'erp@demo.sim',
        'admin@demo.sim',
      ]);
      expect(names(query('SELECT Username FROM User ORDER BY LastLoginDate DESC'))).to.deep.equal([
        'admin@demo.sim',
        'erp@demo.sim',
        'obrien@demo.sim',
        'old_user@demo.sim',
      ]);
      expect(names(query('SELECT Username FROM User ORDER BY LastLoginDate ASC NULLS LAST, Username DESC'))).to.deep.equal([
        'erp@demo.sim',
        'admin@demo.sim',
        'old_user@demo.sim',
        'obrien@demo.sim',
      ]);
      expect(names(query('SELECT Username FROM User ORDER BY LastLoginDate DESC NULLS FIRST, Username'))).to.deep.equal([
        'obrien@demo.sim',
        'old_user@demo.sim',
        'admin@demo.sim',
        'erp@demo.sim',
      ]);
    });

    it('orders by relationship paths', () => {
      expect(names(query('SELECT Username FROM User ORDER BY Profile.UserLicense.Name DESC NULLS LAST, Username'))).to.deep.equal([
        'erp@demo.sim',
        'admin@demo.sim',
        'obrien@demo.sim',
        'old_user@demo.sim',
      ]);
    });

    it('applies OFFSET then LIMIT', () => {
      expect(names(query('SELECT Username FROM User ORDER BY Username LIMIT 2 OFFSET 1'))).to.deep.equal(['erp@demo.sim', 'obrien@demo.sim']);
      expect(names(query('SELECT Username FROM User ORDER BY Username LIMIT 0'))).to.deep.equal([]);
      expect(runSoql('SELECT COUNT() FROM User LIMIT 2', org.schema, org.store).totalSize).to.equal(2);
    });

    it('keeps store order without ORDER BY', () => {
      expect(names(query('SELECT Username FROM User'))).to.deep.equal([
        'admin@demo.sim',
        'erp@demo.sim',
        'obrien@demo.sim',
        'old_user@demo.sim',
      ]);
    });
  });

  it('accepts WITH SECURITY_ENFORCED and FOR VIEW as no-ops', () => {
    expect(query('SELECT Id FROM User WITH SECURITY_ENFORCED LIMIT 1')).to.have.length(1);
    expect(query('SELECT Id FROM User LIMIT 1 FOR VIEW')).to.have.length(1);
  });
});
