/**
 * Structural validation: the manifest against schemas/integration-manifest.schema.json (the single source of
 * structural truth), with each ajv error turned into a ManifestProblem that says what to write instead.
 */
import { readFileSync } from 'node:fs';
import { Messages } from '@salesforce/core';
import { compileSchema, type ErrorObject, type ValidateFunction } from '../formats/jsonSchema.js';
import { KNOWN_USER_PERMISSIONS } from '../salesforce/userPermissions.js';
import type { ManifestProblem } from './types.js';
import { closest } from './suggest.js';
import { describeJsonType, jsonPath, showValue, suggestAppName, suggestDeveloperName, type PathSegment } from './names.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'manifest');

/** Same relative location from src/manifest and lib/manifest. */
export const MANIFEST_SCHEMA_URL = new URL('../../schemas/integration-manifest.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= compileSchema(JSON.parse(readFileSync(MANIFEST_SCHEMA_URL, 'utf8')) as Record<string, unknown>);
  return compiled;
}

/** Definitions whose pattern/not errors have their own message (problem.invalid.<name>). */
const NAMED_DEFINITIONS = new Set([
  'appName',
  'developerName',
  'objectName',
  'fieldName',
  'apexClassName',
  'systemPermissionName',
  'profileName',
  'text',
  'email',
  'usernameTemplate',
  'ipv4',
  'localeKey',
  'timeZone',
]);

const EXAMPLE_FOR_MISSING: Record<string, string> = {
  version: '1',
  apps: '[ { "name": "erp" } ]',
  name: '"erp"',
  start: '"203.0.113.0"',
  end: '"203.0.113.255"',
  permission: '"Account.viewAll"',
  justification: '"why this app needs the grant"',
};

const TYPE_WORDS: Record<string, { noun: string; example: string }> = {
  string: { noun: 'a string', example: '"text"' },
  object: { noun: 'an object', example: '{ … }' },
  array: { noun: 'an array', example: '[ … ]' },
  integer: { noun: 'an integer', example: '1' },
  number: { noun: 'a number', example: '1' },
  boolean: { noun: 'true or false', example: 'true' },
};

function problem(segments: readonly PathSegment[], code: string, message: string, fix: string): ManifestProblem {
  return { path: jsonPath(segments), code, message, fix };
}

/** JSON pointer → path segments, using the data to tell array indexes from object keys. */
function pointerToSegments(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}

