/*
 * The main flows against a real org, read-only: audit, generate, manifest init, apply --dry-run.
 * Skipped unless a TESTKIT_* variable names an org (see realOrg.ts). Nothing here writes to the org:
 * apply runs with --dry-run, and manifest init / generate write only into a temporary folder.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execCmd } from '@salesforce/cli-plugins-testkit';
import { expect } from 'chai';
import { schemaErrors } from '../e2e/schemas.js';
import { configuredRealOrg, openRealOrgSession, type RealOrgSession } from './realOrg.js';

const EXAMPLE_MANIFEST = resolve('examples', 'integration.json');

type AuditJson = { passed: boolean; findings: Array<{ ruleId: string; severity: number }> };
type ApplyJson = { dryRun: boolean; outcome: string; plan: Array<{ op: string }> };
type InitJson = { outputFile: string; apps: unknown[] };

describe('NUT: main flows (real org, read-only)', () => {
  let real: RealOrgSession | undefined;
  let work = '';

  before(async function () {
    if (!configuredRealOrg()) this.skip();
    this.timeout(15 * 60_000);
    real = await openRealOrgSession();
    work = mkdtempSync(join(tmpdir(), 'nut-flows-'));
  });

  after(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
    await real?.session.clean();
  });

  it('audit --json: exit 0 or 1 (findings), result matches the schema, SARIF written', () => {
    const sarif = join(work, 'audit.sarif');
    const run = execCmd<AuditJson>(`integration audit --target-org ${real!.username} --output-file ${sarif} --json`);
    expect(run.shellOutput.code, run.shellOutput.stderr).to.be.oneOf([0, 1]);
    const result = run.jsonOutput!.result;
    expect(schemaErrors('integration:audit', result)).to.deep.equal([]);
    expect(run.shellOutput.code === 0).to.equal(result.passed);
    expect(readdirSync(work)).to.include('audit.sarif');
  });

  it('manifest init drafts a manifest from the org without writing to the org', () => {
    const file = join(work, 'drafted.json');
    const run = execCmd<InitJson>(`integration manifest init --target-org ${real!.username} --output-file ${file} --json`, {
      ensureExitCode: 0,
    });
    expect(schemaErrors('integration:manifest:init', run.jsonOutput!.result)).to.deep.equal([]);
    expect(run.jsonOutput!.result.outputFile).to.equal(file);
  });

  it('generate with the org: profile and permission sets written, limited to the permissions the org knows', () => {
    const out = join(work, 'force-app', 'main', 'default');
    const run = execCmd(
      `integration generate --manifest ${EXAMPLE_MANIFEST} --output-dir ${out} --target-org ${real!.username} --json`,
      { ensureExitCode: 0 }
    );
    expect(schemaErrors('integration:generate', run.jsonOutput!.result)).to.deep.equal([]);
    expect(readdirSync(join(out, 'permissionsets')).length).to.be.greaterThan(0);
  });

  it('apply --dry-run prints a plan and writes nothing', () => {
    const run = execCmd<ApplyJson>(
      `integration apply --target-org ${real!.username} --manifest ${EXAMPLE_MANIFEST} --dry-run --json`
    );
    // A preflight problem (no seats, a taken username) is a named error with exit 1; otherwise the plan.
    if (run.shellOutput.code === 0) {
      const result = run.jsonOutput!.result;
      expect(schemaErrors('integration:apply', result)).to.deep.equal([]);
      expect(result.dryRun).to.equal(true);
      expect(result.outcome).to.be.oneOf(['planned', 'converged']);
    } else {
      expect(run.shellOutput.code).to.equal(1);
      expect(run.jsonOutput?.name ?? '').to.match(/Error$/);
    }
  });
});
