/*
 * `sf integration audit` through the real sf: against the simulator's demo org and against metadata directories,
 * with the exit codes of the help's EXIT CODES section and the --output-file reports.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import { describeRun, REPO_ROOT, useE2eSession } from './harness.js';
import { messageSection } from './messages.js';
import { schemaErrors } from './schemas.js';

type AuditJson = {
  passed: boolean;
  findings: Array<{ ruleId: string; subject: { kind: string; name: string; filePath?: string } }>;
  notEvaluated: Array<{ ruleId: string; reason: string }>;
  reports: string[];
  loadProblems: Array<{ path?: string; line?: number }>;
};

const noStackTrace = (text: string): boolean => !/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(text);

const CLEAN_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>true</custom>
    <loginIpRanges><endAddress>203.0.113.255</endAddress><startAddress>203.0.113.0</startAddress></loginIpRanges>
    <userLicense>Salesforce</userLicense>
    <userPermissions><enabled>true</enabled><name>ApiUserOnly</name></userPermissions>
</Profile>
`;

describe('e2e: sf integration audit', () => {
  const session = useE2eSession();

  it('--help documents the exit codes', async () => {
    const run = await session().sf(['integration', 'audit', '--help']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.stdout).to.include(messageSection('integration.audit', 'summary').split('\n')[0]);
    expect(run.stdout).to.include('EXIT CODES');
    expect(run.stdout).to.match(/1\s+At least one finding at or above the threshold/);
    expect(run.stdout).to.match(/--source-dir=<value>/);
  });

  it('audits the demo org: table, exit 1 on findings at or above high, no token printed', async () => {
    const run = await session().sf(['integration', 'audit', '-o', session().alias]);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    expect(run.stdout).to.include('IU-PRIV-001');
    expect(run.stdout).to.include('legacy.admin.integration@demo.sim');
    expect(run.stdout).to.match(/FAILED/);
    expect(run.stdout + run.stderr).not.to.include(session().org.accessToken);
    expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);
  });

  it('--json prints the full result (schemas/integration-audit.json) with status 1; reports are written', async () => {
    const reports = ['audit.sarif', 'audit.junit.xml', 'audit.md', 'audit.csv', 'audit.json'];
    const args = ['integration', 'audit', '-o', session().alias, '--json', ...reports.flatMap((r) => ['--output-file', join('reports', r)])];
    const run = await session().sf<AuditJson>(args);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    expect(run.json?.status).to.equal(1);
    expect(schemaErrors('integration:audit', run.json?.result)).to.deep.equal([]);
    const result = run.json!.result!;
    expect(result.passed).to.equal(false);
    expect(result.findings.some((f) => f.ruleId === 'IU-PRIV-001' && f.subject.name === 'legacy.admin.integration@demo.sim')).to.equal(true);
    expect(result.findings.some((f) => f.subject.name === 'erp.integration@demo.sim')).to.equal(false);
    for (const r of reports) expect(existsSync(join(session().workDir, 'reports', r)), r).to.equal(true);
    const sarif = JSON.parse(readFileSync(join(session().workDir, 'reports', 'audit.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).to.equal('2.1.0');
    expect(sarif.runs[0].results.length).to.equal(result.findings.length);
    expect(XMLValidator.validate(readFileSync(join(session().workDir, 'reports', 'audit.junit.xml'), 'utf8'))).to.equal(true);
    expect(run.stdout).not.to.include(session().org.accessToken);
  });

  it('--severity-threshold critical with every critical finding suppressed exits 0', async () => {
    const config = {
      suppressions: ['IU-PRIV-001', 'IU-PRIV-002', 'IU-PRIV-003'].map((rule) => ({ rule, subject: 'legacy.admin.integration@demo.sim', reason: 'Decommissioned next sprint', expires: '2999-12-31' })),
    };
    writeFileSync(join(session().workDir, 'integration-audit.json'), JSON.stringify(config));
    const run = await session().sf<AuditJson & { suppressed: unknown[] }>(['integration', 'audit', '-o', session().alias, '--severity-threshold', 'critical', '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(run.json?.result?.passed).to.equal(true);
    expect(run.json?.result?.suppressed).to.have.length(3);
  });

  it('audits a source-format directory: files in findings, user rules not evaluated, SARIF points at the files', async () => {
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'metadata', 'source'), join(session().workDir, 'project'), { recursive: true });
    const run = await session().sf<AuditJson>(['integration', 'audit', '--source-dir', 'project', '--json', '--output-file', 'dir.sarif']);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    const result = run.json!.result!;
    const priv002 = result.findings.find((f) => f.ruleId === 'IU-PRIV-002')!;
    expect(priv002.subject.filePath).to.equal('force-app/main/default/permissionsets/Integration_Erp.permissionset-meta.xml');
    expect(result.notEvaluated.map((n) => n.ruleId)).to.include.members(['IU-PRIV-001', 'IU-HYG-001', 'IU-STRUCT-002']);
    const sarif = JSON.parse(readFileSync(join(session().workDir, 'dir.sarif'), 'utf8')) as {
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    const uri = sarif.runs[0].results.find((r) => r.ruleId === 'IU-PRIV-002')!.locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).to.equal('project/force-app/main/default/permissionsets/Integration_Erp.permissionset-meta.xml');
  });

  it('a clean directory passes with exit 0; a malformed file is reported with path and line and the rest audited', async () => {
    const clean = join(session().workDir, 'clean', 'profiles');
    mkdirSync(clean, { recursive: true });
    writeFileSync(join(clean, 'Integration.profile-meta.xml'), CLEAN_PROFILE);
    const ok = await session().sf<AuditJson>(['integration', 'audit', '--source-dir', 'clean', '--severity-threshold', 'info', '--json']);
    expect(ok.exitCode, describeRun(ok)).to.equal(0);
    expect(ok.json?.result?.findings).to.deep.equal([]);

    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'metadata', 'malformed'), join(session().workDir, 'malformed'), { recursive: true });
    const bad = await session().sf<AuditJson>(['integration', 'audit', '--source-dir', 'malformed', '--json']);
    expect(bad.exitCode, describeRun(bad)).to.equal(1); // Good_Api grants ViewAllData
    const problem = bad.json?.result?.loadProblems.find((p) => p.path === 'permissionsets/Broken.permissionset-meta.xml');
    expect(problem, describeRun(bad)).to.deep.include({ line: 7 });
    expect(bad.json?.result?.findings.map((f) => f.subject.name)).to.include('Good_Api');
    expect(bad.json?.warnings?.join('\n')).to.include('permissionsets/Broken.permissionset-meta.xml:7');
  });

  it('a directory of OAuth client files only is audited by the OAuth rules; a folder with no metadata files exits 2', async () => {
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'metadata', 'oauth-only'), join(session().workDir, 'oauth-only'), { recursive: true });
    const run = await session().sf<AuditJson>(['integration', 'audit', '--source-dir', 'oauth-only', '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(1); // IU-OAUTH-004 is high
    expect(run.json?.result?.findings.map((f) => f.ruleId)).to.have.members(['IU-OAUTH-004', 'IU-OAUTH-002']);
    expect(run.json?.result?.notEvaluated.find((n) => n.ruleId === 'IU-PRIV-002')?.reason).to.include('OAuth client files only');

    mkdirSync(join(session().workDir, 'no-metadata'), { recursive: true });
    writeFileSync(join(session().workDir, 'no-metadata', 'README.md'), '# nothing to audit\n');
    const empty = await session().sf(['integration', 'audit', '--source-dir', 'no-metadata']);
    expect(empty.exitCode, describeRun(empty)).to.equal(2);
    expect(empty.stderr, describeRun(empty)).to.include('NoMetadataFiles');
    expect(noStackTrace(empty.stderr), describeRun(empty)).to.equal(true);
  });

  it('bad input exits 2 with a named error: missing directory, both targets, bad threshold, unknown report format', async () => {
    const cases: Array<[string[], string]> = [
      [['--source-dir', 'nope'], 'nope'],
      [['--source-dir', '.', '-o', session().alias], 'source-dir'],
      [['-o', session().alias, '--severity-threshold', 'severe'], 'severe'],
      [['-o', session().alias, '--output-file', 'report.txt'], 'report.txt'],
    ];
    for (const [args, mention] of cases) {
      // eslint-disable-next-line no-await-in-loop -- one sf process at a time
      const run = await session().sf(['integration', 'audit', ...args]);
      expect(run.exitCode, describeRun(run)).to.equal(2);
      expect(run.stderr, describeRun(run)).to.include(mention);
      expect(noStackTrace(run.stderr), describeRun(run)).to.equal(true);
    }
  });

  it('an unknown -o alias is an audit that could not run (exit 2 or more)', async () => {
    const run = await session().sf(['integration', 'audit', '-o', 'no-such-org', '--json']);
    expect(run.exitCode, describeRun(run)).to.be.at.least(2);
    expect(run.json?.message).to.include('no-such-org');
  });
});
