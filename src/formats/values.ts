/**
 * Reading loosely typed values from Salesforce responses and parsed XML, where one element comes back as a value and
 * several as an array, strings may be empty, and booleans may be the text "true".
 */

/** One value or many as an array; nothing (undefined or null) as an empty one. */
export const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/** A string with at least one character, else undefined. */
export const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** true, or the text "true" (the Metadata API's XML and SOAP answers carry booleans as text). */
export const isTrue = (value: unknown): boolean => value === true || value === 'true';
