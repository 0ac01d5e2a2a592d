import {
  isDraining, isNodeUpToDate, isWindowsNode, kubeletReady, matchesSelector, membershipError, nodeAnnotation, nodePhase, notReadyReason,
  describeMaxUnavailable, effectiveMaxUnavailable, poolTarget, poolsOfNode, type MaxUnavailable, type NodePhase, type PoolTarget,
} from './nodeState';
import {
  MCO_ANNOTATION, type ClusterVersionInfo, type Condition, type MachineConfigNodeObject, type MachineConfigObject,
  type MachineOSBuildObject, type MachineOSConfigObject, type NodeObject, type OsImageUrlConfigMap, type PoolObject,
} from './objects';
import { ROLE_LABEL } from '../openshift/names';
import { updateProgress, type UpdateProgress } from './updateProgress';

export { matchesSelector, poolsOfNode, type NodePhase } from './nodeState';

/**
 * The view-model: pure functions from what the cluster sent to what the tree, the status bar and `status --format
 * json` show, so the three cannot disagree. Pool and node states follow the MCO's own rules (MCO-FACTS section 4).
 */

export interface ClusterSnapshot {
  readonly context: string;
  readonly server: string;
  readonly pools: ReadonlyMap<string, PoolObject>;
  readonly nodes: ReadonlyMap<string, NodeObject>;
  readonly machineConfigs: ReadonlyMap<string, MachineConfigObject>;
  readonly osImageUrls: OsImageUrlConfigMap | undefined;
  readonly clusterVersion: ClusterVersionInfo | undefined;
  readonly machineOSConfigs: ReadonlyMap<string, MachineOSConfigObject>;
  readonly machineOSBuilds: ReadonlyMap<string, MachineOSBuildObject>;
  /** Empty where the cluster does not serve machineconfignodes (before 4.19). */
  readonly machineConfigNodes: ReadonlyMap<string, MachineConfigNodeObject>;
}

export type PoolState = 'updated' | 'updating' | 'degraded' | 'paused' | 'unknown';

export interface PoolView {
  readonly name: string;
  readonly state: PoolState;
  readonly updated: boolean;
  readonly updating: boolean;
  readonly degraded: boolean;
  readonly paused: boolean;
  readonly machineCount: number;
  readonly readyMachineCount: number;
  readonly updatedMachineCount: number;
  readonly degradedMachineCount: number;
  /** status.configuration.name: what every node has finished rolling to (the CONFIG column of `oc get mcp`). */
  readonly renderedConfig: string | undefined;
  /** spec.configuration.name: what nodes are moving to. */
  readonly targetConfig: string | undefined;
  /** osImageURL of the rendered config the pool runs. */
  readonly osImageURL: string | undefined;
  readonly targetOsImageURL: string | undefined;
  readonly customImage: boolean;
  readonly conditions: readonly Condition[];
  /** MachineConfigs the target rendered config merges. */
  readonly machineConfigNames: readonly string[];
  /** One line like `oc get mcp`: "Updating 2/5", "Updated 3/3", "Degraded (1 of 5)", "Paused". */
  readonly summary: string;
  /** The pool has a MachineOSConfig (on-cluster layering). */
  readonly layered: boolean;
  /** Something to roll back: a custom image now or in the target config, a MachineConfig setting osImageURL, or a MachineOSConfig. */
  readonly rollBackable: boolean;
  /** How many nodes the MCO updates at a time (spec.maxUnavailable as the node controller applies it). */
  readonly maxUnavailable: MaxUnavailable;
}

export type NodeState = 'Done' | 'Working' | 'Degraded' | 'Unreconcilable' | 'Rebooting' | 'Unknown';

