/**
 * Building and pushing a layered image with buildah through the core functions, against the real
 * local registry: FROM the busybox base pinned by digest, a RUN that writes a file, push, and the
 * returned digest checked with skopeo and with our own resolver.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAndPush, buildImage, pushImage, type BuildProgress, type BuildSpec } from '../../src/core/build/build';
import { resolveDigest } from '../../src/core/image/registry';
import { formatProblem, type Result } from '../../src/core/problem';
import { TRUSTED } from './helpers/cluster';
import { freePort, startLocalRegistry, type LocalRegistry } from './helpers/registry';

function expectOk<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected success, got: ${formatProblem(result.problem)}`);
  return result.value;
}
function expectProblem<T>(result: Result<T>) {
  if (result.ok) assert.fail('expected a Problem');
  return result.problem;
}

describe('build: buildah bud + push to a real registry', function () {
  this.timeout(300_000);
  let registry: LocalRegistry;
  let context: string;
  let spec: (name: string, containerfile: string) => BuildSpec;

  before(async () => {
    registry = await startLocalRegistry();
    context = mkdtempSync(path.join(os.tmpdir(), 'build-test-'));
    spec = (name, containerfile) => {
      const file = path.join(context, `Containerfile.${name}`);
      writeFileSync(file, containerfile);
      return {
        tool: 'buildah',
        containerfile: file,
        contextDir: context,
        image: `${registry.host}/layered/${name}:test`,
        authFile: registry.authFile,
        certDir: registry.certDir!,
        extraArgs: [...registry.buildahGlobalArgs],
      };
    };
  });
  after(async () => {
    rmSync(context, { recursive: true, force: true });
    await registry?.stop();
  });

  it('builds FROM the base pinned by digest, pushes, and returns the digest skopeo sees', async () => {
    const lines: string[] = [];
    const progress: BuildProgress[] = [];
    const image = spec('ok', `FROM ${registry.base.pinned}\nRUN echo layered-by-test > /etc/layered && cat /etc/os-release\nLABEL org.example.test=yes\n`);
    const result = expectOk(await buildAndPush(image, { trust: TRUSTED, env: registry.toolEnv, onLine: (line) => lines.push(line), onProgress: (p) => progress.push(p) }));

    assert.match(result.digest, /^sha256:[a-f0-9]{64}$/);
    assert.equal(result.digest, await registry.skopeoDigest(image.image));
    assert.equal(result.digest, await registry.skopeoRawDigest(image.image));
    assert.equal(result.pinnedReference, `${registry.host}/layered/ok@${result.digest}`);
    assert.equal(result.pinnedWithTag, `${registry.host}/layered/ok:test@${result.digest}`);
    assert.match(result.imageId ?? '', /^sha256:[a-f0-9]{64}$/);

    const steps = progress.filter((p) => p.phase === 'build');
    assert.deepEqual(steps.map((p) => `${p.step}/${p.total}`), ['1/3', '2/3', '3/3']);
    assert.match(steps[1]!.phase === 'build' ? steps[1]!.instruction : '', /^RUN echo layered-by-test/);
    assert.ok(progress.some((p) => p.phase === 'push'));
    assert.deepEqual(progress.at(-1), { phase: 'done', digest: result.digest });
    assert.ok(lines.includes('NAME="busybox test base"'), 'RUN output is streamed');

    // Our resolver agrees, and the layer has the file the RUN wrote.
    const resolved = expectOk(await resolveDigest(image.image, { caCertificates: [registry.caPem!], auth: { authFile: registry.authFile } }));
    assert.equal(resolved.digest, result.digest);
    const container = (await registry.buildah(['from', '--quiet', ...registry.tlsArgs, '--authfile', registry.authFile, `docker://${result.pinnedReference}`])).trim();
    try {
      assert.equal((await registry.buildah(['run', container, 'cat', '/etc/layered'])).trim(), 'layered-by-test');
    } finally {
      await registry.buildah(['rm', container]);
    }
  });

  it('accepts a FROM with both tag and digest (repo:tag@sha256:…)', async () => {
    const image = spec('tagdigest', `FROM ${registry.base.reference}@${registry.base.digest}\nRUN touch /etc/x\n`);
    const result = expectOk(await buildAndPush(image, { trust: TRUSTED, env: registry.toolEnv }));
    assert.equal(result.digest, await registry.skopeoDigest(image.image));
  });

  it('a failing RUN gives a Problem with the step and the last output lines', async () => {
    const image = spec('fails', `FROM ${registry.base.pinned}\nRUN echo about-to-fail && exit 3\n`);
    const problem = expectProblem(await buildImage(image, { trust: TRUSTED, env: registry.toolEnv }));
    assert.equal(problem.what, `Building ${image.image} failed`);
    assert.match(problem.why, /buildah bud exited with code \d+ at STEP 2\/2 \(RUN echo about-to-fail && exit 3\)/);
    assert.match(problem.why, /about-to-fail/);
    assert.match(problem.next, /Containerfile/);
  });

  it('a missing tool gives a Problem that says how to install it', async () => {
    const image = spec('notool', `FROM ${registry.base.pinned}\n`);
    const problem = expectProblem(await buildAndPush({ ...image, toolPath: '/nonexistent/buildah' }, { trust: TRUSTED, env: registry.toolEnv }));
    assert.match(problem.why, /buildah was not found \(\/nonexistent\/buildah\)/);
    assert.match(problem.next, /apt-get install buildah/);
    const podman = expectProblem(await buildImage({ ...image, tool: 'podman', toolPath: '/nonexistent/podman' }, { trust: TRUSTED }));
    assert.match(podman.next, /dnf install podman/);
  });

  it('push failures: wrong password and unreachable registry', async () => {
    const image = spec('pushme', `FROM ${registry.base.pinned}\nRUN echo x > /etc/pushme\n`);
    expectOk(await buildImage(image, { trust: TRUSTED, env: registry.toolEnv }));
    const wrongAuth = path.join(context, 'wrong-auth.json');
    writeFileSync(wrongAuth, JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:wrong`).toString('base64') } } }));
    const env = { ...registry.toolEnv, REGISTRY_AUTH_FILE: wrongAuth };
    const auth = expectProblem(await pushImage({ ...image, authFile: wrongAuth, pushArgs: ['--retry-delay', '50ms'] }, { trust: TRUSTED, env }));
    assert.match(auth.why, /refused the push \(authentication or permission\)/);
    assert.match(auth.next, /buildah login 127\.0\.0\.1:\d+/);

    const port = await freePort();
    const unreachable = expectProblem(
      await pushImage({ ...image, image: `127.0.0.1:${port}/x:1`, pushArgs: ['--retry-delay', '50ms'] }, { trust: TRUSTED, env: registry.toolEnv, source: image.image }),
    );
    assert.match(unreachable.why, /could not be reached:\nError: .*connection refused/);
  });

  it('cancelling stops the build (a RUN that never ends on its own)', async () => {
    // The RUN loops for ever, so only the cancellation can end this build: no clock is needed to tell.
    const image = spec('slow', `FROM ${registry.base.pinned}\nRUN while :; do sleep 1; done\n`);
    const controller = new AbortController();
    const problem = expectProblem(
      await buildImage(image, {
        trust: TRUSTED,
        env: registry.toolEnv,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'build' && p.step === 2) setTimeout(() => controller.abort(), 300);
        },
      }),
    );
    assert.match(problem.what, /was cancelled/);
  });

  it('refuses a destination with a digest or an invalid name before running anything', async () => {
    const image = spec('bad', `FROM ${registry.base.pinned}\n`);
    assert.match(expectProblem(await buildAndPush({ ...image, image: registry.base.pinned }, { trust: TRUSTED })).why, /has a digest/);
    assert.match(expectProblem(await buildAndPush({ ...image, image: `${registry.host}/Layered:1` }, { trust: TRUSTED })).why, /lowercase/);
    assert.match(expectProblem(await buildImage({ ...image, containerfile: path.join(context, 'nope') }, { trust: TRUSTED })).why, /does not exist/);
  });
});
