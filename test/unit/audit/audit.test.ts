import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configProblems, defaultConfigPath, EMPTY_CONFIG, loadAuditConfig } from '../../../src/audit/config.js';
import { auditModel } from '../../../src/audit/runAudit.js';
import { runAuditPipeline } from '../../../src/audit/pipeline.js';
import { checkOutputFiles, writeReports } from '../../../src/report/write.js';
import { applySuppressions } from '../../../src/audit/suppress.js';
import { parseThreshold } from '../../../src/audit/threshold.js';
import type { Finding } from '../../../src/rules/types.js';
import { orgModel } from '../rules/modelBuilder.js';

const finding = (ruleId: string, subject: string, severity: Finding['severity'] = 3): Finding => ({
  ruleId,
  severity,
  subject: { kind: 'user', name: subject },
  message: 'm',
  evidence: [],
});

const errorOf = async (promise: Promise<unknown>): Promise<Error & { exitCode?: number }> =>
  promise.then(
    () => expect.fail('expected an error'),
    (e: Error) => e
  );

describe('audit: threshold and exit code', () => {
  it('parses names and numbers, defaults to high, refuses anything else with exit code 2', () => {
    expect(['critical', 'HIGH', 'moderate', 'low', 'info', '1', '5'].map(parseThreshold)).to.deep.equal([1, 2, 3, 4, 5, 1, 5]);
    expect(parseThreshold(undefined)).to.equal(2);
    const error = ((): (Error & { exitCode: number }) | undefined => {
      try {
        parseThreshold('severe');
      } catch (e) {
        return e as Error & { exitCode: number };
      }
    })();
    expect(error?.name).to.equal('BadThresholdError');
    expect(error?.exitCode).to.equal(2);
  });
});

describe('audit: suppressions', () => {
  const findings = [finding('IU-HYG-001', 'Erp@Acme.example'), finding('IU-HYG-001', 'crm@acme.example'), finding('IU-AUTH-005', 'erp@acme.example')];

  it('suppresses by rule and subject (case-insensitive), keeps the reason, leaves the rest', () => {
    const out = applySuppressions(findings, [{ rule: 'iu-hyg-001', subject: 'erp@acme.example', reason: 'nightly job paused' }], '2026-11-27');
    expect(out.suppressed.map((f) => [f.ruleId, f.subject.name, f.suppression.reason])).to.deep.equal([['IU-HYG-001', 'Erp@Acme.example', 'nightly job paused']]);
    expect(out.active.map((f) => `${f.ruleId} ${f.subject.name}`)).to.deep.equal(['IU-HYG-001 crm@acme.example', 'IU-AUTH-005 erp@acme.example']);
  });

  it('an expired suppression is a finding again and is reported; one expiring today still applies', () => {
    const expired = { rule: 'IU-HYG-001', subject: 'crm@acme.example', reason: 'r', expires: '2026-11-26' };
    const today = { rule: 'IU-HYG-001', subject: 'erp@acme.example', reason: 'r', expires: '2026-11-27' };
    const unused = { rule: 'IU-PRIV-001', subject: 'nobody', reason: 'r' };
    const out = applySuppressions(findings, [expired, today, unused], '2026-11-27');
    expect(out.suppressed.map((f) => f.subject.name)).to.deep.equal(['Erp@Acme.example']);
    expect(out.active.map((f) => f.subject.name)).to.include('crm@acme.example');
    expect(out.expired).to.deep.equal([expired]);
    expect(out.unused).to.deep.equal([unused]);
  });
});

