// The Cluster view's tree provider against the simulated cluster the e2e run starts (test/e2e/harness/cluster.ts):
// the context, the base image, the pools and each pool's nodes, as the provider hands them to VS Code; and what the
// connected cluster tells the rest of the extension (pool names for the pickers, the version for the rules).
// Without a simulator (npm run test:vscode, the other e2e sessions) the suite is skipped with the reason.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeElement } from '../../src/core/cluster/tree';
import type { TestApi } from '../../src/extension';
import type { SimulatorInfo } from '../e2e/harness/cluster';
import { getExtensionApi, skipBecause } from './helpers';

const SIMULATOR_ENV = 'RHCOS_E2E_SIMULATOR';

type Cluster = TestApi['cluster'];

/** Resolves once the explorer is connected to the simulator and has listed every pool (checked on each change). */
function connected(cluster: Cluster, info: SimulatorInfo, timeoutMs = 45_000): Promise<void> {
  const ready = () => {
    const state = cluster.explorer.state;
    return state.kind === 'session' && state.health.state === 'connected' && state.health.settled && state.snapshot.pools.size === Object.keys(info.pools).length && state.snapshot.nodes.size > 0;
  };
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => {
      subscription.dispose();
      const state = cluster.explorer.state;
      reject(new Error(`The Cluster view did not connect to ${info.url} within ${timeoutMs} ms; it is ${state.kind}${state.kind === 'session' ? ` (${state.health.state}${state.health.problem ? `: ${state.health.problem.what}` : ''})` : state.kind === 'problem' ? `: ${state.problem.what}` : ''}`));
    }, timeoutMs);
    const subscription = cluster.explorer.onDidChange(() => {
      if (!ready()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

/** The tree as VS Code gets it: each element's TreeItem. */
function items(cluster: Cluster, parent?: TreeElement): { element: TreeElement; item: vscode.TreeItem }[] {
  return cluster.tree.getChildren(parent).map((element) => ({ element, item: cluster.tree.getTreeItem(element) }));
}

const text = (value: string | vscode.TreeItemLabel | undefined) => (typeof value === 'object' ? value.label : value ?? '');

describe('cluster explorer', function () {
  this.timeout(60_000);
  let info: SimulatorInfo;
  let api: TestApi;

  before(async function () {
    const raw = process.env[SIMULATOR_ENV];
    if (!raw) return skipBecause(this, `needs the simulated cluster of the e2e run (${SIMULATOR_ENV} is not set)`);
    info = JSON.parse(raw) as SimulatorInfo;
    api = await getExtensionApi<TestApi>();
    // Showing the view is what connects (nothing loads the Kubernetes client before).
    await vscode.commands.executeCommand('rhcosLayering.cluster.focus');
    await connected(api.cluster, info);
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('the root is the kubeconfig context, with the server and the OpenShift version', function () {
    const roots = items(api.cluster);
    assert.equal(roots.length, 1);
    const [{ item }] = roots as [{ element: TreeElement; item: vscode.TreeItem }];
    assert.equal(text(item.label), info.context);
    assert.equal(item.description, `${new URL(info.url).host} · OpenShift ${info.version}`);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
  });

  it('under it: the cluster\'s base image, then every pool with its state and node count', function () {
    const [root] = items(api.cluster);
    const children = items(api.cluster, root!.element);
    const base = children.find((child) => child.element.kind === 'baseImage');
    assert.equal(text(base?.item.label), 'Base image');
    const digest = info.baseOSContainerImage.split('@')[1]!;
    assert.ok(String(base?.item.description).includes(digest.slice(7, 19)), `base image description ${base?.item.description} names ${info.baseOSContainerImage}`);
    const pools = children.filter((child) => child.element.kind === 'pool');
    assert.deepEqual(pools.map((pool) => text(pool.item.label)), Object.keys(info.pools).sort());
    for (const pool of pools) {
      const count = info.pools[text(pool.item.label)]!.length;
      assert.match(String(pool.item.description), new RegExp(`^Updated ${count}/${count}\\b`), `pool ${text(pool.item.label)}: ${pool.item.description}`);
      assert.equal(pool.item.contextValue?.split(' ')[0], 'pool');
    }
  });

  it('each pool lists exactly its nodes, done on the base image (phase and image first, a check icon)', function () {
    const [root] = items(api.cluster);
    for (const pool of items(api.cluster, root!.element).filter((child) => child.element.kind === 'pool')) {
      const name = text(pool.item.label);
      const nodes = items(api.cluster, pool.element).filter((child) => child.element.kind === 'node');
      assert.deepEqual(nodes.map((node) => text(node.item.label)).sort(), info.pools[name], `nodes of pool ${name}`);
      for (const node of nodes) {
        assert.equal(String(node.item.description), 'done · base image', `${text(node.item.label)}: ${node.item.description}`);
        assert.equal((node.item.iconPath as vscode.ThemeIcon).id, 'pass');
        assert.equal(node.item.contextValue, 'node done');
        assert.match((node.item.tooltip as vscode.MarkdownString).value, /\*\*Up to date\*\* yes/);
      }
    }
  });

  it('the connected cluster\'s pools reach the pool pickers; its version and base image reach the rules (targetVersion auto)', async function () {
    assert.deepEqual(api.pools.pools(), Object.keys(info.pools).sort());
    // The explorer publishes to the rules a moment after the data arrives (debounced): wait on the lint context.
    const facts = await new Promise<NonNullable<TestApi['lintContext']['clusterFacts']>>((resolve, reject) => {
      const check = () => {
        const current = api.lintContext.clusterFacts;
        if (!current?.version) return false;
        subscription.dispose();
        clearTimeout(timer);
        resolve(current);
        return true;
      };
      const subscription = api.lintContext.onDidChange(check);
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`The lint context never got the cluster's version; it has ${JSON.stringify(api.lintContext.clusterFacts)}`));
      }, 15_000);
      check();
    });
    assert.deepEqual(facts, { context: info.context, version: info.version, baseOSContainerImage: info.baseOSContainerImage });
    const [major, minor] = info.version.split('.').map(Number);
    assert.deepEqual(api.lintContext.targetVersion('auto'), { major, minor });
  });

  it('the status bar names the context', function () {
    assert.match(api.cluster.statusBar.contextItem.text, new RegExp(`\\$\\(server-environment\\) ${info.context}$`));
    assert.equal(api.cluster.statusBar.rolloutText, undefined, 'nothing rolls out');
  });
});
