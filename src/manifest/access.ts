/** Implied access: pure functions shared by the manifest normaliser and the plan/generate output. */
import { OBJECT_VERBS, type FieldAccessLevel, type ObjectVerb } from './types.js';

/**
 * What each verb needs, as Salesforce enforces it on ObjectPermissions: create, edit and viewAll need read;
 * delete needs edit; modifyAll needs viewAll and delete. (DESIGN.md lists edit ⇒ read, delete ⇒ edit,
 * modifyAll ⇒ viewAll + delete; create ⇒ read and viewAll ⇒ read are added because an org refuses a row
 * without them.)
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

/** Field edit implies read. */
export function closeFieldAccess(declared: FieldAccessLevel): { read: boolean; edit: boolean; implied: FieldAccessLevel[] } {
  return declared === 'edit' ? { read: true, edit: true, implied: ['read'] } : { read: true, edit: false, implied: [] };
}
