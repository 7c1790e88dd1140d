/*
 * Evidence of use through the real sf against the simulator's demo org: the audit's evidence rules (--json, checked
 * against schemas/), user list --evidence-days (JSON columns) and manifest init --evidence-days (the draft file).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeRun, useE2eSession } from './harness.js';
import { schemaErrors } from './schemas.js';

type Finding = { ruleId: string; subject: { name: string } };

describe('e2e: evidence of use', () => {
  const session = useE2eSession();

  it('audit reads 30 days of evidence by default: shared apps, password and failed logins, unused access', async () => {
    const run = await session().sf<{ findings: Finding[]; rulesEvaluated: string[] }>(['integration', 'audit', '-o', session().alias, '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(1);
    expect(schemaErrors('integration:audit', run.json?.result)).to.deep.equal([]);
    const result = run.json!.result!;
    const subjects = (rule: string): string[] => result.findings.filter((f) => f.ruleId === rule).map((f) => f.subject.name);
    expect(subjects('IU-AUTH-011')).to.include('legacy.admin.integration@demo.sim');
    expect(subjects('IU-AUTH-004')).to.deep.equal(['legacy.admin.integration@demo.sim']);
    expect(subjects('IU-AUTH-013')).to.deep.equal(['marketing.integration@demo.sim']);
    expect(subjects('IU-PRIV-009')).to.deep.equal(['legacy.admin.integration@demo.sim']);
    expect(result.rulesEvaluated).to.include.members(['IU-AUTH-012', 'IU-PRIV-009']);
    expect(run.stdout).not.to.include(session().org.accessToken);
  });

  it('user list --evidence-days 30 --json has appsSeen and lastUsed (schemas/integration-user-list.json)', async () => {
    const run = await session().sf<{ users: Array<{ username: string; appsSeen?: string[]; lastUsed?: string | null }> }>(['integration', 'user', 'list', '-o', session().alias, '--evidence-days', '30', '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    expect(schemaErrors('integration:user:list', run.json?.result)).to.deep.equal([]);
    const legacy = run.json!.result!.users.find((u) => u.username === 'legacy.admin.integration@demo.sim')!;
    expect(legacy.appsSeen).to.deep.equal(['Jira Connector', 'Legacy Sync']);
    expect(legacy.lastUsed).to.be.a('string');
  });

  it('manifest init --evidence-days 30 writes each app\'s used objects and a $comment', async () => {
    const run = await session().sf<{ outputFile: string }>(['integration', 'manifest', 'init', '-o', session().alias, '--evidence-days', '30', '--output-file', 'evidence.json', '--json']);
    expect(run.exitCode, describeRun(run)).to.equal(0);
    const manifest = JSON.parse(readFileSync(join(session().workDir, 'evidence.json'), 'utf8')) as { apps: Array<{ user?: { username?: string }; permissionSet?: { $comment?: string; objects?: Record<string, string[]> } }> };
    const erp = manifest.apps.find((a) => a.user?.username === 'erp.integration@demo.sim')!;
    expect(erp.permissionSet?.$comment).to.match(/^Evidence of use, last 30 days/);
    expect(Object.keys(erp.permissionSet?.objects ?? {}).sort()).to.deep.equal(['Account', 'Invoice__c', 'Opportunity', 'Order']);
  });
});
