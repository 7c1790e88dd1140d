/**
 * How output names an org, one way for every command. When `--target-org` (or SF_TARGET_ORG) is an access token, the
 * core library reports the token itself as the org's username; a token must never be printed, so only a real
 * username is used, and the org id otherwise.
 */
import type { Org } from '@salesforce/core';

/** True for a value that is a username, not an access token (`00D…!…`) or anything else. */
export const isUsername = (value: string | undefined): value is string =>
  value !== undefined && value.includes('@') && !value.includes('!');

/** The Organization facts a command read (AccessModel `org`), when it read them. */
export type OrgNaming = { name?: string; id?: string };

/**
 * Before the org is read: the username the command runs as, else the org id. Once it is read (`facts`): its name
 * and id (`Acme (00D…)`), else the id, never the username (a label read from the org may be written to a file).
 */
export const orgLabel = (org: Pick<Org, 'getUsername' | 'getOrgId'>, facts?: OrgNaming): string => {
  if (facts) return facts.name ? `${facts.name} (${facts.id ?? org.getOrgId()})` : facts.id ?? org.getOrgId();
  const username = org.getUsername();
  return isUsername(username) ? username : org.getOrgId();
};
