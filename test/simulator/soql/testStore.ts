/*
 * A Map-backed row source for the SOQL engine's tests: rows per object plus an index by Id, with 18-char Ids minted
 * from the schema's key prefixes (checksum suffix omitted: tests only need uniqueness and the prefix).
 */
import { keyPrefix } from '../schema.js';
import type { Row, RowSource } from './index.js';

export class TestStore implements RowSource {
  private readonly byObject = new Map<string, { object: string; rows: Row[] }>();
  private readonly byId = new Map<string, { object: string; row: Row }>();
  private counter = 0;

  public rows(objectName: string): Row[] {
    return this.byObject.get(objectName.toLowerCase())?.rows ?? [];
  }

  public get(id: string): { object: string; row: Row } | undefined {
    return this.byId.get(id) ?? (id.length === 15 ? [...this.byId.entries()].find(([k]) => k.startsWith(id))?.[1] : undefined);
  }

  /** Adds a row; `Id` is minted when missing. Returns the stored row. */
  public insert(objectName: string, fields: Row): Row {
    const id = typeof fields.Id === 'string' ? fields.Id : this.mintId(objectName);
    const row: Row = { ...fields, Id: id };
    let bucket = this.byObject.get(objectName.toLowerCase());
    if (!bucket) {
      bucket = { object: objectName, rows: [] };
      this.byObject.set(objectName.toLowerCase(), bucket);
    }
    bucket.rows.push(row);
    this.byId.set(id, { object: bucket.object, row });
    return row;
  }

  private mintId(objectName: string): string {
    this.counter++;
    return `${keyPrefix(objectName)}${String(this.counter).padStart(12, '0')}AAA`;
  }
}