export interface NodeView {
  readonly name: string;
  /** The pools the node is listed under: one, none, or (an error the MCO refuses, see poolError) several custom pools. */
  readonly pools: readonly string[];
  /** Why the MCO manages the node in none of its pools (two custom roles), or undefined. */
  readonly poolError: string | undefined;
  readonly state: NodeState;
  /** Where the node is in its update (see nodePhase). */
  readonly phase: NodePhase;
  /** Done with its pool's target config (and built image), as the MCO counts updatedMachineCount. */
  readonly upToDate: boolean;
  /** Ready as the MCO counts it: kubelet Ready, no DiskPressure, no NetworkUnavailable, schedulable. */
  readonly ready: boolean;
  /** What keeps the MCO from counting it ready ("NotReady=Unknown", "Unschedulable" …), or undefined. */
  readonly notReadyReason: string | undefined;
  /** The kubelet's Ready condition alone (the STATUS of `oc get nodes`). */
  readonly kubeletReady: boolean;
  readonly schedulable: boolean;
  readonly currentConfig: string;
  readonly desiredConfig: string;
  /** The pool's spec.configuration.name, when the node has one pool. */
  readonly targetConfig: string | undefined;
  readonly osImageURL: string | undefined;
  /** desiredImage annotation (on-cluster layering), when set and not yet current. */
  readonly desiredImage: string | undefined;
  readonly customImage: boolean;
  readonly reason: string;
  /** desiredDrain asks for a drain the drain controller has not finished. */
  readonly draining: boolean;
  /** The MachineConfigNode's account of the update (4.19+), when the cluster serves it. */
  readonly progress: UpdateProgress | undefined;
}

export interface MachineConfigView {
  readonly name: string;
  readonly pool: string | undefined;
  readonly setsOsImageURL: boolean;
  readonly setsKernelType: boolean;
  readonly setsExtensions: boolean;
  readonly osImageURL: string | undefined;
  readonly kernelType: string | undefined;
  readonly extensions: readonly string[];
  readonly generated: boolean;
}

