/**
 * Directory loader: an AccessModel from Profile, PermissionSet, PermissionSetGroup and MutingPermissionSet
 * metadata files, in source format (`X.profile-meta.xml`), mdapi format (`profiles/X.profile`) or
 * source-deploy-retrieve's decomposed permission set format (`permissionsets/X/objectSettings/…`).
 *
 * Which files make which component is decided by source-deploy-retrieve's own resolver (MetadataResolver, with
 * the project's registry presets from sfdx-project.json and its .forceignore), so a directory is read the way
 * `sf project deploy` reads it. The walk that feeds the resolver is ours: it follows symbolic links once (a link
 * back to a folder already walked is reported, not looped), skips dot files and folders (a shell `.profile` is not
 * a profile) and node_modules, and hands the resolver only the files of the four permission types.
 *
 * Every file is audited: two components of the same name in two package directories are both loaded (their
 * subject is their path) and the duplicate is reported. A file that cannot be read is a `unreadable` load problem
 * (its path and the line where parsing failed); the audit fails closed on those. No user facts: user-level rules
 * report "not evaluated". A directory with OAuth client files but none of the four types loads with no holders
 * (`permissionHolders` unavailable); one with neither is refused (NoMetadataFiles).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { Messages } from '@salesforce/core';
import { namespaceOf } from '../salesforce/sourceFormat.js';
import { parseMetadataFiles, type FileProblem, type MetadataFile, type ParsedFile } from './metadataFile.js';
import type { AccessModel, LoadProblem, LoadStats, PermissionHolder, PermissionHolderKind, PermissionSetGroup, Profile } from './model.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'access');

const KIND_OF_TYPE: Readonly<Record<string, PermissionHolderKind>> = {
  Profile: 'profile',
  PermissionSet: 'permissionSet',
  PermissionSetGroup: 'permissionSetGroup',
  MutingPermissionSet: 'mutingPermissionSet',
};

/** Folders that never hold deployable metadata of the project (dot folders are skipped too). */
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/** One component as the resolver sees it: its type and name, and every file that makes it (decomposed parts). */
type Component = { type: string; kind: PermissionHolderKind; name: string; filePath: string; files: MetadataFile[] };

/** Profile and permission set file names are URL-encoded full names ("Custom%3A Sales"). */
const decodedName = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

const posix = (root: string, path: string): string => relative(root, path).split(sep).join('/');

/** The folder holding sfdx-project.json at or above `dir`: the resolver takes its registry presets from there. */
const projectDirOf = async (dir: string): Promise<string | undefined> => {
  for (let current = resolvePath(dir); ; current = dirname(current)) {
    // eslint-disable-next-line no-await-in-loop -- a handful of parent folders, nearest first
    if (await stat(join(current, 'sfdx-project.json')).then(() => true, () => false)) return current;
    if (dirname(current) === current) return undefined;
  }
};

/**
 * Every file under `root` whose name ends with one of `suffixes`, following symbolic links to folders once each
 * (by real path): a link to a folder already walked is reported instead of looping. Dot files and folders and
 * node_modules are skipped. The OAuth client files (oauthClientFiles.ts) are found the same way.
 */
export const walk = async (root: string, suffixes: readonly string[], problems: LoadProblem[]): Promise<string[]> => {
  const found: string[] = [];
  const seen = new Set<string>([await realpath(root)]);
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      // A folder that vanished while walking (ENOENT) held nothing left to audit, so it stays silent. Any other
      // failure (EACCES, EPERM, ENOTDIR, EIO…) leaves files unread: fail closed, like an unreadable file.
      if (error.code !== 'ENOENT') {
        problems.push({ path: posix(root, dir), code: 'unreadable', message: messages.getMessage('problem.unreadableFolder', [error.code ?? error.message]) });
      }
      return [];
    });
    await Promise.all(
      entries.map(async (entry) => {
        if (entry.name.startsWith('.')) return;
        const path = join(dir, entry.name);
        let isDirectory = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const target = await stat(path).catch(() => undefined);
          if (!target) {
            problems.push({ path: posix(root, path), code: 'symlink', message: messages.getMessage('problem.brokenLink') });
            return;
          }
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          if (isDirectory) {
            const real = await realpath(path);
            if (seen.has(real)) {
              problems.push({ path: posix(root, path), code: 'symlink', message: messages.getMessage('problem.linkLoop', [real]) });
              return;
            }
            seen.add(real);
          }
        } else if (isDirectory) {
          seen.add(await realpath(path));
        }
        if (isDirectory) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await visit(path);
        } else if (isFile && suffixes.some((suffix) => entry.name.endsWith(suffix))) {
          found.push(path);
        }
      })
    );
  };
  await visit(root);
  return found;
};

