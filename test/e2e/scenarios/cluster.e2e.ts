// The Cluster view against the run's simulated OpenShift cluster (test/e2e/harness/cluster.ts: master 3, worker 3,
// infra 2): the pools and nodes (scenario 4), "Apply to cluster" from the MachineConfig's CodeLens with the modal
// confirmation, the rollout as the tree shows it (pool Updating, a node SchedulingDisabled and Rebooting, then
// Updated on the custom image), the status bar, Roll Back from the pool's context menu, a MachineOSConfig applied the
// same way (on-cluster layering: the build, then the rollout); and an unreachable cluster and a 403 (scenario 5).
// Every assertion is on what the page shows.
import * as assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { useClusterSession } from '../harness/cluster';
import { useWorkbench } from '../harness/sessions';
import type { TreeItem } from '../harness/workbench';

const VIEW = 'rhcosLayering.cluster';
const TITLE = 'Cluster';
const IMAGE = `quay.io/example/rhcos-custom@sha256:${'c0ffee'.repeat(10)}c0ff`;

const row = (items: TreeItem[], label: string) => items.find((item) => item.label === label);
/** The items one level below `parent` (the rows after it, deeper than it, until the next row at its level). */
function childrenOf(items: TreeItem[], parent: string): TreeItem[] {
  const index = items.findIndex((item) => item.label === parent);
  if (index < 0) return [];
  const out: TreeItem[] = [];
  for (const item of items.slice(index + 1)) {
    if (item.level <= items[index]!.level) break;
    if (item.level === items[index]!.level + 1) out.push(item);
  }
  return out;
}

