// 5,000 nodes in 3 pools: start-up, full and paged lists with client-node, kubectl -o json and
// tables, and watch fan-out during a rollout. Outcomes only: how fast the explorer is against such a cluster is
// measured by `npm run bench` (test/bench/cluster.bench.ts), against kubectl on the same simulator.
import assert from 'node:assert/strict';
import { type Simulator, startSimulator } from '../simulator/index';
import { kubeConfig, kubectl, raw, requireKubectl, until } from '../simulator/testing';

describe('simulator: 5,000 nodes', function () {
  this.timeout(120000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ nodes: 5000, pools: ['worker', 'infra'], stepMs: 20, seed: 'scale' });
  });
  after(async () => {
    await sim?.stop();
  });

  it('starts with 3 pools whose counts add up to 5,000', () => {
    const pools = sim.list('machineconfigpools');
    assert.deepEqual(pools.map((p) => p.metadata.name), ['infra', 'master', 'worker']);
    assert.equal(pools.reduce((n, p) => n + p.status.machineCount, 0), 5000);
  });

  it('lists every node over HTTPS (raw, and client-node typed)', async () => {
    const r = await raw(sim, 'GET', '/api/v1/nodes');
    assert.equal(r.status, 200);
    const body = r.json<{ items: unknown[] }>();
    assert.equal(body.items.length, 5000);
    // client-node's typed deserialisation of 5,000 nodes costs seconds of client CPU (in this same
    // process), so the typed client reads it paged, as an informer-less tree view would list.
    const { k8s, kc } = await kubeConfig(sim);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    let cont: string | undefined;
    let n = 0;
    do {
      const page = await core.listNode({ limit: 500, ...(cont ? { _continue: cont } : {}) });
      n += page.items.length;
      cont = page.metadata?._continue;
    } while (cont);
    assert.equal(n, 5000);
  });

  it('serves kubectl: the raw JSON list and the node table (chunked by 500)', async () => {
    requireKubectl();
    // `kubectl get nodes -o json` works too, but spends ~15 s decoding 27 MB itself; the server answers
    // each 500-node page in tens of milliseconds. The raw list checks the same bytes quickly.
    const json = await kubectl(sim, ['get', '--raw', '/api/v1/nodes'], { timeoutMs: 60000 });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).items.length, 5000);
    const table = await kubectl(sim, ['get', 'nodes', '--no-headers'], { timeoutMs: 60000 });
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.trim().split('\n').length, 5000);
    const mcp = await kubectl(sim, ['get', 'mcp', 'worker', '-o', 'jsonpath={.status.machineCount}']);
    assert.equal(mcp.stdout, String(sim.pool('worker')!.status.machineCount));
  });

  it('fans watch events out to many watchers while a pool rolls out', async () => {
    const { k8s, kc } = await kubeConfig(sim);
    const counts = new Array(20).fill(0) as number[];
    const aborts: Array<() => void> = [];
    const rv = String(sim.store.resourceVersion);
    for (let i = 0; i < counts.length; i++) {
      const ctrl = await new k8s.Watch(kc).watch('/api/v1/nodes', { resourceVersion: rv }, () => counts[i]!++, () => {});
      aborts.push(() => ctrl.abort());
    }
    sim.patch('machineconfigpools', 'infra', { spec: { maxUnavailable: '2%' } });
    sim.create({ apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: { name: '99-infra-layer', labels: { 'machineconfiguration.openshift.io/role': 'infra' } }, spec: { osImageURL: 'quay.io/example/infra@sha256:' + 'e'.repeat(64) } });
    await sim.waitFor(() => sim.pool('infra')!.status.updatedMachineCount >= 10, { timeoutMs: 60000, what: '10 infra nodes updated' });
    const events = sim.store.eventsSince(Number(rv))!.filter((e) => e.entry.def.resource === 'nodes').length;
    await until(() => counts.every((c) => c >= events), 10000, 'every watcher to get every node event');
    for (const a of aborts) a();
    const p = sim.pool('infra')!;
    assert.ok(p.status.unavailableMachineCount <= 10, '2% of 500 nodes is 10');
  });
});
