// `rhcos-layering status` as other tools call it: the built CLI (cli/dist/cli.js, after `npm run build`) against the
// simulator. The JSON shape is a contract: exactly these keys.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type Simulator } from '../simulator/index';
import { CUSTOM_IMAGE, layeringMachineConfig } from './helpers/cluster';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'cli', 'dist', 'cli.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], options: { node?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(options.node ?? process.execPath, [CLI, ...args], { env: options.env ?? { ...process.env, KUBECONFIG: '' }, maxBuffer: 64 * 1024 * 1024, timeout: 60000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const POOL_KEYS = ['name', 'updated', 'updating', 'degraded', 'paused', 'machineCount', 'readyMachineCount', 'updatedMachineCount', 'degradedMachineCount', 'renderedConfig', 'osImageURL', 'customImage'];
const NODE_KEYS = ['name', 'pools', 'state', 'ready', 'schedulable', 'currentConfig', 'desiredConfig', 'osImageURL', 'reason', 'upToDate', 'phase', 'poolError', 'progress'];

describe('rhcos-layering status (built CLI against the simulator)', function () {
  this.timeout(90000);
  let sim: Simulator;

  before(async function () {
    if (!existsSync(CLI) || !existsSync(path.join(ROOT, 'cli', 'dist', 'cluster.js'))) throw new Error(`${CLI} or cli/dist/cluster.js is missing: run \`npm run build\` first`);
    sim = await startSimulator({ nodes: 9, pools: ['worker', { name: 'infra', nodes: 2 }], stepMs: 5, seed: 'status-cli' });
    sim.create(layeringMachineConfig('99-worker-layered'));
    await sim.waitForRollout('worker', 60000);
    await sim.waitForRollout('infra', 60000);
  });
  after(async () => {
    await sim?.stop();
  });
  afterEach(() => {
    sim.faults.clear();
    sim.faults.setOpenShift(true);
  });

  it('--format json prints exactly the contract fields, from the cluster', async () => {
    const result = await run(['status', '--kubeconfig', sim.kubeconfigPath, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const status = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(status), ['context', 'server', 'baseImage', 'pools', 'nodes']);
    assert.equal(status.context, 'admin');
    assert.equal(status.server, sim.url);
    assert.equal(status.baseImage, sim.get('configmaps', 'machine-config-osimageurl', 'openshift-machine-config-operator')!.data.baseOSContainerImage);
    assert.deepEqual(status.pools.map((p: { name: string }) => p.name), ['infra', 'master', 'worker']);
    for (const pool of status.pools) assert.deepEqual(Object.keys(pool), POOL_KEYS);
    for (const node of status.nodes) assert.deepEqual(Object.keys(node), NODE_KEYS);
    const worker = status.pools.find((p: { name: string }) => p.name === 'worker');
    const simWorker = sim.pool('worker')!;
    assert.deepEqual(worker, {
      name: 'worker', updated: true, updating: false, degraded: false, paused: false,
      machineCount: simWorker.status.machineCount, readyMachineCount: simWorker.status.readyMachineCount,
      updatedMachineCount: simWorker.status.updatedMachineCount, degradedMachineCount: 0,
      renderedConfig: simWorker.status.configuration.name, osImageURL: CUSTOM_IMAGE, customImage: true,
    });
    assert.equal(status.pools.find((p: { name: string }) => p.name === 'master').customImage, false);
    assert.equal(status.nodes.length, 9);
    const node = status.nodes.find((n: { pools: string[] }) => n.pools[0] === 'infra');
    assert.deepEqual({ ...node, name: undefined }, {
      name: undefined, pools: ['infra'], state: 'Done', ready: true, schedulable: true,
      currentConfig: sim.pool('infra')!.status.configuration.name, desiredConfig: sim.pool('infra')!.status.configuration.name,
      osImageURL: CUSTOM_IMAGE, reason: '', upToDate: true, phase: 'done', poolError: null, progress: null,
    });
  });

  it('text output: a header, pools like `oc get mcp`, then a node table with state and image', async () => {
    const result = await run(['status', '--kubeconfig', sim.kubeconfigPath]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^Context:\s+admin$/);
    assert.match(lines[1]!, new RegExp(`^Server:\\s+${sim.url.replace(/\./g, '\\.')}$`));
    assert.match(lines[2]!, /^OpenShift:\s+4\.18\.\d+$/);
    assert.match(lines[3]!, /^Base image:\s+quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:[0-9a-f]{64}$/);
    const header = lines.find((l) => l.startsWith('NAME'))!;
    assert.match(header, /^NAME\s+CONFIG\s+UPDATED\s+UPDATING\s+DEGRADED\s+MACHINECOUNT\s+READYMACHINECOUNT\s+UPDATEDMACHINECOUNT\s+DEGRADEDMACHINECOUNT\s+PAUSED\s+IMAGE$/);
    const worker = lines.find((l) => l.startsWith('worker '))!;
    assert.match(worker, /^worker\s+rendered-worker-[0-9a-f]{32}\s+True\s+False\s+False\s+\d+\s+\d+\s+\d+\s+0\s+False\s+custom quay\.io\/example\/rhcos-layered@sha256:c{64}$/);
    assert.match(lines.find((l) => l.startsWith('master '))!, /\s+base$/);
    assert.ok(lines.some((l) => /^NODE\s+POOLS\s+PHASE\s+UPTODATE\s+STATE\s+STATUS\s+CURRENT\s+DESIRED\s+IMAGE\s+STEP\s+REASON$/.test(l)));
    assert.equal(lines.filter((l) => /^ip-10-/.test(l)).length, 9);
    assert.ok(lines.some((l) => /^ip-\S+\s+infra\s+done\s+True\s+Done\s+Ready\s+rendered-infra-\S+\s+=\s+custom \S+\s+-$/.test(l)));
  });

  it('--context picks another context; a type it may not read is a warning on stderr, exit 0', async () => {
    const result = await run(['status', '--kubeconfig', sim.kubeconfigPath, '--context', 'no-mc', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: Not allowed to list machineconfigs\.machineconfiguration\.openshift\.io: .*cannot list resource "machineconfigs"/m);
    const status = JSON.parse(result.stdout);
    assert.equal(status.context, 'no-mc');
    assert.equal(status.pools.length, 3);
  });

  it('reads $KUBECONFIG like kubectl (missing files skipped) when --kubeconfig is not given', async () => {
    const result = await run(['status', '--format', 'json'], { env: { ...process.env, KUBECONFIG: ['/nonexistent/config', sim.kubeconfigPath].join(path.delimiter) } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).context, 'admin');
  });

  it('exits 2 with the reason on stderr when the cluster cannot be reached', async () => {
    await sim.faults.unreachable();
    try {
      const result = await run(['status', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--request-timeout', '5']);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^rhcos-layering: Cannot reach the cluster https:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    } finally {
      await sim.faults.reachable();
    }
  });

  it('exits 2 when the token is rejected (oc login), when the cluster is not OpenShift, and on a bad kubeconfig or context', async () => {
    sim.faults.expireToken('expiring');
    const expired = await run(['status', '--kubeconfig', sim.kubeconfigPath, '--context', 'expiring']);
    assert.equal(expired.code, 2);
    assert.match(expired.stderr, /401 Unauthorized.*oc login/);
    sim.faults.setOpenShift(false);
    const plain = await run(['status', '--kubeconfig', sim.kubeconfigPath]);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /is not an OpenShift 4 cluster/);
    const missing = await run(['status', '--kubeconfig', '/nonexistent/kubeconfig']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the kubeconfig \/nonexistent\/kubeconfig: the file does not exist/);
    const noContext = await run(['status', '--kubeconfig', sim.kubeconfigPath, '--context', 'nope']);
    assert.equal(noContext.code, 2);
    assert.match(noContext.stderr, /Kubernetes context nope not found/);
    const usage = await run(['status', '--format', 'yaml']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Unknown --format yaml/);
  });
});
