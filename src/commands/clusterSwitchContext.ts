import * as vscode from 'vscode';
import type { ExtensionCommand } from './types';

/** Picks the kubeconfig context the Cluster view shows. The kubeconfig itself is not changed. */
export const clusterSwitchContext: ExtensionCommand = {
  id: 'rhcosLayering.cluster.switchContext',
  async run(services, contextArgument) {
    const explorer = services.cluster.explorer;
    await explorer.start();
    let name = typeof contextArgument === 'string' ? contextArgument : undefined;
    if (!name) {
      const contexts = explorer.contexts;
      if (contexts.length === 0) {
        void vscode.window.showInformationMessage('The kubeconfig has no contexts. Log in with `oc login <api-url>` first.');
        return;
      }
      const current = explorer.contextName;
      const picked = await vscode.window.showQuickPick(
        contexts.map((c) => ({
          label: c.name,
          description: [c.name === current ? '(shown now)' : undefined, c.name === explorer.kubeconfigCurrentContext ? 'current-context' : undefined].filter(Boolean).join(' '),
          detail: `${c.server ?? 'no server'} · user ${c.user || '(none)'}`,
        })),
        { title: 'Kubernetes context for the Cluster view', matchOnDetail: true },
      );
      name = picked?.label;
    }
    if (!name || name === explorer.contextName) return;
    await explorer.switchContext(name);
  },
};
