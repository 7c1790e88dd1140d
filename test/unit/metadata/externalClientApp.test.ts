import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { loadManifestWithState } from '../../../src/manifest/load.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import type { DesiredState } from '../../../src/manifest/types.js';
import { MANAGED_MARKER } from '../../../src/manifest/constants.js';
import { generateComponents, oauthClientNotes } from '../../../src/metadata/generate.js';
import { sourceFilePath } from '../../../src/metadata/write.js';
import {
  buildExternalClientApp,
  fingerprintOfDescription,
  globalSettingsFingerprint,
  scopeValues,
} from '../../../src/metadata/externalClientApp.js';
import { ECA_TYPES } from '../../../src/salesforce/externalClientApp.js';

const certificatePath = fileURLToPath(new URL('../../fixtures/certs/bi.crt', import.meta.url));

const manifest = (apps: unknown[]): unknown => ({
  version: 1,
  defaults: { username: '{app}.integration@acme.example', email: 'sf-admins@acme.example' },
  apps,
});

const stateOf = (apps: unknown[]): DesiredState => {
  const result = validateManifest(manifest(apps));
  expect(result.problems).to.deep.equal([]);
  return result.desired as DesiredState;
};

const parse = (xml: string): Record<string, Record<string, unknown>> =>
  new XMLParser({ ignoreAttributes: true, parseTagValue: false, commentPropName: '#comment' }).parse(xml) as Record<string, Record<string, unknown>>;

