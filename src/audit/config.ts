/**
 * The audit configuration file (integration-audit.json): suppressions with a reason and an optional expiry,
 * per-rule severity overrides or disabling, and the dormancy period. Validated with a JSON Schema (ajv);
 * a bad file is a named error with its path and every problem found.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Messages } from '@salesforce/core';
import { parseSeverity, type Severity } from '../rules/severity.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'audit');

export const DEFAULT_CONFIG_FILE = 'integration-audit.json';

export type Suppression = {
  rule: string;
  /** Username, profile name, permission set name, or license name (org-level findings). */
  subject: string;
  reason: string;
  /** Last day (YYYY-MM-DD, inclusive) the suppression applies. */
  expires?: string;
};

export type AuditConfig = {
  /** The file it came from, when loaded from one. */
  path?: string;
  suppressions: Suppression[];
  severities: Record<string, Severity>;
  disabled: string[];
  dormantDays?: number;
  /**
   * Directory audits: patterns (case-insensitive regular expressions) that make a profile or permission set an
   * integration holder by its name, label or description. Absent: the defaults (rules/recognition.ts); [] turns
   * recognition by name off.
   */
  integrationNamePatterns?: string[];
  /**
   * Directory audits: files (paths relative to the audited directory; `*` within a folder, `**` across folders)
   * whose read failures do not fail the audit. They are still listed.
   */
  excludeFiles?: string[];
};

export const EMPTY_CONFIG: AuditConfig = { suppressions: [], severities: {}, disabled: [], excludeFiles: [] };

const SEVERITY = { anyOf: [{ type: 'string', enum: ['critical', 'high', 'moderate', 'low', 'info'] }, { type: 'integer', minimum: 1, maximum: 5 }] };
const RULE_ID = { type: 'string', pattern: '^IU-[A-Z]+-[0-9]{3}$' };

/** JSON Schema of the file (draft-07). */
export const AUDIT_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    suppressions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'subject', 'reason'],
        properties: {
          rule: RULE_ID,
          subject: { type: 'string', minLength: 1 },
          reason: { type: 'string', pattern: '\\S' },
          expires: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
        },
      },
    },
    rules: {
      type: 'object',
      propertyNames: RULE_ID,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { severity: SEVERITY, enabled: { type: 'boolean' } },
      },
    },
    dormantDays: { type: 'integer', minimum: 1 },
    integrationNamePatterns: { type: 'array', items: { type: 'string', minLength: 1 } },
    excludeFiles: { type: 'array', items: { type: 'string', minLength: 1 } },
  },
} as const;

type RawConfig = {
  suppressions?: Suppression[];
  rules?: Record<string, { severity?: string | number; enabled?: boolean }>;
  dormantDays?: number;
  integrationNamePatterns?: string[];
  excludeFiles?: string[];
};

/** Problems in a parsed file (empty = valid), each with its JSON path. */
/** `2026-02-28` yes; `2026-02-30` and `2026-13-01` no (an invalid Date has no ISO string: it throws, so test first). */
const isCalendarDate = (day: string): boolean => {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
};

export const configProblems = async (raw: unknown): Promise<string[]> => {
  // Loaded here: ajv is heavy, and most audits have no configuration file.
  const { compileSchema } = await import('../formats/jsonSchema.js');
  const validate = compileSchema(AUDIT_CONFIG_SCHEMA);
  const problems = validate(raw)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  // Dates must also be real dates (2026-02-30 is not).
  for (const [i, s] of ((raw as RawConfig)?.suppressions ?? []).entries()) {
    if (typeof s?.expires === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.expires) && !isCalendarDate(s.expires)) {
      problems.push(`/suppressions/${i}/expires is not a calendar date`);
    }
  }
  for (const [i, pattern] of ((raw as RawConfig)?.integrationNamePatterns ?? []).entries()) {
    if (typeof pattern !== 'string') continue;
    try {
      new RegExp(pattern, 'iu');
    } catch (error) {
      problems.push(`/integrationNamePatterns/${i} is not a regular expression: ${(error as Error).message}`);
    }
  }
  return problems;
};

export const toAuditConfig = (raw: RawConfig, path?: string): AuditConfig => {
  const severities: Record<string, Severity> = {};
  const disabled: string[] = [];
  for (const [rule, settings] of Object.entries(raw.rules ?? {})) {
    const severity = settings.severity === undefined ? undefined : parseSeverity(settings.severity);
    if (severity) severities[rule] = severity;
    if (settings.enabled === false) disabled.push(rule);
  }
  return {
    ...(path ? { path } : {}),
    suppressions: raw.suppressions ?? [],
    severities,
    disabled,
    ...(raw.dormantDays ? { dormantDays: raw.dormantDays } : {}),
    ...(raw.integrationNamePatterns ? { integrationNamePatterns: raw.integrationNamePatterns } : {}),
    excludeFiles: raw.excludeFiles ?? [],
  };
};

/** `*` matches within a folder, `**` across folders, `?` one character; the rest is literal. */
const globToRegExp = (glob: string): RegExp => {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        source += '(?:.*/)?';
        i++;
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
};

/** The configuration's excludeFiles entry that matches a path (relative to the audited directory), if any. */
export const excludedBy = (config: AuditConfig, path: string | undefined): string | undefined =>
  path === undefined ? undefined : (config.excludeFiles ?? []).find((glob) => globToRegExp(glob.replace(/\\/g, '/')).test(path));

const parseJson = (path: string, text: string): unknown => {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfe_ff ? text.slice(1) : text);
  } catch (error) {
    throw messages.createError('error.ConfigNotJson', [path, (error as Error).message], [], 2);
  }
};

/** Reads and validates a configuration file; throws ConfigNotFound / ConfigNotJson / ConfigInvalid (exit code 2). */
export const loadAuditConfig = async (path: string): Promise<AuditConfig> => {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw messages.createError('error.ConfigNotFound', [path], [], 2);
    throw messages.createError('error.ConfigNotJson', [path, error.message], [], 2);
  });
  const raw = parseJson(path, text);
  const problems = await configProblems(raw);
  if (problems.length > 0) throw messages.createError('error.ConfigInvalid', [path, problems.map((p) => `  ${p}`).join('\n')], [], 2);
  return toAuditConfig(raw as RawConfig, path);
};

/** The default file at the project root (or the current directory outside a project), when it exists. */
export const defaultConfigPath = async (cwd: string = process.cwd()): Promise<string | undefined> => {
  const { SfProject } = await import('@salesforce/core');
  let root = cwd;
  try {
    root = await SfProject.resolveProjectPath(cwd);
  } catch {
    root = cwd;
  }
  const candidate = join(root, DEFAULT_CONFIG_FILE);
  return readFile(candidate, 'utf8').then(
    () => candidate,
    () => undefined
  );
};
