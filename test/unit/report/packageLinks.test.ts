import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { INFORMATION_URI } from '../../../src/report/sarif.js';

type Pjson = { homepage: string; repository: { url: string }; bugs: { url: string } };

describe('package links', () => {
  it('repository, homepage, bugs and the SARIF informationUri point at the same repository', () => {
    const pjson = JSON.parse(readFileSync('package.json', 'utf8')) as Pjson;
    const repo = pjson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repo).to.match(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    expect(pjson.homepage.startsWith(`${repo}#`)).to.equal(true, pjson.homepage);
    expect(pjson.bugs.url).to.equal(`${repo}/issues`);
    expect(INFORMATION_URI.startsWith(`${repo}#`)).to.equal(true, INFORMATION_URI);
  });
});
