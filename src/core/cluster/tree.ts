import type { Problem } from '../problem';
import type { SessionHealth } from './health';
import type { ResourceId } from './informer';
import {
  buildsOf, machineConfigView, machineOSBuildState, machineOSConfigOf, nodeView, poolsOfNode, poolView,
  type BuildState, type ClusterSnapshot, type NodeView, type PoolView,
} from './model';
import type { StoreChange } from './store';

/**
 * The cluster tree without VS Code: which elements exist, what each shows, and which ones changed. The VS Code
 * TreeDataProvider (src/vscode/cluster/treeProvider.ts) only turns ItemData into TreeItems, so the tree can be tested
 * and benchmarked in plain Node.
 *
 * Elements are cached by id, so the same object comes back for the same item: VS Code refreshes an item only when it
 * is fired with the element object it was given. Ids are stable (`pool:worker`, `node:worker/ip-10-0-1-2`) so
 * selection, expansion and pending context-menu commands survive refreshes. A node in two pools shows under both, with
 * two ids.
 */

export type ElementKind = 'cluster' | 'baseImage' | 'problem' | 'message' | 'pool' | 'node' | 'machineConfigs' | 'machineConfig' | 'machineOSConfig' | 'machineOSBuild';

export interface TreeElement {
  readonly id: string;
  readonly kind: ElementKind;
  /** Object name (pool, node, MachineConfig …), or a key for problems and messages. */
  readonly name: string;
  /** The pool an item sits under. */
  readonly pool?: string;
}

export interface IconData {
  /** A codicon id, e.g. `sync~spin`. */
  readonly id: string;
  /** A theme color id, e.g. `testing.iconPassed`. */
  readonly color?: string;
}

export interface ItemData {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly icon?: IconData;
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: { readonly command: string; readonly title: string; readonly arguments?: readonly unknown[] };
}

/** What the explorer knows, as the tree reads it. */
export type ExplorerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'noKubeconfig'; readonly problem: Problem }
  | { readonly kind: 'problem'; readonly problem: Problem; readonly context?: string; readonly server?: string; readonly warnings: readonly string[] }
  | { readonly kind: 'loading'; readonly context: string; readonly server?: string }
  | {
    readonly kind: 'session';
    readonly context: string;
    readonly server: string;
    readonly snapshot: ClusterSnapshot;
    readonly health: SessionHealth;
    readonly warnings: readonly string[];
    readonly timeoutSeconds: number;
  };

export const RETRY_COMMAND = 'rhcosLayering.cluster.retry';
export const SWITCH_CONTEXT_COMMAND = 'rhcosLayering.cluster.switchContext';

const PROBLEM_MARK = { id: 'error', color: 'list.errorForeground' } as const;

export class ClusterTreeModel {
  private state: ExplorerState = { kind: 'idle' };
  private readonly elements = new Map<string, TreeElement>();
  /** Elements handed out by children(): only these can be refreshed. */
  private readonly shown = new Set<string>();
  private membership: Map<string, readonly string[]> | undefined;
  private readonly members = new Map<string, string[]>();
  private selectors = new Map<string, string>();
  private pending = new Set<TreeElement>();
  private pendingAll = false;
  private flushScheduled = false;
  private readonly listeners = new Set<(elements: readonly TreeElement[] | undefined) => void>();
  /** For the benchmark: when the oldest watch event behind the next refresh arrived. */
  private pendingSince: number | undefined;
  lastFlush: { readonly at: number; readonly oldestEventAt: number | undefined; readonly count: number } | undefined;

  constructor(private readonly schedule: (flush: () => void) => void = (flush) => setImmediate(flush)) {}

  /** Listeners get the elements to refresh, or undefined for the whole tree. */
  onDidChange(listener: (elements: readonly TreeElement[] | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
      this.selectors.clear();
    }
    this.fireAll();
  }

