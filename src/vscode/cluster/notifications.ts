import * as vscode from 'vscode';
import { PoolTransitionTracker, nodeView, type ClusterSnapshot, type NodeView, type PoolTransition } from '../../core/cluster/model';
import { poolsOfNode } from '../../core/cluster/nodeState';
import { SECTION } from '../settings';
import type { ClusterExplorer } from './explorer';

/**
 * Says when a pool finishes rolling out or becomes degraded, while the view is connected (not for the state found on
 * connecting). A degraded pool's message quotes the failing node's reason in full and offers what helps then: Roll
 * Back (when there is a custom image to roll back), Pause, Show Node. Off with rhcosLayering.cluster.notifications.
 */
export class PoolNotifier implements vscode.Disposable {
  private readonly tracker = new PoolTransitionTracker();
  private readonly off: vscode.Disposable;
  private readonly offViews: () => void;
  /** What was notified, for tests. */
  readonly sent: string[] = [];

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly log: vscode.LogOutputChannel,
    /** Shows a node in the Cluster view. */
    private readonly revealNode: (pool: string, node: string) => Thenable<void> = async () => undefined,
  ) {
    this.off = explorer.onDidChange((change) => {
      if (change.session) {
        this.tracker.reset();
        this.check();
      }
    });
    // The same pool views the tree and the status bar read, at the same moment.
    this.offViews = explorer.model.onDidChangeViews(() => this.check());
  }

  private check(): void {
    const state = this.explorer.state;
    if (state.kind !== 'session' || !state.health.settled) {
      if (state.kind !== 'session') this.tracker.reset();
      return;
    }
    for (const transition of this.tracker.update(this.explorer.model.poolViews())) this.notify(transition, state.context, state.snapshot);
  }

  private notify(transition: PoolTransition, context: string, snapshot: ClusterSnapshot): void {
    const view = transition.view;
    const enabled = vscode.workspace.getConfiguration(SECTION).get<boolean>('cluster.notifications', true);
    if (transition.to !== 'degraded') {
      const message = `Pool ${view.name} on ${context} finished updating: ${view.updatedMachineCount}/${view.machineCount} nodes on ${view.renderedConfig ?? 'the new config'}${view.customImage ? ' (custom image)' : ''}.`;
      this.record(message);
      if (!enabled) return;
      const show = 'Show in Cluster View';
      void vscode.window.showInformationMessage(message, show).then((choice) => {
        if (choice === show) void vscode.commands.executeCommand('rhcosLayering.cluster.focus');
      });
      return;
    }
    const failing = degradedNodes(view.name, snapshot);
    const message = `Pool ${view.name} on ${context} is degraded (${view.degradedMachineCount} of ${view.machineCount} nodes): ${degradedReason(failing, view.conditions)}`;
    this.record(message);
    if (!enabled) return;
    const rollBack = 'Roll Back';
    const pause = 'Pause';
    const showNode = 'Show Node';
    const buttons = [view.rollBackable ? rollBack : undefined, view.paused ? undefined : pause, failing[0] ? showNode : 'Show in Cluster View'].filter((b): b is string => b !== undefined);
    void vscode.window.showWarningMessage(message, ...buttons).then((choice) => {
      if (choice === rollBack) void vscode.commands.executeCommand('rhcosLayering.rollBack', view.name);
      else if (choice === pause) void vscode.commands.executeCommand('rhcosLayering.cluster.pausePool', view.name);
      else if (choice === showNode && failing[0]) void this.revealNode(view.name, failing[0].name);
      else if (choice) void vscode.commands.executeCommand('rhcosLayering.cluster.focus');
    });
  }

  private record(message: string): void {
    this.log.info(message);
    this.sent.push(message);
  }

  dispose(): void {
    this.off.dispose();
    this.offViews();
  }
}

/** The pool's nodes the daemon marked Degraded or Unreconcilable, by name. */
function degradedNodes(pool: string, snapshot: ClusterSnapshot): NodeView[] {
  const pools = [...snapshot.pools.values()];
  const out: NodeView[] = [];
  for (const node of snapshot.nodes.values()) {
    const listed = poolsOfNode(node, pools);
    if (!listed.includes(pool)) continue;
    const view = nodeView(node, listed, snapshot);
    if (view.phase === 'degraded' || view.phase === 'unreconcilable') out.push(view);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The first failing node's reason annotation in full (the MCD caps it at 2000 characters), else the pool's condition. */
function degradedReason(failing: readonly NodeView[], conditions: readonly { type: string; status: string; message: string; reason: string }[]): string {
  const node = failing.find((n) => n.reason);
  if (node) return `node ${node.name} is reporting: ${node.reason}${failing.length > 1 ? ` (and ${failing.length - 1} more node${failing.length > 2 ? 's' : ''})` : ''}`;
  const condition = conditions.find((c) => c.type === 'NodeDegraded' && c.status === 'True')
    ?? conditions.find((c) => c.type === 'RenderDegraded' && c.status === 'True')
    ?? conditions.find((c) => c.type === 'Degraded' && c.status === 'True');
  return condition?.message || condition?.reason || 'see the pool in the Cluster view';
}
