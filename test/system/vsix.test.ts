// `npm run package` as a publisher runs it: vsce prints no warning, the .vsix holds what the extension loads and what
// the Marketplace shows (nothing else: no CLI, no sources, no rule index), and the README it carries has only absolute
// links, into the repository package.json names, so its pictures and links work on the Marketplace and Open VSX pages.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from '../../src/core/rules';
import { YAML_RULES } from '../../src/core/rules/yaml';
import { readZip } from '../helpers/zip';

const ROOT = path.resolve(__dirname, '..', '..');

interface Manifest {
  main: string;
  repository: { url: string };
  contributes: {
    grammars?: { path: string }[];
    snippets?: { path: string }[];
    viewsContainers?: Record<string, { icon: string }[]>;
    views?: Record<string, { icon?: string }[]>;
  };
}

describe('rhcos-layering.vsix (npm run package)', function () {
  this.timeout(180_000);
  let output: string;
  let files: Map<string, Buffer>;
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

  before(() => {
    const packaged = spawnSync('npm', ['run', '-s', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    output = `${packaged.stdout}${packaged.stderr}`;
    assert.equal(packaged.status, 0, `npm run package failed:\n${output}`);
    files = new Map([...readZip(readFileSync(path.join(ROOT, 'rhcos-layering.vsix')))].filter(([name]) => name.startsWith('extension/')).map(([name, data]) => [name.slice('extension/'.length), data]));
  });

  it('vsce prints no warning', () => {
    assert.doesNotMatch(output, /WARN/i, output);
  });

  it('holds exactly what the extension loads and the Marketplace shows', () => {
    const contributed = [
      ...(manifest.contributes.grammars ?? []).map((g) => g.path),
      ...(manifest.contributes.snippets ?? []).map((s) => s.path),
      ...Object.values(manifest.contributes.viewsContainers ?? {}).flat().map((c) => c.icon),
      ...Object.values(manifest.contributes.views ?? {}).flat().flatMap((v) => (v.icon ? [v.icon] : [])),
    ].map((file) => path.posix.normalize(file));
    // What extension.js loads at run time, next to it: the cluster bundle and the full shell parser, which loads the
    // WASM it needs.
    const main = path.posix.normalize(manifest.main.endsWith('.js') ? manifest.main : `${manifest.main}.js`);
    const bundle = files.get(main)?.toString('utf8') ?? '';
    for (const file of ['cluster.js', 'tree-sitter.js']) assert.ok(bundle.includes(file), `${main} names ${file}`);
    const shellParser = files.get('dist/tree-sitter.js')?.toString('utf8') ?? '';
    for (const file of ['web-tree-sitter.wasm', 'tree-sitter-bash.wasm']) assert.ok(shellParser.includes(file), `dist/tree-sitter.js names ${file}`);
    const loaded = ['cluster.js', 'tree-sitter.js', 'web-tree-sitter.wasm', 'tree-sitter-bash.wasm'];
    const expected = new Set([
      'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt',
      main, ...loaded.map((file) => `dist/${file}`),
      ...[...RULES, ...YAML_RULES].map((rule) => `docs/rules/${rule.id}.md`),
      ...contributed,
    ]);
    assert.deepEqual([...files.keys()].sort(), [...expected].sort());
  });

  it('the README links and pictures are absolute URLs into the repository package.json names', () => {
    const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    assert.match(repository, /^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    const readme = files.get('readme.md')!.toString('utf8');
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => ({ image: match[0].startsWith('!'), url: match[1]! }));
    assert.ok(targets.filter((t) => t.image).length >= 6, 'the README shows its screenshots');
    for (const { image, url } of targets) {
      if (url.startsWith('#')) continue; // a heading of the README itself
      if (image) assert.ok(url.startsWith(`${repository}/raw/main/`), `picture ${url}`);
      else assert.match(url, /^https:\/\//, `link ${url}`);
      const file = url.startsWith(`${repository}/raw/main/`) ? url.slice(`${repository}/raw/main/`.length) : url.startsWith(`${repository}/blob/main/`) ? url.slice(`${repository}/blob/main/`.length) : undefined;
      if (file !== undefined) assert.ok(existsSync(path.join(ROOT, file.replace(/#.*$/, ''))), `${url} names ${file}, which the repository does not have`);
    }
  });
});
