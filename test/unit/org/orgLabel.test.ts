import { expect } from 'chai';
import { isUsername, orgLabel } from '../../../src/org/orgLabel.js';

const org = (username: string | undefined): { getUsername: () => string | undefined; getOrgId: () => string } => ({
  getUsername: () => username,
  getOrgId: () => '00D000000000001AAA',
});

describe('orgLabel: how output names an org, never by its access token', () => {
  it('uses the username when the org is known by one', () => {
    expect(orgLabel(org('admin@acme.example'))).to.equal('admin@acme.example');
  });

  it('uses the org id when core reports an access token as the username (target-org given as a token)', () => {
    expect(orgLabel(org('00D000000000001AAA!AQ8AQH.secret'))).to.equal('00D000000000001AAA');
    expect(orgLabel(org(undefined))).to.equal('00D000000000001AAA');
  });

  it('once the org is read: its name and id, else its id, never the username (the label may go into a file)', () => {
    expect(orgLabel(org('admin@acme.example'), { name: 'Acme', id: '00D000000000001EAA' })).to.equal('Acme (00D000000000001EAA)');
    expect(orgLabel(org('admin@acme.example'), { name: 'Acme' })).to.equal('Acme (00D000000000001AAA)');
    expect(orgLabel(org('admin@acme.example'), {})).to.equal('00D000000000001AAA');
    expect(orgLabel(org('00D000000000001AAA!AQ8AQH.secret'), { name: 'Acme' })).to.not.include('secret');
  });

  it('isUsername refuses tokens and non-usernames', () => {
    expect(isUsername('a@b.example')).to.equal(true);
    expect(isUsername('00D000000000001AAA!x@y')).to.equal(false);
    expect(isUsername('eyJhbGciOi')).to.equal(false);
    expect(isUsername(undefined)).to.equal(false);
  });
});
