import { expect } from 'chai';
import { orgContext, type OrgConnection } from '../../../src/org/connection.js';
import { profileMetadataName, readProfileLoginIpRanges } from '../../../src/org/profileMetadata.js';

describe('org/profileMetadata', () => {
  it('maps legacy standard profiles to their Metadata API names and encodes special characters', () => {
    expect(profileMetadataName('System Administrator')).to.equal('Admin');
    expect(profileMetadataName('Standard User')).to.equal('Standard');
    expect(profileMetadataName('Minimum Access - API Only Integrations')).to.equal('Minimum Access - API Only Integrations');
    expect(profileMetadataName('Custom: Marketing Profile')).to.equal('Custom%3A Marketing Profile');
  });

  it('reads 10 profiles per call and tells "no ranges" from "not returned"', async () => {
    const calls: string[][] = [];
    const conn = {
      metadata: {
        read: (type: string, names: string[]) => {
          expect(type).to.equal('Profile');
          calls.push(names);
          return Promise.resolve(
            names
              .filter((n) => n !== 'Ghost')
              .map((fullName) =>
                fullName === 'Admin'
                  ? { fullName, loginIpRanges: { startAddress: '10.0.0.0', endAddress: '10.0.0.255', description: 'office' } }
                  : fullName === 'Two'
                  ? { fullName, loginIpRanges: [{ startAddress: '1.1.1.1', endAddress: '1.1.1.1' }, { startAddress: '2.2.2.2', endAddress: '2.2.2.9' }] }
                  : { fullName }
              )
          );
        },
      },
    } as unknown as OrgConnection;
    const names = ['System Administrator', 'Two', 'Ghost', ...Array.from({ length: 10 }, (_, i) => `P${i}`)];
    const ctx = orgContext(conn);
    const ranges = await readProfileLoginIpRanges(ctx, names);
    expect(calls.map((c) => c.length)).to.deep.equal([10, 3]);
    expect(ctx.stats.requests).to.equal(2);
    expect(ranges.get('System Administrator')).to.deep.equal([{ start: '10.0.0.0', end: '10.0.0.255', description: 'office' }]);
    expect(ranges.get('Two')).to.have.length(2);
    expect(ranges.get('P3')).to.deep.equal([]);
    expect(ranges.has('Ghost')).to.equal(false);
  });
});
