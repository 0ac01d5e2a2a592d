// The cluster explorer's core against the OpenShift API simulator over HTTPS: connecting, a complete snapshot, the
// live rollout seen through the store and the tree model, writes (dry run, apply, replace, roll back, pause), and the
// tree saying what is wrong (403 on one type, 401 mid-session, not OpenShift) while it keeps what it knows.
import { strict as assert } from 'node:assert';
import { clusterStatus, nodeView, poolView, poolsOfNode } from '../../src/core/cluster/model';
import { ClusterTreeModel, type TreeElement } from '../../src/core/cluster/tree';
import type { ClusterSession } from '../../src/core/cluster/session';
import type { StoreChange } from '../../src/core/cluster/store';
import { ANN, startSimulator, type Simulator } from '../simulator/index';
import { CUSTOM_IMAGE, layeringMachineConfig, openTestSession } from './helpers/cluster';

/** A tree model over a session, as the explorer wires it, with every element expanded. */
function treeOver(session: ClusterSession, timeoutSeconds = 5): { model: ClusterTreeModel; fired: (readonly TreeElement[] | undefined)[]; expandAll: () => TreeElement[] } {
  const model = new ClusterTreeModel((flush) => setImmediate(flush));
  const fired: (readonly TreeElement[] | undefined)[] = [];
  // As VS Code does: after a whole-tree refresh it asks for the (expanded) children again.
  model.onDidChange((elements) => {
    fired.push(elements);
    if (!elements) expandAll();
  });
  model.setState({ kind: 'session', context: session.context, server: session.server, snapshot: session.store, health: session.health, warnings: [], timeoutSeconds });
  session.onChange((changes) => model.itemsChanged(changes));
  session.onHealth((health) => model.healthChanged(health));
  function expandAll(): TreeElement[] {
    const all: TreeElement[] = [];
    const walk = (element?: TreeElement): void => {
      for (const child of model.children(element)) {
        all.push(child);
        walk(child);
      }
    };
    walk();
    return all;
  }
  return { model, fired, expandAll };
}