  /** The session's health changed: the root and its problem items refresh. */
  healthChanged(health: SessionHealth): void {
    if (this.state.kind !== 'session') return;
    const before = this.state.health;
    this.state = { ...this.state, health };
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
    for (const change of changes) {
      if (change.receivedAt !== undefined && (this.pendingSince === undefined || change.receivedAt < this.pendingSince)) this.pendingSince = change.receivedAt;
      switch (change.resource) {
        case 'nodes':
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
      if (health.state === 'notOpenShift' || state.snapshot.pools.size === 0) return out;
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
    const state = this.state;
    switch (element.kind) {
      case 'cluster':
        return this.clusterItem(element);
      case 'baseImage': {
        const image = state.kind === 'session' ? state.snapshot.osImageUrls?.baseOSContainerImage ?? '' : '';
        return {
          id: element.id,
          label: 'Base image',
          description: shortImage(image),
          tooltip: `**Cluster base image** (\`baseOSContainerImage\` in the \`machine-config-osimageurl\` ConfigMap)\n\n\`${image}\`\n\nUse it in \`FROM\` for images layered on this cluster's RHCOS.`,
          icon: { id: 'package' },
          contextValue: 'baseImage',
          collapsible: 'none',
        };
      }
      case 'problem':
        return this.problemItem(element);
      case 'message':
        return this.messageItem(element);
      case 'pool':
        return this.poolItem(element);
      case 'node':
        return this.nodeItem(element);
      case 'machineConfigs':
        return this.machineConfigsItem(element);
      case 'machineConfig':
        return this.machineConfigItem(element);
      case 'machineOSConfig':
        return this.machineOSConfigItem(element);
      case 'machineOSBuild':
        return this.machineOSBuildItem(element);
    }
  }

  private clusterItem(element: TreeElement): ItemData {
    const state = this.state;
    if (state.kind !== 'session') return { id: element.id, label: element.name, contextValue: 'cluster', collapsible: 'expanded' };
    const version = state.snapshot.clusterVersion?.version;
    const health = state.health;
    const icon: IconData = health.problem ? PROBLEM_MARK
      : health.state === 'connecting' ? { id: 'loading~spin' }
      : health.resourceProblems.length > 0 ? { id: 'warning', color: 'list.warningForeground' }
      : { id: 'server-environment' };
    const tooltip = [
      `**Context** ${md(state.context)}`,
      `**Server** ${md(state.server)}`,
      `**OpenShift** ${version ?? 'unknown'}${state.snapshot.clusterVersion?.progressing ? ' (cluster update in progress)' : ''}`,
      `**Base image** \`${state.snapshot.osImageUrls?.baseOSContainerImage ?? 'unknown'}\``,
      health.problem ? `\n$(error) ${md(health.problem.what)}` : '',
    ].filter(Boolean).join('\n\n');
    return {
      id: element.id,
      label: state.context,
      description: [hostOf(state.server), version ? `OpenShift ${version}` : undefined].filter(Boolean).join(' · '),
      tooltip,
      icon,
      contextValue: 'cluster',
      collapsible: 'expanded',
    };
  }

  private problemOf(element: TreeElement): Problem | undefined {
    const state = this.state;
    if (state.kind === 'problem' || state.kind === 'noKubeconfig') return state.problem;
    if (state.kind !== 'session') return undefined;
    if (element.name === 'cluster') return state.health.problem;
    if (element.name.startsWith('kubeconfig-warning-')) {
      const warning = state.warnings[Number(element.name.slice('kubeconfig-warning-'.length))];
      return warning ? { what: 'A kubeconfig file was skipped', why: warning, next: 'Fix or remove the file; the other files are used.' } : undefined;
    }
    return state.health.resourceProblems.find((p) => p.resource === element.name)?.problem;
  }

  private problemItem(element: TreeElement): ItemData {
    const problem = this.problemOf(element) ?? { what: 'Unknown problem', why: '', next: '' };
    const state = this.state;
    const resourceProblem = state.kind === 'session' ? state.health.resourceProblems.find((p) => p.resource === element.name) : undefined;
    const retryAt = element.name === 'cluster' && state.kind === 'session' ? state.health.retryAt : resourceProblem?.retryAt;
    const retryable = !element.name.startsWith('kubeconfig-warning-');
    const when = retryAt !== undefined ? nextTry(retryAt) : undefined;
    const warningOnly = element.name.startsWith('kubeconfig-warning-') || (resourceProblem !== undefined && resourceProblem.state !== 'unreachable');
    return {
      id: element.id,
      label: problem.what,
      description: [resourceProblem?.stale ? 'showing the last known state' : undefined, when].filter(Boolean).join(' · ') || undefined,
      tooltip: `**${md(problem.what)}**\n\n${md(problem.why)}\n\n${md(problem.next)}`,
      icon: warningOnly ? { id: 'warning', color: 'list.warningForeground' } : PROBLEM_MARK,
      contextValue: retryable ? 'problem retry' : 'problem',
      collapsible: 'expanded',
    };
  }

  private messageItem(element: TreeElement): ItemData {
    const state = this.state;
    const base = { id: element.id, contextValue: 'message', collapsible: 'none' as const };
    if (element.name === 'loading') return { ...base, label: `Loading the Kubernetes client for ${state.kind === 'loading' ? state.context : ''}…`, icon: { id: 'loading~spin' } };
    if (element.name === 'connecting' && state.kind === 'session') {
      return { ...base, label: `Connecting to ${hostOf(state.server)}…`, description: `gives up after ${state.timeoutSeconds} s`, icon: { id: 'loading~spin' } };
    }
    if (element.name === 'no-pools') return { ...base, label: 'No MachineConfigPools on this cluster', icon: { id: 'info' } };
    if (element.name === 'no-nodes' && state.kind === 'session') {
      const pool = state.snapshot.pools.get(element.pool ?? '');
      return {
        ...base,
        label: 'No node matches this pool\'s nodeSelector',
        description: selectorText(pool?.nodeSelector),
        tooltip: `The pool selects nodes with \`${selectorText(pool?.nodeSelector)}\`; no node has those labels. Label a node (\`oc label node <name> node-role.kubernetes.io/${element.pool}=\`) to add it.`,
        icon: { id: 'info' },
      };
    }
    const match = /^(why|next):(.*)$/.exec(element.name);
    if (match) {
      const target = this.elements.get(match[2]!);
      const problem = target ? this.problemOf(target) : undefined;
      const text = match[1] === 'why' ? problem?.why : problem?.next;
      return { ...base, label: text ?? '', tooltip: md(text ?? ''), icon: { id: match[1] === 'why' ? 'info' : 'lightbulb' } };
    }
    return { ...base, label: element.name };
  }

  private poolItem(element: TreeElement): ItemData {
    const state = this.state;
    const pool = state.kind === 'session' ? state.snapshot.pools.get(element.name) : undefined;
    if (state.kind !== 'session' || !pool) return { id: element.id, label: element.name, contextValue: 'pool', collapsible: 'collapsed' };
    const view = poolView(pool, state.snapshot);
    const imageKnown = view.osImageURL !== undefined;
    const base = state.snapshot.osImageUrls?.baseOSContainerImage;
    const kind = (custom: boolean): string => (custom ? 'custom image' : 'base image');
    const moving = view.targetOsImageURL !== undefined && view.targetOsImageURL !== view.osImageURL && view.targetConfig !== view.renderedConfig;
    const image = !imageKnown ? undefined
      : moving ? `${kind(view.customImage)} → ${kind(base !== undefined && view.targetOsImageURL !== base)}`
      : kind(view.customImage);
    const layering = machineOSConfigOf(view.name, state.snapshot) ? 'on-cluster layering' : undefined;
    return {
      id: element.id,
      label: view.name,
      description: [view.summary, image, layering].filter(Boolean).join(' · '),
      tooltip: poolTooltip(view),
      icon: poolIcon(view),
      contextValue: `pool ${view.paused ? 'paused' : 'running'} ${view.customImage ? 'custom' : 'base'}`,
      collapsible: 'collapsed',
    };
  }

  private nodeItem(element: TreeElement): ItemData {
    const state = this.state;
    const node = state.kind === 'session' ? state.snapshot.nodes.get(element.name) : undefined;
    if (state.kind !== 'session' || !node) return { id: element.id, label: element.name, contextValue: 'node', collapsible: 'none' };
    const view = nodeView(node, this.poolsOf(element.name, state.snapshot), state.snapshot);
    return {
      id: element.id,
      label: view.name,
      description: nodeDescription(view),
      tooltip: nodeTooltip(view),
      icon: nodeIcon(view),
      contextValue: 'node',
      collapsible: 'none',
    };
  }

  private machineConfigsItem(element: TreeElement): ItemData {
    const state = this.state;
    const pool = state.kind === 'session' ? state.snapshot.pools.get(element.pool ?? '') : undefined;
    const names = pool ? (pool.targetSources.length > 0 ? pool.targetSources : pool.currentSources) : [];
    const rendered = pool?.targetConfig ?? pool?.currentConfig;
    const moving = pool && pool.targetConfig && pool.currentConfig && pool.targetConfig !== pool.currentConfig;
    return {
      id: element.id,
      label: 'MachineConfigs',
      description: `${names.length} in ${rendered ?? 'no rendered config yet'}${moving ? ` (moving from ${pool.currentConfig})` : ''}`,
      tooltip: `The MachineConfigs the pool's ${moving ? 'target ' : ''}rendered config \`${rendered ?? '?'}\` is made of. Marked ones set \`osImageURL\`, \`kernelType\` or \`extensions\`.`,
      icon: { id: 'files' },
      contextValue: 'machineConfigs',
      collapsible: 'collapsed',
    };
  }

  private machineConfigItem(element: TreeElement): ItemData {
    const state = this.state;
    const mc = state.kind === 'session' ? state.snapshot.machineConfigs.get(element.name) : undefined;
    if (!mc) return { id: element.id, label: element.name, description: 'not found', contextValue: 'machineConfig', collapsible: 'none', icon: { id: 'file' } };
    const view = machineConfigView(mc);
    const rendered = view.generated && element.name.startsWith('rendered-');
    const marks = [
      view.setsOsImageURL ? `osImageURL ${shortImage(view.osImageURL ?? '')}` : undefined,
      view.setsKernelType ? `kernelType ${view.kernelType}` : undefined,
      view.setsExtensions ? `extensions ${view.extensions.join(', ')}` : undefined,
    ].filter((m): m is string => m !== undefined);
    const layering = view.setsOsImageURL || view.setsKernelType || view.setsExtensions;
    return {
      id: element.id,
      label: view.name,
      description: [rendered ? 'rendered' : view.generated ? 'generated' : view.pool ? `role ${view.pool}` : undefined, ...(rendered ? [] : marks)].filter(Boolean).join(' · '),
      tooltip: [
        `**${md(view.name)}**${rendered ? ' (rendered by the MCO)' : view.generated ? ' (generated by the MCO)' : ''}`,
        view.osImageURL ? `**osImageURL** \`${view.osImageURL}\`` : undefined,
        view.kernelType ? `**kernelType** ${view.kernelType}` : undefined,
        view.extensions.length ? `**extensions** ${view.extensions.join(', ')}` : undefined,
        mc.kernelArguments.length ? `**kernelArguments** ${mc.kernelArguments.map((a) => `\`${a}\``).join(' ')}` : undefined,
      ].filter(Boolean).join('\n\n'),
      icon: rendered ? { id: 'layers' } : layering && !view.generated ? { id: 'star-full', color: 'charts.yellow' } : { id: 'file-code' },
      contextValue: `machineConfig${view.generated ? ' generated' : ' user'}${view.setsOsImageURL ? ' image' : ''}`,
      collapsible: 'none',
    };
  }

  private machineOSConfigItem(element: TreeElement): ItemData {
    const state = this.state;
    const config = state.kind === 'session' ? state.snapshot.machineOSConfigs.get(element.name) : undefined;
    if (state.kind !== 'session' || !config) return { id: element.id, label: element.name, contextValue: 'machineOSConfig', collapsible: 'collapsed' };
    const latest = buildsOf(config.metadata.name, state.snapshot)[0];
    const latestState = latest ? machineOSBuildState(latest) : undefined;
    return {
      id: element.id,
      label: `MachineOSConfig ${config.metadata.name}`,
      description: [latestState ? `latest build ${latestState}` : 'no build yet', config.currentImagePullSpec ? shortImage(config.currentImagePullSpec) : undefined].filter(Boolean).join(' · '),
      tooltip: [
        `**On-cluster layering** for pool ${md(config.pool ?? config.metadata.name)}`,
        `**Pushes to** \`${config.renderedImagePushSpec ?? '?'}\``,
        `**Current image** \`${config.currentImagePullSpec ?? 'none yet'}\``,
        ...config.conditions.filter((c) => c.status === 'True').map((c) => `**${c.type}** ${md(c.message || c.reason)}`),
      ].join('\n\n'),
      icon: buildIcon(latestState),
      contextValue: 'machineOSConfig',
      collapsible: 'collapsed',
    };
  }

