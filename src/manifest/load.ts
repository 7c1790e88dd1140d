/** loadManifestWithState: read, parse and validate integration.json; every failure is a named SfError. */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Messages, type SfError } from '@salesforce/core';
import type { DesiredState, Manifest, ManifestProblem } from './types.js';
import { formatProblem, validateManifest, type ValidateOptions } from './validate.js';
import { duplicateKeys, jsonErrorOffset, lineColumn } from './jsonPosition.js';
import { jsonPath } from './names.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-plugin-integration', 'manifest');

export type LoadedManifest = { manifest: Manifest; desired: DesiredState; warnings: string[]; notes: string[] };

/** Where JSON.parse stopped: Node 22 sometimes says "(line L column C)"; otherwise scan for it. */
function parseErrorPosition(message: string, text: string): { line: number; column: number } {
  const explicit = /line (\d+) column (\d+)/.exec(message);
  if (explicit) return { line: Number(explicit[1]), column: Number(explicit[2]) };
  return lineColumn(text, jsonErrorOffset(text) ?? text.length);
}

/** JSON.parse keeps the last of two equal keys; say so instead of dropping the first silently. */
function duplicateKeyProblems(text: string): ManifestProblem[] {
  return duplicateKeys(text).map(({ segments, key }) => ({
    path: jsonPath([...segments, key]),
    code: 'duplicateKey',
    message: messages.getMessage('problem.duplicateKey', [key]),
    fix: messages.getMessage('fix.duplicateKey'),
  }));
}

function invalidError(path: string, problems: ManifestProblem[]): SfError {
  const error = messages.createError('error.ManifestInvalid', [path, String(problems.length), problems.map((p) => `  ${formatProblem(p)}`).join('\n')]);
  error.setData({ problems });
  return error;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads each jwt-bearer certificate (path relative to the manifest) into the desired state. Only the certificate
 * travels to the org; a file that holds a private key is refused so that a key never reaches metadata or output.
 */
async function attachCertificates(path: string, desired: DesiredState): Promise<ManifestProblem[]> {
  const problems: ManifestProblem[] = [];
  const add = (index: number, code: string, tokens: string[]): void => {
    problems.push({
      path: jsonPath(['apps', index, 'oauth', 'certificate']),
      code,
      message: messages.getMessage(`problem.${code}`, tokens),
      fix: messages.getMessage(`fix.${code}`),
    });
  };
  for (const [index, app] of desired.apps.entries()) {
    const file = app.oauth?.certificatePath;
    if (!app.oauth || file === undefined) continue;
    let pem: string;
    try {
      // eslint-disable-next-line no-await-in-loop -- a few small files, read in manifest order
      pem = await readFile(resolve(dirname(path), file), 'utf8');
    } catch (error) {
      add(index, 'certificateUnreadable', [file, (error as NodeJS.ErrnoException).code ?? (error as Error).message]);
      continue;
    }
    if (pem.includes('PRIVATE KEY-----')) add(index, 'certificateHasPrivateKey', [file]);
    else {
      const block = PEM_CERTIFICATE.exec(pem);
      if (!block) add(index, 'certificateInvalid', [file]);
      else app.oauth.certificate = block[0];
    }
  }
  return problems;
}

/** Reads, parses and validates; throws ManifestNotFoundError, ManifestEmptyError, ManifestNotJsonError or ManifestInvalidError. */
export async function loadManifestWithState(path: string, options: ValidateOptions = {}): Promise<LoadedManifest> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw messages.createError('error.ManifestUnreadable', [path, 'it is not a file']);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { name?: string }).name === 'ManifestUnreadableError') throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw messages.createError('error.ManifestNotFound', [path]);
    throw messages.createError('error.ManifestUnreadable', [path, (error as Error).message]);
  }
  if (text.charCodeAt(0) === 0xfe_ff) text = text.slice(1); // editors on Windows write a BOM
  if (text.trim().length === 0) throw messages.createError('error.ManifestEmpty', [path]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s*(in JSON )?at position \d+.*$/s, '');
    const { line, column } = parseErrorPosition((error as Error).message, text);
    throw messages.createError('error.ManifestNotJson', [path, reason, String(line), String(column)]);
  }
  const result = validateManifest(raw, path, options);
  const problems = [...duplicateKeyProblems(text), ...result.problems];
  if (problems.length > 0 || !result.manifest || !result.desired) throw invalidError(path, problems);
  const certificateProblems = await attachCertificates(path, result.desired);
  if (certificateProblems.length > 0) throw invalidError(path, certificateProblems);
  return { manifest: result.manifest, desired: result.desired, warnings: result.warnings, notes: result.notes };
}
