/**
 * The contract between the audit rules, their runner and the reporters.
 * A rule is one module: `meta` (what it finds, how bad, what it needs) and a pure `check` over a RuleContext.
 */
import type { ModelIndex } from '../access/effective.js';
import type { IntegrationUser } from '../access/integrationUsers.js';
import type { AccessModel, Fact, PermissionHolder, PermissionHolderKind, PermissionSetGroup, Profile, User } from '../access/model.js';
import type { Severity } from './severity.js';

export type { Severity } from './severity.js';

export type RuleMeta = {
  /** Public, stable id: never renamed or reused (docs/architecture.md, "Where new things go"). */
  id: string;
  title: string;
  /** Default severity, 1 Critical … 5 Info; a config file may override it. */
  severity: Severity;
  description: string;
  /** How the rule decides, in one or two sentences (documentation). */
  detection: string;
  remediation: string;
  /** Facts the rule cannot run without; a model lacking one makes the rule "not evaluated". */
  needs: Fact[];
  /**
   * System permissions the rule looks for. An org whose PermissionSet describe has none of them (a feature-gated
   * field, an older edition) cannot answer the rule: it is "not evaluated" rather than passed.
   */
  permissions?: readonly string[];
  /** The rule only runs when a manifest (`-f`) is given. */
  needsManifest?: boolean;
  /**
   * `subject`: the rule checks every integration user (org) or integration profile and permission set (directory),
   * so each is a test case (JUnit) even without a finding. `aggregate`: it reports profiles, sets or the org as a
   * whole, and only its findings are cases.
   */
  scope: 'subject' | 'aggregate';
};

export type SubjectKind = 'user' | 'profile' | 'permissionSet' | 'permissionSetGroup' | 'org' | 'oauthClient';

export type Subject = {
  kind: SubjectKind;
  /** Username, profile name, permission set API name, or the org's id/name. */
  name: string;
  id?: string;
  /** Metadata file, relative to the audited directory (directory audits). */
  filePath?: string;
};

/** Where an offending grant (or a missing one) comes from. */
export type EvidenceSource = PermissionHolderKind | 'user' | 'userLicense' | 'permissionSetLicense' | 'manifest' | 'oauthClient';

export type Evidence = {
  holderKind: EvidenceSource;
  holderName: string;
  /** The permission set group through which the holder reaches the user. */
  viaGroup?: string;
  /** What the holder grants (or lacks), e.g. "ModifyAllData" or "Account: viewAll, modifyAll". */
  grants: string;
  filePath?: string;
};

export type Finding = {
  ruleId: string;
  severity: Severity;
  subject: Subject;
  message: string;
  evidence: Evidence[];
  /** How the subject user was recognised as an integration user. */
  recognisedBy?: string[];
};

/** What a rule returns; the runner adds rule id and (possibly overridden) severity. */
export type FindingDraft = Omit<Finding, 'ruleId' | 'severity'>;

/** Access a manifest app declares (implied verbs already expanded), as the audit needs it. */
export type DeclaredApp = {
  name: string;
  username: string;
  permissionSetName: string;
  /** Object API name → verbs (read create edit delete viewAll modifyAll). */
  objects: Record<string, string[]>;
  /** `Object.Field` → read | edit. */
  fields: Record<string, 'read' | 'edit'>;
  systemPermissions: string[];
  apexClasses: string[];
  /** Elevated grants with a justification: `Object.viewAll`, `Object.modifyAll` or a system permission. */
  elevated: string[];
  /** The app's OAuth client (External Client App name) and the justification of its elevated scopes, if any. */
  oauth?: { name: string; flow: string; justification?: string };
};

export type DeclaredIntegration = {
  /** The integration profile the manifest uses. */
  profileName: string;
  apps: DeclaredApp[];
};

/** A permission holder the audit treats as belonging to integration users, and why. */
export type IntegrationHolder = {
  holder: PermissionHolder;
  reasons: string[];
  /** Groups the holder is a member of (directory audits). */
  groups: PermissionSetGroup[];
};

export type RuleOptions = {
  /** IU-HYG-001: a user without a login in this many days is dormant. */
  dormantDays: number;
  /** "Now" for date rules, injected so checks stay pure. */
  now: Date;
  /** IU-STRUCT-005: seats used at or above this share are reported. */
  seatUsageThreshold: number;
  /** Directory audits: name/label/description patterns of integration holders (undefined: the defaults). */
  integrationNamePatterns?: readonly string[];
};

export type RuleContext = {
  model: AccessModel;
  index: ModelIndex;
  /**
   * `users`: the model has users and assignments; rules report users.
   * `holders`: a metadata directory; holder-level rules report the integration profiles and permission sets.
   */
  mode: 'users' | 'holders';
  /** Active integration users (users mode). */
  integrationUsers: IntegrationUser[];
  /**
   * Integration profiles: users mode, the API-only / integration-license / manifest profiles of integration users,
   * with those users; holders mode, the integration profile files, with why each is one (IntegrationHolder.reasons).
   */
  integrationProfiles: Array<{ profile: Profile; users: User[]; recognisedBy?: string[] }>;
  /** Holders-mode subjects: integration profiles and permission sets found in the directory. */
  integrationHolders: IntegrationHolder[];
  declared?: DeclaredIntegration;
  options: RuleOptions;
};

export type Rule = {
  meta: RuleMeta;
  check: (context: RuleContext) => FindingDraft[];
};

export type NotEvaluated = {
  ruleId: string;
  title: string;
  severity: Severity;
  reason: string;
};
