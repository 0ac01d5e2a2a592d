import * as vscode from 'vscode';
import { OSIMAGEURL_CONFIGMAP, type ObjectKind } from '../core/cluster/resources';
import type { TreeElement } from '../core/cluster/tree';
import { connectedSession, isTreeElement } from '../vscode/cluster/commandSupport';
import { objectUri } from '../vscode/cluster/objectDocuments';
import type { ExtensionCommand } from './types';

function target(element: TreeElement): { kind: ObjectKind; name: string } | undefined {
  switch (element.kind) {
    case 'pool':
      return { kind: 'MachineConfigPool', name: element.name };
    case 'node':
      return { kind: 'Node', name: element.name };
    case 'machineConfig':
      return { kind: 'MachineConfig', name: element.name };
    case 'machineOSConfig':
      return { kind: 'MachineOSConfig', name: element.name };
    case 'machineOSBuild':
      return { kind: 'MachineOSBuild', name: element.name };
    case 'baseImage':
      return { kind: 'ConfigMap', name: OSIMAGEURL_CONFIGMAP };
    case 'cluster':
      return { kind: 'ClusterVersion', name: 'version' };
    default:
      return undefined;
  }
}

/** Opens a cluster object as read-only YAML (a virtual document that follows the object's changes). */
export const clusterOpenYaml: ExtensionCommand = {
  id: 'rhcosLayering.cluster.openYaml',
  async run(services, element) {
    const session = await connectedSession(services.cluster.explorer, 'open the object');
    if (!session) return;
    let chosen = isTreeElement(element) ? target(element) : undefined;
    if (!chosen) {
      const store = session.store;
      const items = [
        ...[...store.pools.keys()].sort().map((name) => ({ label: name, description: 'MachineConfigPool', objectKind: 'MachineConfigPool' as const })),
        ...[...store.machineConfigs.keys()].sort().map((name) => ({ label: name, description: 'MachineConfig', objectKind: 'MachineConfig' as const })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Open a cluster object as YAML', matchOnDescription: true });
      if (!picked) return;
      chosen = { kind: picked.objectKind, name: picked.label };
    }
    const document = await vscode.workspace.openTextDocument(objectUri(session.context, chosen.kind, chosen.name));
    if (document.languageId !== 'yaml') await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    await vscode.window.showTextDocument(document, { preview: true });
  },
};
