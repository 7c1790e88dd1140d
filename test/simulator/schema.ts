/*
 * The simulator's schema: standard objects from a real API v64.0 describe plus a fixture's custom objects and fields.
 * Lookups are case-insensitive and return canonical names, as a real org's describe and SOQL do.
 */
import { readFileSync } from 'node:fs';

export type FieldDescribe = {
  name: string;
  label: string;
  type: string;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  referenceTo?: string[];
  relationshipName?: string;
};

/** A child relationship on the parent object: `(SELECT … FROM <name>)`. */
export type ChildRelationship = {
  name: string;
  childObject: string;
  field: string;
};

export type SObjectDescribe = {
  name: string;
  label: string;
  custom: boolean;
  fields: FieldDescribe[];
};

export type CustomFieldDef = {
  name: string;
  type: string;
  label?: string;
  referenceTo?: string[];
  relationshipName?: string;
  /** Name of the child relationship this reference creates on its parent, e.g. `Invoices__r`. */
  childRelationshipName?: string;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
};

export type CustomObjectDef = {
  name: string;
  label?: string;
  fields: CustomFieldDef[];
  /** True when `name` is a standard object that gets extra (custom) fields. Inferred when the object exists. */
  extendsStandard?: boolean;
  /**
   * Fields of a standard object this org does not have, e.g. `PermissionsAccessBankingServiceAgent` on PermissionSet in an
   * org without the banking cloud: a PermissionSet describe lists the permissions of the org's edition and features.
   */
  removeFields?: string[];
};

type DescribeFile = {
  source: string;
  objects: Record<string, { label: string; fields: FieldDescribe[] }>;
};

const DESCRIBE_URL = new URL('./data/describe-v64.json', import.meta.url);

// Relationship facts the v64 describe file lacks (its generator dropped polymorphic references).
// UNVERIFIED recollection of a real org: PermissionSet.License is polymorphic (UserLicense | PermissionSetLicense);
// Owner of a Lead, Case or Order is a User or a queue (Group, which this schema does not serve).
const OWNER = { referenceTo: ['Group', 'User'], relationshipName: 'Owner' };
const REFERENCE_PATCHES: Record<string, Record<string, Pick<FieldDescribe, 'referenceTo' | 'relationshipName'>>> = {
  PermissionSet: { LicenseId: { referenceTo: ['UserLicense', 'PermissionSetLicense'], relationshipName: 'License' } },
  Lead: { OwnerId: OWNER },
  Case: { OwnerId: OWNER },
  Order: { OwnerId: OWNER },
  SetupEntityAccess: { SetupEntityId: { referenceTo: ['ApexClass'] } },
};

// Child relationship names a real org uses where they differ from the plural of the child object
// (seen in public SOQL: OrgCheck, docs; the PermissionSetLicenseAssign one is UNVERIFIED).
const CHILD_RELATIONSHIP_NAMES: Record<string, string> = {
  'PermissionSetAssignment.AssigneeId': 'PermissionSetAssignments',
  'PermissionSetAssignment.PermissionSetId': 'Assignments',
  'ObjectPermissions.ParentId': 'ObjectPerms',
  'FieldPermissions.ParentId': 'FieldPerms',
  'SetupEntityAccess.ParentId': 'SetupEntityAccessItems',
  'SetupEntityAccess.SetupEntityId': 'SetupEntityAccessItems',
  'PermissionSetLicenseAssign.AssigneeId': 'PermissionSetLicenseAssignments',
};

// Audit and owner references point at User from every object; they are not queried as child relationships here.
const NO_CHILD_RELATIONSHIP_FIELDS = new Set(['CreatedById', 'LastModifiedById', 'MasterRecordId', 'OwnerId']);

const KEY_PREFIXES: Record<string, string> = {
  User: '005',
  Profile: '00e',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  PermissionSetGroup: '0PG',
  PermissionSetGroupComponent: '0PH',
  PermissionSetLicense: '0PL',
  PermissionSetLicenseAssign: '2LA',
  MutingPermissionSet: '0QM',
  ObjectPermissions: '110',
  FieldPermissions: '01k',
  SetupEntityAccess: '0J0',
  UserLicense: '100',
  Organization: '00D',
  ApexClass: '01p',
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  Order: '801',
  Lead: '00Q',
  Case: '500',
  UserRole: '00E',
  LoginHistory: '0Ya',
  OauthToken: '0CQ',
  // '0AT' as in the EventLogFile ids of public API samples (e.g. 0AT5j00002LqQTxGAN).
  EventLogFile: '0AT',
  // UNVERIFIED: the UserLogin key prefix is not in the documentation read
  UserLogin: '060',
  EntityDefinition: '000',
  FieldDefinition: '000',
  Group: '00G',
};

