/** Audit runs to feed the reporters: an org audit (with a suppression) and a directory audit. */
import { auditModel } from '../../../src/audit/runAudit.js';
import type { AuditRun } from '../../../src/audit/types.js';
import { directoryModel, orgModel } from '../rules/modelBuilder.js';

const NOW = new Date('2026-11-27T00:00:00.000Z');

export const orgRun = (): AuditRun =>
  auditModel(
    orgModel({
      profiles: {
        'Integration API Only': { systemPermissions: ['ApiEnabled', 'ApiUserOnly', 'ViewSetup'], userLicense: 'Salesforce', loginIpRanges: [] },
      },
      permissionSets: {
        // A name with characters every format must escape.
        'Erp_"Set"': { systemPermissions: ['ModifyAllData'], objects: [{ object: 'Account', read: true, viewAll: true }] },
      },
      users: [
        { username: 'erp@acme.example', profile: 'Integration API Only', sets: ['Erp_"Set"'], lastLoginDate: '2026-11-20T00:00:00.000Z' },
        { username: '=cmd|calc@acme.example', profile: 'Integration API Only', lastLoginDate: '2026-01-01T00:00:00.000Z' },
      ],
    }),
    {
      threshold: 2,
      now: NOW,
      config: {
        suppressions: [{ rule: 'IU-AUTH-006', subject: 'Integration API Only', reason: 'Egress IPs rotate <weekly> & are "unknown"' }],
        severities: {},
        disabled: [],
      },
    }
  );

export const directoryRun = (): AuditRun => {
  const model = directoryModel({
    profiles: { 'Integration API Only': { systemPermissions: ['ApiUserOnly', 'PasswordNeverExpires'], userLicense: 'Salesforce', loginIpRanges: [{ start: '1.1.1.1', end: '1.1.1.1' }] } },
    permissionSets: { Integration_Erp: { systemPermissions: ['ApiEnabled', 'ViewAllData'], license: 'Salesforce API Integration' } },
  });
  model.loadProblems = [{ path: 'force-app/main/default/permissionsets/Broken.permissionset-meta.xml', line: 7, code: 'unreadable', message: 'not well-formed XML: bad' }];
  return auditModel(model, { threshold: 1, now: NOW });
};
