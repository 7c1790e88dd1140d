import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';
import { IntegrationCommand } from '../../../commandBase.js';
import { evidenceDaysOptional, orgFlags } from '../../../flags.js';
import type { AppUsername } from '../../../access/integrationUsers.js';
import type { IntegrationUserRow } from '../../../inventory/userList.js';
import { orgLabel as labelOf } from '../../../org/orgLabel.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.user.list');

export type UserListResult = {
  users: IntegrationUserRow[];
  total: number;
};

export default class UserList extends IntegrationCommand<UserListResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    ...orgFlags,
    manifest: Flags.file({ char: 'f', summary: messages.getMessage('flags.manifest.summary'), exists: true }),
    'active-only': Flags.boolean({ summary: messages.getMessage('flags.active-only.summary'), default: false }),
    verbose: Flags.boolean({ summary: messages.getMessage('flags.verbose.summary'), default: false }),
    'evidence-days': evidenceDaysOptional,
  };

  public async run(): Promise<UserListResult> {
    const { flags } = await this.parse(UserList);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    // Loaded here, not at the top, so `--help` does not pay for them.
    const [{ loadAccessModelFromOrg, USER_LIST_LOAD }, { buildUserList }, { renderUserRecords, renderUserTable, userListSummary }, { outputWidth, wrap }] = await Promise.all([
      import('../../../access/orgLoader.js'),
      import('../../../inventory/userList.js'),
      import('../../../inventory/userListTable.js'),
      import('../../../terminal/width.js'),
    ]);

    // Read first: a bad manifest fails before any request to the org.
    const manifestUsers = flags.manifest ? await this.manifestUsers(flags.manifest) : undefined;
    this.spinner.start(messages.getMessage('spinner.loading'));
    const days = flags['evidence-days'];
    const evidenceLoader = days ? (await import('../../../evidence/load.js')).startEvidence : undefined;
    const load = days
      ? { ...USER_LIST_LOAD, facts: [...(USER_LIST_LOAD.facts ?? []), 'oauthTokens' as const, 'loginEvents' as const, 'apiUsage' as const], evidenceDays: days, evidenceLoader }
      : USER_LIST_LOAD;
    const model = await loadAccessModelFromOrg(conn, load).finally(() => this.spinner.stop());
    // The frozen users' reason says itself what was not read and what it means; the others are named by what they are.
    if (model.unavailableFacts.length > 0) {
      const { factName } = await import('../../../rules/text.js');
      for (const { fact, reason } of model.unavailableFacts) this.warn(fact === 'frozenUsers' ? reason : messages.getMessage('warning.unavailable', [factName(fact), reason]));
    }

    const result = buildUserList(model, { includeInactive: !flags['active-only'], manifestUsers });
    // Not the CLI username: with an access token as --target-org, core reports the token as the username.
    const orgLabel = labelOf(flags['target-org'], model.org);
    if (result.users.length === 0) {
      this.log(messages.getMessage('table.empty', [orgLabel]));
    } else {
      const { title, notes } = userListSummary(result.users, orgLabel);
      const width = outputWidth();
      if (flags.verbose) {
        this.log([...renderUserRecords(result.users, title, width), ...notes.flatMap((note) => wrap(note, width))].join('\n'));
      } else {
        await this.printTable(renderUserTable(result.users, title, { width }));
        this.log([...notes, messages.getMessage('table.more')].flatMap((text) => wrap(text, width)).join('\n'));
      }
    }
    return result;
  }

  private async manifestUsers(path: string): Promise<AppUsername[]> {
    const [{ loadManifestWithState }, { appUsernames }] = await Promise.all([import('../../../manifest/load.js'), import('../../../manifest/desiredState.js')]);
    const { desired, warnings } = await loadManifestWithState(path);
    for (const warning of warnings) this.warn(warning);
    return appUsernames(desired);
  }
}
