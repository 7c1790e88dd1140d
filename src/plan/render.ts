/** The plan as text, Terraform-style: one line per action, `+ create`, `~ update`, `= unchanged`, `- remove`, `? orphaned`. Pure. */
import type { Plan, PlanAction, PlanOp } from './types.js';

export const OP_SYMBOL: Record<PlanOp, string> = { create: '+', update: '~', unchanged: '=', remove: '-', orphaned: '?' };

const KIND_LABEL: Record<PlanAction['kind'], string> = {
  deployProfile: 'profile',
  deployPermissionSet: 'permission set',
  createUser: 'user',
  updateUser: 'user',
  reactivateUser: 'reactivate user',
  repairEmail: 'e-mail',
  unfreezeUser: 'unfreeze user',
  assignPermissionSetLicense: 'license assignment',
  assignPermissionSet: 'assignment',
  removeAssignment: 'assignment',
  deactivateUser: 'deactivate user',
  deployExternalClientApp: 'external client app',
  orphan: 'orphaned',
};

const pad = (text: string, width: number): string => (text.length >= width ? text : text + ' '.repeat(width - text.length));

/** Lines of the plan table (no colour, so it reads the same in a log). */
export const renderPlan = (plan: Plan, options: { showUnchanged?: boolean } = {}): string[] => {
  const rows = plan.actions.filter((a) => options.showUnchanged !== false || a.op !== 'unchanged');
  const kindWidth = Math.max(0, ...rows.map((a) => KIND_LABEL[a.kind].length));
  const subjectWidth = Math.min(60, Math.max(0, ...rows.map((a) => a.subject.length)));
  return rows.map((a) => `${OP_SYMBOL[a.op]} ${pad(KIND_LABEL[a.kind], kindWidth)}  ${pad(a.subject, subjectWidth)}  ${a.reason}`);
};

export const renderLicenses = (plan: Plan): string[] =>
  plan.licenses.map((l) => `${l.app}: ${l.license === 'integration' ? 'Salesforce Integration' : 'Salesforce'} license, profile "${l.profile}". ${l.reason}`);
