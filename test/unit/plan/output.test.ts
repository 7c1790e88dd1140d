import { expect } from 'chai';
import { outcomeLines, planLines } from '../../../src/plan/output.js';
import type { ApplyRunResult } from '../../../src/plan/apply.js';
import type { Plan, PlanAction } from '../../../src/plan/types.js';
import { ELLIPSIS, textWidth } from '../../../src/terminal/width.js';

const LONG_USER = 'enterprise.resource.planning.nightly.synchronisation.integration.user@acme-holdings-europe.example.com';
const LONG_REASON =
  'No user with this username in the org; created on the profile Minimum Access - API Only Integrations (integration license), with the e-mail address, time zone, locale and language of the manifest defaults.';

/** A plan of 40 apps with long usernames and reasons: 30 converged (unchanged), 10 to create. */
const bigPlan = (): Plan => {
  const actions: PlanAction[] = [];
  for (let i = 0; i < 40; i++) {
    const username = `${i}.${LONG_USER}`;
    const op = i < 30 ? 'unchanged' : 'create';
    actions.push(
      { kind: 'deployPermissionSet', op, subject: `Integration_App_With_A_Long_Name_${i}`, app: `app${i}`, reason: LONG_REASON, details: { name: `Integration_App_${i}`, label: 'App', changes: ['objects: Account read, edit', 'fields: Account.Industry read'] } },
      { kind: 'assignPermissionSet', op, subject: `Integration_App_With_A_Long_Name_${i} → ${username}`, app: `app${i}`, reason: LONG_REASON, details: { username, permissionSet: `Integration_App_${i}`, record: { PermissionSetId: '0PS' } } }
    );
  }
  return {
    actions,
    problems: [],
    notices: [{ code: 'usernamePrefixed', subject: LONG_USER, message: LONG_REASON }],
    licenses: [{ app: 'app31', license: 'integration', profile: 'Minimum Access - API Only Integrations', reason: LONG_REASON }],
    summary: { create: 20, update: 0, unchanged: 60, remove: 0, orphaned: 0 },
  };
};

describe('plan/output: the printed plan fits the terminal', () => {
  for (const width of [120, 80, 50]) {
    it(`no line wider than ${width} columns, by default and with --verbose`, () => {
      for (const verbose of [false, true]) {
        const lines = planLines(bigPlan(), 'Acme Holdings Europe (00D000000000001EAA)', { width, verbose });
        for (const line of lines) expect(textWidth(line), `${verbose ? 'verbose' : 'default'}: ${line}`).to.be.at.most(width);
      }
    });
  }

  it('puts the summary right after the title, counts the unchanged actions, and cuts long text with "…"', () => {
    const lines = planLines(bigPlan(), 'Acme', { width: 120 });
    expect(lines[0]).to.equal('Plan for Acme:');
    expect(lines[1]).to.equal('20 to create, 0 to update, 60 unchanged, 0 to remove, 0 orphaned.');
    expect(lines.filter((line) => line.startsWith('  + '))).to.have.length(20);
    expect(lines.filter((line) => line.startsWith('  = '))).to.deep.equal(['  = 60 unchanged']);
    expect(lines.join('\n')).to.include(ELLIPSIS);
    expect(lines.join('\n')).to.include('--verbose');
  });

  it('--verbose lists every action with its full reason and changes', () => {
    const text = planLines(bigPlan(), 'Acme', { width: 80, verbose: true }).join(' ').replace(/\s+/g, ' ');
    expect(text).to.include(LONG_REASON);
    // a username longer than the line is cut over lines: compare without blanks
    expect(text.replace(/\s+/g, '')).to.include(`0.${LONG_USER}`);
    expect(text).to.include('· objects: Account read, edit');
    expect(text).not.to.include(ELLIPSIS);
    expect(text).not.to.include('--verbose');
  });

  it('a plan that fits says nothing about --verbose', () => {
    const plan: Plan = {
      actions: [{ kind: 'deployPermissionSet', op: 'create', subject: 'Integration_Erp', reason: 'The app\'s permission set does not exist yet.', details: { name: 'Integration_Erp', label: 'ERP', changes: [] } }],
      problems: [],
      notices: [],
      licenses: [],
      summary: { create: 1, update: 0, unchanged: 0, remove: 0, orphaned: 0 },
    };
    expect(planLines(plan, 'Acme', { width: 120 }).join('\n')).not.to.include('--verbose');
  });

  it('wraps what was not done, never cutting the reason', () => {
    const result = {
      outcome: 'partial',
      done: [{ kind: 'deployPermissionSet', subject: 'X' }],
      notDone: [{ kind: 'createUser', subject: LONG_USER, code: 'DUPLICATE_USERNAME', reason: LONG_REASON }],
    } as unknown as ApplyRunResult;
    const lines = outcomeLines(result, { width: 60 });
    for (const line of lines) expect(textWidth(line), line).to.be.at.most(60);
    expect(lines.join(' ').replace(/\s+/g, ' ')).to.include(LONG_REASON);
  });
});
