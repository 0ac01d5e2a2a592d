// Node and pool semantics against real object shapes (test/fixtures/cluster/, sources in its README): which pool a node
// belongs to, when it is up to date, ready, waiting or updating, as the Machine Config Operator decides; the MCO's own
// counts in the same dumps are the oracle where the dump is consistent.
import { strict as assert } from 'node:assert';
import { ClusterRequestError } from '../../../src/core/cluster/api';
import { degradedGuidance } from '../../../src/core/cluster/guidance';
import { deriveHealth } from '../../../src/core/cluster/health';
import type { ResourceId, ResourceStatus } from '../../../src/core/cluster/informer';
import { clusterStatus, describeImpact, machineOSBuildState, nodeView, poolView, rolloutImpact, type ClusterSnapshot, type NodeView } from '../../../src/core/cluster/model';
import { describeMaxUnavailable, effectiveMaxUnavailable, poolsOfNode } from '../../../src/core/cluster/nodeState';
import {
  slimMachineConfigNode, slimMachineOSBuild, slimMachineOSConfig, slimNode, slimPool,
  type MachineConfigNodeObject, type MachineOSBuildObject, type MachineOSConfigObject, type NodeObject, type PoolObject,
} from '../../../src/core/cluster/objects';
import { RESOURCE_IDS } from '../../../src/core/cluster/resources';
import { statusJson } from '../../../src/core/cluster/statusFormat';
import { updateProgress } from '../../../src/core/cluster/updateProgress';
import { fixtureItems } from '../../helpers/fixtures';


function items(file: string): Record<string, unknown>[] {
  return fixtureItems(`cluster/${file}`) as Record<string, unknown>[];
}

function ofKind(file: string, kind: string): Record<string, unknown>[] {
  return items(file).filter((item) => item.kind === kind);
}

interface Objects {
  pools?: PoolObject[];
  nodes?: NodeObject[];
  mosc?: MachineOSConfigObject[];
  mosb?: MachineOSBuildObject[];
  mcn?: MachineConfigNodeObject[];
}

function snapshot(objects: Objects): ClusterSnapshot {
  const byName = <T extends { metadata: { name: string } }>(list: T[] = []) => new Map(list.map((o) => [o.metadata.name, o]));
  return {
    context: 'ctx', server: 'https://api.example:6443',
    pools: byName(objects.pools), nodes: byName(objects.nodes), machineConfigs: new Map(),
    osImageUrls: undefined, clusterVersion: undefined,
    machineOSConfigs: byName(objects.mosc), machineOSBuilds: byName(objects.mosb), machineConfigNodes: byName(objects.mcn),
  };
}

function dump(name: string): ClusterSnapshot {
  return snapshot({ pools: items(`${name}.pools.yaml`).map(slimPool), nodes: items(`${name}.nodes.yaml`).map(slimNode) });
}

function membersOf(pool: string, nodes: readonly NodeView[]): NodeView[] {
  return nodes.filter((n) => n.pools.length === 1 && n.pools[0] === pool);
}

function phases(nodes: readonly NodeView[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const node of nodes) out[node.phase] = (out[node.phase] ?? 0) + 1;
  return out;
}

const A = 'machineconfiguration.openshift.io/';

