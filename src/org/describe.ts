/**
 * sObject describe: which fields this org (edition, API version, enabled features) has on an object.
 * Used once per load to learn the `Permissions*` fields of PermissionSet, which differ between editions.
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';
import { NO_TRANSPORT_RETRY } from './retry.js';

export type ObjectFields = {
  object: string;
  /** Every field name, as the org spells it. */
  fields: string[];
};

type DescribeResult = { name: string; fields: Array<{ name: string }> };

export const describeFields = async (ctx: OrgContext, objectName: string): Promise<ObjectFields> => {
  if (!/^\w+$/.test(objectName)) throw new Error(`Not an sObject name: ${objectName}`);
  const result = await orgCall(ctx, () =>
    ctx.conn.request<DescribeResult>(
      { method: 'GET', url: `${ctx.conn.baseUrl()}/sobjects/${objectName}/describe` },
      NO_TRANSPORT_RETRY
    )
  );
  return { object: result.name, fields: result.fields.map((f) => f.name) };
};

/** `Permissions*` fields of a describe, e.g. ['PermissionsApiEnabled', …]. */
export const permissionFieldsOf = (described: ObjectFields): string[] =>
  described.fields.filter((name) => name.startsWith('Permissions') && name.length > 'Permissions'.length);
