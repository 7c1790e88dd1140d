/**
 * Object and field access as Salesforce defines it: the six object verbs, what each verb needs, and the names the
 * Metadata API (ObjectPermissions elements) and SOQL (ObjectPermissions fields) give them. Layer 1 (see
 * docs/architecture.md): every other layer takes the verbs and their implications from here.
 */

/** The object verbs in Salesforce's order (Setup and the ObjectPermissions sObject list them this way). */
export const OBJECT_VERBS = ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'] as const;
export type ObjectVerb = (typeof OBJECT_VERBS)[number];
export type FieldAccessLevel = 'read' | 'edit';

/** Any record with one boolean per verb (the AccessModel's ObjectAccess, the DesiredState's object access). */
export type ObjectVerbFlags = Readonly<Record<ObjectVerb, boolean>>;

/** The verbs a record grants, in canonical order. */
export const verbsOf = (flags: ObjectVerbFlags): ObjectVerb[] => OBJECT_VERBS.filter((verb) => flags[verb]);

/** True when the record grants at least one verb. */
export const grantsAnyVerb = (flags: ObjectVerbFlags): boolean => OBJECT_VERBS.some((verb) => flags[verb]);

/** Metadata API element (PermissionSet/Profile objectPermissions) and SOQL ObjectPermissions field of each verb. */
export const OBJECT_VERB_FIELDS: Readonly<Record<ObjectVerb, { metadata: string; soql: string }>> = {
  read: { metadata: 'allowRead', soql: 'PermissionsRead' },
  create: { metadata: 'allowCreate', soql: 'PermissionsCreate' },
  edit: { metadata: 'allowEdit', soql: 'PermissionsEdit' },
  delete: { metadata: 'allowDelete', soql: 'PermissionsDelete' },
  viewAll: { metadata: 'viewAllRecords', soql: 'PermissionsViewAllRecords' },
  modifyAll: { metadata: 'modifyAllRecords', soql: 'PermissionsModifyAllRecords' },
};

/** One boolean per verb, each read by its `api` name (a SOQL ObjectPermissions row's fields, a Metadata API element's children). */
export const verbFlagsFrom = (value: (name: string) => boolean, api: 'metadata' | 'soql'): Record<ObjectVerb, boolean> => {
  const flags = {} as Record<ObjectVerb, boolean>;
  for (const verb of OBJECT_VERBS) flags[verb] = value(OBJECT_VERB_FIELDS[verb][api]);
  return flags;
};

/**
 * What each verb needs, as Salesforce enforces it on ObjectPermissions: create, edit and viewAll need read;
 * delete needs edit; modifyAll needs viewAll and delete (each closed over: delete also needs read, modifyAll all
 * four). Source: the Object Reference, ObjectPermissions, "Requires PermissionsRead … to be true" on each field
 * (developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-objectpermissions.html).
 */
const DIRECTLY_IMPLIED: Readonly<Record<ObjectVerb, readonly ObjectVerb[]>> = {
  read: [],
  create: ['read'],
  edit: ['read'],
  delete: ['edit'],
  viewAll: ['read'],
  modifyAll: ['viewAll', 'delete'],
};

export function canonicalVerbOrder(verbs: Iterable<ObjectVerb>): ObjectVerb[] {
  const set = new Set(verbs);
  return OBJECT_VERBS.filter((verb) => set.has(verb));
}

/** The declared verbs plus everything they imply, and which of those were not declared. */
export function closeObjectVerbs(declared: readonly ObjectVerb[]): { all: ObjectVerb[]; implied: ObjectVerb[] } {
  const all = new Set<ObjectVerb>(declared);
  const pending = [...declared];
  while (pending.length > 0) {
    const verb = pending.pop() as ObjectVerb;
    for (const needed of DIRECTLY_IMPLIED[verb]) {
      if (!all.has(needed)) {
        all.add(needed);
        pending.push(needed);
      }
    }
  }
  const declaredSet = new Set(declared);
  return {
    all: canonicalVerbOrder(all),
    implied: canonicalVerbOrder([...all].filter((verb) => !declaredSet.has(verb))),
  };
}

/**
 * The other direction: the verbs that are left once every verb whose needs are missing is dropped (a muted Read
 * takes Create, Edit, Delete, View All and Modify All with it). Returns a new record.
 */
export function dropVerbsWithoutTheirNeeds<T extends ObjectVerbFlags>(flags: T): T {
  const result: Record<string, unknown> = { ...flags };
  // OBJECT_VERBS is ordered so that every verb comes after what it needs: one pass settles it.
  for (const verb of OBJECT_VERBS) if (DIRECTLY_IMPLIED[verb].some((needed) => !result[needed])) result[verb] = false;
  return result as T;
}

/** Field edit implies read. */
export function closeFieldAccess(declared: FieldAccessLevel): { read: boolean; edit: boolean; implied: FieldAccessLevel[] } {
  return declared === 'edit' ? { read: true, edit: true, implied: ['read'] } : { read: true, edit: false, implied: [] };
}
