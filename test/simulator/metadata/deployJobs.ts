/* Deploy jobs: the result is computed when the deploy arrives; polls see InProgress first, then the outcome. */
import { makeId } from '../store.js';

export type DeployMessage = {
  changed: boolean;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  success: boolean;
};

export type DeployOutcome = {
  status: 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceled';
  successes: DeployMessage[];
  failures: DeployMessage[];
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  errorMessage?: string;
  errorStatusCode?: string;
};

export type DeployJob = {
  id: string;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  rollbackOnError: boolean;
  createdDate: string;
  polls: number;
  /** Set once the deploy has run (on the poll that reports it done) or was canceled. */
  outcome?: DeployOutcome;
  /** Runs the deploy against the org; cleared once it ran. */
  pending?: () => DeployOutcome;
};

export class DeployJobs {
  private readonly jobs = new Map<string, DeployJob>();
  private sequence = 0;

  public add(job: Omit<DeployJob, 'id' | 'polls'>): DeployJob {
    const full: DeployJob = { ...job, id: makeId('0Af', ++this.sequence), polls: 0 };
    this.jobs.set(full.id, full);
    this.jobs.set(full.id.slice(0, 15), full);
    return full;
  }

  public get(id: string): DeployJob | undefined {
    return this.jobs.get(id) ?? this.jobs.get(id.slice(0, 15));
  }

  public all(): DeployJob[] {
    return [...new Set(this.jobs.values())];
  }
}
