/**
 * A checking scanner for permission metadata documents (Profile, PermissionSet, PermissionSetGroup,
 * MutingPermissionSet): one pass over the file's bytes that checks well-formedness (every tag closed in order, one
 * root, nothing but blanks around it, comments, CDATA and processing instructions closed) and keeps only what the
 * audit reads — the root's direct children named in `kept`, as text or as a record of their own children's text.
 *
 * Why not a general XML parser: on a large org's retrieve (800 files, 123 MB; profiles of 2.7 MB listing every
 * field, layout and class) validating and then building a full object tree cost ~15 s of CPU; most of that tree
 * (layout assignments, tab and record type visibilities) is never read. This scanner works on the bytes as read
 * (no string of the whole file), compares tag names byte by byte (no string per tag), and allocates only the kept
 * values, each a fresh short string (a slice of a file-sized string would keep the whole file alive). What it does
 * not check (DTDs, attribute syntax beyond quoting, entity names) a Metadata API file never uses; the Metadata API
 * rejects such files anyway.
 */

/** Kept content: a child's text, a record of a child's children's text, or arrays of either for repeated names. */
export type ScanNode = Record<string, unknown>;

export type ScanResult =
  | { ok: true; root: string; node: ScanNode }
  | { ok: false; line: number; problem: 'malformedXml' | 'truncated'; detail: string };

export type ScanOptions = {
  /** Names of the root's children to keep (default: all). The others are checked and dropped. */
  kept?: ReadonlySet<string>;
  /**
   * Per kept name: turns each value (a record, or text) into what the caller keeps, when its element closes, so the
   * scanner's record of a repeated element (20,000 field permissions in one profile) is short-lived.
   */
  convert?: Readonly<Record<string, (value: ScanNode | string) => unknown>>;
  /** One copy of each kept value across files (the same field names recur in every profile of an org). */
  strings?: StringPool;
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const decode = (text: string): string =>
  text.includes('&')
    ? text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
        if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
        if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
        return ENTITIES[entity] ?? whole;
      })
    : text;

const LF = 10;
const LT = 60;
const GT = 62;
const SLASH = 47;
const QUESTION = 63;
const BANG = 33;
const DQUOTE = 34;
const SQUOTE = 39;
const DASH = 45;
const AMP = 38;
const RBRACKET = 93;

/** XML's blanks: space, LF, CR, tab. */
const isBlankByte = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
/** What `String.prototype.trim` and `\s` take as space among ASCII bytes (adds vertical tab and form feed). */
const isSpaceByte = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameByte = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 58) || c === 45 || c === 46; // 0-9 : - .

const lineAt = (buf: Uint8Array, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < buf.length; i++) if (buf[i] === LF) line++;
  return line;
};

/** The offset of the `>` that ends a tag opened at `from`, skipping quoted attribute values; -1 when none. */
const tagEnd = (buf: Uint8Array, from: number): number => {
  const n = buf.length;
  for (let i = from; i < n; i++) {
    const c = buf[i];
    if (c === GT) return i;
    if (c === DQUOTE || c === SQUOTE) {
      let close = i + 1;
      while (close < n && buf[close] !== c) close++;
      if (close === n) return -1;
      i = close;
    } else if (c === LT) return -1; // < inside a tag
  }
  return -1;
};

/** The offset of `a b c` (three bytes) at or after `from`, or -1. */
const find3 = (buf: Uint8Array, from: number, a: number, b: number, c: number): number => {
  for (let i = from; i + 2 < buf.length; i++) if (buf[i] === a && buf[i + 1] === b && buf[i + 2] === c) return i;
  return -1;
};

const startsWith = (buf: Uint8Array, at: number, text: string): boolean => {
  if (at + text.length > buf.length) return false;
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false;
  return true;
};

const sameBytes = (buf: Uint8Array, aStart: number, bStart: number, length: number): boolean => {
  for (let k = 0; k < length; k++) if (buf[aStart + k] !== buf[bStart + k]) return false;
  return true;
};

/**
 * Strings by a hash of their bytes, direct-mapped (a slot holds the last string hashed to it): a string met again
 * is found without making a new one. Only plain ASCII goes in, so a string's characters are its bytes; every hit is
 * compared byte by byte, so a collision only costs a fresh string.
 */
export class StringPool {
  private readonly hashes: Int32Array;
  private readonly strings: Array<string | undefined>;
  private readonly mask: number;

  public constructor(bits = 16) {
    this.hashes = new Int32Array(1 << bits);
    this.strings = new Array<string | undefined>(1 << bits).fill(undefined);
    this.mask = (1 << bits) - 1;
  }

