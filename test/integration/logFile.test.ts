/*
 * A log file downloaded from the org simulator and read by streamLogFile (src/org/logFile.ts): one request per file,
 * the rows csv-parse reads, only the kept records parsed; a broken file ends with an error code the evidence load
 * reports as the API logs' unavailable reason, through `sf integration audit`.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Audit, { type AuditResult } from '../../src/commands/integration/audit.js';
import { orgContext } from '../../src/org/connection.js';
import { MAX_LOG_RECORD_BYTES, streamLogFile } from '../../src/org/logFile.js';
import { OrgSimulator } from '../simulator/index.js';
import { connectionTo, isolateCliEnv } from './helpers.js';

describe('log files (simulator)', function () {
  this.timeout(60_000);
  let sim: OrgSimulator;

  beforeEach(async () => {
    sim = await OrgSimulator.start();
  });

  afterEach(async () => {
    await sim.stop();
  });

  /** A new ApiTotalUsage file of yesterday holding `csv`; its id. */
  const addFile = (csv: string): string => {
    for (const row of [...sim.store.rows('EventLogFile')]) sim.store.remove(String(row.Id));
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0);
    const file = sim.store.insert('EventLogFile', { EventType: 'ApiTotalUsage', LogDate: new Date(day.getTime() - 86_400_000).toISOString().replace('Z', '+0000'), Interval: 'Daily', LogFileLength: csv.length });
    sim.store.logFiles.set(String(file.Id).slice(0, 15), csv);
    return String(file.Id);
  };

  const read = async (id: string, keep?: (record: string) => boolean): Promise<string[][]> => {
    const rows: string[][] = [];
    await streamLogFile(
      orgContext(await connectionTo(sim)),
      id,
      (header, row) => {
        if (rows.length === 0) rows.push([...header]);
        rows.push([...row]);
      },
      keep
    );
    return rows;
  };

  it('reads every row of the demo org\'s files as csv-parse does, one request a file; the keep filter sees every data record', async () => {
    const files = sim.store.rows('EventLogFile');
    expect(files.length).to.be.greaterThan(0);
    for (const file of files) {
      const id = String(file.Id);
      const csv = sim.store.logFile(id.slice(0, 15))!;
      sim.resetRequests();
      const seen: string[] = [];
      // eslint-disable-next-line no-await-in-loop
      const rows = await read(id, (record) => seen.push(record) > 0);
      expect(rows).to.deep.equal(parse(csv, { bom: true, skipEmptyLines: true, relaxColumnCount: true }));
      expect(seen).to.have.length(rows.length - 1);
      expect(sim.requestCount({ pathIncludes: '/LogFile' })).to.equal(1);
    }
  });

  it('goes through the proxy sf\'s own requests use (HTTPS_PROXY and the like, as jsforce reads them)', async () => {
    // A forward proxy: CONNECT tunnels (undici's ProxyAgent) and absolute-form requests, each one counted.
    const seen: string[] = [];
    const proxy: Server = createServer((req, res) => {
      seen.push(`GET ${req.url ?? ''}`);
      const target = new URL(req.url ?? '');
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, client, head) => {
      seen.push(`CONNECT ${req.url ?? ''}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const saved = Object.fromEntries(['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY'].map((name) => [name, process.env[name]]));
    try {
      for (const name of Object.keys(saved)) delete process.env[name];
      const id = String(sim.store.rows('EventLogFile')[0].Id);
      const direct = await read(id);
      expect(seen).to.deep.equal([]);
      process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const proxied = await read(id);
      expect(proxied).to.deep.equal(direct);
      const simHost = new URL(sim.url).host;
      expect(seen.length).to.be.greaterThan(0);
      expect(seen.every((line) => line.includes(simHost)), seen.join('\n')).to.equal(true);
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
      else process.env[name] = value;
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('a broken record ends the file with csv-parse\'s code and the record, also when it is the last', async () => {
    const id = addFile('"USER_ID","ENTITY_NAME"\n"005000000000001","Account"\n"005000000000001","Acc\n');
    const error = await read(id).then(
      () => undefined,
      (e: unknown) => e as { errorCode?: string; message: string }
    );
    expect(error?.errorCode).to.equal('CSV_QUOTE_NOT_CLOSED');
    expect(error?.message).to.include(`EventLogFile ${id}, record 3:`);
  });

  it('a record that outgrows the limit ends the file (LOG_RECORD_TOO_LARGE); the audit reports the API logs unavailable with that code', async () => {
    const id = addFile(`"USER_ID","ENTITY_NAME"\n"005000000000001","${'x'.repeat(MAX_LOG_RECORD_BYTES + 10)}`);
    const error = await read(id).then(
      () => undefined,
      (e: unknown) => e as { errorCode?: string; message: string }
    );
    expect(error?.errorCode).to.equal('LOG_RECORD_TOO_LARGE');
    expect(error?.message).to.include(`EventLogFile ${id}`);

    const sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
    const restoreEnv = isolateCliEnv(sim);
    try {
      const result: AuditResult = await Audit.run(['-o', sim.accessToken, '--json']);
      const reason = result.notEvaluated.find((n) => n.ruleId === 'IU-PRIV-009')?.reason;
      expect(reason).to.include('EventLogFile').and.include('LOG_RECORD_TOO_LARGE');
    } finally {
      sandbox.restore();
      restoreEnv();
      process.exitCode = undefined;
    }
  });
});