  private machineOSBuildItem(element: TreeElement): ItemData {
    const state = this.state;
    const build = state.kind === 'session' ? state.snapshot.machineOSBuilds.get(element.name) : undefined;
    if (!build) return { id: element.id, label: element.name, contextValue: 'machineOSBuild', collapsible: 'none' };
    const buildState = machineOSBuildState(build);
    const failed = build.conditions.find((c) => (c.type === 'Failed' || c.type === 'Interrupted') && c.status === 'True');
    return {
      id: element.id,
      label: build.metadata.name,
      description: [buildState, build.renderedMachineConfig, failed?.message].filter(Boolean).join(' · '),
      tooltip: [
        `**MachineOSBuild** ${md(build.metadata.name)}: **${buildState}**`,
        `**For** ${md(build.renderedMachineConfig ?? '?')}`,
        build.digestedImagePushSpec ? `**Image** \`${build.digestedImagePushSpec}\`` : undefined,
        ...build.conditions.filter((c) => c.status === 'True' && c.message).map((c) => `**${c.type}** ${md(c.message)}`),
      ].filter(Boolean).join('\n\n'),
      icon: buildIcon(buildState),
      contextValue: 'machineOSBuild',
      collapsible: 'none',
    };
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
      for (const [node, pools] of this.membership!) if (pools.includes(pool)) list.push(node);
      list.sort();
      this.members.set(pool, list);
    }
    return list;
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
    this.pendingAll = false;
    this.pending.clear();
    if (!all && elements.length === 0) return;
    this.lastFlush = { at: performance.now(), oldestEventAt: this.pendingSince, count: all ? -1 : elements.length };
    this.pendingSince = undefined;
    for (const listener of this.listeners) listener(all ? undefined : elements);
  }
}

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

