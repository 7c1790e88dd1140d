/** Small hand-built AccessModels for rule tests: users mode (an org) and holders mode (a directory). */
import type {
  AccessModel,
  Fact,
  ObjectAccess,
  PermissionHolder,
  PermissionSetGroup,
  PermissionSetLicense,
  Profile,
  User,
  UserLicense,
} from '../../../src/access/model.js';
import type { EvidenceModel, UserEvidence } from '../../../src/evidence/types.js';

const emptyEvidence = (userId: string): UserEvidence => ({
  userId,
  apps: [],
  loginTypes: [],
  sourceIps: [],
  logins: 0,
  failures: 0,
  failureStatuses: [],
  apiFamilies: [],
  objects: [],
  apiCalls: 0,
});

export type HolderSpec = {
  systemPermissions?: string[];
  objects?: Array<Partial<ObjectAccess> & { object: string }>;
  fields?: Array<{ field: string; read: boolean; edit: boolean }>;
  apex?: string[];
  isCustom?: boolean;
  license?: string;
  description?: string;
  namespace?: string;
};

const objectAccess = (o: Partial<ObjectAccess> & { object: string }): ObjectAccess => ({
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
  ...o,
});

const base = (id: string, kind: PermissionHolder['kind'], name: string, spec: HolderSpec, filePath?: string): PermissionHolder => ({
  id,
  kind,
  name,
  label: name,
  isCustom: spec.isCustom ?? true,
  ...(spec.license ? { license: spec.license } : {}),
  ...(spec.description ? { description: spec.description } : {}),
  ...(spec.namespace ? { namespace: spec.namespace } : {}),
  systemPermissions: spec.systemPermissions ?? [],
  objectPermissions: (spec.objects ?? []).map(objectAccess),
  fieldPermissions: spec.fields ?? [],
  setupEntityAccess: (spec.apex ?? []).map((apexClass) => ({ type: 'ApexClass', name: apexClass })),
  ...(filePath ? { filePath } : {}),
});

export type ProfileSpec = HolderSpec & { userLicense?: string; loginIpRanges?: Array<{ start: string; end: string }> };

export type UserSpec = {
  username: string;
  profile: string;
  sets?: string[];
  groups?: string[];
  psls?: string[];
  isActive?: boolean;
  lastLoginDate?: string;
  createdDate?: string;
  /** Frozen (UserLogin.IsFrozen). */
  frozen?: boolean;
};

export type ModelSpec = {
  profiles?: Record<string, ProfileSpec>;
  permissionSets?: Record<string, HolderSpec>;
  groups?: Record<string, { members: string[]; muting?: HolderSpec }>;
  users?: UserSpec[];
  userLicenses?: Array<Omit<UserLicense, 'id'>>;
  psls?: Array<Omit<PermissionSetLicense, 'id' | 'label'>>;
  availableFacts?: Fact[];
  /** Evidence of use per username (the user's id is filled in). */
  evidence?: Record<string, Omit<Partial<UserEvidence>, 'userId'>>;
  evidenceDays?: number;
};

const ORG_FACTS: Fact[] = ['users', 'assignments', 'licenses', 'permissionSetLicenses', 'loginIpRanges', 'setupEntityAccess', 'orgFacts', 'oauthTokens', 'loginEvents', 'apiUsage', 'frozenUsers'];

type Holders = Pick<AccessModel, 'profiles' | 'permissionSets' | 'mutingPermissionSets' | 'permissionSetGroups'>;

