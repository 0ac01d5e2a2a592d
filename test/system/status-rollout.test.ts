// `rhcos-layering status --format json` during a real rollout on the simulator, checked against what kubectl reads of
// the same cluster at the same moment (the simulator's controllers are held still while both read): every node says
// upToDate and phase; a node is up to date exactly when its annotations say Done with current = desired = the pool's
// target, and never while its desiredConfig is not the target. Plus pool membership: a master node that also carries a
// custom pool's role label is listed under master only.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type Simulator } from '../simulator/index';
import { kubectl, requireKubectl } from '../simulator/testing';
import { layeringMachineConfig } from './helpers/cluster';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'cli', 'dist', 'cli.js');
const A = 'machineconfiguration.openshift.io/';

interface StatusNode {
  name: string;
  pools: string[];
  state: string;
  currentConfig: string;
  desiredConfig: string;
  upToDate: boolean;
  phase: string;
  poolError: string | null;
}

interface StatusJson {
  pools: { name: string; updatedMachineCount: number; machineCount: number }[];
  nodes: StatusNode[];
}

interface KubeObject {
  metadata: { name: string; resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { configuration?: { name?: string } };
  status?: { updatedMachineCount?: number; machineCount?: number };
}

function status(sim: Simulator): Promise<StatusJson> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'status', '--kubeconfig', sim.kubeconfigPath, '--format', 'json'], { env: { ...process.env, KUBECONFIG: '' }, maxBuffer: 64 * 1024 * 1024, timeout: 60000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`status failed: ${String(stderr)}`));
      else resolve(JSON.parse(String(stdout)) as StatusJson);
    });
  });
}

async function kubectlItems(sim: Simulator, resource: string): Promise<KubeObject[]> {
  const result = await kubectl(sim, ['get', resource, '-o', 'json']);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { items: KubeObject[] }).items;
}

const versions = (items: readonly KubeObject[]): string => items.map((i) => `${i.metadata.name}@${i.metadata.resourceVersion}`).sort().join(',');

/** What kubectl and `status` read while the simulator's controllers stand still (read again until both reads agree). */
async function stillSnapshot(sim: Simulator, stepMs: number): Promise<{ nodes: KubeObject[]; pools: KubeObject[]; status: StatusJson }> {
  sim.cluster.setStepMs(3_600_000);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const nodes = await kubectlItems(sim, 'nodes');
      const pools = await kubectlItems(sim, 'machineconfigpools');
      const json = await status(sim);
      const nodesAfter = await kubectlItems(sim, 'nodes');
      const poolsAfter = await kubectlItems(sim, 'machineconfigpools');
      if (versions(nodes) === versions(nodesAfter) && versions(pools) === versions(poolsAfter)) return { nodes, pools, status: json };
    }
    throw new Error('the cluster kept changing while the controllers were held still');
  } finally {
    sim.cluster.setStepMs(stepMs);
  }
}

