/* src/formats/xml.ts: the one XML writer keeps every character XML 1.0 allows and drops the others. */
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { toXmlDocument, xmlChars } from '../../../src/formats/xml.js';

describe('formats/xml', () => {
  it('drops control characters, U+FFFE/U+FFFF and unpaired surrogates; keeps tab, line breaks and paired surrogates', () => {
    expect(xmlChars('a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh')).to.equal('abcdefgh');
    expect(xmlChars('tab\there\nline\r\nend')).to.equal('tab\there\nline\r\nend');
    expect(xmlChars('emoji 😀 ok')).to.equal('emoji 😀 ok');
    expect(xmlChars('lone \uD83D here, \uDE00 there')).to.equal('lone  here,  there');
  });

  it('escapes text and attributes, and reads back as written', () => {
    const xml = toXmlDocument({ root: { '@_name': 'a<&"\'>\u0001', item: ['x < y & z', '"quoted" \'single\''] } }, { indent: '  ', selfClosing: true });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<root name="a&lt;&amp;&quot;&apos;&gt;">')).to.equal(true);
    expect(xml.endsWith('</root>\n')).to.equal(true);
    const doc = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(xml) as { root: { '@_name': string; item: string[] } };
    expect(doc.root['@_name']).to.equal('a<&"\'>');
    expect(doc.root.item).to.deep.equal(['x < y & z', '"quoted" \'single\'']);
  });

  it('writes an element without content as <a/> or <a></a>', () => {
    expect(toXmlDocument({ a: { b: '' } }, { indent: '  ', selfClosing: true })).to.include('<b/>');
    expect(toXmlDocument({ a: { b: '' } }, { indent: '  ', selfClosing: false })).to.include('<b></b>');
  });
});
