// What the Cluster view's rows say at the moments that matter: a rollout (waiting / updating / done, the node being
// updated first), a degraded pool (Roll Back still on its menu), a lost connection (greyed, "as of"), one set of pool
// views for the tree and the status bar. Fed real object shapes from test/fixtures/cluster/.
import { strict as assert } from 'node:assert';
import type { SessionHealth } from '../../../src/core/cluster/health';
import { clockTime } from '../../../src/core/cluster/items/format';
import { slimMachineConfig, slimMachineConfigNode, slimMachineOSBuild, slimMachineOSConfig, slimNode, slimPool } from '../../../src/core/cluster/objects';
import { ClusterStore } from '../../../src/core/cluster/store';
import { ClusterTreeModel } from '../../../src/core/cluster/tree';
import { fixtureItems } from '../../helpers/fixtures';

const HEALTHY: SessionHealth = { state: 'connected', problem: undefined, resourceProblems: [], settled: true, retryAt: undefined };
const A = 'machineconfiguration.openshift.io/';

function items(file: string): Record<string, unknown>[] {
  return fixtureItems(`cluster/${file}`) as Record<string, unknown>[];
}

function load<K extends 'pools' | 'nodes' | 'machineConfigs' | 'machineOSConfigs' | 'machineOSBuilds' | 'machineConfigNodes'>(store: ClusterStore, resource: K, objects: { metadata: { name: string } }[]): void {
  store.apply(resource, { type: 'replace', items: new Map(objects.map((o) => [o.metadata.name, o])) as never });
}

function storeOf(name: string): ClusterStore {
  const store = new ClusterStore('admin', 'https://api.example.com:6443');
  load(store, 'pools', items(`${name}.pools.yaml`).map(slimPool));
  load(store, 'nodes', items(`${name}.nodes.yaml`).map(slimNode));
  return store;
}

function tree(store: ClusterStore, health: SessionHealth = HEALTHY, now = () => Date.UTC(2025, 5, 20, 10, 42, 7)): ClusterTreeModel {
  const model = new ClusterTreeModel(() => undefined, now);
  model.setState({ kind: 'session', context: 'admin', server: store.server, snapshot: store, health, warnings: [], timeoutSeconds: 20 });
  model.flush();
  return model;
}

