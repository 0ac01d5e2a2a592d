import * as vscode from 'vscode';
import { PoolTransitionTracker, poolView, type PoolTransition } from '../../core/cluster/model';
import { SECTION } from '../settings';
import type { ClusterExplorer } from './explorer';

/**
 * Says when a pool finishes rolling out or becomes degraded, while the view is connected (not for the state found on
 * connecting). Off with rhcosLayering.cluster.notifications.
 */
export class PoolNotifier implements vscode.Disposable {
  private readonly tracker = new PoolTransitionTracker();
  private readonly off: vscode.Disposable;
  /** What was notified, for tests. */
  readonly sent: string[] = [];

  constructor(private readonly explorer: ClusterExplorer, private readonly log: vscode.LogOutputChannel) {
    this.off = explorer.onDidChange((change) => {
      if (change.session) this.tracker.reset();
      if (change.session || change.changes?.some((c) => c.resource === 'pools')) this.check();
    });
  }

  private check(): void {
    const state = this.explorer.state;
    if (state.kind !== 'session' || !state.health.settled) {
      if (state.kind !== 'session') this.tracker.reset();
      return;
    }
    const views = [...state.snapshot.pools.values()].map((p) => poolView(p, state.snapshot));
    for (const transition of this.tracker.update(views)) this.notify(transition, state.context);
  }

  private notify(transition: PoolTransition, context: string): void {
    const view = transition.view;
    const message = transition.to === 'degraded'
      ? `Pool ${view.name} on ${context} is degraded (${view.degradedMachineCount} of ${view.machineCount} nodes): ${degradedReason(view.conditions)}`
      : `Pool ${view.name} on ${context} finished updating: ${view.updatedMachineCount}/${view.machineCount} nodes on ${view.renderedConfig ?? 'the new config'}${view.customImage ? ' (custom image)' : ''}.`;
    this.log.info(message);
    this.sent.push(message);
    if (!vscode.workspace.getConfiguration(SECTION).get<boolean>('cluster.notifications', true)) return;
    const show = 'Show in Cluster View';
    const notification = transition.to === 'degraded' ? vscode.window.showWarningMessage(message, show) : vscode.window.showInformationMessage(message, show);
    void notification.then((choice) => {
      if (choice === show) void vscode.commands.executeCommand('rhcosLayering.cluster.focus');
    });
  }

  dispose(): void {
    this.off.dispose();
  }
}

function degradedReason(conditions: readonly { type: string; status: string; message: string; reason: string }[]): string {
  const condition = conditions.find((c) => c.type === 'NodeDegraded' && c.status === 'True')
    ?? conditions.find((c) => c.type === 'RenderDegraded' && c.status === 'True')
    ?? conditions.find((c) => c.type === 'Degraded' && c.status === 'True');
  const text = condition?.message || condition?.reason || 'see the pool in the Cluster view';
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
