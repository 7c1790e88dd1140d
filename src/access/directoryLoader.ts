/**
 * Directory loader: an AccessModel from Profile, PermissionSet, PermissionSetGroup and MutingPermissionSet
 * metadata files, in source format (`X.profile-meta.xml`) or mdapi format (`profiles/X.profile`). Which files
 * count comes from source-deploy-retrieve's registry (type suffixes), not from a second list here.
 * A file that is not well-formed XML, or not the type its name says, is reported in `loadProblems` with its
 * path (and line) and the rest is still loaded. No user facts: user-level rules report "not evaluated".
 */
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Messages } from '@salesforce/core';
import type { MetadataFile, ParsedFile } from './metadataFile.js';
import type { WorkerInput, WorkerMessage } from './metadataWorker.js';
import type { AccessModel, PermissionHolderKind, PermissionSetGroup, Profile } from './model.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.audit');

const TYPES: ReadonlyArray<{ type: string; kind: PermissionHolderKind }> = [
  { type: 'Profile', kind: 'profile' },
  { type: 'PermissionSet', kind: 'permissionSet' },
  { type: 'PermissionSetGroup', kind: 'permissionSetGroup' },
  { type: 'MutingPermissionSet', kind: 'mutingPermissionSet' },
];

/** Folders that never hold deployable metadata of the project. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.sfdx', '.sf', '.husky', '.vscode']);

type Problem = AccessModel['loadProblems'][number];

type RegistryData = { types: Record<string, { name: string; suffix?: string }> };

/**
 * Suffix → type, from source-deploy-retrieve's registry data: `profile` → Profile, both `X.profile-meta.xml` and
 * `X.profile`. The registry JSON is read directly: importing SDR's code costs about a second of start-up (it
 * pulls in @salesforce/core), more than the whole audit of a large project. (Registry presets from
 * sfdx-project.json, such as decomposed permission sets, are therefore not applied.)
 */
const loadSuffixes = (): Array<{ suffix: string; type: string; kind: PermissionHolderKind }> => {
  const registry = createRequire(import.meta.url)('@salesforce/source-deploy-retrieve/lib/src/registry/metadataRegistry.json') as RegistryData;
  return TYPES.map(({ type, kind }) => {
    const entry = Object.values(registry.types).find((t) => t.name === type);
    return { type, kind, suffix: entry?.suffix ?? type.toLowerCase() };
  });
};

const findFiles = async (root: string): Promise<MetadataFile[]> => {
  const suffixes = loadSuffixes();
  const found: MetadataFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(path);
          return;
        }
        for (const { suffix, type, kind } of suffixes) {
          const ending = [`.${suffix}-meta.xml`, `.${suffix}`].find((e) => entry.name.endsWith(e));
          if (!ending) continue;
          // File names of profiles and permission sets are URL-encoded full names ("Custom%3A Sales").
          const raw = entry.name.slice(0, -ending.length);
          let name = raw;
          try {
            name = decodeURIComponent(raw);
          } catch {
            name = raw;
          }
          found.push({ path, relativePath: relative(root, path).split(sep).join('/'), type, kind, name });
          return;
        }
      })
    );
  };
  await walk(root);
  return found.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
};

/** Below this many files a worker's start-up (a new isolate, the parser's import) costs more than it saves. */
const PARALLEL_FROM_FILES = 200;

/** The worker entry next to this module: `.ts` when running from source under tsx (tests), `.js` from lib. */
const workerEntry = (): URL => new URL(import.meta.url.endsWith('.ts') ? './metadataWorker.ts' : './metadataWorker.js', import.meta.url);

/** Files per claimed chunk: small enough that the thread finishing last waits little for the other. */
const CHUNK_SIZE = 16;

/**
 * Starts one worker that parses chunks claimed from `next` and stores them with `store`; resolves when the
 * worker is done, or has failed or could not start (the chunks it claimed and did not return stay missing).
 */
const startWorker = (input: WorkerInput, store: (start: number, results: ParsedFile[]) => void): Promise<void> =>
  new Promise((resolve) => {
    try {
      const worker = new Worker(workerEntry(), { workerData: input, stdout: true, stderr: true });
      worker.on('message', (message: WorkerMessage) => {
        if ('done' in message) {
          resolve();
          void worker.terminate();
        } else store(message.start, message.results);
      });
      worker.once('error', () => resolve());
      worker.once('exit', () => resolve());
    } catch {
      resolve();
    }
  });

