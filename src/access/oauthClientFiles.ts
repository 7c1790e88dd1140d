/**
 * OAuth clients from a metadata directory (source or mdapi format): External Client App headers, OAuth settings and
 * OAuth policies (tied to their app by externalClientApplication), global settings by existence only (their content
 * is consumer key material), and Connected Apps. Names and suffixes as in source-deploy-retrieve's registry.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { connectedAppClient } from '../org/externalClientApps.js';
import { nonEmptyString as str } from '../formats/values.js';
import { unreadableProblem, walk } from './directoryLoader.js';
import { checkMetadataBytes } from './metadataFile.js';
import type { LoadProblem, OAuthClient } from './model.js';

type Loose = Record<string, unknown>;
/** The file suffix of each OAuth metadata type (source-deploy-retrieve's registry). */
const SUFFIX_OF = { header: 'eca', settings: 'ecaOauth', global: 'ecaGlblOauth', policies: 'ecaOauthPlcy', connectedApp: 'connectedApp' } as const;
/** A file of the type, source format (`.eca-meta.xml`) or mdapi format (`.eca`). */
const SUFFIXES = Object.fromEntries(Object.entries(SUFFIX_OF).map(([kind, suffix]) => [kind, new RegExp(`\\.${suffix}(-meta\\.xml)?$`)])) as Record<keyof typeof SUFFIX_OF, RegExp>;
/** The file name endings of OAuth client files (source format `-meta.xml`, mdapi format without it). */
export const OAUTH_FILE_ENDINGS: readonly string[] = Object.values(SUFFIX_OF).flatMap((suffix) => [`.${suffix}-meta.xml`, `.${suffix}`]);

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, isArray: (name): boolean => name === 'scopes' });

const baseName = (file: string, suffix: RegExp): string => (file.split(/[\\/]/).pop() ?? '').replace(suffix, '');
const list = (value: unknown): string[] =>
  (str(value) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function externalClientApp(
  root: string,
  key: string,
  file: string,
  record: Loose,
  settings: Loose | undefined,
  policy: { file: string; record: Loose } | undefined,
  hasGlobalSettings: boolean
): OAuthClient {
  const p = policy?.record;
  const timeout = Number(p?.sessionTimeoutInMinutes);
  return {
    kind: 'externalClientApp',
    name: String(record.fullName ?? key),
    ...(str(record.label) ? { label: str(record.label) } : {}),
    ...(str(record.description) ? { description: str(record.description) } : {}),
    scopes: list(settings?.commaSeparatedOauthScopes),
    clientCredentials: p?.isClientCredentialsFlowEnabled === 'true',
    ...(str(p?.clientCredentialsFlowUser) ? { runAsUsername: str(p?.clientCredentialsFlowUser) } : {}),
    ...(str(p?.permittedUsersPolicyType) ? { permittedUsers: str(p?.permittedUsersPolicyType) } : {}),
    permissionSetIds: list(p?.commaSeparatedPermissionSet),
    ...(str(p?.ipRelaxationPolicyType) ? { ipRelaxation: str(p?.ipRelaxationPolicyType) } : {}),
    ...(Number.isFinite(timeout) && timeout > 0 ? { sessionTimeout: timeout } : {}),
    hasGlobalSettings,
    hasPolicies: policy !== undefined,
    filePath: relative(root, policy?.file ?? file),
  };
}

/** The OAuth clients of a directory, with its OAuth files counted and the ones that could not be read named. */
export type OAuthClientFiles = {
  clients: OAuthClient[];
  problems: LoadProblem[];
  filesFound: number;
  filesRead: number;
  /** Left out by the project's .forceignore (counted in filesFound, not read). */
  filesIgnored: number;
  bytesRead: number;
};

/**
 * Every OAuth client the directory defines. A file that cannot be read (not UTF-8/UTF-16, not well-formed, truncated,
 * another root element) is a problem with the directory loader's code and words: what it configures is unknown, so
 * the audit fails closed on it as on an unreadable permission set.
 */
export async function loadOAuthClientFiles(root: string, walked?: readonly string[]): Promise<OAuthClientFiles> {
  // Found as the permission files are (linked folders once, no dot folders), by the loader's walk when it is given
  // (directoryLoader.loadDirectory); the loader reports link problems.
  const found = walked ?? (await walk(root, OAUTH_FILE_ENDINGS, []));
  // The project's .forceignore, as source-deploy-retrieve's resolver applies it to the permission files.
  const { ForceIgnore } = await import('@salesforce/source-deploy-retrieve');
  const forceIgnore = ForceIgnore.findAndCreate(root);
  const files = found.filter((file) => forceIgnore.accepts(file)).sort();
  const problems: LoadProblem[] = [];
  let filesRead = 0;
  let bytesRead = 0;
  const read = async (file: string, rootElement: string): Promise<Loose | undefined> => {
    const path = relative(root, file).split('\\').join('/');
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (error) {
      problems.push(unreadableProblem({ ok: false, path, problem: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, rootElement));
      return undefined;
    }
    // Whole, well-formed, the right root: checked as the permission files are, then parsed.
    const checked = checkMetadataBytes(path, raw, rootElement);
    if (!checked.ok) {
      problems.push(unreadableProblem(checked, rootElement));
      return undefined;
    }
    filesRead++;
    bytesRead += raw.length;
    return ((parser.parse(checked.bytes.toString('utf8')) as Loose)[rootElement] as Loose | undefined) ?? {};
  };
  const headers = new Map<string, { file: string; record: Loose }>();
  const settings = new Map<string, Loose>();
  const policies = new Map<string, { file: string; record: Loose }>();
  const globals = new Set<string>();
  const clients: OAuthClient[] = [];
  for (const file of files) {
    /* eslint-disable no-await-in-loop -- a few files, in sorted order */
    if (SUFFIXES.header.test(file)) {
      const record = await read(file, 'ExternalClientApplication');
      if (record) headers.set(baseName(file, SUFFIXES.header).toLowerCase(), { file, record: { ...record, fullName: baseName(file, SUFFIXES.header) } });
    } else if (SUFFIXES.settings.test(file)) {
      const record = await read(file, 'ExtlClntAppOauthSettings');
      const app = str(record?.externalClientApplication);
      if (record && app) settings.set(app.toLowerCase(), record);
    } else if (SUFFIXES.policies.test(file)) {
      const record = await read(file, 'ExtlClntAppOauthConfigurablePolicies');
      const app = str(record?.externalClientApplication);
      if (record && app) policies.set(app.toLowerCase(), { file, record });
    } else if (SUFFIXES.global.test(file)) {
      // only which app it belongs to: the element before any secret in file order is enough, but the file is parsed whole
      const record = await read(file, 'ExtlClntAppGlobalOauthSettings');
      const app = str(record?.externalClientApplication);
      if (app) globals.add(app.toLowerCase());
    } else if (SUFFIXES.connectedApp.test(file)) {
      const record = await read(file, 'ConnectedApp');
      if (record) clients.push({ ...connectedAppClient({ ...record, fullName: baseName(file, SUFFIXES.connectedApp) }), filePath: relative(root, file) });
    }
    /* eslint-enable no-await-in-loop */
  }
  for (const [key, { file, record }] of headers) clients.push(externalClientApp(root, key, file, record, settings.get(key), policies.get(key), globals.has(key)));
  return { clients, problems, filesFound: found.length, filesRead, filesIgnored: found.length - files.length, bytesRead };
}