// ---------------------------------------------------------------------------------------------------------------------
// Presentation helpers (shared with the status bar)

export function poolIcon(view: PoolView): IconData {
  switch (view.state) {
    case 'degraded':
      return { id: 'error', color: 'list.errorForeground' };
    case 'updating':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'updated':
      return { id: 'pass', color: 'testing.iconPassed' };
    default:
      return { id: 'question' };
  }
}

export function nodeIcon(view: NodeView): IconData {
  if (view.pools.length > 1) return { id: 'warning', color: 'list.warningForeground' };
  switch (view.state) {
    case 'Degraded':
    case 'Unreconcilable':
      return { id: 'error', color: 'list.errorForeground' };
    case 'Rebooting':
      return { id: 'debug-restart', color: 'charts.yellow' };
    case 'Working':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'Done':
      if (!view.ready) return { id: 'warning', color: 'list.warningForeground' };
      if (!view.schedulable) return { id: 'circle-slash', color: 'charts.yellow' };
      if (view.updating) return { id: 'clock', color: 'charts.blue' };
      return { id: 'pass', color: 'testing.iconPassed' };
    default:
      return { id: 'circle-outline' };
  }
}

export function nodeDescription(view: NodeView): string {
  const parts: string[] = [view.state, view.ready ? 'Ready' : 'NotReady'];
  if (!view.schedulable) parts.push('SchedulingDisabled');
  if (view.draining) parts.push('draining');
  if (view.osImageURL) parts.push(view.customImage ? `custom ${shortImage(view.osImageURL)}` : 'base image');
  if (view.desiredConfig && view.currentConfig !== view.desiredConfig) parts.push(`→ ${view.desiredConfig}`);
  if (view.pools.length > 1) parts.push(`in ${view.pools.length} pools`);
  if (view.reason) parts.push(view.reason.length > 80 ? `${view.reason.slice(0, 79)}…` : view.reason);
  return parts.join(' · ');
}