type Sdr = typeof import('@salesforce/source-deploy-retrieve');

/**
 * Parts of the decomposed formats source-deploy-retrieve knows (its registry presets) for these types that this
 * project does not enable, by file suffix, with the presets that know them: SDR cannot tell what such a file is, and
 * `sf project deploy` stops on it ("Could not infer a metadata type"). What it grants is unknown, so the audit fails
 * closed on it, naming the format.
 */
const lostParts = (presetMap: Sdr['presetMap'], registry: InstanceType<Sdr['RegistryAccess']>, suffixes: string[]): Map<string, Set<string>> => {
  const presetsOfPart = new Map<string, Set<string>>();
  for (const [preset, data] of presetMap) {
    for (const type of Object.values(data.types)) {
      if (!KIND_OF_TYPE[type.name]) continue;
      for (const child of Object.values(type.children?.types ?? {})) {
        // A suffix this project's registry resolves (a CustomPermission is a type of its own) is not a lost part.
        if (!child.suffix || suffixes.includes(`.${child.suffix}-meta.xml`) || registry.getTypeBySuffix(child.suffix)) continue;
        const suffix = `.${child.suffix}-meta.xml`;
        presetsOfPart.set(suffix, (presetsOfPart.get(suffix) ?? new Set<string>()).add(preset));
      }
    }
  }
  return presetsOfPart;
};

/**
 * The components of the four permission types under `root`, resolved by source-deploy-retrieve from the files the
 * walk found (a virtual tree of just those paths, so the resolver neither re-reads the disk nor stops at files of
 * types it does not know), honouring the project's .forceignore and registry presets.
 */
const resolveComponents = async (
  root: string,
  problems: LoadProblem[],
  extraEndings: readonly string[] = []
): Promise<{ components: Component[]; filesFound: number; filesIgnored: number; extraFiles: string[] }> => {
  const { MetadataResolver, RegistryAccess, VirtualTreeContainer, presetMap } = await import('@salesforce/source-deploy-retrieve');
  const registry = new RegistryAccess(undefined, await projectDirOf(root));
  const suffixes: string[] = [];
  for (const typeName of Object.keys(KIND_OF_TYPE)) {
    const type = registry.getTypeByName(typeName);
    if (type.suffix) suffixes.push(`.${type.suffix}-meta.xml`, `.${type.suffix}`);
    for (const child of Object.values(type.children?.types ?? {})) if (child.suffix) suffixes.push(`.${child.suffix}-meta.xml`);
  }
  const presetsOfPart = lostParts(presetMap, registry, suffixes);
  // One walk of the tree (its folders' real paths are the cost on a large project) also finds the caller's files.
  const found = await walk(root, [...suffixes, ...presetsOfPart.keys(), ...extraEndings], problems);
  const isExtra = (path: string): boolean => extraEndings.some((ending) => path.endsWith(ending)) && !suffixes.some((suffix) => path.endsWith(suffix));
  const extraFiles = found.filter(isExtra);
  const paths = extraFiles.length === 0 ? found : found.filter((path) => !isExtra(path));
  const readable: string[] = [];
  for (const path of paths) {
    const part = [...presetsOfPart].find(([suffix]) => path.endsWith(suffix));
    if (!part) readable.push(path);
    else problems.push({ path: posix(root, path), code: 'unreadable', message: messages.getMessage('problem.notDecomposable', [[...part[1]].join('" or "')]) });
  }
  if (readable.length === 0) return { components: [], filesFound: paths.length, filesIgnored: 0, extraFiles };
  const resolver = new MetadataResolver(registry, VirtualTreeContainer.fromFilePaths([...readable]), true);
  const sourceComponents = resolver.getComponentsFromPath(root);
  const components: Component[] = [];
  for (const component of sourceComponents) {
    const kind = KIND_OF_TYPE[component.type.name];
    if (!kind) continue;
    // A decomposed permission set: its folder holds the parent file and the parts; each part is a <PermissionSet>.
    const files = [...new Set([...(component.xml ? [component.xml] : []), ...(component.content ? component.walkContent() : [])])]
      .filter((path) => path.endsWith('.xml') || path === component.xml)
      .sort((a, b) => (a === component.xml ? -1 : b === component.xml ? 1 : a.localeCompare(b)));
    const name = decodedName(component.fullName);
    components.push({
      type: component.type.name,
      kind,
      name,
      filePath: posix(root, component.content && !component.xml ? component.content : component.xml ?? component.content ?? root),
      files: files.map((path) => ({ path, relativePath: posix(root, path), type: component.type.name, kind, name })),
    });
  }
  return { components, filesFound: paths.length, filesIgnored: resolver.forceIgnoredPaths?.size ?? 0, extraFiles };
};

