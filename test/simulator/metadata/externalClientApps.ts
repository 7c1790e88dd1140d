/*
 * External Client Apps in the simulated org: the four Metadata API types the plugin deploys, validated on deploy,
 * kept as their metadata (a real org exposes them through the Metadata API, not as queryable rows the plugin uses),
 * and answered by listMetadata / readMetadata.
 *
 * Sources: Metadata API Developer Guide pages meta_externalclientapplication, meta_extlclntappoauthsettings,
 * meta_extlclntappglobaloauthsettings, meta_extlclntappoauthconfigurablepolicies (fields, "Required." markers, the
 * enumerations of distributionState, ipRelaxationPolicyType and permittedUsersPolicyType, "This user must have the
 * API Only permission" on clientCredentialsFlowUser, "Permission set IDs in a comma-separated list" on
 * commaSeparatedPermissionSet). The problem texts are the simulator's own: no source gives the org's wording
 * (UNVERIFIED). Where the docs are silent the simulator chooses, and says so below.
 */
import type { OrgStore, Row } from '../store.js';
import type { Component } from './components.js';
import { findPermissionSet, ownedPermissionSet } from './orgAccess.js';
import { bool, text, type XmlNode } from './soap.js';

export const ECA_FOLDERS = {
  externalClientApps: { type: 'ExternalClientApplication', suffix: '.eca' },
  extlClntAppOauthSettings: { type: 'ExtlClntAppOauthSettings', suffix: '.ecaOauth' },
  extlClntAppGlobalOauthSets: { type: 'ExtlClntAppGlobalOauthSettings', suffix: '.ecaGlblOauth' },
  extlClntAppOauthPolicies: { type: 'ExtlClntAppOauthConfigurablePolicies', suffix: '.ecaOauthPlcy' },
} as const;

export type EcaType = (typeof ECA_FOLDERS)[keyof typeof ECA_FOLDERS]['type'];
export const ECA_TYPE_NAMES: readonly string[] = Object.values(ECA_FOLDERS).map((f) => f.type);
export const isEcaType = (type: string): type is EcaType => ECA_TYPE_NAMES.includes(type);

export type StoredEca = { type: EcaType; fullName: string; id: string; content: XmlNode; createdDate: string; lastModifiedDate: string };

/** The org's External Client App components, by `type:lower-case fullName`. */
const registry = new WeakMap<OrgStore, Map<string, StoredEca>>();
export const ecaComponents = (store: OrgStore): Map<string, StoredEca> => {
  let map = registry.get(store);
  if (!map) {
    map = new Map();
    registry.set(store, map);
  }
  return map;
};
const key = (type: string, fullName: string): string => `${type}:${fullName.toLowerCase()}`;
export const findEca = (store: OrgStore, type: EcaType, fullName: string): StoredEca | undefined => ecaComponents(store).get(key(type, fullName));

const DISTRIBUTION_STATES = ['Local', 'Packaged', 'Managed', 'AutoInstalled'];
const IP_RELAXATION = ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'];
const PERMITTED_USERS = ['AdminApprovedPreAuthorized', 'AllSelfAuthorized'];
/** Scope values seen in public ECA files (Api, RefreshToken, Web, OpenID) plus the ConnectedApp enumeration's (UNVERIFIED for ECAs). */
const SCOPES = ['Api', 'RefreshToken', 'Web', 'OpenID', 'Full', 'Basic', 'Chatter', 'CustomPermissions', 'Address', 'Email', 'Phone', 'Profile', 'OfflineAccess'];

/** True when the user holds API Only User through its profile or an assigned permission set. */
export function isApiOnlyUser(store: OrgStore, user: Row): boolean {
  if (ownedPermissionSet(store, user.ProfileId)?.PermissionsApiUserOnly === true) return true;
  return store
    .rows('PermissionSetAssignment')
    .filter((a) => a.AssigneeId === user.Id)
    .some((a) => store.get(String(a.PermissionSetId))?.row.PermissionsApiUserOnly === true);
}

const findUser = (store: OrgStore, username: string): Row | undefined => store.rows('User').find((u) => String(u.Username).toLowerCase() === username.toLowerCase());

/** Names of headers in the same deploy: a child may name an app deployed alongside it. */
export type EcaDeployNames = { headers: Set<string> };

function parentProblem(store: OrgStore, content: XmlNode, names: EcaDeployNames): string | undefined {
  const parent = text(content.externalClientApplication);
  // docs: externalClientApplication is "Required." on the three child types
  if (!parent) return 'Required field is missing: externalClientApplication';
  if (!names.headers.has(parent.toLowerCase()) && !findEca(store, 'ExternalClientApplication', parent)) {
    return `In field: externalClientApplication - no ExternalClientApplication named ${parent} found`;
  }
  return undefined;
}

