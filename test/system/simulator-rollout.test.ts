// MCO behaviour seen through real watches: a MachineConfig with osImageURL renders a new config,
// nodes go through desiredConfig → Working → cordon → drain → reboot (NotReady) → Ready → uncordon →
// Done within maxUnavailable, the pool goes Updating → Updated with the MCO's counts; degrade faults
// give NodeDegraded/Degraded with the MCO's messages; deleting the MachineConfig rolls back.
import assert from 'node:assert/strict';
import { ANN, type Simulator, startSimulator } from '../simulator/index';
import { kubeConfig, raw, until } from '../simulator/testing';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MC_GROUP = 'machineconfiguration.openshift.io';
const IMAGE = 'quay.io/example/rhcos-layered@sha256:' + 'c'.repeat(64);

function layeringMc(name: string, image = IMAGE, role = 'worker'): Obj {
  return { apiVersion: `${MC_GROUP}/v1`, kind: 'MachineConfig', metadata: { name, labels: { 'machineconfiguration.openshift.io/role': role } }, spec: { osImageURL: image } };
}

/** Keeps the latest version of every object a watch reports, and every event. */
class Recorder {
  readonly objects = new Map<string, Obj>();
  readonly events: Array<{ type: string; obj: Obj }> = [];
  private abort: (() => void) | undefined;
  constructor(private readonly onEvent?: (type: string, obj: Obj, rec: Recorder) => void) {}
  async start(sim: Simulator, path: string, list: () => Promise<{ items: Obj[]; metadata?: { resourceVersion?: string } }>): Promise<void> {
    const { k8s, kc } = await kubeConfig(sim);
    const l = await list();
    for (const o of l.items) this.objects.set(o.metadata.name, o);
    const ctrl = await new k8s.Watch(kc).watch(
      path,
      { resourceVersion: l.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, obj) => {
        if (type === 'BOOKMARK' || type === 'ERROR') return;
        this.events.push({ type, obj });
        if (type === 'DELETED') this.objects.delete(obj.metadata.name);
        else this.objects.set(obj.metadata.name, obj);
        this.onEvent?.(type, obj, this);
      },
      () => {},
    );
    this.abort = () => ctrl.abort();
  }
  stop(): void {
    this.abort?.();
  }
}

function isReady(n: Obj): boolean {
  return n.status.conditions.some((c: Obj) => c.type === 'Ready' && c.status === 'True') && !n.spec.unschedulable;
}

/** The MCO's notion of an unavailable node (node/status.go isNodeUnavailable). */
function unavailable(n: Obj): boolean {
  const a = n.metadata.annotations;
  if (!isReady(n)) return true;
  const done = a[ANN.current] === a[ANN.desired] && a[ANN.state] === 'Done';
  if (done) return false;
  const failing = a[ANN.current] !== a[ANN.desired] && (a[ANN.state] === 'Degraded' || a[ANN.state] === 'Unreconcilable');
  return !failing;
}