const SYSTEM_FIELDS: CustomFieldDef[] = [
  { name: 'Id', type: 'id', nillable: false, createable: false, updateable: false },
  { name: 'Name', type: 'string', nillable: true },
  { name: 'OwnerId', type: 'reference', referenceTo: ['User'], relationshipName: 'Owner', nillable: false },
  { name: 'CreatedDate', type: 'datetime', nillable: false, createable: false, updateable: false },
  { name: 'CreatedById', type: 'reference', referenceTo: ['User'], relationshipName: 'CreatedBy', nillable: false, createable: false, updateable: false },
  { name: 'LastModifiedDate', type: 'datetime', nillable: false, createable: false, updateable: false },
  { name: 'LastModifiedById', type: 'reference', referenceTo: ['User'], relationshipName: 'LastModifiedBy', nillable: false, createable: false, updateable: false },
  { name: 'SystemModstamp', type: 'datetime', nillable: false, createable: false, updateable: false },
  { name: 'IsDeleted', type: 'boolean', nillable: false, createable: false, updateable: false },
];

/*
 * Field-level security facts a describe gives per field (DescribeFieldResult `defaultedOnCreate`, `permissionable`),
 * which the bundled describe file lacks. Derived here:
 * - defaultedOnCreate: a boolean always is (a real describe of PermissionSet shows PermissionsApiEnabled with
 *   nillable false and defaultedOnCreate true: prismatic.io's describePermissions example payload); OwnerId is (the
 *   record's creator owns it) — UNVERIFIED that the describe says so for every object.
 * - permissionable false: a required field (nillable false, createable, not defaulted: Gearset "You cannot deploy to a
 *   required field", Zuora CPQ FLS page, sfdx-hardis deploy tips), and the Id, owner and audit fields — the latter
 *   UNVERIFIED (recollection of Setup's field-level security pages, which do not list them).
 */
const NOT_PERMISSIONABLE = new Set(['id', 'ownerid', 'createdbyid', 'createddate', 'lastmodifiedbyid', 'lastmodifieddate', 'systemmodstamp', 'isdeleted']);

export function fieldSecurity(field: FieldDescribe): { defaultedOnCreate: boolean; permissionable: boolean; required: boolean } {
  const defaultedOnCreate = field.type === 'boolean' || field.name === 'OwnerId';
  const required = !field.nillable && field.createable && !defaultedOnCreate;
  return { defaultedOnCreate, permissionable: !required && !NOT_PERMISSIONABLE.has(field.name.toLowerCase()), required };
}

/** English plural as Salesforce forms default child relationship names (Case → Cases, Opportunity → Opportunities). */
export function pluralize(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return name.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/i.test(name)) return name + 'es';
  return name + 's';
}

function toFieldDescribe(def: CustomFieldDef): FieldDescribe {
  return {
    name: def.name,
    label: def.label ?? def.name.replace(/__c$/i, '').replace(/_/g, ' '),
    type: def.type,
    nillable: def.nillable ?? true,
    createable: def.createable ?? true,
    updateable: def.updateable ?? true,
    ...(def.referenceTo ? { referenceTo: def.referenceTo } : {}),
    ...(def.relationshipName ? { relationshipName: def.relationshipName } : {}),
  };
}

/** Stable 3-char prefix for a custom object, a0X-like (a00…a0Z, a10…), derived from its name. */
function customKeyPrefix(objectName: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let hash = 0;
  for (const ch of objectName.toLowerCase()) hash = (hash * 31 + ch.charCodeAt(0)) % (62 * 62);
  return 'a' + alphabet[Math.floor(hash / 62)] + alphabet[hash % 62];
}

type ObjectEntry = {
  describe: SObjectDescribe;
  fieldsByLower: Map<string, FieldDescribe>;
  parentRelationshipsByLower: Map<string, FieldDescribe>;
  childRelationshipsByLower: Map<string, ChildRelationship>;
  keyPrefix: string;
};

export class Schema {
  private readonly objects = new Map<string, ObjectEntry>();
  private readonly objectByPrefix = new Map<string, string>();

  public constructor(objects: SObjectDescribe[], childRelationshipOverrides: Record<string, string>) {
    for (const describe of objects) {
      const fieldsByLower = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
      const parentRelationshipsByLower = new Map(
        describe.fields.filter((f) => f.relationshipName).map((f) => [f.relationshipName!.toLowerCase(), f])
      );
      const prefix = KEY_PREFIXES[describe.name] ?? this.uniqueCustomPrefix(describe.name);
      this.objects.set(describe.name.toLowerCase(), {
        describe,
        fieldsByLower,
        parentRelationshipsByLower,
        childRelationshipsByLower: new Map(),
        keyPrefix: prefix,
      });
      if (!this.objectByPrefix.has(prefix)) this.objectByPrefix.set(prefix, describe.name);
    }
    this.deriveChildRelationships(childRelationshipOverrides);
  }

