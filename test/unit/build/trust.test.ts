// Workspace trust is checked where a build happens (buildImage, pushImage), not only by Build and Push: with a check
// that refuses, the tool is never started. The "tool" here is a script that leaves a file behind when it runs.
import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAndPush, buildImage, pushImage, type BuildSpec } from '../../../src/core/build/build';
import type { Problem } from '../../../src/core/problem';

describe('builds check trust where they happen', () => {
  let dir: string;
  let ran: string;
  let spec: BuildSpec;
  const refusal: Problem = { what: 'Did not build', why: 'the workspace is in Restricted Mode', next: 'Trust the workspace.' };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'build-trust-'));
    ran = path.join(dir, 'tool-ran');
    const tool = path.join(dir, 'fake-podman');
    writeFileSync(tool, `#!/bin/sh\necho "$@" > '${ran}'\nexit 1\n`);
    chmodSync(tool, 0o755);
    const containerfile = path.join(dir, 'Containerfile');
    writeFileSync(containerfile, 'FROM quay.io/fedora/fedora-bootc:42\n');
    spec = { tool: 'podman', toolPath: tool, containerfile, contextDir: dir, image: 'registry.example.com/layered/image:1', extraArgs: [] };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, run] of Object.entries({ buildImage, pushImage, buildAndPush })) {
    it(`${name} with a refusing check returns its Problem and starts no tool`, async () => {
      const asked: string[] = [];
      const result = await run(spec, { trust: (action) => (asked.push(action), refusal) });
      assert.deepEqual(result, { ok: false, problem: refusal });
      assert.match(asked[0]!, /^(build|push) registry\.example\.com\/layered\/image:1 with podman$/);
      assert.equal(existsSync(ran), false, 'the tool was started');
    });

    it(`${name} with an allowing check starts the tool`, async () => {
      const result = await run(spec, { trust: () => undefined });
      assert.equal(result.ok, false, 'the fake tool fails');
      assert.equal(existsSync(ran), true, 'the tool was started');
    });
  }
});
