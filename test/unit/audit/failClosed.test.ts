/**
 * Fail closed: a profile or permission set file that cannot be read fails a directory audit (what it grants is
 * unknown), is named in every report format, and only the configuration's excludeFiles lets it pass.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configProblems, excludedBy, toAuditConfig } from '../../../src/audit/config.js';
import { runAuditPipeline } from '../../../src/audit/pipeline.js';
import { toCsvReport } from '../../../src/report/csv.js';
import { writeReports } from '../../../src/report/write.js';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const CLEAN = `<?xml version="1.0" encoding="UTF-8"?>\n<Profile ${NS}>\n    <custom>true</custom>\n    <loginIpRanges>\n        <endAddress>203.0.113.255</endAddress>\n        <startAddress>203.0.113.0</startAddress>\n    </loginIpRanges>\n    <userLicense>Salesforce</userLicense>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiUserOnly</name>\n    </userPermissions>\n</Profile>\n`;
const TRUNCATED = CLEAN.slice(0, CLEAN.indexOf('ApiUserOnly'));

describe('audit --source-dir fails closed on unreadable files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'failclosed-'));
    await mkdir(join(dir, 'src', 'profiles'), { recursive: true });
    await writeFile(join(dir, 'src', 'profiles', 'Integration.profile-meta.xml'), CLEAN);
    await writeFile(join(dir, 'src', 'profiles', 'Erp Integration.profile-meta.xml'), TRUNCATED);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('a truncated profile fails the audit, and SARIF, JUnit, Markdown, CSV and JSON all name it with its line', async () => {
    const out = join(dir, 'out');
    const reports = ['audit.sarif', 'audit.junit.xml', 'audit.md', 'audit.json', 'audit.csv'].map((f) => join(out, f));
    const run = await runAuditPipeline({ target: { kind: 'directory', path: join(dir, 'src') }, cwd: dir, threshold: 'info' });
    await writeReports(reports, run, { toolVersion: 't' });
    expect(run.result.findings).to.deep.equal([]);
    expect(run.result.passed).to.equal(false);
    expect(run.result.summary.unreadableFiles).to.equal(1);
    expect(run.result.files).to.include({ found: 2, read: 1, skipped: 1 });
    const problem = run.result.loadProblems[0];
    expect(problem).to.include({ path: 'profiles/Erp Integration.profile-meta.xml', line: 15, code: 'unreadable', blocking: true });
    expect(run.warnings.join('\n')).to.include('profiles/Erp Integration.profile-meta.xml:15');

    const [sarifText, junit, markdown, json, csv] = await Promise.all(reports.map((r) => readFile(r, 'utf8')));
    const sarif = JSON.parse(sarifText) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> }> };
    const invocation = sarif.runs[0].invocations[0];
    expect(invocation.executionSuccessful).to.equal(false);
    expect(invocation.toolExecutionNotifications[0].level).to.equal('error');
    expect(invocation.toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine).to.equal(15);
    expect(junit).to.match(/<testsuite name="metadata files" tests="1" failures="1"/);
    expect(junit).to.match(/<testcase classname="metadata files" name="profiles\/Erp Integration.profile-meta.xml:15">\s*<failure/);
    expect(markdown).to.include('❌ failed');
    expect(markdown).to.include('profiles/Erp Integration.profile-meta.xml:15');
    expect((JSON.parse(json) as { passed: boolean }).passed).to.equal(false);
    const csvRows = csv.trimEnd().split('\r\n');
    expect(csvRows).to.have.length(2); // the header, then the file: no finding, but not an empty report either
    expect(csvRows[1]).to.match(/^,,,,unreadable,file,profiles\/Erp Integration\.profile-meta\.xml:15,profiles\/Erp Integration\.profile-meta\.xml,/);
    expect(csvRows[1]).to.include('<Profile> <userPermissions> <name>');
  });

  it('a folder the process cannot read fails the audit, named with its errno code, instead of being skipped', async function () {
    // root reads a folder whatever its mode, so the case cannot be made there.
    if (process.getuid?.() === 0) this.skip();
    await rm(join(dir, 'src', 'profiles', 'Erp Integration.profile-meta.xml'));
    const locked = join(dir, 'src', 'locked');
    await mkdir(locked);
    await writeFile(join(locked, 'Admin.profile-meta.xml'), CLEAN);
    await chmod(locked, 0o000);
    try {
      const run = await runAuditPipeline({ target: { kind: 'directory', path: join(dir, 'src') }, cwd: dir, threshold: 'info' });
      const problem = run.result.loadProblems.find((p) => p.path === 'locked');
      expect(problem).to.include({ code: 'unreadable', blocking: true });
      expect(problem!.message).to.match(/^cannot read the folder \(EACCES\)/);
      expect(run.result.findings).to.deep.equal([]);
      expect(run.result.passed).to.equal(false);
      expect(run.warnings.join('\n')).to.include('locked: cannot read the folder (EACCES)');
    } finally {
      await chmod(locked, 0o755);
    }
  });

  it('a truncated Connected App or External Client App policy file fails the audit too, and the OAuth files are counted', async () => {
    // Seen on public projects: connectedApps/ beside profiles/. A cut file used to be skipped silently (audit passed).
    const app = `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ${NS}>\n    <label>Erp Sync</label>\n    <oauthConfig>\n        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <scopes>Full</scopes>\n    </oauthConfig>\n</ConnectedApp>\n`;
    await mkdir(join(dir, 'src', 'connectedApps'), { recursive: true });
    await mkdir(join(dir, 'src', 'extlClntAppOauthPolicies'), { recursive: true });
    await rm(join(dir, 'src', 'profiles', 'Erp Integration.profile-meta.xml'));
    await writeFile(join(dir, 'src', 'connectedApps', 'Erp_Sync.connectedApp-meta.xml'), app.slice(0, app.indexOf('<scopes>')));
    await writeFile(join(dir, 'src', 'connectedApps', 'Crm_Feed.connectedApp-meta.xml'), app);
    await writeFile(join(dir, 'src', 'extlClntAppOauthPolicies', 'Erp_App_plcy.ecaOauthPlcy-meta.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ${NS}/>\n`);
    const run = await runAuditPipeline({ target: { kind: 'directory', path: join(dir, 'src') }, cwd: dir, threshold: 'info' });
    expect(run.result.passed).to.equal(false);
    expect(run.result.summary.unreadableFiles).to.equal(2);
    expect(run.result.loadProblems.map((p) => [p.path, p.line, p.code, p.blocking])).to.deep.equal([
      ['connectedApps/Erp_Sync.connectedApp-meta.xml', 6, 'unreadable', true],
      ['extlClntAppOauthPolicies/Erp_App_plcy.ecaOauthPlcy-meta.xml', undefined, 'unreadable', true],
    ]);
    expect(run.result.loadProblems[1].message).to.include('<ExtlClntAppOauthConfigurablePolicies>');
    expect(run.result.files).to.include({ found: 4, read: 2, skipped: 2 });
    expect(run.result.findings.map((f) => `${f.ruleId} ${f.subject.name}`)).to.deep.equal(['IU-OAUTH-004 Crm_Feed']);
  });

  it('OAuth client files are found as the profiles are: through a linked folder, not in dot folders, not when .forceignore lists them', async () => {
    const app = (label: string): string =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ${NS}>\n    <label>${label}</label>\n    <oauthConfig>\n        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <scopes>Full</scopes>\n    </oauthConfig>\n</ConnectedApp>\n`;
    await rm(join(dir, 'src', 'profiles', 'Erp Integration.profile-meta.xml'));
    await mkdir(join(dir, 'elsewhere', 'connectedApps'), { recursive: true });
    await writeFile(join(dir, 'elsewhere', 'connectedApps', 'Linked_App.connectedApp-meta.xml'), app('Linked'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'src', 'linked'));
    await mkdir(join(dir, 'src', '.hidden', 'connectedApps'), { recursive: true });
    await writeFile(join(dir, 'src', '.hidden', 'connectedApps', 'Hidden_App.connectedApp-meta.xml'), app('Hidden'));
    await mkdir(join(dir, 'src', 'connectedApps'), { recursive: true });
    await writeFile(join(dir, 'src', 'connectedApps', 'Ignored_App.connectedApp-meta.xml'), app('Ignored').slice(0, 120));
    await writeFile(join(dir, 'src', '.forceignore'), '**/Ignored_App.connectedApp-meta.xml\n');
    const run = await runAuditPipeline({ target: { kind: 'directory', path: join(dir, 'src') }, cwd: dir, threshold: 'info' });
    expect(run.result.findings.map((f) => `${f.ruleId} ${f.subject.name} ${f.subject.filePath}`)).to.deep.equal([
      'IU-OAUTH-004 Linked_App linked/connectedApps/Linked_App.connectedApp-meta.xml',
    ]);
    expect(run.result.summary.unreadableFiles).to.equal(0);
    expect(run.result.files).to.include({ found: 3, read: 2, skipped: 1, ignored: 1 });
  });

  it('passes when the configuration excludes the file, and still lists it', async () => {
    await writeFile(join(dir, 'integration-audit.json'), JSON.stringify({ excludeFiles: ['profiles/Erp *.profile-meta.xml'] }));
    const run = await runAuditPipeline({ target: { kind: 'directory', path: join(dir, 'src') }, cwd: dir, configFile: join(dir, 'integration-audit.json') });
    expect(run.result.passed).to.equal(true);
    expect(run.result.summary.unreadableFiles).to.equal(0);
    expect(run.result.loadProblems[0]).to.include({ excludedBy: 'profiles/Erp *.profile-meta.xml' });
    expect(run.result.loadProblems[0].blocking).to.equal(undefined);
    const csv = toCsvReport(run.result).trimEnd().split('\r\n');
    expect(csv[csv.length - 1]).to.match(/^,,,,unreadable-excluded,file,profiles\/Erp Integration\.profile-meta\.xml:15,.*,excluded by profiles\/Erp \*\.profile-meta\.xml,$/);
  });

  it('excludeFiles globs: * within a folder, ** across folders', async () => {
    const config = toAuditConfig({ excludeFiles: ['profiles/*.profile', '**/legacy/**'] });
    expect(excludedBy(config, 'profiles/A.profile')).to.equal('profiles/*.profile');
    expect(excludedBy(config, 'profiles/x/A.profile')).to.equal(undefined);
    expect(excludedBy(config, 'a/b/legacy/c/X.permissionset-meta.xml')).to.equal('**/legacy/**');
    expect(excludedBy(config, 'legacy/X.permissionset-meta.xml')).to.equal('**/legacy/**');
    expect(await configProblems({ excludeFiles: [''] })).to.have.length(1);
    expect(await configProblems({ integrationNamePatterns: ['(unclosed'] })).to.deep.equal([
      '/integrationNamePatterns/0 is not a regular expression: Invalid regular expression: /(unclosed/iu: Unterminated group',
    ]);
  });
});

