import { fieldGrants, objectGrants, systemPermissionGrants, type Grant } from '../access/effective.js';
import type { IntegrationUser } from '../access/integrationUsers.js';
import type { FieldAccess, ObjectAccess, PermissionHolder } from '../access/model.js';
import { verbsOf } from '../salesforce/objectAccess.js';
import { appOfHolder, grantEvidence, holderEvidence, holderFinding, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { DeclaredApp, FindingDraft, Rule, RuleContext } from './types.js';

const id = 'IU-PRIV-008';
/** Every integration user needs these; the manifest's profile grants API Only User, the app's set API Enabled. */
const ALWAYS_ALLOWED = new Set(['ApiEnabled', 'ApiUserOnly']);
const MAX_LISTED = 10;

const lower = (s: string): string => s.toLowerCase();

const extraVerbs = (app: DeclaredApp, access: ObjectAccess): string[] => {
  const declaredObject = Object.entries(app.objects).find(([name]) => lower(name) === lower(access.object));
  const allowed = new Set(declaredObject?.[1] ?? []);
  return verbsOf(access).filter((verb) => !allowed.has(verb)).map((verb) => `${access.object}.${verb}`);
};

const extraField = (app: DeclaredApp, access: FieldAccess): string | undefined => {
  const declared = Object.entries(app.fields).find(([name]) => lower(name) === lower(access.field))?.[1];
  if (access.edit && declared !== 'edit') return `${access.field}:edit`;
  if (access.read && declared === undefined) return `${access.field}:read`;
  return undefined;
};

const extraSystem = (app: DeclaredApp, permission: string): boolean =>
  !ALWAYS_ALLOWED.has(permission) && !app.systemPermissions.some((p) => lower(p) === lower(permission));

const extraApex = (app: DeclaredApp, type: string, name: string): boolean =>
  type === 'ApexClass' && !app.apexClasses.some((c) => lower(c) === lower(name));

const summary = (extras: string[]): string =>
  extras.length > MAX_LISTED ? `${extras.slice(0, MAX_LISTED).join(', ')} and ${extras.length - MAX_LISTED} more` : extras.join(', ');

/** Holders mode: one holder's extras (the app's own permission set file). */
const holderExtras = (app: DeclaredApp, holder: PermissionHolder, withApex: boolean): string[] => [
  ...holder.objectPermissions.flatMap((o) => extraVerbs(app, o)),
  ...holder.fieldPermissions.flatMap((f) => extraField(app, f) ?? []),
  ...holder.systemPermissions.filter((p) => extraSystem(app, p)),
  ...(withApex ? holder.setupEntityAccess.filter((s) => extraApex(app, s.type, s.name)).map((s) => `ApexClass ${s.name}`) : []),
];

const checkHolders = (context: RuleContext, appByName: Map<string, DeclaredApp>, withApex: boolean): FindingDraft[] =>
  context.integrationHolders.flatMap((ih) => {
    const appName = appOfHolder(context, ih.holder);
    const app = appName ? appByName.get(appName) : undefined;
    const extras = app ? holderExtras(app, ih.holder, withApex) : [];
    if (!app || extras.length === 0) return [];
    return [
      holderFinding(ih, ruleMessage(`${id}.finding`, [ih.holder.name, app.name, summary(extras)]), [
        holderEvidence(ih.holder, extras.join(', ')),
      ]),
    ];
  });

/** A user's extras, grouped per holder so the evidence names where each one comes from. */
const userExtras = (context: RuleContext, iu: IntegrationUser, app: DeclaredApp, withApex: boolean): Map<string, { grant: Grant; extras: string[] }> => {
  const perHolder = new Map<string, { grant: Grant; extras: string[] }>();
  const add = (grant: Grant, extra: string): void => {
    const key = `${grant.holder.id}|${grant.viaGroup?.id ?? ''}`;
    const entry = perHolder.get(key) ?? { grant, extras: [] };
    if (!entry.extras.includes(extra)) entry.extras.push(extra);
    perHolder.set(key, entry);
  };
  for (const { grant, access } of objectGrants(context.index, iu.access)) extraVerbs(app, access).forEach((e) => add(grant, e));
  for (const { grant, access } of fieldGrants(context.index, iu.access)) {
    const extra = extraField(app, access);
    if (extra) add(grant, extra);
  }
  const permissions = new Set(iu.access.grants.flatMap((g) => g.holder.systemPermissions));
  for (const permission of [...permissions].filter((p) => extraSystem(app, p))) {
    for (const grant of systemPermissionGrants(context.index, iu.access, permission)) add(grant, permission);
  }
  if (withApex) {
    for (const grant of iu.access.grants) {
      for (const s of grant.holder.setupEntityAccess) if (extraApex(app, s.type, s.name)) add(grant, `ApexClass ${s.name}`);
    }
  }
  return perHolder;
};

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 3, needs: [], needsManifest: true, ...ruleText(id) },
  check: (context) => {
    if (!context.declared) return [];
    const withApex = context.model.availableFacts.includes('setupEntityAccess');
    const appByName = new Map(context.declared.apps.map((app) => [app.name, app]));
    if (context.mode === 'holders') return checkHolders(context, appByName, withApex);
    return context.integrationUsers.flatMap((iu) => {
      const app = iu.app ? appByName.get(iu.app) : undefined;
      const perHolder = app ? userExtras(context, iu, app, withApex) : new Map<string, { grant: Grant; extras: string[] }>();
      if (!app || perHolder.size === 0) return [];
      const all = [...new Set([...perHolder.values()].flatMap((entry) => entry.extras))];
      return [
        userFinding(
          iu,
          ruleMessage(`${id}.finding`, [iu.user.username, app.name, summary(all)]),
          [...perHolder.values()].map(({ grant, extras }) => grantEvidence(grant, extras.join(', ')))
        ),
      ];
    });
  },
};
