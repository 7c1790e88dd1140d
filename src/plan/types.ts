/**
 * The plan: what `apply` will do to an org, as data. `--dry-run`, `--json` and the printed table all show this
 * value; the executor carries out exactly its actions. Every type here is plain JSON (no classes, no Map).
 */
import type { SandboxInfo } from '../salesforce/sandbox.js';
import type { MetadataTypeName } from '../salesforce/sourceFormat.js';

/** What `apply` writes for one record: sObject field values. */
export type FieldValue = string | number | boolean | null;
export type PlanRecord = Record<string, FieldValue>;

/** Plain JSON, as a component's metadata is printed under --json. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A metadata component a deploy action sends: its type, name and content (the Metadata API structure, keys in
 * element order, written to XML as is). Present on deploy actions that write.
 */
export type PlanComponent = {
  type: MetadataTypeName;
  fullName: string;
  metadata: { [key: string]: JsonValue };
};

/** How an action changes the org, printed Terraform-style: `+` create, `~` update, `=` unchanged, `-` remove, `?` orphaned. */
export type PlanOp = 'create' | 'update' | 'unchanged' | 'remove' | 'orphaned';

/** Which license an app's user is on: the Salesforce Integration license or the full Salesforce license. */
export type LicenseKind = 'integration' | 'salesforce';

type ActionBase = {
  op: PlanOp;
  /** What the action is about: a profile or permission set name, a username. */
  subject: string;
  /** The manifest app it serves, when it serves one. */
  app?: string;
  /** Why: one sentence for the plan table. */
  reason: string;
};

export type UserFieldChange = {
  /** User field API name, or `Profile` (the profile name; its Id is in the record, or resolved by name after the deploy). */
  field: string;
  from: string;
  to: string;
};

export type DeployProfileAction = ActionBase & {
  kind: 'deployProfile';
  details: { name: string; userLicense: string; changes: string[]; component?: PlanComponent };
};

export type DeployPermissionSetAction = ActionBase & {
  kind: 'deployPermissionSet';
  details: { name: string; label: string; license?: string; changes: string[]; component?: PlanComponent };
};

/**
 * `record` is the User record sent; its ProfileId is absent only when the profile is created by the same apply's
 * deploy (then the executor looks `profile` up by name after the deploy).
 */
export type CreateUserAction = ActionBase & {
  kind: 'createUser';
  details: { username: string; profile: string; license: LicenseKind; record: PlanRecord };
};

/** `record` holds the fields sent (empty when unchanged); `profile` names a profile the same apply's deploy creates. */
export type UpdateUserAction = ActionBase & {
  kind: 'updateUser';
  details: { userId: string; username: string; changes: UserFieldChange[]; record: PlanRecord; profile?: string };
};

export type ReactivateUserAction = ActionBase & {
  kind: 'reactivateUser';
  details: { userId: string; username: string; record: PlanRecord };
};

/** An e-mail a sandbox refresh ended with `.invalid`: reported (unchanged), or changed with --repair-emails. */
export type RepairEmailAction = ActionBase & {
  kind: 'repairEmail';
  details: { userId: string; username: string; from: string; to: string; record?: PlanRecord };
};

/** A frozen user (UserLogin.IsFrozen): `record` is the UserLogin update. */
export type UnfreezeUserAction = ActionBase & {
  kind: 'unfreezeUser';
  details: { userId: string; username: string; userLoginId: string; record: PlanRecord };
};

/** `record` lacks AssigneeId when the user is created by the same apply. */
export type AssignPermissionSetLicenseAction = ActionBase & {
  kind: 'assignPermissionSetLicense';
  details: { username: string; userId?: string; permissionSetLicense: string; permissionSetLicenseId: string; record: PlanRecord };
};

/** `record` lacks AssigneeId when the user, and PermissionSetId when the set, is created by the same apply. */
export type AssignPermissionSetAction = ActionBase & {
  kind: 'assignPermissionSet';
  details: { username: string; userId?: string; permissionSet: string; permissionSetId?: string; record: PlanRecord };
};

export type RemoveAssignmentAction = ActionBase & {
  kind: 'removeAssignment';
  details: { username: string; userId: string; permissionSet: string; assignmentId: string };
};

export type DeactivateUserAction = ActionBase & {
  kind: 'deactivateUser';
  details: { userId: string; username: string; record: PlanRecord };
};

/**
 * The app's External Client App (four components, deployed together). `phase` says when: with the profile and
 * permission sets, or in a second deploy after the users, because the run-as user or the permission set whose id
 * pre-authorises it is created by this apply.
 */
export type DeployExternalClientAppAction = ActionBase & {
  kind: 'deployExternalClientApp';
  details: {
    name: string;
    label: string;
    flow: 'client-credentials' | 'jwt-bearer';
    /** clientCredentialsFlowUser: the app's username in this org (client-credentials only). */
    runAs?: string;
    permissionSet: string;
    /** Known when the set exists before this apply; otherwise read after the first deploy. */
    permissionSetId?: string;
    phase: 'withMetadata' | 'afterUsers';
    changes: string[];
    /** The four components as they are sent (the policies lack the set's id when the set is created by this run). */
    components: PlanComponent[];
    /** Where the admin collects the consumer key and secret (the plugin never reads them). */
    collectSecret: string;
  };
};

export type OrphanAction = ActionBase & {
  kind: 'orphan';
  details: { type: 'permissionSet' | 'user' | 'externalClientApp'; name: string };
};

export type PlanAction =
  | DeployProfileAction
  | DeployPermissionSetAction
  | CreateUserAction
  | UpdateUserAction
  | ReactivateUserAction
  | RepairEmailAction
  | UnfreezeUserAction
  | AssignPermissionSetLicenseAction
  | AssignPermissionSetAction
  | RemoveAssignmentAction
  | DeactivateUserAction
  | DeployExternalClientAppAction
  | OrphanAction;

/** One row of the plan as printed and returned under --json. */
export type PlanActionRow = PlanAction;

/** Something that would make a write fail, found before any write. */
export type PlanProblem = {
  /** Stable code, e.g. `seatsExhausted`, `usernameTakenInOrg`. */
  code: string;
  subject: string;
  message: string;
  /** What to do about it. */
  fix: string;
};

/** Something the plan found and reports without it stopping anything (a prefixed username, a frozen user, …). */
export type PlanNotice = {
  /** Stable code, e.g. `prefixedUsername`, `invalidEmail`, `frozenUser`, `frozenAppUser`, `frozenUnknown`, `olderIntegrationProfile`. */
  code: string;
  subject: string;
  app?: string;
  message: string;
};

export type LicenseChoice = {
  app: string;
  license: LicenseKind;
  /** Profile the user is on with that license. */
  profile: string;
  reason: string;
};


export type PlanSummary = { create: number; update: number; unchanged: number; remove: number; orphaned: number };

export type Plan = {
  actions: PlanAction[];
  problems: PlanProblem[];
  notices: PlanNotice[];
  licenses: LicenseChoice[];
  sandbox?: SandboxInfo;
  summary: PlanSummary;
};

/** True when carrying out the action writes to the org. */
export const isWrite = (action: PlanAction): boolean => action.op !== 'unchanged' && action.op !== 'orphaned';