  /** The string of the ASCII bytes `buf[start..end)` whose hash is `hash`. */
  public get(buf: Buffer, start: number, end: number, hash: number): string {
    const slot = (hash ^ (hash >>> 15)) & this.mask;
    const known = this.strings[slot];
    if (known !== undefined && this.hashes[slot] === hash && known.length === end - start) {
      let same = true;
      for (let k = 0; k < known.length && same; k++) same = known.charCodeAt(k) === buf[start + k];
      if (same) return known;
    }
    const text = buf.toString('latin1', start, end);
    this.hashes[slot] = hash;
    this.strings[slot] = text;
    return text;
  }
}

/** Tag names (checked ASCII), one copy each. */
const NAMES = new StringPool(12);

const nameAt = (buf: Buffer, start: number, end: number): string => {
  let hash = end - start;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + buf[i]) | 0;
  return NAMES.get(buf, start, end, hash);
};

/** `true` or `false` when those are the bytes at `start` (most values of a permission file), else undefined. */
const booleanAt = (buf: Buffer, start: number, length: number): string | undefined => {
  if (length === 4 && buf[start] === 116 && buf[start + 1] === 114 && buf[start + 2] === 117 && buf[start + 3] === 101) return 'true';
  if (length === 5 && buf[start] === 102 && buf[start + 1] === 97 && buf[start + 2] === 108 && buf[start + 3] === 115 && buf[start + 4] === 101) {
    return 'false';
  }
  return undefined;
};

/** The pooled string of `buf[start..end)` when it is plain ASCII without entities (bytes = characters), else undefined. */
const pooledAt = (buf: Buffer, start: number, end: number, pool: StringPool): string | undefined => {
  let hash = end - start;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c >= 128 || c === AMP) return undefined;
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  return pool.get(buf, start, end, hash);
};

/** Text between two offsets as a kept value: trimmed, entities decoded, `true`/`false` without allocating. */
const valueAt = (buf: Buffer, from: number, to: number, pool: StringPool | undefined): string => {
  let start = from;
  let end = to;
  while (start < end && isSpaceByte(buf[start])) start++;
  while (end > start && isSpaceByte(buf[end - 1])) end--;
  if (start === end) return '';
  const value = booleanAt(buf, start, end - start) ?? (pool ? pooledAt(buf, start, end, pool) : undefined);
  // trim() again: Unicode spaces (no-break space …) around the text, as String.prototype.trim takes them.
  return value ?? decode(buf.toString('utf8', start, end).trim());
};

const asBuffer = (input: string | Uint8Array): Buffer =>
  typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);

/**
 * Scans `input` (UTF-8 bytes, or a string); names in `repeated` are kept as arrays. Depth 1 (the root's children)
 * is kept as text, or as a record when it has children; depth 2 as text; deeper content is checked and dropped.
 * Lines in problems count from 1 at the start of `input`.
 */