function nodeTooltip(view: NodeView): string {
  return [
    `**${md(view.name)}**`,
    `**MCO state** ${view.state}${view.state === 'Rebooting' ? ' (post-config-action)' : ''}`,
    `**Kubelet** ${view.ready ? 'Ready' : 'NotReady'}`,
    `**Scheduling** ${view.schedulable ? 'enabled' : 'disabled (cordoned)'}${view.draining ? ', drain in progress' : ''}`,
    `**Current config** ${md(view.currentConfig || '?')}`,
    `**Desired config** ${md(view.desiredConfig || '?')}`,
    `**Image** ${view.osImageURL ? `\`${view.osImageURL}\`${view.customImage ? ' (custom)' : ' (base)'}` : 'unknown'}`,
    `**Pools** ${view.pools.join(', ') || 'none'}${view.pools.length > 1 ? ' (a node in two custom pools is an error: the MCO manages it in neither)' : ''}`,
    view.reason ? `**Reason** ${md(view.reason)}` : undefined,
  ].filter(Boolean).join('\n\n');
}

function poolTooltip(view: PoolView): string {
  const conditions = view.conditions
    .filter((c) => c.status === 'True' || c.message)
    .map((c) => `- **${c.type}** ${c.status}${c.reason ? ` (${md(c.reason)})` : ''}${c.message ? `: ${md(c.message)}` : ''}`);
  return [
    `**${md(view.name)}**: ${view.summary}`,
    `Machines ${view.machineCount} · ready ${view.readyMachineCount} · updated ${view.updatedMachineCount} · degraded ${view.degradedMachineCount}${view.paused ? ' · **paused**' : ''}`,
    `**Rendered config** ${md(view.renderedConfig ?? '?')}${view.targetConfig && view.targetConfig !== view.renderedConfig ? ` → ${md(view.targetConfig)}` : ''}`,
    `**Image** ${view.osImageURL ? `\`${view.osImageURL}\` (${view.customImage ? 'custom layered image' : 'cluster base image'})` : 'unknown'}`,
    view.targetOsImageURL && view.targetOsImageURL !== view.osImageURL ? `**Moving to** \`${view.targetOsImageURL}\`` : undefined,
    conditions.length ? `**Conditions**\n${conditions.join('\n')}` : undefined,
  ].filter(Boolean).join('\n\n');
}

