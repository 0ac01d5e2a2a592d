import * as vscode from 'vscode';
import type { ClusterSession } from '../core/cluster/entry';
import { describeImpact, machineOSConfigOf, osImageOverrides, poolRolloutImpact, rolloutImpact } from '../core/cluster/model';
import { shortImage } from '../core/image/reference';
import { connectedSession, plural, poolFromArgument, reportProblem } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand, Services } from './types';

/**
 * Rolls a pool back from a custom image to the cluster's base image: deletes the user MachineConfig(s) that set
 * osImageURL for it, or the pool's MachineOSConfig when the image comes from on-cluster layering, after a modal
 * confirmation naming the context, server, pools and nodes, and a dry run.
 */
export const rollBack: ExtensionCommand = {
  id: 'rhcosLayering.rollBack',
  requiresTrust: true,
  async run(services, element) {
    const session = await connectedSession(services.cluster.explorer, 'roll back a pool');
    if (!session) return;
    const store = session.store;
    const pool = await poolFromArgument(session, element, 'Roll back which pool to the base image?', (v) => v.rollBackable);
    if (!pool) return;
    const overrides = osImageOverrides(pool, store);
    if (overrides.length === 0) {
      const onCluster = machineOSConfigOf(pool.name, store);
      if (onCluster) return rollBackOnCluster(services, session, pool.name, onCluster.metadata.name);
      void vscode.window.showInformationMessage(`No MachineConfig of pool ${pool.name} sets osImageURL: it already runs the image the cluster gives it.`);
      return;
    }
    const poolsByName = new Map(overrides.flatMap((mc) => rolloutImpact(store.machineConfigs.get(mc.name)?.metadata.labels ?? {}, store).pools).map((p) => [p.name, p]));
    const nodeCount = [...poolsByName.values()].reduce((sum, p) => sum + p.machineCount, 0);
    const base = store.osImageUrls?.baseOSContainerImage;
    const rollBackButton = 'Delete and Roll Back';
    const choice = await vscode.window.showWarningMessage(
      `Roll back pool ${pool.name} on context ${session.context} to the base image?`,
      {
        modal: true,
        detail: [
          `Server: ${session.server}`,
          `Deletes MachineConfig ${overrides.map((mc) => `${mc.name} (osImageURL ${shortImage(mc.osImageURL ?? '', { name: 'last' })})`).join(', ')}.`,
          `Pools: ${describeImpact({ pools: [...poolsByName.values()], nodeCount })} go back to ${base ? shortImage(base, { name: 'last' }) : 'the cluster base image'}.\nUp to ${plural(nodeCount, 'node')} will be cordoned, drained and rebooted.`,
          'A server-side dry run checks it first.',
        ].join('\n\n'),
      },
      rollBackButton,
    );
    if (choice !== rollBackButton) return;
    for (const mc of overrides) {
      const dryRun = await session.deleteMachineConfig(mc.name, { dryRun: true });
      if (!dryRun.ok) return reportProblem(`MachineConfig ${mc.name} cannot be deleted (dry run, nothing was changed)`, dryRun.problem);
    }
    const deleted: string[] = [];
    for (const mc of overrides) {
      const result = await session.deleteMachineConfig(mc.name);
      if (!result.ok) {
        reportProblem(`MachineConfig ${mc.name} was not deleted`, result.problem);
        return deleted;
      }
      deleted.push(mc.name);
      services.log.info(`Deleted MachineConfig ${mc.name} on ${session.context} (${session.server}) to roll ${pool.name} back.`);
    }
    void vscode.window.showInformationMessage(`Deleted ${deleted.join(', ')} on ${session.context}: pool ${pool.name} rolls back to the base image. The Cluster view follows it.`);
    return deleted;
  },
};

/** On-cluster layering: the pool's image comes from its MachineOSConfig, so deleting that returns it to the base image. */
async function rollBackOnCluster(services: Services, session: ClusterSession, pool: string, name: string): Promise<string[] | undefined> {
  const store = session.store;
  const impact = poolRolloutImpact(pool, store);
  const base = store.osImageUrls?.baseOSContainerImage;
  const rollBackButton = 'Delete and Roll Back';
  const choice = await vscode.window.showWarningMessage(
    `Roll back pool ${pool} on context ${session.context} to the base image?`,
    {
      modal: true,
      detail: [
        `Server: ${session.server}`,
        `Deletes MachineOSConfig ${name}: the pool stops using the image the cluster builds for it (on-cluster layering).`,
        `Pools: ${describeImpact(impact)} go back to ${base ? shortImage(base, { name: 'last' }) : 'the cluster base image'}.\nUp to ${plural(impact.nodeCount, 'node')} will be cordoned, drained and rebooted.`,
        'A server-side dry run checks it first.',
      ].join('\n\n'),
    },
    rollBackButton,
  );
  if (choice !== rollBackButton) return undefined;
  const dryRun = await session.deleteObject('MachineOSConfig', name, { dryRun: true });
  if (!dryRun.ok) return void reportProblem(`MachineOSConfig ${name} cannot be deleted (dry run, nothing was changed)`, dryRun.problem);
  const result = await session.deleteObject('MachineOSConfig', name);
  if (!result.ok) return void reportProblem(`MachineOSConfig ${name} was not deleted`, result.problem);
  services.log.info(`Deleted MachineOSConfig ${name} on ${session.context} (${session.server}) to roll ${pool} back.`);
  void vscode.window.showInformationMessage(`Deleted MachineOSConfig ${name} on ${session.context}: pool ${pool} rolls back to the base image. The Cluster view follows it.`);
  return [name];
}
