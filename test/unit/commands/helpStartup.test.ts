import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const commandsDir = fileURLToPath(new URL('../../../src/commands', import.meta.url));

const commandFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? commandFiles(path) : name.endsWith('.ts') ? [path] : [];
  });

type FlagLike = { defaultHelp?: unknown };
type CommandLike = { flags?: Record<string, FlagLike> };

// oclif imports a command module to render `--help` when any of its flags has a function `defaultHelp`
// (sf-plugins-core's org flags do); that import costs this plugin ~1 s per `--help` (docs/architecture.md, Budgets;
// the figures: test/bench/startup.bench.ts).
describe('--help stays fast: no command flag has a dynamic default', () => {
  const files = commandFiles(commandsDir);

  it('finds the commands', () => {
    expect(files.length).to.be.greaterThanOrEqual(6);
  });

  for (const file of files) {
    it(relative(commandsDir, file), async () => {
      const command = ((await import(file)) as { default: CommandLike }).default;
      const dynamic = Object.entries(command.flags ?? {})
        .filter(([, flag]) => typeof flag.defaultHelp === 'function')
        .map(([name]) => name);
      expect(dynamic, `flags with a dynamic defaultHelp in ${file}`).to.deep.equal([]);
    });
  }
});
