import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterSession } from '../../core/cluster/entry';
import type { SessionHealth } from '../../core/cluster/health';
import {
  kubeconfigFiles, listContexts, loadKubeconfig, singleContextKubeconfig, type KubeconfigContext, type MergedKubeconfig,
} from '../../core/cluster/kubeconfig';
import { isClusterModuleLoaded, loadClusterModule } from '../../core/cluster/lazy';
import { machineConfigView } from '../../core/cluster/model';
import type { StoreChange } from '../../core/cluster/store';
import { ClusterTreeModel, type ExplorerState } from '../../core/cluster/tree';
import { formatProblem, type Problem } from '../../core/problem';
import type { MachineConfigFacts } from '../../core/rules/types';
import { CLUSTER_MIN_NODE_TEXT, nodeRunsClusterBundle } from '../../core/runtime';
import type { LintContext } from '../lintContext';
import { editorProxyEnvironment } from '../proxySettings';
import { SECTION } from '../settings';
import { workspaceTrust } from '../trust';

/**
 * The cluster side of the extension: which kubeconfig and context, the session for that context (from the lazily
 * loaded cluster bundle), and the tree model fed by it. Files named by the kubeconfig search are watched; when the
 * selected context's cluster or credentials change, or another context is picked, the session is disposed and a new
 * one is built, so no request of the old session can carry the new credentials or the other way round.
 */

export const NO_KUBECONFIG_CONTEXT_KEY = 'rhcosLayering.noKubeconfig';
const PICKED_CONTEXT_KEY = 'rhcosLayering.cluster.pickedContext';

interface PickedContext {
  readonly name: string;
  /** The kubeconfig's current-context when the user picked: if it changes later (oc login), follow it again. */
  readonly currentAtPick: string | undefined;
}

/** Where the pool names of the connected cluster go (the MachineConfig generator's pool pickers). */
export interface PoolNamesSink {
  set(pools: readonly string[] | undefined, contextName?: string): void;
}

export interface ExplorerChange {
  readonly session?: boolean;
  readonly health?: SessionHealth;
  readonly changes?: readonly StoreChange[];
}

export class ClusterExplorer implements vscode.Disposable {
  readonly model = new ClusterTreeModel();
  private kubeconfig: MergedKubeconfig | undefined;
  private sessionValue: ClusterSession | undefined;
  private sessionYaml: string | undefined;
  private sessionTimeoutMs: number | undefined;
  private sessionOff: (() => void)[] = [];
  private started: Promise<void> | undefined;
  private reloading: Promise<unknown> = Promise.resolve();
  private watchers: vscode.Disposable[] = [];
  private watchedFiles = '';
  private reloadTimer: NodeJS.Timeout | undefined;
  private lintTimer: NodeJS.Timeout | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<ExplorerChange>();
  /** Fires on a new session, health changes and store changes (status bar, notifications, tests). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly lintContext: LintContext,
    private readonly poolNames?: PoolNamesSink,
  ) {
    this.disposables.push(
      this.changeEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!this.started) return;
        if (event.affectsConfiguration(`${SECTION}.kubeconfig`)) void this.reload('the rhcosLayering.kubeconfig setting changed');
        else if (event.affectsConfiguration(`${SECTION}.cluster.requestTimeoutSeconds`)) void this.reload('the request timeout changed', true);
        else if (event.affectsConfiguration('http.proxy') || event.affectsConfiguration('http.noProxy')) void this.reload('the proxy settings changed', true);
      }),
    );
  }

  get session(): ClusterSession | undefined {
    return this.sessionValue;
  }

  get state(): ExplorerState {
    return this.model.current;
  }

  get contextName(): string | undefined {
    const state = this.model.current;
    return state.kind === 'session' || state.kind === 'loading' ? state.context : state.kind === 'problem' ? state.context : undefined;
  }

  get contexts(): KubeconfigContext[] {
    return this.kubeconfig ? listContexts(this.kubeconfig) : [];
  }

  get kubeconfigCurrentContext(): string | undefined {
    return this.kubeconfig?.currentContext;
  }

  /** Whether the cluster bundle (@kubernetes/client-node) has been loaded in this extension host. */
  get clientLoaded(): boolean {
    return isClusterModuleLoaded();
  }

