import * as vscode from 'vscode';
import type { ClusterTreeModel, ItemData, TreeElement } from '../../core/cluster/tree';

/** The Cluster view: VS Code's side of ClusterTreeModel. Refreshes are per item, as the model reports them. */
export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly off: () => void;

  constructor(
    readonly model: ClusterTreeModel,
    /** Called on the first getChildren: the view is showing, so connect (this loads the Kubernetes client). */
    private readonly onShown: () => void,
  ) {
    this.off = model.onDidChange((elements) => this.emitter.fire(elements ? [...elements] : undefined));
  }

  getChildren(element?: TreeElement): TreeElement[] {
    this.onShown();
    return this.model.children(element);
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    return toTreeItem(this.model.item(element));
  }

  getParent(element: TreeElement): TreeElement | undefined {
    return this.model.parent(element);
  }

  dispose(): void {
    this.off();
    this.emitter.dispose();
  }
}

export function toTreeItem(data: ItemData): vscode.TreeItem {
  const collapsible = data.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded
    : data.collapsible === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed
    : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(data.label, collapsible);
  item.id = data.id;
  item.contextValue = data.contextValue;
  if (data.description !== undefined) item.description = data.description;
  if (data.tooltip !== undefined) {
    const tooltip = new vscode.MarkdownString(data.tooltip, true);
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
  }
  if (data.icon) item.iconPath = new vscode.ThemeIcon(data.icon.id, data.icon.color ? new vscode.ThemeColor(data.icon.color) : undefined);
  if (data.command) item.command = { command: data.command.command, title: data.command.title, arguments: [...(data.command.arguments ?? [])] };
  return item;
}
