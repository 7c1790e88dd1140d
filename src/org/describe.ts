/**
 * sObject describe: which fields this org (edition, API version, enabled features) has on an object.
 * Used once per load to learn the `Permissions*` fields of PermissionSet, which differ between editions.
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { NO_TRANSPORT_RETRY } from './retry.js';

/** The DescribeFieldResult properties that say whether a field can take a field permission. */
export type DescribedField = { name: string; type?: string; nillable: boolean; createable: boolean; defaultedOnCreate?: boolean; permissionable?: boolean };

export type ObjectFields = {
  object: string;
  /** Every field name, as the org spells it. */
  fields: string[];
  described: DescribedField[];
};

type DescribeResult = { name: string; fields: DescribedField[] };

export const describeFields = async (ctx: OrgContext, objectName: string): Promise<ObjectFields> => {
  if (!/^\w+$/.test(objectName)) throw new Error(`Not an sObject name: ${objectName}`);
  const result = await orgCall(ctx, () =>
    ctx.conn.request<DescribeResult>(
      { method: 'GET', url: `${ctx.conn.baseUrl()}/sobjects/${objectName}/describe` },
      NO_TRANSPORT_RETRY
    )
  );
  return {
    object: result.name,
    fields: result.fields.map((f) => f.name),
    described: result.fields.map(({ name, type, nillable, createable, defaultedOnCreate, permissionable }) => ({
      name,
      type,
      nillable,
      createable,
      ...(defaultedOnCreate !== undefined ? { defaultedOnCreate } : {}),
      ...(permissionable !== undefined ? { permissionable } : {}),
    })),
  };
};

/**
 * The fields of each named object that the org knows (one describe each, in parallel), by lower-case object name.
 * An object the org cannot describe (not there, no access) is left out: the caller falls back to what it knows, and
 * a deploy naming it fails with the org's own message.
 */
export const describeObjectsFields = async (ctx: OrgContext, objectNames: readonly string[]): Promise<Map<string, DescribedField[]>> => {
  const results = await Promise.all(
    [...new Set(objectNames.filter((name) => /^\w+$/.test(name)))].map((name) => describeFields(ctx, name).catch(() => undefined))
  );
  return new Map(results.filter((r): r is ObjectFields => r !== undefined).map((r) => [r.object.toLowerCase(), r.described]));
};

/** `Permissions*` fields of a describe, e.g. ['PermissionsApiEnabled', …]. */
export const permissionFieldsOf = (described: ObjectFields): string[] =>
  described.fields.filter((name) => name.startsWith('Permissions') && name.length > 'Permissions'.length);
