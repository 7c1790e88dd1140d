import { INTEGRATION_PSL_DEVELOPER_NAME, INTEGRATION_USER_LICENSE } from '../access/model.js';
import { userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-STRUCT-005';

export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 4, needs: ['users', 'assignments', 'licenses', 'permissionSetLicenses'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    for (const iu of context.integrationUsers) {
      const license = iu.user.userLicense ?? iu.access.profile?.userLicense;
      if (license !== INTEGRATION_USER_LICENSE) continue;
      if (iu.access.permissionSetLicenses.some((psl) => psl.developerName === INTEGRATION_PSL_DEVELOPER_NAME)) continue;
      findings.push(
        userFinding(iu, ruleMessage(`${id}.missing`, [iu.user.username]), [
          { holderKind: 'permissionSetLicense', holderName: INTEGRATION_PSL_DEVELOPER_NAME, grants: 'not assigned' },
        ])
      );
    }
    const seats = [
      ...context.model.userLicenses
        .filter((l) => l.name === INTEGRATION_USER_LICENSE)
        .map((l) => ({ kind: 'userLicense' as const, name: l.name, used: l.used, total: l.total })),
      ...context.model.permissionSetLicenses
        .filter((p) => p.developerName === INTEGRATION_PSL_DEVELOPER_NAME)
        .map((p) => ({ kind: 'permissionSetLicense' as const, name: p.developerName, used: p.used, total: p.total })),
    ];
    for (const seat of seats) {
      if (seat.total <= 0 || seat.used / seat.total < context.options.seatUsageThreshold) continue;
      const percent = Math.round((seat.used / seat.total) * 100);
      findings.push({
        subject: { kind: 'org', name: seat.name },
        message: ruleMessage(`${id}.seats`, [seat.name, seat.used, seat.total, percent]),
        evidence: [{ holderKind: seat.kind, holderName: seat.name, grants: `${seat.used}/${seat.total} seats used` }],
      });
    }
    return findings;
  },
};
