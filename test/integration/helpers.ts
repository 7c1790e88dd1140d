/**
 * Shared setup for integration tests against the org simulator: an isolated HOME, a Connection to the simulator,
 * and the environment that lets a command take the simulator's access token as --target-org.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, Connection } from '@salesforce/core';
import type { OrgSimulator } from '../simulator/index.js';

export const API_VERSION = '66.0';

export const connectionTo = async (sim: OrgSimulator): Promise<Connection> => {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: { accessToken: sim.accessToken, instanceUrl: sim.url, loginUrl: sim.url },
  });
  return Connection.create({ authInfo, connectionOptions: { version: API_VERSION } });
};

/** Points HOME at a temp dir and core at the simulator; returns a function that undoes it. */
export const isolateCliEnv = (sim: OrgSimulator): (() => void) => {
  const saved = { ...process.env };
  const home = mkdtempSync(join(tmpdir(), 'sf-iu-home-'));
  Object.assign(process.env, {
    HOME: home,
    USERPROFILE: home,
    SF_ORG_INSTANCE_URL: sim.url,
    SF_ORG_API_VERSION: API_VERSION,
    SF_DISABLE_TELEMETRY: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  });
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    // core's logger may still be writing under HOME; a leftover temp dir is harmless.
    try {
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* left for the OS to clean */
    }
  };
};
