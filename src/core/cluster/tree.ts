import type { Problem } from '../problem';
import type { SessionHealth } from './health';
import type { ResourceId } from './informer';
import { ITEM_RENDERERS } from './items';
import { problemOf } from './items/problem';
import type { ElementKind, ExplorerState, ItemData, RenderContext, TreeElement } from './items/types';
import { buildsOf, machineOSConfigOf, nodeView, poolView, poolsOfNode, type ClusterSnapshot, type NodePhase, type PoolView } from './model';
import type { StoreChange } from './store';

/**
 * The cluster tree without VS Code: which elements exist and which ones changed; what each item shows is rendered per
 * kind in ./items/. The VS Code TreeDataProvider (src/vscode/cluster/treeProvider.ts) only turns ItemData into
 * TreeItems, so the tree can be tested and benchmarked in plain Node.
 *
 * Elements are cached by id, so the same object comes back for the same item: VS Code refreshes an item only when it
 * is fired with the element object it was given. Ids are stable (`pool:worker`, `node:worker/ip-10-0-1-2`) so
 * selection, expansion and pending context-menu commands survive refreshes. A node in two pools shows under both, with
 * two ids.
 */

export type { ElementKind, ExplorerState, IconData, ItemData, TreeElement } from './items/types';

export const RETRY_COMMAND = 'rhcosLayering.cluster.retry';
export const SWITCH_CONTEXT_COMMAND = 'rhcosLayering.cluster.switchContext';

export class ClusterTreeModel {
  private state: ExplorerState = { kind: 'idle' };
  private readonly elements = new Map<string, TreeElement>();
  /** Elements handed out by children(): only these can be refreshed. */
  private readonly shown = new Set<string>();
  private membership: Map<string, readonly string[]> | undefined;
  private readonly members = new Map<string, string[]>();
  /** Each listed node's place in its pool's order (see PHASE_ORDER), as of the last time the pool's list was built. */
  private readonly ranks = new Map<string, number>();
  /** The pools' views, computed once per change and read by the tree, the status bar and notifications alike. */
  private poolViewCache: Map<string, PoolView> | undefined;
  /** Since when pools / nodes have been shown from the last known state (the cluster cannot be read). */
  private readonly staleSince = new Map<'pools' | 'nodes', number>();
  private selectors = new Map<string, string>();
  private pending = new Set<TreeElement>();
  private pendingAll = false;
  private flushScheduled = false;
  private readonly listeners = new Set<(elements: readonly TreeElement[] | undefined) => void>();
  private readonly viewListeners = new Set<() => void>();
  /** Pools' views or health changed since the last flush: the status bar and notifications are told with the tree. */
  private viewsDirty = false;
  /** For the benchmark: when the oldest watch event behind the next refresh arrived. */
  private pendingSince: number | undefined;
  lastFlush: { readonly at: number; readonly oldestEventAt: number | undefined; readonly count: number } | undefined;

  constructor(
    private readonly schedule: (flush: () => void) => void = (flush) => setImmediate(flush),
    private readonly now: () => number = Date.now,
  ) {}

