/**
 * The AccessModel: everything the audit rules, `user list` and the apply planner know about who can do what.
 * Built by two loaders (org over SOQL, metadata directory over XML); pure data, no behaviour.
 *
 * Conventions:
 * System permission names are the Metadata API names without the `Permissions` prefix of the
 * sObject field (`ApiEnabled`, `ApiUserOnly`, `ModifyAllData`), so org and files share one vocabulary.
 * Ids are org Ids when loaded from an org; when loaded from files they are stable synthetic keys
 * (`file:<relative path>`), and `filePath` says where the component lives.
 */
import type { OAuthClient } from '../org/externalClientApps.js';
import type { LoginIpRange } from '../org/profileMetadata.js';
import type { EvidenceFact, EvidenceModel } from './evidenceTypes.js';

export type SourceKind = 'org' | 'directory';

/** Object (CRUD) access held by one permission source for one sObject. */
export type ObjectAccess = {
  object: string;
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
  viewAllFields?: boolean;
};

/** Field-level security for one `Object.Field`. */
export type FieldAccess = {
  field: string;
  read: boolean;
  edit: boolean;
};

/** Apex class, Visualforce page, connected app, custom permission … access (SetupEntityAccess / classAccesses). */
export type SetupEntityGrant = {
  type: string; // ApexClass | ApexPage | ConnectedApplication | CustomPermission | TabSet | …
  name: string;
};

export type { LoginIpRange } from '../org/profileMetadata.js';

/**
 * One holder of permissions: a profile (through its profile-owned permission set), a permission set,
 * the aggregate of a permission set group, or a muting permission set.
 */
export type PermissionHolderKind = 'profile' | 'permissionSet' | 'permissionSetGroup' | 'mutingPermissionSet';

export type PermissionHolder = {
  id: string;
  kind: PermissionHolderKind;
  /** API name (profile: its Name, e.g. "System Administrator"). */
  name: string;
  label: string;
  description?: string;
  /** Namespace prefix of a managed set, if any. */
  namespace?: string;
  isCustom: boolean;
  /** User license (profiles) or license/PSL label a permission set is tied to. */
  license?: string;
  /** Enabled system permissions (names without the `Permissions` prefix). Disabled ones are absent. */
  systemPermissions: string[];
  /**
   * Set (true) when `systemPermissions` was checked only for a subset of the org's permissions (the org loader reads
   * every permission only for holders that integration users hold, the audit's own list for the others).
   */
  partialSystemPermissions?: boolean;
  objectPermissions: ObjectAccess[];
  fieldPermissions: FieldAccess[];
  setupEntityAccess: SetupEntityGrant[];
  /** Set only when loaded from a metadata directory: path relative to the audited directory. */
  filePath?: string;
};

export type Profile = PermissionHolder & {
  kind: 'profile';
  /** Org Id of the Profile record (the holder id is the profile-owned PermissionSet's id when loaded from an org). */
  profileId: string;
  userLicense?: string;
  /** undefined = not known (not loadable from the org's API); [] = known to be none. */
  loginIpRanges?: LoginIpRange[];
};

export type PermissionSetGroup = PermissionHolder & {
  kind: 'permissionSetGroup';
  /** Ids of member permission sets. */
  permissionSetIds: string[];
  /** Id of the group's muting permission set, if any. */
  mutingPermissionSetId?: string;
  status?: string;
};

export type UserLicense = {
  id: string;
  name: string;
  licenseDefinitionKey?: string;
  total: number;
  used: number;
  status?: string;
};

export type PermissionSetLicense = {
  id: string;
  developerName: string;
  label: string;
  total: number;
  used: number;
  status?: string;
};

export type User = {
  id: string;
  username: string;
  name: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  isActive: boolean;
  userType?: string;
  profileId: string;
  /** Name of the user's user license (via the profile). */
  userLicense?: string;
  lastLoginDate?: string;
  createdDate?: string;
  timeZoneSidKey?: string;
  localeSidKey?: string;
  languageLocaleKey?: string;
  emailEncodingKey?: string;
  alias?: string;
  description?: string;
  /**
   * Frozen (UserLogin.IsFrozen): active but unable to log in, "their account isn't deactivated" (object reference,
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm);
   * an admin froze it (Setup, Users, Freeze) or selective sandbox access did. `userLoginId` is the UserLogin row to
   * update. Absent = not frozen when the model's availableFacts has 'frozenUsers'; unknown otherwise.
   */
  frozen?: { userLoginId: string };
};

/** A PermissionSetAssignment row: either a permission set or (when permissionSetGroupId is set) a group. */
export type Assignment = {
  id?: string;
  userId: string;
  permissionSetId?: string;
  permissionSetGroupId?: string;
};

