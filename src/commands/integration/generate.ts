import { relative } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';
import { IntegrationCommand } from '../../commandBase.js';
import type { ImpliedGrant, OAuthClientNote } from '../../metadata/generate.js';
import type { WrittenFile } from '../../metadata/write.js';
import type { DescribedField } from '../../org/describe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.generate');

export type GenerateResult = {
  /** Absolute output directory. */
  outputDir: string;
  dryRun: boolean;
  /** The manifest's profile.license. */
  profileLicense: 'auto' | 'salesforce' | 'integration';
  /** The integration profile's name (generated unless profileLicense is 'integration'). */
  profileName: string;
  /**
   * Where the profile's list of user permissions came from: 'portable' (offline: only names every edition has, see
   * notes) or 'org' (--target-org's PermissionSet describe: every permission that org knows).
   */
  userPermissionSource: 'portable' | 'org';
  files: WrittenFile[];
  /** Access added because the declared verbs need it (edit ⇒ read, …). */
  implied: ImpliedGrant[];
  /** What to know about the files: a portable profile (pass --target-org for the complete list), field access left out. */
  notes: string[];
  /** Apps with an External Client App: the run-as user written, and the pre-authorisation left for apply. */
  oauthClients: OAuthClientNote[];
};

export default class Generate extends IntegrationCommand<GenerateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    manifest: Flags.file({
      char: 'f',
      summary: messages.getMessage('flags.manifest.summary'),
      description: messages.getMessage('flags.manifest.description'),
      required: true,
      exists: true,
    }),
    'output-dir': Flags.directory({
      char: 'd',
      summary: messages.getMessage('flags.output-dir.summary'),
      description: messages.getMessage('flags.output-dir.description'),
      default: 'force-app/main/default',
    }),
    force: Flags.boolean({
      summary: messages.getMessage('flags.force.summary'),
      default: false,
    }),
    'dry-run': Flags.boolean({
      summary: messages.getMessage('flags.dry-run.summary'),
      default: false,
    }),
    // Optional and without the configured default: generate works offline unless an org is named.
    'target-org': Flags.optionalOrg({
      summary: messages.getMessage('flags.target-org.summary'),
      description: messages.getMessage('flags.target-org.description'),
      default: undefined,
      // No dynamic default in --help (it would import the command and its dependencies): see src/flags.ts.
      defaultHelp: undefined,
    }),
    'api-version': Flags.orgApiVersion(),
  };

  public async run(): Promise<GenerateResult> {
    const { flags } = await this.parse(Generate);
    // Heavy modules (ajv, fast-xml-parser, source-deploy-retrieve) load here, so --help stays fast.
    const { generateIntegrationMetadata, userPermissionsFromDescribe } = await import('../../metadata/index.js');
    let userPermissions: string[] | undefined;
    let describeObjects: ((names: string[]) => Promise<Map<string, DescribedField[]>>) | undefined;
    const org = flags['target-org'];
    if (org) {
      const { orgContext } = await import('../../org/connection.js');
      const { describeFields, describeObjectsFields, permissionFieldsOf } = await import('../../org/describe.js');
      const ctx = orgContext(org.getConnection(flags['api-version']));
      const described = await describeFields(ctx, 'PermissionSet');
      userPermissions = userPermissionsFromDescribe(permissionFieldsOf(described));
      describeObjects = (names): Promise<Map<string, DescribedField[]>> => describeObjectsFields(ctx, names);
    }
    const { warnings, ...result } = await generateIntegrationMetadata({
      manifestPath: flags.manifest,
      outputDir: flags['output-dir'],
      force: flags.force,
      dryRun: flags['dry-run'],
      userPermissions,
      describeObjects,
    });
    for (const warning of warnings) this.warn(warning);
    await this.render(result);
    return result;
  }

  private async render(result: GenerateResult): Promise<void> {
    if (result.profileLicense === 'integration') this.info(messages.getMessage('info.noProfile', [result.profileName]));
    await this.printTable({
      title: messages.getMessage('table.title'),
      data: result.files.map((file) => ({
        action: file.action,
        type: file.type,
        name: file.fullName,
        path: relative(process.cwd(), file.path),
      })),
    });
    if (result.implied.length > 0) {
      this.log(messages.getMessage('info.implied'));
      for (const grant of result.implied) this.log(`  ${grant.permissionSet}: ${grant.target} ${grant.access}`);
    }
    for (const note of result.notes) this.info(note);
    if (result.oauthClients.length > 0) {
      this.log(messages.getMessage('info.oauthClients'));
      for (const client of result.oauthClients) {
        this.log('  ' + messages.getMessage('info.oauthClient', [client.externalClientApp, client.app, client.flow, client.runAs ? messages.getMessage('info.runAs', [client.runAs]) : '']));
      }
    }
    if (result.dryRun) this.log(messages.getMessage('info.dryRun'));
  }
}
