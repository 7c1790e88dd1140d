/** A small AccessModel builder for the access unit tests: holders and users in a line each. */
import type {
  AccessModel,
  FieldAccess,
  ObjectAccess,
  PermissionHolder,
  PermissionSetGroup,
  Profile,
  User,
} from '../../../src/access/model.js';

export const emptyModel = (): AccessModel => ({
  source: 'org',
  origin: 'test',
  org: {},
  profiles: [],
  permissionSets: [],
  permissionSetGroups: [],
  mutingPermissionSets: [],
  users: [],
  assignments: [],
  userLicenses: [],
  permissionSetLicenses: [],
  permissionSetLicenseAssignments: [],
  availableFacts: [],
  unavailableFacts: [],
  loadProblems: [],
});

type HolderSpec = { systemPermissions?: string[]; objects?: ObjectAccess[]; fields?: FieldAccess[] };

const holder = (kind: PermissionHolder['kind'], id: string, name: string, spec: HolderSpec = {}): PermissionHolder => ({
  id,
  kind,
  name,
  label: name,
  isCustom: true,
  systemPermissions: spec.systemPermissions ?? [],
  objectPermissions: spec.objects ?? [],
  fieldPermissions: spec.fields ?? [],
  setupEntityAccess: [],
});

export const objectAccess = (object: string, verbs: Array<keyof Omit<ObjectAccess, 'object' | 'viewAllFields'>>): ObjectAccess => ({
  object,
  read: verbs.includes('read'),
  create: verbs.includes('create'),
  edit: verbs.includes('edit'),
  delete: verbs.includes('delete'),
  viewAll: verbs.includes('viewAll'),
  modifyAll: verbs.includes('modifyAll'),
});

export class ModelBuilder {
  public readonly model = emptyModel();

  public profile(name: string, userLicense: string, spec: HolderSpec = {}): Profile {
    const profile: Profile = { ...holder('profile', `0PS-${name}`, name, spec), kind: 'profile', profileId: `00e-${name}`, userLicense, license: userLicense };
    this.model.profiles.push(profile);
    return profile;
  }

  public permissionSet(name: string, spec: HolderSpec = {}): PermissionHolder {
    const set = holder('permissionSet', `0PS-${name}`, name, spec);
    this.model.permissionSets.push(set);
    return set;
  }

  public muting(name: string, spec: HolderSpec = {}): PermissionHolder {
    const set = holder('mutingPermissionSet', `0QM-${name}`, name, spec);
    this.model.mutingPermissionSets.push(set);
    return set;
  }

  public group(name: string, members: PermissionHolder[], muting?: PermissionHolder): PermissionSetGroup {
    const group: PermissionSetGroup = {
      ...holder('permissionSetGroup', `0PG-${name}`, name),
      kind: 'permissionSetGroup',
      permissionSetIds: members.map((m) => m.id),
      ...(muting ? { mutingPermissionSetId: muting.id } : {}),
    };
    this.model.permissionSetGroups.push(group);
    return group;
  }

  public user(username: string, profile: Profile, options: { active?: boolean; assign?: Array<PermissionHolder | PermissionSetGroup> } = {}): User {
    const user: User = { id: `005-${username}`, username, name: username.split('@')[0], isActive: options.active ?? true, profileId: profile.profileId };
    this.model.users.push(user);
    for (const target of options.assign ?? []) {
      this.model.assignments.push(
        target.kind === 'permissionSetGroup' ? { userId: user.id, permissionSetGroupId: target.id } : { userId: user.id, permissionSetId: target.id }
      );
    }
    return user;
  }
}
