/* Evidence of use: aggregation, login classification, query building and log file choice (pure parts). */
import { expect } from 'chai';
import { EvidenceAccumulator, lastActivity, latest } from '../../../src/evidence/aggregate.js';
import { apiRowReader, chooseLogFiles } from '../../../src/evidence/load.js';
import { eventLogFileQuery, lastNDays, loginQuery, tokenQuery, userIdQueries } from '../../../src/evidence/queries.js';
import { authKindOf, isClientApplication } from '../../../src/evidence/vocabulary.js';

const ERP = '005000000000001AAA';
const OTHER = '005000000000002AAA';

describe('evidence: aggregation', () => {
  it('merges an app seen in tokens, logins and logs (case-insensitively) and counts failures apart', () => {
    const acc = new EvidenceAccumulator(new Set([ERP.slice(0, 15)]));
    acc.addToken({ userId: ERP, appName: 'ERP Connector', lastUsedDate: '2026-11-20T10:00:00.000+0000', useCount: 40 });
    acc.addLogin({ userId: ERP, loginTime: '2026-11-21T10:00:00.000+0000', loginType: 'Remote Access 2.0', subType: 'OAuth Refresh Token', status: 'Success', sourceIp: '203.0.113.10', application: 'erp connector' });
    acc.addLogin({ userId: ERP, loginTime: '2026-11-22T10:00:00.000+0000', loginType: 'Other Apex API', apiType: 'SOAP Partner', status: 'Invalid Password', sourceIp: '192.0.2.1', application: 'N/A' });
    acc.addApiCall(ERP.slice(0, 15), 'Account', 'REST', 'GET', 'ERP Connector', '2026-11-23T10:00:00.000Z');
    acc.addApiCall(OTHER, 'Case', 'REST', undefined, undefined, '2026-11-23T10:00:00.000Z');
    const model = acc.result({ days: 30, since: '2026-10-29' }, { kind: 'ApiTotalUsage', files: 1, eventTypes: ['ApiTotalUsage'] });
    expect(Object.keys(model.byUser)).to.deep.equal([ERP.slice(0, 15)]);
    const erp = model.byUser[ERP.slice(0, 15)];
    expect(erp.userId).to.equal(ERP);
    expect(erp.apps).to.deep.equal([{ name: 'ERP Connector', seenIn: ['apiLog', 'loginHistory', 'oauthToken'], uses: 42, lastSeen: '2026-11-23T10:00:00.000Z' }]);
    expect(erp.logins).to.equal(1);
    expect(erp.failures).to.equal(1);
    expect(erp.failureStatuses).to.deep.equal([{ status: 'Invalid Password', count: 1 }]);
    expect(erp.loginTypes.map((t) => `${t.loginType}:${t.kind}`)).to.deep.equal(['Remote Access 2.0:oauth']);
    expect(erp.sourceIps.map((s) => `${s.ip} ${s.count}/${s.failures}`)).to.deep.equal(['192.0.2.1 1/1', '203.0.113.10 1/0']);
    expect(erp.objects).to.deep.equal([{ object: 'Account', calls: 1, lastUsed: '2026-11-23T10:00:00.000Z', operations: ['GET'] }]);
    expect(erp.apiFamilies).to.deep.equal(['REST']);
    expect(lastActivity(erp)).to.equal('2026-11-23T10:00:00.000Z');
  });

  it('compares Salesforce (+0000) and ISO (Z) date-times as instants', () => {
    expect(latest('2026-11-20T10:00:00.000+0000', '2026-11-20T09:00:00.000Z')).to.equal('2026-11-20T10:00:00.000+0000');
    expect(latest(undefined, '2026-11-20T09:00:00.000Z')).to.equal('2026-11-20T09:00:00.000Z');
    // The same instant written two ways: the first is kept.
    expect(latest('2026-11-20T09:00:00.000Z', '2026-11-20T09:00:00.000+0000')).to.equal('2026-11-20T09:00:00.000Z');
    // Other precisions and offsets are compared as instants, not as text.
    expect(latest('2026-11-20T09:30:00Z', '2026-11-20T09:00:00.000Z')).to.equal('2026-11-20T09:30:00Z');
    expect(latest('2026-11-20T10:00:00.000+0100', '2026-11-20T09:30:00.000Z')).to.equal('2026-11-20T09:30:00.000Z');
    expect(latest('2026-11-20T10:00:00.000-0100', '2026-11-20T10:30:00.000Z')).to.equal('2026-11-20T10:00:00.000-0100');
  });

  it('latest picks what comparing the instants picks, for every mix of the forms Salesforce writes', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const forms = [
      (d: Date): string => d.toISOString(),
      (d: Date): string => d.toISOString().replace('Z', '+0000'),
      (d: Date): string => d.toISOString().replace('Z', '+00:00'),
      (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      (d: Date): string => new Date(d.getTime() + 3_600_000).toISOString().replace('Z', '+0100'),
    ];
    const base = Date.parse('2026-11-01T00:00:00.000Z');
    for (let i = 0; i < 2000; i++) {
      // Instants close together (same day, same second) as often as far apart.
      const at = (): Date => new Date(base + random(3) * 86_400_000 + random(2) * 1000 + random(3));
      const a = forms[random(forms.length)](at());
      const b = forms[random(forms.length)](at());
      const byInstant = Date.parse(b) > Date.parse(a) ? b : a;
      expect(latest(a, b), `${a} vs ${b}`).to.equal(byInstant);
    }
  });

  it('adds API calls straight from their cells: objects split, trimmed and matched case-insensitively, placeholders no app', () => {
    const acc = new EvidenceAccumulator(new Set([ERP.slice(0, 15)]));
    acc.addApiCall(ERP, ' Account , ,contact', 'REST', 'GET', ' Zapier ', '2026-11-20T10:00:00.000Z');
    acc.addApiCall(ERP, ' Account , ,contact', 'REST', 'PATCH', 'zapier', '2026-11-21T10:00:00.000Z');
    acc.addApiCall(ERP, 'ACCOUNT', 'SOAP', undefined, 'N/A', '2026-11-19T10:00:00.000Z');
    acc.addApiCall(ERP, undefined, undefined, undefined, undefined, undefined);
    const erp = acc.result({ days: 30, since: '2026-10-29' }, { kind: 'ApiTotalUsage', files: 1, eventTypes: ['ApiTotalUsage'] }).byUser[ERP.slice(0, 15)];
    expect(erp.apiCalls).to.equal(4);
    expect(erp.lastApiCall).to.equal('2026-11-21T10:00:00.000Z');
    expect(erp.apiFamilies).to.deep.equal(['REST', 'SOAP']);
    expect(erp.apps).to.deep.equal([{ name: 'Zapier', seenIn: ['apiLog'], uses: 2, lastSeen: '2026-11-21T10:00:00.000Z' }]);
    expect(erp.objects).to.deep.equal([
      { object: 'Account', calls: 3, lastUsed: '2026-11-21T10:00:00.000Z', operations: ['GET', 'PATCH'] },
      { object: 'contact', calls: 2, lastUsed: '2026-11-21T10:00:00.000Z', operations: ['GET', 'PATCH'] },
    ]);
  });
});

