/**
 * Metadata object → source-format XML: declaration, Metadata API namespace, 4-space indent, trailing newline, written
 * by the one XML writer (src/formats/xml.ts). Empty lists are left out (an empty element would be read back as an
 * entry).
 */
import { toXmlDocument } from '../formats/xml.js';
import type { MetadataTypeName } from './types.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

function withoutEmptyLists(value: Record<string, unknown>): Record<string, unknown> {
  // undefined: an optional element the component does not state
  return Object.fromEntries(Object.entries(value).filter(([, child]) => !(Array.isArray(child) && child.length === 0) && child !== undefined));
}

export function toMetadataXml(type: MetadataTypeName, metadata: object): string {
  return toXmlDocument(
    { [type]: { '@_xmlns': METADATA_NAMESPACE, ...withoutEmptyLists(metadata as Record<string, unknown>) } },
    { indent: '    ', selfClosing: false }
  );
}
