/**
 * Directory loader: an AccessModel from Profile, PermissionSet, PermissionSetGroup and MutingPermissionSet
 * metadata files, in source format (`X.profile-meta.xml`) or mdapi format (`profiles/X.profile`). Which files
 * count comes from source-deploy-retrieve's registry (type suffixes), not from a second list here.
 * A file that is not well-formed XML, or not the type its name says, is reported in `loadProblems` with its
 * path (and line) and the rest is still loaded. No user facts: user-level rules report "not evaluated".
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { Messages } from '@salesforce/core';
import type {
  AccessModel,
  FieldAccess,
  LoginIpRange,
  ObjectAccess,
  PermissionHolder,
  PermissionHolderKind,
  PermissionSetGroup,
  Profile,
  SetupEntityGrant,
} from './model.js';

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

/** Elements that may repeat: always parsed as arrays. */
const REPEATED = new Set([
  'userPermissions',
  'objectPermissions',
  'fieldPermissions',
  'classAccesses',
  'pageAccesses',
  'customPermissions',
  'loginIpRanges',
  'permissionSets',
  'mutingPermissionSets',
]);

type XmlNode = Record<string, unknown>;
type MetadataFile = { path: string; relativePath: string; type: string; kind: PermissionHolderKind; name: string };
type Problem = AccessModel['loadProblems'][number];

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'object' ? undefined : String(value).trim();
const bool = (value: unknown): boolean => text(value)?.toLowerCase() === 'true';
const nodes = (value: unknown): XmlNode[] => (Array.isArray(value) ? (value as XmlNode[]) : value ? [value as XmlNode] : []);

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

const objectAccess = (node: XmlNode): ObjectAccess => ({
  object: text(node.object) ?? '',
  read: bool(node.allowRead),
  create: bool(node.allowCreate),
  edit: bool(node.allowEdit),
  delete: bool(node.allowDelete),
  viewAll: bool(node.viewAllRecords),
  modifyAll: bool(node.modifyAllRecords),
  ...(node.viewAllFields !== undefined ? { viewAllFields: bool(node.viewAllFields) } : {}),
});

const fieldAccess = (node: XmlNode): FieldAccess => ({
  field: text(node.field) ?? '',
  read: bool(node.readable) || bool(node.editable),
  edit: bool(node.editable),
});

const setupEntities = (root: XmlNode): SetupEntityGrant[] => [
  ...nodes(root.classAccesses).filter((n) => bool(n.enabled)).map((n) => ({ type: 'ApexClass', name: text(n.apexClass) ?? '' })),
  ...nodes(root.pageAccesses).filter((n) => bool(n.enabled)).map((n) => ({ type: 'ApexPage', name: text(n.apexPage) ?? '' })),
  ...nodes(root.customPermissions).filter((n) => bool(n.enabled)).map((n) => ({ type: 'CustomPermission', name: text(n.name) ?? '' })),
];

const ipRanges = (root: XmlNode): LoginIpRange[] =>
  nodes(root.loginIpRanges).map((n) => ({
    start: text(n.startAddress) ?? '',
    end: text(n.endAddress) ?? '',
    ...(text(n.description) ? { description: text(n.description) } : {}),
  }));

const toHolder = (file: MetadataFile, root: XmlNode): PermissionHolder => {
  const description = text(root.description);
  const license = text(root.license) ?? text(root.userLicense);
  return {
    id: `file:${file.relativePath}`,
    kind: file.kind,
    name: file.name,
    label: text(root.label) ?? file.name,
    ...(description ? { description } : {}),
    // A profile file says whether it is custom; a permission set in a project is the project's own.
    isCustom: file.kind === 'profile' ? bool(root.custom) : true,
    ...(license ? { license } : {}),
    systemPermissions: nodes(root.userPermissions)
      .filter((n) => bool(n.enabled))
      .map((n) => text(n.name) ?? '')
      .filter((n) => n !== ''),
    objectPermissions: nodes(root.objectPermissions).map(objectAccess),
    fieldPermissions: nodes(root.fieldPermissions).map(fieldAccess),
    setupEntityAccess: setupEntities(root),
    filePath: file.relativePath,
  };
};

