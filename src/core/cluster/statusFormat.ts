import type { ResourceProblem } from './health';
import type { ClusterStatus, NodeView, PoolView } from './model';
import { formatProblem } from '../problem';

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

export function nodeStatusWords(node: NodeView): string {
  return [node.ready ? 'Ready' : 'NotReady', ...(node.schedulable ? [] : ['SchedulingDisabled'])].join(',');
}

export function nodeTable(nodes: readonly NodeView[]): string {
  return table(
    ['NODE', 'POOLS', 'STATE', 'STATUS', 'CURRENT', 'DESIRED', 'IMAGE', 'REASON'],
    nodes.map((n) => [
      n.name, n.pools.join(',') || '<none>', n.state, nodeStatusWords(n), n.currentConfig, n.currentConfig === n.desiredConfig ? '=' : n.desiredConfig,
      imageLabel(n.osImageURL, n.customImage), n.reason.replace(/\s+/g, ' ').slice(0, 200),
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
  return `${header}\n\n${poolTable(status.pools)}\n\n${nodeTable(status.nodes)}\n`;
}

export function resourceWarnings(problems: readonly ResourceProblem[]): string[] {
  return problems.map((p) => `warning: ${formatProblem(p.problem)}`);
}
