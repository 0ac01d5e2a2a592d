import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from '../../src/core/lint';
import { parseOpenShiftVersion } from '../../src/core/openshift/versions';
import { bodyText, expandSnippet, readSnippets, TARGET_VERSIONS } from './snippetBodies';

const ROOT = path.join(__dirname, '..', '..');

describe('snippets/containerfile.code-snippets', () => {
  const snippets = readSnippets();
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } };

  it('is the file package.json contributes for the dockerfile language', () => {
    assert.deepEqual(manifest.contributes.snippets, [{ language: 'dockerfile', path: './snippets/containerfile.code-snippets' }]);
  });

  it('has a prefix, description and body per snippet, unique prefixes, and a target version for each', () => {
    const prefixes = new Set<string>();
    for (const [name, snippet] of Object.entries(snippets)) {
      assert.ok(TARGET_VERSIONS[name], `add ${name} to TARGET_VERSIONS`);
      assert.ok(snippet.description && snippet.description.length > 20, name);
      for (const prefix of Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix]) {
        assert.match(prefix, /^rhcos-[a-z0-9-]+$/, name);
        assert.ok(!prefixes.has(prefix), `duplicate prefix ${prefix}`);
        prefixes.add(prefix);
      }
      assert.match(bodyText(snippet), /\$\{1:/, `${name} should start with a tab stop`);
    }
    assert.deepEqual(Object.keys(TARGET_VERSIONS).sort(), Object.keys(snippets).sort());
  });

  it('expands placeholders like the editor does', () => {
    assert.equal(expandSnippet('a ${1:b ${2:c}} \\$X $0 ${3|x,y|} ${TM_FILENAME:f}'), 'a b c $X  x f');
  });

  const linter = new Linter();
  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${name}: lints clean at OpenShift ${TARGET_VERSIONS[name] ?? '?'}`, async () => {
      const text = `${expandSnippet(bodyText(snippet))}\n`;
      assert.doesNotMatch(text, /\$\{|\$[0-9]/, 'placeholders left after expansion');
      assert.match(text, /^FROM (?:configs AS final|\S+@sha256:[0-9a-f]{64})$/m, 'base image by digest, or FROM configs');
      const result = await linter.lint(text, { targetVersion: parseOpenShiftVersion(TARGET_VERSIONS[name]) });
      assert.ok(result.layeringReason, 'recognised as a layering Containerfile');
      assert.deepEqual(result.findings.map((f) => `${f.range.start.line + 1}: ${f.ruleId}: ${f.message}`), []);
    });
  }
});
