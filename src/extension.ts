import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { ExtensionCommand, Services } from './commands/types';
import { RegistrySession } from './core/image/registry';
import { Linter } from './core/lint';
import { ContainerfileCodeActions } from './vscode/codeActions';
import { ContainerfileDiagnostics } from './vscode/containerfileDiagnostics';
import { createClusterFeatures } from './vscode/cluster';
import { ContainerfileHover, MachineConfigHover } from './vscode/hover';
import { LintContext } from './vscode/lintContext';
import { MachineConfigCodeActions } from './vscode/machineConfigCodeActions';
import { MachineConfigDiagnostics } from './vscode/machineConfigDiagnostics';
import { MachineConfigIndex } from './vscode/machineConfigIndex';
import { ClusterPools } from './vscode/poolSource';

/**
 * What activate() returns to the in-editor test suites, and only to them: the services, including the live cluster
 * session and the registry session's tokens. Other extensions get nothing (see "Public API" in docs/development.md):
 * VS Code runs an extension in ExtensionMode.Test only when it is launched with --extensionDevelopmentPath and
 * --extensionTestsPath, which an installed extension never is.
 */
export type TestApi = Services;

const CONTAINERFILE_SELECTOR: vscode.DocumentSelector = [{ language: 'dockerfile' }];
const YAML_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }];

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('RHCOS Image Layering', { log: true });
  const linter = new Linter(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  const lintContext = new LintContext();
  const docsDirectory = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
  const diagnostics = new ContainerfileDiagnostics(linter, lintContext, docsDirectory, log);
  const pools = new ClusterPools();
  const machineConfigs = new MachineConfigIndex(lintContext, log);
  const machineConfigDiagnostics = new MachineConfigDiagnostics(linter, lintContext, machineConfigs, pools, docsDirectory, log);
  const cluster = createClusterFeatures(context, log, lintContext, pools);
  const services: Services = { extension: context, log, linter, diagnostics, lintContext, registrySession: new RegistrySession(), pools, machineConfigs, machineConfigDiagnostics, cluster };

  context.subscriptions.push(
    log,
    lintContext,
    diagnostics,
    cluster,
    vscode.languages.registerCodeActionsProvider(CONTAINERFILE_SELECTOR, new ContainerfileCodeActions(diagnostics), {
      providedCodeActionKinds: ContainerfileCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(CONTAINERFILE_SELECTOR, new ContainerfileHover(linter, diagnostics, lintContext)),
    pools,
    machineConfigs,
    machineConfigDiagnostics,
    vscode.languages.registerCodeActionsProvider(YAML_SELECTOR, new MachineConfigCodeActions(machineConfigDiagnostics), {
      providedCodeActionKinds: MachineConfigCodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(YAML_SELECTOR, new MachineConfigHover(lintContext)),
    ...COMMANDS.map((command) => vscode.commands.registerCommand(command.id, (...args: unknown[]) => runCommand(command, services, args))),
  );

  log.info(`RHCOS Image Layering activated: version ${context.extension.packageJSON.version}, ${Date.now() - started} ms, Node ${process.versions.node}.`);
  return context.extensionMode === vscode.ExtensionMode.Test ? services : undefined;
}

/** The title the manifest gives a command ("Build and Push Layered Image"), for messages about it. */
function commandTitle(services: Services, id: string): string {
  const commands = (services.extension.extension.packageJSON.contributes?.commands ?? []) as { command: string; title: string }[];
  return commands.find((c) => c.command === id)?.title ?? id;
}

async function runCommand(command: ExtensionCommand, services: Services, args: unknown[]): Promise<unknown> {
  const title = commandTitle(services, command.id);
  if (command.requiresTrust && !vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showWarningMessage(
      `"${title}" runs tools or changes a cluster, so it needs a trusted workspace. This workspace is in Restricted Mode.`,
      manage,
    );
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  try {
    return await command.run(services, ...args);
  } catch (error) {
    services.log.error(`Command ${command.id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    const show = 'Show Output';
    const choice = await vscode.window.showErrorMessage(`"${title}" failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`, show);
    if (choice === show) services.log.show(true);
    return undefined;
  }
}

export function deactivate(): void {}
