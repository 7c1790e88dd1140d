/*
 * The bad-manifest corpus, driven as data: test/fixtures/manifests/bad/<case>.json plus expectations.json, which
 * names for each file the error it must raise and, for ManifestInvalidError, EXACTLY the problems (JSON path + code).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { loadManifestWithState } from '../../../src/manifest/load.js';
import type { ManifestProblem } from '../../../src/manifest/types.js';

type Expectation = {
  file: string;
  error: string;
  problems?: Array<{ path: string; code: string }>;
  messageIncludes?: string;
};

const corpusDir = fileURLToPath(new URL('../../fixtures/manifests/bad/', import.meta.url));
const expectations = JSON.parse(readFileSync(join(corpusDir, 'expectations.json'), 'utf8')) as Expectation[];

async function loadError(path: string): Promise<SfError> {
  try {
    await loadManifestWithState(path);
  } catch (error) {
    expect(error).to.be.instanceOf(SfError);
    return error as SfError;
  }
  return expect.fail(`${path} was accepted`);
}

describe('manifest: bad-manifest corpus', () => {
  it('has at least 25 cases and one expectation per file (and no expectation without a file)', () => {
    const files = readdirSync(corpusDir)
      .filter((name) => name.endsWith('.json') && name !== 'expectations.json')
      .sort();
    expect(files.length).to.be.at.least(25);
    expect(expectations.map((entry) => entry.file).sort()).to.deep.equal(files);
  });

  for (const expectation of expectations) {
    it(`${expectation.file} → ${expectation.error}${expectation.problems ? ` (${expectation.problems.map((p) => p.code).join(', ')})` : ''}`, async () => {
      const error = await loadError(join(corpusDir, expectation.file));
      expect(error.name).to.equal(expectation.error);
      expect(error.actions ?? [], 'every error tells what to do next').to.not.be.empty;
      expect(error.message).to.include(expectation.file);
      if (expectation.messageIncludes) expect(error.message).to.include(expectation.messageIncludes);
      if (expectation.problems) {
        const problems = (error.data as { problems: ManifestProblem[] }).problems;
        expect(problems.map(({ path, code }) => ({ path, code }))).to.have.deep.members(expectation.problems);
        expect(problems).to.have.length(expectation.problems.length);
        for (const problem of problems) {
          // Each line names where, what, and what to write instead.
          expect(error.message).to.include(`${problem.path}: ${problem.message} — ${problem.fix}`);
          expect(problem.fix.length).to.be.greaterThan(10);
        }
      }
    });
  }
});