  public object(name: string): SObjectDescribe | undefined {
    return this.objects.get(name.toLowerCase())?.describe;
  }

  public field(objectName: string, fieldName: string): FieldDescribe | undefined {
    return this.objects.get(objectName.toLowerCase())?.fieldsByLower.get(fieldName.toLowerCase());
  }

  public objectNames(): string[] {
    return [...this.objects.values()].map((o) => o.describe.name);
  }

  /** The reference field whose relationshipName is `relationshipName` (e.g. User + 'profile' → ProfileId). */
  public parentRelationship(objectName: string, relationshipName: string): FieldDescribe | undefined {
    return this.objects.get(objectName.toLowerCase())?.parentRelationshipsByLower.get(relationshipName.toLowerCase());
  }

  /** A child relationship of `objectName`, e.g. User + 'permissionsetassignments'. */
  public childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    return this.objects.get(objectName.toLowerCase())?.childRelationshipsByLower.get(relationshipName.toLowerCase());
  }

  public childRelationships(objectName: string): ChildRelationship[] {
    return [...(this.objects.get(objectName.toLowerCase())?.childRelationshipsByLower.values() ?? [])];
  }

  public keyPrefix(objectName: string): string | undefined {
    return this.objects.get(objectName.toLowerCase())?.keyPrefix;
  }

  /** The object an Id belongs to, by its key prefix. */
  public objectForId(id: string): string | undefined {
    return this.objectByPrefix.get(id.slice(0, 3));
  }

  /** The hashed custom prefix, moved on to the next free one if another object already has it. */
  private uniqueCustomPrefix(objectName: string): string {
    let prefix = customKeyPrefix(objectName);
    for (let attempt = 1; this.objectByPrefix.has(prefix) || Object.values(KEY_PREFIXES).includes(prefix); attempt++) {
      prefix = customKeyPrefix(`${objectName}#${attempt}`);
    }
    return prefix;
  }

  private deriveChildRelationships(overrides: Record<string, string>): void {
    // candidates per parent: name → relationships; a derived (plural) name used twice is ambiguous and dropped
    const derived = new Map<string, Map<string, ChildRelationship[]>>();
    for (const child of this.objects.values()) {
      for (const field of child.describe.fields) {
        if (field.type !== 'reference' || !field.referenceTo) continue;
        const key = `${child.describe.name}.${field.name}`;
        const explicit = overrides[key];
        if (!explicit && NO_CHILD_RELATIONSHIP_FIELDS.has(field.name)) continue;
        for (const parentName of field.referenceTo) {
          const parent = this.objects.get(parentName.toLowerCase());
          if (!parent) continue;
          const relationship = {
            name: explicit ?? (child.describe.custom ? pluralize(child.describe.name.replace(/__c$/i, '')) + '__r' : pluralize(child.describe.name)),
            childObject: child.describe.name,
            field: field.name,
          };
          if (explicit) {
            parent.childRelationshipsByLower.set(relationship.name.toLowerCase(), relationship);
            continue;
          }
          const perParent = derived.get(parentName.toLowerCase()) ?? new Map<string, ChildRelationship[]>();
          derived.set(parentName.toLowerCase(), perParent);
          const list = perParent.get(relationship.name.toLowerCase()) ?? [];
          list.push(relationship);
          perParent.set(relationship.name.toLowerCase(), list);
        }
      }
    }
    for (const [parentLower, perParent] of derived) {
      const parent = this.objects.get(parentLower)!;
      for (const [nameLower, list] of perParent) {
        if (list.length === 1 && !parent.childRelationshipsByLower.has(nameLower)) {
          parent.childRelationshipsByLower.set(nameLower, list[0]);
        }
      }
    }
  }
}

/**
 * Standard objects the v64 describe file lacks. EventLogFile: Object Reference "EventLogFile" (API 32.0+; Interval
 * and Sequence from 37.0): EventType restricted picklist, LogDate dateTime, LogFile base64 (the CSV, served at
 * /sobjects/EventLogFile/{id}/LogFile), LogFileContentType, LogFileFieldNames, LogFileFieldTypes, LogFileLength
 * double, Interval (Daily | Hourly), Sequence int, CreatedDate.
 * UserLogin: Object Reference "UserLogin" (API 29.0+; calls describe, query, retrieve, update — no create or delete)
 * and its field reference page: IsFrozen and IsPasswordLocked (updatable booleans), UserId (reference, not
 * updatable), LastModifiedById, LastModifiedDate.
 */