function conditionTrue(conditions: readonly Condition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

function isCustomImage(image: string | undefined, snapshot: ClusterSnapshot, rendered: MachineConfigObject | undefined): boolean {
  if (!image) return false;
  const base = snapshot.osImageUrls?.baseOSContainerImage;
  if (base) return image !== base;
  return rendered?.metadata.annotations[`${MCO_ANNOTATION}os-image-url-overridden`] === 'true';
}

export function poolView(pool: PoolObject, snapshot: ClusterSnapshot): PoolView {
  const updated = conditionTrue(pool.conditions, 'Updated');
  const updating = conditionTrue(pool.conditions, 'Updating');
  const degraded = conditionTrue(pool.conditions, 'Degraded') || conditionTrue(pool.conditions, 'NodeDegraded') || conditionTrue(pool.conditions, 'RenderDegraded');
  const rendered = pool.currentConfig ? snapshot.machineConfigs.get(pool.currentConfig) : undefined;
  const target = pool.targetConfig ? snapshot.machineConfigs.get(pool.targetConfig) : undefined;
  // With on-cluster layering the rendered config keeps the base image; the MachineOSConfig names the built one.
  const onCluster = machineOSConfigOf(pool.metadata.name, snapshot);
  const layered = onCluster?.currentImagePullSpec || undefined;
  const osImageURL = layered ?? rendered?.osImageURL;
  const customImage = layered !== undefined || isCustomImage(osImageURL, snapshot, rendered);
  const machineConfigNames = pool.targetSources.length > 0 ? pool.targetSources : pool.currentSources;
  const state: PoolState = degraded ? 'degraded' : updating ? 'updating' : pool.paused && !updated ? 'paused' : updated ? 'updated' : pool.paused ? 'paused' : 'unknown';
  return {
    name: pool.metadata.name,
    state,
    updated,
    updating,
    degraded,
    paused: pool.paused,
    machineCount: pool.machineCount,
    readyMachineCount: pool.readyMachineCount,
    updatedMachineCount: pool.updatedMachineCount,
    degradedMachineCount: pool.degradedMachineCount,
    renderedConfig: pool.currentConfig,
    targetConfig: pool.targetConfig,
    osImageURL,
    targetOsImageURL: target?.osImageURL,
    customImage,
    conditions: pool.conditions,
    machineConfigNames,
    summary: poolSummary(pool, state),
    layered: onCluster !== undefined,
    rollBackable: customImage || onCluster !== undefined || isCustomImage(target?.osImageURL, snapshot, target)
      || machineConfigNames.some((name) => setsOsImage(snapshot.machineConfigs.get(name))),
    maxUnavailable: effectiveMaxUnavailable(pool),
  };
}

function poolSummary(pool: PoolObject, state: PoolState): string {
  const counts = `${pool.updatedMachineCount}/${pool.machineCount}`;
  const paused = pool.paused ? ', paused' : '';
  switch (state) {
    case 'degraded':
      return `Degraded (${pool.degradedMachineCount} of ${pool.machineCount})${paused}`;
    case 'updating':
      return `Updating ${counts}${paused}`;
    case 'paused':
      return `Paused, ${counts} updated`;
    case 'updated':
      return `Updated ${counts}${paused}`;
    default:
      return `${counts} updated${paused}`;
  }
}

export function nodeView(node: NodeObject, pools: readonly string[], snapshot: ClusterSnapshot): NodeView {
  const annotation = (key: string): string => nodeAnnotation(node, key);
  const mcoState = annotation('state');
  const rebooting = annotation('post-config-action') === 'Rebooting';
  const state: NodeState = rebooting ? 'Rebooting'
    : mcoState === 'Done' || mcoState === 'Working' || mcoState === 'Degraded' || mcoState === 'Unreconcilable' ? mcoState : 'Unknown';
  const currentConfig = annotation('currentConfig');
  const desiredConfig = annotation('desiredConfig');
  const rendered = currentConfig ? snapshot.machineConfigs.get(currentConfig) : undefined;
  const osImageURL = annotation('currentImage') || rendered?.osImageURL;
  const desiredImage = annotation('desiredImage');
  const poolError = membershipError(node.metadata.name, pools);
  const pool = pools.length === 1 ? snapshot.pools.get(pools[0]!) : undefined;
  const target = pool ? targetOfPool(pool, snapshot) : undefined;
  const notReady = notReadyReason(node);
  const mcn = snapshot.machineConfigNodes.get(node.metadata.name);
  return {
    name: node.metadata.name,
    pools,
    poolError,
    state,
    phase: nodePhase(node, target),
    upToDate: target !== undefined && isNodeUpToDate(node, target),
    ready: notReady === undefined,
    notReadyReason: notReady,
    kubeletReady: kubeletReady(node.conditions),
    schedulable: !node.unschedulable,
    currentConfig,
    desiredConfig,
    targetConfig: pool?.targetConfig,
    osImageURL,
    desiredImage: desiredImage && desiredImage !== annotation('currentImage') ? desiredImage : undefined,
    // Only on-cluster layering sets currentImage: an image the cluster built.
    customImage: annotation('currentImage') !== '' || isCustomImage(osImageURL, snapshot, rendered),
    reason: annotation('reason'),
    draining: isDraining(node),
    progress: mcn ? updateProgress(mcn) : undefined,
  };
}

/** What the MCO rolls `pool` to (its target config and, with on-cluster layering, the built image). */
export function targetOfPool(pool: PoolObject, snapshot: ClusterSnapshot): PoolTarget {
  const config = machineOSConfigOf(pool.metadata.name, snapshot);
  return poolTarget(pool, config, config ? buildsOf(config.metadata.name, snapshot) : []);
}

function setsOsImage(mc: MachineConfigObject | undefined): boolean {
  return mc !== undefined && mc.osImageURL !== undefined && mc.metadata.annotations[`${MCO_ANNOTATION}generated-by-controller-version`] === undefined;
}

export function machineConfigView(mc: MachineConfigObject): MachineConfigView {
  return {
    name: mc.metadata.name,
    pool: mc.metadata.labels[ROLE_LABEL],
    setsOsImageURL: mc.osImageURL !== undefined,
    setsKernelType: mc.kernelType !== undefined && mc.kernelType !== 'default',
    setsExtensions: mc.extensions.length > 0,
    osImageURL: mc.osImageURL,
    kernelType: mc.kernelType,
    extensions: mc.extensions,
    generated: mc.metadata.annotations[`${MCO_ANNOTATION}generated-by-controller-version`] !== undefined,
  };
}

/** The user MachineConfig that sets osImageURL for a pool (what "Roll back" deletes), from its rendered sources. */
export function osImageOverrides(pool: PoolView, snapshot: ClusterSnapshot): MachineConfigView[] {
  return pool.machineConfigNames
    .map((name) => snapshot.machineConfigs.get(name))
    .filter((mc): mc is MachineConfigObject => mc !== undefined)
    .map(machineConfigView)
    .filter((mc) => mc.setsOsImageURL && !mc.generated);
}

export interface ClusterStatus {
  readonly context: string;
  readonly server: string;
  readonly version: string | undefined;
  readonly baseImage: string | undefined;
  readonly pools: readonly PoolView[];
  readonly nodes: readonly NodeView[];
  /** Windows nodes: the MCO does not manage them, so they are left out of `nodes`. */
  readonly windowsNodes: readonly string[];
}

/** Everything at once, sorted by name: for `status`, and for tests. The tree computes the same views per item. */
export function clusterStatus(snapshot: ClusterSnapshot): ClusterStatus {
  const pools = [...snapshot.pools.values()].sort(byName);
  return {
    context: snapshot.context,
    server: snapshot.server,
    version: snapshot.clusterVersion?.version,
    baseImage: snapshot.osImageUrls?.baseOSContainerImage,
    pools: pools.map((pool) => poolView(pool, snapshot)),
    nodes: [...snapshot.nodes.values()].filter((node) => !isWindowsNode(node)).sort(byName).map((node) => nodeView(node, poolsOfNode(node, pools), snapshot)),
    windowsNodes: [...snapshot.nodes.values()].filter(isWindowsNode).map((node) => node.metadata.name).sort(),
  };
}

function byName(a: { metadata: { name: string } }, b: { metadata: { name: string } }): number {
  return a.metadata.name.localeCompare(b.metadata.name);
}

// ---------------------------------------------------------------------------------------------------------------------
// On-cluster layering

export type BuildState = 'Succeeded' | 'Failed' | 'Interrupted' | 'Building' | 'Prepared' | 'Pending';

/** A MachineOSBuild's state from its conditions; Failed, Interrupted and Succeeded are final (MCO-FACTS section 6). */
export function machineOSBuildState(build: MachineOSBuildObject): BuildState {
  for (const type of ['Failed', 'Interrupted', 'Succeeded', 'Building', 'Prepared'] as const) if (conditionTrue(build.conditions, type)) return type;
  return 'Pending';
}

/** The MachineOSConfig of a pool (one per pool, named like it in v1), and its builds, newest first. */
export function machineOSConfigOf(pool: string, snapshot: ClusterSnapshot): MachineOSConfigObject | undefined {
  for (const config of snapshot.machineOSConfigs.values()) if ((config.pool ?? config.metadata.name) === pool) return config;
  return undefined;
}

export function buildsOf(config: string, snapshot: ClusterSnapshot): MachineOSBuildObject[] {
  return [...snapshot.machineOSBuilds.values()]
    .filter((b) => (b.machineOSConfig ?? b.metadata.labels[`${MCO_ANNOTATION}machine-os-config`]) === config)
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || b.metadata.name.localeCompare(a.metadata.name));
}

