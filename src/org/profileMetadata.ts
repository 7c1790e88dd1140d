/**
 * Profile login IP ranges: not exposed through SOQL, so read with the Metadata API (readMetadata, 10 names a call).
 */
import type { OrgContext } from './connection.js';
import { orgCall } from './call.js';

/** A profile's login IP range as the AccessModel keeps it (Metadata API startAddress/endAddress). */
export type LoginIpRange = { start: string; end: string; description?: string };

/** readMetadata accepts at most 10 names per call. */
const READ_CHUNK = 10;

/**
 * Metadata API full names of standard profiles whose names differ from Profile.Name (the legacy ones).
 * Other profiles use their Name, with the characters the Metadata API encodes in profile names percent-encoded.
 */
const LEGACY_PROFILE_FULL_NAMES: Record<string, string> = {
  'System Administrator': 'Admin',
  'Standard User': 'Standard',
  'Read Only': 'ReadOnly',
  'Solution Manager': 'SolutionManager',
  'Marketing User': 'MarketingProfile',
  'Contract Manager': 'ContractManager',
  'Standard Platform User': 'StandardAul',
};

/** The Metadata API full name of a profile, from its Profile.Name. Pure. */
export const profileMetadataName = (profileName: string): string =>
  LEGACY_PROFILE_FULL_NAMES[profileName] ?? profileName.replace(/[%:().,/']/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

type ReadIpRange = { startAddress?: unknown; endAddress?: unknown; description?: unknown };
type ReadProfile = { fullName?: unknown; loginIpRanges?: ReadIpRange | ReadIpRange[] };

const toRanges = (value: ReadProfile['loginIpRanges']): LoginIpRange[] => {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list
    .filter((r) => typeof r.startAddress === 'string' && typeof r.endAddress === 'string')
    .map((r) => ({
      start: r.startAddress as string,
      end: r.endAddress as string,
      ...(typeof r.description === 'string' && r.description ? { description: r.description } : {}),
    }));
};

/**
 * Login IP ranges per Profile.Name. A profile the API did not return (an unknown full name) is absent from the map,
 * so callers can tell "none" ([]) from "unknown" (absent).
 */
export const readProfileLoginIpRanges = async (ctx: OrgContext, profileNames: string[]): Promise<Map<string, LoginIpRange[]>> => {
  const byFullName = new Map(profileNames.map((name) => [profileMetadataName(name), name]));
  const fullNames = [...byFullName.keys()];
  const chunks: string[][] = [];
  for (let i = 0; i < fullNames.length; i += READ_CHUNK) chunks.push(fullNames.slice(i, i + READ_CHUNK));
  const results = await Promise.all(
    chunks.map((chunk) => orgCall(ctx, async () => (await ctx.conn.metadata.read('Profile', chunk)) as unknown as ReadProfile | ReadProfile[]))
  );
  const ranges = new Map<string, LoginIpRange[]>();
  for (const result of results) {
    for (const record of Array.isArray(result) ? result : [result]) {
      const name = typeof record?.fullName === 'string' ? byFullName.get(record.fullName) : undefined;
      if (name !== undefined) ranges.set(name, toRanges(record.loginIpRanges));
    }
  }
  return ranges;
};