const buildHolders = (spec: ModelSpec, directory: boolean): Holders => {
  const fileOf = (folder: string, name: string, suffix: string): string | undefined =>
    directory ? `force-app/main/default/${folder}/${name}.${suffix}-meta.xml` : undefined;
  const profiles: Profile[] = Object.entries(spec.profiles ?? {}).map(([name, p], i) => ({
    ...(base(directory ? `file:profiles/${name}` : `0PSP${i}`, 'profile', name, p, fileOf('profiles', name, 'profile')) as Profile),
    kind: 'profile',
    profileId: directory ? `file:profiles/${name}` : `00e${i}`,
    ...(p.userLicense ? { userLicense: p.userLicense } : {}),
    loginIpRanges: p.loginIpRanges ?? [],
  }));
  const permissionSets = Object.entries(spec.permissionSets ?? {}).map(([name, s], i) =>
    base(directory ? `file:permissionsets/${name}` : `0PS${i}`, 'permissionSet', name, s, fileOf('permissionsets', name, 'permissionset'))
  );
  const mutingPermissionSets: PermissionHolder[] = [];
  const permissionSetGroups: PermissionSetGroup[] = Object.entries(spec.groups ?? {}).map(([name, g], i) => {
    const muting = g.muting ? base(`0PSM${i}`, 'mutingPermissionSet', `${name}_Muting`, g.muting) : undefined;
    if (muting) mutingPermissionSets.push(muting);
    return {
      ...base(`0PG${i}`, 'permissionSetGroup', name, {}),
      kind: 'permissionSetGroup',
      permissionSetIds: g.members.map((m) => permissionSets.find((ps) => ps.name === m)!.id),
      ...(muting ? { mutingPermissionSetId: muting.id } : {}),
    };
  });
  return { profiles, permissionSets, mutingPermissionSets, permissionSetGroups };
};

/** An org model: users mode. */
export const orgModel = (spec: ModelSpec): AccessModel => {
  const holders = buildHolders(spec, false);
  const psls: PermissionSetLicense[] = (spec.psls ?? []).map((p, i) => ({ id: `0PL${i}`, label: p.developerName, ...p }));
  const users: User[] = (spec.users ?? []).map((u, i) => {
    const profile = holders.profiles.find((p) => p.name === u.profile)!;
    return {
      id: `005${i}`,
      username: u.username,
      name: u.username,
      isActive: u.isActive ?? true,
      profileId: profile.profileId,
      ...(profile.userLicense ? { userLicense: profile.userLicense } : {}),
      ...(u.lastLoginDate ? { lastLoginDate: u.lastLoginDate } : {}),
      createdDate: u.createdDate ?? '2026-11-01T00:00:00.000Z',
      ...(u.frozen ? { frozen: { userLoginId: `060${i}` } } : {}),
    };
  });
  const assignments = (spec.users ?? []).flatMap((u, i) => [
    ...(u.sets ?? []).map((s) => ({ userId: `005${i}`, permissionSetId: holders.permissionSets.find((ps) => ps.name === s)!.id })),
    ...(u.groups ?? []).map((g) => ({ userId: `005${i}`, permissionSetGroupId: holders.permissionSetGroups.find((pg) => pg.name === g)!.id })),
  ]);
  const pslAssignments = (spec.users ?? []).flatMap((u, i) =>
    (u.psls ?? []).map((name) => ({ userId: `005${i}`, permissionSetLicenseId: psls.find((p) => p.developerName === name)!.id }))
  );
  const evidence: EvidenceModel | undefined = spec.evidence
    ? {
        days: spec.evidenceDays ?? 30,
        since: '2026-10-29',
        apiLogs: { kind: 'ApiTotalUsage', files: 30, eventTypes: ['ApiTotalUsage'] },
        byUser: Object.fromEntries(
          Object.entries(spec.evidence).map(([username, e]) => {
            const user = users.find((u) => u.username === username)!;
            return [user.id.slice(0, 15), { ...emptyEvidence(user.id), ...e }];
          })
        ),
      }
    : undefined;
  return {
    source: 'org',
    origin: 'test@org',
    ...(evidence ? { evidence } : {}),
    org: { id: '00D000000000001AAA', name: 'Test Org' },
    ...holders,
    users,
    assignments,
    userLicenses: (spec.userLicenses ?? []).map((l, i) => ({ id: `100${i}`, ...l })),
    permissionSetLicenses: psls,
    permissionSetLicenseAssignments: pslAssignments,
    availableFacts: spec.availableFacts ?? ORG_FACTS,
    unavailableFacts: [],
    loadProblems: [],
  };
};

/** A metadata directory model: holders mode, no user facts. */
export const directoryModel = (spec: ModelSpec): AccessModel => ({
  source: 'directory',
  origin: 'force-app',
  org: {},
  ...buildHolders(spec, true),
  users: [],
  assignments: [],
  userLicenses: [],
  permissionSetLicenses: [],
  permissionSetLicenseAssignments: [],
  availableFacts: ['loginIpRanges', 'setupEntityAccess'],
  unavailableFacts: [],
  loadProblems: [],
});
