import { expect } from 'chai';
import { orgContext, type OrgConnection } from '../../../src/org/connection.js';
import { idRunsFittingUrl, longestFitting, MAX_QUERY_URL_LENGTH, queryAll } from '../../../src/org/query.js';
import { describeFields, permissionFieldsOf } from '../../../src/org/describe.js';

type Request = { method: string; url: string; headers?: Record<string, string> };

/** A connection that serves `total` rows in pages of `pageSize`, with a nextRecordsUrl per page, and logs requests. */
const pagedConnection = (
  total: number,
  pageSize: number,
  failures: Array<{ call: number; error: Error }> = []
): { conn: OrgConnection; requests: Request[] } => {
  const requests: Request[] = [];
  const rows = Array.from({ length: total }, (_, i) => ({ attributes: { type: 'User' }, Id: `005${String(i).padStart(15, '0')}` }));
  const conn = {
    baseUrl: (): string => 'https://org.example/services/data/v66.0',
    getApiVersion: (): string => '66.0',
    instanceUrl: 'https://org.example',
    request: (request: Request): Promise<unknown> => {
      requests.push(request);
      const failure = failures.find((f) => f.call === requests.length);
      if (failure) return Promise.reject(failure.error);
      const offset = request.url.includes('/query/') ? Number(request.url.split('-').pop()) : 0;
      const end = Math.min(total, offset + pageSize);
      return Promise.resolve({
        totalSize: total,
        done: end >= total,
        ...(end < total ? { nextRecordsUrl: `/services/data/v66.0/query/01gLOCATOR-${end}` } : {}),
        records: rows.slice(offset, end),
      });
    },
  };
  return { conn: conn as unknown as OrgConnection, requests };
};

describe('org/query', () => {
  describe('fitting lists into the URL limit', () => {
    it('finds the longest count that fits, at least one', () => {
      expect(longestFitting(10, (n) => n <= 7)).to.equal(7);
      expect(longestFitting(10, () => true)).to.equal(10);
      expect(longestFitting(10, () => false)).to.equal(1);
      expect(longestFitting(1, () => false)).to.equal(1);
      expect(longestFitting(2000, (n) => n <= 1999)).to.equal(1999);
    });

    it('cuts ids into runs that each fit and could take no further id, measuring a few prefixes per run', () => {
      const ids = Array.from({ length: 3000 }, (_, i) => `005${String(i).padStart(15, '0')}`);
      const build = (inList: string): string => `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId IN ${inList}`;
      let measured = 0;
      const urlLength = (soql: string): number => {
        measured++;
        return `https://org.example/services/data/v66.0/query?q=${encodeURIComponent(soql)}`.length;
      };
      const runs = idRunsFittingUrl([...ids].reverse(), build, urlLength);
      expect(runs.flat()).to.deep.equal(ids);
      const inList = (run: string[]): string => `(${run.map((id) => `'${id}'`).join(', ')})`;
      for (const [i, run] of runs.entries()) {
        expect(urlLength(build(inList(run)))).to.be.at.most(MAX_QUERY_URL_LENGTH);
        if (i < runs.length - 1) expect(urlLength(build(inList([...run, runs[i + 1][0]])))).to.be.above(MAX_QUERY_URL_LENGTH);
      }
      measured = 0;
      idRunsFittingUrl(ids, build, urlLength);
      // a binary search per run, not one measurement per id
      expect(measured).to.be.below(runs.length * 15);
      expect(idRunsFittingUrl(ids, build, urlLength, { maxIds: 100 }).map((run) => run.length)).to.deep.equal(Array(30).fill(100));
    });
  });

  it('follows nextRecordsUrl until done, one request per page, past jsforce’s default 10,000-row cap', async () => {
    const { conn, requests } = pagedConnection(25_001, 2000);
    const ctx = orgContext(conn);
    const rows = await queryAll(ctx, 'SELECT Id FROM User');
    expect(rows).to.have.length(25_001);
    expect(new Set(rows.map((r) => r.Id)).size).to.equal(25_001);
    expect(requests).to.have.length(13);
    expect(ctx.stats.requests).to.equal(13);
    expect(requests[0].url).to.equal('https://org.example/services/data/v66.0/query?q=SELECT+Id+FROM+User');
    expect(requests[1].url).to.equal('/services/data/v66.0/query/01gLOCATOR-2000');
    expect(requests[0].headers).to.deep.equal({ 'Sforce-Query-Options': 'batchSize=2000' });
  });

  it('returns an empty list for an empty result in one request', async () => {
    const { conn, requests } = pagedConnection(0, 2000);
    expect(await queryAll(orgContext(conn), 'SELECT Id FROM User')).to.deep.equal([]);
    expect(requests).to.have.length(1);
  });

  it('retries a page that failed with a transient error and counts both attempts', async () => {
    const unavailable = Object.assign(new Error('Service Unavailable'), { errorCode: 'ERROR_HTTP_503' });
    const { conn, requests } = pagedConnection(3000, 2000, [{ call: 2, error: unavailable }]);
    const ctx = orgContext(conn, { retry: { policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } } });
    const rows = await queryAll(ctx, 'SELECT Id FROM User');
    expect(rows).to.have.length(3000);
    expect(requests.map((r) => r.url.split('/').pop())).to.deep.equal(['query?q=SELECT+Id+FROM+User', '01gLOCATOR-2000', '01gLOCATOR-2000']);
    expect(ctx.stats).to.deep.equal({ requests: 3, retries: 1 });
  });

  it('describes an object once and lists its Permissions* fields', async () => {
    const requests: Request[] = [];
    const conn = {
      baseUrl: () => 'https://org.example/services/data/v66.0',
      request: (request: Request) => {
        requests.push(request);
        return Promise.resolve({ name: 'PermissionSet', fields: [{ name: 'Id' }, { name: 'PermissionsApiEnabled' }, { name: 'PermissionSetGroupId' }, { name: 'Permissions' }] });
      },
    } as unknown as OrgConnection;
    const described = await describeFields(orgContext(conn), 'PermissionSet');
    expect(permissionFieldsOf(described)).to.deep.equal(['PermissionsApiEnabled']);
    expect(requests.map((r) => r.url)).to.deep.equal(['https://org.example/services/data/v66.0/sobjects/PermissionSet/describe']);
  });
});
