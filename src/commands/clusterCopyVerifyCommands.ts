import * as vscode from 'vscode';
import { nodeVerificationCommands, poolVerificationCommands } from '../core/cluster/verify';
import { connectedSession, isTreeElement, poolFromArgument } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/** Copies the `oc` commands that check a pool or node by hand (oc get mcp, oc describe mc, rpm-ostree status). */
export const clusterCopyVerifyCommands: ExtensionCommand = {
  id: 'rhcosLayering.cluster.copyVerifyCommands',
  async run(services, element) {
    const session = await connectedSession(services.cluster.explorer, 'copy verification commands');
    if (!session) return;
    let commands: string[];
    let what: string;
    if (isTreeElement(element) && element.kind === 'node') {
      commands = nodeVerificationCommands(element.name, session.store);
      what = `node ${element.name}`;
    } else {
      const pool = await poolFromArgument(session, element, 'Copy verification commands for pool');
      if (!pool) return;
      commands = poolVerificationCommands(pool.name, session.store);
      what = `pool ${pool.name}`;
    }
    await vscode.env.clipboard.writeText(`${commands.join('\n')}\n`);
    void vscode.window.showInformationMessage(`Copied ${commands.length} commands to check ${what} (${commands[0]} …).`);
  },
};