/** A file that could not be read as the load problem that fails the audit closed, worded for people. */
export const unreadableProblem = (result: FileProblem, type: string): LoadProblem => ({
  path: result.path,
  ...(result.line ? { line: result.line } : {}),
  code: 'unreadable',
  message: problemMessage(result, type),
});

const problemMessage = (result: FileProblem, type: string): string => {
  switch (result.problem) {
    case 'malformedXml':
      return messages.getMessage('problem.malformedXml', [result.detail]);
    case 'truncated':
      return messages.getMessage('problem.truncated', [result.detail]);
    case 'wrongRoot':
      return messages.getMessage('problem.wrongRoot', [type, result.detail]);
    case 'encoding':
      return messages.getMessage('problem.encoding', [result.detail]);
    case 'unreadable':
      return messages.getMessage('problem.unreadable', [result.detail]);
  }
};

type Loaded = Extract<ParsedFile, { ok: true }>;

/** One component's parsed files as one holder: the parent file's label and settings, every part's grants. */
const mergeParts = (component: Component, parts: Loaded[]): Loaded => {
  const [first, ...rest] = parts;
  const holder: PermissionHolder = {
    ...first.holder,
    id: `file:${component.filePath}`,
    name: component.name,
    filePath: component.filePath,
    systemPermissions: [...new Set(parts.flatMap((p) => p.holder.systemPermissions))],
    objectPermissions: parts.flatMap((p) => p.holder.objectPermissions),
    fieldPermissions: parts.flatMap((p) => p.holder.fieldPermissions),
    setupEntityAccess: parts.flatMap((p) => p.holder.setupEntityAccess),
  };
  if (rest.length === 0) return { ...first, holder };
  return { ...first, holder, loginIpRanges: parts.flatMap((p) => p.loginIpRanges), memberNames: parts.flatMap((p) => p.memberNames) };
};

/**
 * Fails closed when a directory of OAuth client files only (no profile or permission set file, `permissionHolders`
 * unavailable) gave nothing to audit once its OAuth files were read: all of them left out by .forceignore, or none of
 * them a client (settings or policies without their app). A gate must not pass on a folder it read nothing from. An
 * OAuth file that could not be read is a load problem, which fails the audit already.
 */
export const refuseNothingToAudit = (directory: string, model: AccessModel, oauthClientsRead: number, oauthProblems: number): void => {
  const noHolderFiles = model.unavailableFacts.some((u) => u.fact === 'permissionHolders');
  if (noHolderFiles && oauthClientsRead === 0 && oauthProblems === 0) throw messages.createError('error.NoMetadataFiles', [directory]);
};

export const loadAccessModelFromDirectory = async (directory: string): Promise<AccessModel> => (await loadDirectory(directory)).model;

/**
 * The access model of a directory, and the paths of the other files the same walk found whose names end with one of
 * `extraEndings` (the audit's OAuth client files, oauthClientFiles.ts), so a large tree is walked once.
 */