function policiesProblem(store: OrgStore, content: XmlNode): string | undefined {
  const ip = text(content.ipRelaxationPolicyType);
  if (ip && !IP_RELAXATION.includes(ip)) return `'${ip}' is not a valid value for the enum 'IpRelaxationPolicyType'`;
  const permitted = text(content.permittedUsersPolicyType);
  if (permitted && !PERMITTED_USERS.includes(permitted)) return `'${permitted}' is not a valid value for the enum 'PermittedUsersPolicyType'`;
  const runAs = text(content.clientCredentialsFlowUser);
  if (runAs) {
    const user = findUser(store, runAs);
    // docs: "This user must have the API Only permission." Whether an inactive user is refused is UNVERIFIED (refused here).
    if (!user || user.IsActive === false) return `In field: clientCredentialsFlowUser - no active User named ${runAs} found`;
    if (!isApiOnlyUser(store, user)) return `The client credentials flow user ${runAs} must have the API Only permission`;
  }
  // docs silent on an unknown id; the simulator refuses it like any other reference to a missing component
  for (const id of text(content.commaSeparatedPermissionSet).split(',').map((s) => s.trim()).filter(Boolean)) {
    const row = store.get(id)?.row;
    if (!row || store.get(id)?.object !== 'PermissionSet') return `In field: commaSeparatedPermissionSet - no PermissionSet with Id ${id} found`;
  }
  return undefined;
}

export function validateEca(store: OrgStore, component: Component, names: EcaDeployNames): string | undefined {
  const { content } = component;
  switch (component.type) {
    case 'ExternalClientApplication': {
      // label: no "Required." marker in the docs; the Setup form requires a name, so the simulator does too (UNVERIFIED)
      if (!text(content.label)) return 'Required field is missing: label';
      const state = text(content.distributionState);
      if (state && !DISTRIBUTION_STATES.includes(state)) return `'${state}' is not a valid value for the enum 'ExtlClntAppDistState'`;
      return undefined;
    }
    case 'ExtlClntAppOauthSettings': {
      const unknown = text(content.commaSeparatedOauthScopes)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && !SCOPES.includes(s));
      return parentProblem(store, content, names) ?? (unknown.length > 0 ? `Invalid OAuth scope: ${unknown.join(', ')}` : undefined);
    }
    case 'ExtlClntAppGlobalOauthSettings': {
      const certificate = text(content.certificate);
      // docs: "the PEM-encoded certificate string"; the check on its form is the simulator's
      const badCertificate = certificate && !certificate.includes('-----BEGIN CERTIFICATE-----') ? 'In field: certificate - the certificate is not PEM-encoded' : undefined;
      return parentProblem(store, content, names) ?? badCertificate;
    }
    case 'ExtlClntAppOauthConfigurablePolicies':
      return parentProblem(store, content, names) ?? policiesProblem(store, content);
    default:
      return undefined;
  }
}

let sequence = 0;
const nextId = (type: EcaType): string => {
  sequence += 1;
  // Id prefixes of these types are not documented (UNVERIFIED): one fixed made-up prefix per type.
  const prefix = { ExternalClientApplication: '0xI', ExtlClntAppOauthSettings: '0xS', ExtlClntAppGlobalOauthSettings: '0xG', ExtlClntAppOauthConfigurablePolicies: '0xP' }[type];
  return `${prefix}${String(sequence).padStart(12, '0')}AAA`;
};

/** A deploy replaces the component's content (as for other whole-file types); undone with the deploy on rollback. */
export function applyEca(store: OrgStore, component: Component): { id: string; created: boolean; changed: boolean } {
  const type = component.type as EcaType;
  const map = ecaComponents(store);
  const previous = map.get(key(type, component.fullName));
  const now = new Date().toISOString();
  // A deploy never hands out a consumer secret; the org generates key and secret for the OAuth plugin (made-up values).
  const generated = type === 'ExtlClntAppGlobalOauthSettings' ? { consumerKey: previous?.content.consumerKey ?? `3MVG9sim${component.fullName}`, consumerSecret: previous?.content.consumerSecret ?? 'SIMULATED-SECRET-never-read' } : {};
  const content: XmlNode = { ...component.content, ...generated };
  const stored: StoredEca = {
    type,
    fullName: component.fullName,
    id: previous?.id ?? nextId(type),
    content,
    createdDate: previous?.createdDate ?? now,
    lastModifiedDate: now,
  };
  map.set(key(type, component.fullName), stored);
  store.onUndo(() => (previous ? map.set(key(type, component.fullName), previous) : map.delete(key(type, component.fullName))));
  const changed = JSON.stringify(previous?.content ?? null) !== JSON.stringify(content);
  return { id: stored.id, created: !previous, changed };
}

const FILE_SUFFIX: Record<EcaType, string> = Object.fromEntries(Object.entries(ECA_FOLDERS).map(([folder, f]) => [f.type, `${folder}/%s${f.suffix}`])) as Record<EcaType, string>;

export function listEca(store: OrgStore, type: EcaType): Array<{ fullName: string; fileName: string; row: Row }> {
  return [...ecaComponents(store).values()]
    .filter((c) => c.type === type)
    .map((c) => ({ fullName: c.fullName, fileName: FILE_SUFFIX[type].replace('%s', c.fullName), row: { Id: c.id, CreatedDate: c.createdDate, LastModifiedDate: c.lastModifiedDate } }));
}

/** readMetadata: the stored content (global settings include the consumer key and secret, as an org with secret access allows). */
export function readEca(store: OrgStore, type: EcaType, fullName: string): XmlNode {
  const found = findEca(store, type, fullName);
  return found ? { fullName: found.fullName, ...found.content } : {};
}

/** True when the component is stored with this boolean set (tests). */
export const ecaFlag = (store: OrgStore, type: EcaType, fullName: string, element: string): boolean => bool(findEca(store, type, fullName)?.content[element]);

export const ecaPermissionSetIds = (store: OrgStore, name: string): string | undefined => findPermissionSet(store, name)?.Id as string | undefined;
