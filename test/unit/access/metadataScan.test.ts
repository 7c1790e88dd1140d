import { expect } from 'chai';
import { scanMetadataXml, StringPool } from '../../../src/access/metadataScan.js';

const REPEATED = new Set(['userPermissions', 'permissionSets']);

describe('metadata scanner', () => {
  it('keeps the root children as text or records, repeated names as arrays; comments, CDATA and entities handled', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- retrieved -->\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n  <description><![CDATA[ignored]]>R&amp;D &lt;api&gt;</description>\n  <label>A</label>\n  <userPermissions>\n    <enabled>true</enabled>\n    <name>ApiUserOnly</name>\n  </userPermissions>\n  <userPermissions><enabled>false</enabled><name>X</name></userPermissions>\n  <tabSettings><tab>t</tab><visibility><deep>1</deep></visibility></tabSettings>\n  <hasActivationRequired/>\n</PermissionSet>\n';
    const result = scanMetadataXml(xml, REPEATED);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.root).to.equal('PermissionSet');
    expect(result.node.label).to.equal('A');
    expect(result.node.description).to.equal('<![CDATA[ignored]]>R&D <api>');
    expect(result.node.userPermissions).to.deep.equal([{ enabled: 'true', name: 'ApiUserOnly' }, { enabled: 'false', name: 'X' }]);
    expect(result.node.hasActivationRequired).to.equal('');
  });

  it('names what is wrong and where: mismatched close, truncation, two roots, text outside the root', () => {
    const cases: Array<[string, string, number]> = [
      ['<Profile>\n  <userPermissions>\n  </userPermission>\n</Profile>', 'where </userPermissions> was expected', 3],
      ['<Profile>\n  <userPermissions>\n    <name>Api', '<Profile> <userPermissions> <name>', 3],
      ['<Profile/>\n<Profile/>', 'a second root element', 2],
      ['junk<Profile/>', 'text outside the root element', 1],
      ['<Profile>\n  <a b="x>y"></a>\n  <1bad/>\n</Profile>', 'invalid tag name "1bad"', 3],
    ];
    for (const [xml, detail, line] of cases) {
      const result = scanMetadataXml(xml, REPEATED);
      expect(result.ok, xml).to.equal(false);
      if (result.ok) continue;
      expect(result.detail, xml).to.include(detail);
      expect(result.line, xml).to.equal(line);
    }
  });

  it('reads bytes: UTF-8 text and entities decoded, lines counted in bytes, only the kept children kept and converted', () => {
    const xml = Buffer.from(
      '<?xml version="1.0"?>\n<Profile>\n  <description> Intégration ERP &amp; données </description>\n  <layoutAssignments><layout>L</layout></layoutAssignments>\n  <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>\n  <custom>false</custom>\n</Profile>\n',
      'utf8'
    );
    const result = scanMetadataXml(xml, REPEATED, {
      kept: new Set(['description', 'userPermissions', 'custom']),
      convert: { userPermissions: (value) => `converted ${(value as Record<string, string>).name}` },
    });
    expect(result).to.deep.equal({
      ok: true,
      root: 'Profile',
      node: { description: 'Intégration ERP & données', userPermissions: ['converted ApiEnabled'], custom: 'false' },
    });
    const broken = scanMetadataXml(Buffer.from('<Profile>\n  <description>é</description>\n  <custom>true</cust>\n</Profile>', 'utf8'), REPEATED);
    expect(broken).to.include({ ok: false, line: 3 });
  });

  it('a string pool with colliding slots still gives every value its own text', () => {
    const pool = new StringPool(1); // two slots for twenty values: most lookups collide
    const names = Array.from({ length: 20 }, (_, i) => `Object_${i}__c.Field_${i}__c`);
    for (let round = 0; round < 2; round++) {
      for (const name of names) {
        const result = scanMetadataXml(`<PermissionSet><fieldPermissions><field>${name}</field></fieldPermissions></PermissionSet>`, new Set(['fieldPermissions']), { strings: pool });
        expect(result.ok && result.node.fieldPermissions).to.deep.equal([{ field: name }]);
      }
    }
  });
});