describe('node and pool semantics (MCO rules, real object shapes)', () => {
  it('an update just started (oc 4.14.1 dump): Done nodes on the old config are waiting, not up to date; the pools read 0 updated and so do we', () => {
    const status = clusterStatus(dump('4.14.1-workers-started-updating-multiple-pools'));
    for (const pool of status.pools) {
      assert.equal(pool.updatedMachineCount, 0);
      assert.equal(membersOf(pool.name, status.nodes).filter((n) => n.upToDate).length, 0, `${pool.name}: no node is up to date`);
    }
    const waiting = status.nodes.find((n) => n.name === 'ip-10-0-99-40.us-east-2.compute.internal')!;
    assert.deepEqual([waiting.state, waiting.phase, waiting.upToDate], ['Done', 'waiting', false]);
    assert.notEqual(waiting.desiredConfig, waiting.targetConfig);
    const draining = status.nodes.find((n) => n.name === 'ip-10-0-4-159.us-east-2.compute.internal')!;
    assert.deepEqual([draining.state, draining.phase, draining.ready, draining.kubeletReady, draining.notReadyReason], ['Working', 'draining', false, true, 'Unschedulable']);
    assert.deepEqual(phases(membersOf('master', status.nodes)), { waiting: 2, draining: 1 });
    // Labelled worker and infra: the custom pool wins (GetPoolsForNode).
    assert.deepEqual(status.nodes.find((n) => n.name === 'ip-10-0-20-162.us-east-2.compute.internal')!.pools, ['infra']);
  });

  it('a consistent 4.20-era dump (ocpbugs-60768): our up-to-date, ready and degraded counts are the MCO\'s', () => {
    const status = clusterStatus(dump('ocpbugs-60768'));
    for (const pool of status.pools) {
      const members = membersOf(pool.name, status.nodes);
      const upToDate = members.filter((n) => n.upToDate);
      assert.deepEqual(
        { machines: members.length, updated: upToDate.length, ready: upToDate.filter((n) => n.ready).length, degraded: members.filter((n) => n.phase === 'degraded' || n.phase === 'unreconcilable').length },
        { machines: pool.machineCount, updated: pool.updatedMachineCount, ready: pool.readyMachineCount, degraded: pool.degradedMachineCount },
        pool.name,
      );
    }
    assert.deepEqual(phases(membersOf('master', status.nodes)), { done: 1, waiting: 1, degraded: 1 });
  });

  it('a 59-node pool with maxUnavailable 20 and drains failing (4.16 dump): phases, degraded count, what the MCO waits for', () => {
    const status = clusterStatus(dump('4.16.0-ec2-control-plane-updated-pdb-prohibits-draining'));
    const worker = status.pools.find((p) => p.name === 'worker')!;
    const members = membersOf('worker', status.nodes);
    assert.equal(members.length, worker.machineCount);
    assert.equal(members.filter((n) => n.phase === 'degraded').length, worker.degradedMachineCount);
    // Nodes labelled infra and worker, with no infra pool on this cluster, are workers.
    assert.ok(members.some((n) => n.name.includes('-w-b-infra-')));
    // The pool's status and the node list were not read at the same moment (nodes created up to 16:02, the pool's
    // conditions last changed at 15:43), so the updated count may differ by the nodes that changed in between.
    assert.ok(Math.abs(members.filter((n) => n.upToDate).length - worker.updatedMachineCount) <= 1);
    assert.deepEqual(phases(members), { done: 22, waiting: 24, degraded: 7, updating: 1, draining: 5 });
    assert.equal(worker.maxUnavailable.nodes, 20);
    const degraded = members.find((n) => n.phase === 'degraded')!;
    const guidance = degradedGuidance(degraded)!;
    assert.match(guidance.waitingFor, /^The drain of \S+ to finish: a pod on it cannot be evicted, usually because a PodDisruptionBudget/);
    // Cordoned by the drain: a roll back would reach it only once it is schedulable, and would need a drain too.
    assert.match(guidance.waitingFor, /The node already has its pool's target rendered-worker-\w+3618ce1d, so the daemon keeps retrying that config; rolling the pool back gives the pool a new target, which the node controller hands to this node only once it is schedulable and ready again \(it is cordoned\)\.$/);
    assert.match(guidance.next, /`oc get pdb -A`.* Rolling back does not get past this: moving the node to any other OS image drains it too\.$/);
    // The node the daemon has not reached yet (no annotations, NotReady).
    const fresh = members.find((n) => n.state === 'Unknown')!;
    assert.deepEqual([fresh.phase, fresh.ready, fresh.notReadyReason], ['waiting', false, 'NotReady=False']);
  });

  it('on-cluster layering: up to date needs the MachineOSConfig\'s image; MachineOSBuilds in every state', () => {
    const file = 'on-cluster-layering-4.20.yaml';
    const store = snapshot({
      pools: ofKind(file, 'MachineConfigPool').map(slimPool),
      nodes: ofKind(file, 'Node').map(slimNode),
      mosc: ofKind(file, 'MachineOSConfig').map(slimMachineOSConfig),
      mosb: ofKind(file, 'MachineOSBuild').map(slimMachineOSBuild),
    });
    const status = clusterStatus(store);
    const byName = new Map(status.nodes.map((n) => [n.name, n]));
    assert.deepEqual([...byName.values()].map((n) => [n.name, n.phase, n.upToDate]), [
      ['w-done', 'done', true],
      ['w-first-time', 'waiting', false],
      ['w-old-image', 'waiting', false],
      ['w-rebasing', 'updating', false],
    ]);
    const worker = status.pools[0]!;
    assert.equal(membersOf('worker', status.nodes).filter((n) => n.upToDate).length, worker.updatedMachineCount);
    assert.deepEqual([worker.layered, worker.customImage, worker.rollBackable], [true, true, true]);
    assert.match(worker.osImageURL!, /os-image@sha256:4b1f/);
    assert.match(byName.get('w-rebasing')!.desiredImage!, /@sha256:4b1f/);
    const states = Object.fromEntries([...store.machineOSBuilds.values()].map((b) => [b.metadata.name.slice(0, 11), machineOSBuildState(b)]));
    assert.deepEqual(states, {
      'worker-b7e3': 'Succeeded', 'worker-5c2a': 'Succeeded',
      'infra-0a1b2': 'Pending', 'infra-1b2c3': 'Prepared', 'infra-2c3d4': 'Building', 'infra-3d4e5': 'Failed', 'infra-4e5f6': 'Interrupted',
    });
  });

  it('MachineConfigNode steps: draining, updating files and OS, rebooting, a failed drain, complete', () => {
    const progress = new Map(items('machineconfignodes-4.20.yaml').map(slimMachineConfigNode).map((m) => [m.metadata.name.slice(0, 12), updateProgress(m)!]));
    const current = (name: string) => progress.get(name)!.current!;
    assert.deepEqual([current('ip-10-0-1-11').label, current('ip-10-0-1-11').status, current('ip-10-0-1-11').at], ['draining', 'active', '2025-06-20T10:41:02Z']);
    assert.deepEqual(progress.get('ip-10-0-1-11')!.steps.map((s) => s.status), ['done', 'active', 'pending', 'pending', 'pending', 'pending', 'pending']);
    assert.deepEqual([current('ip-10-0-1-12').label, current('ip-10-0-1-12').status], ['updating files and OS', 'active']);
    assert.deepEqual([current('ip-10-0-1-13').label, current('ip-10-0-1-13').status], ['rebooting', 'active']);
    assert.deepEqual([current('ip-10-0-1-14').label, current('ip-10-0-1-14').status], ['draining', 'failed']);
    assert.match(current('ip-10-0-1-14').message, /^Error: Node Drain has not succeeded/);
    const done = progress.get('ip-10-0-1-15')!;
    assert.equal(done.complete, true);
    assert.deepEqual([done.current!.label, done.current!.at], ['complete', '2025-06-20T10:27:44Z']);
    assert.ok(done.steps.every((s) => s.status === 'done'));
    assert.equal(done.desiredConfig, 'rendered-worker-7d0c5f2b3c1e4a8f9b6d2e1f0a3c4b5d');
  });

  it('pool membership follows GetPoolsForNode: master wins, a custom pool beats worker, two custom pools is an error, empty selectors and Windows nodes match nothing', () => {
    const pool = (name: string, labels: Record<string, string> | undefined) => slimPool({ metadata: { name }, spec: labels === undefined ? {} : { nodeSelector: { matchLabels: labels } } });
    const pools = [pool('master', { 'node-role.kubernetes.io/master': '' }), pool('worker', { 'node-role.kubernetes.io/worker': '' }), pool('infra', { 'node-role.kubernetes.io/infra': '' }), pool('gpu', { 'node-role.kubernetes.io/gpu': '' }), pool('everything', {})];
    const node = (labels: string[], os = 'linux') => slimNode({ metadata: { name: 'n', labels: { 'kubernetes.io/os': os, ...Object.fromEntries(labels.map((l) => [`node-role.kubernetes.io/${l}`, ''])) } } });
    assert.deepEqual(poolsOfNode(node(['master', 'infra']), pools), ['master']);
    assert.deepEqual(poolsOfNode(node(['master', 'worker']), pools), ['master']);
    assert.deepEqual(poolsOfNode(node(['worker', 'infra']), pools), ['infra']);
    assert.deepEqual(poolsOfNode(node(['worker']), pools), ['worker']);
    assert.deepEqual(poolsOfNode(node(['worker', 'infra', 'gpu']), pools), ['infra', 'gpu']);
    assert.deepEqual(poolsOfNode(node(['worker'], 'windows'), pools), []);
    assert.deepEqual(poolsOfNode(node([]), pools), [], 'a pool with an empty nodeSelector matches no node');
    const store = snapshot({ pools, nodes: [node(['worker', 'infra', 'gpu']), slimNode({ metadata: { name: 'win', labels: { 'kubernetes.io/os': 'windows', 'node-role.kubernetes.io/worker': '' } } })] });
    const status = clusterStatus(store);
    assert.deepEqual(status.windowsNodes, ['win']);
    assert.deepEqual(status.nodes.map((n) => n.name), ['n']);
    assert.match(status.nodes[0]!.poolError!, /^node n belongs to 2 custom roles \(gpu, infra\), cannot proceed with this Node/);
    assert.equal(status.nodes[0]!.upToDate, false);
  });

  it('readiness as checkNodeReady: Ready, no DiskPressure, no NetworkUnavailable, schedulable; absent conditions do not count', () => {
    const pools = [slimPool({ metadata: { name: 'worker' }, spec: { nodeSelector: { matchLabels: { w: '' } } } })];
    const view = (conditions: Record<string, string>, unschedulable = false) => nodeView(
      slimNode({ metadata: { name: 'n', labels: { w: '' } }, spec: { unschedulable }, status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) } }), ['worker'], snapshot({ pools }),
    );
    assert.equal(view({ Ready: 'True', DiskPressure: 'False', NetworkUnavailable: 'False' }).ready, true);
    assert.equal(view({}).ready, true);
    assert.equal(view({ Ready: 'True', DiskPressure: 'True' }).notReadyReason, 'DiskPressure=True');
    assert.equal(view({ Ready: 'True', NetworkUnavailable: 'Unknown' }).notReadyReason, 'NetworkUnavailable=Unknown');
    assert.equal(view({ Ready: 'Unknown' }).notReadyReason, 'NotReady=Unknown');
    assert.deepEqual([view({ Ready: 'True' }, true).ready, view({ Ready: 'True' }, true).kubeletReady], [false, true]);
  });

  it('maxUnavailable as the node controller applies it: 0 is 1, percentages round down to at least 1', () => {
    const max = (value: string | number | undefined, machineCount = 5, name = 'worker') => effectiveMaxUnavailable({ maxUnavailable: value, machineCount, metadata: { name } as never });
    assert.equal(max(undefined).nodes, 1);
    assert.equal(max(0).nodes, 1);
    assert.equal(describeMaxUnavailable(max(0)), '1 at a time (maxUnavailable 0 counts as 1)');
    assert.equal(max('10%').nodes, 1);
    assert.equal(max('20%', 59).nodes, 11);
    assert.equal(describeMaxUnavailable(max('20%', 59)), '11 at a time (maxUnavailable 20%)');
    assert.equal(max(3).nodes, 3);
    assert.equal(max('x').nodes, undefined);
    assert.equal(max(4, 5, 'arbiter').nodes, 1);
    const store = snapshot({ pools: [slimPool({ metadata: { name: 'worker' }, spec: { maxUnavailable: 0, machineConfigSelector: { matchLabels: { [`${A}role`]: 'worker' } } }, status: { machineCount: 4 } })] });
    assert.equal(describeImpact(rolloutImpact({ [`${A}role`]: 'worker' }, store)), 'worker (4 nodes, 1 at a time (maxUnavailable 0 counts as 1))');
    assert.deepEqual(poolView(store.pools.get('worker')!, store).maxUnavailable, { nodes: 1, spec: 0 });
  });

  it('status --format json: every node says upToDate and phase; none is up to date while its desiredConfig is not the pool\'s target', () => {
    for (const name of ['4.14.1-workers-started-updating-multiple-pools', 'ocpbugs-60768', '4.16.0-ec2-control-plane-updated-pdb-prohibits-draining']) {
      const store = dump(name);
      const json = statusJson(clusterStatus(store));
      for (const node of json.nodes) {
        assert.equal(typeof node.upToDate, 'boolean');
        assert.ok(['waiting', 'updating', 'draining', 'rebooting', 'done', 'degraded', 'unreconcilable'].includes(node.phase), node.phase);
        const target = node.pools.length === 1 ? store.pools.get(node.pools[0]!)!.targetConfig : undefined;
        if (node.upToDate) assert.equal(node.desiredConfig, target, `${name}: ${node.name}`);
        if (node.desiredConfig !== target) assert.equal(node.upToDate, false, `${name}: ${node.name}`);
      }
    }
  });

  it('hosted control planes: OpenShift without MachineConfigPools is "not managed by the MCO", never "not OpenShift"', () => {
    const ok: ResourceStatus = { state: 'ok', synced: true, failures: 0 };
    const notServed: ResourceStatus = { state: 'notServed', synced: false, failures: 1, error: new ClusterRequestError('notServed', 'the server could not find the requested resource', { status: 404 }) };
    const statuses = (overrides: Partial<Record<ResourceId, ResourceStatus>>) => Object.fromEntries(RESOURCE_IDS.map((id) => [id, overrides[id] ?? ok])) as Record<ResourceId, ResourceStatus>;
    const target = { context: 'hcp', server: 'https://api.hcp.example:443', timeoutSeconds: 20 };
    const hosted = deriveHealth(statuses({ pools: notServed, machineConfigs: notServed, machineOSConfigs: notServed, machineOSBuilds: notServed, machineConfigNodes: notServed }), target);
    assert.equal(hosted.state, 'notMcoManaged');
    assert.equal(hosted.problem!.what, 'The nodes of https://api.hcp.example:443 are not managed by the Machine Config Operator');
    assert.match(hosted.problem!.why, /hosted control plane \(HyperShift, ROSA with HCP\)/);
    assert.match(hosted.problem!.next, /NodePool/);
    assert.doesNotMatch(JSON.stringify(hosted.problem), /not an OpenShift/);
    const waiting = deriveHealth(statuses({ pools: notServed, clusterVersion: { state: 'loading', synced: false, failures: 0 } }), target);
    assert.equal(waiting.state, 'connecting');
    const kube = deriveHealth(statuses({ pools: notServed, clusterVersion: notServed }), target);
    assert.equal(kube.state, 'notOpenShift');
  });
});
