/**
 * The username of the user the connection runs as. An org authorised by access token alone may know its user only
 * by the token, so when the connection's username is not a username, the userinfo endpoint (one GET) says.
 */
import type { Connection } from '@salesforce/core';
import { isUsername } from './orgLabel.js';
import { orgCall } from './call.js';
import type { OrgContext } from './connection.js';
import { NO_TRANSPORT_RETRY } from './retry.js';

export const resolveRunningUsername = async (ctx: OrgContext, conn: Connection): Promise<string | undefined> => {
  const known = conn.getUsername();
  if (isUsername(known)) return known;
  const info = await orgCall(ctx, () =>
    conn.request<{ preferred_username?: string }>({ method: 'GET', url: `${conn.instanceUrl}/services/oauth2/userinfo` }, NO_TRANSPORT_RETRY)
  );
  return typeof info.preferred_username === 'string' ? info.preferred_username : undefined;
};
