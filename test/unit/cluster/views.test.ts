import { strict as assert } from 'node:assert';
import { baseImageEdit } from '../../../src/core/cluster/baseImageEdit';
import type { SessionHealth } from '../../../src/core/cluster/health';
import { findApplicableObjects } from '../../../src/core/cluster/machineConfigYaml';
import {
  PoolTransitionTracker, clusterStatus, describeImpact, machineOSBuildState, poolView, rolloutImpact, rolloutSummary,
} from '../../../src/core/cluster/model';
import { slimMachineConfig, slimMachineOSBuild, slimMachineOSConfig, slimNode, slimPool, type PoolObject } from '../../../src/core/cluster/objects';
import { nodeTable, poolTable, statusJson, statusText } from '../../../src/core/cluster/statusFormat';
import { ClusterStore } from '../../../src/core/cluster/store';
import { shortImage } from '../../../src/core/image/reference';
import { ClusterTreeModel, type TreeElement } from '../../../src/core/cluster/tree';
import { nodeVerificationCommands, poolVerificationCommands, selectorArgument, shellQuote } from '../../../src/core/cluster/verify';

const BASE = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'b'.repeat(64)}`;
const CUSTOM = `registry.example.com/layered@sha256:${'c'.repeat(64)}`;
const A = 'machineconfiguration.openshift.io/';

function pool(name: string, options: { updated?: number; machines?: number; updating?: boolean; degraded?: boolean; paused?: boolean; rendered?: string; target?: string; sources?: string[]; selector?: Record<string, string> } = {}): PoolObject {
  const machines = options.machines ?? 3;
  return slimPool({
    metadata: { name, resourceVersion: '1' },
    spec: {
      paused: options.paused ?? false,
      nodeSelector: { matchLabels: options.selector ?? { [`node-role.kubernetes.io/${name}`]: '' } },
      machineConfigSelector: { matchExpressions: [{ key: `${A}role`, operator: 'In', values: name === 'worker' || name === 'master' ? [name] : ['worker', name] }] },
      configuration: { name: options.target ?? options.rendered ?? `rendered-${name}-1`, source: (options.sources ?? [`00-${name}`]).map((n) => ({ name: n })) },
    },
    status: {
      configuration: { name: options.rendered ?? `rendered-${name}-1` },
      machineCount: machines, readyMachineCount: options.updated ?? machines, updatedMachineCount: options.updated ?? machines, degradedMachineCount: options.degraded ? 1 : 0,
      conditions: [
        { type: 'Updated', status: options.updating || options.degraded ? 'False' : 'True' },
        { type: 'Updating', status: options.updating ? 'True' : 'False', message: options.updating ? `All nodes are updating to ${options.target}` : '' },
        { type: 'Degraded', status: options.degraded ? 'True' : 'False' },
        { type: 'NodeDegraded', status: options.degraded ? 'True' : 'False', message: options.degraded ? 'Node w1 is reporting: "failed to drain node"' : '' },
      ],
    },
  });
}

function snapshotOf(pools: PoolObject[], extra: Partial<Record<'nodes' | 'mcs', unknown[]>> = {}): ClusterStore {
  const store = new ClusterStore('admin', 'https://api.example.com:6443');
  store.apply('pools', { type: 'replace', items: new Map(pools.map((p) => [p.metadata.name, p])) });
  store.apply('nodes', { type: 'replace', items: new Map((extra.nodes ?? []).map((n) => slimNode(n)).map((n) => [n.metadata.name, n])) });
  store.apply('machineConfigs', { type: 'replace', items: new Map((extra.mcs ?? []).map((m) => slimMachineConfig(m)).map((m) => [m.metadata.name, m])) });
  store.apply('osImageUrls', { type: 'replace', items: new Map([['machine-config-osimageurl', { baseOSContainerImage: BASE, baseOSExtensionsContainerImage: undefined, releaseVersion: '4.18.1' }]]) });
  store.apply('clusterVersion', { type: 'replace', items: new Map([['version', { version: '4.18.1', progressing: false }]]) });
  return store;
}

function node(name: string, role: string, annotations: Record<string, string> = {}, options: { ready?: boolean; unschedulable?: boolean } = {}): Record<string, unknown> {
  return {
    metadata: {
      name, resourceVersion: '1', labels: { [`node-role.kubernetes.io/${role}`]: '', ...(role !== 'master' ? { 'node-role.kubernetes.io/worker': '' } : {}) },
      annotations: { [`${A}currentConfig`]: `rendered-${role}-1`, [`${A}desiredConfig`]: `rendered-${role}-1`, [`${A}state`]: 'Done', ...annotations },
    },
    spec: { unschedulable: options.unschedulable ?? false },
    status: { conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}

const HEALTHY: SessionHealth = { state: 'connected', problem: undefined, resourceProblems: [], settled: true, retryAt: undefined };

describe('cluster views: status output, rollouts, verification commands, YAML and tree', () => {
  it('status JSON has the contract keys in order and null for unknowns; text is oc-like tables', () => {
    const store = snapshotOf([pool('worker', { rendered: 'rendered-worker-1' }), pool('master')], {
      nodes: [node('w1', 'worker'), node('m1', 'master', {}, { unschedulable: true })],
      mcs: [{ metadata: { name: 'rendered-worker-1', annotations: { [`${A}generated-by-controller-version`]: 'x' } }, spec: { osImageURL: CUSTOM } }],
    });
    const json = statusJson(clusterStatus(store));
    assert.deepEqual(Object.keys(json), ['context', 'server', 'baseImage', 'pools', 'nodes']);
    assert.deepEqual(json.pools.map((p) => [p.name, p.osImageURL, p.customImage, p.renderedConfig]), [['master', null, false, 'rendered-master-1'], ['worker', CUSTOM, true, 'rendered-worker-1']]);
    assert.deepEqual(json.nodes.map((n) => [n.name, n.pools, n.schedulable, n.osImageURL]), [['m1', ['master'], false, null], ['w1', ['worker'], true, CUSTOM]]);
    assert.deepEqual(Object.keys(json.nodes[0]!), ['name', 'pools', 'state', 'ready', 'schedulable', 'currentConfig', 'desiredConfig', 'osImageURL', 'reason', 'upToDate', 'phase', 'poolError', 'progress']);
    assert.deepEqual(json.nodes.map((n) => [n.upToDate, n.phase, n.ready, n.poolError, n.progress]), [[true, 'done', false, null, null], [true, 'done', true, null, null]]);
    const text = statusText(clusterStatus(store));
    assert.match(text, /^Context:\s{4}admin\nServer:\s{5}https:\/\/api\.example\.com:6443\nOpenShift:\s{2}4\.18\.1\nBase image: quay/);
    const pools = poolTable(clusterStatus(store).pools).split('\n');
    assert.match(pools[2]!, /^worker   rendered-worker-1   True      False      False      3 .*False    custom registry\.example\.com\/layered@sha256:c{64}$/);
    assert.match(pools[1]!, /\s+unknown$/, 'master\'s rendered config is not in the store: image unknown');
    const nodes = nodeTable(clusterStatus(store).nodes).split('\n');
    assert.match(nodes[0]!, /^NODE\s+POOLS\s+PHASE\s+UPTODATE\s+STATE\s+STATUS\s+CURRENT\s+DESIRED\s+IMAGE\s+STEP\s+REASON$/);
    assert.match(nodes[1]!, /^m1\s+master\s+done\s+True\s+Done\s+Ready,SchedulingDisabled\s+rendered-master-1\s+=\s+unknown\s+-$/);
  });

  it('rollout summary, pool transitions (done / degraded, not on first sight) and what an apply touches', () => {
    const updating = snapshotOf([pool('worker', { updating: true, updated: 2, machines: 5, target: 'rendered-worker-2' }), pool('infra', { machines: 2 }), pool('master')]);
    const views = [...updating.pools.values()].map((p) => poolView(p, updating));
    assert.equal(rolloutSummary(views), 'worker 2/5 updated');
    updating.apply('machineConfigs', { type: 'replace', items: new Map([
      ['rendered-worker-1', slimMachineConfig({ metadata: { name: 'rendered-worker-1', resourceVersion: '1' }, spec: { osImageURL: BASE } })],
      ['rendered-worker-2', slimMachineConfig({ metadata: { name: 'rendered-worker-2', resourceVersion: '1' }, spec: { osImageURL: CUSTOM } })],
    ]) });
    const tree = new ClusterTreeModel(() => undefined);
    tree.setState({ kind: 'session', context: 'admin', server: updating.server, snapshot: updating, health: HEALTHY, warnings: [], timeoutSeconds: 20 });
    assert.equal(tree.item(tree.element('pool', 'worker')).description, 'Updating 2/5 · base image → custom image');
    const tracker = new PoolTransitionTracker();
    assert.deepEqual(tracker.update(views), []);
    const done = snapshotOf([pool('worker', { machines: 5, rendered: 'rendered-worker-2' }), pool('infra', { machines: 2, degraded: true }), pool('master')]);
    const after = [...done.pools.values()].map((p) => poolView(p, done));
    assert.equal(rolloutSummary(after), undefined, 'degraded with every node updated: nothing rolls out');
    assert.deepEqual(tracker.update(after).map((t) => `${t.pool} ${t.from}->${t.to}`).sort(), ['infra updated->degraded', 'worker updating->updated']);
    assert.deepEqual(tracker.update(after), []);
    const impact = rolloutImpact({ [`${A}role`]: 'worker' }, updating);
    assert.deepEqual(impact.pools.map((p) => p.name), ['infra', 'worker'], 'a worker MachineConfig reaches custom pools too');
    assert.equal(impact.nodeCount, 7);
    assert.equal(describeImpact(impact), 'infra (2 nodes, 1 at a time), worker (5 nodes, 1 at a time)');
    assert.deepEqual(rolloutImpact({ [`${A}role`]: 'infra' }, updating).pools.map((p) => p.name), ['infra']);
  });

  it('MachineOSBuild states from conditions; on-cluster layering makes the pool\'s image the built one', () => {
    const build = (conditions: Record<string, string>) => slimMachineOSBuild({ metadata: { name: 'b' }, status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) } });
    assert.equal(machineOSBuildState(build({ Prepared: 'True', Building: 'True' })), 'Building');
    assert.equal(machineOSBuildState(build({ Building: 'False', Succeeded: 'True' })), 'Succeeded');
    assert.equal(machineOSBuildState(build({ Failed: 'True', Building: 'False' })), 'Failed');
    assert.equal(machineOSBuildState(build({})), 'Pending');
    const store = snapshotOf([pool('worker')]);
    store.apply('machineOSConfigs', { type: 'upsert', name: 'worker', receivedAt: 0, object: slimMachineOSConfig({ metadata: { name: 'worker', resourceVersion: '1' }, spec: { machineConfigPool: { name: 'worker' } }, status: { currentImagePullSpec: CUSTOM } }) });
    const view = poolView(store.pools.get('worker')!, store);
    assert.deepEqual([view.osImageURL, view.customImage], [CUSTOM, true]);
  });

  it('verification commands for a pool and a node', () => {
    const store = snapshotOf([pool('worker', { rendered: 'rendered-worker-1' })], { nodes: [node('ip-10-0-1-2', 'worker', { [`${A}desiredConfig`]: 'rendered-worker-2' })] });
    assert.deepEqual(poolVerificationCommands('worker', store), [
      'oc --context admin get mcp worker',
      'oc --context admin get nodes -l node-role.kubernetes.io/worker=',
      'oc --context admin describe mc rendered-worker-1',
      'oc --context admin debug node/ip-10-0-1-2 -- chroot /host rpm-ostree status',
    ]);
    assert.deepEqual(nodeVerificationCommands('ip-10-0-1-2', store), [
      'oc --context admin get node ip-10-0-1-2 -o wide',
      'oc --context admin get mcp worker',
      'oc --context admin describe mc rendered-worker-1',
      'oc --context admin describe mc rendered-worker-2',
      'oc --context admin debug node/ip-10-0-1-2 -- chroot /host rpm-ostree status',
    ]);
    assert.equal(selectorArgument({ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['d', 'e'] }, { key: 'f', operator: 'DoesNotExist' }] }), 'a=b,c in (d,e),!f');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('default/api-example-com:6443/kube:admin'), 'default/api-example-com:6443/kube:admin');
  });

  it('finds MachineConfigs and MachineOSConfigs in multi-document YAML (YAML 1.1: 0644 is octal), with their line, pool and problems', () => {
    const text = [
      '# generated',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: x}',
      '---',
      'apiVersion: machineconfiguration.openshift.io/v1',
      'kind: MachineConfig',
      'metadata:',
      '  name: 99-worker-layered',
      '  labels:',
      '    machineconfiguration.openshift.io/role: worker',
      'spec:',
      '  osImageURL: quay.io/x@sha256:1',
      '  config: {ignition: {version: 3.2.0}, storage: {files: [{path: /etc/x, mode: 0644}]}}',
      '---',
      'kind: MachineConfig',
      'apiVersion: v1',
      'metadata: {}',
      '---',
      'apiVersion: machineconfiguration.openshift.io/v1',
      'kind: MachineOSConfig',
      'metadata: {name: infra}',
      'spec: {machineConfigPool: {name: infra}}',
      '---',
      'apiVersion: machineconfiguration.openshift.io/v1',
      'kind: MachineOSConfig',
      'metadata: {name: worker}',
    ].join('\n');
    const found = findApplicableObjects(text);
    assert.deepEqual(found.map((d) => [d.kind, d.index, d.line, d.name, d.pool, d.errors]), [
      ['MachineConfig', 1, 5, '99-worker-layered', undefined, []],
      ['MachineConfig', 2, 15, undefined, undefined, ['metadata.name is missing', 'apiVersion is "v1", not machineconfiguration.openshift.io/v1']],
      ['MachineOSConfig', 3, 19, 'infra', 'infra', []],
      ['MachineOSConfig', 4, 24, 'worker', undefined, ['spec.machineConfigPool.name is missing']],
    ]);
    assert.deepEqual(found[0]!.labels, { [`${A}role`]: 'worker' });
    const files = ((found[0]!.object.spec as Record<string, unknown>).config as { storage: { files: { mode: number }[] } }).storage.files;
    assert.equal(files[0]!.mode, 420);
  });

  it('"use as FROM" rewrites the FROM the final stage builds on, or adds one', () => {
    const text = 'ARG X=1\nFROM quay.io/old/rhcos:4.17 AS builder\nRUN true\nFROM builder AS final\nRUN echo hi\n';
    const { edit, replaced } = baseImageEdit(text, BASE);
    assert.equal(replaced, 'quay.io/old/rhcos:4.17');
    assert.deepEqual(edit.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 27 } });
    const variable = baseImageEdit('ARG BASE=quay.io/a:1\nFROM ${BASE}\n', BASE);
    assert.deepEqual(variable.variables, ['BASE']);
    const empty = baseImageEdit('# nothing yet\n', BASE);
    assert.equal(empty.edit.newText, `FROM ${BASE}\n`);
    assert.equal(shortImage(BASE, { name: 'last' }), `ocp-v4.0-art-dev@sha256:${'b'.repeat(12)}`);
  });

  it('tree: per-item refresh for a node change, pool refresh when membership changes, whole tree for a new pool', async () => {
    const store = snapshotOf([pool('worker'), pool('infra')], { nodes: [node('w1', 'worker'), node('w2', 'worker'), node('i1', 'infra')] });
    const model = new ClusterTreeModel((flush) => setImmediate(flush));
    const fired: (readonly TreeElement[] | undefined)[] = [];
    model.onDidChange((e) => fired.push(e));
    model.setState({ kind: 'session', context: 'admin', server: store.server, snapshot: store, health: HEALTHY, warnings: [], timeoutSeconds: 20 });
    const root = model.children()[0]!;
    assert.deepEqual(model.children(root).map((e) => e.id), ['base-image', 'pool:infra', 'pool:worker']);
    assert.deepEqual(model.children(model.element('pool', 'worker')).map((e) => e.id), ['mcs:worker', 'node:worker/w1', 'node:worker/w2']);
    assert.deepEqual(model.children(model.element('pool', 'infra')).map((e) => e.id), ['mcs:infra', 'node:infra/i1']);
    await new Promise((resolve) => setImmediate(resolve));
    fired.length = 0;
    const changes = (name: string, n: Record<string, unknown>) => store.apply('nodes', { type: 'upsert', name, object: slimNode(n), receivedAt: performance.now() });
    const version = (n: Record<string, unknown>, resourceVersion: string) => ({ ...n, metadata: { ...(n.metadata as object), resourceVersion } });
    // A change that keeps the node's phase refreshes that node only.
    model.itemsChanged(changes('w2', version(node('w2', 'worker', {}, { unschedulable: true }), '2')));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fired.map((b) => b?.map((e) => e.id)), [['node:worker/w2']]);
    assert.match(model.item(model.element('node', 'w2', 'worker')).description ?? '', /^done · SchedulingDisabled$/);
    assert.ok(model.lastFlush!.oldestEventAt! <= model.lastFlush!.at);
    // w2 starts updating: it moves to the top of its pool, so the pool refreshes.
    fired.length = 0;
    model.itemsChanged(changes('w2', version(node('w2', 'worker', { [`${A}state`]: 'Working', [`${A}desiredConfig`]: 'rendered-worker-2' }, { unschedulable: true }), '3')));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fired.map((b) => b?.map((e) => e.id)), [['pool:worker']]);
    assert.deepEqual(model.children(model.element('pool', 'worker')).map((e) => e.id), ['mcs:worker', 'node:worker/w2', 'node:worker/w1']);
    assert.match(model.item(model.element('node', 'w2', 'worker')).description ?? '', /^updating · → rendered-worker-2 · SchedulingDisabled$/);
    assert.equal(model.item(model.element('node', 'w2', 'worker')).icon?.id, 'sync~spin');
    // w2 moves to infra: both pools refresh (their children change).
    fired.length = 0;
    const moved = node('w2', 'infra');
    (moved.metadata as { resourceVersion: string }).resourceVersion = '4';
    model.itemsChanged(changes('w2', moved));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fired.map((b) => b?.map((e) => e.id).sort()), [['pool:infra', 'pool:worker']]);
    assert.deepEqual(model.children(model.element('pool', 'infra')).map((e) => e.id), ['mcs:infra', 'node:infra/i1', 'node:infra/w2']);
    // A new pool: the whole tree.
    fired.length = 0;
    model.itemsChanged(store.apply('pools', { type: 'upsert', name: 'gpu', object: pool('gpu'), receivedAt: 0 }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fired, [undefined]);
  });

  it('tree: problems and messages (kubeconfig, unreachable with the data kept, forbidden type, connecting)', () => {
    const store = snapshotOf([pool('worker')], { nodes: [node('w1', 'worker')] });
    const model = new ClusterTreeModel(() => undefined);
    model.setState({ kind: 'noKubeconfig', problem: { what: 'No kubeconfig found', why: 'none', next: 'oc login' } });
    assert.deepEqual(model.children(), [], 'the welcome view shows instead');
    model.setState({ kind: 'problem', problem: { what: 'Kubernetes context x not found', why: 'no such context', next: 'Pick another' }, warnings: [] });
    const problem = model.children()[0]!;
    assert.equal(model.item(problem).label, 'Kubernetes context x not found');
    assert.deepEqual(model.children(problem).map((e) => model.item(e).label), ['no such context', 'Pick another']);
    const unreachable: SessionHealth = { ...HEALTHY, state: 'unreachable', problem: { what: 'Cannot reach the cluster', why: 'ECONNREFUSED', next: 'Retry' }, retryAt: Date.now() + 4000 };
    model.setState({ kind: 'session', context: 'admin', server: store.server, snapshot: store, health: unreachable, warnings: [], timeoutSeconds: 20 });
    const rootChildren = model.children(model.children()[0]);
    assert.deepEqual(rootChildren.map((e) => e.id), ['problem:cluster', 'base-image', 'pool:worker']);
    assert.equal(model.item(rootChildren[0]!).contextValue, 'problem retry');
    assert.equal(model.item(model.children()[0]!).icon?.id, 'error');
    model.setState({ kind: 'session', context: 'admin', server: store.server, snapshot: new ClusterStore('admin', store.server), health: { ...HEALTHY, state: 'connecting', settled: false }, warnings: [], timeoutSeconds: 20 });
    const connecting = model.children(model.children()[0]);
    assert.match(model.item(connecting[0]!).label, /^Connecting to api\.example\.com:6443…$/);
    assert.equal(model.item(connecting[0]!).description, 'gives up after 20 s');
  });
});
