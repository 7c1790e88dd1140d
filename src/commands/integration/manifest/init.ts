import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';
import { IntegrationCommand } from '../../../commandBase.js';
import { evidenceDaysOptional, orgFlags } from '../../../flags.js';
import type { DraftAppSummary, DraftReviewItem } from '../../../manifest/draft.js';
import type { Manifest, ManifestProblem } from '../../../manifest/types.js';
import { orgLabel as labelOf } from '../../../org/orgLabel.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.manifest.init');

export type ManifestInitResult = {
  /** Absolute path of the written draft. */
  outputFile: string;
  manifest: Manifest;
  apps: DraftAppSummary[];
  /** What a human must look at before the manifest is used; `justification` items fail validation until done. */
  review: Array<DraftReviewItem & { message: string }>;
  /** Validation problems of the draft other than the justification placeholders (expected: none). */
  problems: ManifestProblem[];
};

export default class ManifestInit extends IntegrationCommand<ManifestInitResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    ...orgFlags,
    'output-file': Flags.file({
      summary: messages.getMessage('flags.output-file.summary'),
      default: 'integration.json',
    }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    'evidence-days': evidenceDaysOptional,
  };

  public async run(): Promise<ManifestInitResult> {
    const { flags } = await this.parse(ManifestInit);
    const outputFile = resolve(flags['output-file']);
    // Refuse before reading the org: a lost hand-edited manifest is worse than a wasted round trip.
    if (existsSync(outputFile) && !flags.force) throw messages.createError('error.FileExists', [outputFile]);
    const org = flags['target-org'];
    const [{ loadAccessModelFromOrg, manifestDraftLoad }, { indexModel }, { findIntegrationUsers }, { draftManifest }, { validateManifest }] = await Promise.all([
      import('../../../access/orgLoader.js'),
      import('../../../access/effective.js'),
      import('../../../access/integrationUsers.js'),
      import('../../../manifest/draft.js'),
      import('../../../manifest/validate.js'),
    ]);
    this.spinner.start(messages.getMessage('spinner.loading'));
    const days = flags['evidence-days'];
    const evidenceLoader = days ? { evidenceLoader: (await import('../../../evidence/load.js')).startEvidence } : {};
    const model = await loadAccessModelFromOrg(org.getConnection(flags['api-version']), { ...manifestDraftLoad(days), ...evidenceLoader }).finally(() =>
      this.spinner.stop()
    );
    // Without API log files the draft cannot tell used from unused objects: it keeps what is granted, and says why.
    const apiUsage = model.unavailableFacts.find((u) => u.fact === 'apiUsage');
    if (days && apiUsage) this.warn(messages.getMessage('warning.noApiUsage', [apiUsage.reason]));
    // Named by the org's own facts: a username given as an access token must never reach the file or the output.
    const orgLabel = labelOf(org, model.org);
    const index = indexModel(model);
    const evidence = days && !apiUsage ? model.evidence : undefined;
    const draft = draftManifest(index, findIntegrationUsers(index), { origin: orgLabel, ...(evidence ? { evidence } : {}) });
    if (draft.manifest.apps.length === 0) throw messages.createError('error.NoIntegrationUsers', [orgLabel]);

    const validation = validateManifest(draft.manifest, outputFile, { knownUserPermissions: model.knownSystemPermissions });
    const problems = validation.problems.filter((problem) => problem.code !== 'justificationTooShort');
    await mkdir(dirname(outputFile), { recursive: true });
    await writeFile(outputFile, `${JSON.stringify(draft.manifest, null, 2)}\n`, 'utf8');

    const review = draft.review.map((item) => ({
      ...item,
      message: messages.getMessage(`review.${item.kind}`, reviewTokens(item)),
    }));
    const result: ManifestInitResult = { outputFile, manifest: draft.manifest, apps: draft.apps, review, problems };
    await this.render(result, orgLabel);
    return result;
  }

  private async render(result: ManifestInitResult, orgLabel: string): Promise<void> {
    await this.printTable({
      title: messages.getMessage('table.title', [orgLabel]),
      data: result.apps.map((app) => ({
        app: app.app,
        username: app.username,
        permissionSet: app.permissionSet,
        from: app.sources.join(', '),
        objects: app.objects,
        fields: app.fields,
        elevated: app.elevated,
      })),
    });
    this.log(messages.getMessage('info.written', [result.outputFile]));
    if (result.review.length > 0) {
      this.log(messages.getMessage('info.review', [String(result.review.length)]));
      for (const item of result.review) this.log(`  - ${item.message}`);
    }
    for (const problem of result.problems) this.warn(`${problem.path}: ${problem.message}`);
    this.log(messages.getMessage('info.nextSteps', [result.outputFile]));
  }
}

/** The tokens of each review message (see messages/integration.manifest.init.md). */
function reviewTokens(item: DraftReviewItem): string[] {
  const who = item.app ?? item.username;
  switch (item.kind) {
    case 'justification':
      return [who, item.subject, item.path ?? ''];
    case 'emailMissing':
      return [who, item.username];
    case 'inactiveUserSkipped':
      return [item.username];
    default:
      return [who, item.subject];
  }
}
