/**
 * One metadata file (Profile, PermissionSet, PermissionSetGroup, MutingPermissionSet) → its permission holder,
 * with a checking one-pass scanner (metadataScan.ts) that keeps only what the audit reads.
 * Problems come back as data; the loader words them.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { namespaceOf } from '../salesforce/sourceFormat.js';
import { scanMetadataXml, StringPool } from './metadataScan.js';
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

/** The root's children the holder is built from; the scanner checks the others and keeps nothing of them. */
const KEPT = new Set([...REPEATED, 'label', 'description', 'custom', 'license', 'userLicense', 'status']);

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

/** What the scanner hands over already built: the repeated elements that are many in a large profile. */
const CONVERT = {
  // A text-only element (no children) reads as a record without values, as it did from the parsed tree.
  objectPermissions: (value: XmlNode | string): ObjectAccess => objectAccess(value as XmlNode),
  fieldPermissions: (value: XmlNode | string): FieldAccess => fieldAccess(value as XmlNode),
};

const ipRanges = (root: XmlNode): LoginIpRange[] =>
  nodes(root.loginIpRanges).map((n) => ({
    start: text(n.startAddress) ?? '',
    end: text(n.endAddress) ?? '',
    ...(text(n.description) ? { description: text(n.description) } : {}),
  }));

const toHolder = (file: MetadataFile, root: XmlNode): PermissionHolder => {
  const description = text(root.description);
  const license = text(root.license) ?? text(root.userLicense);
  // A set named `ns__Name` belongs to a managed package (or to Salesforce's own namespaces): retrieved, not authored.
  const namespace = file.kind === 'profile' ? undefined : namespaceOf(file.name);
  return {
    id: `file:${file.relativePath}`,
    kind: file.kind,
    name: file.name,
    label: text(root.label) ?? file.name,
    ...(description ? { description } : {}),
    ...(namespace ? { namespace } : {}),
    // A profile file says whether it is custom (Salesforce's standard profiles say <custom>false</custom>; a file
    // without the element is taken as the project's own); a permission set is the project's own unless namespaced
    // (as the org loader reads PermissionSet.NamespacePrefix).
    isCustom: file.kind === 'profile' ? text(root.custom)?.toLowerCase() !== 'false' : namespace === undefined,
    ...(license ? { license } : {}),
    systemPermissions: nodes(root.userPermissions)
      .filter((n) => bool(n.enabled))
      .map((n) => text(n.name) ?? '')
      .filter((n) => n !== ''),
    // Converted by the scanner as each element closes (CONVERT).
    objectPermissions: (root.objectPermissions as ObjectAccess[] | undefined) ?? [],
    fieldPermissions: (root.fieldPermissions as FieldAccess[] | undefined) ?? [],
    setupEntityAccess: setupEntities(root),
    filePath: file.relativePath,
  };
};

/**
 * The file's bytes as UTF-8: as read (a byte order mark skipped) or, with a UTF-16 byte order mark (Windows tools
 * write it), re-encoded. UTF-16 without a mark is recognised by the NUL bytes of its `<?` and named rather than
 * misread.
 */
export const utf8Bytes = (bytes: Buffer): { bytes: Buffer } | { encodingProblem: string } => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { bytes: bytes.subarray(3) };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { bytes: Buffer.from(new TextDecoder('utf-16le').decode(bytes.subarray(2)), 'utf8') };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { bytes: Buffer.from(new TextDecoder('utf-16be').decode(bytes.subarray(2)), 'utf8') };
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) return { encodingProblem: 'UTF-16 without a byte order mark' };
  return { bytes };
};

/** A file that could not be read, and why (the loader words it: directoryLoader.unreadableProblem). */
export type FileProblem = Extract<ParsedFile, { ok: false }>;

const NOTHING_KEPT: ReadonlySet<string> = new Set();

/**
 * Whether a file's bytes are a whole, well-formed metadata file whose root is `rootElement`, as readAndParse checks
 * the permission files: its UTF-8 bytes, or the problem. Keeps nothing (for files another parser reads after).
 */
export const checkMetadataBytes = (relativePath: string, raw: Buffer, rootElement: string): { ok: true; bytes: Buffer } | FileProblem => {
  const decoded = utf8Bytes(raw);
  if ('encodingProblem' in decoded) return { ok: false, path: relativePath, problem: 'encoding', detail: decoded.encodingProblem };
  const scanned = scanMetadataXml(decoded.bytes, NOTHING_KEPT, { kept: NOTHING_KEPT });
  if (!scanned.ok) return { ok: false, path: relativePath, line: scanned.line, problem: scanned.problem, detail: scanned.detail };
  if (scanned.root !== rootElement) return { ok: false, path: relativePath, problem: 'wrongRoot', detail: scanned.root };
  return { ok: true, bytes: decoded.bytes };
};

export const parseMetadataXml = (file: MetadataFile, xml: string | Uint8Array, strings?: StringPool): ParsedFile => {
  const scanned = scanMetadataXml(xml, REPEATED, { kept: KEPT, convert: CONVERT, ...(strings ? { strings } : {}) });
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

/** One buffer the files are read into, grown to the largest file: parsed values are copied out of it. */
let readBuffer = Buffer.allocUnsafe(1 << 20);

/** The whole file in `readBuffer` (valid until the next read). */
const readWhole = (path: string): Buffer => {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (readBuffer.length < size + 1) readBuffer = Buffer.allocUnsafe(Math.max(size + 1, readBuffer.length * 2));
    let length = 0;
    for (;;) {
      // A file that grew since fstat: grow the buffer and read on.
      if (length === readBuffer.length) {
        const grown = Buffer.allocUnsafe(readBuffer.length * 2);
        readBuffer.copy(grown, 0, 0, length);
        readBuffer = grown;
      }
      const read = readSync(fd, readBuffer, length, readBuffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return readBuffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
};

/**
 * Reads and parses files in order, one at a time into one reused buffer: synchronous on purpose (for thousands of
 * small files, 2,000 concurrent promise-based reads were measured to cost more CPU — file handles, thread pool hops —
 * than the parsing itself), and memory stays one file's size whatever the number of files. `strings` keeps one copy
 * of each value across the files.
 */
export const parseMetadataFiles = (files: MetadataFile[], strings = new StringPool()): ParsedFile[] =>
  files.map((file) => readAndParse(file, strings));

/** One file from disk to a ParsedFile; a read or decoding failure is a problem of that file, not of the run. */
export const readAndParse = (file: MetadataFile, strings?: StringPool): ParsedFile => {
  let bytes: Buffer;
  try {
    bytes = readWhole(file.path);
  } catch (error) {
    return { ok: false, path: file.relativePath, problem: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const decoded = utf8Bytes(bytes);
  if ('encodingProblem' in decoded) return { ok: false, path: file.relativePath, problem: 'encoding', detail: decoded.encodingProblem };
  const result = parseMetadataXml(file, decoded.bytes, strings);
  return result.ok ? { ...result, bytes: bytes.length } : result;
};
