#!/usr/bin/env node
// `npm run schema:compare`: checks that schemas/<command>.json still match the commands' result types
// (oclif plugin-command-snapshot's `schema compare`, run through bin/dev.js so it reads src/ via tsx).
// schemas/ also holds data schemas that are not command results (the manifest's, named *.schema.json);
// `schema compare` would read them as command schemas, or as one combined schema file when only one file
// exists, and fail. So the command schemas are compared from a temporary copy that leaves those out.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemasDir = join(root, 'schemas');
const isCommandSchema = (name) => name.endsWith('.json') && !name.endsWith('.schema.json');

const tmp = mkdtempSync(join(tmpdir(), 'schema-compare-'));
let status = 1;
try {
  const files = readdirSync(schemasDir).filter(isCommandSchema);
  for (const name of files) copyFileSync(join(schemasDir, name), join(tmp, name));
  process.stdout.write(`schema:compare: ${files.length} command schema(s) in schemas/: ${files.join(', ') || '(none)'}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bin', 'dev.js'), 'schema', 'compare', '--filepath', tmp], {
    cwd: root,
    stdio: 'inherit',
  });
  status = run.status ?? 1;
  if (status !== 0) process.stderr.write('schema:compare: schemas/ differ from the result types; if intended: npm run schema:generate\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
