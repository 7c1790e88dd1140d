/**
 * Metadata object → source-format XML: declaration, Metadata API namespace, 4-space indent, trailing newline.
 * fast-xml-parser's XMLBuilder escapes < & > " ' in text; empty lists are left out (an empty element would be
 * read back as an entry).
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { MetadataTypeName } from './types.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const builder = new XMLBuilder({
  format: true,
  indentBy: '    ',
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
});

function withoutEmptyLists(value: Record<string, unknown>): Record<string, unknown> {
  // undefined: an optional element the component does not state
  return Object.fromEntries(Object.entries(value).filter(([, child]) => !(Array.isArray(child) && child.length === 0) && child !== undefined));
}

export function toMetadataXml(type: MetadataTypeName, metadata: object): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [type]: { '@_xmlns': METADATA_NAMESPACE, ...withoutEmptyLists(metadata as Record<string, unknown>) },
  };
  return `${builder.build(document).trimEnd()}\n`;
}
