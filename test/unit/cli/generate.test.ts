import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../../src/cli';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIGEST = `sha256:${'c0ffee00'.repeat(8)}`;
const BASE = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}`;

describe('rhcos-layering generate (in process)', () => {
  let dir: string;
  let containerfile: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rhcos-generate-'));
    mkdirSync(path.join(dir, 'GPU Layer'));
    containerfile = path.join(dir, 'GPU Layer', 'Containerfile');
    writeFileSync(containerfile, `FROM ${BASE}\nRUN dnf install -y nvtop && dnf clean all && bootc container lint\n`);
  });

  it('prints one MachineConfig per pool separated by ---, by digest, exit 0', async () => {
    const { code, stdout, stderr } = await run('generate', 'machineconfig', '--image', `quay.io/example/gpu@${DIGEST}`, '--pool', 'worker', '--pool', 'infra', '--name', 'os-layer-gpu');
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const documents = parseAllDocuments(stdout);
    assert.equal(documents.length, 2);
    const objects = documents.map((d) => d.toJS());
    assert.deepEqual(objects.map((o) => [o.metadata.name, o.metadata.labels['machineconfiguration.openshift.io/role'], o.spec.osImageURL]), [
      ['os-layer-gpu', 'worker', `quay.io/example/gpu@${DIGEST}`],
      ['os-layer-gpu-infra', 'infra', `quay.io/example/gpu@${DIGEST}`],
    ]);
    assert.equal(stdout.split('\n---\n').length, 2);
  });

  it('names the Containerfile in the header and derives the default name from its folder', async () => {
    const relative = path.relative(process.cwd(), containerfile);
    const { code, stdout } = await run('generate', 'mc', '--image', `quay.io/example/gpu@${DIGEST}`, '--pool', 'worker', '--containerfile', relative);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`# Containerfile: ${relative.split(path.sep).join('/').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    assert.match(stdout, /\n {2}name: os-layer-gpu-layer\n/);
  });

  it('a tag without --resolve: the YAML keeps the tag and stderr says so', async () => {
    const { code, stdout, stderr } = await run('generate', 'machineconfig', '--image', 'quay.io/example/gpu:1.0', '--pool', 'worker');
    assert.equal(code, 0);
    assert.match(stdout, /osImageURL: quay\.io\/example\/gpu:1\.0\n/);
    assert.match(stdout, /NOT PINNED: generated without --resolve/);
    assert.match(stderr, /warning: quay\.io\/example\/gpu:1\.0 is not pinned by digest; pass --resolve/);
  });

  it('exit 2 with a message for bad image references, pool names and names; nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['--image', 'quay.io/example/my image:1', '--pool', 'worker'], /contains whitespace/],
      [['--image', 'Quay.io/Example/gpu:1', '--pool', 'worker'], /lowercase/],
      [['--image', 'quay.io/example/gpu:1', '--pool', 'Worker'], /"Worker" is not a valid pool name/],
      [['--image', 'quay.io/example/gpu:1', '--pool', 'gpu_nodes'], /not a valid pool name: "_" is not allowed/],
      [['--image', 'quay.io/example/gpu:1', '--pool', 'worker', '--name', 'Bad_Name'], /not a valid MachineConfig name/],
      [['--image', 'quay.io/example/gpu:1'], /--pool is required/],
      [['--pool', 'worker'], /--image is required/],
      [['--image', 'quay.io/example/gpu:1', '--pool', 'worker', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await run('generate', 'machineconfig', ...args);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stdout, '', args.join(' '));
      assert.match(stderr, message, args.join(' '));
    }
  });

  it('exit 2 for a bad image reference even with --resolve (no network is tried)', async () => {
    // The reference names a registry that listens here, so any attempt to reach it would be seen.
    const connections: Socket[] = [];
    const registry = createServer((socket) => connections.push(socket.destroy()));
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = registry.address() as AddressInfo;
      const { code, stderr } = await run('generate', 'machineconfig', '--image', `https://127.0.0.1:${port}/x/y:1`, '--pool', 'worker', '--resolve');
      assert.equal(code, 2);
      assert.match(stderr, /URL scheme/);
      assert.equal(connections.length, 0);
    } finally {
      await new Promise((resolve) => registry.close(resolve));
    }
  });

  it('exit 1 with the registry\'s reason when --resolve cannot reach it', async () => {
    const { code, stdout, stderr } = await run('generate', 'machineconfig', '--image', '127.0.0.1:1/example/gpu:1.0', '--pool', 'worker', '--resolve', '--timeout', '5');
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^rhcos-layering: .*127\.0\.0\.1:1/);
  });

  it('machineosconfig: the Containerfile rewritten to FROM configs AS final, notes on stderr', async () => {
    const { code, stdout, stderr } = await run('generate', 'machineosconfig', '--containerfile', containerfile, '--pool', 'worker', '--push-spec', 'quay.io/example/os:latest', '--push-secret', 'push', '--pull-secret', 'pull', '--target-version', '4.18');
    assert.equal(code, 0, stderr);
    const object = parseAllDocuments(stdout)[0]!.toJS();
    assert.equal(object.kind, 'MachineOSConfig');
    assert.equal(object.spec.containerFile[0].content, 'FROM configs AS final\nRUN dnf install -y nvtop && dnf clean all && bootc container lint');
    assert.match(stderr, /note: FROM quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:.* became FROM configs AS final/);
  });

  it('machineosconfig: exit 2 for a version without v1, a digest push spec, a missing file, a bad arch', async () => {
    const args = ['generate', 'machineosconfig', '--containerfile', containerfile, '--pool', 'worker', '--push-secret', 'push'];
    assert.match((await run(...args, '--push-spec', 'quay.io/example/os:latest', '--target-version', '4.16')).stderr, /Tech Preview v1alpha1/);
    assert.match((await run(...args, '--push-spec', `quay.io/example/os@${DIGEST}`)).stderr, /has a digest/);
    assert.equal((await run(...args, '--push-spec', 'quay.io/example/os:latest', '--arch', 'x86_64')).code, 2);
    const missing = await run('generate', 'machineosconfig', '--containerfile', path.join(dir, 'nope'), '--pool', 'worker', '--push-spec', 'quay.io/example/os:latest', '--push-secret', 'push');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    assert.match((await run('generate', 'machineosconfig', '--pool', 'worker')).stderr, /--containerfile, --push-spec, --push-secret are required/);
  });

  it('usage: generate alone exits 2, --help exits 0, unknown kinds exit 2', async () => {
    assert.equal((await run('generate')).code, 2);
    assert.equal((await run('generate', '--help')).code, 0);
    assert.match((await run('generate', 'machineconfig', '--help')).stdout, /generate machineconfig --image REF --pool POOL/);
    assert.equal((await run('generate', 'deployment')).code, 2);
    assert.match((await run('--help')).stdout, /generate {3}Print a MachineConfig per pool/);
  });
});

describe('rhcos-layering generate (built CLI, exit codes)', function () {
  this.timeout(120_000);
  const cli = path.join(ROOT, 'cli', 'dist', 'cli.js');

  function node(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  before(async () => {
    // Always bundle what is being tested (the build takes about a second).
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT }, (error, _stdout, stderr) => (error ? reject(new Error(`build failed: ${stderr}`)) : resolve()));
    });
  });

  it('exit 0 and YAML on stdout', async () => {
    const { code, stdout } = await node(['generate', 'machineconfig', '--image', `quay.io/example/gpu@${DIGEST}`, '--pool', 'worker', '--pool', 'master']);
    assert.equal(code, 0);
    assert.equal(parseAllDocuments(stdout).length, 2);
  });

  it('exit 2 for a bad reference or pool', async () => {
    const bad = await node(['generate', 'machineconfig', '--image', 'quay.io/example/UPPER:1', '--pool', 'worker']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /lowercase/);
    assert.equal(bad.stdout, '');
    const pool = await node(['generate', 'machineconfig', '--image', 'quay.io/example/gpu:1', '--pool', 'my pool']);
    assert.equal(pool.code, 2);
    assert.match(pool.stderr, /"my pool" is not a valid pool name: it contains whitespace/);
  });
});
