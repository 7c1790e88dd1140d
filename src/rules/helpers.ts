/**
 * Building blocks shared by the rules: subjects, evidence, and "how was this user recognised".
 */
import { systemPermissionGrants, type Grant } from '../access/effective.js';
import type { IntegrationUser } from '../access/integrationUsers.js';
import type { PermissionHolder, User } from '../access/model.js';
import type { UserEvidence } from '../access/evidenceTypes.js';
import { evidenceOf } from '../evidence/aggregate.js';
import { ruleMessage } from './text.js';
import type { Evidence, FindingDraft, IntegrationHolder, RuleContext, Subject } from './types.js';

export const userSubject = (user: User): Subject => ({ kind: 'user', name: user.username, id: user.id });

export const holderSubject = (holder: PermissionHolder): Subject => ({
  kind: holder.kind === 'mutingPermissionSet' ? 'permissionSet' : holder.kind,
  name: holder.name,
  ...(holder.id.startsWith('file:') ? {} : { id: holder.id }),
  ...(holder.filePath ? { filePath: holder.filePath } : {}),
});

export const holderEvidence = (holder: PermissionHolder, grants: string, viaGroup?: string): Evidence => ({
  holderKind: holder.kind,
  holderName: holder.name,
  ...(viaGroup ? { viaGroup } : {}),
  grants,
  ...(holder.filePath ? { filePath: holder.filePath } : {}),
});

export const grantEvidence = (grant: Grant, grants: string): Evidence =>
  holderEvidence(grant.holder, grants, grant.viaGroup?.name);

const holderLabel = (grant: Grant): string =>
  `${grant.holder.kind} ${grant.holder.name}${grant.viaGroup ? ` (group ${grant.viaGroup.name})` : ''}`;

/** Human-readable reasons the user is an integration user (every finding about a user carries them). */
export const recognisedBy = (iu: IntegrationUser): string[] =>
  iu.reasons.map((reason) => {
    switch (reason.kind) {
      case 'integrationLicense':
        return ruleMessage('recognised.integrationLicense', [reason.license]);
      case 'apiOnly':
        return ruleMessage('recognised.apiOnly', [reason.grants.map(holderLabel).join(', ')]);
      case 'manifest':
        return ruleMessage('recognised.manifest', [reason.app]);
    }
  });

export const userFinding = (iu: IntegrationUser, message: string, evidence: Evidence[]): FindingDraft => ({
  subject: userSubject(iu.user),
  message,
  evidence,
  recognisedBy: recognisedBy(iu),
});

export const holderFinding = (ih: IntegrationHolder, message: string, evidence: Evidence[]): FindingDraft => ({
  subject: holderSubject(ih.holder),
  message,
  evidence,
  recognisedBy: ih.reasons,
});

/**
 * Shared check for "a dangerous system permission reaches an integration user" (IU-PRIV-002/003/005/006,
 * IU-AUTH-003/005). Users mode: one finding per user listing every holder that grants one of `permissions`
 * (muting applied). Holders mode: one finding per integration profile or permission set that enables one.
 * `isJustified` drops grants the manifest justifies for the user's app.
 */
export const checkSystemPermissions = (
  context: RuleContext,
  permissions: readonly string[],
  message: (subjectName: string, granted: string[]) => string,
  isJustified: (app: string | undefined, permission: string) => boolean = (): boolean => false
): FindingDraft[] => {
  const findings: FindingDraft[] = [];
  if (context.mode === 'users') {
    for (const iu of context.integrationUsers) {
      // Group the per-permission grants by holder so each holder appears once in the evidence.
      const byHolder = new Map<string, { grant: Grant; names: string[] }>();
      for (const permission of permissions) {
        if (isJustified(iu.app, permission)) continue;
        for (const grant of systemPermissionGrants(context.index, iu.access, permission)) {
          const key = `${grant.holder.id}|${grant.viaGroup?.id ?? ''}`;
          const entry = byHolder.get(key) ?? { grant, names: [] };
          entry.names.push(permission);
          byHolder.set(key, entry);
        }
      }
      const evidence = [...byHolder.values()].map(({ grant, names }) => grantEvidence(grant, names.join(', ')));
      const granted = new Set([...byHolder.values()].flatMap(({ names }) => names));
      if (evidence.length > 0) findings.push(userFinding(iu, message(iu.user.username, [...granted].sort()), evidence));
    }
    return findings;
  }
  for (const ih of context.integrationHolders) {
    const app = appOfHolder(context, ih.holder);
    const names = permissions.filter((p) => ih.holder.systemPermissions.includes(p) && !isJustified(app, p));
    if (names.length === 0) continue;
    findings.push(holderFinding(ih, message(ih.holder.name, names), [holderEvidence(ih.holder, names.join(', '))]));
  }
  return findings;
};

/** Days between two instants, rounded down. */
export const daysBetween = (from: Date, to: Date): number => Math.floor((to.getTime() - from.getTime()) / 86_400_000);

/** The manifest lists `grant` (e.g. `ModifyAllData`, `Account.viewAll`) under the app's `elevated`. */
export const isElevated = (context: RuleContext, app: string | undefined, grant: string): boolean => {
  if (!app || !context.declared) return false;
  const declaredApp = context.declared.apps.find((a) => a.name === app);
  return declaredApp?.elevated.some((e) => e.toLowerCase() === grant.toLowerCase()) ?? false;
};

/** Holders mode: the manifest app whose permission set this holder is. */
export const appOfHolder = (context: RuleContext, holder: PermissionHolder): string | undefined =>
  holder.kind === 'permissionSet'
    ? context.declared?.apps.find((a) => a.permissionSetName.toLowerCase() === holder.name.toLowerCase())?.name
    : undefined;

/**
 * The findings of a rule over the evidence of use: `find` sees each integration user with its evidence (undefined
 * when none was read for it) and the window in days, and returns that user's finding or nothing.
 */
export const perUserEvidence = (
  context: RuleContext,
  find: (iu: IntegrationUser, evidence: UserEvidence | undefined, days: number) => FindingDraft | undefined
): FindingDraft[] => {
  const days = context.model.evidence?.days ?? 0;
  return context.integrationUsers.flatMap((iu) => find(iu, evidenceOf(context.model.evidence, iu.user.id), days) ?? []);
};
