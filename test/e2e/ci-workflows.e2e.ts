/*
 * The pipelines of docs/ci run as written. Each workflow file is parsed (yaml), every step or job script that holds an
 * `sf integration` command runs through bash and the real sf against the simulator, in a folder laid out as the
 * repository the workflow expects (integration.json, force-app/), with only the documented org alias replaced by the
 * session's. Exit codes are asserted per step, and the files the later steps upload (SARIF to code scanning, JUnit,
 * Markdown for the run summary) must exist and parse.
 *
 * Not run, and why (printed as the test goes): the install steps (the session links this checkout; the package is
 * not on npm), the JWT login (the simulator has no OAuth token endpoint; the session is logged in with an access
 * token under the same alias) and the logout (it would end the shared session). Their `sf` command lines are still
 * checked: every flag they use must appear in the pinned sf's `--help` of that command.
 * Any other step the test does not know fails it, and so does an `sf integration` command it did not run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'yaml';
import { describeRun, REPO_ROOT, runProcess, SF_BIN, useE2eSession } from './harness.js';

const CI_DIR = join(REPO_ROOT, 'docs', 'ci');
const GITHUB_FILE = 'github-actions.yml';
const GITLAB_FILE = 'gitlab-ci.yml';

type Env = Record<string, string>;
type GithubStep = { name?: string; uses?: string; run?: string; if?: string; env?: Env; with?: Record<string, string | number>; 'continue-on-error'?: string | boolean };
type GithubJob = { env?: Env; steps: GithubStep[] };
type GithubWorkflow = { env: Env; jobs: Record<string, GithubJob> };
type Script = string | Script[];
type GitlabJob = {
  extends?: string;
  rules?: Array<{ if?: string }>;
  before_script?: Script[];
  script?: Script[];
  after_script?: Script[];
  variables?: Env;
  artifacts?: { paths?: string[]; reports?: { junit?: string } };
};

/** Why a line of a pipeline is not run against the simulator. */
const SKIPS: Array<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /npm install --global "?@salesforce\/cli|unsignedPluginAllowList\.json|^mkdir -p "\$\{XDG_CONFIG_HOME:-\$HOME\/\.config\}\/sf"$|\bsf plugins install\b/,
    reason: 'install: the session runs the pinned sf of test/e2e/cli with this checkout linked (the package is not on npm yet)',
  },
  {
    pattern: /\bsf org login jwt\b/,
    reason: 'JWT login: the simulator has no OAuth token endpoint; the session is logged in with an access token under the same alias',
  },
  { pattern: /\bsf org logout\b/, reason: 'logout: it would end the session the other steps share' },
];
const INTEGRATION_COMMAND = /\bsf\s+integration\b/;

/** The versions the pipelines install: the sf these tests run, and this package. */
const PINNED = {
  SF_CLI_VERSION: (JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'e2e', 'cli', 'package.json'), 'utf8')) as { dependencies: Env }).dependencies['@salesforce/cli'],
  PLUGIN_VERSION: (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
};

/** Shell lines with backslash continuations joined, comments and blank lines dropped. */
const commandLines = (script: string): string[] =>
  script
    .replace(/\s*\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

const flatten = (items: Script[] | undefined): string[] => (items ?? []).flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));

/** The reason a script is skipped, or undefined when it must run; a script mixing both is a test failure. */
const skipReason = (script: string): string | undefined => {
  const lines = commandLines(script);
  const reasons = lines.map((line) => SKIPS.find((s) => s.pattern.test(line))?.reason);
  if (lines.some((line) => INTEGRATION_COMMAND.test(line))) {
    expect(reasons.filter(Boolean), `a script with an sf integration command also holds a skipped line:\n${script}`).to.deep.equal([]);
    return undefined;
  }
  const skipped = reasons.filter((r): r is string => r !== undefined);
  return skipped.length > 0 ? skipped[0] : undefined;
};

