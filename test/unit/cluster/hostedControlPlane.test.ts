// A hosted control plane (HyperShift, ROSA with HCP) as its API server answers: ClusterVersion and nodes are served,
// the machineconfiguration.openshift.io group is not (404). The session, the tree and `rhcos-layering status` say the
// nodes are not managed by the Machine Config Operator and what to use instead, never "not OpenShift".
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { statusCommand } from '../../../src/cli/status';
import { openSession } from '../../../src/core/cluster/session';
import { ClusterTreeModel } from '../../../src/core/cluster/tree';
import { FakeApiServer, json, node, nodeList, status } from '../../helpers/fakeApiServer';

const CLUSTER_VERSION = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'ClusterVersion',
  metadata: { name: 'version', resourceVersion: '12' },
  status: { desired: { version: '4.19.7' }, history: [{ state: 'Completed', version: '4.19.7' }], conditions: [{ type: 'Progressing', status: 'False' }] },
};

describe('a hosted control plane (OpenShift without MachineConfigPools)', function () {
  this.timeout(20000);
  let server: FakeApiServer;

  beforeEach(async () => {
    server = await new FakeApiServer().start();
    server.handler = (_request, response, url) => {
      if (url.pathname.startsWith('/apis/machineconfiguration.openshift.io/')) return json(response, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      if (url.pathname === '/apis/config.openshift.io/v1/clusterversions') return json(response, 200, { kind: 'ClusterVersionList', apiVersion: 'config.openshift.io/v1', metadata: { resourceVersion: '12' }, items: [CLUSTER_VERSION] });
      if (url.pathname === '/api/v1/nodes') return json(response, 200, nodeList('40', [node('hcp-worker-a', '31', { 'node-role.kubernetes.io/worker': '', 'hypershift.openshift.io/nodePool': 'example-workers' }), node('hcp-worker-b', '32')]));
      if (url.pathname === '/api/v1/namespaces/openshift-machine-config-operator/configmaps') return json(response, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '40' }, items: [] });
      return json(response, 404, status(404, 'NotFound', 'not found'));
    };
  });
  afterEach(async () => {
    await server.stop();
  });

  it('the session and the tree: the nodes are not managed by the MCO; NodePools carry the image; an info mark, not an error', async () => {
    const opened = openSession(server.kubeconfig(), { timeoutMs: 5000, informer: { once: true }, trust: () => ({ what: 'No writes', why: 'this test only reads', next: '' }) });
    assert.ok(opened.ok);
    const session = opened.value.start();
    try {
      const health = await session.settled();
      assert.equal(health.state, 'notMcoManaged');
      assert.equal(health.problem!.what, `The nodes of ${server.url} are not managed by the Machine Config Operator`);
      assert.match(health.problem!.next, /NodePool on the management cluster \(spec\.release\.image; spec\.config lists ConfigMaps holding MachineConfigs\)/);
      const tree = new ClusterTreeModel(() => undefined);
      tree.setState({ kind: 'session', context: 'fake', server: session.server, snapshot: session.store, health, warnings: [], timeoutSeconds: 5 });
      const root = tree.children()[0]!;
      assert.equal(tree.item(root).icon!.id, 'server-environment');
      assert.match(tree.item(root).description!, /OpenShift 4\.19\.7$/);
      const children = tree.children(root);
      assert.deepEqual(children.map((e) => e.id), ['problem:cluster']);
      const problem = tree.item(children[0]!);
      assert.equal(problem.label, health.problem!.what);
      assert.deepEqual(problem.icon, { id: 'info' });
      assert.deepEqual(tree.children(children[0]).map((e) => tree.item(e).label), [health.problem!.why, health.problem!.next]);
      assert.doesNotMatch(JSON.stringify(tree.item(children[0]!)), /not an OpenShift/);
    } finally {
      await session.dispose();
    }
  });

  it('`rhcos-layering status` exits 2 and says the same on stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rhcos-hcp-'));
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, server.kubeconfig());
    const out: string[] = [];
    const err: string[] = [];
    const code = await statusCommand(['--kubeconfig', kubeconfig, '--format', 'json'], { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text) });
    assert.equal(code, 2);
    assert.deepEqual(out, []);
    assert.match(err.join(''), new RegExp(`^rhcos-layering: The nodes of ${server.url.replace(/\./g, '\\.')} are not managed by the Machine Config Operator: the cluster is OpenShift \\(it serves ClusterVersion\\) but serves no MachineConfigPools, as on a hosted control plane`));
  });
});