// One loop over the tags is the point of this module: its branches are the kinds of markup XML has.
// eslint-disable-next-line complexity
export const scanMetadataXml = (input: string | Uint8Array, repeated: ReadonlySet<string>, options: ScanOptions = {}): ScanResult => {
  const buf = asBuffer(input);
  const n = buf.length;
  const { kept, strings, convert } = options;
  // Open elements: start offset and length of each name, so a closing tag is compared byte by byte.
  let starts = new Int32Array(64);
  let lengths = new Int32Array(64);
  let depth = 0;
  const openName = (level: number): string => buf.toString('latin1', starts[level], starts[level] + lengths[level]);
  const openNames = (): string => Array.from({ length: depth }, (_, level) => `<${openName(level)}>`).join(' ');
  const fail = (offset: number, detail: string): ScanResult => ({ ok: false, line: lineAt(buf, offset), problem: 'malformedXml', detail });
  const truncated = (): ScanResult => ({ ok: false, line: lineAt(buf, n), problem: 'truncated', detail: openNames() });

  let root: string | undefined;
  const node: ScanNode = {};
  let childName = ''; // the depth-1 element being read
  let keeping = false; // whether it is kept
  let child: ScanNode | undefined; // its record, once it has children
  let contentStart = 0; // where the text of the current depth-1 or depth-2 element starts
  const keep = (name: string, raw: ScanNode | string): void => {
    const converter = convert?.[name];
    const value = converter ? converter(raw) : raw;
    if (repeated.has(name)) {
      const list = node[name] as unknown[] | undefined;
      if (list) list.push(value);
      else node[name] = [value];
    } else node[name] = value;
  };
  let i = 0;
  for (;;) {
    let lt = i;
    if (depth === 0) {
      while (lt < n && buf[lt] !== LT) {
        // Text followed by more markup is "outside"; text that ends the file is "after" the root.
        if (!isBlankByte(buf[lt])) return fail(i, buf.indexOf(LT, lt) === -1 ? 'text after the root element' : 'text outside the root element');
        lt++;
      }
    } else {
      lt = buf.indexOf(LT, i); // memchr: faster than a loop over the indentation and the text
      if (lt === -1) lt = n;
    }
    if (lt >= n) {
      if (depth > 0) return truncated();
      break;
    }
    const next = buf[lt + 1];
    if (next === QUESTION) {
      // <? … ?>
      let end = lt + 2;
      while (end + 1 < n && !(buf[end] === QUESTION && buf[end + 1] === GT)) end++;
      if (end + 1 >= n) return fail(lt, 'unclosed processing instruction');
      i = end + 2;
      continue;
    }
    if (next === BANG) {
      // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE >
      if (startsWith(buf, lt, '<!--')) {
        const end = find3(buf, lt + 4, DASH, DASH, GT);
        if (end === -1) return depth > 0 ? truncated() : fail(lt, 'unclosed comment');
        i = end + 3;
      } else if (startsWith(buf, lt, '<![CDATA[')) {
        if (depth === 0) return fail(lt, 'CDATA outside the root element');
        const end = find3(buf, lt + 9, RBRACKET, RBRACKET, GT);
        if (end === -1) return truncated();
        i = end + 3;
      } else {
        const end = tagEnd(buf, lt + 2);
        if (end === -1) return fail(lt, 'unclosed declaration');
        i = end + 1;
      }
      continue;
    }
    const end = tagEnd(buf, lt + 1);
    if (end === -1) return buf.indexOf(LT, lt + 1) === -1 ? truncated() : fail(lt, 'unclosed tag');
    if (next === SLASH) {
      // </name>, spaces around the name tolerated
      let nameStart = lt + 2;
      let nameEnd = end;
      while (nameStart < nameEnd && isSpaceByte(buf[nameStart])) nameStart++;
      while (nameEnd > nameStart && isSpaceByte(buf[nameEnd - 1])) nameEnd--;
      const length = nameEnd - nameStart;
      if (depth === 0) return fail(lt, `closing tag </${buf.toString('utf8', nameStart, nameEnd)}> without an opening tag`);
      depth--;
      if (lengths[depth] !== length || !sameBytes(buf, starts[depth], nameStart, length)) {
        return fail(lt, `closing tag </${buf.toString('utf8', nameStart, nameEnd)}> where </${openName(depth)}> was expected`);
      }
      // depth is now the depth of the element just closed (root = 0)
      if (depth === 1) {
        if (keeping) keep(childName, child ?? valueAt(buf, contentStart, lt, strings));
        child = undefined;
      } else if (depth === 2 && child) {
        child[nameAt(buf, nameStart, nameEnd)] = valueAt(buf, contentStart, lt, strings);
      }
      i = end + 1;
      continue;
    }
    const selfClosing = buf[end - 1] === SLASH;
    const bodyEnd = selfClosing ? end - 1 : end;
    let nameEnd = lt + 1;
    while (nameEnd < bodyEnd && !isSpaceByte(buf[nameEnd])) nameEnd++;
    let valid = nameEnd > lt + 1 && isNameStart(buf[lt + 1]);
    for (let k = lt + 2; valid && k < nameEnd; k++) valid = isNameByte(buf[k]);
    if (!valid) return fail(lt, `invalid tag name "${buf.toString('utf8', lt + 1, nameEnd)}"`);
    if (depth === 0) {
      if (root !== undefined) return fail(lt, 'a second root element');
      root = buf.toString('latin1', lt + 1, nameEnd);
    } else if (depth === 1) {
      childName = nameAt(buf, lt + 1, nameEnd);
      keeping = kept === undefined || kept.has(childName);
      child = undefined;
      if (selfClosing) {
        if (keeping) keep(childName, '');
      } else contentStart = end + 1;
    } else if (depth === 2 && keeping) {
      child ??= {};
      if (selfClosing) child[nameAt(buf, lt + 1, nameEnd)] = '';
      else contentStart = end + 1;
    }
    if (!selfClosing) {
      if (depth === starts.length) {
        const grownStarts = new Int32Array(depth * 2);
        const grownLengths = new Int32Array(depth * 2);
        grownStarts.set(starts);
        grownLengths.set(lengths);
        starts = grownStarts;
        lengths = grownLengths;
      }
      starts[depth] = lt + 1;
      lengths[depth] = nameEnd - lt - 1;
      depth++;
    }
    i = end + 1;
  }
  if (root === undefined) return fail(0, 'no root element');
  return { ok: true, root, node };
};
