/**
 * Output that stays readable on a large repository: the terminal text fits its width with the summary first and
 * one line per finding; --verbose prints everything; the Markdown report fits a GitHub comment (65,536
 * characters), says how many findings it left out, and opens with a capped Mermaid diagram.
 */
import { expect } from 'chai';
import { auditModel } from '../../../src/audit/runAudit.js';
import type { AuditRun } from '../../../src/audit/types.js';
import { auditText } from '../../../src/report/auditText.js';
import { DIAGRAM_MAX_SUBJECTS, MARKDOWN_MAX_CHARS, toMarkdownReport } from '../../../src/report/markdown.js';
import { textWidth } from '../../../src/terminal/width.js';
import { directoryModel } from '../rules/modelBuilder.js';

/** A directory like a large org's retrieve: many integration permission sets, each granting hundreds of fields. */
const largeRun = (sets: number, fieldsPerSet: number): AuditRun => {
  const permissionSets = Object.fromEntries(
    Array.from({ length: sets }, (_, i) => [
      `Integration_App_${String(i).padStart(3, '0')}_With_A_Rather_Long_Name_${'x'.repeat(i % 40)}`,
      {
        systemPermissions: ['ApiUserOnly', 'ModifyAllData', 'ManageUsers', 'DataExport', 'ViewSetup'],
        objects: Array.from({ length: 30 }, (_unused, k) => ({ object: `Object_${k}__c`, read: true, viewAll: true, modifyAll: true, edit: true, delete: true })),
        fields: Array.from({ length: fieldsPerSet }, (_unused, k) => ({ field: `Object_${k % 30}__c.Field_${k}__c`, read: true, edit: true })),
      },
    ])
  );
  const model = directoryModel({ profiles: {}, permissionSets });
  model.loadProblems = Array.from({ length: 40 }, (_, i) => ({ path: `permissionsets/Broken_${i}.permissionset-meta.xml`, line: i + 2, code: 'unreadable' as const, message: 'not well-formed XML: bad' }));
  return auditModel(model, { threshold: 2 });
};

describe('bounded audit output', () => {
  const run = largeRun(300, 663);

  it('terminal text: summary first, one line per finding, no line wider than the terminal', () => {
    for (const width of [80, 120, 200]) {
      const lines = auditText(run.result, { width });
      expect(lines[0]).to.match(/^Audited /);
      expect(lines.slice(0, 4).join(' ')).to.match(/FAILED: \d+ finding\(s\) at or above high, 40 unreadable file\(s\)/);
      const widest = Math.max(...lines.map(textWidth));
      expect(widest, `width ${width}`).to.be.at.most(width);
      const findingLines = lines.filter((l) => /^(critical|high|moderate|low|info)\s/.test(l));
      expect(findingLines).to.have.length(run.result.findings.length);
      // Bounded lists: 10 unreadable files shown, the rest counted.
      expect(lines.join('\n')).to.include('… and 30 more');
    }
  });

  it('terminal text summarises long evidence ("N grants") instead of printing it', () => {
    const lines = auditText(run.result, { width: 400 });
    const struct = lines.find((l) => l.includes('IU-PRIV-004'))!;
    expect(struct).to.match(/ — 30 grants, e\.g\. Object_0__c/);
  });

  it('a directory finding does not repeat its own file as the holder: the finding text gets the room', () => {
    // Seen on public projects at 120 columns: "Integration can b… — permissionSet Integrati…" on every line.
    const model = directoryModel({ profiles: {}, permissionSets: { Download_AppExchange_Packages_for_Integration: { systemPermissions: ['ViewAllData', 'ResetPasswords'] } } });
    const lines = auditText(auditModel(model, { threshold: 2 }).result, { width: 120 });
    const priv002 = lines.find((l) => l.includes('IU-PRIV-002'))!;
    expect(priv002).to.include('holds admin-grade permissions');
    expect(priv002).to.not.include('— permissionSet');
  });

  it('--verbose prints every grant in full, wrapped within the width', () => {
    const small = largeRun(2, 5);
    const lines = auditText(small.result, { width: 100, verbose: true });
    expect(Math.max(...lines.map(textWidth))).to.be.at.most(100);
    const text = lines.join('\n').replace(/\s+/g, ' ');
    expect(text).to.include('granted by permissionSet');
    expect(text).to.include('Object_29__c: viewAll, modifyAll');
    expect(text).to.include('recognised by:');
    expect(text).to.include('permissionsets/Broken_39.permissionset-meta.xml:41');
  });

  it('Markdown fits a GitHub comment and counts what it left out', () => {
    const markdown = toMarkdownReport(run.result);
    expect(markdown.length).to.be.at.most(MARKDOWN_MAX_CHARS);
    expect(markdown).to.match(/… and \d+ more \(see the full report/);
    expect(markdown).to.include('**(fails the audit)**');
  });

  it('Markdown opens with a Mermaid diagram: subjects → holders → critical grants, capped', () => {
    const markdown = toMarkdownReport(run.result);
    const start = markdown.indexOf('```mermaid');
    expect(start).to.be.greaterThan(0);
    expect(start).to.be.lessThan(markdown.indexOf('| critical | high |'));
    const diagram = markdown.slice(start, markdown.indexOf('```', start + 3));
    expect(diagram).to.include('flowchart LR');
    expect(diagram).to.include('-->|critical|');
    expect(diagram).to.include('ModifyAllData');
    const subjects = diagram.split('\n').filter((l) => /^\s+n\d+\(\[/.test(l));
    expect(subjects).to.have.length(DIAGRAM_MAX_SUBJECTS);
    expect(diagram).to.match(/… and \d+ more with failing findings/);
  });

  it('a passing audit has no diagram', () => {
    const model = directoryModel({ profiles: {}, permissionSets: { Integration_Clean: { systemPermissions: ['ApiEnabled', 'ApiUserOnly'] } } });
    expect(toMarkdownReport(auditModel(model, { threshold: 2 }).result)).to.not.include('```mermaid');
  });
});