export const loadDirectory = async (directory: string, extraEndings: readonly string[] = []): Promise<{ model: AccessModel; extraFiles: string[] }> => {
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw messages.createError('error.SourceDirNotFound', [directory]);
  const loadProblems: LoadProblem[] = [];
  const { components, filesFound, filesIgnored, extraFiles } = await resolveComponents(resolvePath(directory), loadProblems, extraEndings);
  // Fail closed on an empty or wrong folder. OAuth client files alone are a directory to audit (a repository of
  // OAuth clients): the rules about profiles and permission sets say they had none to read.
  if (components.length === 0 && filesFound === 0 && extraFiles.length === 0) throw messages.createError('error.NoMetadataFiles', [directory]);
  const noHolderFiles = filesFound === 0;
  components.sort((a, b) => a.filePath.localeCompare(b.filePath));
  const files = components.flatMap((c) => c.files);
  // One thread on purpose: a worker thread was measured on the 2-core budget machine (793 files, 123 MB) to cost
  // 0.4 s more CPU and 50 MB more memory than it saved in wall time, and to slow the CLI's own logger thread.
  const parsed = parseMetadataFiles(files);
  const byPath = new Map(files.map((file, i) => [file.path, parsed[i]]));

  let filesRead = 0;
  let bytesRead = 0;
  const loaded: Array<{ component: Component; result: Loaded }> = [];
  for (const component of components) {
    const parts: Loaded[] = [];
    let failed = false;
    for (const file of component.files) {
      const result = byPath.get(file.path)!;
      if (!result.ok) {
        failed = true;
        loadProblems.push(unreadableProblem(result, file.type));
        continue;
      }
      filesRead++;
      bytesRead += result.bytes ?? 0;
      parts.push(result);
    }
    // A component with an unreadable part is not audited at all: half a permission set would pass for less.
    if (!failed && parts.length > 0) loaded.push({ component, result: mergeParts(component, parts) });
  }

  // Same type and name twice (two package directories): both are audited, under their paths; say so.
  const firstByName = new Map<string, Loaded>();
  for (const { result } of loaded) {
    const key = `${result.holder.kind}|${result.holder.name.toLowerCase()}`;
    const first = firstByName.get(key);
    if (first) {
      loadProblems.push({ path: result.holder.filePath, code: 'duplicate', message: messages.getMessage('problem.duplicate', [result.holder.name, first.holder.filePath ?? '']) });
    } else firstByName.set(key, result);
  }
  const entries = (kind: PermissionHolderKind): Loaded[] => loaded.filter(({ result }) => result.holder.kind === kind).map(({ result }) => result);

  const profiles: Profile[] = entries('profile').map(({ holder, userLicense, loginIpRanges }) => ({
    ...holder,
    kind: 'profile',
    profileId: holder.id,
    ...(userLicense ? { userLicense } : {}),
    loginIpRanges,
  }));
  const permissionSets = entries('permissionSet').map(({ holder }) => holder);
  const mutingPermissionSets = entries('mutingPermissionSet').map(({ holder }) => holder);
  const idsByName = (holders: PermissionHolder[]): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const h of holders) map.set(h.name.toLowerCase(), [...(map.get(h.name.toLowerCase()) ?? []), h.id]);
    return map;
  };
  const setIdsByName = idsByName(permissionSets);
  const mutingIdsByName = idsByName(mutingPermissionSets);
  const permissionSetGroups: PermissionSetGroup[] = entries('permissionSetGroup').map(({ holder, memberNames, mutingNames, status }) => {
    const memberIds: string[] = [];
    for (const name of memberNames) {
      const ids = setIdsByName.get(name.toLowerCase());
      if (ids) memberIds.push(...ids);
      else {
        const namespace = namespaceOf(name);
        const message = namespace
          ? messages.getMessage('problem.unknownManagedMember', [holder.name, name, namespace])
          : messages.getMessage('problem.unknownMember', [holder.name, name]);
        loadProblems.push({ path: holder.filePath, code: 'unknownMember', message });
      }
    }
    const mutingId = mutingNames.length > 0 ? mutingIdsByName.get(mutingNames[0].toLowerCase())?.[0] : undefined;
    return {
      ...holder,
      kind: 'permissionSetGroup',
      permissionSetIds: memberIds,
      ...(mutingId ? { mutingPermissionSetId: mutingId } : {}),
      ...(status ? { status } : {}),
    };
  });
  const loadStats: LoadStats = { filesFound, filesRead, filesSkipped: filesFound - filesRead, filesIgnored, bytesRead };

  const model: AccessModel = {
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
    unavailableFacts: noHolderFiles ? [{ fact: 'permissionHolders', reason: messages.getMessage('unavailable.noHolderFiles') }] : [],
    loadProblems,
    loadStats,
  };
  return { model, extraFiles };
};
