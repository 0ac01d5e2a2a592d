import * as vscode from 'vscode';
import { findMachineConfigs, type MachineConfigDocument } from '../core/cluster/machineConfigYaml';
import { describeImpact, rolloutImpact } from '../core/cluster/model';
import { connectedSession, plural, reportProblem } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/**
 * Applies the MachineConfig(s) of a YAML document to the Cluster view's context: a modal confirmation naming the
 * context, the server, the pools and how many nodes will be drained and rebooted; a server-side dry run; then create,
 * or replace when the MachineConfig exists and the user agrees. The tree then follows the rollout.
 */
export const applyToCluster: ExtensionCommand = {
  id: 'rhcosLayering.applyToCluster',
  requiresTrust: true,
  async run(services, uriArgument, indexArgument) {
    const document = uriArgument instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uriArgument) : vscode.window.activeTextEditor?.document;
    if (!document) {
      void vscode.window.showInformationMessage('Open a MachineConfig YAML file to apply it to the cluster.');
      return;
    }
    const all = findMachineConfigs(document.getText());
    if (all.length === 0) {
      void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(document.uri)} holds no MachineConfig (kind: MachineConfig, apiVersion: machineconfiguration.openshift.io/v1).`);
      return;
    }
    let chosen: MachineConfigDocument[] = typeof indexArgument === 'number' ? all.filter((d) => d.index === indexArgument) : all;
    if (chosen.length > 1) {
      const picked = await vscode.window.showQuickPick(
        chosen.map((d) => ({ label: d.name ?? `document ${d.index + 1}`, description: d.errors[0] ?? `line ${d.line + 1}`, picked: true, doc: d })),
        { title: 'Apply which MachineConfigs?', canPickMany: true },
      );
      if (!picked || picked.length === 0) return;
      chosen = picked.map((p) => p.doc);
    }
    const broken = chosen.find((d) => d.errors.length > 0);
    if (broken) {
      void vscode.window.showErrorMessage(`MachineConfig ${broken.name ?? `document ${broken.index + 1}`} cannot be applied: ${broken.errors.join('; ')}.`);
      return;
    }

    const session = await connectedSession(services.cluster.explorer, 'apply the MachineConfig');
    if (!session) return;
    const store = session.store;
    const labels = Object.assign({}, ...chosen.map((d) => d.labels)) as Record<string, string>;
    const impacts = chosen.map((d) => rolloutImpact(d.labels, store));
    const pools = new Map(impacts.flatMap((i) => i.pools).map((p) => [p.name, p]));
    const nodeCount = [...pools.values()].reduce((sum, p) => sum + p.machineCount, 0);
    const names = chosen.map((d) => d.name!).join(', ');
    const existing = chosen.filter((d) => store.machineConfigs.has(d.name!)).map((d) => d.name!);
    const apply = 'Apply';
    const choice = await vscode.window.showWarningMessage(
      `Apply MachineConfig ${names} to context ${session.context}?`,
      {
        modal: true,
        detail: [
          `Server: ${session.server}`,
          pools.size > 0
            ? `Pools: ${describeImpact({ pools: [...pools.values()], nodeCount })}.\nUp to ${plural(nodeCount, 'node')} will be cordoned, drained and rebooted as the Machine Config Operator rolls the change out.`
            : `No pool selects a MachineConfig with the labels ${JSON.stringify(labels)}: nothing will roll out until one does.`,
          existing.length > 0 ? `Already on the cluster: ${existing.join(', ')} (you will be asked before it is replaced).` : undefined,
          'A server-side dry run checks it first.',
        ].filter(Boolean).join('\n\n'),
      },
      apply,
    );
    if (choice !== apply) return;

    const applied: string[] = [];
    for (const doc of chosen) {
      const name = doc.name!;
      let replace = false;
      let dryRun = await session.createMachineConfig(doc.object, { dryRun: true });
      if (!dryRun.ok && dryRun.kind === 'conflict') {
        const replaceButton = 'Replace';
        const again = await vscode.window.showWarningMessage(
          `MachineConfig ${name} already exists on ${session.context}. Replace it with the one in ${vscode.workspace.asRelativePath(document.uri)}?`,
          { modal: true, detail: `Server: ${session.server}\n\nReplacing it rolls the difference out to the same pools.` },
          replaceButton,
        );
        if (again !== replaceButton) continue;
        replace = true;
        dryRun = await session.replaceMachineConfig(doc.object, { dryRun: true });
      }
      if (!dryRun.ok) {
        reportProblem(`The server refused MachineConfig ${name} (dry run, nothing was changed)`, dryRun.problem);
        return applied;
      }
      const result = replace ? await session.replaceMachineConfig(doc.object) : await session.createMachineConfig(doc.object);
      if (!result.ok) {
        reportProblem(`MachineConfig ${name} was not ${replace ? 'replaced' : 'created'}`, result.problem);
        return applied;
      }
      applied.push(name);
      services.log.info(`${replace ? 'Replaced' : 'Created'} MachineConfig ${name} on ${session.context} (${session.server}).`);
    }
    if (applied.length === 0) return applied;
    const firstPool = [...pools.keys()][0];
    void vscode.window.showInformationMessage(
      `Applied ${applied.join(', ')} to ${session.context}.${firstPool ? ` The Cluster view follows the rollout of ${[...pools.keys()].join(', ')}.` : ''}`,
    );
    if (firstPool) {
      const features = services.cluster;
      try {
        await features.view.reveal(features.explorer.model.poolElement(firstPool), { select: true, focus: false, expand: true });
      } catch {
        await vscode.commands.executeCommand('rhcosLayering.cluster.focus');
      }
    }
    return applied;
  },
};
