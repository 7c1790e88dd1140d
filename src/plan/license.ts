/**
 * Which license each app's user gets, and why. `auto` gives the Salesforce Integration license (with the org's
 * integration profile and the SalesforceAPIIntegrationPsl) in manifest order while seats last, and the Salesforce
 * license with the generated API-only profile after that. Existing users keep the license they have. Seats are
 * counted here, before any write, so LICENSE_LIMIT_EXCEEDED is predicted rather than hit. Pure.
 */
import { Messages } from '@salesforce/core';
import {
  INTEGRATION_PSL_DEVELOPER_NAME,
  INTEGRATION_USER_LICENSE,
  type PermissionSetLicense,
  type Profile,
  type User,
  type UserLicense,
} from '../access/model.js';
import type { ProfileLicense } from '../manifest/types.js';
import type { LicenseChoice, LicenseKind, PlanProblem } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'plan');

export const SALESFORCE_USER_LICENSE = 'Salesforce';

export type AppUser = {
  app: string;
  username: string;
  existing?: User;
  /** The existing user already holds the integration PSL. */
  hasPsl: boolean;
};

export type LicenseFacts = {
  mode: ProfileLicense;
  integrationProfileName: string;
  integrationProfile?: Profile;
  integrationLicense?: UserLicense;
  psl?: PermissionSetLicense;
  salesforceLicense?: UserLicense;
  /** The generated profile for users on the Salesforce license. */
  salesforceProfileName: string;
};

const free = (pool: { total: number; used: number } | undefined): number => (pool ? Math.max(0, pool.total - pool.used) : 0);

/** The license an existing user is on, as far as apply cares. */
const currentKind = (user: User | undefined): LicenseKind | undefined =>
  user?.userLicense === INTEGRATION_USER_LICENSE ? 'integration' : user?.userLicense === SALESFORCE_USER_LICENSE ? 'salesforce' : undefined;

/** Does giving `kind` to this user take a new seat of that user license? */
const needsUserSeat = (user: User | undefined, kind: LicenseKind): boolean => !user || !user.isActive || currentKind(user) !== kind;

export type LicensePlan = { choices: LicenseChoice[]; problems: PlanProblem[] };

export const chooseLicenses = (users: AppUser[], facts: LicenseFacts): LicensePlan => {
  let integrationSeats = free(facts.integrationLicense);
  let pslSeats = free(facts.psl);
  const pslName = INTEGRATION_PSL_DEVELOPER_NAME;
  const need = { integration: 0, psl: 0, salesforce: 0 };
  const choices: LicenseChoice[] = [];

  const choose = (user: AppUser, license: LicenseKind, reason: string): void => {
    choices.push({
      app: user.app,
      license,
      profile: license === 'integration' ? facts.integrationProfileName : facts.salesforceProfileName,
      reason,
    });
    if (license === 'integration') {
      if (needsUserSeat(user.existing, 'integration')) {
        need.integration++;
        integrationSeats--;
      }
      if (!user.hasPsl) {
        need.psl++;
        pslSeats--;
      }
    } else if (needsUserSeat(user.existing, 'salesforce')) {
      need.salesforce++;
    }
  };

  /** Why `auto` cannot give this user the integration license, or undefined when it can. */
  const noIntegration = (user: AppUser): string | undefined => {
    const fallback = facts.salesforceProfileName;
    if (!facts.integrationLicense) return messages.getMessage('license.noIntegrationLicense', [fallback]);
    if (!facts.integrationProfile) return messages.getMessage('license.noIntegrationProfile', [facts.integrationProfileName, fallback]);
    if (!facts.psl) return messages.getMessage('license.noPsl', [pslName, fallback]);
    if (needsUserSeat(user.existing, 'integration') && integrationSeats <= 0) {
      const { used, total } = facts.integrationLicense;
      return messages.getMessage('license.noIntegrationSeat', [String(used + need.integration), String(total), fallback]);
    }
    if (!user.hasPsl && pslSeats <= 0) return messages.getMessage('license.noPslSeat', [pslName, String(facts.psl.used + need.psl), String(facts.psl.total), fallback]);
    return undefined;
  };

  for (const user of users) {
    const current = currentKind(user.existing);
    if (facts.mode !== 'auto') choose(user, facts.mode, messages.getMessage('license.forced', [facts.mode]));
    else if (current === 'salesforce' || (current === 'integration' && user.existing?.isActive)) {
      choose(user, current, messages.getMessage('license.keeps', [current === 'integration' ? INTEGRATION_USER_LICENSE : SALESFORCE_USER_LICENSE]));
    } else {
      const refusal = noIntegration(user);
      if (refusal) choose(user, 'salesforce', refusal);
      else choose(user, 'integration', messages.getMessage('license.integrationSeat', [pslName, String(integrationSeats), String(pslSeats)]));
    }
  }

  const problems: PlanProblem[] = [];
  const seatProblem = (count: number, what: string, pool: { total: number; used: number } | undefined): PlanProblem => ({
    code: 'seatsExhausted',
    subject: what,
    message: messages.getMessage('problem.seats', [String(count), what, String(free(pool)), String(pool?.total ?? 0)]),
    fix: messages.getMessage('problem.seats.fix'),
  });
  const usesIntegration = choices.some((c) => c.license === 'integration');
  if (usesIntegration && !facts.integrationProfile) {
    problems.push({
      code: 'integrationProfileMissing',
      subject: facts.integrationProfileName,
      message: messages.getMessage('problem.integrationProfileMissing', [facts.integrationProfileName]),
      fix: messages.getMessage('problem.integrationProfileMissing.fix'),
    });
  }
  if (usesIntegration && !facts.psl) {
    problems.push({ code: 'pslMissing', subject: pslName, message: messages.getMessage('problem.pslMissing', [pslName]), fix: messages.getMessage('problem.pslMissing.fix') });
  }
  if (need.integration > free(facts.integrationLicense) && facts.integrationProfile) problems.push(seatProblem(need.integration, INTEGRATION_USER_LICENSE, facts.integrationLicense));
  if (need.psl > free(facts.psl) && facts.psl) problems.push(seatProblem(need.psl, pslName, facts.psl));
  if (need.salesforce > free(facts.salesforceLicense)) problems.push(seatProblem(need.salesforce, SALESFORCE_USER_LICENSE, facts.salesforceLicense));
  return { choices, problems };
};
