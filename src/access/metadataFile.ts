/**
 * One metadata file (Profile, PermissionSet, PermissionSetGroup, MutingPermissionSet) → its permission holder,
 * with a checking one-pass scanner (metadataScan.ts) that keeps only what the audit reads.
 * No @salesforce/core here: this module also runs in worker threads, where that import would cost more than the
 * parsing. Problems come back as data; the loader words them.
 */
import { readFileSync } from 'node:fs';
import { scanMetadataXml } from './metadataScan.js';
import type { FieldAccess, LoginIpRange, ObjectAccess, PermissionHolder, PermissionHolderKind, SetupEntityGrant } from './model.js';

export type MetadataFile = {
  path: string;
  relativePath: string;
  /** Root element the file must have (a decomposed permission set's parts are `<PermissionSet>` documents too). */
  type: string;
  kind: PermissionHolderKind;
  name: string;
};

export type ParsedFile =
  | {
      ok: true;
      holder: PermissionHolder;
      /** Size of the file read. */
      bytes?: number;
      userLicense?: string;
      loginIpRanges: LoginIpRange[];
      /** Groups: member permission set names, muting set names, status. */
      memberNames: string[];
      mutingNames: string[];
      status?: string;
    }
  | { ok: false; path: string; line?: number; problem: 'malformedXml' | 'wrongRoot' | 'truncated' | 'encoding' | 'unreadable'; detail: string };

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

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'object' ? undefined : String(value).trim();
const bool = (value: unknown): boolean => text(value)?.toLowerCase() === 'true';
const nodes = (value: unknown): XmlNode[] => (Array.isArray(value) ? (value as XmlNode[]) : value ? [value as XmlNode] : []);

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
    // A profile file says whether it is custom (Salesforce's standard profiles say <custom>false</custom>; a file
    // without the element is taken as the project's own); a permission set in a project is the project's own.
    isCustom: file.kind === 'profile' ? text(root.custom)?.toLowerCase() !== 'false' : true,
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

/**
 * The file's text: UTF-8 (a byte order mark dropped) or, with its byte order mark, UTF-16 (Windows tools write
 * it). UTF-16 without a mark is recognised by the NUL bytes of its `<?` and named rather than misread.
 */
export const decodeMetadataText = (bytes: Buffer): { text: string } | { encodingProblem: string } => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8') };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) return { encodingProblem: 'UTF-16 without a byte order mark' };
  return { text: bytes.toString('utf8') };
};

export const parseMetadataXml = (file: MetadataFile, xml: string): ParsedFile => {
  const scanned = scanMetadataXml(xml, REPEATED);
  if (!scanned.ok) return { ok: false, path: file.relativePath, line: scanned.line, problem: scanned.problem, detail: scanned.detail };
  if (scanned.root !== file.type) return { ok: false, path: file.relativePath, problem: 'wrongRoot', detail: scanned.root };
  const node = scanned.node as XmlNode;
  const status = text(node.status);
  const userLicense = text(node.userLicense);
  return {
    ok: true,
    holder: toHolder(file, node),
    ...(userLicense ? { userLicense } : {}),
    loginIpRanges: ipRanges(node),
    memberNames: nodes(node.permissionSets).map((n) => text(n) ?? ''),
    mutingNames: nodes(node.mutingPermissionSets).map((n) => text(n) ?? ''),
    ...(status ? { status } : {}),
  };
};

/**
 * Reads and parses files in order. Synchronous reads on purpose: for thousands of small files, 2,000 concurrent
 * promise-based reads were measured to cost more CPU (file handles, thread pool hops) than the parsing itself.
 */
export const parseMetadataFiles = (files: MetadataFile[]): ParsedFile[] => files.map(readAndParse);

/** One file from disk to a ParsedFile; a read or decoding failure is a problem of that file, not of the run. */
export const readAndParse = (file: MetadataFile): ParsedFile => {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (error) {
    return { ok: false, path: file.relativePath, problem: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const decoded = decodeMetadataText(bytes);
  if ('encodingProblem' in decoded) return { ok: false, path: file.relativePath, problem: 'encoding', detail: decoded.encodingProblem };
  const result = parseMetadataXml(file, decoded.text);
  return result.ok ? { ...result, bytes: bytes.length } : result;
};

/**
 * Parses files in chunks claimed from a counter shared with other threads (`Atomics.add` on `next[0]`), handing
 * each chunk's results to `onChunk` with the index of its first file. Threads that share the counter split the
 * work by how fast each one actually goes, so a starved or slow-starting thread takes fewer chunks.
 */
export const parseSharedChunks = (
  files: MetadataFile[],
  next: Int32Array,
  chunkSize: number,
  onChunk: (start: number, results: ParsedFile[]) => void
): void => {
  for (let start = Atomics.add(next, 0, chunkSize); start < files.length; start = Atomics.add(next, 0, chunkSize)) {
    onChunk(
      start,
      files.slice(start, start + chunkSize).map(readAndParse)
    );
  }
};
