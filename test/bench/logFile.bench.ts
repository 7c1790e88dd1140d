/*
 * Benchmark (not a mocha test) of reading EventLogFile CSVs (src/org/logFile.ts): one generated ApiTotalUsage file of
 * the large simulated org's shape (test/simulator/fixtures/largeOrg.ts: 200 integration users × 3 objects + 3,000
 * humans' calls a day, every value quoted, ~950 KB), fed in 64 KiB chunks as a download arrives. Each way of reading
 * runs in a fresh process (the audit reads its 30 daily files in a short-lived, cold process): ms and CPU ms per
 * file over the first --files files (cold), then over as many more (warm), and MB/s. Ways:
 *   reader + keep   the audit's reading: logCsvReader with the audited users' filter (~600 of 3,600 rows kept)
 *   reader + keep + evidence   the audit's whole row path: the kept rows aggregated too (src/evidence: apiRowReader into
 *                  one EvidenceAccumulator for all the files, as one audit does)
 *   reader          logCsvReader, every row
 *   csv-parse       csv-parse's stream alone, every row (the library the reader hands odd records to), for reference
 *
 *   node --import tsx test/bench/logFile.bench.ts [--files 30] [--runs 3]
 *
 * Best of --runs fresh processes per way. Printed, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { EvidenceAccumulator } from '../../src/evidence/aggregate.js';
import { apiRowReader } from '../../src/evidence/load.js';
import { logCsvReader } from '../../src/org/logFile.js';
import { API_TOTAL_USAGE_COLUMNS, apiTotalUsageRow, eventLogCsv } from '../simulator/fixtures/eventLogs.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const files = Number(arg('files', '30'));
const runs = Number(arg('runs', '3'));
const WAYS = ['reader + keep', 'reader + keep + evidence', 'reader', 'csv-parse'] as const;
type Way = (typeof WAYS)[number];
const CHUNK = 64 * 1024;

const id = (n: number): string => `005${String(n).padStart(12, '0')}`;
const INTEGRATION_USERS = Array.from({ length: 200 }, (_, i) => id(20_000 + i));
const OBJECTS = ['Account', 'Contact', 'Opportunity', 'Case', 'Invoice__c'];

/** One day's file: the integration users' calls first, then the humans', as the large simulated org writes it. */
const logFile = (): Buffer => {
  const at = '2026-11-26T22:37:59.226Z';
  const row = (userId: string, entity: string, app?: string): Record<string, string | number> =>
    apiTotalUsageRow({ userId, username: `${userId}@large.sim`, orgId: '00D000000000002', at, family: 'REST', method: 'GET', entity, app });
  const rows = INTEGRATION_USERS.flatMap((u, i) => [0, 1, 2].map((k) => row(u, OBJECTS[(i + k) % OBJECTS.length], 'SAP Connector')));
  for (let h = 0; h < 3000; h++) rows.push(row(id(1 + ((h * 7919) % 9800)), OBJECTS[h % OBJECTS.length]));
  return Buffer.from(eventLogCsv(API_TOTAL_USAGE_COLUMNS, rows));
};

/** The audit's filter (src/evidence/load.ts mentionsUser): a record naming one of the users' 15-character ids. */
const wanted = new Set(INTEGRATION_USERS);
const mentionsUser = (record: string): boolean => {
  for (let at = record.indexOf('005'); at >= 0 && at + 15 <= record.length; at = record.indexOf('005', at + 1)) {
    if (wanted.has(record.slice(at, at + 15))) return true;
  }
  return false;
};

/** The audit aggregates every file of its window into one accumulator. */
const evidence = new EvidenceAccumulator(wanted);

const readOnce = async (way: Way, bytes: Buffer): Promise<number> => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) chunks.push(bytes.subarray(at, at + CHUNK));
  let rows = 0;
  if (way === 'csv-parse') {
    const count = new Writable({ objectMode: true, write: (_row: string[], _e, done): void => (rows++, done()) });
    await pipeline(Readable.from(chunks), parse({ bom: true, skipEmptyLines: true, relaxColumnCount: true }), count);
    return rows - 1; // the header
  }
  if (way === 'reader + keep + evidence') {
    const add = apiRowReader('ApiTotalUsage', evidence);
    const reader = logCsvReader((header, row) => {
      rows++;
      add(header, row);
    }, mentionsUser);
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
    return rows;
  }
  const reader = logCsvReader(() => rows++, way === 'reader + keep' ? mentionsUser : undefined);
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return rows;
};

type Figures = { coldMs: number; coldCpuMs: number; warmMs: number; warmCpuMs: number; rows: number; bytes: number };

/** In the fresh process: the first `files` files (cold), then as many more (warm). */
const child = async (way: Way): Promise<Figures> => {
  const bytes = logFile();
  const lap = async (): Promise<{ ms: number; cpuMs: number; rows: number }> => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let rows = 0;
    // eslint-disable-next-line no-await-in-loop
    for (let f = 0; f < files; f++) rows = await readOnce(way, bytes);
    const used = process.cpuUsage(cpu);
    return { ms: (performance.now() - start) / files, cpuMs: (used.user + used.system) / 1000 / files, rows };
  };
  const cold = await lap();
  const warm = await lap();
  return { coldMs: cold.ms, coldCpuMs: cold.cpuMs, warmMs: warm.ms, warmCpuMs: warm.cpuMs, rows: cold.rows, bytes: bytes.length };
};

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await child(process.argv[3] as Way)));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const rows: string[][] = [];
const load = loadavg()[0].toFixed(2);
let size = 0;
for (const way of WAYS) {
  const samples = Array.from({ length: runs }, () =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--child', way, '--files', String(files)], { encoding: 'utf8' })) as Figures
  );
  const min = (key: keyof Figures): number => Math.min(...samples.map((s) => s[key]));
  size = samples[0].bytes;
  const mbPerS = (ms: number): string => (size / 1e6 / (ms / 1000)).toFixed(0);
  rows.push([way, String(samples[0].rows), min('coldMs').toFixed(2), min('coldCpuMs').toFixed(2), mbPerS(min('coldMs')), min('warmMs').toFixed(2), min('warmCpuMs').toFixed(2), mbPerS(min('warmMs'))]);
}
const header = ['way', 'rows out', 'cold ms/file', 'cold CPU ms/file', 'cold MB/s', 'warm ms/file', 'warm CPU ms/file', 'warm MB/s'];
process.stdout.write(
  `\nLog file reading: one ApiTotalUsage file of ${(size / 1024).toFixed(0)} KB (3,600 rows, 600 of the audited users), ` +
    `${CHUNK / 1024} KiB chunks; cold = first ${files} files in a fresh process, warm = the next ${files}; best of ${runs} processes (load ${load})\n\n` +
    [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') +
    '\n'
);
