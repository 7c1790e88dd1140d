/**
 * The plan: what `apply` will do to an org, as data. `--dry-run`, `--json` and the printed table all show this
 * value; the executor carries out exactly its actions. Every type here is plain JSON (no classes, no Map).
 */

import type { DesiredUser } from '../manifest/types.js';

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
  /** User field API name, or `Profile` (the profile name; the executor resolves its Id). */
  field: string;
  from: string;
  to: string;
};

/** The fields of a user to create: exactly the manifest's resolved user. */
export type NewUserFields = DesiredUser;

export type DeployProfileAction = ActionBase & {
  kind: 'deployProfile';
  details: { name: string; userLicense: string; changes: string[] };
};

export type DeployPermissionSetAction = ActionBase & {
  kind: 'deployPermissionSet';
  details: { name: string; label: string; license?: string; changes: string[] };
};

export type CreateUserAction = ActionBase & {
  kind: 'createUser';
  details: NewUserFields & { profile: string; license: LicenseKind };
};

export type UpdateUserAction = ActionBase & {
  kind: 'updateUser';
  details: { userId: string; username: string; changes: UserFieldChange[] };
};

export type ReactivateUserAction = ActionBase & {
  kind: 'reactivateUser';
  details: { userId: string; username: string };
};

export type RepairEmailAction = ActionBase & {
  kind: 'repairEmail';
  details: { userId: string; username: string; from: string; to: string };
};

export type AssignPermissionSetLicenseAction = ActionBase & {
  kind: 'assignPermissionSetLicense';
  /** userId is absent when the user is created by the same apply. */
  details: { username: string; userId?: string; permissionSetLicense: string; permissionSetLicenseId: string };
};

export type AssignPermissionSetAction = ActionBase & {
  kind: 'assignPermissionSet';
  /** permissionSetId is absent when the set is created by the same apply's deploy. */
  details: { username: string; userId?: string; permissionSet: string; permissionSetId?: string };
};

export type RemoveAssignmentAction = ActionBase & {
  kind: 'removeAssignment';
  details: { username: string; userId: string; permissionSet: string; assignmentId: string };
};

export type DeactivateUserAction = ActionBase & {
  kind: 'deactivateUser';
  details: { userId: string; username: string };
};

export type OrphanAction = ActionBase & {
  kind: 'orphan';
  details: { type: 'permissionSet' | 'user'; name: string };
};

export type PlanAction =
  | DeployProfileAction
  | DeployPermissionSetAction
  | CreateUserAction
  | UpdateUserAction
  | ReactivateUserAction
  | RepairEmailAction
  | AssignPermissionSetLicenseAction
  | AssignPermissionSetAction
  | RemoveAssignmentAction
  | DeactivateUserAction
  | OrphanAction;

export type PlanActionKind = PlanAction['kind'];

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

export type LicenseChoice = {
  app: string;
  license: LicenseKind;
  /** Profile the user is on with that license. */
  profile: string;
  reason: string;
};

export type SandboxInfo = {
  name: string;
  /** Where the name came from. */
  source: 'flag' | 'myDomain' | 'username';
};

export type PlanSummary = { create: number; update: number; unchanged: number; remove: number; orphaned: number };

export type Plan = {
  actions: PlanAction[];
  problems: PlanProblem[];
  licenses: LicenseChoice[];
  sandbox?: SandboxInfo;
  summary: PlanSummary;
};

/** True when carrying out the action writes to the org. */
export const isWrite = (action: PlanAction): boolean => action.op !== 'unchanged' && action.op !== 'orphaned';