// ---------------------------------------------------------------------------------------------------------------------
// Rollouts: the status bar, notifications, and what an apply or roll back will touch

/** "worker 2/5 updated" for every pool that is rolling out, or undefined when none is. */
export function rolloutSummary(pools: readonly PoolView[]): string | undefined {
  const rolling = pools.filter((p) => p.updating || (p.degraded && p.updatedMachineCount < p.machineCount));
  if (rolling.length === 0) return undefined;
  return rolling.map((p) => `${p.name} ${p.updatedMachineCount}/${p.machineCount} updated${p.degraded ? ' (degraded)' : ''}`).join(', ');
}

export interface PoolTransition {
  readonly pool: string;
  readonly from: PoolState;
  readonly to: PoolState;
  readonly view: PoolView;
}

/**
 * Remembers each pool's state and reports the changes worth a notification: a rollout that finished (updating →
 * updated) and a pool that became degraded. The first observation of a pool reports nothing.
 */
export class PoolTransitionTracker {
  private readonly states = new Map<string, PoolState>();

  update(views: readonly PoolView[]): PoolTransition[] {
    const transitions: PoolTransition[] = [];
    const seen = new Set<string>();
    for (const view of views) {
      seen.add(view.name);
      const from = this.states.get(view.name);
      this.states.set(view.name, view.state);
      if (from === undefined || from === view.state) continue;
      if ((view.state === 'updated' && (from === 'updating' || from === 'degraded')) || view.state === 'degraded') transitions.push({ pool: view.name, from, to: view.state, view });
    }
    for (const name of [...this.states.keys()]) if (!seen.has(name)) this.states.delete(name);
    return transitions;
  }

