import { relative, isAbsolute } from 'node:path';
import { Messages, Org, SfError } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core/Flags';
import { IntegrationCommand } from '../../commandBase.js';
import { evidenceDaysDefault30 } from '../../flags.js';
import { orgLabel as labelOf } from '../../org/orgLabel.js';
import { EXIT_AUDIT_FAILED, EXIT_FINDINGS } from '../../audit/threshold.js';
import type { AuditResult } from '../../audit/types.js';

export type { AuditResult } from '../../audit/types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'integration.audit');

export default class Audit extends IntegrationCommand<AuditResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    // No default from the config here: with --source-dir a configured default org must not count as "given".
    // Without either flag the configured default org is audited (see run).
    'target-org': Flags.optionalOrg({
      summary: messages.getMessage('flags.target-org.summary'),
      exclusive: ['source-dir'],
      default: undefined,
      // No dynamic default in --help (it would import the command and its dependencies): see src/flags.ts.
      defaultHelp: undefined,
    }),
    'api-version': Flags.orgApiVersion(),
    'source-dir': Flags.directory({
      char: 'd',
      summary: messages.getMessage('flags.source-dir.summary'),
      exclusive: ['target-org'],
    }),
    manifest: Flags.file({
      char: 'f',
      summary: messages.getMessage('flags.manifest.summary'),
    }),
    'severity-threshold': Flags.string({
      char: 't',
      summary: messages.getMessage('flags.severity-threshold.summary'),
      default: 'high',
    }),
    'output-file': Flags.file({
      summary: messages.getMessage('flags.output-file.summary'),
      multiple: true,
    }),
    'config-file': Flags.file({
      summary: messages.getMessage('flags.config-file.summary'),
    }),
    // No default on purpose: the configuration file's dormantDays applies unless the flag is given.
    // eslint-disable-next-line sf-plugin/flag-min-max-default
    'dormant-days': Flags.integer({
      summary: messages.getMessage('flags.dormant-days.summary'),
      min: 1,
    }),
    'evidence-days': evidenceDaysDefault30,
    verbose: Flags.boolean({ summary: messages.getMessage('flags.verbose.summary'), default: false }),
  };

  public async run(): Promise<AuditResult> {
    try {
      // Loaded while the flags are parsed: resolving --target-org may wait on the org (a first query of an org sf has
      // not described yet), and the pipeline's modules load in that wait.
      const pipelineModule = import('../../audit/pipeline.js');
      void pipelineModule.catch(() => undefined); // awaited below; a bad flag must not leave it unhandled
      const { flags } = await this.parse(Audit);
      const { runAuditPipeline } = await pipelineModule;
      const outputFiles = flags['output-file'] ?? [];
      // The report writers (SARIF, JUnit's XML, …) load only when a report file is asked for.
      const reports = outputFiles.length > 0 ? await import('../../report/write.js') : undefined;
      reports?.checkOutputFiles(outputFiles); // before the load: a typo must not cost a full org load
      const sourceDir = flags['source-dir'];
      let target: Parameters<typeof runAuditPipeline>[0]['target'];
      if (sourceDir) {
        target = { kind: 'directory', path: sourceDir };
      } else {
        const org = flags['target-org'] ?? (await Org.create({}).catch(() => undefined));
        if (!org) throw messages.createError('error.NoTarget', [], [], EXIT_AUDIT_FAILED);
        target = { kind: 'org', connection: org.getConnection(flags['api-version']), origin: labelOf(org) };
      }
      const output = await runAuditPipeline({
        target,
        ...(flags.manifest ? { definitionFile: flags.manifest } : {}),
        ...(flags['config-file'] ? { configFile: flags['config-file'] } : {}),
        threshold: flags['severity-threshold'],
        ...(flags['dormant-days'] ? { dormantDays: flags['dormant-days'] } : {}),
        evidenceDays: flags['evidence-days'],
      });
      if (reports) {
        // SARIF paths are read from the repository root: the directory audited, or (org audits) the manifest.
        const fromCwd = (path: string): string => (isAbsolute(path) ? relative(process.cwd(), path) : path);
        output.result.reports = await reports.writeReports(outputFiles, output, {
          // this plugin's version: this.config is sf's own (2.x) when the plugin is installed or linked into sf
          toolVersion: Audit.plugin?.version ?? this.config.version,
          ...(sourceDir ? { baseDir: fromCwd(sourceDir) } : flags.manifest ? { anchorFile: fromCwd(flags.manifest) } : {}),
        });
      }
      for (const warning of [...output.manifestWarnings, ...output.warnings]) this.warn(warning);
      // With --json the result is the output: no text to build (its evidence can run to megabytes).
      if (!this.jsonEnabled()) await this.render(output.result, flags.verbose);
      // Findings at or above the threshold: exit 1, but the result (and --json) is still printed.
      if (!output.result.passed) process.exitCode = EXIT_FINDINGS;
      return output.result;
    } catch (error) {
      // Anything that stops the audit (flags, files, auth, API) exits with 2 or more, never 0 or 1.
      const sfError = SfError.wrap(error as Error);
      if (typeof sfError.exitCode !== 'number' || sfError.exitCode < EXIT_AUDIT_FAILED) sfError.exitCode = EXIT_AUDIT_FAILED;
      throw sfError;
    }
  }

  /**
   * --json into a pipe or file: the same text as sf's coloured JSON without colours, written at once. sf tokenises
   * and colours the whole document even when no colour can be shown; a large directory's result (5.8 MB, 20,000
   * evidence entries) cost 0.6 s and 85 MB that way. A terminal (or FORCE_COLOR) keeps sf's colours.
   */
  public logJson(json: unknown): void {
    if (process.stdout.isTTY || process.env.FORCE_COLOR) super.logJson(json);
    else process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }

  /** Summary first, one line per finding, everything fitted to the terminal (--verbose: in full, wrapped). */
  private async render(result: AuditResult, verbose: boolean): Promise<void> {
    const { auditText } = await import('../../report/auditText.js');
    const { outputWidth } = await import('../../terminal/width.js');
    for (const line of auditText(result, { width: outputWidth(), verbose })) this.log(line);
    for (const file of result.reports) this.log(messages.getMessage('info.reportWritten', [file]));
  }
}
