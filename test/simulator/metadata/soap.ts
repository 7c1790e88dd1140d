/*
 * Metadata API SOAP envelopes: reading jsforce's requests and writing replies jsforce (xml2js) can parse —
 * namespaces declared on the Envelope (never on Body), booleans as 'true'/'false', faults with HTTP 500.
 */
import { XMLParser } from 'fast-xml-parser';
import type { SimResponse } from '../server/context.js';

export type XmlValue = string | number | boolean | null | undefined | XmlNode | XmlValue[];
export type XmlNode = { [element: string]: XmlValue };

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name, jpath): boolean => {
    // repeated request elements
    const path = String(jpath);
    return /\.(?:queries|fullNames|metadata)$/.test(path) && path.includes('Body');
  },
});

/** The call's element inside Body, e.g. { name: 'deploy', args: {...} }. */
export function parseSoapRequest(body: string): { name: string; args: XmlNode } | undefined {
  let doc: XmlNode;
  try {
    doc = parser.parse(body) as XmlNode;
  } catch {
    return undefined;
  }
  const envelope = doc.Envelope as XmlNode | undefined;
  const soapBody = envelope?.Body as XmlNode | undefined;
  if (!soapBody || typeof soapBody !== 'object') return undefined;
  const name = Object.keys(soapBody)[0];
  if (!name) return undefined;
  const args = soapBody[name];
  return { name, args: args && typeof args === 'object' && !Array.isArray(args) ? args : {} };
}

export function soapCallName(body: string): string | undefined {
  return /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1];
}

export function soapSessionId(body: string): string | undefined {
  return /<(?:\w+:)?sessionId>([^<]*)<\/(?:\w+:)?sessionId>/.exec(body)?.[1]?.trim();
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Serialises a value as child elements; arrays repeat the element; undefined/null are skipped. */
export function toXml(name: string, value: XmlValue, typeAttribute?: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v, typeAttribute)).join('');
  const open = typeAttribute ? `<${name} xsi:type="${typeAttribute}">` : `<${name}>`;
  if (typeof value === 'object') {
    return `${open}${Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  }
  return `${open}${escapeXml(String(value))}</${name}>`;
}

function soapEnvelope(inner: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`
  );
}

export function soapResponse(callName: string, resultXml: string): SimResponse {
  return { status: 200, text: soapEnvelope(`<${callName}Response>${resultXml}</${callName}Response>`), contentType: 'text/xml;charset=UTF-8' };
}

export function soapFault(status: number, code: string, message: string): SimResponse {
  return {
    status,
    text: soapEnvelope(`<soapenv:Fault><faultcode>sf:${escapeXml(code)}</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>`),
    contentType: 'text/xml;charset=UTF-8',
  };
}

/** Text of a parsed element ('' when absent). */
export const text = (value: XmlValue): string => (value === undefined || value === null || typeof value === 'object' ? '' : String(value));

export const bool = (value: XmlValue, fallback = false): boolean => {
  const t = text(value).toLowerCase();
  return t === '' ? fallback : t === 'true';
};

export const list = (value: XmlValue): XmlValue[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);