function buildIcon(state: BuildState | undefined): IconData {
  switch (state) {
    case 'Succeeded':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'Failed':
    case 'Interrupted':
      return { id: 'error', color: 'list.errorForeground' };
    case 'Building':
    case 'Prepared':
    case 'Pending':
      return { id: 'sync~spin', color: 'charts.blue' };
    default:
      return { id: 'circle-outline' };
  }
}

/** `registry/repo@sha256:1234567890ab` (12 hex digits) or `repo:tag`, for descriptions. */
export function shortImage(image: string): string {
  const at = image.indexOf('@sha256:');
  if (at >= 0) {
    const repo = image.slice(0, at).split('/').slice(-1)[0];
    return `${repo}@sha256:${image.slice(at + 8, at + 20)}`;
  }
  return image.split('/').slice(-1)[0] ?? image;
}

export function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

function selectorText(selector: { matchLabels?: Readonly<Record<string, string>>; matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[] } | undefined): string {
  if (!selector) return '(none)';
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join(',')}`.trim());
  return [...labels, ...expressions].join(', ') || '(everything)';
}

function nextTry(at: number): string {
  const time = new Date(at);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `retrying by itself, next at ${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

/** Escapes Markdown in text from the cluster. */
function md(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!<>|$])/g, '\\$1');
}

export type { ResourceId };