  /** Reads the kubeconfig and connects; the first call loads the cluster bundle. Later calls return the same promise. */
  start(): Promise<void> {
    this.started ??= this.reload('the Cluster view was opened or a cluster command ran');
    return this.started;
  }

  /** Connects to another context of the kubeconfig (remembered across restarts). */
  async switchContext(name: string): Promise<void> {
    await this.start();
    const picked: PickedContext = { name, currentAtPick: this.kubeconfig?.currentContext };
    await this.extension.globalState.update(PICKED_CONTEXT_KEY, picked);
    await this.reload(`switched to context ${name}`);
  }

  /** Tries now: reconnects every informer of the session, or reads the kubeconfig again when there is no session. */
  async retry(): Promise<void> {
    await this.start();
    if (this.sessionValue && this.model.current.kind === 'session') {
      this.log.info(`Retrying the connection to ${this.sessionValue.server} now.`);
      this.sessionValue.retry();
      return;
    }
    await this.reload('retry');
  }

  /** Lists everything again (the informers keep the view current by themselves; this is for peace of mind). */
  async refresh(): Promise<void> {
    await this.start();
    if (this.sessionValue) this.sessionValue.retry(true);
    else await this.reload('refresh');
  }

  /** Resolves once the session has listed (or failed on) every resource type. */
  async settled(): Promise<SessionHealth | undefined> {
    await this.start();
    return this.sessionValue?.settled();
  }

  private timeoutMs(): number {
    const seconds = vscode.workspace.getConfiguration(SECTION).get<number>('cluster.requestTimeoutSeconds', 20);
    return Math.max(1, Number.isFinite(seconds) ? seconds : 20) * 1000;
  }

  private explicitKubeconfig(): string | undefined {
    const value = vscode.workspace.getConfiguration(SECTION).get<string>('kubeconfig', '');
    return value.trim() === '' ? undefined : value;
  }

  /** Reloads one at a time (a file change and a setting change can come together): never two sessions at once. */
  private reload(reason: string, forceNewSession = false): Promise<void> {
    const next = this.reloading.then(() => this.reloadNow(reason, forceNewSession));
    this.reloading = next.catch((error) => this.log.error(`Reloading the cluster view failed: ${error instanceof Error ? error.stack : String(error)}`));
    return next;
  }

  private async reloadNow(reason: string, forceNewSession: boolean): Promise<void> {
    if (this.disposed) return;
    const explicitFile = this.explicitKubeconfig();
    const files = kubeconfigFiles({ explicitFile });
    this.watchKubeconfigFiles(files);
    const loaded = await loadKubeconfig({ explicitFile });
    if (!loaded.ok) {
      this.kubeconfig = undefined;
      await this.closeSession();
      // None of the files exists: the welcome view says what to do. A file that exists but cannot be used is a problem.
      const noFile = !explicitFile && files.every((file) => !existsSync(file));
      await vscode.commands.executeCommand('setContext', NO_KUBECONFIG_CONTEXT_KEY, noFile);
      this.log.warn(formatProblem(loaded.problem));
      this.model.setState(noFile ? { kind: 'noKubeconfig', problem: loaded.problem } : { kind: 'problem', problem: loaded.problem, warnings: [] });
      this.changeEmitter.fire({ session: true });
      return;
    }
    await vscode.commands.executeCommand('setContext', NO_KUBECONFIG_CONTEXT_KEY, false);
    this.kubeconfig = loaded.value;
    for (const warning of loaded.value.warnings) this.log.warn(`Kubeconfig: ${warning}`);

    const context = this.chooseContext(loaded.value);
    if (!context) {
      await this.closeSession();
      const names = [...loaded.value.contexts.keys()];
      this.setProblem({
        what: 'No Kubernetes context selected',
        why: `the kubeconfig (${loaded.value.files.join(', ')}) has ${names.length === 0 ? 'no contexts' : 'no current-context'}`,
        next: names.length === 0 ? 'Log in with `oc login <api-url>` to add one.' : 'Pick one with "Switch Kubernetes Context".',
      }, undefined, undefined, loaded.value.warnings);
      return;
    }
    const single = singleContextKubeconfig(loaded.value, context);
    if (!single.ok) {
      await this.closeSession();
      this.setProblem(single.problem, context, undefined, loaded.value.warnings);
      return;
    }
    const timeoutMs = this.timeoutMs();
    if (!forceNewSession && this.sessionValue && this.sessionYaml === single.value && this.sessionTimeoutMs === timeoutMs && !this.sessionValue.isDisposed) {
      // Same context, same cluster and credentials: keep the session (and its watches).
      this.publishSessionState();
      return;
    }
    await this.openSession(context, single.value, timeoutMs, loaded.value.warnings, reason);
  }