type Parsed = { file: MetadataFile; root: XmlNode } | { problem: Problem };
type XmlModule = typeof import('fast-xml-parser');

const parseFile = async (xmlModule: XmlModule, parser: InstanceType<XmlModule['XMLParser']>, file: MetadataFile): Promise<Parsed> => {
  const xml = await readFile(file.path, 'utf8');
  // The validator finds what the (lenient) parser would accept, and gives the line.
  const valid = xmlModule.XMLValidator.validate(xml);
  if (valid !== true) {
    return { problem: { path: file.relativePath, line: valid.err.line, message: messages.getMessage('problem.malformedXml', [valid.err.msg]) } };
  }
  const document = parser.parse(xml) as XmlNode;
  const root = document[file.type];
  if (root === undefined || typeof root !== 'object') {
    const found = Object.keys(document).filter((k) => k !== '?xml');
    return { problem: { path: file.relativePath, message: messages.getMessage('problem.wrongRoot', [file.type, found.join(', ') || '-']) } };
  }
  return { file, root: root as XmlNode };
};

export const loadAccessModelFromDirectory = async (directory: string): Promise<AccessModel> => {
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) throw messages.createError('error.SourceDirNotFound', [directory]);
  const files = await findFiles(directory);
  if (files.length === 0) throw messages.createError('error.NoMetadataFiles', [directory]);
  const xmlModule = await import('fast-xml-parser');
  const parser = new xmlModule.XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (tag) => REPEATED.has(tag) });
  const parsed = await Promise.all(files.map((file) => parseFile(xmlModule, parser, file)));

  const loadProblems: Problem[] = [];
  const byKind = new Map<PermissionHolderKind, Map<string, { holder: PermissionHolder; root: XmlNode }>>();
  for (const result of parsed) {
    if ('problem' in result) {
      loadProblems.push(result.problem);
      continue;
    }
    const seen = byKind.get(result.file.kind) ?? new Map<string, { holder: PermissionHolder; root: XmlNode }>();
    byKind.set(result.file.kind, seen);
    const existing = seen.get(result.file.name.toLowerCase());
    if (existing) {
      loadProblems.push({ path: result.file.relativePath, message: messages.getMessage('problem.duplicate', [result.file.name, existing.holder.filePath ?? '']) });
      continue;
    }
    seen.set(result.file.name.toLowerCase(), { holder: toHolder(result.file, result.root), root: result.root });
  }
  const entries = (kind: PermissionHolderKind): Array<{ holder: PermissionHolder; root: XmlNode }> => [...(byKind.get(kind)?.values() ?? [])];

  const profiles: Profile[] = entries('profile').map(({ holder, root }) => ({
    ...holder,
    kind: 'profile',
    profileId: holder.id,
    ...(text(root.userLicense) ? { userLicense: text(root.userLicense) } : {}),
    loginIpRanges: ipRanges(root),
  }));
  const permissionSets = entries('permissionSet').map(({ holder }) => holder);
  const mutingPermissionSets = entries('mutingPermissionSet').map(({ holder }) => holder);
  const setIdByName = new Map(permissionSets.map((ps) => [ps.name.toLowerCase(), ps.id]));
  const mutingIdByName = new Map(mutingPermissionSets.map((ps) => [ps.name.toLowerCase(), ps.id]));
  const permissionSetGroups: PermissionSetGroup[] = entries('permissionSetGroup').map(({ holder, root }) => {
    const memberIds: string[] = [];
    for (const name of nodes(root.permissionSets).map((n) => text(n) ?? '')) {
      const id = setIdByName.get(name.toLowerCase());
      if (id) memberIds.push(id);
      else loadProblems.push({ path: holder.filePath, message: messages.getMessage('problem.unknownMember', [holder.name, name]) });
    }
    const mutingName = nodes(root.mutingPermissionSets).map((n) => text(n) ?? '')[0];
    const mutingId = mutingName ? mutingIdByName.get(mutingName.toLowerCase()) : undefined;
    const status = text(root.status);
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
