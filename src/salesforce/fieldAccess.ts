/**
 * Which fields take no field permission: access to them comes with the object. A deploy refuses field permissions on a
 * required field ("You cannot deploy to a required field: Lead.Company": Gearset's help "Resolving validation errors -
 * You cannot deploy to a required field"; Zuora CPQ's field-level security page: "Salesforce does not allow required
 * fields to be included in permission set fieldPermissions metadata … Object-level access is sufficient"; sfdx-hardis
 * deploy tip "custom-field-rights-mandatory"). A describe says it per field: required = nillable false, createable and
 * not defaultedOnCreate (a boolean is always defaulted); `permissionable: false` = no field-level security at all (the
 * DescribeFieldResult property that says whether FieldPermissions can be set for the field).
 */
import { BUNDLED_REQUIRED_FIELDS } from './bundledRequiredFields.js';

/** The describe properties that decide it (DescribeFieldResult names). */
export type FieldFacts = {
  name: string;
  type?: string;
  nillable: boolean;
  createable: boolean;
  defaultedOnCreate?: boolean;
  permissionable?: boolean;
};

export type ImplicitFieldAccess = 'required' | 'notPermissionable';

export function implicitFieldAccess(field: FieldFacts): ImplicitFieldAccess | undefined {
  if (!field.nillable && field.createable && field.defaultedOnCreate !== true && field.type !== 'boolean') return 'required';
  if (field.permissionable === false) return 'notPermissionable';
  return undefined;
}

/** `Object.Field` (any case) → why it takes no field permission, or undefined when it does (or is unknown). */
export type FieldAccessLookup = (object: string, field: string) => ImplicitFieldAccess | undefined;

const bundled = new Map(
  Object.entries(BUNDLED_REQUIRED_FIELDS).flatMap(([object, fields]) => fields.map((field) => [`${object}.${field}`.toLowerCase(), 'required' as const]))
);

/**
 * The bundled describe's answer for the standard objects it holds (API v64.0, 26 objects). It lacks
 * `defaultedOnCreate` and `permissionable`, so it lists nillable, createable, non-boolean fields: the owner is among
 * them, which an org defaults on create but does not let a permission set name either.
 */
export const bundledFieldAccess: FieldAccessLookup = (object, field) => bundled.get(`${object}.${field}`.toLowerCase());

/**
 * A lookup over an org's describes (lower-case object name → its fields); objects the org did not describe fall back
 * to `fallback` (the bundled describe).
 */
export function fieldAccessFromDescribes(describes: ReadonlyMap<string, readonly FieldFacts[]>, fallback: FieldAccessLookup = bundledFieldAccess): FieldAccessLookup {
  const index = new Map<string, ImplicitFieldAccess | undefined>();
  for (const [object, fields] of describes) for (const field of fields) index.set(`${object}.${field.name}`.toLowerCase(), implicitFieldAccess(field));
  return (object, field) => (describes.has(object.toLowerCase()) ? index.get(`${object}.${field}`.toLowerCase()) : fallback(object, field));
}

/** The objects whose fields a desired state names (for the describes). */
export const objectsOfFields = (fields: readonly string[]): string[] => [...new Set(fields.filter((f) => f.indexOf('.') > 0).map((f) => f.slice(0, f.indexOf('.'))))];
