// package.json repeats facts the code owns (it cannot import them): the target versions, the Containerfile names.
// These tests keep the copies equal to the one definition in src/, and the CLI package's manifest equal to the
// extension's where they describe the same project.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTAINERFILE_FILENAME_PATTERNS, CONTAINERFILE_FILENAMES, CONTAINERFILE_GLOB, isContainerfileName } from '../../src/core/containerfileNames';
import { formatVersion, KNOWN_MINOR_VERSIONS } from '../../src/core/openshift/versions';

const ROOT = path.join(__dirname, '..', '..');

interface PackageFields {
  name: string;
  version: string;
  license: string;
  repository: { type: string; url: string; directory?: string };
  bugs: { url: string };
  homepage: string;
  bin?: Record<string, string>;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

interface Manifest extends PackageFields {
  activationEvents: string[];
  contributes: {
    languages: { id: string; filenames?: string[]; filenamePatterns?: string[] }[];
    configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const cliManifest = JSON.parse(readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as PackageFields;

describe('package.json and the code agree', () => {
  it('rhcosLayering.targetVersion offers auto and exactly the releases src/core/openshift/versions.ts knows', () => {
    const setting = manifest.contributes.configuration.properties['rhcosLayering.targetVersion']!;
    assert.deepEqual(setting.enum, ['auto', ...KNOWN_MINOR_VERSIONS.map((minor) => formatVersion({ major: 4, minor }))]);
    assert.equal(setting.default, 'auto');
  });

  it('the dockerfile language claims exactly the Containerfile names of src/core/containerfileNames.ts', () => {
    const language = manifest.contributes.languages.find((entry) => entry.id === 'dockerfile');
    assert.ok(language, 'package.json contributes the dockerfile language');
    assert.deepEqual(language.filenames, [...CONTAINERFILE_FILENAMES]);
    assert.deepEqual(language.filenamePatterns, [...CONTAINERFILE_FILENAME_PATTERNS]);
  });

  it('every workspaceContains activation event looks for one of those names', () => {
    const globs = manifest.activationEvents.filter((event) => event.startsWith('workspaceContains:')).map((event) => event.slice('workspaceContains:'.length));
    assert.ok(globs.length > 0, 'the extension activates on a workspace with a Containerfile');
    const known = new Set<string>([...CONTAINERFILE_FILENAMES, ...CONTAINERFILE_FILENAME_PATTERNS]);
    for (const glob of globs) assert.ok(glob.startsWith('**/') && known.has(glob.slice(3)), `${glob} is not **/ plus a name from src/core/containerfileNames.ts`);
  });
});

describe('the two packages: the extension and the CLI', () => {
  it('the extension names its repository, issues and home page, and a LICENSE file matching its license', () => {
    assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
    const web = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    assert.equal(manifest.bugs.url, `${web}/issues`);
    assert.equal(manifest.homepage, `${web}#readme`);
    assert.equal(manifest.license, 'Apache-2.0');
    assert.match(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /^\s*Apache License\s+Version 2\.0, January 2004/);
  });

  it('the extension has no bin: the CLI is the cli/ package', () => {
    assert.equal(manifest.bin, undefined);
    assert.deepEqual(cliManifest.bin, { 'rhcos-layering': 'dist/cli.js' });
    assert.equal(cliManifest.dependencies, undefined, 'the CLI bundles what it runs');
    assert.equal(cliManifest.engines?.node, '>=20');
  });

  it('the CLI package has the extension\'s version, license and repository', () => {
    assert.equal(cliManifest.version, manifest.version);
    assert.equal(cliManifest.license, manifest.license);
    assert.deepEqual(cliManifest.repository, { ...manifest.repository, directory: 'cli' });
    assert.deepEqual(cliManifest.bugs, manifest.bugs);
    assert.ok(cliManifest.homepage.startsWith(manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')), cliManifest.homepage);
  });
});

describe('Containerfile names', () => {
  it('the workspace glob lists every name and pattern', () => {
    assert.equal(CONTAINERFILE_GLOB, '**/{Containerfile,Dockerfile,Containerfile.*,*.containerfile,Dockerfile.*,*.dockerfile}');
  });

  for (const name of ['Containerfile', 'Dockerfile', 'Containerfile.rt', 'Dockerfile.prod', 'worker.containerfile', 'app.dockerfile', 'containerfile']) {
    it(`${name} is a Containerfile`, () => assert.equal(isContainerfileName(name), true));
  }
  for (const name of ['Containerfile-old', 'README.md', 'MyContainerfile', 'Containerfiles']) {
    it(`${name} is not`, () => assert.equal(isContainerfileName(name), false));
  }
});
