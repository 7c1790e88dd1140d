/**
 * Field access that comes with the object: a required or non-permissionable field takes no field permission (an org
 * refuses the deploy, src/salesforce/fieldAccess.ts), so it is left out of the desired permission sets, and said.
 */
import { Messages } from '@salesforce/core';
import type { FieldAccessLookup, ImplicitFieldAccess } from '../salesforce/fieldAccess.js';
import type { DesiredState } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'manifest');

export type OmittedField = { app: string; permissionSet: string; field: string; reason: ImplicitFieldAccess };

/** Pure: the state without the field access `lookup` says comes with the object, and what was left out. */
export function withoutImplicitFieldAccess(desired: DesiredState, lookup: FieldAccessLookup): { desired: DesiredState; omitted: OmittedField[] } {
  const omitted: OmittedField[] = [];
  const apps = desired.apps.map((app) => {
    const fields = app.fields.filter((access) => {
      const dot = access.field.indexOf('.');
      const reason = dot > 0 ? lookup(access.field.slice(0, dot), access.field.slice(dot + 1)) : undefined;
      if (reason) omitted.push({ app: app.name, permissionSet: app.permissionSet.name, field: access.field, reason });
      return reason === undefined;
    });
    return fields.length === app.fields.length ? app : { ...app, fields };
  });
  return { desired: omitted.length > 0 ? { ...desired, apps } : desired, omitted };
}

/** One note per field left out: it is required (or has no field-level security), and its object grants the access. */
export function omittedFieldNotes(omitted: readonly OmittedField[]): string[] {
  return omitted.map((o) => messages.getMessage(`note.field.${o.reason}`, [o.app, o.field, o.field.slice(0, o.field.indexOf('.')), o.permissionSet]));
}
