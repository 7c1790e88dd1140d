/* Injected faults: which request a fault hits, and how many times it still fires. */

/** Which requests a fault (or an added delay) applies to: every given field must match. */
export type RequestMatch = { method?: string; pathIncludes?: string; soapCall?: string; soqlIncludes?: string };

export type HttpFault = {
  kind: 'http';
  match: RequestMatch;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** How many matching requests pass before the fault fires (default 0). */
  skip?: number;
  status: number;
  errorCode: string;
  message?: string;
  /**
   * The org carries the request out and commits it, then the client gets this fault instead of the answer (a
   * gateway timeout or a dropped connection after the commit). UNVERIFIED as a documented Salesforce behaviour: no
   * source read here describes it, but nothing in HTTP prevents it, and it is the case a safe client must survive.
   */
  afterCommit?: boolean;
};

export type DeployFailureFault = {
  kind: 'deployFailure';
  /** fullName of the component that fails; the first component when omitted. */
  component?: string;
  problem: string;
};

export type Fault = HttpFault | DeployFailureFault;

export type RequestFacts = { method: string; path: string; soql?: string; soapCall?: string };

const DEFAULT_MESSAGES: Record<string, string> = {
  REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
  UNABLE_TO_LOCK_ROW: 'unable to obtain exclusive access to this record or 1 records',
  SERVER_UNAVAILABLE: 'Server temporarily unavailable, please try again later.',
};

export function faultMessage(fault: HttpFault): string {
  return fault.message ?? DEFAULT_MESSAGES[fault.errorCode] ?? `Simulated ${fault.errorCode}`;
}

export function matchesFault(fault: HttpFault, request: RequestFacts): boolean {
  return matchesRequest(fault.match, request);
}

export function matchesRequest(m: RequestMatch, request: RequestFacts): boolean {
  if (m.method && m.method.toUpperCase() !== request.method) return false;
  if (m.pathIncludes && !request.path.includes(m.pathIncludes)) return false;
  if (m.soapCall && m.soapCall !== request.soapCall) return false;
  if (m.soqlIncludes && !(request.soql ?? '').toLowerCase().includes(m.soqlIncludes.toLowerCase())) return false;
  return true;
}

export class FaultQueue {
  private faults: Array<{ fault: Fault; remaining: number; skip: number }> = [];

  public add(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.kind === 'http' ? fault.times ?? 1 : 1, skip: fault.kind === 'http' ? fault.skip ?? 0 : 0 });
  }

  public clear(): void {
    this.faults = [];
  }

  /** The first HTTP fault matching the request, consuming one of its shots. */
  public takeHttp(request: RequestFacts): HttpFault | undefined {
    const entry = this.faults.find((f) => f.fault.kind === 'http' && f.remaining > 0 && matchesFault(f.fault, request));
    if (!entry) return undefined;
    if (entry.skip > 0) {
      entry.skip--;
      return undefined;
    }
    entry.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return entry.fault as HttpFault;
  }

  public takeDeployFailure(): DeployFailureFault | undefined {
    const at = this.faults.findIndex((f) => f.fault.kind === 'deployFailure');
    if (at < 0) return undefined;
    const [entry] = this.faults.splice(at, 1);
    return entry.fault as DeployFailureFault;
  }
}
