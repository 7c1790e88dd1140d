import { systemPermissionGrants } from '../access/effective.js';
import { INTEGRATION_USER_LICENSE, type Profile } from '../access/model.js';
import { holderEvidence, holderFinding, userFinding } from './helpers.js';
import { ruleMessage, ruleText } from './text.js';
import type { FindingDraft, Rule } from './types.js';

const id = 'IU-AUTH-001';
const isIntegrationLicense = (license?: string): boolean => license === INTEGRATION_USER_LICENSE;

/** Users on the Salesforce Integration license are API-only by license; everyone else needs API Only User. */
export const rule: Rule = {
  meta: { id, scope: 'subject', severity: 2, needs: [], permissions: ['ApiUserOnly'], ...ruleText(id) },
  check: (context) => {
    const findings: FindingDraft[] = [];
    if (context.mode === 'users') {
      for (const iu of context.integrationUsers) {
        const license = iu.user.userLicense ?? iu.access.profile?.userLicense;
        if (isIntegrationLicense(license)) continue;
        if (systemPermissionGrants(context.index, iu.access, 'ApiUserOnly').length > 0) continue;
        const evidence = iu.access.profile
          ? [holderEvidence(iu.access.profile, `no ApiUserOnly; user license ${license ?? 'unknown'}`)]
          : [];
        findings.push(userFinding(iu, ruleMessage(`${id}.finding`, [iu.user.username]), evidence));
      }
      return findings;
    }
    for (const ih of context.integrationHolders) {
      if (ih.holder.kind !== 'profile') continue;
      const profile = ih.holder as Profile;
      if (isIntegrationLicense(profile.userLicense) || profile.systemPermissions.includes('ApiUserOnly')) continue;
      findings.push(
        holderFinding(ih, ruleMessage(`${id}.finding`, [profile.name]), [
          holderEvidence(profile, `no ApiUserOnly; user license ${profile.userLicense ?? 'unknown'}`),
        ])
      );
    }
    return findings;
  },
};
