import type * as vscode from 'vscode';
import type { RegistrySession } from '../core/image/registry';
import type { Linter } from '../core/lint';
import type { ContainerfileDiagnostics } from '../vscode/containerfileDiagnostics';
import type { ClusterFeatures } from '../vscode/cluster';
import type { LintContext } from '../vscode/lintContext';
import type { MachineConfigDiagnostics } from '../vscode/machineConfigDiagnostics';
import type { MachineConfigIndex } from '../vscode/machineConfigIndex';
import type { ClusterPools } from '../vscode/poolSource';

/** What commands may use. Built once in extension.ts; commands never reach into each other. */
export interface Services {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly linter: Linter;
  readonly diagnostics: ContainerfileDiagnostics;
  readonly lintContext: LintContext;
  /** Registry tokens and challenges shared by every digest lookup. */
  readonly registrySession: RegistrySession;
  /** The connected cluster's pools (the cluster session sets them; undefined when not connected). */
  readonly pools: ClusterPools;
  /** MachineConfigs in the workspace's YAML files. */
  readonly machineConfigs: MachineConfigIndex;
  readonly machineConfigDiagnostics: MachineConfigDiagnostics;
  /** The Cluster view: explorer (kubeconfig, context, session), tree, status bar, notifications, YAML documents. */
  readonly cluster: ClusterFeatures;
}

export interface ExtensionCommand {
  readonly id: string;
  /** Commands that run tools, read user-named credential files or write to a cluster need a trusted workspace. */
  readonly requiresTrust?: boolean;
  run(services: Services, ...args: unknown[]): unknown;
}