/** `sf a b --flag x` → { words: ['a', 'b'], flags: ['--flag'] } for every sf command line of a script. */
const sfCommands = (script: string): Array<{ words: string[]; flags: string[]; line: string }> =>
  commandLines(script)
    .flatMap((line) => line.split(/\s*(?:&&|\|\||\||;)\s*/))
    .map((part) => part.replace(/^\(\s*/, '').trim())
    .filter((part) => /^sf\s/.test(part))
    .map((line) => {
      const tokens = line.split(/\s+/).slice(1);
      const words: string[] = [];
      for (const token of tokens) {
        if (!/^[a-z][a-z-]*$/.test(token)) break;
        words.push(token);
      }
      return { words, flags: tokens.filter((t) => t.startsWith('--')).map((t) => t.split('=')[0]), line };
    });

const MANIFEST = {
  version: 1,
  profile: { license: 'auto' },
  defaults: { username: '{app}.ci@acme-ci.example', email: 'sf-admins@acme.example', timeZone: 'Europe/Paris', locale: 'fr_FR', language: 'en_US' },
  apps: [
    { name: 'billing', permissionSet: { objects: { Account: ['read', 'edit'] } } },
    { name: 'leads', permissionSet: { objects: { Lead: ['read', 'create'] } } },
  ],
};

const CLEAN_PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>true</custom>
    <loginIpRanges><endAddress>203.0.113.255</endAddress><startAddress>203.0.113.0</startAddress></loginIpRanges>
    <userLicense>Salesforce</userLicense>
    <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
    <userPermissions><enabled>true</enabled><name>ApiUserOnly</name></userPermissions>
</Profile>
`;

/** A permission set of a manifest app that grants View All Data: IU-PRIV-002, critical. */
const ADMIN_GRADE_SET = `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Integration Billing</label>
    <userPermissions><enabled>true</enabled><name>ViewAllData</name></userPermissions>
</PermissionSet>
`;

/** A folder laid out as the repository the pipelines expect: integration.json and force-app/ at its root. */
const makeCheckout = (dir: string, options: { adminGradeSet: boolean }): string => {
  const metadata = join(dir, 'force-app', 'main', 'default');
  mkdirSync(join(metadata, 'profiles'), { recursive: true });
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }));
  writeFileSync(join(dir, 'integration.json'), JSON.stringify(MANIFEST, null, 2));
  writeFileSync(join(metadata, 'profiles', 'Integration_API_Only.profile-meta.xml'), CLEAN_PROFILE);
  if (options.adminGradeSet) {
    mkdirSync(join(metadata, 'permissionsets'), { recursive: true });
    writeFileSync(join(metadata, 'permissionsets', 'Integration_Billing.permissionset-meta.xml'), ADMIN_GRADE_SET);
  }
  return dir;
};

type SarifLog = {
  version: string;
  runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }> }> }>;
};

/** SARIF as GitHub code scanning takes it: 2.1.0, and every result names a file that exists in the repository. */
const checkSarif = (checkout: string, file: string): SarifLog => {
  const path = join(checkout, file);
  expect(existsSync(path), `${file} (uploaded to code scanning) was not written`).to.equal(true);
  const log = JSON.parse(readFileSync(path, 'utf8')) as SarifLog;
  expect(log.version, file).to.equal('2.1.0');
  for (const result of log.runs.flatMap((run) => run.results)) {
    const uri = result.locations[0]?.physicalLocation?.artifactLocation?.uri;
    expect(uri, `${file}: ${result.ruleId} names no file (code scanning rejects it)`).to.be.a('string');
    expect(existsSync(join(checkout, decodeURI(uri!))), `${file}: ${result.ruleId} points at ${uri!}, not in the repository`).to.equal(true);
  }
  return log;
};

type JunitDoc = { testsuites?: { testsuite?: unknown } };
const checkJunit = (checkout: string, file: string): { failures: number } => {
  const path = join(checkout, file);
  expect(existsSync(path), `${file} (JUnit report) was not written`).to.equal(true);
  const xml = readFileSync(path, 'utf8');
  expect(XMLValidator.validate(xml), file).to.equal(true);
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as JunitDoc;
  expect(doc.testsuites?.testsuite, `${file}: no <testsuites><testsuite>`).to.not.equal(undefined);
  return { failures: (xml.match(/<failure\b/g) ?? []).length };
};

/** Every report file in an uploaded folder parses as its format. */
const checkReportFolder = (checkout: string, folder: string): string[] => {
  const dir = join(checkout, folder);
  expect(existsSync(dir), `${folder} (uploaded as an artifact) does not exist`).to.equal(true);
  const files = readdirSync(dir);
  for (const file of files) {
    if (file.endsWith('.sarif')) checkSarif(checkout, join(folder, file));
    if (file.endsWith('.junit.xml')) checkJunit(checkout, join(folder, file));
    if (file.endsWith('.md')) expect(readFileSync(join(dir, file), 'utf8'), file).to.match(/^#/m);
  }
  return files;
};

type StepRun = { label: string; exitCode: number; stdout: string; stderr: string; durationMs: number; commands: string[] };

describe('e2e: the CI pipelines of docs/ci run as written', () => {
  const session = useE2eSession();
  const ran = new Set<string>();
  const skipped: string[] = [];
  const helpChecked = new Map<string, string>();

  /** Runs a script the way the CI runs it: bash, the pinned sf first on PATH, the pipeline's variables. */
  const runScript = async (label: string, script: string, bashOptions: string[], env: Env, cwd: string): Promise<StepRun> => {
    const commands = commandLines(script).filter((line) => INTEGRATION_COMMAND.test(line));
    commands.forEach((c) => ran.add(c));
    const result = await runProcess('bash', ['--noprofile', '--norc', ...bashOptions, '-c', script], {
      env: { ...session().env, ...env, PATH: `${dirname(SF_BIN)}:${process.env.PATH ?? ''}` },
      cwd,
      timeoutMs: 150_000,
    });
    return { label, commands, ...result };
  };

  const describeStep = (step: StepRun): string => describeRun({ ...step, args: [step.label] });

  /** Skipped scripts: say why, and check the flags of their sf command lines against the pinned sf's help. */
  const noteSkip = (label: string, reason: string): void => {
    const line = `${label}: ${reason}`;
    if (skipped.includes(line)) return;
    skipped.push(line);
    process.stdout.write(`      skipped ${label} — ${reason}\n`);
  };
  const skip = async (label: string, script: string, reason: string): Promise<void> => {
    noteSkip(label, reason);
    for (const command of sfCommands(script)) {
      const key = command.words.join(' ');
      if (!helpChecked.has(key)) {
        // eslint-disable-next-line no-await-in-loop -- a handful of help texts, each once
        const help = await session().sf([...command.words, '--help']);
        expect(help.exitCode, describeRun(help)).to.equal(0);
        helpChecked.set(key, help.stdout);
      }
      for (const flag of command.flags) expect(helpChecked.get(key), `${label}: sf ${key} has no ${flag}`).to.match(new RegExp(`${flag}[=\\s,]`));
    }
  };

  describe(GITHUB_FILE, () => {
    const workflow = parse(readFileSync(join(CI_DIR, GITHUB_FILE), 'utf8')) as GithubWorkflow;
    const summaries: Record<string, string> = {};

    /** Runs one job's steps in order; returns the runs of the steps that ran, by step name. */
    const runJob = async (jobName: string, checkout: string): Promise<Map<string, StepRun>> => {
      const job = workflow.jobs[jobName];
      const summaryFile = join(checkout, `step-summary-${jobName}.md`);
      writeFileSync(summaryFile, '');
      const runs = new Map<string, StepRun>();
      for (const [index, step] of job.steps.entries()) {
        const label = `${GITHUB_FILE} › ${jobName} › ${step.name ?? step.uses ?? String(index)}`;
        if (step.uses) {
          const action = step.uses.split('@')[0];
          if (action === 'actions/checkout') noteSkip(label, "the test's checkout folder stands in");
          else if (action === 'actions/setup-node') noteSkip(label, 'the test runs on Node 22 already');
          else if (action === 'github/codeql-action/upload-sarif') checkSarif(checkout, String(step.with?.sarif_file));
          else if (action === 'actions/upload-artifact') checkReportFolder(checkout, String(step.with?.path));
          else expect.fail(`${label}: an action this test does not know (${step.uses}): say how it is checked`);
          continue;
        }
        expect(step.run, `${label}: neither run nor uses`).to.be.a('string');
        // Expressions belong in env:, never in a script (they would be pasted into the shell unquoted).
        expect(step.run, `${label}: \${{ }} inside run`).not.to.include('${{');
        const reason = skipReason(step.run!);
        if (reason) {
          // eslint-disable-next-line no-await-in-loop
          await skip(label, step.run!, reason);
          continue;
        }
        expect(Object.values(step.env ?? {}).join(' '), `${label}: a step that runs here must not need secrets`).not.to.include('${{');
        const env: Env = {
          ...workflow.env,
          ...job.env,
          ...step.env,
          // The documented variables, with the session's values: the org alias; the paths are the checkout's own.
          ORG_ALIAS: session().alias,
          GITHUB_STEP_SUMMARY: summaryFile,
          GITHUB_WORKSPACE: checkout,
        };
        // GitHub's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`.
        // eslint-disable-next-line no-await-in-loop -- steps run in order
        const run = await runScript(label, step.run!, ['-eo', 'pipefail'], env, checkout);
        expect(run.commands.length, `${label}: one sf integration command per step, so its exit code is the step's`).to.be.at.most(1);
        runs.set(step.name ?? String(index), run);
      }
      summaries[jobName] = readFileSync(summaryFile, 'utf8');
      return runs;
    };

    it('declares the variables the test substitutes, and runs the right command on each event', () => {
      expect(workflow.env).to.include.keys('ORG_ALIAS', 'MANIFEST', 'SOURCE_DIR', 'SEVERITY_THRESHOLD');
      expect({ SF_CLI_VERSION: String(workflow.env.SF_CLI_VERSION), PLUGIN_VERSION: String(workflow.env.PLUGIN_VERSION) }).to.deep.equal(PINNED);
      const steps = workflow.jobs.org.steps;
      const byName = (name: string): GithubStep => steps.find((s) => s.name === name)!;
      expect(byName('Plan (pull request)').if).to.include("github.event_name == 'pull_request'");
      expect(byName('Plan (pull request)').run).to.include('--dry-run');
      expect(byName('Apply (push to main)').if).to.include("github.event_name == 'push'").and.to.include('refs/heads/main');
      expect(byName('Apply (push to main)').run).not.to.include('--dry-run');
      expect(JSON.stringify(workflow.jobs['metadata-audit'])).not.to.include('login');
    });

    it('metadata-audit: the directory gate exits 0 on clean metadata, 1 on an admin-grade permission set; SARIF, JUnit and summary', async () => {
      const clean = makeCheckout(join(session().workDir, 'gh-clean'), { adminGradeSet: false });
      const cleanRuns = await runJob('metadata-audit', clean);
      const cleanAudit = cleanRuns.get('Audit profiles and permission sets')!;
      expect(cleanAudit.exitCode, describeStep(cleanAudit)).to.equal(0);
      expect(summaries['metadata-audit']).to.match(/^#/m);

      const failing = makeCheckout(join(session().workDir, 'gh-failing'), { adminGradeSet: true });
      const runs = await runJob('metadata-audit', failing);
      const audit = runs.get('Audit profiles and permission sets')!;
      expect(audit.exitCode, describeStep(audit)).to.equal(1);
      const sarif = checkSarif(failing, 'integration-reports/metadata-audit.sarif');
      const priv002 = sarif.runs[0].results.find((r) => r.ruleId === 'IU-PRIV-002');
      expect(priv002?.locations[0].physicalLocation?.artifactLocation?.uri).to.equal('force-app/main/default/permissionsets/Integration_Billing.permissionset-meta.xml');
      expect(checkJunit(failing, 'integration-reports/metadata-audit.junit.xml').failures).to.be.greaterThan(0);
      expect(summaries['metadata-audit']).to.include('IU-PRIV-002');
      for (const [name, run] of runs) expect(run.exitCode, `${name}\n${describeStep(run)}`).to.equal(name === 'Audit profiles and permission sets' ? 1 : 0);
    });

    it('org: plan (0), apply (0), audit of the org (1: the demo org has critical findings); SARIF anchored to the manifest', async () => {
      const checkout = makeCheckout(join(session().workDir, 'gh-org'), { adminGradeSet: false });
      const runs = await runJob('org', checkout);
      const expected: Record<string, number> = { 'Plan (pull request)': 0, 'Apply (push to main)': 0, 'Audit the org': 1, 'Write the run summary': 0 };
      expect([...runs.keys()], 'the steps this test runs').to.deep.equal(Object.keys(expected));
      for (const [name, run] of runs) expect(run.exitCode, describeStep(run)).to.equal(expected[name]);
      expect(runs.get('Plan (pull request)')!.stdout).to.match(/\+ user\s+billing\.ci@acme-ci\.example/);
      expect(runs.get('Apply (push to main)')!.stdout).to.match(/\+ user\s+billing\.ci@acme-ci\.example/);

      const sarif = checkSarif(checkout, 'integration-reports/org-audit.sarif');
      const results = sarif.runs[0].results;
      expect(results.length).to.be.greaterThan(0);
      expect(new Set(results.map((r) => r.locations[0].physicalLocation?.artifactLocation?.uri))).to.deep.equal(new Set(['integration.json']));
      expect(checkJunit(checkout, 'integration-reports/org-audit.junit.xml').failures).to.be.greaterThan(0);
      const summary = summaries.org;
      expect(summary).to.include('## plan').and.to.include('## apply').and.to.include('```text');
      expect(summary).to.include(readFileSync(join(checkout, 'integration-reports', 'org-audit.md'), 'utf8').split('\n')[0]);
      const output = [...runs.values()].map((r) => r.stdout + r.stderr).join('\n') + summary;
      expect(output).not.to.include(session().org.accessToken);
    });
  });

  describe(GITLAB_FILE, () => {
    const doc = parse(readFileSync(join(CI_DIR, GITLAB_FILE), 'utf8')) as Record<string, unknown>;
    const RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script']);
    const jobs = Object.entries(doc)
      .filter(([name]) => !name.startsWith('.') && !RESERVED.has(name))
      .map(([name, raw]) => {
        const job = raw as GitlabJob;
        // `extends` merges the template under the job (one level here; GitLab merges hashes deeply, the job wins).
        const template = job.extends ? (doc[job.extends] as GitlabJob) : {};
        return [name, { ...template, ...job }] as const;
      });
    const variables = doc.variables as Env;

    it('declares the variables the test substitutes, and gates each job on the right event', () => {
      expect(variables).to.include.keys('ORG_ALIAS', 'MANIFEST', 'SOURCE_DIR', 'SEVERITY_THRESHOLD');
      expect({ SF_CLI_VERSION: variables.SF_CLI_VERSION, PLUGIN_VERSION: variables.PLUGIN_VERSION }).to.deep.equal(PINNED);
      const rulesOf = (name: string): string => JSON.stringify(jobs.find(([n]) => n === name)?.[1].rules);
      expect(rulesOf('org-plan')).to.include('merge_request_event').and.not.to.include('CI_DEFAULT_BRANCH');
      expect(rulesOf('org-apply')).to.include('CI_DEFAULT_BRANCH').and.not.to.include('merge_request_event');
      expect(flatten(jobs.find(([n]) => n === 'org-plan')?.[1].script).join('\n')).to.include('--dry-run');
    });

    it('every job: metadata audit (1 on an admin-grade set), plan (0), apply (0), org audit (1); JUnit reports and artifacts', async () => {
      const checkout = makeCheckout(join(session().workDir, 'gitlab'), { adminGradeSet: true });
      const expected: Record<string, number> = { 'metadata-audit': 1, 'org-plan': 0, 'org-apply': 0, 'org-audit': 1 };
      expect(jobs.map(([name]) => name), 'the jobs this test runs').to.deep.equal(Object.keys(expected));
      for (const [name, job] of jobs) {
        const label = `${GITLAB_FILE} › ${name}`;
        for (const [part, items] of [['before_script', job.before_script], ['after_script', job.after_script]] as const) {
          for (const item of flatten(items)) {
            const reason = skipReason(item);
            expect(reason, `${label} › ${part}: "${item}" is neither run nor skipped with a reason`).to.be.a('string');
            // eslint-disable-next-line no-await-in-loop
            await skip(`${label} › ${part}`, item, reason!);
          }
        }
        const script = flatten(job.script).join('\n');
        expect(skipReason(script), `${label}: script`).to.equal(undefined);
        // GitLab's runner stops at the first failing line; pipefail only where the script sets it.
        // eslint-disable-next-line no-await-in-loop -- jobs run in order
        const run = await runScript(label, script, ['-e'], { ...variables, ...job.variables, ORG_ALIAS: session().alias }, checkout);
        expect(run.commands.length, `${label}: one sf integration command per job`).to.equal(1);
        expect(run.exitCode, describeStep(run)).to.equal(expected[name]);
        if (job.artifacts?.reports?.junit) checkJunit(checkout, job.artifacts.reports.junit);
        for (const path of job.artifacts?.paths ?? []) checkReportFolder(checkout, path);
      }
      expect(checkJunit(checkout, 'integration-reports/org-audit.junit.xml').failures).to.be.greaterThan(0);
      checkSarif(checkout, 'integration-reports/org-audit.sarif');
    });
  });

  // A describe of its own, last: mocha runs a suite's own tests before its nested suites.
  describe('coverage', () => {
    it('ran every sf integration command of docs/ci, and says what it skipped', () => {
      for (const file of [GITHUB_FILE, GITLAB_FILE]) {
        const written = commandLines(readFileSync(join(CI_DIR, file), 'utf8'))
          .map((line) => line.replace(/^-\s+/, ''))
          .filter((line) => INTEGRATION_COMMAND.test(line));
        expect(written.length, file).to.be.greaterThan(0);
        for (const line of written) expect([...ran], `${file}: not run by this test: ${line}`).to.include(line);
      }
      expect(skipped.some((s) => s.includes('JWT login'))).to.equal(true);
      process.stdout.write(`      ${skipped.length} steps or script lines skipped (listed above), ${ran.size} sf integration commands run\n`);
    });
  });
});
