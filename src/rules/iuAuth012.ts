import { evidenceOf } from '../evidence/aggregate.js';
import type { LoginIpRange } from '../access/model.js';
import { ipv4ToNumber } from '../manifest/names.js';
import { userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-AUTH-012';
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

const inRanges = (ip: string, ranges: LoginIpRange[]): boolean => {
  const value = ipv4ToNumber(ip);
  return ranges.some((r) => IPV4.test(r.start) && IPV4.test(r.end) && ipv4ToNumber(r.start) <= value && value <= ipv4ToNumber(r.end));
};

/**
 * Successful logins from IPv4 addresses outside the login IP ranges of the user's profile (only profiles that have
 * ranges; other addresses, such as IPv6 or "Salesforce.com IP", are not compared).
 */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 2, needs: ['users', 'assignments', 'loginEvents', 'loginIpRanges'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    for (const iu of context.integrationUsers) {
      const ranges = iu.access.profile?.loginIpRanges ?? [];
      if (ranges.length === 0) continue;
      const outside = (evidenceOf(context.model.evidence, iu.user.id)?.sourceIps ?? []).filter(
        (s) => s.count > s.failures && IPV4.test(s.ip) && !inRanges(s.ip, ranges)
      );
      if (outside.length === 0) continue;
      const profile = iu.access.profile!;
      findings.push(
        userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username, outside.map((s) => s.ip).join(', '), profile.name]), [
          { holderKind: 'profile', holderName: profile.name, grants: `login IP ranges ${ranges.map((r) => `${r.start}-${r.end}`).join(', ')}` },
          ...outside.map((s) => ({
            holderKind: 'user' as const,
            holderName: iu.user.username,
            grants: `${s.ip}: ${s.count - s.failures} successful logins, last ${s.lastSeen}`,
          })),
        ])
      );
    }
    return findings;
  },
};
