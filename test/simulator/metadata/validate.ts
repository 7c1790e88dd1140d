/*
 * Component validation as the org does it on deploy: unknown objects, fields, user permissions and Apex classes,
 * permission dependencies, FLS on required fields, profile licenses, group members. First problem wins.
 */
import { fieldSecurity } from '../schema.js';
import type { OrgStore } from '../store.js';
import type { Component } from './components.js';
import { apexClassByName, findLicense, findMuting, findPermissionSet, findProfile, findUserLicense } from './orgAccess.js';
import { bool, list, text, type XmlNode } from './soap.js';
import { validateEca } from './externalClientApps.js';

/** Names of the components in the same deploy (a group may name a set deployed alongside it). */
export type DeployNames = { permissionSets: Set<string>; mutingPermissionSets: Set<string>; headers: Set<string> };

const INTEGRATION_PROFILE = 'Minimum Access - API Only Integrations';

function objectProblems(store: OrgStore, content: XmlNode): string | undefined {
  for (const entry of list(content.objectPermissions)) {
    const node = entry as XmlNode;
    const objectName = text(node.object);
    const object = store.schema.object(objectName);
    if (!object) return `In field: object - no CustomObject named ${objectName} found`;
    const read = bool(node.allowRead);
    const create = bool(node.allowCreate);
    const edit = bool(node.allowEdit);
    const del = bool(node.allowDelete);
    const viewAll = bool(node.viewAllRecords);
    const modifyAll = bool(node.modifyAllRecords);
    const dependsOn = (permission: string, needs: string[]): string => `Permission ${permission} ${object.name} depends on permission(s): ${needs.map((n) => `${n} ${object.name}`).join(', ')}`;
    if ((create || edit || viewAll) && !read) return dependsOn(create ? 'Create' : edit ? 'Edit' : 'View All', ['Read']);
    if (del && !edit) return dependsOn('Delete', ['Read', 'Edit']);
    if (modifyAll && !(del && viewAll)) return dependsOn('Modify All', ['Read', 'Edit', 'Delete', 'View All']);
  }
  return undefined;
}

function fieldProblems(store: OrgStore, content: XmlNode): string | undefined {
  for (const entry of list(content.fieldPermissions)) {
    const node = entry as XmlNode;
    const qualified = text(node.field);
    const [objectName, fieldName, extra] = qualified.split('.');
    const field = fieldName && !extra ? store.schema.field(objectName, fieldName) : undefined;
    if (!field) return `In field: field - no CustomField named ${qualified} found`;
    // Text as quoted by Gearset's help ("You cannot deploy to a required field: <ObjectName.FieldName>"), Zuora CPQ's
    // FLS page and sfdx-hardis's deploy tips; it fails the whole component (and with rollbackOnError the deploy).
    const security = fieldSecurity(field);
    if (security.required) return `You cannot deploy to a required field: ${field.name === fieldName ? qualified : `${objectName}.${field.name}`}`;
    // UNVERIFIED: what a real org answers for field permissions on Id, owner or audit fields; modelled as a refusal.
    if (!security.permissionable) return `You cannot deploy field permissions to the field ${qualified}`;
    if (bool(node.editable) && node.readable !== undefined && !bool(node.readable)) return `Field permission ${qualified}: editable requires readable`;
  }
  return undefined;
}

/*
 * A name this org does not have fails the component, and with rollbackOnError the whole deploy: "Unknown user
 * permission: ManageHpi" (forcedotcom/cli#1529, a profile), "…: AllowUniversalSearch" (SFDO-Community/
 * declarative-lookup-rollup-summaries#58, a permission set; rsoesemann/visualforce-table-grid#4, a profile). The org's
 * names are its PermissionSet describe's Permissions* fields (help: platform.admin_userperms.htm, "the user permissions
 * available vary according to which edition you have"). Only the first unknown name is reported: the sources show one
 * name per failure line; whether a real org lists several in one component failure is UNVERIFIED.
 */
