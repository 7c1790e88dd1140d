/**
 * Whether an org is a sandbox, and its name (the suffix a sandbox copy appends to every username): the one answer
 * apply, audit and user list share, so that they agree on which users a manifest names. Also how production
 * usernames and e-mails look in a sandbox. Pure.
 */

/** Where a sandbox's name came from. */
export type SandboxSource = 'flag' | 'myDomain' | 'username';

export type SandboxInfo = {
  name: string;
  /** Where the name came from. */
  source: SandboxSource;
};

/** What says whether an org is a sandbox: Organization.IsSandbox when it was read, its instance URL, the running user. */
export type SandboxFacts = { isSandbox?: boolean; isScratch?: boolean; instanceUrl?: string; runningUsername?: string };

/** Not a sandbox; or a sandbox, with its name when something gives it. */
export type OrgSandbox = { isSandbox: false } | { isSandbox: true; info?: SandboxInfo };

const hostOf = (instanceUrl: string | undefined): string | undefined => {
  if (!instanceUrl) return undefined;
  try {
    return new URL(instanceUrl).hostname;
  } catch {
    return undefined;
  }
};

/**
 * The sandbox name in a My Domain host: `acme--uat.sandbox.my.salesforce.com` → `uat`
 * (also the older `acme--uat.my.salesforce.com` and `acme--uat.cs42.my.salesforce.com`). Salesforce help,
 * "My Domain URL Formats": a sandbox's My Domain is `<MyDomainName>--<SandboxName>`.
 */
export const sandboxNameFromHost = (instanceUrl: string | undefined): string | undefined =>
  /^[a-z0-9-]+?--([a-z0-9]+)\./i.exec(hostOf(instanceUrl) ?? '')?.[1]?.toLowerCase();

/**
 * A host only a sandbox has (enhanced domains: `<MyDomainName>--<SandboxName>.sandbox.my.salesforce.com`, help
 * "My Domain URL Formats"). The older shapes above also name production-looking hosts, so they name a sandbox
 * but do not make an org one.
 */
export const isSandboxHost = (instanceUrl: string | undefined): boolean =>
  /^[a-z0-9-]+?--[a-z0-9]+\.sandbox\.my\.salesforce\.com$/i.test(hostOf(instanceUrl) ?? '');

/**
 * A host only a scratch org has (enhanced domains: `<MyDomainName>.scratch.my.salesforce.com`, help
 * "My Domain URL Formats").
 */
export const isScratchHost = (instanceUrl: string | undefined): boolean =>
  /^[a-z0-9-]+\.scratch\.my\.salesforce\.com$/i.test(hostOf(instanceUrl) ?? '');

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

/**
 * Is the org a sandbox, and what is its name. A sandbox: `--sandbox-name` was given, or (not being a scratch org)
 * Organization.IsSandbox says so, or (when it was not read) the host is a sandbox host. Its name: `--sandbox-name`, else the My Domain host,
 * else the running user's username (only in a sandbox: a production username may have three labels too).
 */
export const orgSandbox = (facts: SandboxFacts, flagName?: string): OrgSandbox => {
  if (flagName) return { isSandbox: true, info: { name: flagName, source: 'flag' } };
  // A scratch org says IsSandbox too, but nothing was copied into it: no suffixed usernames, no name to find.
  if (facts.isScratch === true || isScratchHost(facts.instanceUrl)) return { isSandbox: false };
  if (!(facts.isSandbox ?? isSandboxHost(facts.instanceUrl))) return { isSandbox: false };
  const fromHost = sandboxNameFromHost(facts.instanceUrl);
  if (fromHost) return { isSandbox: true, info: { name: fromHost, source: 'myDomain' } };
  const fromUsername = sandboxNameFromUsername(facts.runningUsername);
  if (fromUsername) return { isSandbox: true, info: { name: fromUsername, source: 'username' } };
  return { isSandbox: true };
};

/**
 * True when `username` is `production` as a sandbox copy names it: with the sandbox's suffix, or, when the name is
 * unknown, with any one alphanumeric label appended (`erp@acme.example.uat`, never `erp@acme.example.uat@x.example`).
 */
export const isSandboxCopyOf = (username: string, production: string, sandboxName: string | undefined): boolean => {
  const name = username.toLowerCase();
  const wanted = production.toLowerCase();
  if (!name.startsWith(`${wanted}.`)) return false;
  const suffix = name.slice(wanted.length + 1);
  return sandboxName ? suffix === sandboxName.toLowerCase() : /^[a-z0-9]+$/.test(suffix);
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