export type PermissionSetLicenseAssignment = {
  id?: string;
  userId: string;
  permissionSetLicenseId: string;
};

export type OrgFacts = {
  id?: string;
  name?: string;
  isSandbox?: boolean;
  /**
   * A scratch org: Organization.IsSandbox true with a TrialExpirationDate (the test @salesforce/core's Org uses,
   * lib/org/org.js Fields.IS_SCRATCH). Built from a definition file, not copied from production, so its usernames
   * carry no sandbox suffix.
   */
  isScratch?: boolean;
  instanceName?: string;
  organizationType?: string;
  /** My Domain host, when known (sandbox name detection). */
  instanceUrl?: string;
  /** The username the connection runs as, when it is one (not an access token): names a sandbox (src/salesforce/sandbox.ts). */
  runningUsername?: string;
};

/** A fact the loader could not obtain, and why; rules that need it report "not evaluated". */
export type UnavailableFact = {
  fact: Fact;
  reason: string;
};

/**
 * Facts a rule may need. A directory gives only holders; an org gives all it can read. `loginHistory` is
 * User.LastLoginDate; the evidence facts (`oauthTokens`, `loginEvents`, `apiUsage`) come from src/evidence.
 */
export type Fact =
  | 'users'
  | 'assignments'
  | 'licenses'
  | 'permissionSetLicenses'
  | 'loginHistory'
  | 'loginIpRanges'
  | 'setupEntityAccess'
  | 'orgFacts'
  /** OAuth clients (External Client Apps and Connected Apps) with their policies. */
  | 'oauthClients'
  /** Which users are frozen (UserLogin.IsFrozen; reading UserLogin needs "Manage Users"). */
  | 'frozenUsers'
  /**
   * Profiles, permission sets (groups) and muting permission sets. Always read from an org; unavailable only in a
   * directory that holds OAuth client files but none of these (a repository of OAuth clients).
   */
  | 'permissionHolders'
  | EvidenceFact;

export type { OAuthClient } from '../org/externalClientApps.js';

export type AccessModel = {
  source: SourceKind;
  /** Org id / username or the audited directory. */
  origin: string;
  org: OrgFacts;
  profiles: Profile[];
  permissionSets: PermissionHolder[];
  permissionSetGroups: PermissionSetGroup[];
  mutingPermissionSets: PermissionHolder[];
  users: User[];
  assignments: Assignment[];
  userLicenses: UserLicense[];
  permissionSetLicenses: PermissionSetLicense[];
  permissionSetLicenseAssignments: PermissionSetLicenseAssignment[];
  /** System permission names this org/edition knows (from describe), when loaded from an org. */
  knownSystemPermissions?: string[];
  /** OAuth clients (External Client Apps, Connected Apps), when read. */
  oauthClients?: OAuthClient[];
  /** Evidence of use of the integration users over a window of days (org loads with evidence only). */
  evidence?: EvidenceModel;
  /** Facts the loader could read. A rule needing a fact not listed here is "not evaluated". */
  availableFacts: Fact[];
  unavailableFacts: UnavailableFact[];
  /** Problems met while loading (a malformed file, …) that did not stop the load. */
  loadProblems: LoadProblem[];
  /** Directory loads: how many files were found, read and skipped (and why). */
  loadStats?: LoadStats;
};

/**
 * `unreadable`: a profile or permission set file that could not be read (not XML, truncated, wrong root,
 * undecodable): what it grants is unknown, so the audit fails closed on it. The others are notes.
 */
export type LoadProblemCode = 'unreadable' | 'duplicate' | 'unknownMember' | 'symlink';

export type LoadProblem = { path?: string; line?: number; message: string; code?: LoadProblemCode };

export type LoadStats = {
  /** Metadata files of the four permission types found (decomposed parts included), plus the OAuth client files. */
  filesFound: number;
  /** Files parsed. */
  filesRead: number;
  /** Files found but not audited: unreadable, or ignored by .forceignore. */
  filesSkipped: number;
  /** Files .forceignore leaves out (counted in filesSkipped). */
  filesIgnored: number;
  bytesRead: number;
};

/** Names used across the plugin for the Salesforce-provided integration identity. */
export const INTEGRATION_USER_LICENSE = 'Salesforce Integration';
export const INTEGRATION_PSL_DEVELOPER_NAME = 'SalesforceAPIIntegrationPsl';
export const INTEGRATION_PSL_LABEL = 'Salesforce API Integration';
export const INTEGRATION_PROFILE_NAME = 'Minimum Access - API Only Integrations';
export const DEPRECATED_INTEGRATION_PROFILE_NAME = 'Salesforce API Only System Integrations';
export const SYSTEM_ADMINISTRATOR_PROFILE_NAME = 'System Administrator';