describe('audit: configuration file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-config-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('loads suppressions, severity overrides, disabled rules and dormancy days', async () => {
    const path = join(dir, 'integration-audit.json');
    await writeFile(
      path,
      JSON.stringify({
        suppressions: [{ rule: 'IU-HYG-001', subject: 'erp@acme.example', reason: 'seasonal', expires: '2027-01-31' }],
        rules: { 'IU-AUTH-005': { severity: 'info' }, 'IU-PRIV-006': { enabled: false }, 'IU-HYG-001': { severity: 2 } },
        dormantDays: 30,
      })
    );
    const config = await loadAuditConfig(path);
    expect(config.severities).to.deep.equal({ 'IU-AUTH-005': 5, 'IU-HYG-001': 2 });
    expect(config.disabled).to.deep.equal(['IU-PRIV-006']);
    expect(config.dormantDays).to.equal(30);
    expect(config.suppressions[0].expires).to.equal('2027-01-31');
  });

  it('names every problem of a bad file, with its path (exit code 2)', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({
        suppressions: [{ rule: 'IU-HYG-001', subject: 'x', reason: '   ' }, { rule: 'HYG', subject: 'y', reason: 'ok', expires: '2026-02-30' }, { rule: 'IU-HYG-001', subject: 'z', reason: 'month 13', expires: '2026-13-01' }],
        rules: { 'IU-AUTH-005': { severity: 'severe' } },
        dormantDays: 0,
        extra: true,
      })
    );
    const error = await errorOf(loadAuditConfig(path));
    expect(error.name).to.equal('ConfigInvalidError');
    expect(error.exitCode).to.equal(2);
    expect(error.message).to.include(path);
    for (const part of ['/suppressions/0/reason', '/suppressions/1/rule', '/suppressions/1/expires is not a calendar date', '/suppressions/2/expires is not a calendar date', '/rules/IU-AUTH-005/severity', '/dormantDays', '(extra)']) {
      expect(error.message).to.include(part);
    }
  });

  it('a missing file and a file that is not JSON are named errors', async () => {
    expect((await errorOf(loadAuditConfig(join(dir, 'none.json')))).name).to.equal('ConfigNotFoundError');
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "suppressions": [ }');
    expect((await errorOf(loadAuditConfig(path))).name).to.equal('ConfigNotJsonError');
  });

  it('a valid minimal file has no problems', async () => {
    expect(await configProblems({})).to.deep.equal([]);
  });

  it('finds integration-audit.json in the current directory outside a project', async () => {
    expect(await defaultConfigPath(dir)).to.equal(undefined);
    await writeFile(join(dir, 'integration-audit.json'), '{}');
    expect(await defaultConfigPath(dir)).to.equal(join(dir, 'integration-audit.json'));
  });
});

