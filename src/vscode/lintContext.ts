import * as vscode from 'vscode';
import { resolveTargetVersion, type OpenShiftVersion } from '../core/openshift/versions';
import type { ClusterFacts, MachineConfigFacts } from '../core/rules/types';

/**
 * What the rules know beyond the file itself: the connected cluster and the MachineConfigs in the workspace and the
 * cluster. Other features (the cluster session, the workspace MachineConfig index) publish into it; the linter reads it
 * and re-lints when it changes.
 */
export class LintContext implements vscode.Disposable {
  private cluster: ClusterFacts | undefined;
  private readonly machineConfigSources = new Map<string, readonly MachineConfigFacts[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  setCluster(cluster: ClusterFacts | undefined): void {
    if (JSON.stringify(cluster) === JSON.stringify(this.cluster)) return;
    this.cluster = cluster;
    this.changed.fire();
  }

  /** `source` names the publisher (e.g. `workspace`, `cluster`), so each can replace its own list. */
  setMachineConfigs(source: string, configs: readonly MachineConfigFacts[]): void {
    this.machineConfigSources.set(source, configs);
    this.changed.fire();
  }

  get clusterFacts(): ClusterFacts | undefined {
    return this.cluster;
  }

  get machineConfigs(): readonly MachineConfigFacts[] {
    return [...this.machineConfigSources.values()].flat();
  }

  targetVersion(setting: string): OpenShiftVersion {
    return resolveTargetVersion(setting, this.cluster?.version);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
