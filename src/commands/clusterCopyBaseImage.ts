import * as vscode from 'vscode';
import { connectedSession } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/** Copies the cluster's base image (baseOSContainerImage) to the clipboard. */
export const clusterCopyBaseImage: ExtensionCommand = {
  id: 'rhcosLayering.cluster.copyBaseImage',
  async run(services) {
    const session = await connectedSession(services.cluster.explorer, 'copy the base image');
    if (!session) return;
    const image = session.store.osImageUrls?.baseOSContainerImage;
    if (!image) {
      void vscode.window.showErrorMessage(`Context ${session.context} did not give its base image (the machine-config-osimageurl ConfigMap could not be read).`);
      return;
    }
    await vscode.env.clipboard.writeText(image);
    void vscode.window.showInformationMessage(`Copied the base image of ${session.context}: ${image}`);
    return image;
  },
};