const readOnly = (name: string, type: string, extra: Partial<FieldDescribe> = {}): FieldDescribe => ({
  name,
  label: name,
  type,
  nillable: true,
  createable: false,
  updateable: false,
  ...extra,
});
const EXTRA_STANDARD_OBJECTS: Record<string, { label: string; fields: FieldDescribe[] }> = {
  EventLogFile: {
    label: 'Event Log File',
    fields: [
      readOnly('Id', 'id', { nillable: false }),
      readOnly('EventType', 'picklist'),
      readOnly('LogDate', 'datetime'),
      readOnly('LogFile', 'base64'),
      readOnly('LogFileContentType', 'string'),
      readOnly('LogFileFieldNames', 'string'),
      readOnly('LogFileFieldTypes', 'string'),
      readOnly('LogFileLength', 'double'),
      readOnly('Interval', 'picklist'),
      readOnly('Sequence', 'int'),
      readOnly('CreatedDate', 'datetime', { nillable: false }),
    ],
  },
  UserLogin: {
    label: 'User Login',
    fields: [
      readOnly('Id', 'id', { nillable: false }),
      readOnly('IsFrozen', 'boolean', { nillable: false, updateable: true }),
      readOnly('IsPasswordLocked', 'boolean', { nillable: false, updateable: true }),
      readOnly('LastModifiedById', 'reference', { nillable: false, referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
      readOnly('LastModifiedDate', 'datetime', { nillable: false }),
      readOnly('UserId', 'reference', { referenceTo: ['User'], relationshipName: 'User' }),
    ],
  },
};

let describeCache: DescribeFile | undefined;

function readDescribe(): DescribeFile {
  describeCache ??= JSON.parse(readFileSync(DESCRIBE_URL, 'utf8')) as DescribeFile;
  return describeCache;
}

export function loadSchema(extra: CustomObjectDef[] = []): Schema {
  const file = readDescribe();
  const objects = new Map<string, SObjectDescribe>();
  for (const [name, obj] of Object.entries({ ...file.objects, ...EXTRA_STANDARD_OBJECTS })) {
    const patches = REFERENCE_PATCHES[name] ?? {};
    const fields = obj.fields.map((f) => (patches[f.name] ? { ...f, ...patches[f.name] } : { ...f }));
    objects.set(name.toLowerCase(), { name, label: obj.label, custom: false, fields });
  }
  const overrides = { ...CHILD_RELATIONSHIP_NAMES };
  for (const def of extra) {
    const existing = objects.get(def.name.toLowerCase());
    let target: SObjectDescribe;
    if (existing) {
      target = existing;
    } else {
      if (def.extendsStandard) throw new Error(`Cannot extend unknown standard object ${def.name}`);
      target = { name: def.name, label: def.label ?? def.name.replace(/__c$/i, ''), custom: true, fields: [] };
      for (const system of SYSTEM_FIELDS) {
        if (!def.fields.some((f) => f.name.toLowerCase() === system.name.toLowerCase())) target.fields.push(toFieldDescribe(system));
      }
      objects.set(def.name.toLowerCase(), target);
    }
    const removed = new Set((def.removeFields ?? []).map((name) => name.toLowerCase()));
    if (removed.size > 0) target.fields = target.fields.filter((f) => !removed.has(f.name.toLowerCase()));
    for (const fieldDef of def.fields) {
      const at = target.fields.findIndex((f) => f.name.toLowerCase() === fieldDef.name.toLowerCase());
      if (at >= 0) target.fields[at] = toFieldDescribe(fieldDef);
      else target.fields.push(toFieldDescribe(fieldDef));
      if (fieldDef.childRelationshipName) overrides[`${target.name}.${fieldDef.name}`] = fieldDef.childRelationshipName;
    }
  }
  return new Schema([...objects.values()], overrides);
}

/**
 * Key prefix of an object's Ids (e.g. User → '005'); custom objects get a stable a0X-like prefix from their name.
 * A store should prefer `schema.keyPrefix(name)`, which also moves a custom object off a prefix another one has.
 */
export function keyPrefix(objectName: string): string {
  const canonical = readDescribe().objects[objectName] ? objectName : Object.keys(readDescribe().objects).find((n) => n.toLowerCase() === objectName.toLowerCase());
  return KEY_PREFIXES[canonical ?? objectName] ?? customKeyPrefix(canonical ?? objectName);
}
