/**
 * Flags shared by the plugin's org commands.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'flags');

/**
 * `-o/--target-org`, required, defaulting to the configured target org like every sf command, but without a
 * dynamic default in `--help`: oclif imports a command (and this plugin's own copies of @salesforce/core and
 * sf-plugins-core) to compute a dynamic default, which made `--help` about 1 s slower than sf's own commands.
 */
export const requiredTargetOrg = Flags.requiredOrg({
  summary: messages.getMessage('flags.target-org.summary'),
  defaultHelp: undefined,
});
