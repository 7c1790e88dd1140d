import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';
import { IntegrationCommand } from '../../commandBase.js';
import { orgLabel as labelOf } from '../../org/orgLabel.js';
import { orgFlags } from '../../flags.js';
import type { ApplyRunResult } from '../../plan/apply.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.apply');

export type ApplyResult = ApplyRunResult;

export default class Apply extends IntegrationCommand<ApplyResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    ...orgFlags,
    manifest: Flags.file({ char: 'f', summary: messages.getMessage('flags.manifest.summary'), required: true, exists: true }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    verbose: Flags.boolean({ summary: messages.getMessage('flags.verbose.summary'), default: false }),
    prune: Flags.boolean({ summary: messages.getMessage('flags.prune.summary'), default: false }),
    'repair-emails': Flags.boolean({ summary: messages.getMessage('flags.repair-emails.summary'), default: false }),
    'sandbox-name': Flags.string({ summary: messages.getMessage('flags.sandbox-name.summary') }),
  };

  public async run(): Promise<ApplyResult> {
    const { flags } = await this.parse(Apply);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    // Loaded here, not at the top, so `--help` does not pay for them.
    const [{ loadManifestWithState }, { runApply }, { engineCallbacks, finishRun }] = await Promise.all([
      import('../../manifest/load.js'),
      import('../../plan/apply.js'),
      import('../../plan/commandUx.js'),
    ]);
    const { desired, warnings, notes } = await loadManifestWithState(flags.manifest);
    for (const warning of warnings) this.warn(warning);

    const orgLabel = labelOf(flags['target-org']);
    const result = await runApply({
      conn,
      desired,
      dryRun: flags['dry-run'],
      prune: flags.prune,
      repairEmails: flags['repair-emails'],
      sandboxName: flags['sandbox-name'],
      ...engineCallbacks(this, orgLabel, { verbose: flags.verbose }),
    }).finally(() => this.spinner.stop());
    return finishRun(this, { ...result, notes: [...notes, ...result.notes] });
  }
}
