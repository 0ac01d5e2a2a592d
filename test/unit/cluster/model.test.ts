import { strict as assert } from 'node:assert';
import { clusterStatus, matchesSelector, poolsOfNode, type ClusterSnapshot } from '../../../src/core/cluster/model';
import { slimMachineConfig, slimNode, slimPool, type MachineConfigObject, type NodeObject, type PoolObject } from '../../../src/core/cluster/objects';
import { fixtureItems } from '../../helpers/fixtures';

function snapshot(pools: PoolObject[], nodes: NodeObject[], machineConfigs: MachineConfigObject[] = [], base?: string): ClusterSnapshot {
  return {
    context: 'ctx', server: 'https://api.example:6443',
    pools: new Map(pools.map((p) => [p.metadata.name, p])),
    nodes: new Map(nodes.map((n) => [n.metadata.name, n])),
    machineConfigs: new Map(machineConfigs.map((m) => [m.metadata.name, m])),
    osImageUrls: base ? { baseOSContainerImage: base, baseOSExtensionsContainerImage: undefined, releaseVersion: '4.16.0' } : undefined,
    clusterVersion: undefined,
    machineOSConfigs: new Map(),
    machineOSBuilds: new Map(),
    machineConfigNodes: new Map(),
  };
}

describe('cluster view-model', () => {
  it('reads a real 4.14 cluster mid-update (oc samples): pools updating, nodes cordoned while Working, infra nodes only in infra', () => {
    const pools = fixtureItems('cluster/4.14.1-workers-started-updating-multiple-pools.pools.yaml').map(slimPool);
    const nodes = fixtureItems('cluster/4.14.1-workers-started-updating-multiple-pools.nodes.yaml').map(slimNode);
    const status = clusterStatus(snapshot(pools, nodes));
    const worker = status.pools.find((p) => p.name === 'worker')!;
    assert.equal(worker.state, 'updating');
    assert.equal(worker.summary, 'Updating 0/3');
    const working = status.nodes.find((n) => n.name === 'ip-10-0-4-159.us-east-2.compute.internal')!;
    assert.deepEqual({ state: working.state, kubeletReady: working.kubeletReady, ready: working.ready, schedulable: working.schedulable, pools: working.pools }, { state: 'Working', kubeletReady: true, ready: false, schedulable: false, pools: ['worker'] });
    assert.deepEqual(status.nodes.find((n) => n.name === 'ip-10-0-20-162.us-east-2.compute.internal')!.pools, ['infra']);
  });

  it('reads degraded nodes and a NodeDegraded pool from a real 4.16 dump', () => {
    const pools = fixtureItems('cluster/4.16.0-ec2-control-plane-updated-pdb-prohibits-draining.pools.yaml').map(slimPool);
    const nodes = fixtureItems('cluster/4.16.0-ec2-control-plane-updated-pdb-prohibits-draining.nodes.yaml').map(slimNode);
    const status = clusterStatus(snapshot(pools, nodes));
    const degradedPool = status.pools.find((p) => p.degraded)!;
    assert.equal(degradedPool.state, 'degraded');
    assert.match(degradedPool.summary, /^Degraded \(\d+ of \d+\)/);
    const degradedNode = status.nodes.find((n) => n.state === 'Degraded')!;
    assert.match(degradedNode.reason, /failed to drain node/);
  });

  it('marks a pool running an image other than the cluster base as custom, and its nodes too', () => {
    const base = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:' + 'b'.repeat(64);
    const custom = 'registry.example.com/layered@sha256:' + 'c'.repeat(64);
    const pool = slimPool({
      metadata: { name: 'worker' },
      spec: { nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } }, configuration: { name: 'rendered-worker-2', source: [{ name: '00-worker' }, { name: 'os-layer-custom' }] } },
      status: { configuration: { name: 'rendered-worker-2' }, machineCount: 1, updatedMachineCount: 1, readyMachineCount: 1, conditions: [{ type: 'Updated', status: 'True' }] },
    });
    const node = slimNode({
      metadata: { name: 'w1', labels: { 'node-role.kubernetes.io/worker': '' }, annotations: {
        'machineconfiguration.openshift.io/currentConfig': 'rendered-worker-2', 'machineconfiguration.openshift.io/desiredConfig': 'rendered-worker-2',
        'machineconfiguration.openshift.io/state': 'Done', 'kubernetes.io/unrelated': 'dropped' } },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const rendered = slimMachineConfig({ metadata: { name: 'rendered-worker-2', annotations: { 'machineconfiguration.openshift.io/generated-by-controller-version': 'x' } }, spec: { osImageURL: custom } });
    const status = clusterStatus(snapshot([pool], [node], [rendered], base));
    assert.deepEqual({ custom: status.pools[0]!.customImage, image: status.pools[0]!.osImageURL, summary: status.pools[0]!.summary }, { custom: true, image: custom, summary: 'Updated 1/1' });
    assert.equal(status.nodes[0]!.customImage, true);
    assert.deepEqual(Object.keys(node.metadata.annotations).sort(), ['machineconfiguration.openshift.io/currentConfig', 'machineconfiguration.openshift.io/desiredConfig', 'machineconfiguration.openshift.io/state']);
  });

  it('shows Rebooting from post-config-action, and cordoned separately from NotReady', () => {
    const pool = slimPool({ metadata: { name: 'worker' }, spec: { nodeSelector: { matchLabels: { w: '' } } } });
    const node = slimNode({
      metadata: { name: 'w1', labels: { w: '' }, annotations: { 'machineconfiguration.openshift.io/state': 'Working', 'machineconfiguration.openshift.io/post-config-action': 'Rebooting' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
    });
    const view = clusterStatus(snapshot([pool], [node])).nodes[0]!;
    assert.deepEqual({ state: view.state, ready: view.ready, schedulable: view.schedulable }, { state: 'Rebooting', ready: false, schedulable: false });
  });

  it('matches label selectors with expressions; a pool whose selector matches nothing has no nodes', () => {
    assert.equal(matchesSelector({ a: '1', b: '2' }, { matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }, { key: 'c', operator: 'DoesNotExist' }] }), true);
    assert.equal(matchesSelector({ a: '1' }, { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }), false);
    assert.equal(matchesSelector({ a: '1' }, undefined), false);
    const empty = slimPool({ metadata: { name: 'gpu' }, spec: { nodeSelector: { matchLabels: { gpu: 'yes' } } } });
    const node = slimNode({ metadata: { name: 'n', labels: { other: '' } } });
    assert.deepEqual(poolsOfNode(node, [empty]), []);
  });

  it('lists a node that two custom pools select under both (the MCO refuses it)', () => {
    const a = slimPool({ metadata: { name: 'infra' }, spec: { nodeSelector: { matchLabels: { infra: '' } } } });
    const b = slimPool({ metadata: { name: 'gpu' }, spec: { nodeSelector: { matchLabels: { gpu: '' } } } });
    const w = slimPool({ metadata: { name: 'worker' }, spec: { nodeSelector: { matchLabels: { worker: '' } } } });
    assert.deepEqual(poolsOfNode(slimNode({ metadata: { name: 'n', labels: { infra: '', gpu: '', worker: '' } } }), [a, b, w]), ['infra', 'gpu']);
  });
});
