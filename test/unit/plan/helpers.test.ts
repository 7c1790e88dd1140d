/* The plan table, and sObject Collections chunking and per-record retry (with a fake connection). */
import { expect } from 'chai';
import { createRecords, deleteRecords, type SaveResult } from '../../../src/org/collections.js';
import { newCallStats, type OrgConnection, type OrgContext } from '../../../src/org/connection.js';
import { renderPlan } from '../../../src/plan/render.js';
import type { Plan } from '../../../src/plan/types.js';

describe('plan: table', () => {
  it('prints one Terraform-style line per action', () => {
    const plan: Plan = {
      actions: [
        { kind: 'deployPermissionSet', op: 'create', subject: 'Integration_Erp', app: 'erp', reason: 'new', details: { name: 'Integration_Erp', label: 'ERP', changes: [] } },
        { kind: 'updateUser', op: 'unchanged', subject: 'erp@acme.example', app: 'erp', reason: 'same', details: { userId: '005', username: 'erp@acme.example', changes: [], record: {} } },
        { kind: 'removeAssignment', op: 'remove', subject: 'Old → erp@acme.example', reason: 'gone', details: { username: 'erp@acme.example', userId: '005', permissionSet: 'Old', assignmentId: '0Pa' } },
        { kind: 'orphan', op: 'orphaned', subject: 'Old', reason: 'left alone', details: { type: 'permissionSet', name: 'Old' } },
      ],
      problems: [],
      notices: [],
      licenses: [],
      summary: { create: 1, update: 0, unchanged: 1, remove: 1, orphaned: 1 },
    };
    expect(renderPlan(plan, { verbose: true }).map((l) => l.replace(/\s+/g, ' ').trim())).to.deep.equal([
      '+ permission set Integration_Erp',
      'new',
      '= user erp@acme.example',
      'same',
      '- assignment Old → erp@acme.example',
      'gone',
      '? orphaned Old',
      'left alone',
    ]);
    // by default one line per action, the unchanged ones counted
    expect(renderPlan(plan).map((l) => l.replace(/\s+/g, ' '))).to.deep.equal([
      '+ permission set Integration_Erp new',
      '- assignment Old → erp@acme.example gone',
      '? orphaned Old left alone',
      '= 1 unchanged',
    ]);
  });
});

describe('org: sObject Collections', () => {
  type Sent = { method: string; url: string; body?: { records: Array<Record<string, unknown>> } };
  const fakeContext = (answer: (sent: Sent, call: number) => SaveResult[]): { ctx: OrgContext; sent: Sent[] } => {
    const sent: Sent[] = [];
    const conn = {
      baseUrl: () => 'https://x/services/data/v66.0',
      request: (req: { method: string; url: string; body?: string }) => {
        const entry: Sent = { method: req.method, url: req.url, ...(req.body ? { body: JSON.parse(req.body) as Sent['body'] } : {}) };
        sent.push(entry);
        return Promise.resolve(answer(entry, sent.length));
      },
    } as unknown as OrgConnection;
    return { ctx: { conn, stats: newCallStats(), retry: { policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } } }, sent };
  };
  const ok = (sent: Sent): SaveResult[] => (sent.body?.records ?? []).map((_, i) => ({ id: `005${i}`, success: true, errors: [] }));

  it('sends 201 records in two calls of at most 200, allOrNone false, results in order', async () => {
    const { ctx, sent } = fakeContext(ok);
    const records = Array.from({ length: 201 }, (_, i) => ({ type: 'User', fields: { Username: `u${i}@x.example` } }));
    const results = await createRecords(ctx, records);
    expect(sent.map((s) => s.body?.records.length)).to.deep.equal([200, 1]);
    expect(sent[0].body?.records[0]).to.deep.equal({ attributes: { type: 'User' }, Username: 'u0@x.example' });
    expect((sent[0].body as unknown as { allOrNone: boolean }).allOrNone).to.equal(false);
    expect(results).to.have.length(201);
    expect(ctx.stats.requests).to.equal(2);
  });

  it('sends again only the records that failed with UNABLE_TO_LOCK_ROW', async () => {
    const { ctx, sent } = fakeContext((s, call) =>
      (s.body?.records ?? []).map((r, i) =>
        call === 1 && i === 1 ? { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access', fields: [] }] } : { id: String(r.Username), success: true, errors: [] }
      )
    );
    const results = await createRecords(ctx, [0, 1, 2].map((i) => ({ type: 'User', fields: { Username: `u${i}` } })));
    expect(sent.map((s) => s.body?.records.map((r) => r.Username))).to.deep.equal([['u0', 'u1', 'u2'], ['u1']]);
    expect(results.map((r) => r.id)).to.deep.equal(['u0', 'u1', 'u2']);
    expect(ctx.stats.retries).to.equal(1);
  });

  it('does not resend a record that failed for good, and refuses an Id that is not one', async () => {
    const { ctx, sent } = fakeContext((s) => (s.body?.records ?? []).map(() => ({ success: false, errors: [{ statusCode: 'DUPLICATE_USERNAME', message: 'dup', fields: ['Username'] }] })));
    const results = await createRecords(ctx, [{ type: 'User', fields: { Username: 'u' } }]);
    expect(sent).to.have.length(1);
    expect(results[0].errors[0].statusCode).to.equal('DUPLICATE_USERNAME');
    expect(() => deleteRecords(ctx, ['0Pa000000000001', "x' OR 1=1"])).to.throw(/Not a record Id/);
  });
});
