import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';
import { IntegrationCommand } from '../../../commandBase.js';
import { orgLabel as labelOf } from '../../../org/orgLabel.js';
import { orgFlags } from '../../../flags.js';
import type { ApplyRunResult } from '../../../plan/apply.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.user.create');

export type UserCreateResult = ApplyRunResult;

export default class UserCreate extends IntegrationCommand<UserCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    ...orgFlags,
    app: Flags.string({ summary: messages.getMessage('flags.app.summary'), required: true }),
    'definition-file': Flags.file({ summary: messages.getMessage('flags.definition-file.summary'), exists: true }),
    object: Flags.string({ summary: messages.getMessage('flags.object.summary'), multiple: true }),
    field: Flags.string({ summary: messages.getMessage('flags.field.summary'), multiple: true }),
    permission: Flags.string({ summary: messages.getMessage('flags.permission.summary'), multiple: true }),
    'apex-class': Flags.string({ summary: messages.getMessage('flags.apex-class.summary'), multiple: true }),
    license: Flags.option({ summary: messages.getMessage('flags.license.summary'), options: ['auto', 'salesforce', 'integration'] as const, default: 'auto' })(),
    username: Flags.string({ summary: messages.getMessage('flags.username.summary') }),
    email: Flags.string({ summary: messages.getMessage('flags.email.summary') }),
    'first-name': Flags.string({ summary: messages.getMessage('flags.first-name.summary') }),
    'last-name': Flags.string({ summary: messages.getMessage('flags.last-name.summary') }),
    'profile-name': Flags.string({ summary: messages.getMessage('flags.profile-name.summary') }),
    'sandbox-name': Flags.string({ summary: messages.getMessage('flags.sandbox-name.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    verbose: Flags.boolean({ summary: messages.getMessage('flags.verbose.summary'), default: false }),
  };

  public async run(): Promise<UserCreateResult> {
    const { flags } = await this.parse(UserCreate);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    // Loaded here, not at the top, so `--help` does not pay for them.
    const [{ runUserCreate }, { engineCallbacks, finishRun }] = await Promise.all([
      import('../../../plan/userCreate.js'),
      import('../../../plan/commandUx.js'),
    ]);
    const orgLabel = labelOf(flags['target-org']);
    const result = await runUserCreate({
      conn,
      app: flags.app,
      definitionFile: flags['definition-file'],
      access: { objects: flags.object, fields: flags.field, permissions: flags.permission, apexClasses: flags['apex-class'] },
      license: flags.license,
      username: flags.username,
      email: flags.email,
      firstName: flags['first-name'],
      lastName: flags['last-name'],
      profileName: flags['profile-name'],
      sandboxName: flags['sandbox-name'],
      dryRun: flags['dry-run'],
      onWarning: (message: string) => this.warn(message),
      ...engineCallbacks(this, orgLabel, { verbose: flags.verbose }),
    }).finally(() => this.spinner.stop());
    return finishRun(this, result);
  }
}
