import * as vscode from 'vscode';
import { findApplicableObjects } from '../../core/cluster/machineConfigYaml';
import { mentionsMachineConfigKinds } from '../../core/openshift/yamlDocuments';

/** "Apply to cluster" above every MachineConfig and MachineOSConfig in a YAML file. */
export class ApplyMachineConfigCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    // Cheap test first: most YAML files are not MachineConfigs.
    if (!mentionsMachineConfigKinds(text)) return [];
    return findApplicableObjects(text).map((mc) => new vscode.CodeLens(new vscode.Range(mc.line, 0, mc.line, 0), {
      command: 'rhcosLayering.applyToCluster',
      title: mc.errors.length > 0 ? `$(warning) Apply to cluster (${mc.errors[0]})` : `$(cloud-upload) Apply ${mc.name} to cluster`,
      tooltip: `Dry-run on the server, then create or replace this ${mc.kind} on the Cluster view's context, after a confirmation.`,
      arguments: [document.uri, mc.index],
    }));
  }
}
