/* Metadata API calls over SOAP: deploy, checkDeployStatus, cancelDeploy, listMetadata, readMetadata. */
import type { SimContext, SimRequest, SimResponse } from '../server/context.js';
import { finishDeploy, startDeploy } from './deploy.js';
import type { DeployJob, DeployMessage } from './deployJobs.js';
import { listMetadata, readMetadata } from './read.js';
import { bool, list, parseSoapRequest, soapFault, soapResponse, text, toXml, type XmlNode } from './soap.js';

function messageXml(m: DeployMessage): XmlNode {
  // WSDL order; componentType is always present (SDR throws without it)
  return {
    changed: m.changed,
    componentType: m.componentType,
    created: m.created,
    createdDate: m.createdDate,
    deleted: m.deleted,
    fileName: m.fileName,
    fullName: m.fullName,
    id: m.id,
    problem: m.problem,
    problemType: m.problemType,
    success: m.success,
  };
}

function deployResultXml(ctx: SimContext, job: DeployJob, includeDetails: boolean): XmlNode {
  const admin = ctx.store.get(ctx.store.runningUserId)?.row;
  const outcome = job.outcome;
  const done = outcome !== undefined;
  const status = outcome?.status ?? 'InProgress';
  const details: XmlNode | undefined =
    includeDetails && outcome
      ? {
          componentFailures: outcome.failures.map(messageXml),
          componentSuccesses: outcome.successes.map(messageXml),
          runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: '0.0' },
        }
      : includeDetails
      ? {}
      : undefined;
  const now = new Date().toISOString();
  return {
    checkOnly: job.checkOnly,
    completedDate: done ? now : undefined,
    createdBy: ctx.store.runningUserId,
    createdByName: String(admin?.Name ?? ''),
    createdDate: job.createdDate,
    details,
    done,
    errorMessage: outcome?.errorMessage,
    errorStatusCode: outcome?.errorStatusCode,
    id: job.id,
    ignoreWarnings: job.ignoreWarnings,
    lastModifiedDate: now,
    numberComponentErrors: outcome?.failures.length ?? 0,
    numberComponentsDeployed: outcome?.numberComponentsDeployed ?? 0,
    numberComponentsTotal: outcome?.numberComponentsTotal ?? 0,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: job.rollbackOnError,
    runTestsEnabled: false,
    startDate: job.createdDate,
    stateDetail: done ? undefined : 'Processing Type: PermissionSet',
    status,
    success: status === 'Succeeded' || status === 'SucceededPartial',
  };
}

async function deploy(ctx: SimContext, args: XmlNode): Promise<SimResponse> {
  const options = (args.DeployOptions ?? {}) as XmlNode;
  const zip = text(args.ZipFile);
  if (!zip) return soapFault(500, 'INVALID_ZIP', 'ZipFile is required');
  const job = await startDeploy(ctx, zip, {
    checkOnly: bool(options.checkOnly),
    rollbackOnError: bool(options.rollbackOnError, true),
    ignoreWarnings: bool(options.ignoreWarnings),
  });
  return soapResponse('deploy', toXml('result', { done: false, id: job.id, state: 'Queued' }));
}

function checkDeployStatus(ctx: SimContext, args: XmlNode): SimResponse {
  const id = text(args.asyncProcessId ?? args.id);
  const job = ctx.deploys.get(id);
  if (!job) return soapFault(500, 'INVALID_ID_FIELD', `invalid record id: ${id}`);
  job.polls++;
  // the first poll sees the deploy running; the next one sees it done
  if (job.polls >= 2) finishDeploy(job);
  return soapResponse('checkDeployStatus', toXml('result', deployResultXml(ctx, job, bool(args.includeDetails))));
}

function cancelDeploy(ctx: SimContext, args: XmlNode): SimResponse {
  const id = text(args.String ?? args.id ?? args.asyncProcessId);
  const job = ctx.deploys.get(id);
  if (!job) return soapFault(500, 'INVALID_ID_FIELD', `invalid record id: ${id}`);
  if (!job.outcome) {
    job.outcome = { status: 'Canceled', successes: [], failures: [], numberComponentsTotal: 0, numberComponentsDeployed: 0 };
    job.pending = undefined;
  }
  return soapResponse('cancelDeploy', toXml('result', { done: true, id: job.id }));
}

function listMetadataCall(ctx: SimContext, args: XmlNode): SimResponse {
  const types = list(args.queries).map((q) => text((q as XmlNode).type));
  return soapResponse('listMetadata', listMetadata(ctx.store, types).map((r) => toXml('result', r)).join(''));
}

/** readMetadata takes at most 10 names per call (the limit hardis cites from meta_readMetadata; fault text UNVERIFIED). */
const READ_LIMIT = 10;

function readMetadataCall(ctx: SimContext, args: XmlNode): SimResponse {
  const type = text(args.type);
  const names = list(args.fullNames).map(text);
  if (names.length > READ_LIMIT) return soapFault(500, 'EXCEEDED_ID_LIMIT', `EXCEEDED_ID_LIMIT: record limit reached. cannot submit more than ${READ_LIMIT} records into this call`);
  const records = readMetadata(ctx.store, type, names);
  return soapResponse('readMetadata', `<result>${records.map((r) => toXml('records', r, type)).join('')}</result>`);
}

export async function handleSoap(ctx: SimContext, request: SimRequest, callName: string): Promise<SimResponse> {
  if (!request.path.startsWith('/services/Soap/m/')) return soapFault(500, 'UNKNOWN_EXCEPTION', `The simulator does not serve ${request.path}`);
  const call = parseSoapRequest(request.body);
  if (!call) return soapFault(500, 'INVALID_XML', 'Could not parse the SOAP request');
  switch (call.name) {
    case 'deploy':
      return deploy(ctx, call.args);
    case 'checkDeployStatus':
      return checkDeployStatus(ctx, call.args);
    case 'cancelDeploy':
      return cancelDeploy(ctx, call.args);
    case 'listMetadata':
      return listMetadataCall(ctx, call.args);
    case 'readMetadata':
      return readMetadataCall(ctx, call.args);
    default:
      return soapFault(500, 'INVALID_OPERATION', `No operation available for request {http://soap.sforce.com/2006/04/metadata}${callName}`);
  }
}