function userPermissionProblems(store: OrgStore, content: XmlNode): string | undefined {
  for (const entry of list(content.userPermissions)) {
    const name = text((entry as XmlNode).name);
    if (!store.schema.field('PermissionSet', `Permissions${name}`) || store.metadataUnknownUserPermissions.has(name.toLowerCase())) {
      return `Unknown user permission: ${name}`;
    }
  }
  return undefined;
}

function apexProblems(store: OrgStore, content: XmlNode): string | undefined {
  for (const entry of list(content.classAccesses)) {
    const name = text((entry as XmlNode).apexClass);
    if (!apexClassByName(store, name)) return `In field: apexClass - no ApexClass named ${name} found`;
  }
  return undefined;
}

function accessProblems(store: OrgStore, content: XmlNode): string | undefined {
  return userPermissionProblems(store, content) ?? objectProblems(store, content) ?? fieldProblems(store, content) ?? apexProblems(store, content);
}

function permissionSetProblems(store: OrgStore, component: Component): string | undefined {
  const { content } = component;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(component.fullName) || /__|_$/.test(component.fullName)) {
    return 'The name can only contain underscores and alphanumeric characters. It must begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';
  }
  if (text(content.label) === '') return 'Required field is missing: label';
  const license = text(content.license);
  if (license && !findLicense(store, license)) return `In field: license - no License named ${license} found`;
  return accessProblems(store, content);
}

function profileProblems(store: OrgStore, component: Component): string | undefined {
  const { content } = component;
  const existing = findProfile(store, component.fullName);
  const licenseName = text(content.userLicense);
  if (!existing) {
    if (!bool(content.custom)) return `Cannot create a new standard profile: ${component.fullName}. Set custom to true.`;
    if (!licenseName) return 'Required field is missing: userLicense';
  }
  if (licenseName && !findUserLicense(store, licenseName)) return `In field: userLicense - no UserLicense named ${licenseName} found`;
  if (existing && String(existing.Name) === INTEGRATION_PROFILE) {
    const apiOnly = list(content.userPermissions).find((p) => text((p as XmlNode).name) === 'ApiUserOnly');
    if (apiOnly && !bool((apiOnly as XmlNode).enabled)) return `You can't remove the API Only User permission from the ${INTEGRATION_PROFILE} profile.`;
  }
  for (const entry of list(content.loginIpRanges)) {
    const node = entry as XmlNode;
    const ip = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
    const start = text(node.startAddress);
    const end = text(node.endAddress);
    if (!ip.test(start) || !ip.test(end)) return `Invalid IP address range: ${start} - ${end}`;
    const value = (a: string): number => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    if (value(start) > value(end)) return `The start address ${start} is greater than the end address ${end}`;
  }
  return accessProblems(store, content);
}

function groupProblems(store: OrgStore, component: Component, names: DeployNames): string | undefined {
  const { content } = component;
  if (text(content.label) === '') return 'Required field is missing: label';
  const invalid = list(content.permissionSets)
    .map(text)
    .filter((name) => !names.permissionSets.has(name.toLowerCase()) && !findPermissionSet(store, name));
  if (invalid.length) return `Cannot create permission set group components since the following permission set names are invalid: ${invalid.join(', ')}`;
  const invalidMuting = list(content.mutingPermissionSets)
    .map(text)
    .filter((name) => !names.mutingPermissionSets.has(name.toLowerCase()) && !findMuting(store, name));
  if (invalidMuting.length) return `Cannot create permission set group components since the following muting permission set names are invalid: ${invalidMuting.join(', ')}`;
  return undefined;
}

export function validateComponent(store: OrgStore, component: Component, names: DeployNames): string | undefined {
  switch (component.type) {
    case 'PermissionSet':
      return permissionSetProblems(store, component);
    case 'Profile':
      return profileProblems(store, component);
    case 'PermissionSetGroup':
      return groupProblems(store, component, names);
    case 'MutingPermissionSet':
      return text(component.content.label) === '' ? 'Required field is missing: label' : accessProblems(store, component.content);
    default:
      return validateEca(store, component, names);
  }
}