describe('cluster tree rows at the bad moments', () => {
  it('during a rollout the node being updated comes first; waiting nodes say "waiting" with a clock, not a green check', () => {
    const model = tree(storeOf('4.14.1-workers-started-updating-multiple-pools'));
    const master = model.children(model.element('pool', 'master')).filter((e) => e.kind === 'node');
    const rows = master.map((e) => model.item(e));
    assert.equal(rows[0]!.label, 'ip-10-0-53-40.us-east-2.compute.internal', 'the node being drained first');
    assert.match(rows[0]!.description!, /^draining · → rendered-master-\w+ · SchedulingDisabled/);
    assert.equal(rows[0]!.icon!.id, 'arrow-circle-down');
    for (const row of rows.slice(1)) {
      assert.match(row.description!, /^waiting · not yet picked for rendered-master-/);
      assert.deepEqual(row.icon, { id: 'clock', color: 'charts.yellow' });
      assert.match(row.tooltip!, /waiting, done with an older config; the node controller has not picked it for the pool's target yet \(1 at a time\)/);
      assert.match(row.tooltip!, /\*\*Up to date\*\* no · \*\*MCO state\*\* Done/);
      assert.equal(row.contextValue, 'node waiting');
    }
    const pool = model.item(model.element('pool', 'master'));
    assert.match(pool.description!, /^Updating 0\/3/);
  });

  it('done nodes: a check on the base image, layers on a custom image; MachineConfigNode steps in the description and tooltip', () => {
    const store = new ClusterStore('admin', 'https://api.example.com:6443');
    const file = 'on-cluster-layering-4.20.yaml';
    const all = items(file);
    load(store, 'pools', all.filter((i) => i.kind === 'MachineConfigPool').map(slimPool));
    load(store, 'machineOSConfigs', all.filter((i) => i.kind === 'MachineOSConfig').map(slimMachineOSConfig));
    load(store, 'machineOSBuilds', all.filter((i) => i.kind === 'MachineOSBuild').map(slimMachineOSBuild));
    const nodes = all.filter((i) => i.kind === 'Node').map(slimNode);
    // The rebasing node's MachineConfigNode: the fixture's node at "updating files and OS", renamed.
    const mcn = items('machineconfignodes-4.20.yaml').map(slimMachineConfigNode).find((m) => m.metadata.name === 'ip-10-0-1-12.ec2.internal')!;
    load(store, 'nodes', nodes);
    load(store, 'machineConfigNodes', [{ ...mcn, metadata: { ...mcn.metadata, name: 'w-rebasing' } }]);
    const model = tree(store);
    const rows = new Map(model.children(model.element('pool', 'worker')).filter((e) => e.kind === 'node').map((e) => [e.name, model.item(e)]));
    assert.deepEqual([...rows.keys()], ['w-rebasing', 'w-first-time', 'w-old-image', 'w-done']);
    assert.deepEqual(rows.get('w-done')!.icon, { id: 'layers', color: 'testing.iconPassed' });
    assert.match(rows.get('w-done')!.description!, /^done · custom os-image@sha256:4b1f6c0e2d8a$/);
    const rebasing = rows.get('w-rebasing')!;
    assert.match(rebasing.description!, new RegExp(`^updating · custom os-image@sha256:9e8d7c6b5a4f · → os-image@sha256:4b1f6c0e2d8a · → rendered-worker-\\w+ · SchedulingDisabled · updating files and OS since ${clockTime(Date.parse('2025-06-20T10:40:31Z'))}$`));
    assert.match(rebasing.tooltip!, /\*\*Update \(MachineConfigNode\)\*\* to rendered\\-worker\\-7d0c/);
    assert.match(rebasing.tooltip!, /\$\(check\) prepared \d\d:\d\d:\d\d\n- \$\(check\) drained \d\d:\d\d:\d\d\n- \$\(sync\) updating files and OS since/);
    // A plain base-image pool's done node has a check.
    const base = new ClusterStore('admin', 'https://api.example.com:6443');
    load(base, 'pools', items('ocpbugs-60768.pools.yaml').map(slimPool));
    load(base, 'nodes', items('ocpbugs-60768.nodes.yaml').map(slimNode));
    const plain = tree(base);
    const worker = plain.children(plain.element('pool', 'worker')).filter((e) => e.kind === 'node').map((e) => plain.item(e));
    assert.ok(worker.every((row) => row.icon!.id === 'pass' && row.description === 'done'));
  });

  it('a degraded pool keeps Roll Back (its target is custom while it still runs the base image) and says what the MCO waits for', () => {
    const store = storeOf('ocpbugs-60768');
    const master = store.pools.get('master')!;
    const custom = `quay.io/example/layered@sha256:${'c'.repeat(64)}`;
    load(store, 'machineConfigs', [
      slimMachineConfig({ metadata: { name: master.targetConfig, resourceVersion: '1', annotations: { [`${A}generated-by-controller-version`]: 'x' } }, spec: { osImageURL: custom } }),
      slimMachineConfig({ metadata: { name: master.currentConfig, resourceVersion: '1', annotations: { [`${A}generated-by-controller-version`]: 'x' } }, spec: { osImageURL: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'b'.repeat(64)}` } }),
    ]);
    store.apply('osImageUrls', { type: 'replace', items: new Map([['machine-config-osimageurl', { baseOSContainerImage: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'b'.repeat(64)}`, baseOSExtensionsContainerImage: undefined, releaseVersion: '4.20.0' }]]) });
    const model = tree(store);
    const pool = model.item(model.element('pool', 'master'));
    assert.match(pool.description!, /^Degraded \(1 of 3\) · base image → custom image$/);
    assert.equal(pool.contextValue, 'pool running base rollback');
    assert.match(pool.tooltip!, /\*\*Updates\*\* 1 at a time/);
    const degraded = model.children(model.element('pool', 'master')).map((e) => model.item(e)).find((row) => row.contextValue === 'node degraded')!;
    assert.deepEqual(degraded.icon, { id: 'error', color: 'list.errorForeground' });
    // Its reason is a failed `podman pull` of the new OS image.
    assert.match(degraded.tooltip!, /\*\*The MCO is waiting for\*\* The OS image to be pulled and rebased onto; the daemon retries by itself\. The node already has its pool's target rendered-master-\w+, so the daemon keeps retrying that config; rolling the pool back gives the pool a new target, which the node controller hands to this node only once it is schedulable and ready again \(it is cordoned\)\./);
    assert.match(degraded.tooltip!, /\*\*Next\*\* Check that \S+ can pull the image named in the reason: the pull secret, the registry and its certificate \(`oc debug node\/\S+ -- chroot \/host rpm-ostree status`.*To give up on the image, roll the pool back, then `oc adm uncordon ci-op-pw3ghqzh-bb5c4-pdhfc-master-1` so the node controller can move the node to the rolled-back config\./);
  });

  it('a node still Degraded after a roll back says what the MCO waits for: cordoned, the node controller will not move it to the rolled-back config; schedulable, it will', () => {
    // The same dump after a roll back: the pool's target is a new rendered config, the failing node still wants the old one.
    const rolledBack = 'rendered-master-0b1e7a7d1c2b3a4f5e6d7c8b9a0f1e2d';
    const pools = items('ocpbugs-60768.pools.yaml').map((raw) => {
      const copy = structuredClone(raw) as { metadata: { name: string; resourceVersion: string }; spec: { configuration: { name: string } } };
      if (copy.metadata.name === 'master') Object.assign(copy, { metadata: { ...copy.metadata, resourceVersion: '200000' }, spec: { ...copy.spec, configuration: { ...copy.spec.configuration, name: rolledBack } } });
      return slimPool(copy);
    });
    const store = storeOf('ocpbugs-60768');
    load(store, 'pools', pools);
    const failing = 'ci-op-pw3ghqzh-bb5c4-pdhfc-master-1';
    const rowOf = (model: ClusterTreeModel) => model.children(model.element('pool', 'master')).map((e) => model.item(e)).find((row) => row.label === failing)!;
    const cordoned = rowOf(tree(store));
    assert.equal(cordoned.contextValue, 'node degraded');
    assert.match(cordoned.tooltip!, new RegExp(`Its pool now targets ${rolledBack} \\(after a roll back, say\\), but the node controller moves a node to a new config only when it is schedulable and ready, and this one is cordoned: it keeps retrying rendered-master-505a1e08a37430cbe1ee421928f810ec, and counts against maxUnavailable, which holds the rest of the pool as well\\.`));
    assert.match(cordoned.tooltip!, new RegExp(`\\*\\*Next\\*\\* To let the roll back reach it, \`oc adm uncordon ${failing}\`: the node controller then gives it ${rolledBack} and the daemon rebases onto that image instead`));
    // Uncordoned (and Ready), it counts as available: the node controller moves it to the pool's target by itself.
    const raw = items('ocpbugs-60768.nodes.yaml').find((n) => (n as { metadata: { name: string } }).metadata.name === failing)!;
    const uncordoned = structuredClone(raw) as { metadata: { resourceVersion: string }; spec?: { unschedulable?: boolean } };
    uncordoned.metadata.resourceVersion = '200001';
    uncordoned.spec = { ...uncordoned.spec, unschedulable: false };
    store.apply('nodes', { type: 'upsert', name: failing, object: slimNode(uncordoned), receivedAt: 0 });
    const ready = rowOf(tree(store));
    assert.match(ready.tooltip!, new RegExp(`Its pool now targets ${rolledBack}; the node controller moves this failing node there at its next sync \\(a failing node counts as available\\), and the daemon then applies that config instead\\.`));
    assert.doesNotMatch(ready.tooltip!, /oc adm uncordon/);
  });

  it('while the cluster cannot be read, pools and nodes are greyed out "as of" the moment it was lost; back to normal when it returns', () => {
    let now = Date.UTC(2025, 5, 20, 10, 42, 7);
    const store = storeOf('4.14.1-workers-started-updating-multiple-pools');
    const model = tree(store, HEALTHY, () => now);
    const nodeElement = model.children(model.element('pool', 'worker')).find((e) => e.kind === 'node')!;
    assert.equal(model.item(model.element('pool', 'worker')).icon!.id, 'sync~spin');
    const lost = now;
    now += 60_000;
    model.healthChanged({ ...HEALTHY, state: 'unreachable', problem: { what: 'Cannot reach the cluster', why: 'ECONNREFUSED', next: 'Retry' }, retryAt: now + 4000 });
    now += 60_000;
    const pool = model.item(model.element('pool', 'worker'));
    assert.match(pool.description!, new RegExp(`^as of ${clockTime(lost + 60_000)} · Updating 0/3`));
    assert.deepEqual(pool.icon, { id: 'sync', color: 'disabledForeground' });
    assert.match(pool.tooltip!, /^_Last known state, as of \d\d:\d\d:\d\d: the cluster cannot be read right now\._/);
    const node = model.item(nodeElement);
    assert.match(node.description!, /^as of \d\d:\d\d:\d\d · /);
    assert.equal(node.icon!.color, 'disabledForeground');
    assert.equal(model.staleAsOf('nodes'), lost + 60_000);
    model.healthChanged(HEALTHY);
    assert.equal(model.staleAsOf('pools'), undefined);
    assert.doesNotMatch(model.item(model.element('pool', 'worker')).description!, /as of/);
  });

  it('one source of truth: the status bar\'s views are the tree\'s, announced at the refresh that shows them', () => {
    const store = storeOf('4.14.1-workers-started-updating-multiple-pools');
    const model = tree(store);
    let announced = 0;
    model.onDidChangeViews(() => announced++);
    const views = model.poolViews();
    assert.equal(model.poolViews()[0], views[0], 'the same objects until something changes');
    // A node event changes no pool view: nothing to announce.
    const node = items('4.14.1-workers-started-updating-multiple-pools.nodes.yaml')[0]!;
    model.itemsChanged(store.apply('nodes', { type: 'upsert', name: (node.metadata as { name: string }).name, object: slimNode({ ...node, metadata: { ...(node.metadata as object), resourceVersion: '99999' } }), receivedAt: 0 }));
    model.flush();
    assert.equal(announced, 0);
    // The pool's counts change: announced at the next refresh, and the tree's row reads the same view.
    const worker = items('4.14.1-workers-started-updating-multiple-pools.pools.yaml').find((p) => (p.metadata as { name: string }).name === 'worker')!;
    const status = { ...(worker.status as object), updatedMachineCount: 1 };
    model.itemsChanged(store.apply('pools', { type: 'upsert', name: 'worker', object: slimPool({ ...worker, status, metadata: { ...(worker.metadata as object), resourceVersion: '99999' } }), receivedAt: 0 }));
    assert.equal(announced, 0, 'not before the refresh');
    model.flush();
    assert.equal(announced, 1);
    const view = model.poolViews().find((v) => v.name === 'worker')!;
    assert.equal(view.updatedMachineCount, 1);
    assert.match(model.item(model.element('pool', 'worker')).description!, /^Updating 1\/3/);
  });

  it('a MachineOSConfig\'s tooltip says each condition once (no "Ready Ready")', () => {
    const store = storeOf('ocpbugs-60768');
    load(store, 'machineOSConfigs', [slimMachineOSConfig({ metadata: { name: 'worker', resourceVersion: '1' }, spec: { machineConfigPool: { name: 'worker' } }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '' }] } })]);
    const model = tree(store);
    const tooltip = model.item(model.element('machineOSConfig', 'worker', 'worker')).tooltip!;
    assert.match(tooltip, /\*\*Ready\*\* True$/);
    assert.doesNotMatch(tooltip, /Ready\W+Ready/);
  });
});