describe('metadata: External Client App per app', () => {
  it('uses the registry of source-deploy-retrieve for the four types (folders and suffixes)', () => {
    const registry = new RegistryAccess();
    expect(ECA_TYPES.map((type) => sourceFilePath(registry, type, 'X'))).to.deep.equal([
      'externalClientApps/X.eca-meta.xml',
      'extlClntAppOauthSettings/X.ecaOauth-meta.xml',
      'extlClntAppGlobalOauthSets/X.ecaGlblOauth-meta.xml',
      'extlClntAppOauthPolicies/X.ecaOauthPlcy-meta.xml',
    ]);
  });

  it('defaults: scopes ["api"], ipRelaxation enforce, name derived from the app, contact = the user e-mail', () => {
    const [app] = stateOf([{ name: 'erp', oauth: { flow: 'client-credentials' } }]).apps;
    expect(app.oauth).to.include({ name: 'Integration_Erp', flow: 'client-credentials', ipRelaxation: 'enforce', contactEmail: 'sf-admins@acme.example' });
    expect(app.oauth?.scopes).to.deep.equal(['api']);
    expect(app.oauth?.description.endsWith(MANAGED_MARKER)).to.equal(true);
  });

  it('client-credentials: run-as user, pre-authorised admin-approved users, the flow on in both places, no secret', () => {
    const [app] = stateOf([{ name: 'erp', description: 'Orders', oauth: { flow: 'client-credentials', sessionTimeout: 30, ipRelaxation: 'bypass' } }]).apps;
    const components = buildExternalClientApp(app.oauth!, { runAsUsername: 'erp.integration@acme.example.uat', permissionSetId: '0PS000000000001AAA' });
    expect(components.map((c) => `${c.type}:${c.fullName}`)).to.deep.equal([
      'ExternalClientApplication:Integration_Erp',
      'ExtlClntAppGlobalOauthSettings:Integration_Erp_glbloauth',
      'ExtlClntAppOauthSettings:Integration_Erp_oauth',
      'ExtlClntAppOauthConfigurablePolicies:Integration_Erp_oauthPlcy',
    ]);
    const [header, global, settings, policies] = components.map((c) => parse(c.xml));
    expect(header.ExternalClientApplication).to.include({ distributionState: 'Local', isProtected: 'false', label: 'erp', contactEmail: 'sf-admins@acme.example' });
    expect(header.ExternalClientApplication.description).to.include(MANAGED_MARKER);
    expect(global.ExtlClntAppGlobalOauthSettings).to.include({ externalClientApplication: 'Integration_Erp', isClientCredentialsFlowEnabled: 'true', isConsumerSecretOptional: 'false' });
    expect(settings.ExtlClntAppOauthSettings).to.include({ commaSeparatedOauthScopes: 'Api', externalClientApplication: 'Integration_Erp' });
    expect(policies.ExtlClntAppOauthConfigurablePolicies).to.include({
      clientCredentialsFlowUser: 'erp.integration@acme.example.uat',
      commaSeparatedPermissionSet: '0PS000000000001AAA',
      externalClientApplication: 'Integration_Erp',
      ipRelaxationPolicyType: 'Bypass',
      isClientCredentialsFlowEnabled: 'true',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      sessionTimeoutInMinutes: '30',
    });
    for (const component of components) {
      expect(component.xml, component.type).to.include(MANAGED_MARKER);
      expect(component.xml, component.type).to.not.match(/consumerKey|consumerSecret/);
    }
  });

  it('jwt-bearer: the certificate in the global settings, no run-as user, client credentials off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eca-'));
    await writeFile(join(dir, 'bi.crt'), `# exported for bi\n${await readFile(certificatePath, 'utf8')}`);
    await writeFile(join(dir, 'integration.json'), JSON.stringify(manifest([{ name: 'bi', oauth: { flow: 'jwt-bearer', certificate: 'bi.crt' } }])));
    const { desired } = await loadManifestWithState(join(dir, 'integration.json'));
    const oauth = desired.apps[0].oauth!;
    expect(oauth.certificate?.startsWith('-----BEGIN CERTIFICATE-----')).to.equal(true);
    const [, global, , policies] = buildExternalClientApp(oauth, { runAsUsername: 'ignored@acme.example' }).map((c) => parse(c.xml));
    expect(String(global.ExtlClntAppGlobalOauthSettings.certificate)).to.match(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/);
    expect(global.ExtlClntAppGlobalOauthSettings.isClientCredentialsFlowEnabled).to.equal('false');
    expect(policies.ExtlClntAppOauthConfigurablePolicies).to.not.have.property('clientCredentialsFlowUser');
    expect(policies.ExtlClntAppOauthConfigurablePolicies.isClientCredentialsFlowEnabled).to.equal('false');
  });

  it('generate (offline): the four files per app after the sets, the manifest username as run-as user, no pre-authorisation ids', () => {
    const state = stateOf([
      { name: 'erp', oauth: { flow: 'client-credentials' } },
      { name: 'crm' },
    ]);
    const components = generateComponents(state);
    expect(components.filter((c) => c.type !== 'Profile' && c.type !== 'PermissionSet').map((c) => c.fullName)).to.deep.equal([
      'Integration_Erp',
      'Integration_Erp_glbloauth',
      'Integration_Erp_oauth',
      'Integration_Erp_oauthPlcy',
    ]);
    const policies = parse(components.find((c) => c.type === 'ExtlClntAppOauthConfigurablePolicies')!.xml).ExtlClntAppOauthConfigurablePolicies;
    expect(policies.clientCredentialsFlowUser).to.equal('erp.integration@acme.example');
    expect(policies).to.not.have.property('commaSeparatedPermissionSet');
    expect(oauthClientNotes(state)).to.deep.equal([
      { app: 'erp', externalClientApp: 'Integration_Erp', flow: 'client-credentials', runAs: 'erp.integration@acme.example', preAuthorisation: 'left out' },
    ]);
  });

  it('scopes compare as sets of metadata values; refresh_token and offline_access are one scope', () => {
    expect(scopeValues(['refresh_token', 'api', 'offline_access'])).to.deep.equal(['Api', 'RefreshToken']);
  });

  it('records the global settings in the header description: a new callback URL changes the fingerprint', () => {
    const [a] = stateOf([{ name: 'erp', oauth: { flow: 'client-credentials' } }]).apps;
    const [b] = stateOf([{ name: 'erp', oauth: { flow: 'client-credentials', callbackUrl: 'https://erp.acme.example/cb' } }]).apps;
    expect(globalSettingsFingerprint(a.oauth!)).to.not.equal(globalSettingsFingerprint(b.oauth!));
    const header = parse(buildExternalClientApp(a.oauth!, {})[0].xml).ExternalClientApplication;
    expect(fingerprintOfDescription(String(header.description))).to.equal(globalSettingsFingerprint(a.oauth!));
  });
});
