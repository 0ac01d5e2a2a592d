/**
 * The generate, pin-to-digest and build-and-push flows against a real docker-registry (TLS + htpasswd) with images
 * pushed by buildah: the digest in the generated osImageURL is the one skopeo sees, the pin edit writes it, a failing
 * registry (wrong credentials, an HTML page, a huge manifest) gives a clear message and no output.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../src/cli';
import { buildAndPush } from '../../src/core/build/build';
import { buildSpecFor, machineConfigsForPush, pinToDigest, registryOptions, type PinPlan } from '../../src/core/openshift/layerFlow';
import { lintMachineConfigYaml } from '../../src/core/yamlLint';
import { formatProblem, type Result } from '../../src/core/problem';
import { range } from '../../src/core/text';
import { TRUSTED } from './helpers/cluster';
import { startLocalRegistry, type LocalRegistry, type PushedImage } from './helpers/registry';

function expectOk<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected success, got: ${formatProblem(result.problem)}`);
  return result.value;
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('generate against a real registry', function () {
  this.timeout(300_000);
  let registry: LocalRegistry;
  let custom: PushedImage;
  let temp: string;

  before(async () => {
    registry = await startLocalRegistry();
    custom = await registry.pushBaseImage('layered/custom', { tag: '1.0' });
    temp = mkdtempSync(path.join(os.tmpdir(), 'generate-system-'));
  });
  after(async () => {
    if (temp) rmSync(temp, { recursive: true, force: true });
    await registry?.stop();
  });

  it('generate machineconfig --resolve writes the digest skopeo reports, for every pool', async () => {
    const { code, stdout, stderr } = await cli('generate', 'machineconfig', '--image', custom.reference, '--pool', 'worker', '--pool', 'infra', '--resolve', '--authfile', registry.authFile, '--cert-dir', registry.certDir!);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const skopeo = await registry.skopeoDigest(custom.reference);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS());
    assert.deepEqual(objects.map((o) => o.spec.osImageURL), [`${registry.host}/layered/custom@${skopeo}`, `${registry.host}/layered/custom@${skopeo}`]);
    assert.match(stdout, new RegExp(`the registry ${registry.host.replace(/\./g, '\\.')} resolved the tag "1\\.0" to ${skopeo}`));
    // The generated file is clean for the YAML diagnostics.
    assert.deepEqual(lintMachineConfigYaml(stdout).findings, []);
  });

  it('an insecure-registry entry stands in for the CA (TLS not verified), as the setting does', async () => {
    const { code, stdout } = await cli('generate', 'mc', '--image', custom.reference, '--pool', 'worker', '--resolve', '--authfile', registry.authFile, '--insecure-registry', registry.host);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`@${custom.digest}\n`));
  });

  it('wrong credentials: exit 1, the reason and what to do, nothing on stdout, no secret in the message', async () => {
    const wrong = path.join(temp, 'wrong-auth.json');
    writeFileSync(wrong, JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:not-the-password`).toString('base64') } } }));
    const { code, stdout, stderr } = await cli('generate', 'mc', '--image', custom.reference, '--pool', 'worker', '--resolve', '--authfile', wrong, '--cert-dir', registry.certDir!);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /401|unauthori[sz]ed|rejected/i);
    assert.match(stderr, /podman login/);
    assert.doesNotMatch(stderr, /not-the-password/);
  });

  it('a missing tag: exit 1 naming the tags that exist', async () => {
    const { code, stderr } = await cli('generate', 'mc', '--image', `${registry.host}/layered/custom:2.0`, '--pool', 'worker', '--resolve', '--authfile', registry.authFile, '--cert-dir', registry.certDir!);
    assert.equal(code, 1);
    assert.match(stderr, /tag "2\.0" was not found .*1\.0/);
  });

  it('pin to digest: the Containerfile FROM gets repo:tag@digest; osImageURL gets repo@digest; changed text is not touched', async () => {
    const options = { ...registryOptions({ authFile: registry.authFile, insecureRegistries: [], timeoutSeconds: 20, certDirectory: '' }), caCertificates: [registry.caPem!] };
    const containerfile = `FROM ${registry.base.reference}\nRUN true\n`;
    const plan: PinPlan = { image: registry.base.reference, range: range(0, 5, 0, 5 + registry.base.reference.length), keepTag: true, target: 'containerfile' };
    const pinned = expectOk(await pinToDigest(plan, options, () => containerfile.slice(5, 5 + registry.base.reference.length)));
    assert.equal(pinned.edit.newText, `${registry.base.reference}@${await registry.skopeoDigest(registry.base.reference)}`);
    assert.deepEqual(pinned.edit.range, plan.range);

    const yamlPin = expectOk(await pinToDigest({ ...plan, keepTag: true, target: 'osImageURL' }, options, () => plan.image));
    assert.equal(yamlPin.edit.newText, registry.base.pinned);

    const changed = await pinToDigest(plan, options, () => `${registry.base.reference}x`);
    assert.ok(!changed.ok);
    assert.match(changed.problem.why, /changed while the digest was looked up/);
  });

  it('build and push with buildah, then the MachineConfig for exactly the pushed digest', async () => {
    const dir = path.join(temp, 'flow');
    const file = path.join(dir, 'Containerfile');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    writeFileSync(file, `FROM ${registry.base.pinned}\nRUN echo layered > /etc/layered-by-flow\n`);
    // The settings path: buildah, the registry's auth file, and the registry listed as insecure (no CA needed).
    const spec = buildSpecFor(
      { containerfile: file, contextDir: dir, image: `${registry.host}/layered/flow:1` },
      { tool: 'buildah', toolPath: '', extraArgs: [...registry.buildahGlobalArgs] },
      { authFile: registry.authFile, insecureRegistries: [registry.host], timeoutSeconds: 20, certDirectory: '' },
    );
    assert.equal(spec.tlsVerify, false);
    const pushed = expectOk(await buildAndPush(spec, { trust: TRUSTED, env: registry.toolEnv }));
    const skopeo = await registry.skopeoDigest(spec.image);
    assert.equal(pushed.digest, skopeo);
    const [mc] = expectOk(machineConfigsForPush(pushed, spec, { pools: ['worker'], containerfile: 'Containerfile', folderName: 'flow' }));
    assert.equal(mc!.osImageURL, `${registry.host}/layered/flow@${skopeo}`);
    assert.equal(mc!.name, 'os-layer-flow');
    assert.match(mc!.yaml, /buildah push reported the digest/);
  });
});

describe('generate against registries that misbehave', function () {
  this.timeout(60_000);
  let server: http.Server;
  let host: string;

  before(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/v2/') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (request.url?.startsWith('/v2/portal/')) {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Sign in to the proxy</title></head><body>login</body></html>');
      } else if (request.url?.startsWith('/v2/huge/')) {
        const body = Buffer.alloc(10 * 1024 * 1024, 0x20);
        response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(body.length) });
        response.end(request.method === 'HEAD' ? undefined : body);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a registry answering with an HTML page: exit 1 with the page title, nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli('generate', 'mc', '--image', `${host}/portal/image:1`, '--pool', 'worker', '--resolve', '--insecure-registry', host);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /HTML page \("Sign in to the proxy"\)/);
  });

  it('a 10 MB manifest: refused with the size, nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli('generate', 'mc', '--image', `${host}/huge/image:1`, '--pool', 'worker', '--resolve', '--insecure-registry', host);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /MB|MiB|bytes|too large|larger/i);
  });
});
