import { MCO_ANNOTATION, type Condition, type LabelSelector, type MachineOSBuildObject, type MachineOSConfigObject, type NodeObject, type PoolObject } from './objects';

/**
 * Which pool a node belongs to, whether it is up to date, ready, or waiting for its turn, decided as the Machine
 * Config Operator decides it. Each function names the upstream code it follows (openshift/machine-config-operator,
 * the same on release-4.16 … release-4.23 and main unless said otherwise); docs/cluster.md lists them too.
 */

export const OS_LABEL = 'kubernetes.io/os';

/** The node's MCO annotations (`machineconfiguration.openshift.io/<key>`), "" when absent. */
export function nodeAnnotation(node: NodeObject, key: string): string {
  return node.metadata.annotations[`${MCO_ANNOTATION}${key}`] ?? '';
}

function hasAnnotation(node: NodeObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(node.metadata.annotations, `${MCO_ANNOTATION}${key}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Pool membership: pkg/helpers/helpers.go GetPoolsForNode / ListPools, and node_controller.go getNodesForPool (a pool's
// nodes are those whose primary pool, the first GetPoolsForNode returns, is that pool).

/** A label selector with no requirements. The MCO lets such a node selector match no node ("it should match nothing"). */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

export function matchesSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector | undefined): boolean {
  // A missing selector selects nothing (as the MCO treats a pool without nodeSelector); an empty one selects everything.
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isWindowsNode(node: NodeObject): boolean {
  return node.metadata.labels[OS_LABEL] === 'windows';
}

/**
 * The pools a node is listed under: its one pool, as the MCO picks it (master wins over a custom pool; a custom pool wins
 * over worker), none for a Windows node or a node no pool selects, or, when two or more custom pools select it, all of
 * them: the MCO refuses such a node ("belongs to N custom roles, cannot proceed with this Node") and manages it in
 * none, and the tree shows it under each with that error (see membershipError).
 */
export function poolsOfNode(node: NodeObject, pools: Iterable<PoolObject>): string[] {
  if (isWindowsNode(node)) return [];
  let master = false;
  let worker = false;
  const custom: string[] = [];
  for (const pool of pools) {
    if (isEmptySelector(pool.nodeSelector) || !matchesSelector(node.metadata.labels, pool.nodeSelector)) continue;
    const name = pool.metadata.name;
    if (name === 'master') master = true;
    else if (name === 'worker') worker = true;
    else custom.push(name);
  }
  if (custom.length > 1) return custom;
  if (custom.length === 1) return master ? ['master'] : custom;
  if (master) return ['master'];
  return worker ? ['worker'] : [];
}

/** Why the MCO manages a node in none of the pools it is listed under, or undefined. */
export function membershipError(name: string, pools: readonly string[]): string | undefined {
  if (pools.length < 2) return undefined;
  return `node ${name} belongs to ${pools.length} custom roles (${pools.join(', ')}), cannot proceed with this Node: the MCO updates it in none of them until all but one custom role label are removed`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Readiness: checkNodeReady (pkg/controller/node/status.go up to release-4.18, LayeredNodeState.CheckNodeReady in
// pkg/controller/common/layered_node_state.go from release-4.19). Only conditions that are present count.

/** Why the MCO does not count the node as ready, in its own words, or undefined when it does. */
export function notReadyReason(node: NodeObject): string | undefined {
  for (const condition of node.conditions) {
    if (condition.type === 'Ready' && condition.status !== 'True') return `NotReady=${condition.status}`;
    if (condition.type === 'DiskPressure' && condition.status !== 'False') return `DiskPressure=${condition.status}`;
    if (condition.type === 'NetworkUnavailable' && condition.status !== 'False') return `NetworkUnavailable=${condition.status}`;
  }
  return node.unschedulable ? 'Unschedulable' : undefined;
}

export function kubeletReady(conditions: readonly Condition[]): boolean {
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

// ---------------------------------------------------------------------------------------------------------------------
// Done and up to date: LayeredNodeState.IsNodeDone / IsDone (pkg/controller/common/layered_node_state.go, release-4.19+;
// status.go isNodeDone / isNodeDoneAt and LayeredNodeState.IsDoneAt up to release-4.18).

/** current = desired config, the image annotations agree (or are both absent), and the daemon says Done. */
export function isNodeDone(node: NodeObject): boolean {
  const current = nodeAnnotation(node, 'currentConfig');
  const desired = nodeAnnotation(node, 'desiredConfig');
  if (current === '' || desired === '' || current !== desired) return false;
  return isNodeImageDone(node) && nodeAnnotation(node, 'state') === 'Done';
}

/** Both image annotations absent (not layered), or both set and equal. A desired image cleared while a current one stays is a roll back in progress. */
export function isNodeImageDone(node: NodeObject): boolean {
  const desiredPresent = hasAnnotation(node, 'desiredImage');
  const currentPresent = hasAnnotation(node, 'currentImage');
  if (!desiredPresent && !currentPresent) return true;
  const desired = nodeAnnotation(node, 'desiredImage');
  const current = nodeAnnotation(node, 'currentImage');
  return desired !== '' && current !== '' && desired === current;
}

/** What the MCO rolls a pool to: its target rendered config and, with on-cluster layering, the built image. */
export interface PoolTarget {
  readonly config: string | undefined;
  /** The pool has a MachineOSConfig (the MCO's isLayeredPool). */
  readonly layered: boolean;
  /** The MachineOSConfig's status.currentImagePullSpec: the image nodes get; undefined before the first build succeeds. */
  readonly image: string | undefined;
  /** A MachineOSBuild of that MachineOSConfig exists for the target config (the MCO needs one before nodes count as done). */
  readonly buildForTarget: boolean;
}

export function poolTarget(pool: PoolObject, config: MachineOSConfigObject | undefined, builds: readonly MachineOSBuildObject[]): PoolTarget {
  const target = pool.targetConfig;
  return {
    config: target,
    layered: config !== undefined,
    image: config?.currentImagePullSpec || undefined,
    buildForTarget: target !== undefined && builds.some((b) => b.renderedMachineConfig === target),
  };
}

/**
 * Up to date as the MCO counts a node in updatedMachineCount: done, its desired config is the pool's target, and with
 * on-cluster layering its desired image is the MachineOSConfig's image (without layering it has no desired image).
 */
export function isNodeUpToDate(node: NodeObject, target: PoolTarget): boolean {
  if (!target.config || !isNodeDone(node) || nodeAnnotation(node, 'desiredConfig') !== target.config) return false;
  if (!target.layered) return !hasAnnotation(node, 'desiredImage');
  return target.image !== undefined && nodeAnnotation(node, 'desiredImage') === target.image && target.buildForTarget;
}

// ---------------------------------------------------------------------------------------------------------------------
// Phase: one word for where a node is in its update, from the annotations the daemon and the drain controller write
// (pkg/daemon/constants/constants.go: state, post-config-action Rebooting, desiredDrain/lastAppliedDrain).

export type NodePhase = 'waiting' | 'updating' | 'draining' | 'rebooting' | 'done' | 'degraded' | 'unreconcilable';

/**
 * - degraded / unreconcilable: the daemon's state says so;
 * - rebooting: post-config-action is Rebooting;
 * - draining: desiredDrain asks for `drain-…` and lastAppliedDrain has not caught up;
 * - done: up to date (or, for a node in no pool, done with what it was given);
 * - waiting: done with an older config or image: the node controller has not picked it yet (maxUnavailable at a time),
 *   or the daemon has not started on it (no state yet);
 * - updating: everything else (the daemon is Working, or has a new desiredConfig it has not applied).
 */
export function nodePhase(node: NodeObject, target: PoolTarget | undefined): NodePhase {
  const state = nodeAnnotation(node, 'state');
  if (state === 'Unreconcilable') return 'unreconcilable';
  if (state === 'Degraded') return 'degraded';
  if (nodeAnnotation(node, 'post-config-action') === 'Rebooting') return 'rebooting';
  if (isDraining(node)) return 'draining';
  if (target ? isNodeUpToDate(node, target) : isNodeDone(node)) return 'done';
  if (state === '' || isNodeDone(node)) return 'waiting';
  return 'updating';
}

export function isDraining(node: NodeObject): boolean {
  const desiredDrain = nodeAnnotation(node, 'desiredDrain');
  return desiredDrain.startsWith('drain-') && desiredDrain !== nodeAnnotation(node, 'lastAppliedDrain');
}

// ---------------------------------------------------------------------------------------------------------------------
// maxUnavailable: node_controller.go maxUnavailable(): int or percent of the pool's nodes, rounded down; 0 means 1.
// (release-4.23 and main also pin the arbiter pool to 1.)

export interface MaxUnavailable {
  /** How many nodes the MCO updates at a time, or undefined when the value is invalid (the MCO then updates none). */
  readonly nodes: number | undefined;
  /** The pool's spec value as written ("10%", 0, …), or undefined when unset (default 1). */
  readonly spec: string | number | undefined;
}

export function effectiveMaxUnavailable(pool: Pick<PoolObject, 'maxUnavailable' | 'machineCount' | 'metadata'>): MaxUnavailable {
  const spec = pool.maxUnavailable;
  if (pool.metadata.name === 'arbiter') return { nodes: 1, spec };
  let scaled: number | undefined;
  if (spec === undefined) scaled = 1;
  else if (typeof spec === 'number') scaled = Number.isInteger(spec) && spec >= 0 ? spec : undefined;
  else {
    const percent = /^(\d+)%$/.exec(spec);
    scaled = percent ? Math.floor((Number(percent[1]) * pool.machineCount) / 100) : undefined;
  }
  return { nodes: scaled === undefined ? undefined : Math.max(1, scaled), spec };
}

/** "1 at a time", "2 at a time (20% of 10)", "1 at a time (maxUnavailable 0 counts as 1)". */
export function describeMaxUnavailable(max: MaxUnavailable): string {
  if (max.nodes === undefined) return `none at a time (maxUnavailable ${JSON.stringify(max.spec)} is not a number or a percentage)`;
  if (max.spec === undefined || max.spec === max.nodes) return `${max.nodes} at a time`;
  if (max.spec === 0) return `${max.nodes} at a time (maxUnavailable 0 counts as 1)`;
  return `${max.nodes} at a time (maxUnavailable ${max.spec})`;
}