  private chooseContext(config: MergedKubeconfig): string | undefined {
    const picked = this.extension.globalState.get<PickedContext>(PICKED_CONTEXT_KEY);
    if (picked && config.contexts.has(picked.name) && picked.currentAtPick === config.currentContext) return picked.name;
    // A current-context naming a missing context is reported by singleContextKubeconfig, with the file names.
    if (config.currentContext) return config.currentContext;
    if (picked && config.contexts.has(picked.name)) return picked.name;
    return config.contexts.size === 1 ? [...config.contexts.keys()][0] : undefined;
  }

  private async openSession(context: string, yaml: string, timeoutMs: number, warnings: readonly string[], reason: string): Promise<void> {
    await this.closeSession();
    const nodeProblem = this.nodeVersionProblem();
    if (nodeProblem) {
      this.setProblem(nodeProblem, context, undefined, warnings);
      return;
    }
    const server = this.kubeconfig ? listContexts(this.kubeconfig).find((c) => c.name === context)?.server : undefined;
    this.model.setState({ kind: 'loading', context, ...(server ? { server } : {}) });
    let cluster;
    try {
      const started = Date.now();
      const firstLoad = !isClusterModuleLoaded();
      cluster = loadClusterModule();
      if (firstLoad) this.log.info(`Loaded the Kubernetes client (dist/cluster.js) in ${Date.now() - started} ms.`);
    } catch (error) {
      this.setProblem({ what: 'The Kubernetes client could not be loaded', why: error instanceof Error ? error.message : String(error), next: 'Reinstall the extension; see the RHCOS Layering output for details.' }, context, server, warnings);
      this.log.error(`Loading dist/cluster.js failed: ${error instanceof Error ? error.stack : String(error)}`);
      return;
    }
    const opened = cluster.openSession(yaml, {
      timeoutMs,
      env: editorProxyEnvironment(),
      trust: workspaceTrust,
      log: (level, message) => (level === 'warn' ? this.log.warn(message) : this.log.info(message)),
    });
    if (!opened.ok) {
      this.setProblem(opened.problem, context, server, warnings);
      return;
    }
    const session = opened.value;
    if (this.disposed) {
      await session.dispose();
      return;
    }
    this.sessionValue = session;
    this.sessionYaml = yaml;
    this.sessionTimeoutMs = timeoutMs;
    this.log.info(`Cluster view: context ${context} (${session.server}), because ${reason}.`);
    this.sessionOff = [
      session.onChange((changes) => {
        this.model.itemsChanged(changes);
        this.changeEmitter.fire({ changes });
        if (changes.some((c) => c.resource === 'pools' && c.type !== 'modified')) this.publishPoolNames();
        if (changes.some((c) => c.resource === 'machineConfigs' || c.resource === 'osImageUrls' || c.resource === 'clusterVersion')) this.schedulePublishLintContext();
      }),
      session.onHealth((health) => {
        this.model.healthChanged(health);
        this.publishPoolNames();
        this.changeEmitter.fire({ health });
        if (health.problem) this.log.warn(`Cluster ${session.server}: ${formatProblem(health.problem)}`);
      }),
    ];
    this.model.setState({
      kind: 'session',
      context,
      server: session.server,
      snapshot: session.store,
      health: session.health,
      warnings,
      timeoutSeconds: Math.round(timeoutMs / 1000),
    });
    session.start();
    this.changeEmitter.fire({ session: true });
  }

