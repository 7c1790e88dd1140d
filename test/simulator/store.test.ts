import { expect } from 'chai';
import { loadSchema } from './schema.js';
import { idChecksum, makeId, OrgStore, to18 } from './store.js';

describe('simulator store', () => {
  const newStore = (): OrgStore => new OrgStore(loadSchema(), { orgId: '00D000000000001AAA', name: 'Test', instanceName: 'NA1', isSandbox: false });

  it('computes the case-safe checksum of 18-character Ids', () => {
    // '001' + digits only: no upper-case letters in any 5-char chunk → 'AAA'
    expect(makeId('001', 42)).to.equal('001000000000042AAA');
    // Salesforce's documented algorithm: bit i set when char i of the chunk is A–Z
    expect(idChecksum('0PS000000000114')).to.equal('GAA');
    expect(to18('0PS000000000114')).to.equal('0PS000000000114GAA');
    expect(to18('not an id')).to.equal(undefined);
  });

  it('inserts with the object key prefix and finds rows by 15- or 18-char Id, case-insensitive object names', () => {
    const store = newStore();
    const user = store.insert('user', { Username: 'a@b.c', LastName: 'A' });
    expect(String(user.Id)).to.match(/^005\w{15}$/);
    expect(store.get(String(user.Id))?.object).to.equal('User');
    expect(store.get(String(user.Id).slice(0, 15))?.row).to.equal(user);
    expect(store.rows('USER')).to.have.length(1);
  });

  it('reads unset boolean fields as false and unset other fields as undefined', () => {
    const store = newStore();
    const ps = store.insert('PermissionSet', { Name: 'X', Label: 'X', PermissionsApiEnabled: true });
    expect(ps.PermissionsApiEnabled).to.equal(true);
    expect(ps.PermissionsModifyAllData).to.equal(false);
    expect(ps.Description).to.equal(undefined);
  });

  it('undoes every write of a failed atomic block, in order, and keeps those of a successful one', () => {
    const store = newStore();
    const kept = store.insert('Account', { Name: 'Kept' });
    expect(() =>
      store.atomically(() => {
        store.insert('Account', { Name: 'Gone' });
        store.update(String(kept.Id), { Name: 'Renamed', Phone: '1' });
        store.remove(String(kept.Id));
        throw new Error('boom');
      })
    ).to.throw('boom');
    expect(store.rows('Account').map((r) => r.Name)).to.deep.equal(['Kept']);
    expect(kept.Phone).to.equal(undefined);
    expect(store.get(String(kept.Id))?.row).to.equal(kept);

    store.atomically(() => store.update(String(kept.Id), { Name: 'Changed' }));
    expect(kept.Name).to.equal('Changed');

    // keep() returning false rolls back without an exception
    const result = store.atomically(
      () => store.insert('Account', { Name: 'Discarded' }),
      () => false
    );
    expect(result.Name).to.equal('Discarded');
    expect(store.rows('Account')).to.have.length(1);
  });
});
