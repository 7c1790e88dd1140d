/**
 * The benchmarks' org simulator: a generated large org in its own process (so its CPU is not counted as the
 * plugin's), and a Connection to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AuthInfo, Connection } from '@salesforce/core';

const SIM_CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'simulator', 'cli.ts');

export type SimInfo = { url: string; accessToken: string };

export const startSimulator = (
  users: number,
  permissionSets: number,
  latencyMs: number
): Promise<{ child: ChildProcess; info: SimInfo }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', SIM_CLI, '--fixture', 'large', '--users', String(users), '--permission-sets', String(permissionSets), '--latency', String(latencyMs)],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    );
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, info: JSON.parse(line) as SimInfo }));
  });

export const connect = async (sim: SimInfo): Promise<Connection> =>
  Connection.create({
    authInfo: await AuthInfo.create({ accessTokenOptions: { accessToken: sim.accessToken, instanceUrl: sim.url, loginUrl: sim.url } }),
    connectionOptions: { version: '66.0' },
  });