  private publishSessionState(): void {
    const session = this.sessionValue;
    const state = this.model.current;
    if (!session || state.kind !== 'session') return;
    this.model.setState({ ...state, warnings: this.kubeconfig?.warnings ?? [] });
  }

  private setProblem(problem: Problem, context: string | undefined, server: string | undefined, warnings: readonly string[]): void {
    this.log.warn(formatProblem(problem));
    this.model.setState({ kind: 'problem', problem, ...(context ? { context } : {}), ...(server ? { server } : {}), warnings });
    this.changeEmitter.fire({ session: true });
  }

  private nodeVersionProblem(): Problem | undefined {
    if (nodeRunsClusterBundle(process.versions.node)) return undefined;
    return {
      what: 'The cluster view cannot run in this editor',
      why: `its Kubernetes client needs Node.js ${CLUSTER_MIN_NODE_TEXT} or newer in the extension host, which runs Node.js ${process.versions.node}`,
      next: 'Update VS Code (1.108 or newer).',
    };
  }

  private async closeSession(): Promise<void> {
    const session = this.sessionValue;
    this.sessionValue = undefined;
    this.sessionYaml = undefined;
    for (const off of this.sessionOff) off();
    this.sessionOff = [];
    this.lintContext.setCluster(undefined);
    this.lintContext.setMachineConfigs('cluster', []);
    this.poolNames?.set(undefined);
    if (session) {
      this.log.info(`Closing the session for context ${session.context} (${session.server}).`);
      await session.dispose();
    }
  }

  /** The pool names, once the pools have been listed (unset while they cannot be read). */
  private publishPoolNames(): void {
    const session = this.sessionValue;
    if (!session) return;
    const status = session.statuses.pools;
    this.poolNames?.set(status.synced ? [...session.store.pools.keys()] : undefined, session.context);
  }

  private schedulePublishLintContext(): void {
    clearTimeout(this.lintTimer);
    this.lintTimer = setTimeout(() => this.publishLintContext(), 300);
  }

  /** Tells the Containerfile rules about the connected cluster: version, base image and its MachineConfigs. */
  private publishLintContext(): void {
    const session = this.sessionValue;
    if (!session) return;
    const store = session.store;
    const version = store.clusterVersion?.version;
    const baseOSContainerImage = store.osImageUrls?.baseOSContainerImage;
    this.lintContext.setCluster({ context: session.context, ...(version ? { version } : {}), ...(baseOSContainerImage ? { baseOSContainerImage } : {}) });
    const facts: MachineConfigFacts[] = [];
    for (const mc of store.machineConfigs.values()) {
      const view = machineConfigView(mc);
      if (view.generated) continue;
      facts.push({ name: view.name, pool: view.pool, extensions: view.extensions, kernelType: view.kernelType, osImageURL: view.osImageURL, source: 'cluster' });
    }
    this.lintContext.setMachineConfigs('cluster', facts);
  }

  private watchKubeconfigFiles(files: readonly string[]): void {
    const key = files.join('\n');
    if (key === this.watchedFiles) return;
    this.watchedFiles = key;
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    for (const file of files) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const changed = (): void => this.scheduleReload(`${file} changed`);
      this.watchers.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
    }
  }

  private scheduleReload(reason: string): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(reason), 300);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.reloadTimer);
    clearTimeout(this.lintTimer);
    for (const watcher of this.watchers) watcher.dispose();
    void this.closeSession();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
