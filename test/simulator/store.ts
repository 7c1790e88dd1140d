/*
 * The simulated org's state: sObject rows (exactly what SOQL can see) plus the few facts a real org keeps
 * outside SOQL (usernames taken in other orgs, login IP ranges of profiles).
 * A journal makes multi-row writes atomic (allOrNone collections, rollbackOnError deploys).
 * Boolean fields default to false through each row's prototype (one shared object per sObject), so a 10,000-user
 * org does not carry a hundred own `false` properties per row: read fields with row[name], not Object.keys(row).
 */
import type { Schema } from './schema.js';

export type FieldValue = string | number | boolean | null;
export type Row = Record<string, FieldValue>;

export type LoginIpRange = { startAddress: string; endAddress: string; description?: string };

export type OrgInfo = {
  orgId: string;
  name: string;
  instanceName: string;
  isSandbox: boolean;
  /** Sandbox name (e.g. 'uat') when isSandbox. */
  sandboxName?: string;
};

type UndoStep = () => void;

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-char case-safe suffix of an 18-char Id, computed as Salesforce does. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** An 18-char Id from a key prefix and a sequence number: '005' + 12 digits + checksum. */
export function makeId(prefix: string, sequence: number): string {
  const id15 = prefix + String(sequence).padStart(12, '0');
  return id15 + idChecksum(id15);
}

/** 18-char form of a 15- or 18-char Id; undefined when the value cannot be an Id. */
export function to18(id: string): string | undefined {
  if (/^[a-zA-Z0-9]{18}$/.test(id)) return id.slice(0, 15) + idChecksum(id.slice(0, 15));
  if (/^[a-zA-Z0-9]{15}$/.test(id)) return id + idChecksum(id);
  return undefined;
}

export class OrgStore {
  public readonly schema: Schema;
  public readonly org: OrgInfo;
  /** Usernames (lower case) that exist in other orgs: creating one of them fails with DUPLICATE_USERNAME. */
  public readonly takenUsernames = new Set<string>();
  /** User permissions a deploy rejects although the describe lists them (see OrgFixture.metadataUnknownUserPermissions). */
  public readonly metadataUnknownUserPermissions = new Set<string>();
  /** Profile Id → login IP ranges (a real org exposes these through the Metadata API only). */
  public readonly loginIpRanges = new Map<string, LoginIpRange[]>();
  /** User Id → an e-mail address waiting for its verification (see dml.ts holdEmailChange). */
  public readonly pendingEmails = new Map<string, string>();
  /** The user the access token belongs to. */
  public runningUserId = '';
  /**
   * EventLogFile Id (15 chars) → the CSV its LogFile field holds (served at /sobjects/EventLogFile/{id}/LogFile), or a
   * function building it on first download (the generated large org's files).
   */
  public readonly logFiles = new Map<string, string | (() => string)>();

  /** sObjects the running user cannot read (lower case): SOQL on them fails as on an org without the permission. */
  public readonly deniedObjects = new Set<string>();

  private readonly tables = new Map<string, { name: string; rows: Row[] }>();
  private readonly byId = new Map<string, { object: string; row: Row }>();
  private readonly prototypes = new Map<string, Row>();
  private sequence = 0;
  private journal: UndoStep[] | undefined;
  private journalDepth = 0;

  public constructor(schema: Schema, org: OrgInfo) {
    this.schema = schema;
    this.org = org;
  }

  /** The CSV of a log file, built now if it was deferred. */
  public logFile(id: string): string | undefined {
    const key = id.slice(0, 15);
    const content = this.logFiles.get(key);
    if (typeof content !== 'function') return content;
    const built = content();
    this.logFiles.set(key, built);
    return built;
  }

  /** Live array of the rows of an sObject (name case-insensitive). */
  public rows(objectName: string): Row[] {
    return this.table(objectName).rows;
  }

  public get(id: string): { object: string; row: Row } | undefined {
    const id18 = typeof id === 'string' ? to18(id) : undefined;
    return id18 ? this.byId.get(id18.slice(0, 15)) : undefined;
  }

