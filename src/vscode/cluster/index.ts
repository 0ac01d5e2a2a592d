import * as vscode from 'vscode';
import type { TreeElement } from '../../core/cluster/tree';
import { mentionsMachineConfigKinds } from '../../core/openshift/yamlDocuments';
import type { LintContext } from '../lintContext';
import { ApplyMachineConfigCodeLens } from './applyCodeLens';
import { ClusterExplorer, type PoolNamesSink } from './explorer';
import { PoolNotifier } from './notifications';
import { ClusterObjectDocuments, OBJECT_SCHEME } from './objectDocuments';
import { ClusterStatusBar } from './statusBar';
import { ClusterTreeProvider } from './treeProvider';

export const CLUSTER_VIEW_ID = 'rhcosLayering.cluster';

/** The cluster explorer's parts, as the extension API exposes them (in-editor tests read the tree through these). */
export interface ClusterFeatures extends vscode.Disposable {
  readonly explorer: ClusterExplorer;
  readonly tree: ClusterTreeProvider;
  readonly view: vscode.TreeView<TreeElement>;
  readonly statusBar: ClusterStatusBar;
  readonly notifier: PoolNotifier;
  readonly documents: ClusterObjectDocuments;
}

/**
 * Registers the Cluster view, its status bar items, notifications, read-only YAML documents and the Apply CodeLens, and
 * publishes the connected cluster's pool names into `poolNames`.
 * Nothing here touches the network or loads @kubernetes/client-node until the view is shown or a cluster command runs.
 */
export function createClusterFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, lintContext: LintContext, poolNames?: PoolNamesSink): ClusterFeatures {
  const explorer = new ClusterExplorer(context, log, lintContext, poolNames);
  const tree = new ClusterTreeProvider(explorer.model, () => void explorer.start());
  const view = vscode.window.createTreeView(CLUSTER_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const statusBar = new ClusterStatusBar(explorer);
  const notifier = new PoolNotifier(explorer, log, async (pool, node) => {
    await vscode.commands.executeCommand('rhcosLayering.cluster.focus');
    await view.reveal(explorer.model.element('node', node, pool), { select: true, focus: true });
  });
  const documents = new ClusterObjectDocuments(explorer);
  const disposables: vscode.Disposable[] = [
    explorer,
    tree,
    view,
    statusBar,
    notifier,
    documents,
    view.onDidChangeVisibility((event) => {
      if (event.visible) void explorer.start();
    }),
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, documents),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }], new ApplyMachineConfigCodeLens()),
    ...trackMachineConfigEditor(),
  ];
  if (view.visible) void explorer.start();
  return {
    explorer,
    tree,
    view,
    statusBar,
    notifier,
    documents,
    dispose: () => {
      for (const disposable of disposables.reverse()) disposable.dispose();
    },
  };
}

const MACHINECONFIG_EDITOR_KEY = 'rhcosLayering.editorHasMachineConfig';

/** Keeps a context key saying whether the active editor holds a MachineConfig or MachineOSConfig (for the editor context menu). */
function trackMachineConfigEditor(): vscode.Disposable[] {
  let last: boolean | undefined;
  let timer: NodeJS.Timeout | undefined;
  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    const value = !!document && document.languageId === 'yaml' && mentionsMachineConfigKinds(document.getText());
    if (value === last) return;
    last = value;
    void vscode.commands.executeCommand('setContext', MACHINECONFIG_EDITOR_KEY, value);
  };
  update();
  return [
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document !== vscode.window.activeTextEditor?.document) return;
      clearTimeout(timer);
      timer = setTimeout(update, 300);
    }),
    { dispose: () => clearTimeout(timer) },
  ];
}