describe('status during a real rollout (built CLI and kubectl against the simulator)', function () {
  this.timeout(240000);
  let sim: Simulator;
  const STEP_MS = 15;

  before(async function () {
    if (!existsSync(CLI) || !existsSync(path.join(ROOT, 'cli', 'dist', 'cluster.js'))) throw new Error(`${CLI} or cli/dist/cluster.js is missing: run \`npm run build\` first`);
    requireKubectl();
    sim = await startSimulator({ nodes: 10, pools: [{ name: 'worker', maxUnavailable: 1 }, { name: 'infra', nodes: 2 }], stepMs: STEP_MS, seed: 'status-rollout' });
  });
  after(async () => {
    await sim?.stop();
  });

  it('upToDate and phase follow the annotations kubectl reads; no node is up to date while its desiredConfig is not the pool\'s target', async () => {
    const before = sim.pool('worker')!.spec.configuration.name as string;
    sim.create(layeringMachineConfig('99-worker-rollout'));
    const seenPhases = new Set<string>();
    let sawWaiting = false;
    let checks = 0;
    for (;;) {
      const { nodes, pools, status: json } = await stillSnapshot(sim, STEP_MS);
      checks++;
      const target = new Map(pools.map((p) => [p.metadata.name, p.spec?.configuration?.name]));
      const byName = new Map(json.nodes.map((n) => [n.name, n]));
      for (const node of nodes) {
        const ann = (key: string) => node.metadata.annotations?.[`${A}${key}`] ?? '';
        const labels = node.metadata.labels ?? {};
        // Membership from the role labels, read here without the extension's code: masters are master, the custom
        // pool wins over worker.
        const pool = 'node-role.kubernetes.io/master' in labels ? 'master' : 'node-role.kubernetes.io/infra' in labels ? 'infra' : 'worker';
        const viewed = byName.get(node.metadata.name)!;
        assert.deepEqual(viewed.pools, [pool], node.metadata.name);
        assert.equal(viewed.desiredConfig, ann('desiredConfig'));
        const expected = ann('state') === 'Done' && ann('currentConfig') === ann('desiredConfig') && ann('desiredConfig') === target.get(pool) && ann('desiredImage') === '';
        assert.equal(viewed.upToDate, expected, `${node.metadata.name}: state ${ann('state')}, current ${ann('currentConfig')}, desired ${ann('desiredConfig')}, target ${target.get(pool)}`);
        if (ann('desiredConfig') !== target.get(pool)) assert.equal(viewed.upToDate, false);
        if (ann('state') === 'Done' && ann('currentConfig') === ann('desiredConfig') && ann('desiredConfig') !== target.get(pool)) {
          assert.equal(viewed.phase, 'waiting', `${node.metadata.name} is Done on an older config`);
          sawWaiting = true;
        }
        if (ann('state') === 'Working' && ann('post-config-action') !== 'Rebooting') assert.ok(['updating', 'draining'].includes(viewed.phase), `${node.metadata.name}: ${viewed.phase}`);
        seenPhases.add(viewed.phase);
      }
      // The pool line keeps the MCO's counts, and they agree with the nodes we call up to date.
      for (const pool of json.pools) {
        const served = pools.find((p) => p.metadata.name === pool.name)!;
        assert.equal(pool.updatedMachineCount, served.status?.updatedMachineCount);
        assert.equal(json.nodes.filter((n) => n.pools[0] === pool.name && n.upToDate).length, pool.updatedMachineCount, `${pool.name}: up-to-date nodes vs updatedMachineCount`);
      }
      const finished = target.get('worker') !== before && pools.every((p) => p.status?.updatedMachineCount === p.status?.machineCount) && json.nodes.every((n) => n.upToDate);
      if (finished) break;
      assert.ok(checks < 200, 'the rollout did not finish');
      await new Promise((resolve) => setTimeout(resolve, STEP_MS * 3));
    }
    assert.ok(sawWaiting, 'a node waited its turn (Done on the old config) during the rollout');
    assert.ok(seenPhases.has('done') && [...seenPhases].some((p) => p === 'updating' || p === 'draining' || p === 'rebooting'), `phases seen: ${[...seenPhases].join(', ')}`);
  });

  it('a master node that also carries a custom pool\'s role label is listed under master only', async () => {
    const masters = await kubectlItems(sim, 'nodes');
    const master = masters.find((n) => 'node-role.kubernetes.io/master' in (n.metadata.labels ?? {}))!.metadata.name;
    const labelled = await kubectl(sim, ['label', 'node', master, 'node-role.kubernetes.io/infra=']);
    assert.equal(labelled.code, 0, labelled.stderr);
    const json = await status(sim);
    const node = json.nodes.find((n) => n.name === master)!;
    assert.deepEqual([node.pools, node.poolError], [['master'], null]);
    assert.ok(!json.nodes.some((n) => n.name === master && n.pools.includes('infra')));
  });
});
