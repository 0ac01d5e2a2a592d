import * as vscode from 'vscode';
import { connectedSession, plural, poolFromArgument, reportProblem } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/** Resumes a paused pool after a modal confirmation: pending changes then roll out (drains and reboots). */
export const clusterResumePool: ExtensionCommand = {
  id: 'rhcosLayering.cluster.resumePool',
  requiresTrust: true,
  async run(services, element) {
    const session = await connectedSession(services.cluster.explorer, 'resume a pool');
    if (!session) return;
    const pool = await poolFromArgument(session, element, 'Resume which pool?', (v) => v.paused);
    if (!pool) return;
    if (!pool.paused) {
      void vscode.window.showInformationMessage(`Pool ${pool.name} is not paused.`);
      return;
    }
    const resume = 'Resume Pool';
    const choice = await vscode.window.showWarningMessage(
      `Resume pool ${pool.name} on context ${session.context}?`,
      {
        modal: true,
        detail: `Server: ${session.server}\n\nThe Machine Config Operator rolls out any configuration change made while the pool was paused: up to ${plural(pool.machineCount, 'node')} of ${pool.name} may be drained and rebooted, ${pool.renderedConfig ? `starting from ${pool.renderedConfig}` : 'one batch at a time'}.`,
      },
      resume,
    );
    if (choice !== resume) return;
    const result = await session.setPoolPaused(pool.name, false);
    if (!result.ok) return reportProblem(`Pool ${pool.name} was not resumed`, result.problem);
    services.log.info(`Resumed pool ${pool.name} on ${session.context} (${session.server}).`);
    void vscode.window.showInformationMessage(`Resumed pool ${pool.name} on ${session.context}.`);
    return result.value;
  },
};