  /** Adds a row; assigns an Id with the object's key prefix unless the row already carries one (fixtures). */
  public insert(objectName: string, fields: Row): Row {
    const table = this.table(objectName);
    let id = typeof fields.Id === 'string' ? to18(fields.Id) : undefined;
    if (id) {
      this.sequence = Math.max(this.sequence, Number.parseInt(id.slice(3, 15), 10) || 0);
    } else {
      const prefix = this.schema.keyPrefix(table.name) ?? '000';
      id = makeId(prefix, ++this.sequence);
    }
    const row = Object.assign(Object.create(this.defaults(table.name)) as Row, fields);
    row.Id = id;
    table.rows.push(row);
    const key = id.slice(0, 15);
    this.byId.set(key, { object: table.name, row });
    if (this.journal) {
      this.record(() => {
        const at = table.rows.lastIndexOf(row);
        if (at >= 0) table.rows.splice(at, 1);
        this.byId.delete(key);
      });
    }
    return row;
  }

  /** Changes fields of a row in place (the row object stays the same, so live references see the change). */
  public update(id: string, fields: Row): Row {
    const found = this.get(id);
    if (!found) throw new Error(`No row with Id ${id}`);
    const { row } = found;
    const before: Row = {};
    const absent: string[] = [];
    for (const key of Object.keys(fields)) {
      if (key === 'Id') continue;
      if (key in row) before[key] = row[key];
      else absent.push(key);
      row[key] = fields[key];
    }
    if (this.journal) {
      this.record(() => {
        Object.assign(row, before);
        for (const key of absent) delete row[key];
      });
    }
    return row;
  }

  public remove(id: string): void {
    const found = this.get(id);
    if (!found) return;
    const table = this.table(found.object);
    const at = table.rows.indexOf(found.row);
    if (at >= 0) table.rows.splice(at, 1);
    const key = String(found.row.Id).slice(0, 15);
    this.byId.delete(key);
    this.record(() => {
      table.rows.splice(at, 0, found.row);
      this.byId.set(key, found);
    });
  }

  /**
   * Runs `work` atomically: if it throws, or returns false, every write it made is undone.
   * Nested calls undo only their own writes.
   */
  public atomically<T>(work: () => T, keep: (result: T) => boolean = (): boolean => true): T {
    this.journal ??= [];
    const mark = this.journal.length;
    this.journalDepth++;
    try {
      const result = work();
      if (!keep(result)) this.undoTo(mark);
      return result;
    } catch (error) {
      this.undoTo(mark);
      throw error;
    } finally {
      this.journalDepth--;
      if (this.journalDepth === 0) this.journal = undefined;
    }
  }

  /** Registers an undo step for state kept outside the rows (e.g. login IP ranges), honoured by `atomically`. */
  public onUndo(step: () => void): void {
    this.record(step);
  }

  /** Number of rows over all objects (for diagnostics and benchmarks). */
  public size(): number {
    return this.byId.size;
  }

  /** Shared prototype of an object's rows: every boolean field false, as a real org returns them. */
  private defaults(objectName: string): Row {
    let proto = this.prototypes.get(objectName);
    if (!proto) {
      proto = {};
      for (const field of this.schema.object(objectName)?.fields ?? []) if (field.type === 'boolean') proto[field.name] = false;
      this.prototypes.set(objectName, proto);
    }
    return proto;
  }

  private undoTo(mark: number): void {
    const journal = this.journal!;
    while (journal.length > mark) journal.pop()!();
  }

  private record(step: UndoStep): void {
    if (this.journal) this.journal.push(step);
  }

  private table(objectName: string): { name: string; rows: Row[] } {
    const key = objectName.toLowerCase();
    let table = this.tables.get(key);
    if (!table) {
      table = { name: this.schema.object(objectName)?.name ?? objectName, rows: [] };
      this.tables.set(key, table);
    }
    return table;
  }
}
