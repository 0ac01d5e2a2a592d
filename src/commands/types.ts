import type * as vscode from 'vscode';
import type { Linter } from '../core/lint';
import type { ContainerfileDiagnostics } from '../vscode/containerfileDiagnostics';
import type { ClusterFeatures } from '../vscode/cluster';
import type { LintContext } from '../vscode/lintContext';

/** What commands may use. Built once in extension.ts; commands never reach into each other. */
export interface Services {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly linter: Linter;
  readonly diagnostics: ContainerfileDiagnostics;
  readonly lintContext: LintContext;
  /** The Cluster view: explorer (kubeconfig, context, session), tree, status bar, notifications, YAML documents. */
  readonly cluster: ClusterFeatures;
}

export interface ExtensionCommand {
  readonly id: string;
  /** Commands that run tools, read user-named credential files or write to a cluster need a trusted workspace. */
  readonly requiresTrust?: boolean;
  run(services: Services, ...args: unknown[]): unknown;
}
