/* Evidence of use: aggregation, login classification, query building and log file choice (pure parts). */
import { expect } from 'chai';
import { EvidenceAccumulator, lastActivity, latest } from '../../../src/evidence/aggregate.js';
import { apiEventOf, chooseLogFiles } from '../../../src/evidence/load.js';
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
    acc.addApiEvent({ userId: ERP.slice(0, 15), family: 'REST', objects: ['Account'], operation: 'GET', app: 'ERP Connector', timestamp: '2026-11-23T10:00:00.000Z' });
    acc.addApiEvent({ userId: OTHER, family: 'REST', objects: ['Case'], timestamp: '2026-11-23T10:00:00.000Z' });
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

  it('maps a row by its header: USER_ID_DERIVED before USER_ID, the family from the event type when absent', () => {
    const header = ['EVENT_TYPE', 'USER_ID', 'ENTITY_NAME', 'METHOD', 'TIMESTAMP_DERIVED', 'USER_ID_DERIVED'];
    const event = apiEventOf(header, ['RestApi', '005000000000001', 'Account', 'PATCH', '2026-11-20T10:00:00.000Z', ERP], 'RestApi');
    expect(event).to.deep.equal({ userId: ERP, objects: ['Account'], family: 'REST', operation: 'PATCH', timestamp: '2026-11-20T10:00:00.000Z' });
    expect(apiEventOf(header, ['RestApi', '', '', '', '', ''], 'RestApi')).to.equal(undefined);
  });
});
