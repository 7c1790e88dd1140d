/**
 * Effective access of a user: which holders (profile, permission sets, groups) grant what, with muting applied.
 * Pure functions over the AccessModel; build the index once per model, then ask per user.
 */
import { dropVerbsWithoutTheirNeeds, grantsAnyVerb, OBJECT_VERBS } from '../salesforce/objectAccess.js';
import type {
  AccessModel,
  FieldAccess,
  ObjectAccess,
  PermissionHolder,
  PermissionSetGroup,
  PermissionSetLicense,
  Profile,
  User,
} from './model.js';

/** One holder in play for a user; `viaGroup` is set when the holder reaches the user through a permission set group. */
export type Grant = {
  holder: PermissionHolder;
  viaGroup?: PermissionSetGroup;
};

export type UserAccess = {
  user: User;
  profile?: Profile;
  /** The profile first, then directly assigned permission sets, then sets reached through groups. */
  grants: Grant[];
  groups: PermissionSetGroup[];
  permissionSetLicenses: PermissionSetLicense[];
};

export type ModelIndex = {
  model: AccessModel;
  profileByProfileId: Map<string, Profile>;
  holderById: Map<string, PermissionHolder>;
  groupById: Map<string, PermissionSetGroup>;
  assignmentsByUser: Map<string, Array<{ permissionSetId?: string; permissionSetGroupId?: string }>>;
  pslIdsByUser: Map<string, string[]>;
  pslById: Map<string, PermissionSetLicense>;
};

const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

export const indexModel = (model: AccessModel): ModelIndex => {
  const holderById = new Map<string, PermissionHolder>();
  for (const holder of [...model.profiles, ...model.permissionSets, ...model.permissionSetGroups, ...model.mutingPermissionSets]) {
    holderById.set(holder.id, holder);
  }
  const assignmentsByUser = new Map<string, Array<{ permissionSetId?: string; permissionSetGroupId?: string }>>();
  for (const a of model.assignments) pushTo(assignmentsByUser, a.userId, a);
  const pslIdsByUser = new Map<string, string[]>();
  for (const a of model.permissionSetLicenseAssignments) pushTo(pslIdsByUser, a.userId, a.permissionSetLicenseId);
  return {
    model,
    profileByProfileId: new Map(model.profiles.map((p) => [p.profileId, p])),
    holderById,
    groupById: new Map(model.permissionSetGroups.map((g) => [g.id, g])),
    assignmentsByUser,
    pslIdsByUser,
    pslById: new Map(model.permissionSetLicenses.map((p) => [p.id, p])),
  };
};

export const userAccess = (index: ModelIndex, user: User): UserAccess => {
  const profile = index.profileByProfileId.get(user.profileId);
  const direct: Grant[] = [];
  const throughGroups: Grant[] = [];
  const groups: PermissionSetGroup[] = [];
  const seenDirect = new Set<string>();
  for (const assignment of index.assignmentsByUser.get(user.id) ?? []) {
    if (assignment.permissionSetGroupId) {
      const group = index.groupById.get(assignment.permissionSetGroupId);
      if (!group || groups.includes(group)) continue;
      groups.push(group);
      for (const memberId of group.permissionSetIds) {
        const holder = index.holderById.get(memberId);
        if (holder) throughGroups.push({ holder, viaGroup: group });
      }
    } else if (assignment.permissionSetId && !seenDirect.has(assignment.permissionSetId)) {
      // A profile-owned set is never assigned directly; ignore anything that is not a known holder.
      const holder = index.holderById.get(assignment.permissionSetId);
      if (holder && holder.kind !== 'profile') {
        seenDirect.add(holder.id);
        direct.push({ holder });
      }
    }
  }
  const permissionSetLicenses = (index.pslIdsByUser.get(user.id) ?? [])
    .map((id) => index.pslById.get(id))
    .filter((p): p is PermissionSetLicense => p !== undefined);
  return {
    user,
    profile,
    grants: [...(profile ? [{ holder: profile }] : []), ...direct, ...throughGroups],
    groups,
    permissionSetLicenses,
  };
};

/** The muting set of the grant's group, if any. */
const mutingOf = (index: ModelIndex, grant: Grant): PermissionHolder | undefined =>
  grant.viaGroup?.mutingPermissionSetId ? index.holderById.get(grant.viaGroup.mutingPermissionSetId) : undefined;

