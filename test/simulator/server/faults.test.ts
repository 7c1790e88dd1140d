import type { Connection } from '@salesforce/core';
import { expect } from 'chai';
import sinon from 'sinon';
import { OrgSimulator } from '../index.js';
import { rejection } from './rejection.js';

describe('simulator: injected faults, latency and request counts', () => {
  let sim: OrgSimulator;
  let conn: Connection;
  before(async () => {
    sim = await OrgSimulator.start();
    conn = await sim.connect();
  });
  after(async () => sim.stop());
  beforeEach(() => {
    sim.clearFaults();
    sim.setLatency(0);
    sim.resetRequests();
  });

  it('fails the matching request N times with the given status and a JSON error body, then recovers', async () => {
    sim.injectFault({ kind: 'http', match: { method: 'GET', soqlIncludes: 'FROM PermissionSet' }, times: 2, status: 503, errorCode: 'SERVER_UNAVAILABLE' });
    const url = `${sim.url}/services/data/v68.0/query?q=${encodeURIComponent('SELECT Id FROM PermissionSet')}`;
    const headers = { Authorization: `Bearer ${sim.accessToken}` };
    const first = await fetch(url, { headers });
    expect(first.status).to.equal(503);
    expect(first.headers.get('content-type')).to.match(/^application\/json/);
    expect(await first.json()).to.deep.equal([{ message: 'Server temporarily unavailable, please try again later.', errorCode: 'SERVER_UNAVAILABLE' }]);
    // another query is not hit
    expect((await fetch(`${sim.url}/services/data/v68.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`, { headers })).status).to.equal(200);
    expect((await fetch(url, { headers })).status).to.equal(503);
    expect((await fetch(url, { headers })).status).to.equal(200);
    expect(sim.requests.map((r) => r.status)).to.deep.equal([503, 200, 503, 200]);
  });

  it('REQUEST_LIMIT_EXCEEDED is a 403 that jsforce surfaces by errorCode', async () => {
    sim.injectFault({ kind: 'http', match: { pathIncludes: '/query' }, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    const error = await rejection(conn.query('SELECT Id FROM User'));
    expect(error.errorCode).to.equal('REQUEST_LIMIT_EXCEEDED');
    expect(error.message).to.equal('TotalRequests Limit exceeded.');
  });

  it('UNABLE_TO_LOCK_ROW: 400 on single-record DML, a per-record error (HTTP 200) in collections; nothing is written', async () => {
    const accounts = sim.store.rows('Account').length;
    sim.injectFault({ kind: 'http', match: { method: 'POST', pathIncludes: '/sobjects/Account' }, status: 400, errorCode: 'UNABLE_TO_LOCK_ROW' });
    const single = await rejection(conn.sobject('Account').create({ Name: 'Locked' }));
    expect(single.errorCode).to.equal('UNABLE_TO_LOCK_ROW');
    sim.injectFault({ kind: 'http', match: { pathIncludes: '/composite/sobjects' }, status: 400, errorCode: 'UNABLE_TO_LOCK_ROW' });
    const results = await conn.requestPost<Array<{ success: boolean; errors: Array<{ statusCode: string }> }>>('/services/data/v68.0/composite/sobjects', {
      allOrNone: false,
      records: [{ attributes: { type: 'Account' }, Name: 'A' }, { attributes: { type: 'Account' }, Name: 'B' }],
    });
    expect(results.map((r) => [r.success, r.errors[0].statusCode])).to.deep.equal([[false, 'UNABLE_TO_LOCK_ROW'], [false, 'UNABLE_TO_LOCK_ROW']]);
    expect(sim.requests.at(-1)?.status).to.equal(200);
    expect(sim.store.rows('Account')).to.have.length(accounts);
  });

  it('adds latency to every response', async () => {
    // the delay the server schedules, not the wall clock (no test asserts on time)
    const delays = sinon.spy(globalThis, 'setTimeout');
    try {
      sim.setLatency(120);
      await conn.query('SELECT Id FROM Organization');
      expect(delays.getCalls().map((call) => call.args[1])).to.include(120);
      sim.setLatency(0);
      delays.resetHistory();
      await conn.query('SELECT Id FROM Organization');
      expect(delays.getCalls().map((call) => call.args[1])).not.to.include(120);
    } finally {
      delays.restore();
    }
  });

  it('counts requests per method and path, and exposes them on /__sim/requests', async () => {
    await conn.query('SELECT Id FROM User');
    await conn.query('SELECT Id FROM Profile');
    await conn.sobject('Account').create({ Name: 'Counted' });
    expect(sim.requestCount()).to.equal(3);
    expect(sim.requestCount({ method: 'GET', pathIncludes: '/query' })).to.equal(2);
    expect(sim.requestCount({ method: 'POST' })).to.equal(1);
    const { start, end, ...first } = sim.requests[0];
    expect(first).to.deep.equal({ method: 'GET', path: '/services/data/v68.0/query', soql: 'SELECT Id FROM User', status: 200 });
    expect(end).to.be.at.least(start ?? Number.POSITIVE_INFINITY);
    const listed = (await (await fetch(`${sim.url}/__sim/requests`, { headers: { Authorization: `Bearer ${sim.accessToken}` } })).json()) as unknown[];
    expect(listed).to.have.length(3);
    expect((await fetch(`${sim.url}/__sim/requests`)).status).to.equal(401);
    expect((await fetch(`${sim.url}/__sim/reset-requests`, { method: 'POST', headers: { Authorization: `Bearer ${sim.accessToken}` } })).status).to.equal(204);
    expect(sim.requestCount()).to.equal(0);
  });
});