describe('cluster explorer against the simulator', function () {
  this.timeout(60000);

  describe('connect, snapshot, live rollout and writes (admin)', () => {
    let sim: Simulator;
    let session: ClusterSession;

    before(async () => {
      sim = await startSimulator({ nodes: 10, pools: [{ name: 'worker', maxUnavailable: 2 }, { name: 'infra', nodes: 2 }], stepMs: 15, bookmarkMs: 300, seed: 'cluster-explorer' });
      session = await openTestSession(sim);
      await session.settled();
    });
    after(async () => {
      await session?.dispose();
      await sim?.stop();
    });

    it('connects and holds a complete, slim snapshot: pools, nodes, MachineConfigs, base image, version', () => {
      assert.equal(session.health.state, 'connected');
      assert.deepEqual(session.health.resourceProblems, []);
      const status = clusterStatus(session.store);
      assert.deepEqual(status.pools.map((p) => `${p.name} ${p.summary}`), ['infra Updated 2/2', 'master Updated 3/3', 'worker Updated 5/5']);
      assert.equal(status.nodes.length, 10);
      assert.equal(status.baseImage, sim.get('configmaps', 'machine-config-osimageurl', 'openshift-machine-config-operator')!.data.baseOSContainerImage);
      assert.match(status.version ?? '', /^4\.18\.\d+$/);
      assert.equal(session.store.machineConfigs.size, sim.list('machineconfigs').length);
      assert.ok(status.pools.every((p) => !p.customImage && p.osImageURL === status.baseImage));
      const infraNode = status.nodes.find((n) => n.pools.includes('infra'))!;
      assert.deepEqual(infraNode.pools, ['infra'], 'an infra node matches worker\'s selector too but belongs to infra only');
      const serialized = JSON.stringify([...session.store.nodes.values()]);
      assert.ok(!serialized.includes('managedFields') && !serialized.includes('k8s.ovn.org'), 'managedFields and non-MCO annotations are dropped');
      // MachineOSConfig/Build are served on 4.18 (empty); no problem reported for them.
      assert.equal(session.statuses.machineOSConfigs.state, 'ok');
    });

    it('a server-side dry run changes nothing: create, delete and pause', async () => {
      const before = sim.pool('worker')!.spec.configuration.name;
      const created = await session.createMachineConfig(layeringMachineConfig('99-worker-dry'), { dryRun: true });
      assert.ok(created.ok, JSON.stringify(!created.ok && created.problem));
      const deleted = await session.deleteMachineConfig('99-worker-ssh', { dryRun: true });
      assert.ok(deleted.ok, JSON.stringify(!deleted.ok && deleted.problem));
      const paused = await session.setPoolPaused('worker', true, { dryRun: true });
      assert.ok(paused.ok);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(sim.get('machineconfigs', '99-worker-dry'), undefined);
      assert.ok(sim.get('machineconfigs', '99-worker-ssh'));
      assert.equal(sim.pool('worker')!.spec.paused ?? false, false);
      assert.equal(sim.pool('worker')!.spec.configuration.name, before);
      assert.equal(session.store.machineConfigs.has('99-worker-dry'), false);
    });

    it('refuses an invalid MachineConfig in the dry run with the server\'s reasons', async () => {
      const bad = { ...layeringMachineConfig('99-worker-bad'), spec: { osImageURL: CUSTOM_IMAGE, kernelTyp: 'realtime' } };
      const result = await session.createMachineConfig(bad, { dryRun: true });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.kind, 'invalid');
      assert.match(result.problem.what, /refused to dry-run create MachineConfig 99-worker-bad/);
      assert.match(result.problem.why, /kernelTyp/);
      assert.equal(sim.get('machineconfigs', '99-worker-bad'), undefined);
    });

    it('applies a MachineConfig and follows the rollout live: Updating, cordoned, Rebooting, Done, Updated, custom image', async () => {
      const tree = treeOver(session);
      tree.expandAll();
      await new Promise((resolve) => setImmediate(resolve));
      const seen = { updating: false, cordonedWorking: false, rebooting: false, notReady: false, nodeItemFired: false };
      const workers = new Set(sim.nodesOf('worker').map((n) => n.metadata.name));
      const off = session.onChange((changes: readonly StoreChange[]) => {
        const store = session.store;
        const worker = store.pools.get('worker');
        if (worker && poolView(worker, store).updating) seen.updating = true;
        for (const change of changes) {
          if (change.resource !== 'nodes' || !workers.has(change.name)) continue;
          const node = store.nodes.get(change.name);
          if (!node) continue;
          const view = nodeView(node, poolsOfNode(node, store.pools.values()), store);
          if (view.state === 'Working' && !view.schedulable) seen.cordonedWorking = true;
          if (view.state === 'Rebooting') seen.rebooting = true;
          if (!view.ready) seen.notReady = true;
        }
      });
      tree.model.onDidChange((elements) => {
        if (elements?.some((e) => e.kind === 'node' && workers.has(e.name))) seen.nodeItemFired = true;
      });
      const dryRun = await session.createMachineConfig(layeringMachineConfig('99-worker-layered'), { dryRun: true });
      assert.ok(dryRun.ok);
      const created = await session.createMachineConfig(layeringMachineConfig('99-worker-layered'));
      assert.ok(created.ok, JSON.stringify(!created.ok && created.problem));
      await session.waitFor(() => {
        const store = session.store;
        const views = ['worker', 'infra'].map((name) => poolView(store.pools.get(name)!, store));
        return views.every((v) => v.updated && v.customImage && v.osImageURL === CUSTOM_IMAGE && v.updatedMachineCount === v.machineCount);
      }, 40000, 'worker and infra to run the custom image');
      off();
      assert.deepEqual(seen, { updating: true, cordonedWorking: true, rebooting: true, notReady: true, nodeItemFired: true });
      const status = clusterStatus(session.store);
      const workerPool = status.pools.find((p) => p.name === 'worker')!;
      for (const node of status.nodes.filter((n) => n.pools.includes('worker'))) {
        assert.deepEqual({ state: node.state, ready: node.ready, schedulable: node.schedulable, current: node.currentConfig, image: node.osImageURL, custom: node.customImage },
          { state: 'Done', ready: true, schedulable: true, current: workerPool.renderedConfig, image: CUSTOM_IMAGE, custom: true });
      }
      // The tree marks the MachineConfig that sets osImageURL and says "custom image" on the pool.
      const poolItem = tree.model.item(tree.model.element('pool', 'worker'));
      assert.match(poolItem.description ?? '', /^Updated 5\/5 · custom image/);
      assert.match(poolItem.contextValue, /\bcustom\b/);
      tree.expandAll();
      const mcItem = tree.model.item(tree.model.element('machineConfig', '99-worker-layered', 'worker'));
      assert.match(mcItem.description ?? '', /osImageURL rhcos-layered@sha256:cccccccccccc/);
      assert.equal(mcItem.icon?.id, 'star-full');
    });

    it('replaces an existing MachineConfig only on request: create says conflict, replace (dry run first) works', async () => {
      const again = await session.createMachineConfig(layeringMachineConfig('99-worker-layered'), { dryRun: true });
      assert.equal(again.ok, false);
      assert.equal(!again.ok && again.kind, 'conflict');
      const other = `quay.io/example/rhcos-layered@sha256:${'d'.repeat(64)}`;
      const dry = await session.replaceMachineConfig(layeringMachineConfig('99-worker-layered', other), { dryRun: true });
      assert.ok(dry.ok, JSON.stringify(!dry.ok && dry.problem));
      assert.equal(sim.get('machineconfigs', '99-worker-layered')!.spec.osImageURL, CUSTOM_IMAGE, 'the dry run replaced nothing');
      const replaced = await session.replaceMachineConfig(layeringMachineConfig('99-worker-layered', other));
      assert.ok(replaced.ok);
      await session.waitFor(() => session.store.machineConfigs.get('99-worker-layered')?.osImageURL === other, 5000, 'the replaced MachineConfig');
      await session.waitFor(() => {
        const v = poolView(session.store.pools.get('worker')!, session.store);
        return v.updated && v.osImageURL === other;
      }, 40000, 'worker on the replaced image');
    });

    it('rolls back by deleting the MachineConfig that sets osImageURL: the pools go back to the base image', async () => {
      const deleted = await session.deleteMachineConfig('99-worker-layered', { dryRun: true });
      assert.ok(deleted.ok);
      assert.ok(sim.get('machineconfigs', '99-worker-layered'));
      const real = await session.deleteMachineConfig('99-worker-layered');
      assert.ok(real.ok);
      await session.waitFor(() => {
        const store = session.store;
        return ['worker', 'infra'].every((name) => {
          const v = poolView(store.pools.get(name)!, store);
          return v.updated && !v.customImage && v.osImageURL === store.osImageUrls?.baseOSContainerImage && v.updatedMachineCount === v.machineCount;
        });
      }, 40000, 'the pools back on the base image');
      assert.ok(clusterStatus(session.store).nodes.every((n) => !n.customImage));
    });

    it('pauses and resumes a pool with a merge patch; the store follows', async () => {
      const paused = await session.setPoolPaused('worker', true);
      assert.ok(paused.ok);
      await session.waitFor(() => session.store.pools.get('worker')?.paused, 5000, 'worker paused');
      assert.equal(sim.pool('worker')!.spec.paused, true);
      // A change made while paused does not roll out.
      sim.create(layeringMachineConfig('99-worker-while-paused'));
      await session.waitFor(() => session.store.machineConfigs.has('99-worker-while-paused'), 5000, 'the MachineConfig');
      await new Promise((resolve) => setTimeout(resolve, 400));
      const view = poolView(session.store.pools.get('worker')!, session.store);
      assert.equal(view.paused, true);
      assert.equal(view.customImage, false);
      const resumed = await session.setPoolPaused('worker', false);
      assert.ok(resumed.ok);
      await session.waitFor(() => {
        const v = poolView(session.store.pools.get('worker')!, session.store);
        return !v.paused && v.updated && v.customImage;
      }, 40000, 'worker resumed and rolled out');
      sim.delete('machineconfigs', '99-worker-while-paused');
    });

    it('opens whole objects (without managedFields) for the read-only YAML view', async () => {
      const pool = await session.getObject('MachineConfigPool', 'worker');
      assert.ok(pool.ok);
      assert.equal((pool.value.metadata as { name: string }).name, 'worker');
      assert.equal('managedFields' in (pool.value.metadata as object), false);
      assert.ok((pool.value.status as { conditions: unknown[] }).conditions.length > 0);
      const missing = await session.getObject('MachineConfig', 'no-such-mc');
      assert.equal(missing.ok, false);
      assert.match(!missing.ok ? missing.problem.why : '', /not found/);
    });
  });

  describe('what the tree shows about pools and nodes', () => {
    let sim: Simulator;
    let session: ClusterSession;

    before(async () => {
      sim = await startSimulator({ nodes: 9, pools: ['worker'], stepMs: 15, bookmarkMs: 300, seed: 'cluster-tree' });
      sim.cluster.addPool('empty', { nodes: 0 });
      sim.cluster.addPool('gpu', { nodes: 1 });
      sim.cluster.addPool('edge', { nodes: 1 });
      // One more node in both gpu and edge: a node in two custom pools.
      const twice = sim.nodesOf('worker')[0]!.metadata.name;
      sim.cluster.addNodeToPool(twice, 'gpu');
      sim.cluster.addNodeToPool(twice, 'edge');
      session = await openTestSession(sim);
      await session.settled();
    });
    after(async () => {
      await session?.dispose();
      await sim?.stop();
    });

    it('shows the root (context, server, version), the base image and every pool, with stable ids', () => {
      const { model } = treeOver(session);
      const root = model.children();
      assert.deepEqual(root.map((e) => e.id), [`cluster:${session.context}`]);
      const rootItem = model.item(root[0]!);
      assert.equal(rootItem.label, 'admin');
      assert.match(rootItem.description ?? '', /^127\.0\.0\.1:\d+ · OpenShift 4\.18\.\d+$/);
      const children = model.children(root[0]);
      assert.deepEqual(children.map((e) => e.id), ['base-image', 'pool:edge', 'pool:empty', 'pool:gpu', 'pool:master', 'pool:worker']);
      assert.equal(model.item(children[0]!).contextValue, 'baseImage');
      assert.equal(model.children(root[0]).every((e, i) => e === children[i]), true, 'the same element objects come back');
    });

    it('says so when a pool\'s nodeSelector matches nothing', () => {
      const { model } = treeOver(session);
      model.children();
      const empty = model.children(model.element('pool', 'empty'));
      const message = empty.find((e) => e.kind === 'message')!;
      assert.match(model.item(message).label, /No node matches this pool's nodeSelector/);
      assert.match(model.item(message).description ?? '', /node-role\.kubernetes\.io\/empty=/);
      assert.match(model.item(model.element('pool', 'empty')).description ?? '', /0\/0/);
    });

    it('shows a node in two custom pools under both, with distinct ids and a warning', () => {
      const { model } = treeOver(session);
      model.children();
      const gpu = model.children(model.element('pool', 'gpu')).filter((e) => e.kind === 'node');
      const edge = model.children(model.element('pool', 'edge')).filter((e) => e.kind === 'node');
      const shared = gpu.map((e) => e.name).filter((name) => edge.some((e) => e.name === name));
      assert.equal(shared.length, 1);
      const a = gpu.find((e) => e.name === shared[0])!;
      const b = edge.find((e) => e.name === shared[0])!;
      assert.notEqual(a.id, b.id);
      const item = model.item(a);
      assert.match(item.description ?? '', /in 2 custom pools: not managed/);
      assert.equal(item.icon?.id, 'warning');
      assert.match(item.tooltip ?? '', /\*\*Pool\*\* edge, gpu/);
      assert.ok((item.tooltip ?? '').includes('belongs to 2 custom roles'), item.tooltip);
    });

    it('node items show state, Ready/NotReady and SchedulingDisabled separately, and the degraded reason', async () => {
      const tree = treeOver(session);
      tree.expandAll();
      await new Promise((resolve) => setImmediate(resolve));
      tree.fired.length = 0;
      const worker = sim.nodesOf('worker').map((n) => n.metadata.name).sort();
      const cordoned = worker[worker.length - 1]!;
      sim.patch('nodes', cordoned, { spec: { unschedulable: true } });
      await session.waitFor(() => session.store.nodes.get(cordoned)?.unschedulable, 5000, 'the cordon');
      await new Promise((resolve) => setImmediate(resolve));
      const item = tree.model.item(tree.model.element('node', cordoned, 'worker'));
      assert.match(item.description ?? '', /^done · base image · SchedulingDisabled$/);
      assert.equal(item.icon?.id, 'circle-slash');
      assert.ok(tree.fired.some((batch) => batch?.some((e) => e.id === `node:worker/${cordoned}`)), 'only that node item was refreshed');
      assert.ok(tree.fired.every((batch) => batch !== undefined), 'no whole-tree refresh for a node change');
      sim.patch('nodes', cordoned, { spec: { unschedulable: false } });

      sim.faults.degradeNodes([worker[0]!], 'rebase', { when: 'now' });
      const reason = await session.waitFor(() => {
        const node = session.store.nodes.get(worker[0]!);
        return node?.metadata.annotations[ANN.state] === 'Degraded' && node.metadata.annotations[ANN.reason];
      }, 10000, 'a degraded node');
      const degraded = tree.model.item(tree.model.element('node', worker[0]!, 'worker'));
      assert.match(degraded.description ?? '', /^degraded · /);
      assert.ok((degraded.description ?? '').includes(reason.slice(0, 40)));
      assert.equal(degraded.icon?.id, 'error');
      sim.faults.recoverNodes([worker[0]!]);
      await session.waitFor(() => session.store.nodes.get(worker[0]!)?.metadata.annotations[ANN.state] === 'Done', 10000, 'recovery');
    });
  });

  describe('on-cluster layering', () => {
    let sim: Simulator;
    let session: ClusterSession;

    before(async () => {
      sim = await startSimulator({ nodes: 7, pools: ['worker', { name: 'infra', nodes: 1 }], stepMs: 10, buildSteps: 8, bookmarkMs: 300, seed: 'cluster-ocl' });
      session = await openTestSession(sim);
      await session.settled();
    });
    after(async () => {
      await session?.dispose();
      await sim?.stop();
    });

    it('shows the MachineOSConfig under its pool and its MachineOSBuilds with their state; the pool runs the built image', async () => {
      const tree = treeOver(session);
      tree.expandAll();
      await new Promise((resolve) => setImmediate(resolve));
      // Through the API, as "Apply to cluster" does: a server-side dry run creates nothing, then the real create.
      const mosc = {
        apiVersion: `machineconfiguration.openshift.io/v1`,
        kind: 'MachineOSConfig',
        metadata: { name: 'infra' },
        spec: {
          machineConfigPool: { name: 'infra' },
          imageBuilder: { imageBuilderType: 'Job' },
          renderedImagePushSecret: { name: 'push-secret' },
          renderedImagePushSpec: 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest',
          containerFile: [{ containerfileArch: 'NoArch', content: 'FROM configs AS final\nRUN dnf install -y tmux && dnf clean all\n' }],
        },
      };
      const dryRun = await session.createObject('MachineOSConfig', mosc, { dryRun: true });
      assert.ok(dryRun.ok, !dryRun.ok ? dryRun.problem.why : '');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(session.store.machineOSConfigs.size, 0, 'a dry run creates nothing');
      const invalid = await session.createObject('MachineOSConfig', { ...mosc, metadata: { name: 'infra-2' }, spec: { ...mosc.spec, imageBuilder: { imageBuilderType: 'Pod' } } }, { dryRun: true });
      assert.ok(!invalid.ok && invalid.kind === 'invalid', 'the CRD schema refuses an unknown imageBuilderType');
      const created = await session.createObject('MachineOSConfig', mosc);
      assert.ok(created.ok, !created.ok ? created.problem.why : '');
      const again = await session.createObject('MachineOSConfig', mosc, { dryRun: true });
      assert.ok(!again.ok && again.kind === 'conflict', 'an existing MachineOSConfig is a conflict, for "Replace"');
      const building = await session.waitFor(() => [...session.store.machineOSBuilds.values()].find((b) => b.conditions.some((c) => c.type === 'Building' && c.status === 'True')), 20000, 'a build in progress');
      tree.expandAll();
      const moscItem = tree.model.element('machineOSConfig', 'infra', 'infra');
      assert.ok(tree.model.children(tree.model.element('pool', 'infra')).includes(moscItem));
      assert.match(tree.model.item(tree.model.element('machineOSBuild', building.metadata.name, 'infra')).description ?? '', /^Building · rendered-infra-/);
      const image = await session.waitFor(() => session.store.machineOSConfigs.get('infra')?.currentImagePullSpec, 30000, 'the built image');
      await session.waitFor(() => {
        const v = poolView(session.store.pools.get('infra')!, session.store);
        return v.updated && v.updatedMachineCount === v.machineCount && clusterStatus(session.store).nodes.filter((n) => n.pools.includes('infra')).every((n) => n.osImageURL === image);
      }, 30000, 'infra rolled out to the built image');
      const view = poolView(session.store.pools.get('infra')!, session.store);
      assert.deepEqual([view.osImageURL, view.customImage], [image, true]);
      tree.expandAll();
      assert.match(tree.model.item(tree.model.element('pool', 'infra')).description ?? '', /custom image · on-cluster layering$/);
      assert.match(tree.model.item(moscItem).description ?? '', /^latest build Succeeded · os-image@sha256:/);
      assert.equal(tree.model.item(tree.model.element('machineOSBuild', building.metadata.name, 'infra')).icon?.id, 'pass');

      // A failed build shows as Failed, with the pool's ImageBuildDegraded in its tooltip. The rebuild annotation has
      // an empty value, as `oc annotate machineosconfig/infra machineconfiguration.openshift.io/rebuild=` writes it.
      sim.faults.failNextBuild('infra');
      sim.patch('machineosconfigs', 'infra', { metadata: { annotations: { 'machineconfiguration.openshift.io/rebuild': '' } } });
      const failed = await session.waitFor(() => [...session.store.machineOSBuilds.values()].find((b) => b.conditions.some((c) => c.type === 'Failed' && c.status === 'True')), 30000, 'a failed build');
      tree.expandAll();
      const failedItem = tree.model.item(tree.model.element('machineOSBuild', failed.metadata.name, 'infra'));
      assert.match(failedItem.description ?? '', /^Failed · /);
      assert.equal(failedItem.icon?.id, 'error');

      // Roll Back for on-cluster layering deletes the MachineOSConfig (a dry run first): the pool returns to the base image.
      const dryDelete = await session.deleteObject('MachineOSConfig', 'infra', { dryRun: true });
      assert.ok(dryDelete.ok, !dryDelete.ok ? dryDelete.problem.why : '');
      assert.ok(sim.get('machineosconfigs', 'infra'), 'a dry run deletes nothing');
      const deleted = await session.deleteObject('MachineOSConfig', 'infra');
      assert.ok(deleted.ok, !deleted.ok ? deleted.problem.why : '');
      const base = session.store.osImageUrls!.baseOSContainerImage;
      await session.waitFor(() => {
        const v = poolView(session.store.pools.get('infra')!, session.store);
        return v.updated && !v.customImage && clusterStatus(session.store).nodes.filter((n) => n.pools.includes('infra')).every((n) => n.osImageURL === base);
      }, 30000, 'infra back on the base image');
    });
  });

  describe('permissions, credentials and API availability', () => {
    let sim: Simulator;

    before(async () => {
      sim = await startSimulator({ nodes: 6, pools: ['worker'], stepMs: 20, bookmarkMs: 300, seed: 'cluster-auth' });
    });
    after(async () => {
      await sim?.stop();
    });
    afterEach(() => {
      sim.faults.clear();
      sim.faults.setOpenShift(true);
    });

    it('403 on one resource type: says what is forbidden and keeps showing the rest', async () => {
      const session = await openTestSession(sim, 'no-mc');
      try {
        const health = await session.settled();
        assert.equal(health.state, 'connected');
        assert.deepEqual(health.resourceProblems.map((p) => [p.resource, p.state]), [['machineConfigs', 'forbidden']]);
        const problem = health.resourceProblems[0]!.problem;
        assert.match(problem.what, /Not allowed to list machineconfigs\.machineconfiguration\.openshift\.io/);
        assert.match(problem.why, /User "developer" cannot list resource "machineconfigs"/);
        assert.equal(session.store.pools.size, 2);
        assert.equal(session.store.nodes.size, 6);
        const { model } = treeOver(session);
        const root = model.children()[0]!;
        const children = model.children(root);
        assert.deepEqual(children.map((e) => e.id), ['base-image', 'problem:machineConfigs', 'pool:master', 'pool:worker']);
        assert.equal(model.item(children[1]!).icon?.id, 'warning');
        const group = model.children(model.element('pool', 'worker')).find((e) => e.kind === 'machineConfigs')!;
        assert.deepEqual(model.children(group).map((e) => e.id), ['problem:worker/machineConfigs']);
        assert.ok(model.children(model.element('pool', 'worker')).filter((e) => e.kind === 'node').length > 0, 'nodes still show');
      } finally {
        await session.dispose();
      }
    });

    it('401 after the token expires mid-session: the Problem says oc login; it recovers when the token works again', async () => {
      const session = await openTestSession(sim, 'expiring');
      try {
        await session.settled();
        assert.equal(session.health.state, 'connected');
        sim.faults.expireToken('expiring');
        sim.faults.dropWatches('destroy');
        const health = await session.waitFor(() => session.health.state === 'unauthorized' && session.health, 10000, 'unauthorized');
        assert.match(health.problem!.what, /rejected the credentials \(401 Unauthorized\)/);
        assert.match(health.problem!.next, /oc login/);
        assert.equal(session.store.nodes.size, 6, 'what was known is kept');
        const { model } = treeOver(session);
        const root = model.children()[0]!;
        const problem = model.children(root)[0]!;
        assert.equal(problem.id, 'problem:cluster');
        assert.match(model.item(problem).contextValue, /retry/);
        assert.deepEqual(model.children(problem).map((e) => model.item(e).label), [health.problem!.why, health.problem!.next]);
        sim.faults.restoreToken('expiring');
        await session.waitFor(() => session.health.state === 'connected' && session.health.resourceProblems.length === 0, 10000, 'recovery');
      } finally {
        await session.dispose();
      }
    });

    it('says "not an OpenShift cluster" when the machineconfiguration API is not served', async () => {
      sim.faults.setOpenShift(false);
      const session = await openTestSession(sim);
      try {
        const health = await session.settled();
        assert.equal(health.state, 'notOpenShift');
        assert.match(health.problem!.what, /is not an OpenShift 4 cluster/);
        assert.match(health.problem!.why, /MachineConfigPools/);
        assert.equal(session.store.nodes.size, 6, 'nodes still list on a plain Kubernetes cluster');
      } finally {
        await session.dispose();
      }
    });

    it('a read-only user: writes fail with the server\'s Forbidden, nothing changes', async () => {
      const session = await openTestSession(sim, 'readonly');
      try {
        await session.settled();
        const result = await session.createMachineConfig(layeringMachineConfig('99-worker-denied'), { dryRun: true });
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.kind, 'forbidden');
        assert.match(!result.ok ? result.problem.what : '', /Not allowed to dry-run create MachineConfig 99-worker-denied/);
        const pause = await session.setPoolPaused('worker', true);
        assert.equal(pause.ok, false);
        assert.equal(sim.pool('worker')!.spec.paused ?? false, false);
      } finally {
        await session.dispose();
      }
    });
  });
});
