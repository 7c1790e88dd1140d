/**
 * The audit without the CLI: load (org or directory) → rules → suppressions. The command parses flags, writes the
 * reports (src/report, a layer above) and sets the exit code; tests and the benchmark call this directly.
 */
import type { OrgConnection, OrgCallStats } from '../org/connection.js';
import type { AppUsername } from '../access/integrationUsers.js';
import type { AccessModel } from '../access/model.js';
import type { OAuthClientFiles } from '../access/oauthClientFiles.js';
import type { DeclaredIntegration } from '../rules/types.js';
import { defaultConfigPath, EMPTY_CONFIG, loadAuditConfig } from './config.js';
import { declaredIntegrationOf } from './declared.js';
import { parseThreshold } from './threshold.js';
import type { AuditRun } from './types.js';

export type AuditTarget =
  | { kind: 'org'; connection: OrgConnection; origin?: string; stats?: OrgCallStats }
  | { kind: 'directory'; path: string };

export type AuditPipelineInput = {
  target: AuditTarget;
  definitionFile?: string;
  /** Explicit configuration file; without it the project's integration-audit.json is used when present. */
  configFile?: string;
  threshold?: string;
  dormantDays?: number;
  /** Org audits: days of evidence of use to read (0 or absent: none; see src/evidence). */
  evidenceDays?: number;
  now?: Date;
  cwd?: string;
};

export type AuditPipelineOutput = AuditRun & { manifestWarnings: string[]; model: AccessModel };

type OAuthClientsRead =
  | { clients: NonNullable<AccessModel['oauthClients']>; files?: Omit<OAuthClientFiles, 'clients'> }
  | { reason: string };

/**
 * The OAuth clients the IU-OAUTH rules need: from the org through the Metadata API (External Client Apps and Connected
 * Apps; never the global OAuth settings, which hold the consumer secret), or from the directory's files. An org that
 * refuses the read (no permission to view the apps) makes the rules "not evaluated", not passed. Started beside the
 * model's load (they are independent), so its round trips are not added to the audit's.
 */
const readOAuthClientsOf = async (input: AuditPipelineInput, walked?: readonly string[]): Promise<OAuthClientsRead> => {
  try {
    if (input.target.kind === 'org') {
      const [{ readOAuthClients }, { orgContext, newCallStats }] = await Promise.all([import('../org/externalClientApps.js'), import('../org/connection.js')]);
      const ctx = orgContext(input.target.connection, { stats: input.target.stats ?? newCallStats() });
      return { clients: await readOAuthClients(ctx, { connectedApps: true }) };
    }
    const { loadOAuthClientFiles } = await import('../access/oauthClientFiles.js');
    const { clients, ...files } = await loadOAuthClientFiles(input.target.path, walked);
    return { clients, files };
  } catch (error) {
    return { reason: (error as Error).message };
  }
};

/* eslint-disable no-param-reassign -- the model is this pipeline's own, built just above */
const addOAuthClients = (model: AccessModel, read: OAuthClientsRead): void => {
  if ('clients' in read) {
    model.oauthClients = read.clients;
    model.availableFacts.push('oauthClients');
    // A directory's OAuth files are its files too: counted, and an unreadable one fails the audit (runAudit.ts).
    if (read.files) {
      model.loadProblems.push(...read.files.problems);
      const stats = model.loadStats;
      if (stats) {
        stats.filesFound += read.files.filesFound;
        stats.filesRead += read.files.filesRead;
        stats.filesSkipped += read.files.filesFound - read.files.filesRead;
        stats.filesIgnored += read.files.filesIgnored;
        stats.bytesRead += read.files.bytesRead;
      }
    }
  } else {
    model.unavailableFacts.push({ fact: 'oauthClients', reason: read.reason });
  }
};
/* eslint-enable no-param-reassign */

export const runAuditPipeline = async (input: AuditPipelineInput): Promise<AuditPipelineOutput> => {
  // Cheap input checks first: a bad flag or file must not cost a full org load.
  const threshold = parseThreshold(input.threshold);
  const configPath = input.configFile ?? (await defaultConfigPath(input.cwd));
  const config = configPath ? await loadAuditConfig(configPath) : EMPTY_CONFIG;
  let declared: DeclaredIntegration | undefined;
  let manifestUsers: AppUsername[] | undefined;
  let manifestWarnings: string[] = [];
  if (input.definitionFile) {
    const [{ loadManifestWithState }, { appUsernames }] = await Promise.all([import('../manifest/load.js'), import('../manifest/desiredState.js')]);
    const loaded = await loadManifestWithState(input.definitionFile);
    declared = declaredIntegrationOf(loaded.desired);
    manifestUsers = appUsernames(loaded.desired);
    manifestWarnings = loaded.warnings;
  }

  // Org: the apps are read beside the model's load. Directory: from the files the loader's walk found.
  let oauthClients: Promise<OAuthClientsRead>;
  let model: AccessModel;
  // The rules load while the org answers the first requests (imported once they are sent).
  let rules: Promise<typeof import('./runAudit.js')>;
  if (input.target.kind === 'org') {
    oauthClients = readOAuthClientsOf(input);
    const [{ loadAccessModelFromOrg }, { startEvidence }] = await Promise.all([import('../access/orgLoader.js'), import('../evidence/load.js')]);
    const loading = loadAccessModelFromOrg(input.target.connection, {
      // The rules look at integration users only: other users' assignments are not read.
      assignments: 'integrationUsers',
      ...(manifestUsers ? { manifestUsers } : {}),
      ...(input.target.stats ? { stats: input.target.stats } : {}),
      ...(input.target.origin ? { origin: input.target.origin } : {}),
      ...(input.evidenceDays !== undefined ? { evidenceDays: input.evidenceDays, evidenceLoader: startEvidence } : {}),
    });
    rules = import('./runAudit.js');
    model = await loading;
  } else {
    rules = import('./runAudit.js');
    const [{ loadDirectory, refuseNothingToAudit }, { OAUTH_FILE_ENDINGS }] = await Promise.all([
      import('../access/directoryLoader.js'),
      import('../access/oauthClientFiles.js'),
    ]);
    const loaded = await loadDirectory(input.target.path, OAUTH_FILE_ENDINGS);
    model = loaded.model;
    const read = await readOAuthClientsOf(input, loaded.extraFiles);
    const clientsRead = 'clients' in read ? read : undefined;
    refuseNothingToAudit(input.target.path, model, clientsRead?.clients.length ?? 0, clientsRead?.files?.problems.length ?? 0);
    oauthClients = Promise.resolve(read);
  }

  addOAuthClients(model, await oauthClients);

  const { auditModel } = await rules;
  const run = auditModel(model, {
    threshold,
    config,
    ...(declared ? { declared } : {}),
    ...(input.dormantDays ? { dormantDays: input.dormantDays } : {}),
    ...(input.now ? { now: input.now } : {}),
  });
  return { ...run, manifestWarnings, model };
};
