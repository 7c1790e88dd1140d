/** Pure naming helpers: derived names, JSON paths, IPv4 ordering. */
import { PERMISSION_SET_NAME_PREFIX } from './constants.js';

/** erp → Integration_Erp; data-lake → Integration_Data_Lake (app names are already safe, see the schema). */
export function derivePermissionSetName(appName: string): string {
  const words = appName.split(/[-_]/).filter((word) => word.length > 0);
  return PERMISSION_SET_NAME_PREFIX + words.map((word) => word[0].toUpperCase() + word.slice(1)).join('_');
}

/** Default API name of an app's External Client App: the same words as its default permission set (erp → Integration_Erp). */
export function deriveExternalClientAppName(appName: string): string {
  return derivePermissionSetName(appName);
}

/** `{app}.integration@acme.example` with app erp → `erp.integration@acme.example`. */
export function resolveUsername(template: string, appName: string): string {
  return template.split('{app}').join(appName);
}

/** Best-effort safe version of a wanted app name, for "write instead" hints. */
export function suggestAppName(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return cleaned.length > 0 ? cleaned : 'erp';
}

/** Best-effort valid developer name, for hints. */
export function suggestDeveloperName(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 80)
    .replace(/_+$/, '');
  return cleaned.length > 0 ? cleaned : 'Integration_Erp';
}

export type PathSegment = string | number;

/** `['apps', 0, 'permissionSet', 'fields', 'Account.Name']` → `$.apps[0].permissionSet.fields["Account.Name"]`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) return `${path}.${segment}`;
    return `${path}[${JSON.stringify(segment)}]`;
  }, '$');
}

/** Numeric value of a dotted-quad IPv4 address (already validated by the schema). */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** A value shown in a problem: JSON, shortened so one bad value cannot flood the terminal. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return `the string ${showValue(value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return `${String(value)}`;
    default:
      return typeof value;
  }
}
