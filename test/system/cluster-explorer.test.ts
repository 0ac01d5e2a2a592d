// The extension's cluster side (explorer, tree provider, commands, status bar, notifications, YAML documents),
// activated from source in a stubbed editor (test/helpers/vscodeStub.ts) against the simulator: the real code paths
// from a command to the cluster and back to the tree, the status bar and the messages a user sees.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { TestApi } from '../../src/extension';
import type { TreeElement } from '../../src/core/cluster/tree';
import { until } from '../helpers/fakeApiServer';
import { installVscodeStub, stubExtensionContext, type Message, type VscodeStub } from '../helpers/vscodeStub';
import { startSimulator, type Simulator } from '../simulator/index';
import { CUSTOM_IMAGE } from './helpers/cluster';

const ROOT = path.resolve(__dirname, '..', '..');

const MC_YAML = `# A layered image for the worker pool
apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: 99-worker-layered
  labels:
    machineconfiguration.openshift.io/role: worker
spec:
  osImageURL: ${CUSTOM_IMAGE}
`;

describe('cluster explorer in a stubbed editor (commands, tree, status bar, notifications)', function () {
  this.timeout(90000);
  let sim: Simulator;
  let stub: VscodeStub;
  let api: TestApi;
  let context: ReturnType<typeof stubExtensionContext>;
  let dir: string;
  let kubeconfig: string;
  const savedKubeconfigEnv = process.env.KUBECONFIG;

  const explorer = () => api.cluster.explorer;
  const statusText = (id: string) => stub.statusBarItems.find((i) => i.id === id);
  const answer = (button: string | undefined, seen?: Message[]) => (message: Message) => {
    seen?.push(message);
    return button;
  };

  before(async () => {
    sim = await startSimulator({ nodes: 9, pools: [{ name: 'worker', maxUnavailable: 2 }, { name: 'infra', nodes: 1 }], stepMs: 8, bookmarkMs: 300, seed: 'explorer' });
    dir = mkdtempSync(path.join(tmpdir(), 'rhcos-explorer-'));
    kubeconfig = path.join(dir, 'config');
    copyFileSync(sim.kubeconfigPath, kubeconfig);
    stub = installVscodeStub();
    stub.settings.set('rhcosLayering.kubeconfig', kubeconfig);
    stub.settings.set('rhcosLayering.cluster.requestTimeoutSeconds', 5);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require('../../src/extension') as typeof import('../../src/extension');
    context = stubExtensionContext(ROOT);
    const services = extension.activate(context as never);
    assert.ok(services, 'activate() returns the services in Test mode');
    api = services;
  });

  after(async () => {
    for (const disposable of context?.subscriptions ?? []) disposable.dispose();
    stub?.uninstall();
    if (savedKubeconfigEnv === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfigEnv;
    await sim?.stop();
  });

  it('activation reads nothing and connects to nothing until the view is shown', () => {
    assert.equal(explorer().state.kind, 'idle');
    assert.equal(explorer().session, undefined);
    assert.equal(api.pools.pools(), undefined);
    assert.equal(statusText('rhcosLayering.cluster.context')!.visible, false);
  });

  it('showing the view connects: cluster root, base image, pools; the status bar shows the context; the rules learn the cluster', async () => {
    const tree = api.cluster.tree;
    assert.deepEqual(tree.getChildren().map((e) => e.id), [], 'the first call starts the explorer');
    await explorer().settled();
    const root = tree.getChildren();
    assert.deepEqual(root.map((e) => e.id), ['cluster:admin']);
    const rootItem = tree.getTreeItem(root[0]!);
    assert.equal(rootItem.label, 'admin');
    assert.match(String(rootItem.description), /^127\.0\.0\.1:\d+ · OpenShift 4\.18\.\d+$/);
    assert.deepEqual(tree.getChildren(root[0]).map((e) => e.id), ['base-image', 'pool:infra', 'pool:master', 'pool:worker']);
    const worker = tree.getTreeItem(explorer().model.element('pool', 'worker'));
    assert.equal(worker.contextValue, 'pool running base');
    assert.equal((worker.iconPath as { id: string }).id, 'pass');
    assert.equal(statusText('rhcosLayering.cluster.context')!.visible, true);
    assert.match(statusText('rhcosLayering.cluster.context')!.text, /\$\(server-environment\) admin/);
    assert.equal(stub.contextKeys.get('rhcosLayering.noKubeconfig'), false);
    await until(() => api.lintContext.clusterFacts?.baseOSContainerImage !== undefined, 3000, 'the lint context');
    assert.deepEqual(api.lintContext.clusterFacts, {
      context: 'admin',
      version: sim.version.release,
      baseOSContainerImage: sim.get('configmaps', 'machine-config-osimageurl', 'openshift-machine-config-operator')!.data.baseOSContainerImage,
    });
    assert.ok(explorer().clientLoaded);
    // The MachineConfig generator's pool pickers get the cluster's pools.
    assert.deepEqual(api.pools.pools(), ['infra', 'master', 'worker']);
    assert.equal(api.pools.context, 'admin');
  });

  it('apply to cluster: the confirmation names context, server, pools and nodes; then the tree, status bar and a notification follow the rollout', async () => {
    const file = path.join(dir, '99-worker-layered.yaml');
    writeFileSync(file, MC_YAML);
    stub.activeDocument = { uri: (stub.module.Uri as { file(p: string): never }).file(file), languageId: 'yaml', getText: () => MC_YAML };
    const seen: Message[] = [];
    stub.answers.push(answer('Apply', seen));
    const rolloutTexts = new Set<string>();
    const watchStatus = setInterval(() => {
      const item = statusText('rhcosLayering.cluster.rollout')!;
      if (item.visible) rolloutTexts.add(item.text);
    }, 5);
    // One source of truth: whenever the views change, the status bar and the tree's pool row say the same count.
    const disagreements: string[] = [];
    let compared = 0;
    const offViews = explorer().model.onDidChangeViews(() => {
      const item = statusText('rhcosLayering.cluster.rollout')!;
      const bar = /worker (\d+)\/5 updated/.exec(item.visible ? item.text : '')?.[1];
      const row = /^Updating (\d+)\/5/.exec(String(api.cluster.tree.getTreeItem(explorer().model.element('pool', 'worker')).description))?.[1];
      if (bar === undefined || row === undefined) return;
      compared++;
      if (bar !== row) disagreements.push(`status bar ${bar}/5, tree ${row}/5`);
    });
    const applied = await stub.executeCommand('rhcosLayering.applyToCluster');
    assert.deepEqual(applied, ['99-worker-layered']);
    const confirmation = seen[0]!;
    assert.equal(confirmation.modal, true);
    assert.equal(confirmation.text, 'Apply MachineConfig 99-worker-layered to context admin?');
    assert.match(confirmation.detail!, new RegExp(`^Server: ${sim.url.replace(/\./g, '\\.')}`));
    assert.match(confirmation.detail!, /Pools: infra \(1 node, 1 at a time\), worker \(5 nodes, 2 at a time\)\./);
    assert.match(confirmation.detail!, /Up to 6 nodes will be cordoned, drained and rebooted/);
    assert.match(confirmation.detail!, /server-side dry run/);
    assert.equal(sim.get('machineconfigs', '99-worker-layered')!.spec.osImageURL, CUSTOM_IMAGE);
    assert.match(stub.messages.at(-1)!.text, /^Applied 99-worker-layered to admin\. The Cluster view follows the rollout of infra, worker\./);
    assert.deepEqual((stub.revealed as TreeElement[]).map((e) => e.id), ['pool:infra']);
    await until(() => api.cluster.notifier.sent.some((m) => m.startsWith('Pool worker on admin finished updating')), 60000, 'the worker rollout to finish');
    clearInterval(watchStatus);
    offViews();
    assert.deepEqual(disagreements, []);
    assert.ok(compared > 0, 'the status bar and the tree were compared during the rollout');
    assert.ok([...rolloutTexts].some((t) => /^\$\(sync~spin\) .*worker \d\/5 updated/.test(t)), `status bar showed: ${[...rolloutTexts].join(' | ')}`);
    await until(() => !statusText('rhcosLayering.cluster.rollout')!.visible, 20000, 'the rollout item to go');
    const notification = stub.messages.find((m) => m.text.startsWith('Pool worker on admin finished updating'))!;
    assert.equal(notification.level, 'info');
    assert.match(notification.text, /5\/5 nodes on rendered-worker-[0-9a-f]+ \(custom image\)\.$/);
    const worker = api.cluster.tree.getTreeItem(explorer().model.element('pool', 'worker'));
    assert.match(String(worker.description), /^Updated 5\/5 · custom image$/);
    assert.equal(worker.contextValue, 'pool running custom rollback');
  });

  it('applying it again asks before replacing; declining changes nothing', async () => {
    const changed = MC_YAML.replace(CUSTOM_IMAGE, `quay.io/example/other@sha256:${'e'.repeat(64)}`);
    stub.activeDocument = { uri: (stub.module.Uri as { file(p: string): never }).file(path.join(dir, 'other.yaml')), languageId: 'yaml', getText: () => changed };
    const seen: Message[] = [];
    stub.answers.push(answer('Apply', seen), answer(undefined, seen));
    const applied = await stub.executeCommand('rhcosLayering.applyToCluster');
    assert.deepEqual(applied, []);
    assert.match(seen[0]!.detail!, /Already on the cluster: 99-worker-layered/);
    assert.equal(seen[1]!.text, 'MachineConfig 99-worker-layered already exists on admin. Replace it with the one in other.yaml?');
    assert.equal(seen[1]!.modal, true);
    assert.equal(sim.get('machineconfigs', '99-worker-layered')!.spec.osImageURL, CUSTOM_IMAGE);
  });

  it('a MachineConfig the server refuses stops at the dry run, with the server\'s reason', async () => {
    const bad = MC_YAML.replace('99-worker-layered', '99-worker-bad').replace('osImageURL:', 'osImageURl:');
    stub.activeDocument = { uri: (stub.module.Uri as { file(p: string): never }).file(path.join(dir, 'bad.yaml')), languageId: 'yaml', getText: () => bad };
    stub.answers.push(answer('Apply'));
    const before = stub.messages.length;
    await stub.executeCommand('rhcosLayering.applyToCluster');
    const error = stub.messages.slice(before).find((m) => m.level === 'error')!;
    assert.match(error.text, /^The server refused MachineConfig 99-worker-bad \(dry run, nothing was changed\): .*osImageURl/);
    assert.equal(sim.get('machineconfigs', '99-worker-bad'), undefined);
  });

  it('open YAML shows the object read-only, without managedFields; copy commands and the base image', async () => {
    const node = sim.nodesOf('worker')[0]!.metadata.name;
    await stub.executeCommand('rhcosLayering.cluster.openYaml', explorer().model.element('node', node, 'worker'));
    const document = stub.activeDocument!;
    assert.equal(document.uri.scheme, 'rhcos-cluster');
    assert.equal(document.languageId, 'yaml');
    const text = document.getText();
    assert.match(text, new RegExp(`^# Node ${node} on context admin \\(https://127\\.0\\.0\\.1:\\d+\\), read-only\\.`));
    const object = parse(text);
    assert.equal(object.metadata.name, node);
    assert.equal(object.metadata.managedFields, undefined);
    await stub.executeCommand('rhcosLayering.cluster.copyVerifyCommands', explorer().model.element('pool', 'worker'));
    assert.match(stub.clipboard, /^oc --context admin get mcp worker\n/);
    assert.match(stub.clipboard, /oc --context admin debug node\/\S+ -- chroot \/host rpm-ostree status\n$/);
    const image = await stub.executeCommand('rhcosLayering.cluster.copyBaseImage');
    assert.equal(stub.clipboard, image);
    assert.match(String(image), /^quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:/);
  });

  it('a pool that becomes degraded: the node\'s reason in full, Roll Back / Pause / Show Node; the node says what the MCO waits for', async () => {
    const node = sim.nodesOf('worker')[0]!.metadata.name;
    const before = stub.messages.length;
    const seen: Message[] = [];
    stub.answers.push(answer('Show Node', seen));
    sim.faults.degradeNodes([node], 'drain', { when: 'now' });
    await until(() => seen.length > 0, 10000, 'the degraded notification');
    const warning = seen[0]!;
    assert.equal(warning.level, 'warning');
    assert.equal(warning.text, `Pool worker on admin is degraded (1 of 5 nodes): node ${node} is reporting: failed to drain node: ${node} after 1 hour. Please see machine-config-controller logs for more information`);
    assert.deepEqual(warning.items, ['Roll Back', 'Pause', 'Show Node']);
    await until(() => (stub.revealed as TreeElement[]).some((e) => e.id === `node:worker/${node}`), 5000, 'Show Node to reveal the node');
    const item = api.cluster.tree.getTreeItem(explorer().model.element('node', node, 'worker'));
    assert.match(String(item.description), /^degraded · custom rhcos-layered@sha256:cccccccccccc · failed to drain node/);
    const tooltip = (item.tooltip as { value: string }).value;
    assert.match(tooltip, new RegExp(`\\*\\*The MCO is waiting for\\*\\* The drain of ${node.replace(/\./g, '\\.')} to finish`));
    assert.match(tooltip, /\*\*Next\*\* Find the pod: `oc get pdb -A`/);
    // Roll Back stays on a degraded pool's menu.
    assert.match(api.cluster.tree.getTreeItem(explorer().model.element('pool', 'worker')).contextValue!, /^pool running custom rollback$/);
    assert.ok(stub.messages.length > before);
    sim.faults.recoverNodes([node]);
    await until(() => api.cluster.notifier.sent.filter((m) => m.startsWith('Pool worker on admin finished updating')).length >= 2, 20000, 'recovery');
  });

  it('roll back from the pool: the confirmation names the MachineConfig, pools and nodes; the pools go back to the base image', async () => {
    const seen: Message[] = [];
    stub.answers.push(answer('Delete and Roll Back', seen));
    const deleted = await stub.executeCommand('rhcosLayering.rollBack', explorer().model.element('pool', 'worker'));
    assert.deepEqual(deleted, ['99-worker-layered']);
    assert.equal(seen[0]!.text, 'Roll back pool worker on context admin to the base image?');
    assert.match(seen[0]!.detail!, /Deletes MachineConfig 99-worker-layered \(osImageURL rhcos-layered@sha256:cccccccccccc\)\./);
    assert.match(seen[0]!.detail!, /Pools: infra \(1 node, 1 at a time\), worker \(5 nodes, 2 at a time\) go back to ocp-v4\.0-art-dev@sha256:/);
    assert.match(seen[0]!.detail!, /Up to 6 nodes will be cordoned, drained and rebooted/);
    assert.equal(sim.get('machineconfigs', '99-worker-layered'), undefined);
    await until(() => api.cluster.tree.getTreeItem(explorer().model.element('pool', 'worker')).contextValue === 'pool running base', 60000, 'worker back on the base image');
  });

  it('pause and resume, each confirmed; declining does nothing; in Restricted Mode writes are refused', async () => {
    const pool = explorer().model.element('pool', 'worker');
    stub.answers.push(answer(undefined));
    await stub.executeCommand('rhcosLayering.cluster.pausePool', pool);
    assert.equal(sim.pool('worker')!.spec.paused ?? false, false);
    const seen: Message[] = [];
    stub.answers.push(answer('Pause Pool', seen));
    await stub.executeCommand('rhcosLayering.cluster.pausePool', pool);
    assert.match(seen[0]!.text, /^Pause pool worker on context admin\?$/);
    assert.match(seen[0]!.detail!, /Server: https:\/\/127\.0\.0\.1:\d+/);
    assert.equal(sim.pool('worker')!.spec.paused, true);
    await until(() => api.cluster.tree.getTreeItem(pool).contextValue === 'pool paused base', 5000, 'the paused pool item');
    const workspace = stub.module.workspace as { isTrusted: boolean };
    workspace.isTrusted = false;
    try {
      const before = stub.messages.length;
      await stub.executeCommand('rhcosLayering.cluster.resumePool', pool);
      assert.match(stub.messages[before]!.text, /needs a trusted workspace/);
      assert.equal(sim.pool('worker')!.spec.paused, true);
    } finally {
      workspace.isTrusted = true;
    }
    stub.answers.push(answer('Resume Pool'));
    await stub.executeCommand('rhcosLayering.cluster.resumePool', pool);
    assert.equal(sim.pool('worker')!.spec.paused, false);
  });

  it('in Restricted Mode the session the explorer built refuses a write itself, past any command', async () => {
    const session = explorer().session!;
    const workspace = stub.module.workspace as { isTrusted: boolean };
    workspace.isTrusted = false;
    try {
      const machineConfig = parse(MC_YAML.replace('99-worker-layered', '99-worker-untrusted')) as Record<string, unknown>;
      for (const write of [() => session.createObject('MachineConfig', machineConfig, { dryRun: true }), () => session.createObject('MachineConfig', machineConfig), () => session.setPoolPaused('infra', true)]) {
        const result = await write();
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.equal(result.kind, 'untrusted');
          assert.match(result.problem.why, /Restricted Mode/);
        }
      }
      assert.equal(sim.get('machineconfigs', '99-worker-untrusted'), undefined, 'the MachineConfig was not created');
      assert.equal(sim.pool('infra')!.spec.paused ?? false, false, 'the pool was not paused');
    } finally {
      workspace.isTrusted = true;
    }
  });

  it('the Apply CodeLens sits above each MachineConfig; "use as FROM" rewrites the Containerfile\'s base', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ApplyMachineConfigCodeLens } = require('../../src/vscode/cluster/applyCodeLens') as typeof import('../../src/vscode/cluster/applyCodeLens');
    const text = `apiVersion: v1\nkind: ConfigMap\n---\n${MC_YAML}`;
    const uri = (stub.module.Uri as { file(p: string): never }).file(path.join(dir, 'two.yaml'));
    const lenses = new ApplyMachineConfigCodeLens().provideCodeLenses({ uri, languageId: 'yaml', getText: () => text } as never);
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.range.start.line, 4);
    assert.deepEqual((lenses[0]!.command as { command: string; arguments: unknown[] }).command, 'rhcosLayering.applyToCluster');
    assert.deepEqual((lenses[0]!.command as { arguments: unknown[] }).arguments, [uri, 1]);
    let containerfile = 'FROM quay.io/fedora/fedora-coreos:stable\nRUN rpm-ostree install tmux && ostree container commit\n';
    const edits: string[] = [];
    stub.activeDocument = { uri: (stub.module.Uri as { file(p: string): never }).file(path.join(dir, 'Containerfile')), languageId: 'dockerfile', getText: () => containerfile };
    const editor = {
      document: stub.activeDocument,
      selection: undefined as unknown,
      revealRange: () => undefined,
      edit: async (build: (builder: { replace(range: { start: { character: number }; end: { character: number } }, text: string): void; insert(): void }) => void) => {
        build({
          replace: (range, replacement) => {
            const [first, ...rest] = containerfile.split('\n');
            containerfile = [first!.slice(0, range.start.character) + replacement + first!.slice(range.end.character), ...rest].join('\n');
            edits.push(replacement);
          },
          insert: () => undefined,
        });
        return true;
      },
    };
    const windowApi = stub.module.window as Record<string, unknown>;
    const descriptor = Object.getOwnPropertyDescriptor(windowApi, 'activeTextEditor')!;
    Object.defineProperty(windowApi, 'activeTextEditor', { get: () => editor, configurable: true });
    try {
      await stub.executeCommand('rhcosLayering.cluster.useBaseImageAsFrom');
    } finally {
      Object.defineProperty(windowApi, 'activeTextEditor', descriptor);
    }
    const base = explorer().session!.store.osImageUrls!.baseOSContainerImage!;
    assert.deepEqual(edits, [base]);
    assert.equal(containerfile.split('\n')[0], `FROM ${base}`);
  });

  it('switching context builds a new session, disposes the old one, and the tree and status bar follow', async () => {
    const old = explorer().session!;
    stub.pickAnswers.push((items) => items.find((i) => i.label === 'no-mc'));
    await stub.executeCommand('rhcosLayering.cluster.switchContext');
    assert.equal(old.isDisposed, true);
    assert.equal(explorer().contextName, 'no-mc');
    await explorer().settled();
    assert.match(statusText('rhcosLayering.cluster.context')!.text, /no-mc/);
    const root = api.cluster.tree.getChildren();
    assert.deepEqual(root.map((e) => e.id), ['cluster:no-mc']);
    const children = api.cluster.tree.getChildren(root[0]).map((e) => e.id);
    assert.deepEqual(children.slice(0, 2), ['base-image', 'problem:machineConfigs']);
    await until(() => api.lintContext.clusterFacts?.context === 'no-mc', 3000, 'the lint context for no-mc');
  });

  it('a change to the kubeconfig file is picked up: a new current-context there is followed', async () => {
    const config = parse(readFileSync(kubeconfig, 'utf8'));
    config['current-context'] = 'readonly';
    writeFileSync(kubeconfig, stringify(config));
    await until(() => explorer().contextName === 'readonly', 5000, 'the readonly context');
    await explorer().settled();
    assert.equal(explorer().session!.context, 'readonly');
  });

  it('no kubeconfig at all: the welcome view\'s context key is set and the tree is empty; a malformed one is a problem item', async () => {
    stub.settings.set('rhcosLayering.kubeconfig', '');
    process.env.KUBECONFIG = path.join(dir, 'missing-1') + path.delimiter + path.join(dir, 'missing-2');
    stub.configurationChanged.fire({ affectsConfiguration: (section) => section === 'rhcosLayering.kubeconfig' });
    await until(() => explorer().state.kind === 'noKubeconfig', 5000, 'no kubeconfig');
    assert.equal(stub.contextKeys.get('rhcosLayering.noKubeconfig'), true);
    assert.deepEqual(api.cluster.tree.getChildren(), []);
    assert.equal(explorer().session, undefined);
    assert.equal(api.pools.pools(), undefined);
    assert.equal(statusText('rhcosLayering.cluster.context')!.visible, false);
    const malformed = path.join(dir, 'malformed');
    writeFileSync(malformed, 'contexts: [ {name: a\n');
    stub.settings.set('rhcosLayering.kubeconfig', malformed);
    stub.configurationChanged.fire({ affectsConfiguration: (section) => section === 'rhcosLayering.kubeconfig' });
    await until(() => explorer().state.kind === 'problem', 5000, 'a problem');
    assert.equal(stub.contextKeys.get('rhcosLayering.noKubeconfig'), false);
    const problem = api.cluster.tree.getChildren()[0]!;
    assert.match(String(api.cluster.tree.getTreeItem(problem).label), /No kubeconfig found/);
    assert.match(api.cluster.tree.getChildren(problem).map((e) => String(api.cluster.tree.getTreeItem(e).label)).join('\n'), /not valid YAML/);
    // Back to a good file: Retry reads it again and connects.
    stub.settings.set('rhcosLayering.kubeconfig', kubeconfig);
    await stub.executeCommand('rhcosLayering.cluster.retry');
    await explorer().settled();
    assert.equal(explorer().state.kind, 'session');
  });
});
