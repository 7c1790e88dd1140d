import { expect } from 'chai';
import { OrgSimulator } from '../index.js';

describe('simulator: login sequence, versions, identity, session checks', () => {
  let sim: OrgSimulator;
  before(async () => {
    sim = await OrgSimulator.start();
  });
  after(async () => sim.stop());
  beforeEach(() => sim.resetRequests());

  it('answers every call of an access-token login in the order sf makes them, and names the admin user', async () => {
    const conn = await sim.connect();
    expect(conn.getUsername()).to.equal('admin@demo.sim');
    expect(conn.getApiVersion()).to.equal('68.0');
    const calls = sim.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls[0]).to.equal('GET /services/oauth2/userinfo 200');
    expect(calls[1]).to.match(/^GET \/services\/data\/v51\.0\/sobjects\/User\/005\w{15} 200$/);
    // ScratchOrgInfo is not an object of this org: 400 means "not a Dev Hub"
    expect(sim.requests[2]).to.deep.include({ path: '/services/data/v51.0/query', soql: 'SELECT Id FROM ScratchOrgInfo limit 1', status: 400 });
    // later calls (versions, Organization query) are fire-and-forget in core; not asserted here
  });

  it('lists versions 31.0 … 68.0 without a session, with release labels', async () => {
    const response = await fetch(`${sim.url}/services/data`);
    const versions = (await response.json()) as Array<{ label: string; url: string; version: string }>;
    expect(versions[0]).to.deep.equal({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(versions.at(-1)).to.deep.equal({ label: "Winter '27", url: '/services/data/v68.0', version: '68.0' });
    expect(versions.find((v) => v.version === '66.0')?.label).to.equal("Spring '26");
  });

  it('serves resources with an absolute identity URL, and the identity URL itself', async () => {
    const headers = { Authorization: `Bearer ${sim.accessToken}` };
    const resources = (await (await fetch(`${sim.url}/services/data/v60.0`, { headers })).json()) as Record<string, string>;
    expect(resources.query).to.equal('/services/data/v60.0/query');
    expect(resources.identity).to.match(new RegExp(`^${sim.url}/id/${sim.orgId}/005\\w{15}$`));
    const identity = (await (await fetch(`${resources.identity}?format=json&oauth_token=${encodeURIComponent(sim.accessToken)}`)).json()) as Record<string, unknown>;
    expect(identity).to.include({ username: 'admin@demo.sim', organization_id: sim.orgId });
  });

  it('rejects a missing or wrong token with 401 INVALID_SESSION_ID, on REST and as a SOAP fault', async () => {
    const noToken = await fetch(`${sim.url}/services/data/v68.0/query?q=SELECT+Id+FROM+User`);
    expect(noToken.status).to.equal(401);
    expect(await noToken.json()).to.deep.equal([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const wrong = await fetch(`${sim.url}/services/oauth2/userinfo`, { headers: { Authorization: 'Bearer 00D000000000001AAA!nope' } });
    expect(wrong.status).to.equal(401);
    const soap = await fetch(`${sim.url}/services/Soap/m/68.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>bad</sessionId></SessionHeader></soapenv:Header><soapenv:Body><listMetadata/></soapenv:Body></soapenv:Envelope>',
    });
    expect(soap.status).to.equal(500);
    expect(await soap.text()).to.include('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
  });

  it('collapses doubled slashes (instance URLs saved with a trailing slash) and serves GET sobjects/User/<id>?fields=', async () => {
    const userId = sim.store.runningUserId;
    const response = await fetch(`${sim.url}//services/data/v68.0/sobjects/User/${userId}?fields=Username,IsActive`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).to.deep.equal({ attributes: { type: 'User', url: `/services/data/v68.0/sobjects/User/${userId}` }, Username: 'admin@demo.sim', IsActive: true });
    const missing = await fetch(`${sim.url}/services/data/v68.0/sobjects/User/005000000000999AAA`, { headers: { Authorization: `Bearer ${sim.accessToken}` } });
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.deep.equal([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });

  it('answers an unknown SOAP call with a 500 fault, and serves limits', async () => {
    const soap = await fetch(`${sim.url}/services/Soap/m/68.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>${sim.accessToken}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><retrieve/></soapenv:Body></soapenv:Envelope>`,
    });
    expect(soap.status).to.equal(500);
    expect(await soap.text()).to.include('<faultcode>sf:INVALID_OPERATION</faultcode>');
    expect(sim.requests.at(-1)).to.deep.include({ soapCall: 'retrieve', status: 500 });
    const limits = (await (await fetch(`${sim.url}/services/data/v68.0/limits`, { headers: { Authorization: `Bearer ${sim.accessToken}` } })).json()) as Record<string, { Max: number }>;
    expect(limits.DailyApiRequests.Max).to.equal(15_000);
  });

  it('describes objects from the schema, custom fields included', async () => {
    const conn = await sim.connect();
    const describe = await conn.describe('Account');
    expect(describe.fields.map((f) => f.name)).to.include.members(['Name', 'Industry', 'Credit_Limit__c']);
    const invoice = await conn.describe('Invoice__c');
    expect(invoice.custom).to.equal(true);
    expect(invoice.fields.find((f) => f.name === 'Account__c')?.referenceTo).to.deep.equal(['Account']);
  });
});