describe('Cluster view (simulated OpenShift cluster)', function () {
  const cluster = useClusterSession();
  const workbench = useWorkbench(cluster.options);
  let infraNodes: string[];
  /** The side bar's title and the tree's rows: what the README picture shows. */
  const TREE_CLIP = () => [workbench().page.locator('[id="workbench.parts.sidebar"] .composite.title'), workbench().viewPane(TITLE).locator('.pane-body .monaco-list-rows')];

  before(async function () {
    // A wider side bar, so the tree's descriptions show (and the README picture reads well).
    await workbench().setSidebarWidth(620);
    infraNodes = cluster.simulator().nodesOf('infra').map((node) => node.metadata.name).sort();
    const folder = path.join(workbench().session.workspaceDir, 'cluster');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'os-layer-infra.yaml'),
      [
        'apiVersion: machineconfiguration.openshift.io/v1',
        'kind: MachineConfig',
        'metadata:',
        '  name: os-layer-infra',
        '  labels:',
        '    machineconfiguration.openshift.io/role: infra',
        'spec:',
        `  osImageURL: ${IMAGE}`,
        '',
      ].join('\n'),
    );
  });

  after(function () {
    cluster.simulator().cluster.setStepMs(200);
  });

  it('4a. the sidebar shows the context, the base image, the pools and their nodes', async function () {
    const simulator = cluster.simulator();
    const items = await workbench().waitForTreeItems(
      VIEW,
      TITLE,
      (all) => /OpenShift/.test(all[0]?.description ?? '') && ['infra', 'master', 'worker'].every((pool) => /^Updated/.test(row(all, pool)?.description ?? '')),
      'the cluster with its version and the three pools, Updated',
      60_000,
    );
    assert.deepEqual(items[0] && [items[0].label, items[0].level, items[0].description], ['admin', 1, `${new URL(simulator.url).host} · OpenShift ${simulator.version.release}`]);
    assert.deepEqual(childrenOf(items, 'admin').map((item) => item.label), ['Base image', 'infra', 'master', 'worker']);
    assert.match(row(items, 'infra')!.description!, /^Updated 2\/2/);
    assert.match(row(items, 'master')!.description!, /^Updated 3\/3/);
    assert.match(row(items, 'worker')!.description!, /^Updated 3\/3/);

    await workbench().expandTreeItem(VIEW, TITLE, 'infra');
    const expanded = await workbench().waitForTreeItems(VIEW, TITLE, (all) => infraNodes.every((node) => row(all, node)), 'the infra nodes');
    for (const node of infraNodes) assert.match(row(expanded, node)!.description!, /^done · base image$/);
    assert.ok(childrenOf(expanded, 'infra').some((item) => item.label === 'MachineConfigs'));
  });

  it('4b. "Apply to cluster" asks first, then the tree follows the rollout: Updating, SchedulingDisabled, Rebooting, Updated', async function () {
    this.timeout(240_000);
    const simulator = cluster.simulator();
    await workbench().openFile('cluster/os-layer-infra.yaml');
    // A slower MCO while the rollout is watched: each step of a node lasts long enough to be seen.
    simulator.cluster.setStepMs(700);
    await workbench().clickCodeLens('Apply os-layer-infra to cluster');
    const dialog = await workbench().confirmDialog('Apply');
    assert.equal(dialog.message, 'Apply MachineConfig os-layer-infra to context admin?');
    assert.match(dialog.detail, new RegExp(`Server: ${simulator.url.replace(/[.]/g, '\\.')}`));
    assert.match(dialog.detail, /Pools: infra \(2 nodes, 1 at a time\)/);
    assert.match(dialog.detail, /Up to 2 nodes will be cordoned, drained and rebooted/);
    assert.deepEqual(dialog.buttons.sort(), ['Apply', 'Cancel']);
    await workbench().waitForNotification('Applied os-layer-infra to admin. The Cluster view follows the rollout of infra.');

    await workbench().expandTreeItem(VIEW, TITLE, 'infra');
    const updating = await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^Updating 0\/2/.test(row(all, 'infra')?.description ?? ''), 'pool infra Updating');
    assert.match(row(updating, 'master')!.description!, /^Updated/, 'the other pools are not touched');
    const cordoned = await workbench().waitForTreeItems(VIEW, TITLE, (all) => infraNodes.some((node) => /SchedulingDisabled/.test(row(all, node)?.description ?? '')), 'an infra node SchedulingDisabled', 60_000);
    const first = infraNodes.find((node) => /SchedulingDisabled/.test(row(cordoned, node)!.description!))!;
    assert.match(row(cordoned, first)!.description!, /^(updating|draining) · base image · → rendered-infra-\w+ · SchedulingDisabled/);
    const other = infraNodes.find((node) => node !== first)!;
    // maxUnavailable 1: one node at a time; the other is done with the old config, waiting for its turn (no green check).
    assert.match(row(cordoned, other)!.description!, /^waiting · base image · not yet picked for rendered-infra-/);
    assert.deepEqual(childrenOf(cordoned, 'infra').filter((item) => infraNodes.includes(item.label)).map((item) => item.label), [first, other], 'the node being updated comes first');
    const status = workbench().page.locator('[id="workbench.parts.statusbar"] .statusbar-item', { hasText: /infra [01]\/2 updated/ });
    await status.first().waitFor();

    await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^rebooting/.test(row(all, first)?.description ?? ''), `${first} rebooting`, 60_000);
    await workbench().screenshot('readme-cluster-rollout', { clip: TREE_CLIP(), padding: 6 });
    simulator.cluster.setStepMs(100);

    const updated = await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^Updated 2\/2/.test(row(all, 'infra')?.description ?? ''), 'pool infra Updated', 120_000);
    for (const node of infraNodes) assert.match(row(updated, node)!.description!, /^done · custom /, `${node}: ${row(updated, node)!.description}`);
    assert.match(row(updated, 'infra')!.description!, /custom/);
    await status.first().waitFor({ state: 'detached' });
  });

  it('4b2. a node turns Degraded: the notification quotes its reason in full with Roll Back, Pause and Show Node; Show Node selects it', async function () {
    this.timeout(120_000);
    const simulator = cluster.simulator();
    const node = infraNodes[1]!;
    simulator.faults.degradeNodes([node], 'drain', { when: 'now' });
    const message = `Pool infra on admin is degraded (1 of 2 nodes): node ${node} is reporting: failed to drain node: ${node} after 1 hour. Please see machine-config-controller logs for more information`;
    const notification = await workbench().waitForNotification(message, 60_000);
    assert.equal(notification.severity, 'warning');
    assert.deepEqual(notification.buttons, ['Roll Back', 'Pause', 'Show Node']);
    await workbench().clickNotificationButton(message, 'Show Node');
    // Show Node reveals the node and selects it.
    await workbench().viewPane(TITLE).locator('.pane-body .monaco-list-row[aria-selected="true"]', { has: workbench().page.locator('.label-name', { hasText: new RegExp(`^${node.replace(/\./g, '\\.')}$`) }) }).waitFor({ timeout: 30_000 });
    const items = await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^degraded · /.test(row(all, node)?.description ?? ''), `${node} degraded`);
    assert.match(row(items, 'infra')!.description!, /^Degraded \(1 of 2\)/);
    simulator.faults.recoverNodes([node]);
    await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^Updated 2\/2/.test(row(all, 'infra')?.description ?? '') && /^done · custom /.test(row(all, node)?.description ?? ''), 'infra Updated again', 60_000);
  });

  it('4c. Roll Back from the pool\'s context menu: confirmed, then the pool returns to the base image', async function () {
    this.timeout(180_000);
    cluster.simulator().cluster.setStepMs(700);
    const menu = await workbench().treeContextMenu(VIEW, TITLE, 'infra', 'Roll Back Pool to Base Image');
    assert.ok(menu.includes('Pause Pool'), `menu: ${menu.join(' | ')}`);
    const dialog = await workbench().confirmDialog('Delete and Roll Back');
    assert.equal(dialog.message, 'Roll back pool infra on context admin to the base image?');
    assert.match(dialog.detail, /Deletes MachineConfig os-layer-infra \(osImageURL /);
    assert.match(dialog.detail, /Up to 2 nodes will be cordoned, drained and rebooted/);
    await workbench().waitForNotification(/^Deleted os-layer-infra on admin: pool infra rolls back to the base image/);
    await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^Updating/.test(row(all, 'infra')?.description ?? ''), 'pool infra Updating (rolling back)', 60_000);
    cluster.simulator().cluster.setStepMs(100);
    const back = await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^Updated 2\/2/.test(row(all, 'infra')?.description ?? '') && infraNodes.every((node) => /base image/.test(row(all, node)?.description ?? '')), 'pool infra back on the base image', 120_000);
    assert.doesNotMatch(row(back, 'infra')!.description!, /custom/);
    assert.equal(cluster.simulator().get('machineconfigs', 'os-layer-infra'), undefined, 'the MachineConfig is gone from the cluster');
  });

  it('4d. on-cluster layering: "Apply to cluster" on a MachineOSConfig names the build; the pool runs the built image; Roll Back deletes the MachineOSConfig', async function () {
    this.timeout(240_000);
    const simulator = cluster.simulator();
    simulator.cluster.setStepMs(100);
    writeFileSync(
      path.join(workbench().session.workspaceDir, 'cluster', 'infra-machineosconfig.yaml'),
      [
        'apiVersion: machineconfiguration.openshift.io/v1',
        'kind: MachineOSConfig',
        'metadata:',
        '  name: infra',
        'spec:',
        '  machineConfigPool:',
        '    name: infra',
        '  imageBuilder:',
        '    imageBuilderType: Job',
        '  renderedImagePushSecret:',
        '    name: builder-dockercfg-abcde',
        '  renderedImagePushSpec: image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest',
        '  containerFile:',
        '    - containerfileArch: NoArch',
        '      content: |-',
        '        FROM configs AS final',
        '        RUN dnf install -y tmux && dnf clean all && bootc container lint',
        '',
      ].join('\n'),
    );
    await workbench().openFile('cluster/infra-machineosconfig.yaml');
    await workbench().clickCodeLens('Apply infra to cluster');
    const dialog = await workbench().confirmDialog('Apply');
    assert.equal(dialog.message, 'Apply MachineOSConfig infra to context admin?');
    assert.match(dialog.detail, /On-cluster layering: the cluster builds the image for pool infra from the Containerfile in the MachineOSConfig/);
    assert.match(dialog.detail, /Pools: infra \(2 nodes, 1 at a time\)/);
    await workbench().waitForNotification('Applied infra to admin. The Cluster view follows the rollout of infra.');
    await workbench().expandTreeItem(VIEW, TITLE, 'infra');
    await workbench().waitForTreeItems(VIEW, TITLE, (all) => childrenOf(all, 'infra').some((item) => item.label === 'MachineOSConfig infra'), 'the MachineOSConfig under pool infra', 60_000);
    const built = await workbench().waitForTreeItems(
      VIEW,
      TITLE,
      (all) => /^Updated 2\/2/.test(row(all, 'infra')?.description ?? '') && infraNodes.every((node) => /custom/.test(row(all, node)?.description ?? '')),
      'pool infra on the image the cluster built',
      180_000,
    );
    assert.match(row(built, 'MachineOSConfig infra')!.description!, /^latest build Succeeded/);

    // Roll Back deletes the MachineOSConfig, and the pool returns to the base image (as the next suites expect it).
    await workbench().treeContextMenu(VIEW, TITLE, 'infra', 'Roll Back Pool to Base Image');
    const rollBack = await workbench().confirmDialog('Delete and Roll Back');
    assert.equal(rollBack.message, 'Roll back pool infra on context admin to the base image?');
    assert.match(rollBack.detail, /Deletes MachineOSConfig infra: the pool stops using the image the cluster builds for it/);
    await workbench().waitForNotification(/^Deleted MachineOSConfig infra on admin: pool infra rolls back to the base image/);
    await workbench().waitForTreeItems(
      VIEW,
      TITLE,
      (all) => /^Updated 2\/2/.test(row(all, 'infra')?.description ?? '') && infraNodes.every((node) => /base image/.test(row(all, node)?.description ?? '')),
      'pool infra back on the base image',
      180_000,
    );
  });

  it('5a. a context whose user may not list MachineConfigs (403): the tree says so and still shows the pools', async function () {
    this.timeout(120_000);
    await workbench().runCommand('RHCOS Layering: Switch Kubernetes Context', { keepOpen: true });
    // The command palette closes and the context picker opens: read the picker, not the palette.
    await workbench().quickInputTitle('Kubernetes context for the Cluster view');
    const contexts = await workbench().quickPickItems();
    assert.ok(contexts.includes('no-mc') && contexts.includes('admin'), `contexts: ${contexts.join(' | ')}`);
    await workbench().pickQuickItem('no-mc');
    try {
      const items = await workbench().waitForTreeItems(VIEW, TITLE, (all) => all[0]?.label === 'no-mc' && all.some((item) => /forbidden|\b403\b|not allowed|permission/i.test(`${item.label} ${item.description ?? ''}`)), 'the 403 in the tree', 60_000);
      const problem = items.find((item) => /forbidden|\b403\b|not allowed|permission/i.test(`${item.label} ${item.description ?? ''}`))!;
      assert.match(problem.label, /machineconfigs/i, `the problem names what cannot be read: ${problem.label}`);
      assert.ok(['infra', 'master', 'worker'].every((pool) => row(items, pool)), 'the pools are still shown');
      await workbench().screenshot('cluster 403', { clip: TREE_CLIP(), padding: 6 });
    } finally {
      await workbench().runCommand('RHCOS Layering: Switch Kubernetes Context', { keepOpen: true });
      await workbench().pickQuickItem('admin');
    }
    await workbench().waitForTreeItems(VIEW, TITLE, (all) => all[0]?.label === 'admin' && !all.some((item) => /forbidden|\b403\b/i.test(item.label)), 'back on context admin', 60_000);
  });

  it('5b. an unreachable cluster: the tree says it cannot reach the server, and recovers with Retry Connection', async function () {
    this.timeout(180_000);
    const simulator = cluster.simulator();
    const host = new URL(simulator.url).host;
    await workbench().waitForTreeItems(VIEW, TITLE, (all) => /^Updated/.test(row(all, 'infra')?.description ?? ''), 'the tree connected');
    await simulator.faults.unreachable();
    try {
      // The problem, and the last known pools kept, greyed out and dated.
      const down = await workbench().waitForTreeItems(VIEW, TITLE, (all) => all.some((item) => /reach|refused|unreachable/i.test(item.label)) && /^as of \d\d:\d\d:\d\d · /.test(row(all, 'infra')?.description ?? ''), 'the unreachable cluster in the tree, its pools as of when it was lost', 120_000);
      const problem = down.find((item) => /reach|refused|unreachable/i.test(item.label))!;
      assert.ok(problem.label.includes(host) || (problem.description ?? '').includes(host) || /127\.0\.0\.1/.test(problem.ariaLabel), `the problem names the server: ${JSON.stringify(problem)}`);
      assert.match(row(down, 'infra')!.description!, /^as of \d\d:\d\d:\d\d · Updated 2\/2/);
      const context = workbench().page.locator('[id="workbench.parts.statusbar"] .statusbar-item', { hasText: 'admin' });
      await context.locator('.codicon-warning').first().waitFor();
      await workbench().screenshot('readme-cluster-unreachable', { clip: TREE_CLIP(), padding: 6 });
    } finally {
      await simulator.faults.reachable();
    }
    await workbench().runCommand('RHCOS Layering: Retry Connection');
    await workbench().waitForTreeItems(VIEW, TITLE, (all) => !all.some((item) => /reach|refused|unreachable/i.test(item.label)) && /^Updated/.test(row(all, 'infra')?.description ?? ''), 'the tree back after the retry', 120_000);
  });
});