describe('audit pipeline on a metadata directory', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'audit-out-'));
  });
  afterEach(async () => rm(out, { recursive: true, force: true }));

  it('loads, audits, applies the config file and writes every report format', async () => {
    const configFile = join(out, 'cfg.json');
    await writeFile(configFile, JSON.stringify({ suppressions: [{ rule: 'IU-PRIV-004', subject: 'Integration_Erp', reason: 'reconciliation reads all accounts' }] }));
    const files = ['a.sarif', 'a.junit.xml', 'a.md', 'a.csv', 'a.json'].map((f) => join(out, 'reports', f));
    const result = await runAuditPipeline({
      target: { kind: 'directory', path: 'test/fixtures/metadata/source' },
      configFile,
      threshold: 'critical',
      cwd: out,
    });
    result.result.reports = await writeReports(files, result, { toolVersion: '0.0.0-test', baseDir: 'test/fixtures/metadata/source' });
    expect(result.result.passed).to.equal(false); // ModifyAllData on Integration_Erp is critical
    expect(result.result.findings.map((f) => f.ruleId)).to.include('IU-PRIV-002');
    expect(result.result.suppressed.map((f) => `${f.ruleId} ${f.subject.name}`)).to.deep.equal(['IU-PRIV-004 Integration_Erp']);
    expect(result.result.reports).to.deep.equal(files);
    const json = JSON.parse(await readFile(files[4], 'utf8')) as { findings: unknown[] };
    expect(json.findings).to.have.length(result.result.findings.length);
    const sarif = JSON.parse(await readFile(files[0], 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).to.match(/^test\/fixtures\/metadata\/source\/force-app\//);
  });

  it('refuses an unknown report extension (the command checks before loading anything)', async () => {
    const error = await errorOf(Promise.resolve().then(() => checkOutputFiles([join(out, 'a.json'), join(out, 'r.txt')])));
    expect(error.name).to.equal('UnknownOutputFormatError');
    expect(error.exitCode).to.equal(2);
  });

  it('with a manifest, IU-PRIV-008 runs on the app permission set file and elevated grants are justified', async () => {
    const manifest = join(out, 'integration.json');
    await writeFile(
      manifest,
      JSON.stringify({
        version: 1,
        profile: { name: 'Integration API Only', license: 'salesforce' },
        defaults: { username: '{app}.integration@acme.example', email: 'admins@acme.example' },
        apps: [
          {
            name: 'erp',
            permissionSet: { name: 'Integration_Erp', objects: { Account: ['read', 'edit', 'viewAll'] }, apexClasses: ['ErpOrderService'] },
            elevated: [{ permission: 'Account.viewAll', justification: 'Nightly reconciliation reads every account.' }],
          },
        ],
      })
    );
    const result = await runAuditPipeline({ target: { kind: 'directory', path: 'test/fixtures/metadata/source' }, definitionFile: manifest, cwd: out });
    const ids = result.result.findings.map((f) => `${f.ruleId} ${f.subject.name}`);
    expect(ids).to.not.include('IU-PRIV-004 Integration_Erp');
    const priv008 = result.result.findings.find((f) => f.ruleId === 'IU-PRIV-008');
    expect(priv008?.subject.name).to.equal('Integration_Erp');
    expect(priv008?.message).to.include('ModifyAllData');
    expect(result.result.notEvaluated.map((n) => n.ruleId)).to.not.include('IU-PRIV-008');
  });
});

describe('audit: auditModel', () => {
  const NOW = new Date('2026-11-27T00:00:00.000Z');
  const model = (): ReturnType<typeof orgModel> =>
    orgModel({
      profiles: { 'Integration API Only': { systemPermissions: ['ApiEnabled', 'ApiUserOnly'], userLicense: 'Salesforce', loginIpRanges: [{ start: '1.1.1.1', end: '1.1.1.1' }] } },
      permissionSets: { Erp: { systemPermissions: ['ApiEnabled'], objects: [{ object: 'Account', read: true }] } },
      users: [{ username: 'erp@acme.example', profile: 'Integration API Only', sets: ['Erp'], lastLoginDate: '2026-05-11T00:00:00.000Z' }],
    });

  it('the dormancy flag wins over the config file, which wins over the default', () => {
    const dormant = (options: Partial<Parameters<typeof auditModel>[1]>): boolean =>
      auditModel(model(), { threshold: 2, now: NOW, ...options }).result.findings.some((f) => f.ruleId === 'IU-HYG-001');
    expect(dormant({})).to.equal(true); // 200 days > 90
    expect(dormant({ config: { ...EMPTY_CONFIG, dormantDays: 365 } })).to.equal(false);
    expect(dormant({ config: { ...EMPTY_CONFIG, dormantDays: 365 }, dormantDays: 30 })).to.equal(true);
  });

  it('warns about an expired suppression and counts per severity', () => {
    const config = { ...EMPTY_CONFIG, suppressions: [{ rule: 'IU-HYG-001', subject: 'erp@acme.example', reason: 'r', expires: '2026-01-31' }] };
    const run = auditModel(model(), { threshold: 3, now: NOW, config });
    expect(run.warnings).to.deep.equal(['The suppression of IU-HYG-001 for erp@acme.example expired on 2026-01-31: the finding is reported again.']);
    expect(run.result.summary).to.include({ moderate: 1, total: 1, failing: 1, suppressed: 0 });
    expect(run.result.passed).to.equal(false);
    expect(run.result.threshold).to.equal('moderate');
  });
});