/** Holders that grant a system permission to the user (muted grants removed). Empty = the user does not have it. */
export const systemPermissionGrants = (index: ModelIndex, access: UserAccess, permission: string): Grant[] =>
  access.grants.filter(
    (grant) =>
      grant.holder.systemPermissions.includes(permission) &&
      !(mutingOf(index, grant)?.systemPermissions.includes(permission) ?? false)
  );

/**
 * Muting removes a verb and every verb that needs it (the object permission dependencies of
 * src/salesforce/objectAccess.ts), so a muted Read never leaves an Edit behind.
 */
const muteObject = (access: ObjectAccess, muting?: ObjectAccess): ObjectAccess => {
  if (!muting) return access;
  const result: ObjectAccess = { ...access };
  for (const verb of OBJECT_VERBS) if (muting[verb]) result[verb] = false;
  return dropVerbsWithoutTheirNeeds(result);
};

/** Object access per grant for the user, muting applied; only grants with at least one verb. */
export const objectGrants = (
  index: ModelIndex,
  access: UserAccess,
  object?: string
): Array<{ grant: Grant; access: ObjectAccess }> => {
  const result: Array<{ grant: Grant; access: ObjectAccess }> = [];
  for (const grant of access.grants) {
    const muting = mutingOf(index, grant);
    for (const objectAccess of grant.holder.objectPermissions) {
      if (object && objectAccess.object.toLowerCase() !== object.toLowerCase()) continue;
      const muted = muteObject(
        objectAccess,
        muting?.objectPermissions.find((m) => m.object.toLowerCase() === objectAccess.object.toLowerCase())
      );
      if (grantsAnyVerb(muted)) result.push({ grant, access: muted });
    }
  }
  return result;
};

/** Field access per grant for the user, muting applied; only grants with read or edit. */
export const fieldGrants = (index: ModelIndex, access: UserAccess): Array<{ grant: Grant; access: FieldAccess }> => {
  const result: Array<{ grant: Grant; access: FieldAccess }> = [];
  for (const grant of access.grants) {
    const muting = mutingOf(index, grant);
    for (const fieldAccess of grant.holder.fieldPermissions) {
      const mute = muting?.fieldPermissions.find((m) => m.field.toLowerCase() === fieldAccess.field.toLowerCase());
      // Edit needs Read: a muted Read takes Edit with it.
      const read = fieldAccess.read && !mute?.read;
      const muted = { ...fieldAccess, read, edit: read && fieldAccess.edit && !mute?.edit };
      if (muted.read || muted.edit) result.push({ grant, access: muted });
    }
  }
  return result;
};

/** What a holder grants with a muting set applied (muting only ever removes), in the org's dependency order. */
export const mutedHolder = <H extends PermissionHolder>(holder: H, muting: PermissionHolder): H => {
  const mutedSystem = new Set(muting.systemPermissions);
  return {
    ...holder,
    systemPermissions: holder.systemPermissions.filter((p) => !mutedSystem.has(p)),
    objectPermissions: holder.objectPermissions
      .map((o) => muteObject(o, muting.objectPermissions.find((m) => m.object.toLowerCase() === o.object.toLowerCase())))
      .filter((o) => OBJECT_VERBS.some((verb) => o[verb])),
    fieldPermissions: holder.fieldPermissions
      .map((f) => {
        const mute = muting.fieldPermissions.find((m) => m.field.toLowerCase() === f.field.toLowerCase());
        const read = f.read && !mute?.read;
        return { ...f, read, edit: read && f.edit && !mute?.edit };
      })
      .filter((f) => f.read || f.edit),
  };
};

/** Everything any of the views grants: a permission muted in one group but not another still reaches users. */
export const unionOfViews = <H extends PermissionHolder>(views: readonly H[]): H => {
  const [first] = views;
  const objects = new Map<string, ObjectAccess>();
  for (const o of views.flatMap((v) => v.objectPermissions)) {
    const key = o.object.toLowerCase();
    const seen = objects.get(key);
    objects.set(key, seen ? { ...seen, ...Object.fromEntries(OBJECT_VERBS.map((verb) => [verb, seen[verb] || o[verb]])) } : o);
  }
  const fields = new Map<string, FieldAccess>();
  for (const f of views.flatMap((v) => v.fieldPermissions)) {
    const seen = fields.get(f.field.toLowerCase());
    fields.set(f.field.toLowerCase(), seen ? { ...seen, read: seen.read || f.read, edit: seen.edit || f.edit } : f);
  }
  return {
    ...first,
    systemPermissions: [...new Set(views.flatMap((v) => v.systemPermissions))],
    objectPermissions: [...objects.values()],
    fieldPermissions: [...fields.values()],
  };
};
