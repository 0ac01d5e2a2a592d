import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Parser as AstParser } from 'dockerfile-ast/lib/parser';
import { fastPathCounters, parseContainerfile } from '../../../src/core/containerfile/parse';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'containerfiles');

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const file = path.join(directory, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** Counter changes while `run` runs. */
function during(run: () => void): { parses: number; fallbacks: number; plainInstructions: number } {
  const before = fastPathCounters();
  run();
  const after = fastPathCounters();
  return { parses: after.parses - before.parses, fallbacks: after.fallbacks - before.fallbacks, plainInstructions: after.plainInstructions - before.plainInstructions };
}

const EVERY_PLAIN_KEYWORD = [
  'ARG BASE=quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'a'.repeat(64),
  'FROM $BASE',
  'RUN rpm-ostree install vim && \\',
  '    ostree container commit',
  'COPY a /etc/a',
  'ADD b /etc/b',
  'CMD ["/bin/true"]',
  'ENTRYPOINT ["/bin/true"]',
  'SHELL ["/bin/bash", "-c"]',
  'VOLUME /var/data',
  'HEALTHCHECK CMD true',
  'ONBUILD RUN echo later',
  '',
].join('\n');

describe('the dockerfile-ast fast path (parse.ts patches its instruction factory)', () => {
  it('package.json pins dockerfile-ast to the exact version installed, the one whose internals parse.ts patches', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = manifest.dependencies['dockerfile-ast'];
    assert.match(pinned ?? '', /^\d+\.\d+\.\d+$/, 'an exact version, no range');
    const installed = (JSON.parse(readFileSync(require.resolve('dockerfile-ast/package.json'), 'utf8')) as { version: string }).version;
    assert.equal(installed, pinned);
  });

  it('builds every RUN, COPY, ADD, CMD, ENTRYPOINT, SHELL, VOLUME and HEALTHCHECK as a plain instruction, without falling back', () => {
    const change = during(() => assert.equal(parseContainerfile(EVERY_PLAIN_KEYWORD).model.parseError, undefined));
    assert.deepEqual([change.parses, change.fallbacks], [1, 0]);
    // At least one plain instruction per keyword line (dockerfile-ast 0.7.1 builds each twice, the ONBUILD trigger once).
    assert.ok(change.plainInstructions >= 8, `plain instructions: ${change.plainInstructions}`);
  });

  it('never falls back on the fixture corpus', () => {
    const files = filesUnder(FIXTURES);
    assert.ok(files.length > 10, `fixtures found: ${files.length}`);
    const change = during(() => {
      for (const file of files) parseContainerfile(readFileSync(file, 'utf8'));
    });
    assert.equal(change.parses, files.length);
    assert.equal(change.fallbacks, 0);
    assert.ok(change.plainInstructions > files.length, `plain instructions: ${change.plainInstructions}`);
  });

  describe('counts a fallback when the patched internals change', () => {
    const parser = AstParser as unknown as { createInstruction?: unknown; prototype: { createInstruction: (...args: unknown[]) => unknown } };

    it('the static factory is gone', () => {
      const original = parser.createInstruction;
      parser.createInstruction = undefined;
      try {
        assert.equal(during(() => parseContainerfile('FROM a\nRUN true\n')).fallbacks, 1);
      } finally {
        parser.createInstruction = original;
      }
    });

    it('the parser no longer calls it (instructions come from somewhere else)', () => {
      const unpatched = parser.createInstruction;
      const saved = parser.prototype.createInstruction;
      // What a new version might do: build instructions without going through the factory we replace.
      parser.prototype.createInstruction = function (this: { document: unknown; escapeChar: string }, ...args: unknown[]) {
        const patched = parser.createInstruction;
        parser.createInstruction = unpatched;
        try {
          return saved.apply(this, args);
        } finally {
          parser.createInstruction = patched;
        }
      };
      try {
        const change = during(() => assert.equal(parseContainerfile('FROM a\nRUN true\n').model.instructions.length, 2));
        assert.deepEqual([change.fallbacks, change.plainInstructions], [1, 0]);
      } finally {
        parser.prototype.createInstruction = saved;
      }
    });
  });
});
