import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { readmeRulesSection, rulesDocument, RULES_START, RULES_STOP, runsOnDirectory, withRulesSection } from '../../../src/rules/docs.js';
import { RULES } from '../../../src/rules/index.js';

describe('rule documentation (generated from the rule metadata)', () => {
  it('docs/rules.md and the README rules section are up to date (node --import tsx scripts/gen-rule-docs.ts)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf(RULES_START) + RULES_START.length, readme.indexOf(RULES_STOP)).trim();
    expect(section).to.equal(readmeRulesSection().trim());
    expect(readFileSync('docs/rules.md', 'utf8')).to.equal(rulesDocument());
  });

  it('documents every rule with its id, severity, detection and remediation', () => {
    const doc = rulesDocument();
    for (const { meta } of RULES) {
      expect(doc).to.include(`## ${meta.id}`);
      expect(doc).to.include(meta.detection);
      expect(doc).to.include(meta.remediation);
    }
    expect(runsOnDirectory(RULES.find((r) => r.meta.id === 'IU-PRIV-002')!)).to.equal(true);
    expect(runsOnDirectory(RULES.find((r) => r.meta.id === 'IU-HYG-001')!)).to.equal(false);
  });

  it('replaces only the text between the markers', () => {
    const readme = `# x\n\n${RULES_START}\nold\n${RULES_STOP}\n\n## after\n`;
    const next = withRulesSection(readme, 'NEW')!;
    expect(next).to.equal(`# x\n\n${RULES_START}\nNEW\n${RULES_STOP}\n\n## after\n`);
    expect(withRulesSection('# no markers')).to.equal(undefined);
  });
});
