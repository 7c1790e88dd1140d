#!/usr/bin/env node
// `npm run readme:check`: fails when the README's command reference (between <!-- commands --> and
// <!-- commandsstop -->) differs from what `oclif readme --no-aliases` (= `npm run readme`) generates
// from the built plugin. It regenerates into a temporary copy, so README.md itself is never touched.
// Needs a fresh build (lib/ + oclif.manifest.json): scripts/test.sh runs it after the compile stage.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- commands -->';
const STOP = '<!-- commandsstop -->';

/** The text between the command markers, or undefined when the markers are missing or out of order. */
function commandSection(markdown) {
  const start = markdown.indexOf(START);
  const stop = markdown.indexOf(STOP);
  if (start === -1 || stop === -1 || stop < start) return undefined;
  return markdown.slice(start + START.length, stop).trim();
}

/** First differing line (1-based, within the section) with both versions, for a readable failure. */
function firstDifference(actual, expected) {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return { line: i + 1, actual: a[i] ?? '<end of section>', expected: e[i] ?? '<end of section>' };
  }
  return undefined;
}

function fail(message) {
  process.stderr.write(`readme:check: ${message}\n`);
  process.exit(1);
}

const readmePath = join(root, 'README.md');
const current = readFileSync(readmePath, 'utf8');
const actual = commandSection(current);
if (actual === undefined) fail(`README.md has no "${START}" … "${STOP}" section; add both markers.`);

const tmp = mkdtempSync(join(tmpdir(), 'readme-check-'));
try {
  const copy = join(tmp, 'README.md');
  copyFileSync(readmePath, copy);
  const oclifBin = join(root, 'node_modules', 'oclif', 'bin', 'run.js');
  const run = spawnSync(process.execPath, [oclifBin, 'readme', '--no-aliases', '--readme-path', copy], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true', NO_COLOR: '1' },
  });
  if (run.status !== 0) fail(`oclif readme failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  const expected = commandSection(readFileSync(copy, 'utf8'));
  if (expected === undefined) fail('oclif readme produced no command section.');
  const diff = firstDifference(actual, expected);
  if (diff) {
    fail(
      [
        "README.md's command reference is out of date with the commands' messages and flags.",
        `  first difference at line ${diff.line} of the section:`,
        `    README.md: ${diff.actual}`,
        `    generated: ${diff.expected}`,
        '  Fix: npm run build && npm run readme   (then commit README.md)',
      ].join('\n')
    );
  }
  process.stdout.write(`readme:check: README.md command reference is up to date (${expected.split('\n').length} lines).\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
