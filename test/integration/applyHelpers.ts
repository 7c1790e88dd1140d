/* Shared by the apply tests and benchmark: a test manifest over the demo org's objects, and store assertions. */
import type { DesiredState, Manifest, ManifestApp } from '../../src/manifest/types.js';
import { validateManifest } from '../../src/manifest/validate.js';
import type { OrgSimulator, Row } from '../simulator/index.js';

export const FAST_RETRY = { policy: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 } };

export const demoManifest = (apps: string[], extra: Partial<Manifest> = {}): Manifest => ({
  version: 1,
  defaults: { username: '{app}.int@apply-test.example', email: 'sf-admins@apply-test.example', timeZone: 'Europe/Paris', locale: 'fr_FR', language: 'en_US' },
  apps: apps.map((name, i): ManifestApp => ({
    name,
    label: `App ${name}`,
    description: `Test app ${name}`,
    permissionSet:
      i % 2 === 0
        ? { objects: { Account: ['read', 'edit'], Order: ['read', 'create', 'edit'] }, fields: { 'Account.Credit_Limit__c': 'edit', 'Order.External_Id__c': 'read' }, apexClasses: ['ErpOrderService'] }
        : { objects: { Lead: ['create', 'edit'], Contact: ['read'] }, fields: { 'Lead.LeadSource': 'edit' } },
  })),
  ...extra,
});

export const desiredOf = (manifest: Manifest): DesiredState => {
  const result = validateManifest(manifest, 'integration.json');
  if (!result.desired) throw new Error(JSON.stringify(result.problems));
  return result.desired;
};

export const rowsWhere = (sim: OrgSimulator, object: string, test: (row: Row) => boolean): Row[] => sim.store.rows(object).filter(test);
export const userRow = (sim: OrgSimulator, username: string): Row | undefined =>
  sim.store.rows('User').find((u) => String(u.Username).toLowerCase() === username.toLowerCase());
export const setRow = (sim: OrgSimulator, name: string): Row | undefined => sim.store.rows('PermissionSet').find((p) => p.Name === name);
export const assigned = (sim: OrgSimulator, username: string): string[] => {
  const user = userRow(sim, username);
  return rowsWhere(sim, 'PermissionSetAssignment', (a) => a.AssigneeId === user?.Id)
    .map((a) => String(sim.store.get(String(a.PermissionSetId))?.row.Name))
    .filter((name) => !name.startsWith('X'))
    .sort();
};
export const hasPsl = (sim: OrgSimulator, username: string): boolean => {
  const user = userRow(sim, username);
  const psl = sim.store.rows('PermissionSetLicense').find((p) => p.DeveloperName === 'SalesforceAPIIntegrationPsl');
  return rowsWhere(sim, 'PermissionSetLicenseAssign', (a) => a.AssigneeId === user?.Id && a.PermissionSetLicenseId === psl?.Id).length === 1;
};
/** Metadata API calls that only read (SOAP is always POST). */
const SOAP_READS = new Set(['readMetadata', 'listMetadata', 'describeMetadata', 'checkDeployStatus']);
/** Requests that can change the org: every non-GET except SOAP reads. */
export const writeRequests = (sim: OrgSimulator): number => sim.requests.filter((r) => r.method !== 'GET' && !(r.soapCall && SOAP_READS.has(r.soapCall))).length;
export const licenseOf = (sim: OrgSimulator, name: string): Row => sim.store.rows('UserLicense').find((l) => l.Name === name)!;