  /** Listeners get the elements to refresh, or undefined for the whole tree. */
  onDidChange(listener: (elements: readonly TreeElement[] | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called at each refresh of the tree in which the pools' views or the session's health changed, whether or not the
   * tree is showing them: the status bar and notifications read poolViews() then, at the same moment as the tree.
   */
  onDidChangeViews(listener: () => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  get current(): ExplorerState {
    return this.state;
  }

  /** A new state: a new session, a lost session, a kubeconfig problem. The whole tree refreshes. */
  setState(state: ExplorerState): void {
    const sameSession = state.kind === 'session' && this.state.kind === 'session' && state.snapshot === this.state.snapshot;
    this.state = state;
    if (!sameSession) {
      this.membership = undefined;
      this.members.clear();
      this.ranks.clear();
      this.selectors.clear();
      this.staleSince.clear();
    }
    this.poolViewCache = undefined;
    this.viewsDirty = true;
    if (state.kind === 'session') this.trackStaleness(state.health);
    this.fireAll();
  }

  /** The session's health changed: the root and its problem items refresh. */
  healthChanged(health: SessionHealth): void {
    if (this.state.kind !== 'session') return;
    const before = this.state.health;
    this.state = { ...this.state, health };
    this.viewsDirty = true;
    this.scheduleFlush();
    if (this.trackStaleness(health)) return this.fireAll();
    // Problems appear or go away (children of the root change), or the whole tree turns into one problem.
    if (before.state !== health.state || before.resourceProblems.length !== health.resourceProblems.length || before.settled !== health.settled) this.fireAll();
    else {
      this.fire(this.element('cluster', this.state.context));
      if (health.problem) this.fire(this.element('problem', 'cluster'));
      for (const p of health.resourceProblems) this.fire(this.element('problem', p.resource));
    }
  }

  /** Store changes: refresh exactly the items they touch. */
  itemsChanged(changes: readonly StoreChange[]): void {
    if (this.state.kind !== 'session') return;
    const snapshot = this.state.snapshot;
    if (changes.some((c) => c.resource !== 'nodes' && c.resource !== 'machineConfigNodes' && c.resource !== 'clusterVersion')) {
      this.poolViewCache = undefined;
      this.viewsDirty = true;
      this.scheduleFlush();
    }
    for (const change of changes) {
      if (change.receivedAt !== undefined && (this.pendingSince === undefined || change.receivedAt < this.pendingSince)) this.pendingSince = change.receivedAt;
      switch (change.resource) {
        case 'nodes':
        case 'machineConfigNodes':
          // A MachineConfigNode is named like its node and only adds to that node's item.
          this.nodeChanged(change.name, snapshot);
          break;
        case 'pools':
          this.poolChanged(change, snapshot);
          break;
        case 'machineConfigs':
          this.machineConfigChanged(change.name, snapshot);
          break;
        case 'osImageUrls':
          // The base image decides "custom or base" for every pool and node.
          this.fireAll();
          break;
        case 'clusterVersion':
          this.fire(this.element('cluster', this.state.context));
          break;
        case 'machineOSConfigs':
        case 'machineOSBuilds':
          // The built image decides which nodes are up to date: pools refresh with their nodes, in a new order.
          this.members.clear();
          for (const pool of snapshot.pools.keys()) this.fire(this.element('pool', pool));
          for (const id of this.shown) if (id.startsWith('mosc:') || id.startsWith('mosb:')) this.fire(this.elements.get(id)!);
          break;
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Structure

  children(element?: TreeElement): TreeElement[] {
    const children = this.computeChildren(element);
    for (const child of children) this.shown.add(child.id);
    return children;
  }

  parent(element: TreeElement): TreeElement | undefined {
    const state = this.state;
    if (state.kind !== 'session') return undefined;
    switch (element.kind) {
      case 'cluster':
        return undefined;
      case 'pool':
      case 'baseImage':
        return this.element('cluster', state.context);
      case 'problem':
        return element.pool ? this.element('pool', element.pool) : this.element('cluster', state.context);
      case 'node':
      case 'machineConfigs':
      case 'machineOSConfig':
        return element.pool ? this.element('pool', element.pool) : this.element('cluster', state.context);
      case 'machineConfig':
        return element.pool ? this.element('machineConfigs', element.pool) : undefined;
      case 'machineOSBuild':
        return element.pool ? this.element('machineOSConfig', element.pool) : undefined;
      default:
        return undefined;
    }
  }

  /** The element for a pool or node, as the tree shows it (for reveal). */
  poolElement(name: string): TreeElement {
    return this.element('pool', name);
  }

  private computeChildren(element: TreeElement | undefined): TreeElement[] {
    const state = this.state;
    if (!element) {
      switch (state.kind) {
        case 'idle':
        case 'noKubeconfig':
          return []; // the welcome view
        case 'problem':
          return [this.element('problem', 'kubeconfig')];
        case 'loading':
          return [this.element('message', 'loading')];
        case 'session':
          return [this.element('cluster', state.context)];
      }
    }
    if (state.kind !== 'session') return element.kind === 'problem' ? this.problemLines(element) : [];
    const snapshot = state.snapshot;
    switch (element.kind) {
      case 'cluster':
        return this.clusterChildren(state);
      case 'pool':
        return this.poolChildren(element.name, snapshot, state.health);
      case 'machineConfigs':
        return this.machineConfigChildren(element.pool!, snapshot, state.health);
      case 'machineOSConfig':
        return buildsOf(element.name, snapshot).map((b) => this.element('machineOSBuild', b.metadata.name, element.name));
      case 'problem':
        return this.problemLines(element);
      default:
        return [];
    }
  }

  private clusterChildren(state: Extract<ExplorerState, { kind: 'session' }>): TreeElement[] {
    const health = state.health;
    const out: TreeElement[] = [];
    if (health.problem) {
      // Say what is wrong first; keep showing what was known (an unreachable cluster, an expired token).
      out.push(this.element('problem', 'cluster'));
      if (health.state === 'notOpenShift' || health.state === 'notMcoManaged' || state.snapshot.pools.size === 0) return out;
    } else if (health.state === 'connecting') return [this.element('message', 'connecting')];
    if (state.snapshot.osImageUrls?.baseOSContainerImage) out.push(this.element('baseImage', 'base'));
    for (const warning of state.warnings.keys()) out.push(this.element('problem', `kubeconfig-warning-${warning}`));
    if (!health.problem) for (const p of health.resourceProblems) out.push(this.element('problem', p.resource));
    const pools = [...state.snapshot.pools.keys()].sort();
    if (pools.length === 0 && state.health.resourceProblems.every((p) => p.resource !== 'pools')) out.push(this.element('message', 'no-pools'));
    for (const pool of pools) out.push(this.element('pool', pool));
    return out;
  }

  private poolChildren(pool: string, snapshot: ClusterSnapshot, health: SessionHealth): TreeElement[] {
    if (!snapshot.pools.has(pool)) return [];
    const out: TreeElement[] = [this.element('machineConfigs', pool, pool)];
    const config = machineOSConfigOf(pool, snapshot);
    if (config) out.push(this.element('machineOSConfig', config.metadata.name, pool));
    if (health.resourceProblems.some((p) => p.resource === 'nodes' && !p.stale)) {
      out.push(this.element('problem', 'nodes', pool));
      return out;
    }
    const nodes = this.poolMembers(pool, snapshot);
    if (nodes.length === 0) out.push(this.element('message', 'no-nodes', pool));
    for (const node of nodes) out.push(this.element('node', node, pool));
    return out;
  }

  private machineConfigChildren(pool: string, snapshot: ClusterSnapshot, health: SessionHealth): TreeElement[] {
    const problem = health.resourceProblems.find((p) => p.resource === 'machineConfigs');
    if (problem && !problem.stale) return [this.element('problem', 'machineConfigs', pool)];
    const view = snapshot.pools.get(pool);
    if (!view) return [];
    const names = view.targetSources.length > 0 ? view.targetSources : view.currentSources;
    const rendered = view.targetConfig ?? view.currentConfig;
    return [...(rendered ? [rendered] : []), ...[...names].sort()].map((name) => this.element('machineConfig', name, pool));
  }

  private problemLines(element: TreeElement): TreeElement[] {
    const problem = this.problemOf(element);
    if (!problem) return [];
    return [this.element('message', `why:${element.id}`, element.pool), this.element('message', `next:${element.id}`, element.pool)];
  }


  // -------------------------------------------------------------------------------------------------------------------
  // Items

  item(element: TreeElement): ItemData {
    const context: RenderContext = {
      state: this.state,
      poolsOf: (node, snapshot) => this.poolsOf(node, snapshot),
      problemOf: (target) => this.problemOf(target),
      elementById: (id) => this.elements.get(id),
      staleAsOf: (resource) => this.staleAsOf(resource),
      poolView: (name) => this.poolViews().find((view) => view.name === name),
    };
    return ITEM_RENDERERS[element.kind](element, context);
  }

  /** When what is shown of `resource` was last known current, while the cluster cannot be read; else undefined. */
  staleAsOf(resource: 'pools' | 'nodes'): number | undefined {
    return this.staleSince.get(resource);
  }

  /** Every pool's view, sorted by name: the one reading the tree, the status bar and notifications share. */
  poolViews(): readonly PoolView[] {
    const state = this.state;
    if (state.kind !== 'session') return [];
    if (!this.poolViewCache) {
      const snapshot = state.snapshot;
      this.poolViewCache = new Map([...snapshot.pools.keys()].sort().map((name) => [name, poolView(snapshot.pools.get(name)!, snapshot)]));
    }
    return [...this.poolViewCache.values()];
  }

  /** Notes when pools and nodes start or stop being shown from the last known state; true when that changed. */
  private trackStaleness(health: SessionHealth): boolean {
    let changed = false;
    for (const resource of ['pools', 'nodes'] as const) {
      const stale = health.problem !== undefined || health.resourceProblems.some((p) => p.resource === resource && p.stale);
      if (stale === this.staleSince.has(resource)) continue;
      changed = true;
      if (stale) this.staleSince.set(resource, this.now());
      else this.staleSince.delete(resource);
    }
    return changed;
  }

  private problemOf(element: TreeElement): Problem | undefined {
    return problemOf(element, this.state);
  }


  // -------------------------------------------------------------------------------------------------------------------
  // Pool membership, kept up to date per node

  poolsOf(node: string, snapshot: ClusterSnapshot): readonly string[] {
    this.ensureMembership(snapshot);
    return this.membership!.get(node) ?? [];
  }

  private ensureMembership(snapshot: ClusterSnapshot): void {
    if (this.membership) return;
    const pools = [...snapshot.pools.values()];
    this.membership = new Map();
    this.members.clear();
    this.selectors = new Map(pools.map((p) => [p.metadata.name, JSON.stringify(p.nodeSelector ?? null)]));
    for (const node of snapshot.nodes.values()) this.membership.set(node.metadata.name, poolsOfNode(node, pools));
  }

  private poolMembers(pool: string, snapshot: ClusterSnapshot): string[] {
    this.ensureMembership(snapshot);
    let list = this.members.get(pool);
    if (!list) {
      list = [];
      for (const [node, pools] of this.membership!) {
        if (!pools.includes(pool)) continue;
        list.push(node);
        this.ranks.set(node, this.rankOf(node, pools, snapshot));
      }
      list.sort((a, b) => this.ranks.get(a)! - this.ranks.get(b)! || a.localeCompare(b));
      this.members.set(pool, list);
    }
    return list;
  }

  /** Nodes being updated come first, then failing ones, then those waiting for their turn, then those done. */
  private rankOf(name: string, pools: readonly string[], snapshot: ClusterSnapshot): number {
    const node = snapshot.nodes.get(name);
    return node ? PHASE_ORDER[nodeView(node, pools, snapshot).phase] : PHASE_ORDER.done;
  }

  private nodeChanged(name: string, snapshot: ClusterSnapshot): void {
    if (!this.membership) {
      // Membership is computed when pools are first expanded; until then only pool items show.
      return;
    }
    const before = this.membership.get(name) ?? [];
    const node = snapshot.nodes.get(name);
    const after = node ? poolsOfNode(node, snapshot.pools.values()) : [];
    if (node) this.membership.set(name, after);
    else this.membership.delete(name);
    if (before.length !== after.length || before.some((p, i) => p !== after[i])) {
      for (const pool of new Set([...before, ...after])) {
        this.members.delete(pool);
        this.fire(this.element('pool', pool));
      }
      return;
    }
    const rank = node && this.ranks.has(name) ? this.rankOf(name, after, snapshot) : undefined;
    if (rank !== undefined && rank !== this.ranks.get(name)) {
      // Its place in the pool's order changed: the pool's list is built again.
      for (const pool of after) {
        this.members.delete(pool);
        this.fire(this.element('pool', pool));
      }
      return;
    }
    for (const pool of after) this.fire(this.element('node', name, pool));
  }

  private poolChanged(change: StoreChange, snapshot: ClusterSnapshot): void {
    const pool = snapshot.pools.get(change.name);
    const selector = JSON.stringify(pool?.nodeSelector ?? null);
    if (change.type !== 'modified' || this.selectors.get(change.name) !== selector) {
      // A pool came or went, or selects other nodes: membership changes everywhere.
      this.membership = undefined;
      this.members.clear();
      this.fireAll();
      return;
    }
    // A new target config turns the pool's done nodes into waiting ones: its list is ordered again.
    this.members.delete(change.name);
    this.fire(this.element('pool', change.name));
    // Its MachineConfigs group says which rendered config it is on.
    this.fire(this.element('machineConfigs', change.name, change.name));
  }

  private machineConfigChanged(name: string, snapshot: ClusterSnapshot): void {
    for (const [poolName, pool] of snapshot.pools) {
      const involved = pool.currentConfig === name || pool.targetConfig === name || pool.targetSources.includes(name) || pool.currentSources.includes(name);
      if (!involved) continue;
      this.fire(this.element('pool', poolName));
      this.fire(this.element('machineConfigs', poolName, poolName));
      this.fire(this.element('machineConfig', name, poolName));
    }
    if (name.startsWith('rendered-') && this.membership) {
      // Nodes on this rendered config show its image.
      for (const node of snapshot.nodes.values()) {
        const annotations = node.metadata.annotations;
        if (annotations['machineconfiguration.openshift.io/currentConfig'] !== name) continue;
        for (const pool of this.membership.get(node.metadata.name) ?? []) this.fire(this.element('node', node.metadata.name, pool));
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Elements and refresh batching

  element(kind: ElementKind, name: string, pool?: string): TreeElement {
    const id = elementId(kind, name, pool);
    let element = this.elements.get(id);
    if (!element) {
      element = pool === undefined ? { id, kind, name } : { id, kind, name, pool };
      this.elements.set(id, element);
    }
    return element;
  }

  private fire(element: TreeElement): void {
    if (this.pendingAll || !this.shown.has(element.id)) return;
    this.pending.add(element);
    this.scheduleFlush();
  }

  private fireAll(): void {
    this.pendingAll = true;
    this.pending.clear();
    // Elements handed out so far stay cached (same objects, same ids) but must be asked for again before they can be
    // refreshed one by one: VS Code asks again for what is expanded once it gets the whole-tree refresh.
    this.shown.clear();
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush());
  }

  /** Sends the batched refreshes now (the scheduler calls this; tests may too). */
  flush(): void {
    this.flushScheduled = false;
    const all = this.pendingAll;
    const elements = [...this.pending];
    const views = this.viewsDirty;
    this.pendingAll = false;
    this.pending.clear();
    this.viewsDirty = false;
    if (views) for (const listener of this.viewListeners) listener();
    if (!all && elements.length === 0) return;
    this.lastFlush = { at: performance.now(), oldestEventAt: this.pendingSince, count: all ? -1 : elements.length };
    this.pendingSince = undefined;
    for (const listener of this.listeners) listener(all ? undefined : elements);
  }
}

const PHASE_ORDER: Readonly<Record<NodePhase, number>> = {
  updating: 0, draining: 0, rebooting: 0, degraded: 1, unreconcilable: 1, waiting: 2, done: 3,
};

export function elementId(kind: ElementKind, name: string, pool?: string): string {
  switch (kind) {
    case 'cluster':
      return `cluster:${name}`;
    case 'pool':
      return `pool:${name}`;
    case 'node':
      return `node:${pool}/${name}`;
    case 'machineConfigs':
      return `mcs:${pool}`;
    case 'machineConfig':
      return `mc:${pool}/${name}`;
    case 'machineOSConfig':
      return `mosc:${name}`;
    case 'machineOSBuild':
      return `mosb:${name}`;
    case 'baseImage':
      return 'base-image';
    case 'problem':
      return pool ? `problem:${pool}/${name}` : `problem:${name}`;
    case 'message':
      return pool ? `message:${pool}/${name}` : `message:${name}`;
  }
}

export type { ResourceId };