describe('simulator: MCO rollout behaviour', function () {
  this.timeout(60000);
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ nodes: 11, pools: ['worker', { name: 'infra', nodes: 2 }], stepMs: 8, seed: 'rollout-test' });
  });
  afterEach(async () => {
    await sim?.stop();
  });

  it('rolls a new osImageURL out node by node in the MCO order, and the pool goes Updating → Updated', async () => {
    const { k8s, kc } = await kubeConfig(sim);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const workers = new Set(sim.nodesOf('worker').map((n) => n.metadata.name));
    let maxUnavailableSeen = 0;
    const nodes = new Recorder((_t, _o, rec) => {
      const count = [...rec.objects.values()].filter((n) => workers.has(n.metadata.name) && unavailable(n)).length;
      maxUnavailableSeen = Math.max(maxUnavailableSeen, count);
    });
    const pools = new Recorder();
    await nodes.start(sim, '/api/v1/nodes', () => core.listNode() as Promise<Obj & { items: Obj[] }>);
    await pools.start(sim, `/apis/${MC_GROUP}/v1/machineconfigpools`, () => custom.listClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigpools' }));
    const oldConfig = sim.pool('worker')!.spec.configuration.name;

    await custom.createClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigs', body: layeringMc('99-worker-os-layer') });
    const done = await sim.waitForRollout('worker', 30000);
    const target: string = done.spec.configuration.name;
    assert.match(target, /^rendered-worker-[0-9a-f]{32}$/);
    assert.notEqual(target, oldConfig);
    await until(() => nodes.objects.size > 0 && [...workers].every((w) => nodes.objects.get(w)?.metadata.annotations[ANN.state] === 'Done' && nodes.objects.get(w)?.metadata.annotations[ANN.current] === target), 5000, 'watch to catch up');
    nodes.stop();
    pools.stop();

    // The rendered config carries the image, the generator's annotations and the sources.
    const rendered = sim.get('machineconfigs', target)!;
    assert.equal(rendered.spec.osImageURL, IMAGE);
    assert.ok(rendered.metadata.annotations[ANN.generatedBy]);
    assert.equal(rendered.metadata.annotations[ANN.overridden], 'true');
    assert.ok(done.spec.configuration.source.some((s: Obj) => s.name === '99-worker-os-layer'));

    // The node sequence, from the watch events of the first worker to update.
    const first = [...workers].sort()[0]!;
    const milestones: string[] = [];
    const mark = (m: string) => {
      if (!milestones.includes(m)) milestones.push(m);
    };
    let wasNotReady = false;
    let wasCordoned = false;
    for (const { obj: n } of nodes.events.filter((e) => e.obj.metadata.name === first)) {
      const a = n.metadata.annotations;
      if (a[ANN.desired] === target) mark('desiredConfig');
      if (a[ANN.state] === 'Working') mark('Working');
      if (n.spec.unschedulable && n.spec.taints?.some((t: Obj) => t.key === 'node.kubernetes.io/unschedulable')) {
        mark('cordoned');
        wasCordoned = true;
      }
      if (a[ANN.lastAppliedDrain] === `drain-${target}`) mark('drained');
      if (a[ANN.postConfigAction] === 'Rebooting') mark('rebooting');
      const ready = n.status.conditions.find((c: Obj) => c.type === 'Ready');
      if (ready.status !== 'True') {
        mark('NotReady');
        wasNotReady = true;
      } else if (wasNotReady) mark('Ready');
      if (wasCordoned && !n.spec.unschedulable) mark('uncordoned');
      if (a[ANN.current] === target && a[ANN.state] === 'Done') mark('Done');
    }
    assert.deepEqual(milestones, ['desiredConfig', 'Working', 'cordoned', 'drained', 'rebooting', 'NotReady', 'Ready', 'uncordoned', 'Done']);
    const last = nodes.objects.get(first)!;
    assert.equal(last.metadata.annotations[ANN.desiredDrain], `uncordon-${target}`);
    assert.equal(last.metadata.annotations[ANN.lastAppliedDrain], `uncordon-${target}`);
    assert.equal(last.metadata.annotations[ANN.postConfigAction], undefined);

    // maxUnavailable (default 1) was respected, and reached.
    assert.equal(maxUnavailableSeen, 1);

    // Pool conditions and counts as the MCO computes them.
    const workerPool = pools.events.filter((e) => e.obj.metadata.name === 'worker').map((e) => e.obj);
    const cond = (p: Obj, t: string) => p.status.conditions.find((c: Obj) => c.type === t);
    const updating = workerPool.filter((p) => cond(p, 'Updating')?.status === 'True');
    assert.ok(updating.length > 0);
    assert.equal(cond(updating[0]!, 'Updating').message, `All nodes are updating to MachineConfig ${target}`);
    assert.equal(cond(updating[0]!, 'Updated').status, 'False');
    assert.equal(updating[0]!.status.configuration.name, oldConfig, 'status.configuration moves only when all nodes are updated');
    const mid = updating.find((p) => p.status.updatedMachineCount > 0 && p.status.updatedMachineCount < workers.size);
    assert.ok(mid, 'a status with some nodes updated');
    assert.equal(mid!.status.readyMachineCount, mid!.status.updatedMachineCount);
    const final = workerPool[workerPool.length - 1]!;
    assert.equal(cond(final, 'Updated').status, 'True');
    assert.equal(cond(final, 'Updated').message, `All nodes are updated with MachineConfig ${target}`);
    assert.equal(cond(final, 'Updating').status, 'False');
    assert.deepEqual(
      [final.status.machineCount, final.status.updatedMachineCount, final.status.readyMachineCount, final.status.unavailableMachineCount, final.status.degradedMachineCount],
      [workers.size, workers.size, workers.size, 0, 0],
    );
    assert.equal(final.status.configuration.name, target);
    // The infra pool inherits worker MachineConfigs and rolls out too; masters do not.
    await sim.waitForRollout('infra', 10000);
    assert.equal(sim.get('machineconfigs', sim.pool('infra')!.spec.configuration.name)!.spec.osImageURL, IMAGE);
    assert.notEqual(sim.get('machineconfigs', sim.pool('master')!.spec.configuration.name)!.spec.osImageURL, IMAGE);
  });

  it('never has more than maxUnavailable nodes unavailable (maxUnavailable: 3)', async () => {
    sim.patch('machineconfigpools', 'worker', { spec: { maxUnavailable: 3 } });
    const { k8s, kc } = await kubeConfig(sim);
    const workers = new Set(sim.nodesOf('worker').map((n) => n.metadata.name));
    let max = 0;
    const nodes = new Recorder((_t, _o, rec) => {
      max = Math.max(max, [...rec.objects.values()].filter((n) => workers.has(n.metadata.name) && unavailable(n)).length);
    });
    await nodes.start(sim, '/api/v1/nodes', () => kc.makeApiClient(k8s.CoreV1Api).listNode() as Promise<Obj & { items: Obj[] }>);
    sim.create(layeringMc('99-worker-os-layer'));
    const pool = await sim.waitForRollout('worker', 30000);
    const target = pool.spec.configuration.name;
    await until(() => [...workers].every((w) => nodes.objects.get(w)?.metadata.annotations[ANN.current] === target && !unavailable(nodes.objects.get(w)!)), 5000, 'watch to catch up');
    nodes.stop();
    assert.equal(max, 3);
    assert.equal(pool.status.updatedMachineCount, workers.size);
  });

  it('degrades a node with a failed rebase: NodeDegraded/Degraded with the MCO message; the rollout stalls; deleting the MachineConfig and uncordoning rolls back to the base image', async () => {
    const workers = sim.nodesOf('worker').map((n) => n.metadata.name);
    const victim = workers[1]!;
    sim.faults.degradeNodes([victim], 'rebase');
    const before = sim.pool('worker')!.spec.configuration.name;
    sim.create(layeringMc('99-worker-os-layer'));
    const degraded = await sim.waitForPoolCondition('worker', 'NodeDegraded', 'True', 20000);
    const nd = degraded.status.conditions.find((c: Obj) => c.type === 'NodeDegraded');
    assert.equal(nd.reason, '1 nodes are reporting degraded status on sync');
    const reason = `failed to update OS to ${IMAGE} : error running rpm-ostree rebase --experimental ostree-unverified-registry:${IMAGE}`;
    assert.ok(nd.message.startsWith(`Node ${victim} is reporting: "${reason}`), nd.message);
    assert.equal(degraded.status.conditions.find((c: Obj) => c.type === 'Degraded').status, 'True');
    assert.equal(degraded.status.degradedMachineCount, 1);
    const node = sim.get('nodes', victim)!;
    assert.equal(node.metadata.annotations[ANN.state], 'Degraded');
    assert.ok(node.metadata.annotations[ANN.reason].startsWith(reason));
    assert.equal(node.spec.unschedulable, true, 'the node stays cordoned');
    // With maxUnavailable 1 the degraded, cordoned node blocks the rest of the pool.
    await new Promise((r) => setTimeout(r, 300));
    const stalled = sim.pool('worker')!;
    assert.equal(stalled.status.updatedMachineCount, 1);
    assert.equal(stalled.status.unavailableMachineCount, 1);
    assert.equal(sim.mco.activeUpdates().length, 0);

    // Roll back: delete the MachineConfig, then uncordon the degraded node (as an admin would).
    sim.delete('machineconfigs', '99-worker-os-layer');
    await sim.waitFor(() => sim.pool('worker')!.spec.configuration.name === before, { what: 'the old config as target' });
    sim.patch('nodes', victim, { spec: { unschedulable: null } });
    const back = await sim.waitForRollout('worker', 30000);
    assert.equal(back.status.configuration.name, before);
    assert.equal(back.status.conditions.find((c: Obj) => c.type === 'Degraded').status, 'False');
    const base = sim.get('configmaps', 'machine-config-osimageurl', 'openshift-machine-config-operator')!.data.baseOSContainerImage;
    for (const n of sim.nodesOf('worker')) {
      assert.equal(sim.get('machineconfigs', n.metadata.annotations[ANN.current])!.spec.osImageURL, base);
      assert.equal(n.metadata.annotations[ANN.state], 'Done');
      assert.ok(!n.spec.unschedulable);
    }
  });

  it('degrades with a drain timeout, immediately or on the next update; recovering lets the update finish', async () => {
    const [a, b] = sim.nodesOf('worker').map((n) => n.metadata.name);
    sim.faults.degradeNodes([a!], 'drain', { when: 'now' });
    const p = await sim.waitForPoolCondition('worker', 'Degraded', 'True');
    assert.equal(p.status.conditions.find((c: Obj) => c.type === 'NodeDegraded').message, `Node ${a} is reporting: "failed to drain node: ${a} after 1 hour. Please see machine-config-controller logs for more information"`);
    sim.faults.recoverNodes([a!]);
    await sim.waitForPoolCondition('worker', 'Degraded', 'False');
    sim.faults.degradeNodes([b!], 'drain');
    sim.create(layeringMc('99-worker-os-layer'));
    await sim.waitFor(() => sim.get('nodes', b!)!.metadata.annotations[ANN.state] === 'Degraded', { what: 'drain failure' });
    const n = sim.get('nodes', b!)!;
    assert.equal(n.metadata.annotations[ANN.desiredDrain].startsWith('drain-'), true);
    assert.notEqual(n.metadata.annotations[ANN.lastAppliedDrain], n.metadata.annotations[ANN.desiredDrain], 'the drain never completed');
    sim.faults.recoverNodes([b!]);
    await sim.waitForRollout('worker', 30000);
  });

  it('a paused pool renders but does not update nodes, with the MCO message; resuming rolls out', async () => {
    sim.cluster.pause('worker', true);
    sim.create(layeringMc('99-worker-os-layer'));
    const p = await sim.waitForPoolCondition('worker', 'Updated', 'False');
    const target = p.spec.configuration.name;
    assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Updating').message, `Pool is paused; will not update to ${target}`);
    assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Updating').status, 'False');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(sim.nodesOf('worker').every((n) => n.metadata.annotations[ANN.desired] !== target));
    sim.cluster.pause('worker', false);
    await sim.waitForRollout('worker', 30000);
  });

  it('reports RenderDegraded for a MachineConfig the render controller rejects', async () => {
    sim.create({ ...layeringMc('99-worker-rt'), spec: { kernelType: 'turbo' } });
    const p = await sim.waitForPoolCondition('worker', 'RenderDegraded', 'True');
    assert.equal(p.status.conditions.find((c: Obj) => c.type === 'RenderDegraded').message, 'Failed to render configuration for pool worker: kernelType=turbo is invalid');
    assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Degraded').status, 'True');
    sim.delete('machineconfigs', '99-worker-rt');
    await sim.waitForPoolCondition('worker', 'RenderDegraded', 'False');
  });

  it('builds an on-cluster layered image from a MachineOSConfig and rolls it out with desiredImage/currentImage', async () => {
    sim.create({
      apiVersion: `${MC_GROUP}/v1`,
      kind: 'MachineOSConfig',
      metadata: { name: 'infra' },
      spec: {
        machineConfigPool: { name: 'infra' },
        imageBuilder: { imageBuilderType: 'Job' },
        renderedImagePushSecret: { name: 'push-secret' },
        renderedImagePushSpec: 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest',
        containerFile: [{ containerfileArch: 'NoArch', content: 'FROM configs AS final\nRUN dnf install -y tmux && dnf clean all\n' }],
      },
    });
    const mosc = await sim.waitFor(() => sim.get('machineosconfigs', 'infra')?.status?.currentImagePullSpec && sim.get('machineosconfigs', 'infra'), { what: 'build to finish' });
    const image: string = mosc.status.currentImagePullSpec;
    assert.match(image, /^image-registry\.openshift-image-registry\.svc:5000\/openshift-machine-config-operator\/os-image@sha256:[0-9a-f]{64}$/);
    const mosb = sim.get('machineosbuilds', mosc.status.machineOSBuild.name)!;
    assert.equal(mosb.status.conditions.find((c: Obj) => c.type === 'Succeeded').status, 'True');
    assert.equal(mosb.spec.machineConfig.name, sim.pool('infra')!.spec.configuration.name);
    const pool = await sim.waitFor(() => {
      const p = sim.pool('infra')!;
      return p.status.conditions.some((c: Obj) => c.type === 'Updated' && c.status === 'True' && c.message.includes(`/ Image ${image}`)) && p;
    }, { what: 'infra updated with the image' });
    assert.equal(pool.status.updatedMachineCount, 2);
    for (const n of sim.nodesOf('infra')) {
      assert.equal(n.metadata.annotations[ANN.desiredImage], image);
      assert.equal(n.metadata.annotations[ANN.currentImage], image);
    }
    // Deleting the MachineOSConfig garbage-collects its builds and takes the pool back to the plain rendered image.
    sim.delete('machineosconfigs', 'infra');
    await sim.waitFor(() => sim.nodesOf('infra').every((n) => !n.metadata.annotations[ANN.currentImage] && !n.metadata.annotations[ANN.desiredImage]) && !sim.mco.pending('infra'), { what: 'infra back to the rendered image' });
    assert.equal(sim.list('machineosbuilds').length, 0);
    await sim.waitForRollout('infra', 10000);

    // A failed build degrades the pool with ImageBuildDegraded and nodes keep their image.
    sim.faults.failNextBuild('infra');
    sim.create({
      apiVersion: `${MC_GROUP}/v1`,
      kind: 'MachineOSConfig',
      metadata: { name: 'infra' },
      spec: { machineConfigPool: { name: 'infra' }, imageBuilder: { imageBuilderType: 'Job' }, renderedImagePushSecret: { name: 'push-secret' }, renderedImagePushSpec: 'quay.io/example/os-image:latest' },
    });
    const failed = await sim.waitForPoolCondition('infra', 'ImageBuildDegraded', 'True', 10000);
    const ibd = failed.status.conditions.find((c: Obj) => c.type === 'ImageBuildDegraded');
    assert.match(ibd.message, /^Failed to build OS image for pool infra \(MachineOSBuild: infra-[0-9a-f]{32}\): Failed: Build Failed$/);
    assert.equal(failed.status.conditions.find((c: Obj) => c.type === 'Degraded').status, 'True');
    assert.ok(sim.nodesOf('infra').every((n) => !n.metadata.annotations[ANN.desiredImage]));

    // A MachineOSConfig must be named after its pool (CEL rule of the CRD, checked when ../shared has the CRD).
    if (!sim.sharedDir) return console.log('      (CEL check skipped: ../shared/reference/crds not found)');
    assert.throws(
      () => sim.create({ apiVersion: `${MC_GROUP}/v1`, kind: 'MachineOSConfig', metadata: { name: 'other' }, spec: { machineConfigPool: { name: 'worker' }, imageBuilder: { imageBuilderType: 'Job' }, renderedImagePushSecret: { name: 's' }, renderedImagePushSpec: 'quay.io/x/y:latest' } }),
      /MachineOSConfig name must match the referenced MachineConfigPool name|is invalid/,
    );
  });
});