  reset(): void {
    this.states.clear();
  }
}

/**
 * Pools whose rendered config a MachineConfig with these labels goes into: those whose machineConfigSelector matches.
 * A `role: worker` MachineConfig also reaches custom pools, which inherit worker's MachineConfigs.
 */
export function poolsForMachineConfig(labels: Readonly<Record<string, string>>, snapshot: ClusterSnapshot): PoolObject[] {
  return [...snapshot.pools.values()].filter((pool) => matchesSelector(labels, pool.machineConfigSelector)).sort(byName);
}

export interface RolloutImpact {
  readonly pools: readonly { readonly name: string; readonly machineCount: number; readonly paused: boolean; readonly maxUnavailable: MaxUnavailable }[];
  readonly nodeCount: number;
}

/** What a MachineConfig change will roll out to: pools, their node counts and how many nodes go at a time. */
export function rolloutImpact(labels: Readonly<Record<string, string>>, snapshot: ClusterSnapshot): RolloutImpact {
  return impactOf(poolsForMachineConfig(labels, snapshot));
}

/** What an on-cluster build for `poolName` rolls out to once its image is built: that pool, when it exists. */
export function poolRolloutImpact(poolName: string, snapshot: ClusterSnapshot): RolloutImpact {
  const pool = snapshot.pools.get(poolName);
  return impactOf(pool ? [pool] : []);
}

function impactOf(selected: readonly PoolObject[]): RolloutImpact {
  const pools = selected.map((pool) => ({ name: pool.metadata.name, machineCount: pool.machineCount, paused: pool.paused, maxUnavailable: effectiveMaxUnavailable(pool) }));
  return { pools, nodeCount: pools.reduce((sum, p) => sum + p.machineCount, 0) };
}

/** One line for a confirmation: "worker (5 nodes, 1 at a time), infra (2 nodes, 1 at a time, paused)". */
export function describeImpact(impact: RolloutImpact): string {
  return impact.pools
    .map((p) => `${p.name} (${p.machineCount} node${p.machineCount === 1 ? '' : 's'}, ${describeMaxUnavailable(p.maxUnavailable)}${p.paused ? ', paused: nothing happens until it is resumed' : ''})`)
    .join(', ');
}
