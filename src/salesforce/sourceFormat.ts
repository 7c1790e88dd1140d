/**
 * Source format as source-deploy-retrieve defines it: which metadata types this plugin writes, and the path of a
 * component's file (`profiles/<name>.profile-meta.xml`) from SDR's registry. Layer 1 (docs/architecture.md): the
 * file writer of `generate` and the in-memory deploy of `apply` both take paths from here.
 */
import type { RegistryAccess } from '@salesforce/source-deploy-retrieve';

export type MetadataTypeName =
  | 'Profile'
  | 'PermissionSet'
  | 'ExternalClientApplication'
  | 'ExtlClntAppOauthSettings'
  | 'ExtlClntAppGlobalOauthSettings'
  | 'ExtlClntAppOauthConfigurablePolicies';

/** One generated component: its type, API name and file content, before any file is touched. */
export type GeneratedComponent = {
  type: MetadataTypeName;
  fullName: string;
  xml: string;
};

/** SDR's META_XML_SUFFIX (not exported by its index): source-format files are `<name>.<suffix>-meta.xml`. */
const META_XML_SUFFIX = '-meta.xml';

/** A component name that may reach a file path: no separators, no `..`, no control characters. */
export function isSafeFileName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return name.length > 0 && name.length <= 200 && !/[/\\\u0000-\u001f\u007f]/.test(name) && name !== '.' && !name.includes('..') && name.trim() === name;
}

/** `profiles/Integration API Only.profile-meta.xml` from the registry's directoryName and suffix. */
export function sourceFilePath(registry: RegistryAccess, type: MetadataTypeName, fullName: string): string {
  const metadataType = registry.getTypeByName(type);
  return `${metadataType.directoryName}/${fullName}.${metadataType.suffix as string}${META_XML_SUFFIX}`;
}

/**
 * The namespace prefix of a component's API name (`ns__Name` → `ns`), or undefined. Salesforce refers to a managed
 * package's component as `namespacePrefix__componentName` (Object Reference, NamespacePrefix fields) and a developer
 * name may not contain two consecutive underscores, so the first `__` of a permission set, group or muting set name
 * ends its namespace. Not for profiles, whose names are free text, nor for custom object or field names (`__c`).
 */
export function namespaceOf(fullName: string): string | undefined {
  const at = fullName.indexOf('__');
  return at > 0 ? fullName.slice(0, at) : undefined;
}
