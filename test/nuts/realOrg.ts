/*
 * NUTs run against a REAL org and skip themselves unless the usual cli-plugins-testkit variables name one:
 *
 *   TESTKIT_ORG_USERNAME=me@acme.example.uat      an org already authenticated in your sf (read-only NUTs use it
 *                                                 as is; TESTKIT_HOMEDIR defaults to your home so sf finds its auth)
 *   TESTKIT_AUTH_URL=force://…  or  TESTKIT_HUB_USERNAME + TESTKIT_JWT_CLIENT_ID + TESTKIT_JWT_KEY
 *                                                 a Dev Hub: the NUTs create a 1-day scratch org from test/nuts/project
 *                                                 (needs `sf` on PATH; the pinned one in test/e2e/cli is added)
 *   TESTKIT_EXECUTABLE_PATH=…/sf                  run the commands through that sf (with the plugin linked);
 *                                                 default: the plugin's own bin/run.js (built lib/)
 *
 * Run with `npm run test:nuts`.
 */
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TestSession } from '@salesforce/cli-plugins-testkit';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Which kind of real org the environment names, if any. */
export function configuredRealOrg(env: NodeJS.ProcessEnv = process.env): 'existing-org' | 'dev-hub' | undefined {
  if (env.TESTKIT_ORG_USERNAME) return 'existing-org';
  if (env.TESTKIT_AUTH_URL) return 'dev-hub';
  if (env.TESTKIT_HUB_USERNAME) return 'dev-hub';
  return undefined;
}

export type RealOrgSession = { session: TestSession; username: string };

/** Opens a testkit session on the configured org (call only when configuredRealOrg() is defined). */
export async function openRealOrgSession(): Promise<RealOrgSession> {
  const kind = configuredRealOrg();
  if (kind === undefined) throw new Error('no real org configured (set TESTKIT_ORG_USERNAME or TESTKIT_AUTH_URL)');
  const pinnedSf = join(REPO_ROOT, 'test', 'e2e', 'cli', 'node_modules', '.bin');
  if (existsSync(pinnedSf)) process.env.PATH = `${pinnedSf}${delimiter}${process.env.PATH ?? ''}`;

  if (kind === 'existing-org') {
    // testkit points HOME at its session folder; the org's auth files live in the real home.
    process.env.TESTKIT_HOMEDIR ??= homedir();
    const session = await TestSession.create({ devhubAuthStrategy: 'NONE' });
    return { session, username: process.env.TESTKIT_ORG_USERNAME! };
  }
  const session = await TestSession.create({
    project: { sourceDir: join(REPO_ROOT, 'test', 'nuts', 'project') },
    devhubAuthStrategy: 'AUTO',
    scratchOrgs: [{ config: join('config', 'project-scratch-def.json'), setDefault: true, duration: 1 }],
  });
  const username = session.orgs.get('default')?.username;
  if (!username) throw new Error('testkit created no scratch org');
  return { session, username };
}