describe('audit --source-dir on a directory of OAuth client files only', () => {
  const OAUTH_ONLY = join(process.cwd(), 'test', 'fixtures', 'metadata', 'oauth-only');
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oauthonly-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is audited: the OAuth rules report its clients, the rules about profiles and permission sets say there were none', async () => {
    const run = await runAuditPipeline({ target: { kind: 'directory', path: OAUTH_ONLY }, cwd: dir });
    expect(run.result.findings.map((f) => `${f.ruleId} ${f.subject.filePath}`)).to.have.members([
      'IU-OAUTH-004 force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml',
      'IU-OAUTH-002 force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml',
    ]);
    expect(run.result.passed).to.equal(false); // IU-OAUTH-004 is high, the default threshold
    expect(run.result.files).to.include({ found: 4, read: 4, skipped: 0 });
    expect(run.result.loadProblems).to.deep.equal([]);
    // said on the terminal too, so a --source-dir that missed the profiles is seen at once
    expect(run.warnings.filter((w) => w.startsWith('Only OAuth clients were audited: the directory holds OAuth client files only'))).to.have.length(1);
    const reasons = new Map(run.result.notEvaluated.map((n) => [n.ruleId, n.reason]));
    expect(reasons.get('IU-PRIV-002')).to.equal(
      'needs profiles and permission sets, which this audit could not read: the directory holds OAuth client files only, no profile, permission set, permission set group or muting permission set files'
    );
    expect(reasons.get('IU-STRUCT-001')).to.equal(reasons.get('IU-PRIV-002'));
    // The OAuth rules that need users say so, as in any directory audit; the others ran.
    expect(reasons.get('IU-OAUTH-001')).to.match(/^needs users, which a metadata directory does not contain/);
    expect(reasons.has('IU-OAUTH-002')).to.equal(false);
    expect(reasons.has('IU-OAUTH-004')).to.equal(false);

    const critical = await runAuditPipeline({ target: { kind: 'directory', path: OAUTH_ONLY }, cwd: dir, threshold: 'critical' });
    expect(critical.result.passed).to.equal(true);
  });

  it('a folder with neither profiles, permission sets nor OAuth client files is still refused', async () => {
    await mkdir(join(dir, 'force-app', 'main', 'default', 'classes'), { recursive: true });
    await writeFile(join(dir, 'force-app', 'main', 'default', 'classes', 'Erp.cls-meta.xml'), `<ApexClass ${NS}/>\n`);
    const error = await runAuditPipeline({ target: { kind: 'directory', path: dir }, cwd: dir }).then(
      () => undefined,
      (e: Error) => e
    );
    expect(error?.name).to.equal('NoMetadataFilesError');
  });

  it('refused when its OAuth files give nothing to audit: all left out by .forceignore, or settings without their app', async () => {
    const refusal = (path: string): Promise<string | undefined> =>
      runAuditPipeline({ target: { kind: 'directory', path }, cwd: dir }).then(
        () => undefined,
        (e: Error) => e.name
      );
    // A project that keeps its Connected Apps out of deploys with .forceignore: nothing is read.
    await cp(OAUTH_ONLY, join(dir, 'ignored'), { recursive: true });
    await writeFile(join(dir, 'ignored', '.forceignore'), '**/connectedApps/**\n**/externalClientApps/**\n**/extlClntAppOauthSettings/**\n**/extlClntAppOauthPolicies/**\n');
    expect(await refusal(join(dir, 'ignored'))).to.equal('NoMetadataFilesError');
    // OAuth settings with no External Client App header: no client.
    await mkdir(join(dir, 'settings', 'extlClntAppOauthSettings'), { recursive: true });
    await cp(join(OAUTH_ONLY, 'force-app', 'main', 'default', 'extlClntAppOauthSettings'), join(dir, 'settings', 'extlClntAppOauthSettings'), { recursive: true });
    expect(await refusal(join(dir, 'settings'))).to.equal('NoMetadataFilesError');
    // The same folder with its clients is audited (the test above).
    expect(await refusal(OAUTH_ONLY)).to.equal(undefined);
  });

  it('a folder whose only OAuth client file cannot be read fails closed', async () => {
    await mkdir(join(dir, 'connectedApps'));
    await writeFile(join(dir, 'connectedApps', 'Erp_Sync.connectedApp-meta.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<ConnectedApp ${NS}>\n    <label>Erp`);
    const run = await runAuditPipeline({ target: { kind: 'directory', path: dir }, cwd: dir, threshold: 'info' });
    expect(run.result.passed).to.equal(false);
    expect(run.result.findings).to.deep.equal([]);
    expect(run.result.summary.unreadableFiles).to.equal(1);
    expect(run.result.loadProblems.map((p) => [p.path, p.code, p.blocking])).to.deep.equal([['connectedApps/Erp_Sync.connectedApp-meta.xml', 'unreadable', true]]);
    expect(run.result.files).to.include({ found: 1, read: 0, skipped: 1 });
  });
});
