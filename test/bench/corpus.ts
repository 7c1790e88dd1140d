/**
 * A generated metadata directory of the shape a large org's retrieve has, for the directory benchmarks. Modelled on
 * the profile and permission set folders of six public SFDX projects (793 files, 123 MB; never copied here).
 * Profiles are few and large: a third of them about 2.4 MB, listing ~9,700 field permissions, ~1,150 layout
 * assignments, ~3,000 Apex class accesses, ~650 page accesses, ~500 record type and ~300 tab visibilities; the
 * others 3-30% of that. Permission sets are many and mostly small (median 1 KB: a label and a few system
 * permissions); one in seven grants a few hundred fields (~85 KB), one in twenty a few thousand (~700 KB). The same
 * field, class and page names recur from file to file (26,000 distinct fields for 500,000 grants). Some groups
 * bundle sets, and some files belong to integrations (API Only, the integration license, a name).
 * Deterministic (a seeded generator), so runs compare.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const OBJECTS = 300;
const FIELDS_PER_OBJECT = 90;

/** A small seeded generator (mulberry32): the same corpus every run. */
const random = (seed: number): (() => number) => {
  let state = seed;
  return () => {
    state = (state + 0x6d_2b_79_f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
};

const object = (i: number): string => (i < 40 ? ['Account', 'Contact', 'Opportunity', 'Case', 'Lead'][i % 5] + (i < 5 ? '' : `_${i}__c`) : `Object_${i}__c`);
const block = (tag: string, children: Array<[string, string | boolean]>): string =>
  `    <${tag}>\n${children.map(([name, value]) => `        <${name}>${String(value)}</${name}>\n`).join('')}    </${tag}>\n`;

type Counts = { fields: number; objects: number; layouts: number; classes: number; pages: number; recordTypes: number; tabs: number; permissions: number };

const body = (counts: Counts, next: () => number, profile: boolean): string => {
  const parts: string[] = [];
  for (let k = 0; k < counts.classes; k++) parts.push(block('classAccesses', [['apexClass', `Service_${(k * 7) % 4000}`], ['enabled', next() < 0.6]]));
  for (let k = 0; k < counts.fields; k++) {
    const o = k % OBJECTS;
    const f = Math.floor(k / OBJECTS) % FIELDS_PER_OBJECT;
    const read = next() < 0.8;
    parts.push(block('fieldPermissions', [['editable', read && next() < 0.4], ['field', `${object(o)}.Field_${f}__c`], ['readable', read]]));
  }
  for (let k = 0; k < counts.layouts; k++) parts.push(block('layoutAssignments', [['layout', `${object(k % OBJECTS)}-Layout ${k}`]]));
  for (let k = 0; k < counts.objects; k++) {
    const all = next() < 0.03;
    parts.push(
      block('objectPermissions', [['allowCreate', next() < 0.5], ['allowDelete', next() < 0.2], ['allowEdit', next() < 0.5], ['allowRead', true], ['modifyAllRecords', all], ['object', object(k)], ['viewAllRecords', all || next() < 0.05]])
    );
  }
  for (let k = 0; k < counts.pages; k++) parts.push(block('pageAccesses', [['apexPage', `Page_${k}`], ['enabled', next() < 0.5]]));
  for (let k = 0; k < counts.recordTypes; k++) parts.push(block('recordTypeVisibilities', [['default', false], ['recordType', `${object(k % OBJECTS)}.Type_${k}`], ['visible', true]]));
  for (let k = 0; k < counts.tabs; k++) parts.push(block(profile ? 'tabVisibilities' : 'tabSettings', [['tab', `${object(k)}`], ['visibility', 'DefaultOn']]));
  return parts.join('');
};

const permissions = (names: string[]): string => names.map((name) => block('userPermissions', [['enabled', true], ['name', name]])).join('');

/** One set in twenty is named as an integration's. */
const setName = (i: number): string => (i % 20 === 0 ? `Erp_Api_Only_${i}` : `Set_${i}`);

const COMMON = ['ApiEnabled', 'ViewSetup', 'RunReports', 'EditTask', 'EditEvent', 'ChatterInternalUser', 'ExportReport', 'ActivitiesAccess', 'AllowViewKnowledge', 'ConvertLeads'];

/** Scale 1: about 95 profiles and 700 permission sets, 120 MB. Returns the number of files and bytes written. */
export const writeRealisticCorpus = (dir: string, scale = 1): { files: number; bytes: number } => {
  const next = random(8);
  const base = join(dir, 'force-app', 'main', 'default');
  for (const folder of ['profiles', 'permissionsets', 'permissionsetgroups']) mkdirSync(join(base, folder), { recursive: true });
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }));
  let files = 0;
  let bytes = 0;
  const write = (path: string, text: string): void => {
    writeFileSync(path, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  const profiles = Math.round(95 * scale);
  for (let i = 0; i < profiles; i++) {
    const size = i % 3 === 0 ? 1 : 0.03 + next() * 0.27;
    const counts: Counts = {
      fields: Math.round(9700 * size),
      objects: Math.round(300 * size),
      layouts: Math.round(1150 * size),
      classes: Math.round(3000 * size),
      pages: Math.round(650 * size),
      recordTypes: Math.round(500 * size),
      tabs: Math.round(290 * size),
      permissions: 0,
    };
    const integration = i % 10 === 0;
    const name = integration ? `Integration ${i}` : `Profile ${i}`;
    const perms = [...COMMON.slice(0, 3 + (i % 7)), ...(integration ? ['ApiUserOnly'] : []), ...(i % 25 === 0 ? ['ModifyAllData', 'ManageUsers'] : [])];
    write(
      join(base, 'profiles', `${name}.profile-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?>\n<Profile ${NS}>\n${body(counts, next, true)}    <custom>${i % 4 !== 1}</custom>\n    <userLicense>Salesforce</userLicense>\n${permissions(perms)}</Profile>\n`
    );
  }
  const sets = Math.round(700 * scale);
  for (let i = 0; i < sets; i++) {
    const roll = next();
    const size = roll < 0.05 ? 0.25 : roll < 0.2 ? 0.03 : 0;
    const counts: Counts = {
      fields: Math.round(9700 * size),
      objects: Math.round(120 * size) + (size > 0 ? 5 : 0),
      layouts: 0,
      classes: Math.round(600 * size),
      pages: Math.round(100 * size),
      recordTypes: Math.round(200 * size),
      tabs: Math.round(80 * size),
      permissions: 0,
    };
    const name = setName(i);
    const perms = [...COMMON.slice(0, 1 + (i % 4)), ...(i % 40 === 0 ? ['ModifyAllData', 'ManageUsers'] : []), ...(i % 60 === 0 ? ['DataExport'] : [])];
    const license = i % 30 === 0 ? '    <license>Salesforce API Integration</license>\n' : '';
    write(
      join(base, 'permissionsets', `${name}.permissionset-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet ${NS}>\n${body(counts, next, false)}    <description>Set ${i}</description>\n    <hasActivationRequired>false</hasActivationRequired>\n    <label>${name.replace(/_/g, ' ')}</label>\n${license}${permissions(perms)}</PermissionSet>\n`
    );
  }
  for (let g = 0; g < Math.round(60 * scale); g++) {
    const members = [0, 1, 2].map((k) => setName((g * 11 + k * 3 + 1) % sets));
    write(
      join(base, 'permissionsetgroups', `Group_${g}.permissionsetgroup-meta.xml`),
      `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSetGroup ${NS}>\n    <description>Group ${g}</description>\n    <label>Group ${g}</label>\n${members.map((m) => `    <permissionSets>${m}</permissionSets>\n`).join('')}    <status>Updated</status>\n</PermissionSetGroup>\n`
    );
  }
  return { files, bytes };
};
