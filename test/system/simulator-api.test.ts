// The simulator as @kubernetes/client-node and plain HTTPS clients see it: discovery, list paging,
// watches and informers across 410s and dropped connections, validation, dry-run, patches, auth
// rules and the request faults.
import assert from 'node:assert/strict';
import { type Simulator, startSimulator } from '../simulator/index';
import { kubeConfig, raw, statusBodyOf, statusOf, until } from '../simulator/testing';

const MC_GROUP = 'machineconfiguration.openshift.io';

describe('simulator: API for client-node and HTTPS clients', function () {
  this.timeout(30000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ nodes: 40, pools: ['worker', 'infra'], stepMs: 10, bookmarkMs: 200, seed: 'api-test' });
    if (!sim.sharedDir) console.log(`      (note: ${sim.notes.join('; ')})`);
  });
  after(async () => {
    await sim?.stop();
  });
  afterEach(() => {
    sim.faults.clear();
    sim.faults.setOpenShift(true);
  });

  describe('discovery and version', () => {
    it('serves /version with the Kubernetes version of the OpenShift release', async () => {
      const r = await raw(sim, 'GET', '/version', { context: null });
      assert.equal(r.status, 200);
      assert.equal(r.json<{ minor: string }>().minor, '31');
    });

    it('serves legacy discovery: /api, /apis, the machineconfiguration group and its resources', async () => {
      const api = (await raw(sim, 'GET', '/api')).json<{ kind: string; versions: string[] }>();
      assert.deepEqual([api.kind, api.versions], ['APIVersions', ['v1']]);
      const apis = (await raw(sim, 'GET', '/apis')).json<{ groups: Array<{ name: string }> }>();
      assert.ok(apis.groups.some((g) => g.name === MC_GROUP));
      assert.ok(apis.groups.some((g) => g.name === 'config.openshift.io'));
      const list = (await raw(sim, 'GET', `/apis/${MC_GROUP}/v1`)).json<{ resources: Array<{ name: string; kind: string; shortNames?: string[] }> }>();
      const names = list.resources.map((r) => r.name);
      for (const n of ['machineconfigs', 'machineconfigpools', 'machineconfigpools/status', 'machineosconfigs', 'machineosbuilds']) assert.ok(names.includes(n), n);
      assert.deepEqual(list.resources.find((r) => r.name === 'machineconfigpools')?.shortNames, ['mcp']);
      const core = (await raw(sim, 'GET', '/api/v1')).json<{ resources: Array<{ name: string }> }>();
      assert.ok(core.resources.some((r) => r.name === 'nodes'));
    });

    it('serves aggregated discovery (apidiscovery.k8s.io/v2) when asked', async () => {
      const r = await raw(sim, 'GET', '/apis', { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
      assert.match(String(r.headers['content-type']), /as=APIGroupDiscoveryList/);
      const body = r.json<{ kind: string; items: Array<{ metadata: { name: string }; versions: Array<{ resources: Array<{ resource: string; scope: string }> }> }> }>();
      assert.equal(body.kind, 'APIGroupDiscoveryList');
      const mc = body.items.find((i) => i.metadata.name === MC_GROUP);
      assert.ok(mc?.versions[0]?.resources.some((r) => r.resource === 'machineconfigpools' && r.scope === 'Cluster'));
    });

    it('plays a plain Kubernetes cluster without the OpenShift APIs', async () => {
      sim.faults.setOpenShift(false);
      const apis = (await raw(sim, 'GET', '/apis')).json<{ groups: Array<{ name: string }> }>();
      assert.ok(!apis.groups.some((g) => g.name === MC_GROUP));
      const { k8s, kc } = await kubeConfig(sim);
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      await assert.rejects(custom.listClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigpools' }), (e) => statusOf(e) === 404);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      assert.equal((await core.listNode()).items.length, 40);
    });
  });

  describe('lists', () => {
    it('pages nodes with limit/continue and a consistent resourceVersion', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const names: string[] = [];
      let cont: string | undefined;
      const rvs = new Set<string>();
      let pages = 0;
      do {
        const page = await core.listNode({ limit: 15, ...(cont ? { _continue: cont } : {}) });
        pages++;
        names.push(...page.items.map((n) => n.metadata!.name!));
        rvs.add(page.metadata!.resourceVersion!);
        cont = page.metadata?._continue;
        if (cont) assert.ok((page.metadata?.remainingItemCount ?? 0) > 0);
      } while (cont);
      assert.equal(pages, 3);
      assert.equal(names.length, 40);
      assert.equal(new Set(names).size, 40);
      assert.deepEqual(names, [...names].sort());
      assert.equal(rvs.size, 1, 'all pages come from one snapshot');
      const n = (await core.listNode()).items[0]!;
      assert.ok(n.metadata?.managedFields?.length, 'managedFields are sent, as a real server does');
    });

    it('expires continue tokens with 410 Expired', async () => {
      const first = (await raw(sim, 'GET', '/api/v1/nodes?limit=5')).json<{ metadata: { continue: string } }>();
      sim.faults.expireContinueTokens();
      const r = await raw(sim, 'GET', `/api/v1/nodes?limit=5&continue=${encodeURIComponent(first.metadata.continue)}`);
      assert.equal(r.status, 410);
      assert.equal(r.json<{ reason: string }>().reason, 'Expired');
    });

    it('filters by labelSelector and fieldSelector; custom resources list with continue in metadata', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const infra = await core.listNode({ labelSelector: 'node-role.kubernetes.io/infra' });
      assert.equal(infra.items.length, sim.nodesOf('infra').length);
      const notWorker = await core.listNode({ labelSelector: '!node-role.kubernetes.io/worker' });
      assert.equal(notWorker.items.length, 3);
      const one = sim.nodesOf('worker')[0]!.metadata.name;
      const byName = await core.listNode({ fieldSelector: `metadata.name=${one}` });
      assert.deepEqual(byName.items.map((n) => n.metadata!.name), [one]);
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const mcs = await custom.listClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigs', limit: 5 });
      assert.equal(mcs.items.length, 5);
      assert.ok(mcs.metadata.continue);
      assert.equal(mcs.items[0].kind, 'MachineConfig');
    });

    it('serves the base-image ConfigMap and the ClusterVersion', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const cm = await kc.makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ name: 'machine-config-osimageurl', namespace: 'openshift-machine-config-operator' });
      assert.deepEqual(Object.keys(cm.data ?? {}).sort(), ['baseOSContainerImage', 'baseOSExtensionsContainerImage', 'osImageURL', 'releaseVersion']);
      assert.match(cm.data!.baseOSContainerImage!, /@sha256:[0-9a-f]{64}$/);
      const cv = await kc.makeApiClient(k8s.CustomObjectsApi).getClusterCustomObject({ group: 'config.openshift.io', version: 'v1', plural: 'clusterversions', name: 'version' });
      assert.equal(cv.status.desired.version, sim.version.release);
      assert.equal(cv.status.history[0].state, 'Completed');
    });
  });

  describe('watches and informers', () => {
    it('streams events from a resourceVersion, with bookmarks when asked', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const list = await kc.makeApiClient(k8s.CoreV1Api).listNode();
      const events: Array<{ type: string; name?: string; rv?: string }> = [];
      const watch = new k8s.Watch(kc);
      const ctrl = await watch.watch('/api/v1/nodes', { resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true }, (type, obj) => events.push({ type, name: obj?.metadata?.name, rv: obj?.metadata?.resourceVersion }), () => {});
      const target = sim.nodesOf('worker')[3]!.metadata.name;
      sim.patch('nodes', target, { metadata: { labels: { 'example.com/touched': 'yes' } } });
      await until(() => events.some((e) => e.type === 'MODIFIED' && e.name === target) && events.some((e) => e.type === 'BOOKMARK'), 5000, 'MODIFIED and BOOKMARK');
      ctrl.abort();
      assert.ok(events.filter((e) => e.type === 'ADDED').length === 0, 'no initial ADDED events when starting from a list resourceVersion');
    });

    it('replays only the watched resource type when resuming from an older resourceVersion', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const from = String(sim.store.resourceVersion);
      const node = sim.nodesOf('worker')[2]!.metadata.name;
      sim.patch('machineconfigpools', 'worker', { metadata: { labels: { 'example.com/replay': 'pool' } } });
      sim.patch('nodes', node, { metadata: { labels: { 'example.com/replay': 'node' } } });
      const kinds: string[] = [];
      const ctrl = await new k8s.Watch(kc).watch('/api/v1/nodes', { resourceVersion: from }, (type, obj) => kinds.push(`${type} ${obj.kind} ${obj.metadata.name}`), () => {});
      await until(() => kinds.length >= 1, 5000, 'the replayed node event');
      ctrl.abort();
      assert.deepEqual(kinds, [`MODIFIED Node ${node}`]);
    });

    it('filters watches by labelSelector: a node that starts matching is ADDED, one that stops is DELETED', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const events: Array<[string, string]> = [];
      const ctrl = await new k8s.Watch(kc).watch('/api/v1/nodes', { resourceVersion: String(sim.store.resourceVersion), labelSelector: 'example.com/zone-group=blue' }, (type, obj) => events.push([type, obj.metadata.name]), () => {});
      const [a, b] = sim.nodesOf('worker').slice(-2).map((n) => n.metadata.name);
      sim.patch('nodes', a!, { metadata: { labels: { 'example.com/zone-group': 'blue' } } });
      sim.patch('nodes', b!, { metadata: { labels: { 'example.com/other': 'x' } } });
      sim.patch('nodes', a!, { metadata: { labels: { 'example.com/zone-group': 'blue', 'example.com/more': 'y' } } });
      sim.patch('nodes', a!, { metadata: { labels: { 'example.com/zone-group': null } } });
      await until(() => events.length >= 3, 5000, 'three events');
      ctrl.abort();
      assert.deepEqual(events, [
        ['ADDED', a],
        ['MODIFIED', a],
        ['DELETED', a],
      ]);
    });

    it('refuses a too-old resourceVersion with 410: in-stream ERROR by default, HTTP 410 when switched', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const oldRv = String(sim.store.resourceVersion);
      sim.patch('nodes', sim.nodesOf('worker')[0]!.metadata.name, { metadata: { labels: { 'example.com/x': '1' } } });
      sim.faults.compactHistory();
      const watch = new k8s.Watch(kc);
      const seen: Array<{ type: string; code?: number }> = [];
      let doneErr: unknown = 'pending';
      await watch.watch('/api/v1/nodes', { resourceVersion: oldRv }, (type, obj) => seen.push({ type, code: obj?.code }), (err) => (doneErr = err));
      await until(() => doneErr !== 'pending', 5000, 'watch to end');
      assert.deepEqual(seen, [{ type: 'ERROR', code: 410 }]);
      sim.faults.goneMode('http');
      doneErr = 'pending';
      await watch.watch('/api/v1/nodes', { resourceVersion: oldRv }, () => {}, (err) => (doneErr = err));
      await until(() => doneErr !== 'pending', 5000, 'watch to end');
      assert.equal(statusOf(doneErr), 410);
    });

    for (const mode of ['event', 'http'] as const) {
      it(`keeps an informer consistent across a 410 (${mode}): it relists and reports what it missed`, async () => {
        const { k8s, kc } = await kubeConfig(sim);
        const core = kc.makeApiClient(k8s.CoreV1Api);
        const inf = k8s.makeInformer(kc, '/api/v1/namespaces', () => core.listNamespace());
        const added: string[] = [];
        const deleted: string[] = [];
        inf.on('add', (o) => added.push(o.metadata!.name!));
        inf.on('delete', (o) => deleted.push(o.metadata!.name!));
        await inf.start();
        await until(() => sim.server.openWatchCount() > 0, 5000, 'informer watch');
        const lists = sim.server.stats.byVerb.get('list namespaces') ?? 0;
        const ns = `gone-${mode}`;
        sim.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
        await until(() => added.includes(ns), 5000, 'add');
        sim.faults.goneMode(mode);
        sim.faults.dropWatches('end');
        sim.delete('namespaces', ns);
        sim.faults.compactHistory();
        await until(() => deleted.includes(ns), 10000, 'delete seen after relist');
        assert.ok((sim.server.stats.byVerb.get('list namespaces') ?? 0) > lists, 'the informer relisted');
        await inf.stop();
      });
    }

    it('cut watches: a reset connection stops an informer with an error; a clean end makes it reconnect', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const inf = k8s.makeInformer(kc, '/api/v1/nodes', () => core.listNode());
      const errors: unknown[] = [];
      const connects: number[] = [];
      inf.on('error', (e) => errors.push(e));
      inf.on('connect', () => connects.push(Date.now()));
      await inf.start();
      await until(() => sim.server.openWatchCount() > 0, 5000, 'watch');
      sim.faults.dropWatches('end');
      await until(() => connects.length >= 2 && sim.server.openWatchCount() > 0, 5000, 'reconnect after a clean end');
      assert.equal(errors.length, 0);
      sim.faults.dropWatches('destroy');
      await until(() => errors.length > 0, 5000, 'an error after a reset');
      await inf.stop();
    });
  });

  describe('writes', () => {
    const mc = (name: string, spec: object) => ({ apiVersion: `${MC_GROUP}/v1`, kind: 'MachineConfig', metadata: { name, labels: { 'machineconfiguration.openshift.io/role': 'worker' } }, spec });

    it('rejects an invalid MachineConfig with 422 and a Status naming the field', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const err = await custom.createClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigs', body: mc('bad-types', { osImageURL: 7, kernelArguments: 'quiet' }) }).then(
        () => undefined,
        (e) => e,
      );
      assert.equal(statusOf(err), 422);
      const body = statusBodyOf(err);
      assert.equal(body.reason, 'Invalid');
      assert.match(body.message!, /^MachineConfig\.machineconfiguration\.openshift\.io "bad-types" is invalid: \[/);
      const fields = body.details!.causes!.map((c) => c.field).sort();
      assert.deepEqual(fields, ['spec.kernelArguments', 'spec.osImageURL']);
      assert.match(body.details!.causes!.find((c) => c.field === 'spec.osImageURL')!.message!, /must be of type string/);
      const badName = await raw(sim, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs`, { body: mc('Bad_Name', {}) });
      assert.equal(badName.status, 422);
      assert.match(badName.json<{ message: string }>().message, /metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    });

    it('strict field validation rejects unknown fields with 400; the default prunes them', async () => {
      const strict = await raw(sim, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs?fieldValidation=Strict`, { body: mc('strict-mc', { osImageURL: 'quay.io/x/y@sha256:' + 'a'.repeat(64), bogus: 1 }) });
      assert.equal(strict.status, 400);
      assert.match(strict.json<{ message: string }>().message, /strict decoding error: unknown field "spec.bogus"/);
      const pruned = await raw(sim, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs?dryRun=All`, { body: mc('pruned-mc', { bogus: 1 }) });
      assert.equal(pruned.status, 201);
      assert.deepEqual(pruned.json<{ spec: object }>().spec, {});
    });

    it('dry-run validates and returns the object without storing or rendering anything', async () => {
      const rv = sim.store.resourceVersion;
      const r = await raw(sim, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs?dryRun=All&fieldManager=test`, { body: mc('dry', { osImageURL: 'quay.io/x/y@sha256:' + 'b'.repeat(64) }) });
      assert.equal(r.status, 201);
      const obj = r.json<{ metadata: { uid: string; creationTimestamp: string; resourceVersion?: string } }>();
      assert.ok(obj.metadata.uid && obj.metadata.creationTimestamp);
      assert.equal(sim.get('machineconfigs', 'dry'), undefined);
      assert.equal(sim.store.resourceVersion, rv);
      const bad = await raw(sim, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs?dryRun=All`, { body: mc('dry-bad', { fips: 'yes' }) });
      assert.equal(bad.status, 422);
    });

    it('creates (409 on a duplicate), merge-patches, JSON-patches, updates with conflicts, deletes (404 after)', async () => {
      const { k8s, kc } = await kubeConfig(sim);
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crud', namespace: 'default' }, data: { a: '1' } };
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const created = await core.createNamespacedConfigMap({ namespace: 'default', body });
      await assert.rejects(core.createNamespacedConfigMap({ namespace: 'default', body }), (e) => statusOf(e) === 409 && statusBodyOf(e).reason === 'AlreadyExists');
      const patched = await core.patchNamespacedConfigMap({ name: 'crud', namespace: 'default', body: { data: { b: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      assert.deepEqual(patched.data, { a: '1', b: '2' });
      const jp = await core.patchNamespacedConfigMap({ name: 'crud', namespace: 'default', body: [{ op: 'remove', path: '/data/a' }] }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch));
      assert.deepEqual(jp.data, { b: '2' });
      await assert.rejects(core.replaceNamespacedConfigMap({ name: 'crud', namespace: 'default', body: { ...created, data: { c: '3' } } }), (e) => statusOf(e) === 409 && statusBodyOf(e).reason === 'Conflict');
      const replaced = await core.replaceNamespacedConfigMap({ name: 'crud', namespace: 'default', body: { ...jp, data: { c: '3' } } });
      assert.deepEqual(replaced.data, { c: '3' });
      await core.deleteNamespacedConfigMap({ name: 'crud', namespace: 'default' });
      await assert.rejects(core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' }), (e) => statusOf(e) === 404 && statusBodyOf(e).reason === 'NotFound');
      // Pausing a pool is a merge patch of spec.paused; the status subresource is separate.
      const paused = await custom.patchClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigpools', name: 'infra', body: { spec: { paused: true }, status: { machineCount: 99 } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      assert.equal(paused.spec.paused, true);
      assert.notEqual(paused.status.machineCount, 99, 'status changes through the main resource are ignored');
      await custom.patchClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigpools', name: 'infra', body: { spec: { paused: false } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      const sp = await raw(sim, 'PATCH', `/apis/${MC_GROUP}/v1/machineconfigpools/infra`, { body: { spec: { paused: true } }, headers: { 'Content-Type': 'application/strategic-merge-patch+json' } });
      assert.equal(sp.status, 415, 'custom resources do not take strategic merge patches');
    });
  });

  describe('auth and request faults', () => {
    it('gives 403 on one resource type per token rule, with the real message', async () => {
      const { k8s, kc } = await kubeConfig(sim, 'no-mc');
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const err = await custom.listClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigs' }).then(
        () => undefined,
        (e) => e,
      );
      assert.equal(statusOf(err), 403);
      assert.equal(statusBodyOf(err).message, `machineconfigs.machineconfiguration.openshift.io is forbidden: User "developer" cannot list resource "machineconfigs" in API group "machineconfiguration.openshift.io" at the cluster scope`);
      const pools = await custom.listClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineconfigpools' });
      assert.equal(pools.items.length, 3, 'other resources still work');
      const mosc = await kubeConfig(sim, 'no-mosc');
      await assert.rejects(mosc.kc.makeApiClient(mosc.k8s.CustomObjectsApi).listClusterCustomObject({ group: MC_GROUP, version: 'v1', plural: 'machineosconfigs' }), (e) => statusOf(e) === 403);
      const ro = await raw(sim, 'PATCH', `/apis/${MC_GROUP}/v1/machineconfigpools/worker`, { context: 'readonly', body: { spec: { paused: true } }, headers: { 'Content-Type': 'application/merge-patch+json' } });
      assert.equal(ro.status, 403);
      assert.match(ro.json<{ message: string }>().message, /User "viewer" cannot patch resource "machineconfigpools"/);
      const ssar = await raw(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { context: 'no-mc', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'list', group: MC_GROUP, resource: 'machineconfigs' } } } });
      assert.equal(ssar.json<{ status: { allowed: boolean } }>().status.allowed, false);
    });

    it('gives 401 once a token is expired at runtime, and 403 to anonymous requests', async () => {
      const { k8s, kc } = await kubeConfig(sim, 'expiring');
      const core = kc.makeApiClient(k8s.CoreV1Api);
      assert.ok((await core.listNode()).items.length);
      sim.faults.expireToken('expiring');
      await assert.rejects(core.listNode(), (e) => statusOf(e) === 401);
      sim.faults.restoreToken('expiring');
      assert.ok((await core.listNode()).items.length);
      // While a view is open: the informer's watch ends, its reconnect gets 401 and it reports an error.
      const inf = k8s.makeInformer(kc, '/api/v1/nodes', () => core.listNode());
      const errors: unknown[] = [];
      inf.on('error', (e) => errors.push(e));
      await inf.start();
      await until(() => sim.server.openWatchCount() > 0, 5000, 'watch');
      sim.faults.expireToken('expiring');
      await until(() => errors.length > 0, 10000, 'informer error after expiry');
      assert.equal(statusOf(errors[0]), 401);
      await inf.stop();
      sim.faults.restoreToken('expiring');
      const anon = await raw(sim, 'GET', '/api/v1/nodes', { context: null });
      assert.equal(anon.status, 403);
    });

    it('fails requests with 500 for a count or a while, adds latency, and becomes unreachable', async () => {
      sim.faults.failRequests({ status: 500, count: 2, match: { resource: 'nodes' } });
      assert.equal((await raw(sim, 'GET', '/api/v1/nodes?limit=1')).status, 500);
      assert.equal((await raw(sim, `GET`, `/apis/${MC_GROUP}/v1/machineconfigpools`)).status, 200, 'other resources are unaffected');
      assert.equal((await raw(sim, 'GET', '/api/v1/nodes?limit=1')).status, 500);
      assert.equal((await raw(sim, 'GET', '/api/v1/nodes?limit=1')).status, 200);
      sim.faults.failRequests({ status: 503, forMs: 200 });
      assert.equal((await raw(sim, 'GET', '/api')).status, 503);
      await new Promise((r) => setTimeout(r, 250));
      assert.equal((await raw(sim, 'GET', '/api')).status, 200);
      sim.faults.slowResponses({ ms: 300, match: { resource: 'machineconfigpools' } });
      const t = Date.now();
      await raw(sim, 'GET', `/apis/${MC_GROUP}/v1/machineconfigpools`);
      assert.ok(Date.now() - t >= 290, 'the response was delayed');
      sim.faults.clear();
      await sim.faults.unreachable();
      await assert.rejects(raw(sim, 'GET', '/version'), (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');
      await sim.faults.reachable();
      assert.equal((await raw(sim, 'GET', '/version')).status, 200);
    });

    it('takes faults through the authenticated control endpoint', async () => {
      const denied = await raw(sim, 'POST', '/_simulator/fail', { context: 'readonly', body: { status: 500 } });
      assert.equal(denied.status, 401);
      const ok = await raw(sim, 'POST', '/_simulator/fail', { body: { status: 500, count: 1, resource: 'namespaces' } });
      assert.equal(ok.status, 200);
      assert.equal((await raw(sim, 'GET', '/api/v1/namespaces')).status, 500);
      const state = (await raw(sim, 'GET', '/_simulator/state')).json<{ result: { pools: Array<{ name: string; machineCount: number }> } }>();
      assert.deepEqual(
        state.result.pools.map((p) => p.name),
        ['infra', 'master', 'worker'],
      );
    });
  });

  describe('pool membership edge cases', () => {
    it('a pool whose nodeSelector matches nothing is Updated with 0 machines; a node in two custom pools belongs to none', async () => {
      sim.cluster.addPool('empty');
      const empty = await sim.waitFor(() => sim.pool('empty')?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Updated' && c.status === 'True') && sim.pool('empty'));
      assert.equal(empty.status.machineCount, 0);
      assert.match(empty.spec.configuration.name, /^rendered-empty-[0-9a-f]{32}$/);
      const node = sim.nodesOf('infra')[0]!.metadata.name;
      const before = sim.pool('infra')!.status.machineCount;
      sim.cluster.addNodeToPool(node, 'empty');
      await sim.waitFor(() => sim.pool('infra')!.status.machineCount === before - 1, { what: 'infra to lose the node' });
      assert.equal(sim.pool('empty')!.status.machineCount, 0);
      assert.ok(sim.mco.warnings.some((w) => w.includes(`node ${node} belongs to 2 custom roles`)));
    });
  });

  describe('without ../shared', () => {
    it('validates MachineConfigs with the built-in schema and seeds built-in objects', async () => {
      const bare = await startSimulator({ nodes: 5, sharedDir: false, controllers: false, seed: 'bare' });
      try {
        assert.equal(bare.sharedDir, undefined);
        assert.ok(bare.notes.some((n) => n.includes('built-in')));
        const bad = await raw(bare, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs`, { body: { apiVersion: `${MC_GROUP}/v1`, kind: 'MachineConfig', metadata: { name: 'bad' }, spec: { osImageURL: 1, extensions: 'usbguard' } } });
        assert.equal(bad.status, 422);
        const causes = bad.json<{ details: { causes: Array<{ field: string }> } }>().details.causes.map((c) => c.field).sort();
        assert.deepEqual(causes, ['spec.extensions', 'spec.osImageURL']);
        const strict = await raw(bare, 'POST', `/apis/${MC_GROUP}/v1/machineconfigs?fieldValidation=Strict`, { body: { apiVersion: `${MC_GROUP}/v1`, kind: 'MachineConfig', metadata: { name: 'x' }, spec: { osImageUrl: 'typo' } } });
        assert.equal(strict.status, 400);
        assert.ok(bare.get('machineconfigs', '00-worker')!.spec.config.storage.files.length > 0);
      } finally {
        await bare.stop();
      }
    });

    it('uses the CRDs from ../shared when present (CEL rules, enums)', async function () {
      if (!sim.sharedDir) {
        console.log('      skipped: ../shared/reference/crds not found, so the CRD-only checks cannot run (the built-in MachineConfig schema is tested above)');
        this.skip();
      }
      const body = { apiVersion: `${MC_GROUP}/v1`, kind: 'MachineOSConfig', metadata: { name: 'not-the-pool' }, spec: { machineConfigPool: { name: 'worker' }, imageBuilder: { imageBuilderType: 'Docker' }, renderedImagePushSecret: { name: 's' }, renderedImagePushSpec: 'no-registry' } };
      const r = await raw(sim, 'POST', `/apis/${MC_GROUP}/v1/machineosconfigs?dryRun=All`, { body });
      assert.equal(r.status, 422);
      const msg = r.json<{ message: string }>().message;
      assert.match(msg, /spec\.imageBuilder\.imageBuilderType: Unsupported value: "Docker": supported values: "Job"/);
      assert.match(msg, /MachineOSConfig name must match the referenced MachineConfigPool name/);
      assert.match(msg, /spec\.renderedImagePushSpec: Invalid value: "string": the OCI Image name should follow the host\[:port\]\[\/namespace\]\/name format/);
    });
  });
});
