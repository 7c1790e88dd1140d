/**
 * The one XML writer: fast-xml-parser's XMLBuilder. It escapes < & > " ' in text and attribute values; every value
 * first loses the characters XML 1.0 cannot carry at all (control characters but tab, line feed and carriage
 * return; U+FFFE, U+FFFF; unpaired surrogates), so no value makes a document unreadable. An object names
 * attributes `@_name` and an element's text `#text`; a list repeats its element.
 */
import { XMLBuilder } from 'fast-xml-parser';

// eslint-disable-next-line no-control-regex -- the control characters XML 1.0 forbids, by design
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The value without the characters XML 1.0 cannot carry (escaping is the writer's). */
export const xmlChars = (value: string): string => value.replace(NOT_XML_CHAR, '');

export type XmlStyle = {
  /** One level of indentation. */
  indent: string;
  /** `<a/>` for an element without content; `<a></a>` when false. */
  selfClosing: boolean;
};

const builders = new Map<string, XMLBuilder>();

const builderFor = (style: XmlStyle): XMLBuilder => {
  const key = JSON.stringify(style);
  let builder = builders.get(key);
  if (!builder) {
    builder = new XMLBuilder({
      format: true,
      indentBy: style.indent,
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      suppressEmptyNode: style.selfClosing,
      processEntities: true,
      tagValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? xmlChars(value) : value),
      attributeValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? xmlChars(value) : value),
    });
    builders.set(key, builder);
  }
  return builder;
};

/** `<?xml version="1.0" encoding="UTF-8"?>`, the document's root element, a trailing newline. */
export const toXmlDocument = (root: Record<string, unknown>, style: XmlStyle): string =>
  `${builderFor(style).build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, ...root }).trimEnd()}\n`;