describe('evidence: vocabulary', () => {
  it('classifies login types: password (UI, SOAP login(), username-password flow), OAuth, other', () => {
    expect(authKindOf('Application')).to.equal('password');
    expect(authKindOf('Other Apex API')).to.equal('password');
    expect(authKindOf('Remote Access 2.0', 'OAuth Refresh Token')).to.equal('oauth');
    expect(authKindOf('Remote Access 2.0', 'OAuth Username-Password Flow')).to.equal('password');
    expect(authKindOf('SAML Idp Initiated SSO')).to.equal('other');
  });

  it('UI and placeholders are no client application', () => {
    expect(['N/A', 'Browser', '', undefined].map(isClientApplication)).to.deep.equal([false, false, false, false]);
    expect(isClientApplication('Zapier')).to.equal(true);
  });
});

describe('evidence: queries', () => {
  it('splits UserId IN lists by URL length and by a maximum of users, quoting every id', () => {
    const ids = Array.from({ length: 130 }, (_, i) => `005${String(i).padStart(12, '0')}AAA`);
    const queries = userIdQueries(ids, loginQuery(30), (soql) => soql.length, 60);
    expect(queries).to.have.length(3);
    expect(queries[0]).to.match(/^SELECT UserId,LoginTime,LoginType,LoginSubType,ApiType,Status,SourceIp,Application FROM LoginHistory WHERE LoginTime >= LAST_N_DAYS:30 AND UserId IN \('005/);
    const byUrl = userIdQueries(ids, tokenQuery, (soql) => soql.length * 40);
    expect(byUrl.length).to.be.greaterThan(1);
    for (const q of byUrl) expect(q.length * 40).to.be.at.most(15_000);
    expect(userIdQueries(["005'x"], tokenQuery, (s) => s.length)[0]).to.include("('005\\'x')");
  });

  it('asks for the daily API log files of the window', () => {
    expect(eventLogFileQuery(7)).to.equal(
      "SELECT Id,EventType,LogDate,LogFileLength FROM EventLogFile WHERE EventType IN ('ApiTotalUsage', 'API', 'RestApi', 'BulkApi') AND Interval = 'Daily' AND LogDate = LAST_N_DAYS:7 ORDER BY LogDate"
    );
    expect(() => lastNDays(0)).to.throw();
    expect(() => lastNDays(1.5)).to.throw();
  });
});

describe('evidence: log files', () => {
  it('reads ApiTotalUsage for a day that has it, the Event Monitoring files for a day that does not', () => {
    const files = chooseLogFiles([
      { Id: '0AT1', EventType: 'ApiTotalUsage', LogDate: '2026-11-20T00:00:00.000+0000' },
      { Id: '0AT2', EventType: 'RestApi', LogDate: '2026-11-20T00:00:00.000+0000' },
      { Id: '0AT3', EventType: 'RestApi', LogDate: '2026-11-21T00:00:00.000+0000' },
      { Id: '0AT4', EventType: 'BulkApi', LogDate: '2026-11-21T00:00:00.000+0000' },
    ]);
    expect(files.map((f) => f.id)).to.deep.equal(['0AT1', '0AT3', '0AT4']);
  });

  it('reads a row by its header: USER_ID_DERIVED before USER_ID, the family from the event type when absent', () => {
    const acc = new EvidenceAccumulator(new Set([ERP.slice(0, 15)]));
    const add = apiRowReader('RestApi', acc);
    const header = ['EVENT_TYPE', 'USER_ID', 'ENTITY_NAME', 'METHOD', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED'];
    add(header, ['RestApi', '005000000000001', 'Account', 'PATCH', '2026-11-20T10:00:00.000Z', ERP]);
    add(header, ['RestApi', '', 'Case', 'GET', '2026-11-21T10:00:00.000Z', '']); // no user
    // Another header (the columns are looked up again): USER_ID only, API_FAMILY given, the file's event type unused.
    add(['USER_ID', 'API_FAMILY', 'ENTITY_NAME', 'HTTP_METHOD', 'METHOD'], [ERP.slice(0, 15), 'Bulk', 'Order', 'POST', 'ignored']);
    const erp = acc.result({ days: 30, since: '2026-10-29' }, { kind: 'EventMonitoring', files: 1, eventTypes: ['RestApi'] }).byUser[ERP.slice(0, 15)];
    expect(erp.userId).to.equal(ERP);
    expect(erp.apiCalls).to.equal(2);
    expect(erp.apiFamilies).to.deep.equal(['Bulk', 'REST']);
    expect(erp.objects).to.deep.equal([
      { object: 'Account', calls: 1, lastUsed: '2026-11-20T10:00:00.000Z', operations: ['PATCH'] },
      { object: 'Order', calls: 1, lastUsed: '', operations: ['POST'] },
    ]);
  });
});