describe('simulator: osImageURL merge order per version (MCO-FACTS §2)', function () {
  this.timeout(30000);
  const imageA = 'quay.io/example/a@sha256:' + 'a'.repeat(64);
  const imageB = 'quay.io/example/b@sha256:' + 'b'.repeat(64);

  for (const [version, expected] of [
    ['4.14', imageA],
    ['4.15', imageB],
  ] as const) {
    it(`${version}: a custom pool's own MachineConfig ${expected === imageB ? 'wins over' : 'loses to'} an alphabetically later worker one`, async () => {
      const sim = await startSimulator({ nodes: 6, pools: ['worker', { name: 'infra', nodes: 1 }], version, controllers: false, seed: 'merge' });
      try {
        sim.create(layeringMc('zz-worker-image', imageA, 'worker'));
        sim.create(layeringMc('aa-infra-image', imageB, 'infra'));
        const r = sim.mco.renderPool(sim.pool('infra')!);
        assert.equal(r.spec.osImageURL, expected);
        assert.equal(sim.mco.renderPool(sim.pool('worker')!).spec.osImageURL, imageA);
      } finally {
        await sim.stop();
      }
    });
  }

  it('4.13: older message format, machine-os-content in the ConfigMap, no MachineOSConfig API', async () => {
    const sim = await startSimulator({ nodes: 5, version: '4.13', stepMs: 5, seed: 'v413' });
    try {
      const cm = sim.get('configmaps', 'machine-config-osimageurl', 'openshift-machine-config-operator')!;
      assert.match(cm.data.osImageURL, /@sha256:/, '4.13 still ships machine-os-content');
      assert.equal(cm.data.releaseVersion, sim.version.release);
      sim.create(layeringMc('99-worker-os-layer'));
      const p = await sim.waitForPoolCondition('worker', 'Updating', 'True');
      assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Updating').message, `All nodes are updating to ${p.spec.configuration.name}`);
      const done = await sim.waitForRollout('worker');
      assert.equal(done.status.conditions.find((c: Obj) => c.type === 'Updated').message, `All nodes are updated with ${done.spec.configuration.name}`);
      assert.ok(sim.nodesOf('worker').every((n) => n.metadata.annotations[ANN.postConfigAction] === undefined));
      const group = (await raw(sim, 'GET', `/apis/${MC_GROUP}/v1`)).json<{ resources: Array<{ name: string }> }>();
      assert.ok(!group.resources.some((r) => r.name === 'machineosconfigs'));
      const v = (await raw(sim, 'GET', '/version')).json<{ minor: string }>();
      assert.equal(v.minor, '26');
    } finally {
      await sim.stop();
    }
  });

  it('4.21+: MachineConfigs generated by the controller do not override osImageURL', async () => {
    const sim = await startSimulator({ nodes: 4, version: '4.21', controllers: false, seed: 'merge' });
    try {
      const mc = layeringMc('99-worker-generated-image', imageA);
      mc.metadata.annotations = { [ANN.generatedBy]: 'abc' };
      sim.create(mc);
      const base = sim.get('configmaps', 'machine-config-osimageurl', 'openshift-machine-config-operator')!.data.baseOSContainerImage;
      assert.equal(sim.mco.renderPool(sim.pool('worker')!).spec.osImageURL, base);
    } finally {
      await sim.stop();
    }
  });
});
