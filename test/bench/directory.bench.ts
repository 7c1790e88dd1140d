/*
 * Benchmark (not a mocha test) of `sf integration audit --source-dir`: the directory loader's throughput and peak
 * memory, and the whole audit through the plugin's bin, on a generated metadata directory of a large org's shape
 * (test/bench/corpus.ts: ~95 profiles up to 2.4 MB, ~700 permission sets, 60 groups; ~125 MB) and, when given, on a
 * folder of real SFDX projects you collected OUTSIDE the repository.
 *
 *   node --import tsx test/bench/directory.bench.ts [--corpus DIR] [--runs 3] [--scale 1]
 *
 * SF_BENCH_CORPUS=DIR does what --corpus does. Per corpus:
 *  - loader, in this process, warm (imports done, files in the page cache): best wall and CPU of --runs, files/s and
 *    MB/s over the bytes read;
 *  - loader in a fresh node process (built lib/): peak RSS, and its growth over the same process loading a one-file
 *    directory (what the files cost, without Node and the libraries);
 *  - `node bin/run.js integration audit --source-dir DIR --json` (built CLI, process start included): best wall,
 *    best user+sys CPU, highest peak RSS (GNU time), findings.
 * test/bench/sfCli.bench.ts runs the same audit through the real sf.
 *
 * Budget (issue 8): ~800 real files (110 MB) under 4 s end to end and under 400 MB peak on a 2-core machine.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadAccessModelFromDirectory } from '../../src/access/directoryLoader.js';
import { writeRealisticCorpus } from './corpus.js';
import { best, load, PLUGIN_BIN, ROOT, table, timed, type Timing } from './sfProcess.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const runs = Number(arg('runs', '3'));
const scale = Number(arg('scale', '1'));
const corpus = arg('corpus', process.env.SF_BENCH_CORPUS ?? '');
// The process figures need GNU time and the built plugin (not the pinned sf).
const processUnavailable = !existsSync('/usr/bin/time')
  ? 'needs GNU time (/usr/bin/time)'
  : !existsSync(join(ROOT, 'lib', 'access', 'directoryLoader.js'))
  ? 'needs the built plugin (npm run build)'
  : undefined;

const loaderRows: string[][] = [];
const processRows: string[][] = [];

/** The loader alone in a fresh node process, from the built lib/. */
const loaderProcess = (dir: string): Timing =>
  timed(
    [
      process.execPath,
      '--input-type=module',
      '-e',
      `const { loadAccessModelFromDirectory } = await import(${JSON.stringify(join(ROOT, 'lib', 'access', 'directoryLoader.js'))});
       const model = await loadAccessModelFromDirectory(${JSON.stringify(dir)});
       console.log(model.loadStats.filesRead);`,
    ],
    process.env
  );

const measure = async (label: string, dir: string, oneFileDir: string): Promise<void> => {
  await loadAccessModelFromDirectory(dir); // warm: imports and the page cache
  let bestMs = Infinity;
  let bestCpu = Infinity;
  let stats = { filesRead: 0, bytesRead: 0 };
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    // eslint-disable-next-line no-await-in-loop
    const model = await loadAccessModelFromDirectory(dir);
    bestMs = Math.min(bestMs, performance.now() - start);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
    stats = model.loadStats!;
  }
  const mb = stats.bytesRead / 1e6;
  loaderRows.push([label, String(stats.filesRead), mb.toFixed(1), String(Math.round(bestMs)), String(Math.round(bestCpu)), String(Math.round(stats.filesRead / (bestMs / 1000))), (mb / (bestMs / 1000)).toFixed(1)]);

  if (processUnavailable) return;
  const loader = best(Array.from({ length: runs }, () => loaderProcess(dir)));
  const baseline = best(Array.from({ length: runs }, () => loaderProcess(oneFileDir)));
  const cli = Array.from({ length: runs }, () => timed([process.execPath, PLUGIN_BIN, 'integration', 'audit', '--source-dir', dir, '--json'], process.env));
  let findings = '?';
  try {
    findings = String((JSON.parse(cli[0].stdout) as { result: { summary: { total: number } } }).result.summary.total);
  } catch {
    process.stderr.write(cli[0].stderr.slice(-2000));
  }
  const audit = best(cli);
  processRows.push([
    label,
    String(loader.rssMB),
    String(loader.rssMB - baseline.rssMB),
    loader.cpuS.toFixed(2),
    audit.exits,
    audit.wallS.toFixed(2),
    audit.cpuS.toFixed(2),
    String(audit.rssMB),
    findings,
  ]);
};

process.stdout.write(`directory bench: ${load()} at start\n`);
const generated = mkdtempSync(join(tmpdir(), 'directory-bench-'));
const oneFile = mkdtempSync(join(tmpdir(), 'directory-bench-one-'));
try {
  const written = writeRealisticCorpus(generated, scale);
  process.stdout.write(`generated ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB (scale ${scale})\n`);
  mkdirSync(join(oneFile, 'permissionsets'));
  writeFileSync(join(oneFile, 'permissionsets', 'One.permissionset-meta.xml'), '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><label>One</label></PermissionSet>\n');
  await measure('generated', generated, oneFile);
  if (corpus) await measure(`corpus ${corpus}`, resolve(corpus), oneFile);
  else process.stdout.write('no --corpus DIR (or SF_BENCH_CORPUS): real projects not measured\n');
} finally {
  rmSync(generated, { recursive: true, force: true });
  rmSync(oneFile, { recursive: true, force: true });
}

process.stdout.write(
  `\ndirectory loader in this process (warm; best of ${runs})\n\n` +
    table(['directory', 'files', 'MB', 'ms', 'CPU ms', 'files/s', 'MB/s'], loaderRows)
);
if (processUnavailable) process.stdout.write(`\nprocess figures skipped: ${processUnavailable}\n`);
else {
  process.stdout.write(
    `\nfresh processes (best wall and CPU of ${runs}, highest peak RSS; ${load()}; budget for ~800 real files: < 4 s, < 400 MB)\n\n` +
      table(['directory', 'loader peak RSS MB', 'of which files MB', 'loader CPU s', 'audit exit', 'audit wall s', 'audit CPU s', 'audit peak RSS MB', 'findings'], processRows)
  );
}
