import * as vscode from 'vscode';
import { connectedSession, plural, poolFromArgument, reportProblem } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/** Pauses a pool (spec.paused: true) after a modal confirmation naming the context and server. */
export const clusterPausePool: ExtensionCommand = {
  id: 'rhcosLayering.cluster.pausePool',
  requiresTrust: true,
  async run(services, element) {
    const session = await connectedSession(services.cluster.explorer, 'pause a pool');
    if (!session) return;
    const pool = await poolFromArgument(session, element, 'Pause which pool?', (v) => !v.paused);
    if (!pool) return;
    if (pool.paused) {
      void vscode.window.showInformationMessage(`Pool ${pool.name} is already paused.`);
      return;
    }
    const pause = 'Pause Pool';
    const choice = await vscode.window.showWarningMessage(
      `Pause pool ${pool.name} on context ${session.context}?`,
      {
        modal: true,
        detail: `Server: ${session.server}\n\nThe Machine Config Operator stops rolling out configuration changes to the ${plural(pool.machineCount, 'node')} of ${pool.name} until the pool is resumed${pool.updating ? ` (a rollout is in progress: ${pool.summary})` : ''}. Certificate rotation to these nodes waits too, so do not leave it paused for long.`,
      },
      pause,
    );
    if (choice !== pause) return;
    const result = await session.setPoolPaused(pool.name, true);
    if (!result.ok) return reportProblem(`Pool ${pool.name} was not paused`, result.problem);
    services.log.info(`Paused pool ${pool.name} on ${session.context} (${session.server}).`);
    void vscode.window.showInformationMessage(`Paused pool ${pool.name} on ${session.context}.`);
    return result.value;
  },
};
