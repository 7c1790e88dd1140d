/**
 * How output names an org. When `--target-org` (or SF_TARGET_ORG) is an access token, @salesforce/core reports
 * the token itself as the org's username; a token must never be printed, so only a real username is used,
 * and the org id otherwise.
 */
import type { Org } from '@salesforce/core';

/** True for a value that is a username, not an access token (`00D…!…`) or anything else. */
export const isUsername = (value: string | undefined): value is string =>
  value !== undefined && value.includes('@') && !value.includes('!');

export const orgLabel = (org: Pick<Org, 'getUsername' | 'getOrgId'>): string => {
  const username = org.getUsername();
  return isUsername(username) ? username : org.getOrgId();
};
