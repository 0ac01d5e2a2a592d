import * as vscode from 'vscode';

/**
 * The connected cluster's MachineConfigPool names, for the pool pickers and the role-label check. The cluster session
 * publishes into it: `set(['master', 'worker', 'infra'], 'context-name')` when it has listed the pools (and on every
 * change of the list), `set(undefined)` when it disconnects. Undefined means "no cluster": the pickers then offer
 * worker, master and a free entry, and any valid custom pool name is accepted.
 */
export interface PoolSource {
  pools(): readonly string[] | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export class ClusterPools implements PoolSource, vscode.Disposable {
  private current: readonly string[] | undefined;
  private contextName: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(pools: readonly string[] | undefined, contextName?: string): void {
    const next = pools ? [...new Set(pools)].sort() : undefined;
    if (JSON.stringify(next) === JSON.stringify(this.current) && contextName === this.contextName) return;
    this.current = next;
    this.contextName = pools ? contextName : undefined;
    this.changed.fire();
  }

  pools(): readonly string[] | undefined {
    return this.current;
  }

  get context(): string | undefined {
    return this.contextName;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
