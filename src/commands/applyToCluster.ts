import * as vscode from 'vscode';
import { findApplicableObjects, type ApplicableDocument } from '../core/cluster/machineConfigYaml';
import { describeImpact, poolRolloutImpact, rolloutImpact } from '../core/cluster/model';
import { connectedSession, plural, reportProblem } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/**
 * Applies the MachineConfigs (or MachineOSConfigs, for on-cluster layering) of a YAML document to the Cluster view's
 * context: a modal confirmation naming the context, the server, the pools and how many nodes will be drained and
 * rebooted; a server-side dry run; then create, or replace when the object exists and the user agrees. The tree then
 * follows the rollout (for a MachineOSConfig: the build, then the rollout).
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
    const all = findApplicableObjects(document.getText());
    if (all.length === 0) {
      void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(document.uri)} holds no MachineConfig or MachineOSConfig (apiVersion: machineconfiguration.openshift.io/v1).`);
      return;
    }
    let chosen: ApplicableDocument[] = typeof indexArgument === 'number' ? all.filter((d) => d.index === indexArgument) : all;
    if (chosen.length > 1) {
      const picked = await vscode.window.showQuickPick(
        chosen.map((d) => ({ label: d.name ?? `document ${d.index + 1}`, description: d.errors[0] ?? `${d.kind}, line ${d.line + 1}`, picked: true, doc: d })),
        { title: 'Apply which objects?', canPickMany: true },
      );
      if (!picked || picked.length === 0) return;
      chosen = picked.map((p) => p.doc);
    }
    const broken = chosen.find((d) => d.errors.length > 0);
    if (broken) {
      void vscode.window.showErrorMessage(`${broken.kind} ${broken.name ?? `document ${broken.index + 1}`} cannot be applied: ${broken.errors.join('; ')}.`);
      return;
    }

    const session = await connectedSession(services.cluster.explorer, `apply the ${chosen[0]!.kind}`);
    if (!session) return;
    const store = session.store;
    const labels = Object.assign({}, ...chosen.filter((d) => d.kind === 'MachineConfig').map((d) => d.labels)) as Record<string, string>;
    const impacts = chosen.map((d) => (d.kind === 'MachineOSConfig' ? poolRolloutImpact(d.pool!, store) : rolloutImpact(d.labels, store)));
    const pools = new Map(impacts.flatMap((i) => i.pools).map((p) => [p.name, p]));
    const nodeCount = [...pools.values()].reduce((sum, p) => sum + p.machineCount, 0);
    const names = describeObjects(chosen);
    const existing = chosen.filter((d) => (d.kind === 'MachineOSConfig' ? store.machineOSConfigs : store.machineConfigs).has(d.name!)).map((d) => d.name!);
    const builds = chosen.filter((d) => d.kind === 'MachineOSConfig');
    const apply = 'Apply';
    const choice = await vscode.window.showWarningMessage(
      `Apply ${names} to context ${session.context}?`,
      {
        modal: true,
        detail: [
          `Server: ${session.server}`,
          builds.length > 0
            ? `On-cluster layering: the cluster builds the image for ${builds.map((d) => `pool ${d.pool}`).join(', ')} from the Containerfile in the MachineOSConfig and pushes it to its renderedImagePushSpec before anything rolls out.`
            : undefined,
          pools.size > 0
            ? `Pools: ${describeImpact({ pools: [...pools.values()], nodeCount })}.\nUp to ${plural(nodeCount, 'node')} will be cordoned, drained and rebooted as the Machine Config Operator rolls the change out.`
            : builds.length === chosen.length
              ? `No pool named ${builds.map((d) => d.pool).join(', ')} exists on this cluster: nothing will roll out until one does.`
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
      const what = `${doc.kind} ${name}`;
      let replace = false;
      let dryRun = await session.createObject(doc.kind, doc.object, { dryRun: true });
      if (!dryRun.ok && dryRun.kind === 'conflict') {
        const replaceButton = 'Replace';
        const again = await vscode.window.showWarningMessage(
          `${what} already exists on ${session.context}. Replace it with the one in ${vscode.workspace.asRelativePath(document.uri)}?`,
          { modal: true, detail: `Server: ${session.server}\n\nReplacing it rolls the difference out to the same pools.` },
          replaceButton,
        );
        if (again !== replaceButton) continue;
        replace = true;
        dryRun = await session.replaceObject(doc.kind, doc.object, { dryRun: true });
      }
      if (!dryRun.ok) {
        reportProblem(`The server refused ${what} (dry run, nothing was changed)`, dryRun.problem);
        return applied;
      }
      const result = replace ? await session.replaceObject(doc.kind, doc.object) : await session.createObject(doc.kind, doc.object);
      if (!result.ok) {
        reportProblem(`${what} was not ${replace ? 'replaced' : 'created'}`, result.problem);
        return applied;
      }
      applied.push(name);
      services.log.info(`${replace ? 'Replaced' : 'Created'} ${what} on ${session.context} (${session.server}).`);
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

/** "MachineConfig a, b" or "MachineConfig a and MachineOSConfig infra", for the confirmation's title. */
function describeObjects(documents: readonly ApplicableDocument[]): string {
  const byKind = new Map<string, string[]>();
  for (const d of documents) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d.name!]);
  return [...byKind].map(([kind, names]) => `${kind} ${names.join(', ')}`).join(' and ');
}