function valueAt(segments: readonly PathSegment[], data: unknown): unknown {
  let node: unknown = data;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Which named definition (or property) a pattern-like error came from. */
function definitionOf(error: ErrorObject, segments: readonly PathSegment[]): string {
  const match = /#\/definitions\/([^/]+)\/(pattern|not|format)$/.exec(error.schemaPath);
  if (match && NAMED_DEFINITIONS.has(match[1])) return match[1];
  const last = segments[segments.length - 1];
  if (last === 'alias') return 'alias';
  if (last === 'permission') return 'elevatedPermission';
  return 'other';
}

const KNOWN_BY_LOWER = new Map(KNOWN_USER_PERMISSIONS.map((name) => [name.toLowerCase(), name]));

/** The fix message key and its tokens for a value that failed a named definition. */
function fixFor(definition: string, value: unknown): { key: string; tokens: string[] } {
  if (definition === 'appName') return { key: 'fix.invalid.appName', tokens: [JSON.stringify(suggestAppName(String(value)))] };
  if (definition === 'developerName') return { key: 'fix.invalid.developerName', tokens: [suggestDeveloperName(String(value))] };
  if (definition === 'systemPermissionName' && typeof value === 'string') {
    const known = KNOWN_BY_LOWER.get(value.replace(/^permissions/i, '').toLowerCase());
    if (known) return { key: 'fix.systemPermissionCase', tokens: [known] };
  }
  return { key: `fix.invalid.${definition}`, tokens: [] };
}

type ErrorContext = { error: ErrorObject; segments: PathSegment[]; value: unknown; params: Record<string, unknown> };
type Converter = (context: ErrorContext) => ManifestProblem | undefined;

const unknownKey: Converter = ({ error, segments, params }) => {
  const key = String(params.additionalProperty);
  const allowed = Object.keys((error.parentSchema as { properties?: Record<string, unknown> }).properties ?? {});
  const allowedText = allowed.join(', ');
  const where = [...segments, key];
  const message = messages.getMessage('problem.unknownKey', [key]);
  if (key === 'profile' && segments.length === 2 && segments[0] === 'apps') {
    return problem(where, 'unknownKey', message, messages.getMessage('fix.unknownKeyAppProfile'));
  }
  const suggestion = closest(key, allowed);
  const fix = suggestion
    ? messages.getMessage('fix.unknownKeySuggestion', [suggestion, allowedText])
    : messages.getMessage('fix.unknownKey', [allowedText]);
  return problem(where, 'unknownKey', message, fix);
};

const missingKey: Converter = ({ segments, params }) => {
  const key = String(params.missingProperty);
  return problem(
    [...segments, key],
    'missingKey',
    messages.getMessage('problem.missingKey', [key]),
    messages.getMessage('fix.missingKey', [key, EXAMPLE_FOR_MISSING[key] ?? '…'])
  );
};

const wrongType: Converter = ({ segments, value, params }) => {
  if (segments.length === 0) {
    return problem(segments, 'notAnObject', messages.getMessage('problem.notAnObject', [describeJsonType(value)]), messages.getMessage('fix.notAnObject'));
  }
  const expected = String(params.type).split(',')[0];
  const words = TYPE_WORDS[expected] ?? { noun: expected, example: '…' };
  return problem(
    segments,
    'wrongType',
    messages.getMessage('problem.wrongType', [words.noun, describeJsonType(value)]),
    messages.getMessage('fix.wrongType', [words.noun, words.example])
  );
};

const notAllowedValue: Converter = ({ segments, value, params }) => {
  const allowed = (params.allowedValues as unknown[]).map(String);
  const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
  const fix = suggestion
    ? messages.getMessage('fix.notAllowedValueSuggestion', [suggestion, allowed.join(', ')])
    : messages.getMessage('fix.notAllowedValue', [allowed.join(', ')]);
  return problem(segments, 'notAllowedValue', messages.getMessage('problem.notAllowedValue', [showValue(value)]), fix);
};

const invalidName: Converter = ({ error, segments, value }) => {
  const definition = definitionOf(error, segments);
  const problemTokens = definition === 'text' ? [] : [showValue(value)];
  const fix = fixFor(definition, value);
  return problem(segments, `invalid.${definition}`, messages.getMessage(`problem.invalid.${definition}`, problemTokens), messages.getMessage(fix.key, fix.tokens));
};

const tooFewItems: Converter = ({ segments }) => {
  const last = segments[segments.length - 1];
  if (last === 'apps') return problem(segments, 'noApps', messages.getMessage('problem.noApps'), messages.getMessage('fix.noApps'));
  return problem(segments, 'emptyVerbs', messages.getMessage('problem.emptyVerbs', [String(last)]), messages.getMessage('fix.emptyVerbs'));
};

const duplicateItem: Converter = ({ segments, value, params }) => {
  const items = Array.isArray(value) ? value : [];
  // ajv reports the later index as i and the earlier as j.
  const [first, second] = [Number(params.j), Number(params.i)];
  return problem(
    [...segments, second],
    'duplicateItem',
    messages.getMessage('problem.duplicateItem', [showValue(items[second]), String(first), String(second)]),
    messages.getMessage('fix.duplicateItem')
  );
};

const CONVERTERS: Record<string, Converter> = {
  propertyNames: () => undefined, // its inner error (with propertyName) says more
  additionalProperties: unknownKey,
  required: missingKey,
  type: wrongType,
  const: ({ segments, value }) =>
    problem(segments, 'version', messages.getMessage('problem.version', [showValue(value)]), messages.getMessage('fix.version')),
  enum: notAllowedValue,
  pattern: invalidName,
  not: invalidName,
  maxLength: ({ segments, value, params }) =>
    problem(
      segments,
      'tooLong',
      messages.getMessage('problem.tooLong', [String(typeof value === 'string' ? value.length : '?'), String(params.limit)]),
      messages.getMessage('fix.tooLong', [String(params.limit)])
    ),
  minLength: ({ segments }) => problem(segments, 'empty', messages.getMessage('problem.empty'), messages.getMessage('fix.empty')),
  minItems: tooFewItems,
  maxItems: ({ segments, params }) =>
    problem(
      segments,
      'tooManyItems',
      messages.getMessage('problem.tooManyItems', [String(params.limit)]),
      messages.getMessage('fix.tooManyItems', [String(params.limit)])
    ),
  uniqueItems: duplicateItem,
};

function convert(error: ErrorObject, data: unknown): ManifestProblem | undefined {
  const base = pointerToSegments(error.instancePath, data);
  // Errors inside `propertyNames` concern the key itself.
  const segments = error.propertyName !== undefined ? [...base, error.propertyName] : base;
  const value = error.propertyName ?? valueAt(segments, data);
  const context: ErrorContext = { error, segments, value, params: error.params as Record<string, unknown> };
  const converter = CONVERTERS[error.keyword];
  if (converter) return converter(context);
  return problem(
    segments,
    'invalid.other',
    messages.getMessage('problem.invalid.other', [showValue(value)]),
    `${messages.getMessage('fix.invalid.other')} (${error.message ?? error.keyword})`
  );
}

/** Every structural problem of `data`, in document order of the schema walk; [] when the shape is right. */
export function checkAgainstSchema(data: unknown): ManifestProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const converted = convert(error, data);
    if (!converted) continue;
    // `pattern` and `not` of one definition can both fire for one value: keep one line per path and code.
    const key = `${converted.path}\u0000${converted.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(converted);
  }
  // A value of the wrong type also fails its enum or pattern; the type is the one thing to fix.
  const wrongTypePaths = new Set(problems.filter((p) => p.code === 'wrongType').map((p) => p.path));
  return problems.filter((p) => p.code === 'wrongType' || !wrongTypePaths.has(p.path));
}
