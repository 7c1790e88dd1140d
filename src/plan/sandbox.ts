/** Sandbox facts for apply: the sandbox's name and how production usernames map into it. Pure. */
import type { SandboxInfo } from './types.js';

/**
 * The sandbox name in a My Domain host: `acme--uat.sandbox.my.salesforce.com` → `uat`
 * (also the older `acme--uat.my.salesforce.com` and `acme--uat.cs42.my.salesforce.com`).
 */
export const sandboxNameFromHost = (instanceUrl: string | undefined): string | undefined => {
  if (!instanceUrl) return undefined;
  let host: string;
  try {
    host = new URL(instanceUrl).hostname;
  } catch {
    return undefined;
  }
  const match = /^[a-z0-9-]+?--([a-z0-9]+)\./i.exec(host);
  return match ? match[1].toLowerCase() : undefined;
};

/**
 * The sandbox name from a sandbox user's username: a refresh appends `.<sandbox name>` to every username, so the
 * last label of the domain is the name (`admin@acme.com.uat` → `uat`). Needs at least three labels, so a
 * production-looking `admin@acme.com` gives nothing.
 */
export const sandboxNameFromUsername = (username: string | undefined): string | undefined => {
  const domain = username?.split('@')[1];
  if (!domain) return undefined;
  const labels = domain.split('.');
  if (labels.length < 3) return undefined;
  const last = labels[labels.length - 1];
  return /^[a-z0-9]+$/i.test(last) ? last.toLowerCase() : undefined;
};

export const detectSandbox = (
  flagName: string | undefined,
  instanceUrl: string | undefined,
  runningUsername: string | undefined
): SandboxInfo | undefined => {
  if (flagName) return { name: flagName, source: 'flag' };
  const fromHost = sandboxNameFromHost(instanceUrl);
  if (fromHost) return { name: fromHost, source: 'myDomain' };
  const fromUsername = sandboxNameFromUsername(runningUsername);
  if (fromUsername) return { name: fromUsername, source: 'username' };
  return undefined;
};

/** `prod@acme.example` → `prod@acme.example.uat`; a username that already ends with the suffix is kept. */
export const sandboxUsername = (username: string, sandboxName: string): string => {
  const suffix = `.${sandboxName.toLowerCase()}`;
  return username.toLowerCase().endsWith(suffix) ? username : `${username}${suffix}`;
};

/**
 * Longest prefix accepted as the copy's random characters. UNVERIFIED: Salesforce documents that a username which
 * collides during a sandbox copy gets random characters prepended (help: "Sandbox users and contacts"; example
 * `00x7Vquser@acme.com.test`) but not how many; 10 covers the documented example with room.
 */
const MAX_COLLISION_PREFIX = 10;

/**
 * The user whose username is `expected` with random characters prepended by the sandbox copy after a collision
 * (`00x7Vqerp.integration@acme.example.qa` for `erp.integration@acme.example.qa`). Only alphanumeric prefixes count;
 * a username another app expects exactly is never taken, and several candidates match none (ambiguous).
 */
export const findPrefixedUser = <U extends { username: string }>(expected: string, users: U[], allExpected: string[]): { user: U; prefix: string } | undefined => {
  const tail = expected.toLowerCase();
  const others = new Set(allExpected.map((u) => u.toLowerCase()));
  const candidates = users.filter((u) => {
    const name = u.username.toLowerCase();
    if (name === tail || !name.endsWith(tail) || others.has(name)) return false;
    const prefix = name.slice(0, name.length - tail.length);
    return prefix.length <= MAX_COLLISION_PREFIX && /^[a-z0-9]+$/.test(prefix);
  });
  if (candidates.length !== 1) return undefined;
  const user = candidates[0];
  return { user, prefix: user.username.slice(0, user.username.length - expected.length) };
};

/** A sandbox refresh appends `.invalid` to e-mail addresses so that the copy sends no mail. */
export const INVALID_EMAIL_SUFFIX = '.invalid';

/** The e-mail without the refresh's `.invalid`, or undefined when it has none. */
export const repairedEmail = (email: string | undefined): string | undefined =>
  email?.toLowerCase().endsWith(INVALID_EMAIL_SUFFIX) ? email.slice(0, -INVALID_EMAIL_SUFFIX.length) : undefined;
