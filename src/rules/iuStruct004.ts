import type { PermissionHolder, User } from '../access/model.js';
import { holderEvidence, holderSubject, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-STRUCT-004';

/** Switches every integration user needs: a set granting only these carries no app's access. */
const SWITCHES = new Set(['ApiEnabled', 'ApiUserOnly']);

/**
 * A set that carries an app's access: made by the org's admins (not a profile's, not a managed package's) and
 * granting something beyond the API switches. A shared "API Only" set is infrastructure, not app access.
 */
const isOwnSet = (holder: PermissionHolder): boolean =>
  holder.kind === 'permissionSet' &&
  holder.isCustom &&
  !holder.namespace &&
  (holder.objectPermissions.length > 0 ||
    holder.fieldPermissions.length > 0 ||
    holder.setupEntityAccess.length > 0 ||
    holder.systemPermissions.some((p) => !SWITCHES.has(p)));

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: ['users', 'assignments'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    // Without a manifest each integration user counts as its own app (one user per app is the norm).
    const users = new Map<string, { holder: PermissionHolder; byApp: Map<string, User[]> }>();
    for (const iu of context.integrationUsers) {
      const own = iu.access.grants.filter((grant) => isOwnSet(grant.holder));
      if (own.length === 0) {
        findings.push(userFinding(iu, ruleMessage(`${id}.missing`, [iu.user.username]), []));
        continue;
      }
      const app = iu.app ?? `user ${iu.user.username}`;
      for (const { holder } of own) {
        const entry = users.get(holder.id) ?? { holder, byApp: new Map<string, User[]>() };
        entry.byApp.set(app, [...(entry.byApp.get(app) ?? []), iu.user]);
        users.set(holder.id, entry);
      }
    }
    for (const { holder, byApp } of users.values()) {
      if (byApp.size < 2) continue;
      const assignees = [...byApp.entries()].map(([app, list]) => `${app}: ${list.map((u) => u.username).join(', ')}`);
      findings.push({
        subject: holderSubject(holder),
        message: ruleMessage(`${id}.shared`, [holder.name, [...byApp.keys()].join('; ')]),
        evidence: assignees.map((text) => holderEvidence(holder, `assigned to ${text}`)),
      });
    }
    return findings;
  },
};
