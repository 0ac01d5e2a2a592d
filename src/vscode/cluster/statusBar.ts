import * as vscode from 'vscode';
import { rolloutSummary } from '../../core/cluster/model';
import { clockTime, hostOf } from '../../core/cluster/items/format';
import type { ClusterExplorer } from './explorer';

/**
 * Two status bar items: the context the Cluster view shows (click to switch), and, while a pool rolls out, its
 * progress ("worker 2/5 updated", click to show the view). The rollout text is updated when the tree refreshes, from
 * the same pool views the tree shows (ClusterTreeModel.poolViews), so the two never disagree.
 */
export class ClusterStatusBar implements vscode.Disposable {
  readonly contextItem = vscode.window.createStatusBarItem('rhcosLayering.cluster.context', vscode.StatusBarAlignment.Left, 40);
  readonly rolloutItem = vscode.window.createStatusBarItem('rhcosLayering.cluster.rollout', vscode.StatusBarAlignment.Left, 39);
  private readonly off: vscode.Disposable;
  private readonly offViews: () => void;

  constructor(private readonly explorer: ClusterExplorer) {
    this.contextItem.name = 'RHCOS Layering: Kubernetes context';
    this.contextItem.command = 'rhcosLayering.cluster.switchContext';
    this.rolloutItem.name = 'RHCOS Layering: pool rollout';
    this.rolloutItem.command = { command: 'rhcosLayering.cluster.focus', title: 'Show the Cluster view' };
    this.off = explorer.onDidChange((change) => {
      if (change.session) this.update();
    });
    this.offViews = explorer.model.onDidChangeViews(() => this.update());
    this.update();
  }

  /** The rollout text, or undefined when nothing rolls out (for tests). */
  get rolloutText(): string | undefined {
    return this.rolloutItem.text || undefined;
  }

  update(): void {
    const state = this.explorer.state;
    const context = this.explorer.contextName;
    if (!context) {
      this.contextItem.hide();
      this.rolloutItem.hide();
      return;
    }
    const problem = state.kind === 'problem' ? state.problem : state.kind === 'session' ? state.health.problem : undefined;
    this.contextItem.text = `${problem ? '$(warning)' : '$(server-environment)'} ${context}`;
    this.contextItem.tooltip = `Cluster view context: ${context}${state.kind === 'session' ? ` (${hostOf(state.server)})` : ''}${problem ? `\n${problem.what}` : ''}\nClick to switch context.`;
    this.contextItem.show();
    if (state.kind !== 'session') {
      this.rolloutItem.text = '';
      this.rolloutItem.hide();
      return;
    }
    const views = this.explorer.model.poolViews();
    const summary = rolloutSummary(views);
    if (!summary) {
      this.rolloutItem.text = '';
      this.rolloutItem.hide();
      return;
    }
    const degraded = views.some((v) => v.degraded);
    const asOf = this.explorer.model.staleAsOf('pools');
    const stale = asOf === undefined ? '' : ` (as of ${clockTime(asOf)})`;
    this.rolloutItem.text = `${degraded ? '$(error)' : asOf === undefined ? '$(sync~spin)' : '$(sync)'} ${summary}${stale}`;
    this.rolloutItem.tooltip = `MachineConfigPool rollout on ${context}: ${summary}${stale ? `${stale}; the cluster cannot be read right now` : ''}. Click to show the Cluster view.`;
    this.rolloutItem.backgroundColor = degraded ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.rolloutItem.show();
  }

  dispose(): void {
    this.off.dispose();
    this.offViews();
    this.contextItem.dispose();
    this.rolloutItem.dispose();
  }
}
