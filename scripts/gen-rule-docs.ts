// Writes docs/rules.md and the README section between <!-- rules --> and <!-- rulesstop --> from the rule
// metadata (src/rules). Run: node --import tsx scripts/gen-rule-docs.ts   (--check: exit 1 when stale)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rulesDocument, withRulesSection } from '../src/rules/docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const docPath = join(root, 'docs', 'rules.md');
const readmePath = join(root, 'README.md');

const readme = readFileSync(readmePath, 'utf8');
const nextReadme = withRulesSection(readme);
if (nextReadme === undefined) {
  process.stderr.write('gen-rule-docs: README.md has no <!-- rules --> … <!-- rulesstop --> section\n');
  process.exit(1);
}
const nextDoc = rulesDocument();
const current = ((): string => {
  try {
    return readFileSync(docPath, 'utf8');
  } catch {
    return '';
  }
})();

if (check) {
  const stale = [nextReadme !== readme ? 'README.md' : '', nextDoc !== current ? 'docs/rules.md' : ''].filter(Boolean);
  if (stale.length > 0) {
    process.stderr.write(`gen-rule-docs: stale ${stale.join(', ')}; run node --import tsx scripts/gen-rule-docs.ts\n`);
    process.exit(1);
  }
} else {
  mkdirSync(dirname(docPath), { recursive: true });
  writeFileSync(docPath, nextDoc);
  writeFileSync(readmePath, nextReadme);
  process.stdout.write('wrote docs/rules.md and the README rules section\n');
}
