/**
 * A checking scanner for permission metadata documents (Profile, PermissionSet, PermissionSetGroup,
 * MutingPermissionSet): one pass over the text that checks well-formedness (every tag closed in order, one root,
 * nothing but blanks around it, comments, CDATA and processing instructions closed) and keeps only what the audit
 * reads — the root's direct children, as text or as a record of their own children's text.
 *
 * Why not a general XML parser: on a large org's retrieve (800 files, 110 MB; profiles of 2.7 MB listing every
 * field and layout) validating and then building a full object tree cost ~15 s of CPU; most of that tree (layout
 * assignments, tab and record type visibilities) is never read. This scanner does the same checks in one pass
 * with `indexOf` and allocates only what is kept. What it does not check (DTDs, attribute syntax beyond quoting,
 * entity names) a Metadata API file never uses; the Metadata API rejects such files anyway.
 */

/** Kept content: a child's text, a record of a child's children's text, or arrays of either for repeated names. */
export type ScanNode = Record<string, unknown>;

export type ScanResult =
  | { ok: true; root: string; node: ScanNode }
  | { ok: false; line: number; problem: 'malformedXml' | 'truncated'; detail: string };

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const decode = (text: string): string =>
  text.includes('&')
    ? text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
        if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
        if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
        return ENTITIES[entity] ?? whole;
      })
    : text;

const lineAt = (xml: string, offset: number): number => {
  let line = 1;
  for (let i = xml.indexOf('\n'); i !== -1 && i < offset; i = xml.indexOf('\n', i + 1)) line++;
  return line;
};

/** The offset of the `>` that ends a tag opened at `from`, skipping quoted attribute values; -1 when none. */
const tagEnd = (xml: string, from: number): number => {
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === 62) return i; // >
    if (c === 34 || c === 39) {
      // " or '
      const close = xml.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (c === 60) return -1; // < inside a tag
  }
  return -1;
};

const isBlank = (xml: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return true;
};

/**
 * Scans `xml`; names in `repeated` are kept as arrays. Depth 1 (the root's children) is kept as text, or as a
 * record when it has children; depth 2 as text; deeper content is checked and dropped.
 */
// One loop over the tags is the point of this module: its branches are the kinds of markup XML has.
// eslint-disable-next-line complexity
export const scanMetadataXml = (xml: string, repeated: ReadonlySet<string>): ScanResult => {
  const fail = (offset: number, detail: string): ScanResult => ({ ok: false, line: lineAt(xml, offset), problem: 'malformedXml', detail });
  const stack: string[] = [];
  let root: string | undefined;
  const node: ScanNode = {};
  let child: ScanNode | undefined; // record of the depth-1 element being read, once it has children
  let childHasElements = false;
  let contentStart = 0; // where the text of the current depth-1 or depth-2 element starts
  let i = 0;
  const keep = (name: string, value: unknown): void => {
    if (repeated.has(name)) {
      const list = node[name] as unknown[] | undefined;
      if (list) list.push(value);
      else node[name] = [value];
    } else node[name] = value;
  };
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      if (stack.length > 0) return { ok: false, line: lineAt(xml, xml.length), problem: 'truncated', detail: stack.map((n) => `<${n}>`).join(' ') };
      if (!isBlank(xml, i, xml.length)) return fail(i, 'text after the root element');
      break;
    }
    if (stack.length === 0 && !isBlank(xml, i, lt)) return fail(i, 'text outside the root element');
    const next = xml.charCodeAt(lt + 1);
    if (next === 63) {
      // <? … ?>
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) return fail(lt, 'unclosed processing instruction');
      i = end + 2;
      continue;
    }
    if (next === 33) {
      // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE >
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) return stack.length > 0 ? { ok: false, line: lineAt(xml, xml.length), problem: 'truncated', detail: stack.map((n) => `<${n}>`).join(' ') } : fail(lt, 'unclosed comment');
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        if (stack.length === 0) return fail(lt, 'CDATA outside the root element');
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) return { ok: false, line: lineAt(xml, xml.length), problem: 'truncated', detail: stack.map((n) => `<${n}>`).join(' ') };
        i = end + 3;
      } else {
        const end = tagEnd(xml, lt + 2);
        if (end === -1) return fail(lt, 'unclosed declaration');
        i = end + 1;
      }
      continue;
    }
    const end = tagEnd(xml, lt + 1);
    if (end === -1) {
      return !xml.includes('<', lt + 1)
        ? { ok: false, line: lineAt(xml, xml.length), problem: 'truncated', detail: stack.map((n) => `<${n}>`).join(' ') }
        : fail(lt, 'unclosed tag');
    }
    if (next === 47) {
      // </name>
      const name = xml.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (open !== name) return fail(lt, open === undefined ? `closing tag </${name}> without an opening tag` : `closing tag </${name}> where </${open}> was expected`);
      const depth = stack.length; // depth of the element just closed (root = 0)
      if (depth === 1) {
        keep(name, childHasElements ? child ?? {} : decode(xml.slice(contentStart, lt).trim()));
        child = undefined;
        childHasElements = false;
      } else if (depth === 2 && child) {
        child[name] = decode(xml.slice(contentStart, lt).trim());
      }
      i = end + 1;
      continue;
    }
    const selfClosing = xml.charCodeAt(end - 1) === 47;
    const body = xml.slice(lt + 1, selfClosing ? end - 1 : end);
    const space = body.search(/[\s]/);
    const name = space === -1 ? body : body.slice(0, space);
    if (!NAME.test(name)) return fail(lt, `invalid tag name "${name}"`);
    const depth = stack.length;
    if (depth === 0) {
      if (root !== undefined) return fail(lt, 'a second root element');
      root = name;
    } else if (depth === 1) {
      if (selfClosing) keep(name, '');
      else {
        child = undefined;
        childHasElements = false;
        contentStart = end + 1;
      }
    } else if (depth === 2) {
      if (!childHasElements) {
        childHasElements = true;
        child = {};
      }
      if (selfClosing) child![name] = '';
      else contentStart = end + 1;
    }
    if (!selfClosing) stack.push(name);
    i = end + 1;
  }
  if (root === undefined) return fail(0, 'no root element');
  return { ok: true, root, node };
};
