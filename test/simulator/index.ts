/*
 * The org simulator: a loopback HTTP server (127.0.0.1, random port) that answers like a Salesforce org for every
 * call the plugin and `sf org login access-token` make, backed by an in-memory org seeded from a fixture.
 *
 *   const sim = await OrgSimulator.start();                 // demo org; or { fixture: largeOrgFixture({...}) }
 *   const conn = await sim.connect();                       // @salesforce/core Connection (access-token auth)
 *   sim.injectFault({ kind: 'http', match: { pathIncludes: '/query' }, status: 503, errorCode: 'SERVER_UNAVAILABLE' });
 *   sim.requestCount({ method: 'GET', pathIncludes: '/query' });
 *   sim.store.rows('User');                                 // assert the org's state
 *
 * Served: versions, resources, userinfo, identity, sobjects (GET/POST/PATCH/DELETE, describe), query/queryAll/
 * tooling query with paging, composite/sobjects, limits; Metadata SOAP deploy/checkDeployStatus/cancelDeploy/
 * listMetadata/readMetadata. Org rules: server/dml.ts (users, seats, assignments), metadata/ (deploy semantics).
 */
import type { Server } from 'node:http';
import type { Connection } from '@salesforce/core';
import { demoOrgFixture } from './fixtures/demoOrg.js';
import type { OrgFixture } from './fixtures/types.js';
import { DeployJobs } from './metadata/deployJobs.js';
import { loadSchema } from './schema.js';
import type { RequestLogEntry, SimContext } from './server/context.js';
import { FaultQueue, type Fault, type RequestMatch } from './server/faults.js';
import { createSimServer, listen } from './server/http.js';
import { QueryCursors } from './server/queryCursors.js';
import { OrgStore } from './store.js';

export type { OrgFixture } from './fixtures/types.js';
export type { Fault } from './server/faults.js';
export type { RequestLogEntry } from './server/context.js';
export type { Row, FieldValue } from './store.js';
export { OrgStore } from './store.js';
export { demoOrgFixture, demoSandboxFixture } from './fixtures/demoOrg.js';
export { largeOrgFixture } from './fixtures/largeOrg.js';
export { refreshedSandboxFixture, REFRESH_PREFIX } from './fixtures/refreshedSandbox.js';
export { INDUSTRY_USER_PERMISSIONS, plainEditionOrgFixture, withoutUserPermissions } from './fixtures/editions.js';

export type SimulatorOptions = {
  /** Default: demoOrgFixture(). */
  fixture?: OrgFixture;
  /** Added to every response. */
  latencyMs?: number;
  /** Default: a random free port. */
  port?: number;
};

/** Loads a fixture into a fresh store (rows are copied, so one fixture can seed several simulators). */
export function storeFromFixture(fixture: OrgFixture): OrgStore {
  const store = new OrgStore(loadSchema(fixture.customObjects), fixture.org);
  for (const [objectName, rows] of Object.entries(fixture.records)) for (const row of rows) store.insert(objectName, row);
  for (const username of fixture.takenUsernames) store.takenUsernames.add(username.toLowerCase());
  for (const name of fixture.metadataUnknownUserPermissions ?? []) store.metadataUnknownUserPermissions.add(name.toLowerCase());
  for (const [profileId, ranges] of Object.entries(fixture.loginIpRanges)) store.loginIpRanges.set(profileId, ranges.map((r) => ({ ...r })));
  for (const [id, csv] of Object.entries(fixture.logFiles ?? {})) store.logFiles.set(id.slice(0, 15), csv);
  for (const object of fixture.deniedObjects ?? []) store.deniedObjects.add(object.toLowerCase());
  const runningUser = store.rows('User').find((u) => String(u.Username).toLowerCase() === fixture.runningUsername.toLowerCase());
  if (!runningUser) throw new Error(`fixture: running user ${fixture.runningUsername} is not in the org`);
  store.runningUserId = String(runningUser.Id);
  return store;
}

export class OrgSimulator {
  public readonly url: string;
  public readonly accessToken: string;
  public readonly username: string;
  public readonly orgId: string;
  public readonly store: OrgStore;
  public readonly requests: RequestLogEntry[];

  private constructor(private readonly server: Server, private readonly ctx: SimContext, username: string) {
    this.url = ctx.url;
    this.accessToken = ctx.accessToken;
    this.username = username;
    this.orgId = ctx.store.org.orgId;
    this.store = ctx.store;
    this.requests = ctx.requests;
  }

  public static async start(options: SimulatorOptions = {}): Promise<OrgSimulator> {
    const fixture = options.fixture ?? demoOrgFixture();
    const store = storeFromFixture(fixture);
    const ctx: SimContext = {
      store,
      schema: store.schema,
      url: '',
      // matches core's opaque token pattern /(00D\w{12,15})![.\w]*/
      accessToken: `${store.org.orgId}!SIM.${Math.random().toString(36).slice(2, 12)}`,
      faults: new FaultQueue(),
      cursors: new QueryCursors(),
      deploys: new DeployJobs(),
      requests: [],
      latencyMs: options.latencyMs ?? 0,
      slowRequests: [],
    };
    const server = createSimServer(ctx);
    ctx.url = await listen(server, options.port ?? 0);
    return new OrgSimulator(server, ctx, String(store.get(store.runningUserId)!.row.Username));
  }

  /** A @salesforce/core Connection authorised with the access token (same requests as `sf org login access-token`). */
  public async connect(): Promise<Connection> {
    const { AuthInfo, Connection: SfConnection } = await import('@salesforce/core');
    const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken: this.accessToken, instanceUrl: this.url, loginUrl: this.url } });
    return SfConnection.create({ authInfo });
  }

  public requestCount(filter: { method?: string; pathIncludes?: string; soapCall?: string } = {}): number {
    return this.requests.filter(
      (r) =>
        (!filter.method || r.method === filter.method.toUpperCase()) &&
        (!filter.pathIncludes || r.path.includes(filter.pathIncludes)) &&
        (!filter.soapCall || r.soapCall === filter.soapCall)
    ).length;
  }

  public resetRequests(): void {
    this.requests.length = 0;
  }

  public injectFault(fault: Fault): void {
    this.ctx.faults.add(fault);
  }

  public clearFaults(): void {
    this.ctx.faults.clear();
  }

  /** The owner of a pending e-mail address clicks the verification link: the address takes effect. */
  public confirmEmail(username: string): void {
    const user = this.store.rows('User').find((u) => String(u.Username).toLowerCase() === username.toLowerCase());
    const pending = user ? this.store.pendingEmails.get(String(user.Id)) : undefined;
    if (!user || pending === undefined) throw new Error(`no pending e-mail for ${username}`);
    this.store.update(String(user.Id), { Email: pending });
    this.store.pendingEmails.delete(String(user.Id));
  }

  /** The pending (unverified) e-mail address of a user, if any. */
  public pendingEmail(username: string): string | undefined {
    const user = this.store.rows('User').find((u) => String(u.Username).toLowerCase() === username.toLowerCase());
    return user ? this.store.pendingEmails.get(String(user.Id)) : undefined;
  }

  public setLatency(ms: number): void {
    this.ctx.latencyMs = ms;
  }

  /**
   * Adds `extraMs` to the answer time of the requests `match` finds, for the simulator's life (a test of requests
   * that must be sent before another one ends, whatever the machine's load). Not a Salesforce behaviour: a test knob.
   */
  public slowDown(match: RequestMatch, extraMs: number): void {
    this.ctx.slowRequests.push({ match, extraMs });
  }

  public stop(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
