import type { Connection } from '@salesforce/core';
import { expect } from 'chai';
import { OrgSimulator, type Row } from '../index.js';
import { rejection } from './rejection.js';

type SaveResult = { id?: string; success: boolean; errors: Array<{ statusCode: string; message: string; fields: string[] }> };

describe('simulator: DML semantics (users, seats, assignments, collections)', () => {
  let sim: OrgSimulator;
  let conn: Connection;
  const byName = (object: string, field: string, value: string): Row => sim.store.rows(object).find((r) => r[field] === value)!;
  const newUser = (username: string, profile: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    Username: username,
    LastName: 'Test',
    FirstName: 'Tess',
    Email: 'tess@acme.example',
    Alias: 'tess',
    TimeZoneSidKey: 'Europe/Paris',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: byName('Profile', 'Name', profile).Id,
    ...extra,
  });
  const integrationLicense = (): Row => byName('UserLicense', 'Name', 'Salesforce Integration');

  beforeEach(async () => {
    sim = await OrgSimulator.start();
    conn = await sim.connect();
  });
  afterEach(async () => sim.stop());

  it('creates a user: Name computed, active, Standard type, a seat of its license taken', async () => {
    const usedBefore = Number(integrationLicense().UsedLicenses);
    const result = await conn.sobject('User').create(newUser('new.integration@acme.example', 'Minimum Access - API Only Integrations'));
    expect(result.success).to.equal(true);
    const row = sim.store.get(result.id!)!.row;
    expect(row).to.include({ Name: 'Tess Test', IsActive: true, UserType: 'Standard', CreatedById: sim.store.runningUserId });
    expect(integrationLicense().UsedLicenses).to.equal(usedBefore + 1);
  });

  it('DUPLICATE_USERNAME for a username of this org (any case) and for one taken in another org, with fields [Username]', async () => {
    const inOrg = await rejection(conn.sobject('User').create(newUser('ERP.Integration@demo.sim', 'Standard User')));
    expect(inOrg.errorCode).to.equal('DUPLICATE_USERNAME');
    expect(inOrg.data?.fields).to.deep.equal(['Username']);
    const elsewhere = await rejection(conn.sobject('User').create(newUser('taken.integration@acme.example', 'Standard User')));
    expect(elsewhere.errorCode).to.equal('DUPLICATE_USERNAME');
    expect(elsewhere.message).to.include('another Salesforce organization');
  });

  it('LICENSE_LIMIT_EXCEEDED once the integration license (5 seats, 2 used) is full; deactivating frees a seat', async () => {
    expect(integrationLicense()).to.include({ TotalLicenses: 5, UsedLicenses: 2 });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      // eslint-disable-next-line no-await-in-loop -- seats are taken one after another
      ids.push((await conn.sobject('User').create(newUser(`seat${n}@acme.example`, 'Minimum Access - API Only Integrations'))).id!);
    }
    const full = await rejection(conn.sobject('User').create(newUser('seat4@acme.example', 'Minimum Access - API Only Integrations')));
    expect(full.errorCode).to.equal('LICENSE_LIMIT_EXCEEDED');
    expect(sim.store.rows('User').some((u) => u.Username === 'seat4@acme.example')).to.equal(false);

    await conn.sobject('User').update({ Id: ids[0], IsActive: false });
    expect(integrationLicense().UsedLicenses).to.equal(4);
    await conn.sobject('User').create(newUser('seat4@acme.example', 'Minimum Access - API Only Integrations'));
    // re-activating the first one now exceeds the limit again
    const reactivate = await rejection(conn.sobject('User').update({ Id: ids[0], IsActive: true }));
    expect(reactivate.errorCode).to.equal('LICENSE_LIMIT_EXCEEDED');
  });

  it('validates fields: REQUIRED_FIELD_MISSING, INVALID_FIELD, INVALID_FIELD_FOR_INSERT_UPDATE, Id in the body', async () => {
    const missing = await rejection(conn.sobject('User').create({ Username: 'x@acme.example', LastName: 'X' }));
    expect(missing.errorCode).to.equal('REQUIRED_FIELD_MISSING');
    expect(missing.data?.fields).to.deep.equal(['Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'ProfileId']);
    const unknown = await rejection(conn.sobject('User').create(newUser('y@acme.example', 'Standard User', { Nickname__c: 'y' })));
    expect(unknown.errorCode).to.equal('INVALID_FIELD');
    const readOnly = await rejection(conn.sobject('User').create(newUser('z@acme.example', 'Standard User', { LastLoginDate: '2026-01-01T00:00:00.000+0000' })));
    expect(readOnly.errorCode).to.equal('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(readOnly.data?.fields).to.deep.equal(['LastLoginDate']);
    const withId = await rejection(conn.requestPost(`/services/data/v${conn.getApiVersion()}/sobjects/Account`, { Id: '001000000000001AAA', Name: 'A' }));
    expect(withId.errorCode).to.equal('INVALID_FIELD');
    expect(withId.message).to.equal('The Id field should not be specified in the sobject data.');
  });

  it('users cannot be deleted (405 METHOD_NOT_ALLOWED); read-only objects refuse inserts', async () => {
    const userId = String(byName('User', 'Username', 'retired.integration@demo.sim').Id);
    const response = await fetch(`${sim.url}/services/data/v68.0/sobjects/User/${userId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${sim.accessToken}` } });
    expect(response.status).to.equal(405);
    expect(((await response.json()) as Array<{ errorCode: string }>)[0].errorCode).to.equal('METHOD_NOT_ALLOWED');
    expect(sim.store.get(userId)).to.not.equal(undefined);
    const license = await rejection(conn.sobject('UserLicense').create({ Name: 'Free seats' }));
    expect(license.errorCode).to.equal('METHOD_NOT_ALLOWED');
  });

  it('permission set assignment: license must match (PSL first for integration users), duplicates are DUPLICATE_VALUE', async () => {
    const user = await conn.sobject('User').create(newUser('fresh.integration@acme.example', 'Minimum Access - API Only Integrations'));
    const erpSet = byName('PermissionSet', 'Name', 'Integration_Erp');
    const refused = await rejection(conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: erpSet.Id }));
    expect(refused.errorCode).to.equal('FIELD_INTEGRITY_EXCEPTION');
    expect(refused.message).to.match(/^Can't assign permission set ERP Integration to user fresh\.integration@acme\.example\. The user license doesn't allow the permission: Read Accounts$/);

    const psl = byName('PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl');
    const pslUsed = Number(psl.UsedLicenses);
    await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user.id, PermissionSetLicenseId: psl.Id });
    expect(psl.UsedLicenses).to.equal(pslUsed + 1);
    const again = await rejection(conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user.id, PermissionSetLicenseId: psl.Id }));
    expect(again.errorCode).to.equal('DUPLICATE_VALUE');
    expect(again.message).to.match(/^duplicate value found/);

    const assigned = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: erpSet.Id });
    expect(assigned.success).to.equal(true);
    const duplicate = await rejection(conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.id, PermissionSetId: erpSet.Id }));
    expect(duplicate.errorCode).to.equal('DUPLICATE_VALUE');

    // a Salesforce-licensed user cannot take a set tied to the integration PSL without the PSL
    const human = byName('User', 'Username', 'sally.sales@demo.sim');
    const mismatch = await rejection(conn.sobject('PermissionSetAssignment').create({ AssigneeId: human.Id, PermissionSetId: erpSet.Id }));
    expect(mismatch.errorCode).to.equal('FIELD_INTEGRITY_EXCEPTION');
  });

  it('permission set license seats: LICENSE_LIMIT_EXCEEDED when all 5 are used; removing an assignment frees one', async () => {
    const psl = byName('PermissionSetLicense', 'DeveloperName', 'SalesforceAPIIntegrationPsl');
    expect(psl).to.include({ TotalLicenses: 5, UsedLicenses: 1 });
    const users = ['sally.sales', 'sam.sales', 'sue.service', 'mia.minimum', 'pat.platform'].map((u) => byName('User', 'Username', `${u}@demo.sim`));
    const created: string[] = [];
    for (const user of users.slice(0, 4)) {
      // eslint-disable-next-line no-await-in-loop -- seats are taken one after another
      created.push((await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user.Id, PermissionSetLicenseId: psl.Id })).id!);
    }
    const full = await rejection(conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: users[4].Id, PermissionSetLicenseId: psl.Id }));
    expect(full.errorCode).to.equal('LICENSE_LIMIT_EXCEEDED');
    await conn.sobject('PermissionSetLicenseAssign').destroy(created[0]);
    expect(psl.UsedLicenses).to.equal(4);
    expect((await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: users[4].Id, PermissionSetLicenseId: psl.Id })).success).to.equal(true);
  });

  it('collections: allOrNone=false saves the valid records; allOrNone=true rolls all back with ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const records = [
      { attributes: { type: 'User' }, ...newUser('c1@acme.example', 'Standard User') },
      { attributes: { type: 'User' }, ...newUser('taken.integration@acme.example', 'Standard User') },
    ];
    const partial = await conn.requestPost<SaveResult[]>(`/services/data/v${conn.getApiVersion()}/composite/sobjects`, { allOrNone: false, records });
    expect(partial[0].success).to.equal(true);
    expect(partial[1]).to.deep.equal({
      success: false,
      errors: [{ statusCode: 'DUPLICATE_USERNAME', message: partial[1].errors[0].message, fields: ['Username'] }],
    });
    const seatsBefore = Number(byName('UserLicense', 'Name', 'Salesforce').UsedLicenses);
    const usersBefore = sim.store.rows('User').length;
    const all = await conn.requestPost<SaveResult[]>(`/services/data/v${conn.getApiVersion()}/composite/sobjects`, {
      allOrNone: true,
      records: [{ attributes: { type: 'User' }, ...newUser('c2@acme.example', 'Standard User') }, records[1]],
    });
    expect(all.map((r) => r.errors[0].statusCode)).to.deep.equal(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'DUPLICATE_USERNAME']);
    expect(sim.store.rows('User')).to.have.length(usersBefore);
    expect(byName('UserLicense', 'Name', 'Salesforce').UsedLicenses).to.equal(seatsBefore);
  });

  it('collections: PATCH updates and DELETE ?ids= removes assignments, with per-record results', async () => {
    const assignments = sim.store.rows('PermissionSetAssignment').filter((a) => a.AssigneeId === byName('User', 'Username', 'reporting.integration@demo.sim').Id);
    expect(assignments).to.have.length(2);
    const ids = assignments.map((a) => String(a.Id));
    const userId = String(byName('User', 'Username', 'never.integration@demo.sim').Id);
    const updated = await conn.requestPatch<SaveResult[]>(`/services/data/v${conn.getApiVersion()}/composite/sobjects`, {
      allOrNone: false,
      records: [{ attributes: { type: 'User' }, Id: userId, Title: 'Never logs in' }],
    });
    expect(updated).to.deep.equal([{ id: userId, success: true, errors: [] }]);
    expect(sim.store.get(userId)!.row.Title).to.equal('Never logs in');
    const deleted = await conn.requestDelete<SaveResult[]>(`/services/data/v${conn.getApiVersion()}/composite/sobjects?ids=${ids.join(',')},${userId}`);
    expect(deleted.map((r) => r.success)).to.deep.equal([true, true, false]);
    expect(deleted[2].errors[0].statusCode).to.equal('INVALID_TYPE_FOR_OPERATION');
    expect(sim.store.rows('PermissionSetAssignment').some((a) => ids.includes(String(a.Id)))).to.equal(false);
  });
});
