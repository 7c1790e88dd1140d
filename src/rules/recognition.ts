/**
 * Directory audits: which profiles and permission sets belong to integrations when no user says so. A holder is
 * one by what it grants (API Only User), its license (Salesforce Integration, Salesforce API Integration), the
 * manifest, or its name, label or description (patterns, configurable in the audit configuration). Salesforce's
 * own platform-user profiles (Einstein Agent, Chatter, Analytics Cloud…) are not external-integration holders.
 */
import type { PermissionHolder, Profile } from '../access/model.js';

/**
 * Default name patterns (case-insensitive): "integration" in the languages most Salesforce customers name things
 * in (integration, integración/integracion, intégration, integração/integracao, integrazione), "API only" /
 * "api_only", "middleware", "service account". Seen on public SFDX projects: "System Admin - Integrations",
 * "Hera M2M Integration User", "IEC_SAP_Integration_APIOnly", "AMS_INTEGRATION_Access". Not "Integration
 * Procedure(s)": OmniStudio's server-side processes that people run from OmniScripts and FlexCards (Metadata API
 * type OmniIntegrationProcedure); its user permission sets describe themselves as running "Integration Procedures",
 * and a copy of one in a human persona group made the whole group look like an integration's.
 */
export const DEFAULT_INTEGRATION_NAME_PATTERNS: readonly string[] = [
  'int[eé]gra(?:tion|ci[oó]n|[cç][aã]o|zione)(?![\\s_-]*procedure)',
  'api[\\s_-]*only',
  'middleware',
  'service[\\s_-]*account',
];

/**
 * Standard profiles of Salesforce's own platform users and bots: the Einstein/Agentforce agent and bot users,
 * Chatter-only users, the Analytics Cloud users the platform runs its own jobs as, and Account Engagement's
 * connector user ("B2BMA Integration User": provisioned by Salesforce, no password, cannot log in, authenticates
 * through the Pardot Integration connected app; Salesforce Help, Account Engagement Integration User). Their names
 * are Salesforce's (Setup > Profiles of any org); the list is ours. Only standard (`<custom>false</custom>`)
 * profiles match: a custom profile with such a name is the project's own.
 */
const PLATFORM_USER_PROFILES =
  /^(?:einstein agent user|.*\bbot\b.*|.*agentforce.*|chatter (?:free|external|moderator) user|analytics cloud (?:integration|security) user|b2bma integration user|platform integration user|automated process)$/i;

export type NamePattern = { source: string; regex: RegExp };

/** Compiles the configured patterns (already validated by the config schema), or the defaults. */
export const namePatterns = (configured?: readonly string[]): NamePattern[] =>
  (configured ?? DEFAULT_INTEGRATION_NAME_PATTERNS).map((source) => ({ source, regex: new RegExp(source, 'iu') }));

/** The first field (name, label, description) that matches a pattern, with the pattern. */
export const nameMatch = (
  holder: PermissionHolder,
  patterns: readonly NamePattern[]
): { field: 'name' | 'label' | 'description'; value: string; pattern: string } | undefined => {
  for (const field of ['name', 'label', 'description'] as const) {
    const value = holder[field];
    if (!value) continue;
    const pattern = patterns.find((p) => p.regex.test(value));
    if (pattern) return { field, value, pattern: pattern.source };
  }
  return undefined;
};

/** A Salesforce-owned standard profile (`<custom>false</custom>`): nobody can edit what it grants. */
export const isStandardProfile = (holder: PermissionHolder): holder is Profile => holder.kind === 'profile' && !holder.isCustom;

/** A standard profile of Salesforce's own platform users or bots: never an external-integration holder. */
export const isPlatformUserProfile = (holder: PermissionHolder): boolean =>
  isStandardProfile(holder) && PLATFORM_USER_PROFILES.test(holder.name.trim());
