import type { ResourceProblem } from './health';
import type { ClusterStatus, NodePhase, NodeView, PoolView } from './model';
import { formatProblem } from '../problem';
import { describeStep, type StepStatus } from './updateProgress';

/**
 * `rhcos-layering status` output, from the same view-model as the tree. The JSON shape is a contract other tools
 * parse: exactly these keys, in this order; unknown values are null (strings that the cluster leaves empty, like a
 * node's reason, stay "").
 */

export interface PoolStatusJson {
  readonly name: string;
  readonly updated: boolean;
  readonly updating: boolean;
  readonly degraded: boolean;
  readonly paused: boolean;
  readonly machineCount: number;
  readonly readyMachineCount: number;
  readonly updatedMachineCount: number;
  readonly degradedMachineCount: number;
  readonly renderedConfig: string | null;
  readonly osImageURL: string | null;
  readonly customImage: boolean;
}

export interface NodeStatusJson {
  readonly name: string;
  readonly pools: readonly string[];
  readonly state: string;
  readonly ready: boolean;
  readonly schedulable: boolean;
  readonly currentConfig: string;
  readonly desiredConfig: string;
  readonly osImageURL: string | null;
  readonly reason: string;
  /** Done with its pool's target config (and built image), as the MCO counts updatedMachineCount. */
  readonly upToDate: boolean;
  readonly phase: NodePhase;
  /** Why the MCO manages the node in none of its pools (two custom roles), or null. */
  readonly poolError: string | null;
  /** The MachineConfigNode's steps (4.19+), or null where the cluster does not serve them. */
  readonly progress: { readonly desiredConfig: string | null; readonly complete: boolean; readonly steps: readonly { readonly type: string; readonly status: StepStatus; readonly lastTransitionTime: string | null; readonly message: string }[] } | null;
}

export interface StatusJson {
  readonly context: string;
  readonly server: string;
  readonly baseImage: string | null;
  readonly pools: readonly PoolStatusJson[];
  readonly nodes: readonly NodeStatusJson[];
}

export function statusJson(status: ClusterStatus): StatusJson {
  return {
    context: status.context,
    server: status.server,
    baseImage: status.baseImage ?? null,
    pools: status.pools.map((pool) => ({
      name: pool.name,
      updated: pool.updated,
      updating: pool.updating,
      degraded: pool.degraded,
      paused: pool.paused,
      machineCount: pool.machineCount,
      readyMachineCount: pool.readyMachineCount,
      updatedMachineCount: pool.updatedMachineCount,
      degradedMachineCount: pool.degradedMachineCount,
      renderedConfig: pool.renderedConfig ?? null,
      osImageURL: pool.osImageURL ?? null,
      customImage: pool.customImage,
    })),
    nodes: status.nodes.map((node) => ({
      name: node.name,
      pools: node.pools,
      state: node.state,
      ready: node.ready,
      schedulable: node.schedulable,
      currentConfig: node.currentConfig,
      desiredConfig: node.desiredConfig,
      osImageURL: node.osImageURL ?? null,
      reason: node.reason,
      upToDate: node.upToDate,
      phase: node.phase,
      poolError: node.poolError ?? null,
      progress: node.progress
        ? {
          desiredConfig: node.progress.desiredConfig ?? null,
          complete: node.progress.complete,
          steps: node.progress.steps.map((step) => ({ type: step.type, status: step.status, lastTransitionTime: step.at ?? null, message: step.message })),
        }
        : null,
    })),
  };
}

/** Columns separated by three spaces, as `oc get` prints them. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const bool = (value: boolean): string => (value ? 'True' : 'False');

export function imageLabel(image: string | undefined, custom: boolean): string {
  if (!image) return 'unknown';
  return custom ? `custom ${image}` : 'base';
}

export function poolTable(pools: readonly PoolView[]): string {
  return table(
    ['NAME', 'CONFIG', 'UPDATED', 'UPDATING', 'DEGRADED', 'MACHINECOUNT', 'READYMACHINECOUNT', 'UPDATEDMACHINECOUNT', 'DEGRADEDMACHINECOUNT', 'PAUSED', 'IMAGE'],
    pools.map((p) => [
      p.name, p.renderedConfig ?? '', bool(p.updated), bool(p.updating), bool(p.degraded), String(p.machineCount), String(p.readyMachineCount),
      String(p.updatedMachineCount), String(p.degradedMachineCount), bool(p.paused), imageLabel(p.osImageURL, p.customImage),
    ]),
  );
}

/** Like the STATUS of `oc get nodes`, plus what else keeps the MCO from counting the node ready. */
export function nodeStatusWords(node: NodeView): string {
  const words = [node.kubeletReady ? 'Ready' : 'NotReady'];
  if (node.notReadyReason && node.kubeletReady && node.notReadyReason !== 'Unschedulable') words.push(node.notReadyReason.replace(/=True$/, ''));
  if (!node.schedulable) words.push('SchedulingDisabled');
  return words.join(',');
}

/** The MachineConfigNode step a node is at, in UTC ("drained 10:41:03Z"), or "-". */
function stepText(node: NodeView): string {
  const step = node.progress?.current;
  if (!step) return '-';
  return describeStep(step, (iso) => iso.replace(/^.*T(\d\d:\d\d:\d\d).*$/, '$1Z')).replace(/ /g, '-');
}

export function nodeTable(nodes: readonly NodeView[]): string {
  return table(
    ['NODE', 'POOLS', 'PHASE', 'UPTODATE', 'STATE', 'STATUS', 'CURRENT', 'DESIRED', 'IMAGE', 'STEP', 'REASON'],
    nodes.map((n) => [
      n.name, n.pools.join(',') || '<none>', n.phase, bool(n.upToDate), n.state, nodeStatusWords(n), n.currentConfig, n.currentConfig === n.desiredConfig ? '=' : n.desiredConfig,
      imageLabel(n.osImageURL, n.customImage), stepText(n), (n.poolError ?? n.reason).replace(/\s+/g, ' ').slice(0, 200),
    ]),
  );
}

export function statusText(status: ClusterStatus): string {
  const header = [
    ['Context:', status.context],
    ['Server:', status.server],
    ['OpenShift:', status.version ?? 'unknown'],
    ['Base image:', status.baseImage ?? 'unknown'],
  ].map(([label, value]) => `${label!.padEnd(12)}${value}`).join('\n');
  const windows = status.windowsNodes.length > 0 ? `\n${status.windowsNodes.length} Windows node(s) not managed by the MCO, left out: ${status.windowsNodes.join(', ')}\n` : '';
  return `${header}\n\n${poolTable(status.pools)}\n\n${nodeTable(status.nodes)}\n${windows}`;
}

export function resourceWarnings(problems: readonly ResourceProblem[]): string[] {
  return problems.map((p) => `warning: ${formatProblem(p.problem)}`);
}
