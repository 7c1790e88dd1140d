/*
 * Evidence of use through `sf integration audit` against the org simulator: the demo org's tokens, logins and
 * ApiTotalUsage files; an org without event logs; a running user who cannot read OauthToken or LoginHistory; an
 * Event Monitoring RestApi file (USER_ID_DERIVED); and the requests evidence costs.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Audit, { type AuditResult } from '../../src/commands/integration/audit.js';
import { loadAccessModelFromOrg } from '../../src/access/orgLoader.js';
import { startEvidence } from '../../src/evidence/load.js';
import { eventLogFileQuery } from '../../src/evidence/queries.js';
import { orgContext } from '../../src/org/connection.js';
import { unavailableReason } from '../../src/org/errors.js';
import { queryAll } from '../../src/org/query.js';
import { daysAgo } from '../simulator/fixtures/builder.js';
import { eventLogCsv, REST_API_COLUMNS, restApiRow } from '../simulator/fixtures/eventLogs.js';
import { OrgSimulator } from '../simulator/index.js';
import { connectionTo, isolateCliEnv } from './helpers.js';

const LEGACY = 'legacy.admin.integration@demo.sim';
const ERP = 'erp.integration@demo.sim';

const subjects = (result: AuditResult, rule: string): string[] => result.findings.filter((f) => f.ruleId === rule).map((f) => f.subject.name).sort();
const reasonOf = (result: AuditResult, rule: string): string | undefined => result.notEvaluated.find((n) => n.ruleId === rule)?.reason;

describe('evidence of use (simulator)', function () {
  this.timeout(120_000);
  let sim: OrgSimulator;
  let restoreEnv: () => void;
  let sandbox: sinon.SinonSandbox;

  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
    sim = await OrgSimulator.start();
    restoreEnv = isolateCliEnv(sim);
    process.exitCode = undefined;
  });

  afterEach(async () => {
    sandbox.restore();
    restoreEnv();
    await sim.stop();
    process.exitCode = undefined;
  });

  const userId = (username: string): string => String(sim.store.rows('User').find((u) => u.Username === username)!.Id);
  const audit = async (...args: string[]): Promise<AuditResult> => {
    const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json', ...args]);
    return result;
  };

  it('reports shared apps, password logins, failed logins and unused access from the demo org evidence, never the good user', async () => {
    sim.resetRequests();
    const result = await audit();
    expect(subjects(result, 'IU-AUTH-011')).to.deep.equal([LEGACY]);
    expect(result.findings.find((f) => f.ruleId === 'IU-AUTH-011')!.evidence.map((e) => e.grants).join(' ')).to.include('client app Jira Connector').and.include('client app Legacy Sync');
    expect(subjects(result, 'IU-AUTH-004')).to.deep.equal([LEGACY]);
    expect(subjects(result, 'IU-AUTH-013')).to.deep.equal(['marketing.integration@demo.sim']);
    expect(subjects(result, 'IU-PRIV-009')).to.deep.equal([LEGACY]);
    expect(result.findings.find((f) => f.ruleId === 'IU-PRIV-009')!.message).to.include('Contact').and.not.include('Account');
    expect(result.findings.filter((f) => f.subject.name === ERP)).to.deep.equal([]);
    expect(result.rulesEvaluated).to.include.members(['IU-AUTH-004', 'IU-AUTH-012', 'IU-AUTH-013', 'IU-PRIV-009']);
    // Evidence requests: OauthToken, LoginHistory, EventLogFile queries and one GET per daily log file.
    expect(sim.requests.filter((r) => /FROM (OauthToken|LoginHistory|EventLogFile)/.test(r.soql ?? '')).map((r) => r.soql!.split(' FROM ')[1].split(' ')[0]).sort()).to.deep.equal(['EventLogFile', 'LoginHistory', 'OauthToken']);
    expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(3);
  });

  it('an app that only uses its OAuth token is not dormant (IU-HYG-001 takes OauthToken.LastUsedDate)', async () => {
    const dormant = sim.store.rows('User').find((u) => u.Username === 'dormant.integration@demo.sim')!;
    sim.store.insert('OauthToken', { UserId: dormant.Id, AppName: 'Nightly Batch', LastUsedDate: daysAgo(new Date(), 1), UseCount: 300 });
    const result = await audit();
    expect(subjects(result, 'IU-HYG-001')).to.deep.equal([]);
    const before = await audit('--evidence-days', '0');
    expect(subjects(before, 'IU-HYG-001')).to.deep.equal(['dormant.integration@demo.sim']);
  });

  it('IU-AUTH-012: a successful login from outside the profile login IP ranges; a refused one is not reported', async () => {
    const dormant = userId('dormant.integration@demo.sim');
    sim.store.insert('LoginHistory', { UserId: dormant, LoginTime: daysAgo(new Date(), 2), LoginType: 'Remote Access 2.0', Status: 'Success', SourceIp: '198.51.100.7', Application: 'ERP Batch' });
    sim.store.insert('LoginHistory', { UserId: dormant, LoginTime: daysAgo(new Date(), 2), LoginType: 'Remote Access 2.0', Status: 'Restricted IP', SourceIp: '192.0.2.99', Application: 'ERP Batch' });
    sim.store.insert('LoginHistory', { UserId: dormant, LoginTime: daysAgo(new Date(), 3), LoginType: 'Remote Access 2.0', Status: 'Success', SourceIp: '203.0.113.42', Application: 'ERP Batch' });
    const result = await audit();
    const finding = result.findings.find((f) => f.ruleId === 'IU-AUTH-012')!;
    expect(finding.subject.name).to.equal('dormant.integration@demo.sim');
    expect(finding.message).to.include('198.51.100.7').and.include('ERP API Profile').and.not.include('192.0.2.99').and.not.include('203.0.113.42');
  });

  it('an org without API log files: IU-PRIV-009 is not evaluated, with the reason; the other evidence rules run', async () => {
    for (const row of [...sim.store.rows('EventLogFile')]) sim.store.remove(String(row.Id));
    const result = await audit();
    expect(reasonOf(result, 'IU-PRIV-009')).to.include('no daily API log file');
    expect(subjects(result, 'IU-AUTH-004')).to.deep.equal([LEGACY]);
    expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(0);
  });

  it('a running user who cannot read OauthToken or LoginHistory: those facts are unavailable (INVALID_TYPE), nothing crashes', async () => {
    sim.store.deniedObjects.add('oauthtoken');
    const tokensDenied = await audit();
    expect(subjects(tokensDenied, 'IU-AUTH-011')).to.deep.equal([LEGACY]); // still seen in logins and API logs
    sim.store.deniedObjects.add('loginhistory');
    const result = await audit();
    for (const rule of ['IU-AUTH-004', 'IU-AUTH-012', 'IU-AUTH-013']) expect(reasonOf(result, rule), rule).to.include('INVALID_TYPE').and.include('LoginHistory');
    expect(result.rulesEvaluated).to.include('IU-PRIV-009');
  });

  it('reads an Event Monitoring RestApi file (USER_ID_DERIVED) for a day without ApiTotalUsage', async () => {
    const erp = userId(ERP);
    for (const row of [...sim.store.rows('EventLogFile')]) sim.store.remove(String(row.Id));
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0);
    const csv = eventLogCsv(REST_API_COLUMNS, ['Account', 'Order', 'Invoice__c', 'Opportunity', 'Contact'].map((entity) => restApiRow({ userId: erp, username: ERP, orgId: sim.orgId, at: daysAgo(new Date(), 1), family: 'REST', method: 'GET', entity })));
    const file = sim.store.insert('EventLogFile', { EventType: 'RestApi', LogDate: new Date(day.getTime() - 86_400_000).toISOString().replace('Z', '+0000'), Interval: 'Daily', LogFileLength: csv.length });
    sim.store.logFiles.set(String(file.Id).slice(0, 15), csv);
    const result = await audit();
    expect(result.rulesEvaluated).to.include('IU-PRIV-009');
    expect(subjects(result, 'IU-PRIV-009')).to.deep.equal([]); // legacy.admin made no call in this file
    expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(1);
  });

  it('--evidence-days 0 reads no evidence: the evidence rules say so', async () => {
    sim.resetRequests();
    const result = await audit('--evidence-days', '0');
    expect(reasonOf(result, 'IU-AUTH-004')).to.include('--evidence-days');
    expect(sim.requests.some((r) => /FROM (OauthToken|LoginHistory|EventLogFile)/.test(r.soql ?? ''))).to.equal(false);
  });

  describe('started before the integration users are known', () => {
    const isLogList = (soql: string | undefined): boolean => /FROM EventLogFile\b/.test(soql ?? '');
    const load = async (): Promise<Awaited<ReturnType<typeof loadAccessModelFromOrg>>> =>
      loadAccessModelFromOrg(await connectionTo(sim), { assignments: 'integrationUsers', evidenceDays: 30, evidenceLoader: startEvidence });

    it('lists the log files in the first round, before the user and assignment reads end; the same requests as reading it later', async () => {
      sim.setLatency(40);
      // The orders below follow from what each request waits for; these two reads are slowed so that no CPU delay on a
      // loaded machine can reorder what the code sends at once (a request started "beside" another ends first).
      sim.slowDown({ soqlIncludes: 'FROM User ' }, 400);
      sim.slowDown({ soqlIncludes: 'AssigneeId IN' }, 400);
      const conn = await connectionTo(sim);
      sim.resetRequests();
      const model = await loadAccessModelFromOrg(conn, { assignments: 'integrationUsers', evidenceDays: 30, evidenceLoader: startEvidence });
      const list = sim.requests.filter((r) => isLogList(r.soql));
      expect(list).to.have.length(1);
      const userRead = sim.requests.find((r) => /FROM User\b/.test(r.soql ?? ''))!;
      const assignmentReads = sim.requests.filter((r) => /FROM PermissionSetAssignment\b/.test(r.soql ?? ''));
      expect(list[0].start!).to.be.below(userRead.end!);
      expect(list[0].end!).to.be.at.most(Math.max(...assignmentReads.map((r) => r.end!)));
      // The integration users' reads come after they are known; the log files once the candidates are (the demo org
      // has no group granting API Only User), before the candidates' own assignments are read.
      const tokenRead = sim.requests.find((r) => /FROM OauthToken\b/.test(r.soql ?? ''))!;
      const candidatesAssignments = assignmentReads[assignmentReads.length - 1];
      expect(tokenRead.start!).to.be.at.least(candidatesAssignments.end!);
      const firstLogFile = sim.requests.find((r) => r.path.endsWith('/LogFile'))!;
      expect(firstLogFile.start!).to.be.below(candidatesAssignments.end!).and.at.least(userRead.end!);
      expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(3);
      expect(sim.requests.filter((r) => /FROM (OauthToken|LoginHistory|EventLogFile)\b/.test(r.soql ?? ''))).to.have.length(3);
      expect(model.evidence?.apiLogs).to.deep.equal({ kind: 'ApiTotalUsage', files: 3, eventTypes: ['ApiTotalUsage'] });
      expect(model.availableFacts).to.include.members(['oauthTokens', 'loginEvents', 'apiUsage']);
    });

    it('a list the running user may not read: the same unavailable fact and reason as a list read after the users, the other evidence kept', async () => {
      sim.store.deniedObjects.add('eventlogfile');
      const ctx = orgContext(await connectionTo(sim));
      const expected = await queryAll(ctx, eventLogFileQuery(30)).then(
        () => expect.fail('the simulator should refuse EventLogFile'),
        (error: unknown) => unavailableReason('EventLogFile', error)
      );
      sim.resetRequests();
      const model = await load();
      expect(model.unavailableFacts).to.deep.include({ fact: 'apiUsage', reason: expected });
      expect(model.availableFacts).to.include.members(['oauthTokens', 'loginEvents']).and.not.include('apiUsage');
      expect(sim.requests.filter((r) => isLogList(r.soql))).to.have.length(1);
      expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(0);
    });

    it('an API limit on the early list still ends the load with the named error', async () => {
      sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM EventLogFile' }, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', times: 10 });
      const error = await load().then(
        () => expect.fail('the load should fail'),
        (e: unknown) => e as Error
      );
      expect(error.name).to.match(/ApiLimitExceeded/);
      expect(error.message).to.include('REQUEST_LIMIT_EXCEEDED');
      expect(sim.requests.filter((r) => isLogList(r.soql)).length).to.be.at.least(1);
    });

    it('a load that fails before the users are known leaves no unhandled rejection from the early list', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      try {
        sim.injectFault({ kind: 'http', match: { pathIncludes: '/sobjects/PermissionSet/describe' }, status: 400, errorCode: 'INVALID_TYPE', times: 10 });
        sim.injectFault({ kind: 'http', match: { soqlIncludes: 'FROM EventLogFile' }, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', times: 10 });
        const error = await load().then(
          () => expect.fail('the load should fail'),
          (e: unknown) => e as Error
        );
        expect(error.message).to.include('PermissionSet');
        // Let the early list fail and its promise settle.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(sim.requests.some((r) => isLogList(r.soql) && r.status === 403)).to.equal(true);
        expect(unhandled).to.deep.equal([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });

  describe('log files read for the candidates', () => {
    const started = async (candidates: string[]): Promise<ReturnType<typeof startEvidence>> => {
      const evidence = startEvidence(orgContext(await connectionTo(sim)), { days: 30 });
      evidence.candidates(candidates);
      return evidence;
    };

    it('serve the integration users among them: each log file read once, only their evidence kept', async () => {
      const [erp, legacy] = [userId(ERP), userId(LEGACY)];
      const alone = await (await started([])).forUsers([erp]);
      sim.resetRequests();
      const evidence = await started([erp, legacy, userId('marketing.integration@demo.sim')]);
      const load = await evidence.forUsers([erp]);
      expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(3);
      expect(sim.requests.filter((r) => /FROM (OauthToken|LoginHistory|EventLogFile)\b/.test(r.soql ?? ''))).to.have.length(3);
      expect(Object.keys(load.evidence.byUser)).to.deep.equal([erp.slice(0, 15)]);
      expect(load.evidence).to.deep.equal(alone.evidence);
      expect(load.available).to.deep.equal(['oauthTokens', 'loginEvents', 'apiUsage']);
    });

    it('an integration user outside the candidates: the log files are read again for the integration users', async () => {
      const [erp, legacy] = [userId(ERP), userId(LEGACY)];
      const alone = await (await started([])).forUsers([erp, legacy]);
      sim.resetRequests();
      const load = await (await started([erp])).forUsers([erp, legacy]);
      expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(6);
      expect(load.evidence).to.deep.equal(alone.evidence);
      expect(load.evidence.byUser[legacy.slice(0, 15)].objects.length).to.be.greaterThan(0);
    });

    it('a failing log file read for the candidates is the same unavailable fact, reported by forUsers', async () => {
      sim.store.deniedObjects.add('eventlogfile');
      const evidence = await started([userId(ERP)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const load = await evidence.forUsers([userId(ERP)]);
      expect(load.unavailable.map((u) => u.fact)).to.deep.equal(['apiUsage']);
      expect(load.unavailable[0].reason).to.include('EventLogFile').and.include('INVALID_TYPE');
    });
  });
});
