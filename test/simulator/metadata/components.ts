/*
 * Reads a deploy zip in metadata format: package.xml at the root or under one folder, component files under
 * their type folders. Only the access types are understood; anything else becomes a visible component failure.
 */
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import { list, text, type XmlNode } from './soap.js';
import { ECA_FOLDERS, type EcaType } from './externalClientApps.js';

export type AccessType = 'Profile' | 'PermissionSet' | 'PermissionSetGroup' | 'MutingPermissionSet' | EcaType;

export type Component = {
  type: AccessType;
  fullName: string;
  /** Path inside the zip, as the org reports it back. */
  fileName: string;
  content: XmlNode;
};

/** A problem found while reading the zip, reported as a component failure. */
export type ReadProblem = { componentType: string; fullName: string; fileName: string; problem: string };

export type DeployPackage = { prefix: string; components: Component[]; problems: ReadProblem[] };

const FOLDERS: Record<string, { type: AccessType; suffix: string }> = {
  profiles: { type: 'Profile', suffix: '.profile' },
  permissionsets: { type: 'PermissionSet', suffix: '.permissionset' },
  permissionsetgroups: { type: 'PermissionSetGroup', suffix: '.permissionsetgroup' },
  mutingpermissionsets: { type: 'MutingPermissionSet', suffix: '.mutingpermissionset' },
  ...ECA_FOLDERS,
};

/** Elements that repeat in access metadata (always parsed as arrays). */
const REPEATED = new Set([
  'applicationVisibilities', 'classAccesses', 'customMetadataTypeAccesses', 'customPermissions', 'customSettingAccesses',
  'externalDataSourceAccesses', 'fieldPermissions', 'flowAccesses', 'layoutAssignments', 'loginIpRanges', 'objectPermissions',
  'pageAccesses', 'recordTypeVisibilities', 'tabSettings', 'tabVisibilities', 'userPermissions', 'permissionSets',
  'mutingPermissionSets', 'types', 'members', 'categoryGroupVisibilities', 'profileActionOverrides',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name): boolean => REPEATED.has(name),
});

export function parseMetadataXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

function decodeName(base: string): string {
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

const DESTRUCTIVE = new Set(['destructiveChanges.xml', 'destructiveChangesPre.xml', 'destructiveChangesPost.xml']);

/** One zip entry as a component, or the problem that keeps it from being one; undefined for files to skip. */
async function readEntry(file: JSZip.JSZipObject, prefix: string): Promise<Component | ReadProblem | undefined> {
  if (!file.name.startsWith(prefix) || file.name.endsWith('-meta.xml')) return undefined;
  const relative = file.name.slice(prefix.length);
  if (DESTRUCTIVE.has(relative)) return undefined;
  const [folder, ...rest] = relative.split('/');
  const kind = FOLDERS[folder];
  const base = rest.join('/');
  if (!kind || rest.length !== 1 || !base.endsWith(kind.suffix)) {
    return { componentType: '', fullName: relative, fileName: file.name, problem: `The org simulator does not support deploying ${relative}` };
  }
  const fullName = decodeName(base.slice(0, -kind.suffix.length));
  try {
    const root = parseMetadataXml(await file.async('string'))[kind.type];
    if (root === undefined) throw new Error(`Expected root element ${kind.type}`);
    const content: XmlNode = root && typeof root === 'object' && !Array.isArray(root) ? root : {};
    return { type: kind.type, fullName, fileName: file.name, content };
  } catch (error) {
    return { componentType: kind.type, fullName, fileName: file.name, problem: `Error parsing file: ${(error as Error).message}` };
  }
}

export async function readDeployZip(zipBase64: string): Promise<DeployPackage> {
  const zip = await JSZip.loadAsync(zipBase64, { base64: true });
  const files = Object.values(zip.files).filter((f) => !f.dir);
  const packageFile = files.find((f) => /^(?:[^/]+\/)?package\.xml$/.test(f.name));
  if (!packageFile) throw new Error('No package.xml found');
  const prefix = packageFile.name.slice(0, packageFile.name.length - 'package.xml'.length);

  const components: Component[] = [];
  const problems: ReadProblem[] = [];
  const entries = await Promise.all(files.filter((f) => f !== packageFile).map((f) => readEntry(f, prefix)));
  for (const entry of entries) {
    if (entry && 'problem' in entry) problems.push(entry);
    else if (entry) components.push(entry);
  }

  // every member named in package.xml must be in the zip
  const manifest = parseMetadataXml(await packageFile.async('string')).Package as XmlNode | undefined;
  for (const entry of list(manifest?.types)) {
    const node = entry as XmlNode;
    const typeName = text(node.name);
    for (const member of list(node.members).map(text)) {
      if (member === '*' || !Object.values(FOLDERS).some((f) => f.type === typeName)) continue;
      if (!components.some((c) => c.type === typeName && c.fullName === member) && !problems.some((p) => p.componentType === typeName && p.fullName === member)) {
        problems.push({
          componentType: typeName,
          fullName: member,
          fileName: packageFile.name,
          problem: `An object '${member}' of type ${typeName} was named in package.xml, but was not found in zipped directory`,
        });
      }
    }
  }
  return { prefix, components, problems };
}
