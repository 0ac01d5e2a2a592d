import * as vscode from 'vscode';
import { clusterBaseImage } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/** Copies the cluster's base image (baseOSContainerImage) to the clipboard. */
export const clusterCopyBaseImage: ExtensionCommand = {
  id: 'rhcosLayering.cluster.copyBaseImage',
  async run(services) {
    const found = await clusterBaseImage(services.cluster.explorer, 'copy the base image');
    if (!found) return;
    const { session, image } = found;
    await vscode.env.clipboard.writeText(image);
    void vscode.window.showInformationMessage(`Copied the base image of ${session.context}: ${image}`);
    return image;
  },
};
