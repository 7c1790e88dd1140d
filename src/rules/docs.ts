/**
 * Rule documentation generated from the rule metadata (the single source): the README's rules table and
 * docs/rules.md. scripts/gen-rule-docs.ts writes them; a unit test fails when they are stale.
 */
import type { Fact } from '../access/model.js';
import { severityName } from './severity.js';
import type { Rule } from './types.js';
import { RULES } from './index.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const anchor = (id: string): string => id.toLowerCase();

/** Where a rule runs: an org always; a metadata directory only when it needs no user facts. */
const USER_FACTS: Fact[] = ['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginHistory', 'orgFacts', 'oauthTokens', 'loginEvents', 'apiUsage'];
export const runsOnDirectory = (rule: Rule): boolean => !rule.meta.needs.some((fact) => USER_FACTS.includes(fact));

const where = (rule: Rule): string =>
  `${runsOnDirectory(rule) ? 'org, directory' : 'org'}${rule.meta.needsManifest ? ' (with --manifest)' : ''}`;

/** What the files of a directory give a fact (facts a directory lacks are user facts). */
const FILE_SOURCES: Partial<Record<Fact, string>> = {
  loginIpRanges: "the profile file's <loginIpRanges>",
  setupEntityAccess: '<classAccesses>, <pageAccesses> and <customPermissions>',
};

/** docs/rules.md: what the rule reads in a directory audit, or why it is not evaluated there. */
const inDirectory = (rule: Rule): string => {
  if (!runsOnDirectory(rule)) {
    const missing = rule.meta.needs.filter((fact) => USER_FACTS.includes(fact));
    return `not evaluated (reported as such, never as passed): it needs ${missing.join(', ')}, which metadata files do not hold.`;
  }
  const files = rule.meta.needs.map((fact) => FILE_SOURCES[fact] ?? fact);
  return [
    'reads the integration profile and permission set files (recognised by API Only User, the Salesforce Integration license, the manifest, or the name/label/description patterns; a permission set in a group with a muting permission set is read with the muting applied)',
    files.length > 0 ? `, and ${files.join(', ')}` : '',
    rule.meta.needsManifest ? '; needs --manifest' : '',
    '. Findings on Salesforce standard profiles and on namespaced (managed-package) permission sets are reported as low at most.',
  ].join('');
};

export const readmeRulesSection = (rules: readonly Rule[] = RULES): string =>
  [
    '| id | severity | finds | runs on |',
    '|---|---|---|---|',
    ...rules.map(
      (r) => `| [${r.meta.id}](docs/rules.md#${anchor(r.meta.id)}) | ${r.meta.severity} ${severityName(r.meta.severity)} | ${cell(r.meta.title)} | ${where(r)} |`
    ),
    '',
    'Severity 1 critical … 5 info (Code Analyzer\'s scale). On a metadata directory (`--source-dir`) the rules that need',
    'users, assignments or licenses are reported as "not evaluated", never as passed. Details, detection and remediation',
    'of each rule: [docs/rules.md](docs/rules.md) (generated from the rule modules by `node --import tsx scripts/gen-rule-docs.ts`).',
  ].join('\n');

export const rulesDocument = (rules: readonly Rule[] = RULES): string =>
  [
    '# Audit rules',
    '',
    '<!-- Generated from src/rules/*.ts and messages/rules.md by `node --import tsx scripts/gen-rule-docs.ts`; do not edit. -->',
    '',
    'Severities follow Code Analyzer: 1 critical, 2 high, 3 moderate, 4 low, 5 info. SARIF level: critical and high are',
    '`error`, moderate `warning`, low and info `note`. A configuration file may override a rule\'s severity or disable it.',
    '',
    ...rules.flatMap((r) => [
      `## ${r.meta.id}`,
      '',
      `**${r.meta.title}** · severity ${r.meta.severity} (${severityName(r.meta.severity)}) · runs on: ${where(r)}`,
      '',
      r.meta.description,
      '',
      `**Detection.** ${r.meta.detection}`,
      '',
      `**Remediation.** ${r.meta.remediation}`,
      '',
      `Needs: ${r.meta.needs.length > 0 ? r.meta.needs.join(', ') : 'profiles and permission sets only'}${r.meta.needsManifest ? '; a manifest' : ''}.`,
      '',
      `**In a directory (\`--source-dir\`):** ${inDirectory(r)}`,
      '',
    ]),
  ].join('\n');

export const RULES_START = '<!-- rules -->';
export const RULES_STOP = '<!-- rulesstop -->';

/** The README with its rules section replaced; undefined when the markers are missing. */
export const withRulesSection = (readme: string, section: string = readmeRulesSection()): string | undefined => {
  const start = readme.indexOf(RULES_START);
  const stop = readme.indexOf(RULES_STOP);
  if (start === -1 || stop < start) return undefined;
  return `${readme.slice(0, start + RULES_START.length)}\n${section}\n${readme.slice(stop)}`;
};