/**
 * Many files: this thread and one worker take chunks from a shared counter (parsing is CPU-bound and the budget
 * machine has two cores), so the split follows how fast each thread really is, including on a busy machine.
 * Results are stored by file index: the order is the sorted file order either way.
 */
const parseFiles = async (files: MetadataFile[]): Promise<ParsedFile[]> => {
  const { parseMetadataFiles, parseSharedChunks } = await import('./metadataFile.js');
  if (files.length < PARALLEL_FROM_FILES || availableParallelism() < 2) return parseMetadataFiles(files);
  const results: Array<ParsedFile | undefined> = new Array<ParsedFile | undefined>(files.length);
  const store = (start: number, chunk: ParsedFile[]): void => chunk.forEach((result, i) => (results[start + i] = result));
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const workerDone = startWorker({ files, next, chunkSize: CHUNK_SIZE }, store);
  parseSharedChunks(files, next, CHUNK_SIZE, store);
  await workerDone;
  // A chunk a failed worker claimed but never returned is parsed here.
  return files.map((file, i) => results[i] ?? parseMetadataFiles([file])[0]);
};

export const loadAccessModelFromDirectory = async (directory: string): Promise<AccessModel> => {
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw messages.createError('error.SourceDirNotFound', [directory]);
  const files = await findFiles(directory);
  if (files.length === 0) throw messages.createError('error.NoMetadataFiles', [directory]);
  const parsed = await parseFiles(files);

  const loadProblems: Problem[] = [];
  type Loaded = Extract<ParsedFile, { ok: true }>;
  const byKind = new Map<PermissionHolderKind, Map<string, Loaded>>();
  for (const result of parsed) {
    if (!result.ok) {
      const message =
        result.problem === 'malformedXml'
          ? messages.getMessage('problem.malformedXml', [result.detail])
          : messages.getMessage('problem.wrongRoot', [files.find((f) => f.relativePath === result.path)?.type ?? '', result.detail]);
      loadProblems.push({ path: result.path, ...(result.line ? { line: result.line } : {}), message });
      continue;
    }
    const { holder } = result;
    const seen = byKind.get(holder.kind) ?? new Map<string, Loaded>();
    byKind.set(holder.kind, seen);
    const existing = seen.get(holder.name.toLowerCase());
    if (existing) {
      loadProblems.push({ path: holder.filePath, message: messages.getMessage('problem.duplicate', [holder.name, existing.holder.filePath ?? '']) });
      continue;
    }
    seen.set(holder.name.toLowerCase(), result);
  }
  const entries = (kind: PermissionHolderKind): Loaded[] => [...(byKind.get(kind)?.values() ?? [])];

  const profiles: Profile[] = entries('profile').map(({ holder, userLicense, loginIpRanges }) => ({
    ...holder,
    kind: 'profile',
    profileId: holder.id,
    ...(userLicense ? { userLicense } : {}),
    loginIpRanges,
  }));
  const permissionSets = entries('permissionSet').map(({ holder }) => holder);
  const mutingPermissionSets = entries('mutingPermissionSet').map(({ holder }) => holder);
  const setIdByName = new Map(permissionSets.map((ps) => [ps.name.toLowerCase(), ps.id]));
  const mutingIdByName = new Map(mutingPermissionSets.map((ps) => [ps.name.toLowerCase(), ps.id]));
  const permissionSetGroups: PermissionSetGroup[] = entries('permissionSetGroup').map(({ holder, memberNames, mutingNames, status }) => {
    const memberIds: string[] = [];
    for (const name of memberNames) {
      const id = setIdByName.get(name.toLowerCase());
      if (id) memberIds.push(id);
      else loadProblems.push({ path: holder.filePath, message: messages.getMessage('problem.unknownMember', [holder.name, name]) });
    }
    const mutingId = mutingNames.length > 0 ? mutingIdByName.get(mutingNames[0].toLowerCase()) : undefined;
    return {
      ...holder,
      kind: 'permissionSetGroup',
      permissionSetIds: memberIds,
      ...(mutingId ? { mutingPermissionSetId: mutingId } : {}),
      ...(status ? { status } : {}),
    };
  });

  return {
    source: 'directory',
    origin: directory,
    org: {},
    profiles,
    permissionSets,
    permissionSetGroups,
    mutingPermissionSets,
    users: [],
    assignments: [],
    userLicenses: [],
    permissionSetLicenses: [],
    permissionSetLicenseAssignments: [],
    // A profile file lists its IP ranges (none = none); Apex class access is in the files too.
    availableFacts: ['loginIpRanges', 'setupEntityAccess'],
    unavailableFacts: [],
    loadProblems,
  };
};
