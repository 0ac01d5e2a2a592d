// package.json repeats facts the code owns (it cannot import them): the target versions, the Containerfile names.
// These tests keep the copies equal to the one definition in src/.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTAINERFILE_FILENAME_PATTERNS, CONTAINERFILE_FILENAMES, CONTAINERFILE_GLOB, isContainerfileName } from '../../src/core/containerfileNames';
import { formatVersion, KNOWN_MINOR_VERSIONS } from '../../src/core/openshift/versions';

const ROOT = path.join(__dirname, '..', '..');

interface Manifest {
  activationEvents: string[];
  contributes: {
    languages: { id: string; filenames?: string[]; filenamePatterns?: string[] }[];
    configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

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
