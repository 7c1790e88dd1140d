import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import Ajv2020Module from 'ajv/dist/2020.js';
import { toSarifLog, toSarifReport } from '../../../src/report/sarif.js';
import { RULES } from '../../../src/rules/index.js';
import { directoryRun, orgRun } from './sampleRuns.js';

const require = createRequire(import.meta.url);
/** The official schema, from Microsoft's SARIF multitool package (devDependency). */
const SCHEMA_PATH = require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json');

const validator = (): ((data: unknown) => string[]) => {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $schema: string };
  expect(schema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
  const Ajv2020 = Ajv2020Module.default;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // The schema uses these formats; check them for real rather than ignoring them.
  ajv.addFormat('uri', (v: string) => /^[a-z][a-z0-9+.-]*:/i.test(v));
  ajv.addFormat('uri-reference', (v: string) => !/\s/.test(v) || encodeURI(decodeURI(v)) === v);
  ajv.addFormat('date-time', (v: string) => !Number.isNaN(Date.parse(v)) && v.includes('T'));
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
};

describe('SARIF report', () => {
  const validate = validator();

  it('validates against the official SARIF 2.1.0 schema (org and directory audits)', () => {
    for (const run of [orgRun(), directoryRun()]) {
      const log = JSON.parse(toSarifReport(run.result, { toolVersion: '0.1.0', baseDir: 'project' })) as unknown;
      expect(validate(log)).to.deep.equal([]);
    }
  });

  it('the validator rejects a broken log (the test can fail)', () => {
    const log = toSarifLog(orgRun().result, { toolVersion: '0.1.0' }) as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).to.not.deep.equal([]);
  });

  it('lists every rule with help text and maps severity to level', () => {
    const log = toSarifLog(orgRun().result, { toolVersion: '0.1.0' });
    const rules = log.runs[0].tool.driver.rules!;
    expect(rules.map((r) => r.id)).to.deep.equal(RULES.map((r) => r.meta.id));
    for (const r of rules) expect(r.help?.text).to.include('Remediation:');
    const levelOf = (ruleId: string): string | undefined => log.runs[0].results!.find((r) => r.ruleId === ruleId)?.level;
    expect(levelOf('IU-PRIV-002')).to.equal('error'); // critical
    expect(levelOf('IU-PRIV-004')).to.equal('error'); // high
    expect(levelOf('IU-HYG-001')).to.equal('warning'); // moderate
    expect(levelOf('IU-PRIV-006')).to.equal('note'); // low
  });

  it('org subjects get a logical location; suppressed findings carry their justification', () => {
    const log = toSarifLog(orgRun().result, { toolVersion: '0.1.0' });
    const priv002 = log.runs[0].results!.find((r) => r.ruleId === 'IU-PRIV-002')!;
    expect(priv002.locations![0].physicalLocation).to.equal(undefined);
    expect(priv002.locations![0].logicalLocations![0].fullyQualifiedName).to.equal('user/erp@acme.example');
    expect(priv002.message.text).to.include('Erp_"Set"');
    const suppressed = log.runs[0].results!.find((r) => r.ruleId === 'IU-AUTH-006')!;
    expect(suppressed.suppressions![0].justification).to.include('Egress IPs rotate');
  });

  it('org audits with a manifest anchor every result to it, so GitHub code scanning accepts the file', () => {
    const log = toSarifLog(orgRun().result, { toolVersion: '0.1.0', anchorFile: 'config/integration.json' });
    expect(validate(log)).to.deep.equal([]);
    for (const r of log.runs[0].results!) {
      expect(r.locations![0].physicalLocation!.artifactLocation!.uri, r.ruleId).to.equal('config/integration.json');
      expect(r.locations![0].logicalLocations![0].fullyQualifiedName, r.ruleId).to.match(/^[a-zA-Z]+\//);
    }
  });

  it('directory subjects point at their metadata file under the audited directory; not-evaluated rules are notifications', () => {
    const log = toSarifLog(directoryRun().result, { toolVersion: '0.1.0', baseDir: 'project' });
    const result = log.runs[0].results!.find((r) => r.ruleId === 'IU-PRIV-002')!;
    expect(result.locations![0].physicalLocation!.artifactLocation!.uri).to.equal(
      'project/force-app/main/default/permissionsets/Integration_Erp.permissionset-meta.xml'
    );
    const notifications = log.runs[0].invocations![0].toolConfigurationNotifications!;
    expect(notifications.map((n) => n.descriptor?.id)).to.include('IU-HYG-001');
    const problems = log.runs[0].invocations![0].toolExecutionNotifications!;
    expect(problems[0].locations![0].physicalLocation!.region!.startLine).to.equal(7);
  });
});
