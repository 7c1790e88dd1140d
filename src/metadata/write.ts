/**
 * Writes generated components as source-format files under an output directory. Names and suffixes come from
 * the registry of source-deploy-retrieve. Never writes outside the directory; never overwrites a file the
 * plugin did not write (no managed-by marker) unless forced; checks everything before writing anything.
 */
import { lstat, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Messages } from '@salesforce/core';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { MANAGED_MARKER } from '../manifest/constants.js';
import { isSafeFileName, sourceFilePath, type GeneratedComponent, type MetadataTypeName } from '../salesforce/sourceFormat.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'metadata');

export type FileAction = 'created' | 'updated' | 'unchanged' | 'wouldCreate' | 'wouldUpdate';

export type WrittenFile = {
  /** Absolute path. */
  path: string;
  /** Path relative to the output directory, with forward slashes. */
  relativePath: string;
  type: MetadataTypeName;
  fullName: string;
  action: FileAction;
};

export type WriteOptions = { force?: boolean; dryRun?: boolean };

export { isSafeFileName, sourceFilePath } from '../salesforce/sourceFormat.js';

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The deepest existing ancestor of `path`, resolved through symlinks. */
async function realExistingAncestor(path: string): Promise<{ real: string; rest: string }> {
  let current = path;
  const rest: string[] = [];
  for (;;) {
    try {
      // eslint-disable-next-line no-await-in-loop -- walks up one directory at a time until one exists
      return { real: await realpath(current), rest: rest.reverse().join(sep) };
    } catch {
      const parent = dirname(current);
      if (parent === current) throw messages.createError('error.OutputDirUnusable', [path]);
      rest.push(current.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      current = parent;
    }
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink() || !info.isFile()) throw messages.createError('error.NotARegularFile', [path]);
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

type PlannedFile = WrittenFile & { xml: string };

export async function writeComponents(outputDir: string, components: GeneratedComponent[], options: WriteOptions = {}): Promise<WrittenFile[]> {
  const root = resolve(outputDir);
  const registry = new RegistryAccess();
  const planned: PlannedFile[] = [];
  const foreign: string[] = [];

  // 1. Decide every file's fate before touching the disk.
  const { real: realRoot, rest: missingRootPart } = await realExistingAncestor(root);
  const realRootDir = join(realRoot, missingRootPart);
  for (const component of components) {
    if (!isSafeFileName(component.fullName)) throw messages.createError('error.UnsafeName', [component.type, JSON.stringify(component.fullName)]);
    const relativePath = sourceFilePath(registry, component.type, component.fullName);
    const target = resolve(root, relativePath);
    // eslint-disable-next-line no-await-in-loop -- a handful of files; sequential keeps the symlink check simple
    const { real, rest } = await realExistingAncestor(dirname(target));
    if (!isInside(root, target) || !isInside(realRootDir, join(real, rest))) {
      throw messages.createError('error.OutsideOutputDir', [target, root]);
    }
    // eslint-disable-next-line no-await-in-loop
    const existing = await readIfExists(target);
    let action: FileAction;
    if (existing === undefined) action = options.dryRun ? 'wouldCreate' : 'created';
    else if (existing === component.xml) action = 'unchanged';
    else {
      if (!existing.includes(MANAGED_MARKER) && !options.force) foreign.push(target);
      action = options.dryRun ? 'wouldUpdate' : 'updated';
    }
    planned.push({ path: target, relativePath, type: component.type, fullName: component.fullName, action, xml: component.xml });
  }
  if (foreign.length > 0) throw messages.createError('error.WouldOverwrite', [foreign.map((path) => `  ${path}`).join('\n')]);

  // 2. Write.
  if (!options.dryRun) {
    const written: string[] = [];
    for (const file of planned) {
      if (file.action === 'unchanged') continue;
      try {
        // eslint-disable-next-line no-await-in-loop -- ordered writes, so a failure names exactly what was written
        await mkdir(dirname(file.path), { recursive: true });
        // eslint-disable-next-line no-await-in-loop
        await writeFile(file.path, file.xml, 'utf8');
      } catch (error) {
        throw messages.createError('error.WriteFailed', [
          file.path,
          (error as Error).message,
          written.length > 0 ? written.map((path) => `  ${path}`).join('\n') : '  (none)',
        ]);
      }
      written.push(file.path);
    }
  }
  return planned.map((file) => ({
    path: file.path,
    relativePath: file.relativePath,
    type: file.type,
    fullName: file.fullName,
    action: file.action,
  }));
}
