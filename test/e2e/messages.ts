/* Reads a section of a messages/*.md bundle, so specs compare with the real help text instead of copying it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './harness.js';

export function messageSection(bundle: string, key: string): string {
  const text = readFileSync(join(REPO_ROOT, 'messages', `${bundle}.md`), 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `# ${key}`);
  if (start === -1) throw new Error(`messages/${bundle}.md has no "# ${key}" section`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('# '));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}
