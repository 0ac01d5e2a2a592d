// The OpenShift API simulator: start it in-process with startSimulator(), or from the command line
// with `npm run simulator` (cli.ts). See README.md in this folder.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ClusterApi } from './api';
import { makeCerts, writeKubeconfig } from './certs';
import { type FaultKind, Mco, ANN } from './mco';
import { RESOURCES, type ResourceDef } from './resources';
import { MC, type PoolOptions, buildSeed } from './seed';
import { ApiServer, type DenyRule, type LatencyRule, type RequestMatch, type TokenUser } from './server';
import { Store } from './store';
import { type KObj, sha256 } from './util';
import { Validator } from './validate';
import { type VersionInfo, versionInfo } from './versions';

export { ANN } from './mco';
export type { FaultKind } from './mco';
export type { RequestMatch } from './server';
export type { PoolOptions } from './seed';

export interface SimulatorOptions {
  /** Total nodes (default 30). */
  nodes?: number;
  /** Pools besides master (default ['worker']); a name or { name, nodes, maxUnavailable, paused }. `worker` is always there. */
  pools?: Array<string | PoolOptions>;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Milliseconds per controller step (default 200: one node takes about 2.6 s, 24 workers about a minute). */
  stepMs?: number;
  drainSteps?: number;
  rebootSteps?: number;
  buildSteps?: number;
  /** OpenShift version, e.g. "4.18" or "4.16.38" (default 4.18). */
  version?: string;
  /** Seed for names and uids (default "simulator"). */
  seed?: string | number;
  /** Where to write the kubeconfig (default: a new temp folder). */
  kubeconfigPath?: string;
  /** The project's shared/ folder; default: $RHCOS_SHARED_DIR (`none` = never), ../shared or ../../shared from the project root. `false` = never use it. */
  sharedDir?: string | false;
  /** Watch history kept for resuming (default 10000 events). */
  historySize?: number;
  /** Bookmark interval for watches that ask for them (default 5000 ms). */
  bookmarkMs?: number;
  /** How long a continue token stays valid (default 5 minutes). */
  continueTtlMs?: number;
  /** Serve the OpenShift API groups (default true); false plays a plain Kubernetes cluster. */
  openshift?: boolean;
  /** Start the MCO loop (default true). */
  controllers?: boolean;
  log?: (line: string) => void;
}

export interface ContextInfo {
  context: string;
  user: string;
  token: string;
  description: string;
}

const PROJECT_ROOT = resolve(__dirname, '..', '..');

export function findSharedDir(explicit?: string | false): string | undefined {
  if (explicit === false || (explicit === undefined && process.env.RHCOS_SHARED_DIR === 'none')) return undefined;
  const candidates = [explicit, process.env.RHCOS_SHARED_DIR, join(PROJECT_ROOT, '..', 'shared'), join(PROJECT_ROOT, '..', '..', 'shared')].filter((x): x is string => !!x);
  return candidates.find((c) => existsSync(join(c, 'reference')));
}

function token(): string {
  return `sha256~${randomBytes(32).toString('base64url')}`;
}

function parsePools(pools: Array<string | PoolOptions> | undefined): PoolOptions[] {
  const list = (pools ?? ['worker']).map((p) => (typeof p === 'string' ? { name: p } : p));
  if (!list.some((p) => p.name === 'worker')) list.unshift({ name: 'worker' });
  return list.filter((p) => p.name !== 'master').concat(list.filter((p) => p.name === 'master'));
}

export class Simulator {
  readonly store: Store;
  readonly api: ClusterApi;
  readonly mco: Mco;
  readonly server: ApiServer;
  readonly version: VersionInfo;
  readonly contexts: Record<string, ContextInfo> = {};
  readonly notes: string[] = [];
  kubeconfigPath = '';
  caPem = '';
  readonly sharedDir: string | undefined;
  private readonly log: (line: string) => void;
  private unreachableTimer: NodeJS.Timeout | undefined;
  private readonly certDir: string;

  constructor(private readonly options: SimulatorOptions = {}) {
    const certs = makeCerts();
    this.certDir = certs.dir;
    this.caPem = certs.caPem;
    this.log = options.log ?? (() => {});
    this.version = versionInfo(options.version ?? '4.18');
    this.sharedDir = findSharedDir(options.sharedDir);
    this.store = new Store(40000, options.historySize ?? 10000);
    const validator = new Validator(RESOURCES, this.sharedDir ? join(this.sharedDir, 'reference', 'crds') : undefined);
    if (!this.sharedDir) this.notes.push('../shared not found: MachineConfig validation uses the built-in schema, seed objects are built-in');
    this.notes.push(...validator.notes);
    this.api = new ClusterApi(this.store, validator);
    this.mco = new Mco(this.api, {
      version: this.version,
      stepMs: options.stepMs ?? 200,
      drainSteps: options.drainSteps ?? 1,
      rebootSteps: options.rebootSteps ?? 1,
      buildSteps: options.buildSteps ?? 10,
      controllerVersion: sha256(`mco:${this.version.release}`).slice(0, 40),
      log: this.log,
    });
    this.server = new ApiServer(this.api, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      certPem: certs.certPem,
      keyPem: certs.keyPem,
      version: this.version,
      bookmarkMs: options.bookmarkMs ?? 5000,
      continueTtlMs: options.continueTtlMs ?? 5 * 60 * 1000,
      log: this.log,
      control: (op, args, method) => this.control(op, args, method),
    });
    this.server.faults.openshift = options.openshift ?? true;
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  async start(): Promise<this> {
    const t0 = Date.now();
    const seed = buildSeed({
      nodes: this.options.nodes ?? 30,
      pools: parsePools(this.options.pools),
      version: this.version,
      seed: this.options.seed ?? 'simulator',
      ...(this.sharedDir ? { samplesDir: join(this.sharedDir, 'reference', 'samples') } : {}),
    });
    this.notes.push(...seed.notes);
    const def = (r: string) => this.def(r);
    for (const o of seed.namespaces) this.store.put(def('namespaces'), o);
    for (const o of seed.configMaps) this.store.put(def('configmaps'), o);
    this.store.put(def('clusterversions'), seed.clusterVersion);
    for (const o of seed.machineConfigs) this.store.put(def('machineconfigs'), o);
    for (const o of seed.pools) this.store.put(def('machineconfigpools'), o);
    this.mco.bootstrap(seed.nodes, seed.createdAt, this.version.previousRelease);
    this.log(`seeded ${seed.nodes.length} nodes in ${Date.now() - t0} ms`);

    const users: Array<Omit<TokenUser, 'token' | 'expired'> & { description: string }> = [
      { context: 'admin', user: 'kube:admin', groups: ['system:cluster-admins', 'system:authenticated:oauth', 'system:authenticated'], deny: [], description: 'cluster-admin' },
      { context: 'no-mc', user: 'developer', groups: ['system:authenticated:oauth', 'system:authenticated'], deny: [{ resources: ['machineconfigs'], groups: [MC] }], description: 'forbidden on machineconfigs' },
      { context: 'no-mosc', user: 'builder', groups: ['system:authenticated:oauth', 'system:authenticated'], deny: [{ resources: ['machineosconfigs', 'machineosbuilds'], groups: [MC] }], description: 'forbidden on machineosconfigs and machineosbuilds' },
      { context: 'readonly', user: 'viewer', groups: ['system:authenticated:oauth', 'system:authenticated'], deny: [{ resources: ['*'], verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] }], description: 'can read, cannot write' },
      { context: 'expiring', user: 'alice', groups: ['system:authenticated:oauth', 'system:authenticated'], deny: [], description: 'cluster-admin whose token can be expired at runtime' },
    ];
    for (const u of users) {
      const t: TokenUser = { context: u.context, user: u.user, groups: u.groups, deny: u.deny, token: token(), expired: false };
      this.server.users.set(t.token, t);
      this.contexts[u.context] = { context: u.context, user: u.user, token: t.token, description: u.description };
    }
    await this.server.listen();
    this.kubeconfigPath = this.options.kubeconfigPath ?? join(this.certDir, 'kubeconfig');
    writeKubeconfig(this.kubeconfigPath, this.url, this.caPem, Object.values(this.contexts), 'admin');
    if (this.options.controllers !== false) this.mco.start();
    this.warmCaches();
    return this;
  }

  /** Serialises every node in the background, so the first big list does not pay for it. */
  private warmCaches(): void {
    const entries = this.store.list(this.def('nodes')).slice();
    let i = 0;
    const step = () => {
      const end = Math.min(entries.length, i + 250);
      for (; i < end; i++) entries[i]!.itemBuffer();
      if (i < entries.length) setImmediate(step);
    };
    setImmediate(step);
  }

  async stop(): Promise<void> {
    if (this.unreachableTimer) clearTimeout(this.unreachableTimer);
    this.mco.stop();
    await this.server.close();
    this.server.dispose();
    // The certificates (and the kubeconfig, unless it was put elsewhere) go with the simulator.
    rmSync(this.certDir, { recursive: true, force: true });
  }

  get url(): string {
    return this.server.url;
  }
  get port(): number {
    return this.server.port;
  }

  // -------------------------------------------------------------------------------------------
  // Objects (in-process; no authorization, same validation and controllers)

  def(resource: string): ResourceDef {
    return this.api.def(resource);
  }

  get(resource: string, name: string, namespace?: string): KObj | undefined {
    return this.store.get(this.def(resource), namespace, name)?.obj;
  }

  list(resource: string, namespace?: string): KObj[] {
    return this.store.list(this.def(resource), namespace).map((e) => e.obj);
  }

  create(obj: KObj): KObj {
    const def = RESOURCES.find((d) => d.kind === obj.kind);
    if (!def) throw new Error(`unknown kind ${obj.kind}`);
    const out = this.api.create(def, obj.metadata?.namespace, obj, { fieldManager: 'simulator' }).object;
    this.mco.flush(); // controllers react at once to in-process writes, so waits that follow see the result
    return out;
  }

  /** JSON merge patch. */
  patch(resource: string, name: string, patch: KObj, namespace?: string, subresource?: string): KObj {
    const out = this.api.patch(this.def(resource), namespace, name, 'application/merge-patch+json', JSON.stringify(patch), { fieldManager: 'simulator', ...(subresource ? { subresource } : {}) }).object;
    this.mco.flush();
    return out;
  }

  delete(resource: string, name: string, namespace?: string): void {
    this.api.delete(this.def(resource), namespace, name);
    this.mco.flush();
  }

  pool(name: string): KObj | undefined {
    return this.get('machineconfigpools', name);
  }

  nodesOf(pool: string): KObj[] {
    return this.mco.nodesIn(pool).map((e) => e.obj);
  }

  /** Resolves when `predicate` holds, checking after every change. Rejects after timeoutMs. */
  waitFor<T>(predicate: () => T | undefined | false | null, opts: { timeoutMs?: number; what?: string } = {}): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      const check = (): boolean => {
        try {
          const v = predicate();
          if (v) {
            done();
            resolvePromise(v);
            return true;
          }
        } catch (err) {
          done();
          reject(err);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${opts.timeoutMs ?? 30000} ms waiting for ${opts.what ?? 'condition'}`));
      }, opts.timeoutMs ?? 30000);
      const off = this.store.onEvent(() => void check());
      const offSettled = this.mco.onSettled(() => void check());
      const done = () => {
        clearTimeout(timer);
        off();
        offSettled();
      };
      check();
    });
  }

  /** Waits until the pool's condition `type` has `status` (e.g. Updated True). */
  waitForPoolCondition(pool: string, type: string, st: 'True' | 'False', timeoutMs = 30000): Promise<KObj> {
    return this.waitFor(
      () => {
        const p = this.pool(pool);
        return p?.status?.conditions?.some((c: KObj) => c.type === type && c.status === st) ? p : undefined;
      },
      { timeoutMs, what: `pool ${pool} ${type}=${st}` },
    );
  }

  /** Waits until every node of the pool is Done on the pool's target config and the pool is Updated. */
  waitForRollout(pool: string, timeoutMs = 60000): Promise<KObj> {
    return this.waitFor(
      () => {
        const p = this.pool(pool);
        const target = p?.spec?.configuration?.name;
        const ok =
          !this.mco.pending(pool) &&
          p?.status?.configuration?.name === target &&
          p?.status?.conditions?.some((c: KObj) => c.type === 'Updated' && c.status === 'True') &&
          this.nodesOf(pool).every((n) => n.metadata.annotations?.[ANN.current] === target && n.metadata.annotations?.[ANN.state] === 'Done');
        return ok ? p : undefined;
      },
      { timeoutMs, what: `pool ${pool} to finish rolling out` },
    );
  }

  // -------------------------------------------------------------------------------------------
  // Faults

  private userOf(context: string): TokenUser {
    const c = this.contexts[context];
    const u = c && this.server.users.get(c.token);
    if (!u) throw new Error(`no such context: ${context} (have ${Object.keys(this.contexts).join(', ')})`);
    return u;
  }

  readonly faults = {
    /** Degrades nodes with the MCO's reasons: 'rebase' (failed rpm-ostree rebase), 'drain' (drain timeout) or 'unreconcilable'. */
    degradeNodes: (nodes: string[], kind: FaultKind = 'rebase', opts: { when?: 'auto' | 'now'; reason?: string } = {}) => this.mco.degrade(nodes, kind, opts),
    /** Clears node faults; degraded nodes retry and succeed. */
    recoverNodes: (nodes: string[]) => this.mco.recover(nodes),
    /** Cuts every open watch mid-stream ('destroy') or ends it cleanly ('end'). */
    dropWatches: (mode: 'destroy' | 'end' = 'destroy') => this.server.dropWatches(mode),
    /** In-stream 410 to every open watch, and compacts history so resuming from their resourceVersion gets 410 too. */
    expireWatches: () => this.server.expireWatches(),
    /** Forgets the watch history: any watch from an older resourceVersion gets 410 Gone. */
    compactHistory: () => this.store.compact(),
    /** How a too-old watch is refused: an in-stream ERROR event (default, as the API server does) or HTTP 410. */
    goneMode: (mode: 'event' | 'http') => {
      this.server.faults.goneMode = mode;
    },
    /** Fails matching requests with an HTTP status (500, 503, 429, 410, ...), `count` times or for `forMs`. */
    failRequests: (opts: { status?: number; count?: number; forMs?: number; match?: RequestMatch; message?: string } = {}) => {
      this.server.faults.fail.push({
        status: opts.status ?? 500,
        ...(opts.message ? { message: opts.message } : {}),
        ...(opts.count !== undefined ? { remaining: opts.count } : {}),
        ...(opts.forMs !== undefined ? { until: Date.now() + opts.forMs } : {}),
        ...(opts.match ? { match: opts.match } : {}),
      });
    },
    /** Delays matching responses. */
    slowResponses: (opts: { ms: number; forMs?: number; match?: RequestMatch }) => {
      const rule: LatencyRule = { ms: opts.ms, ...(opts.forMs !== undefined ? { until: Date.now() + opts.forMs } : {}), ...(opts.match ? { match: opts.match } : {}) };
      this.server.faults.latency.push(rule);
    },
    /**
     * Expires a context's token: every request with it gets 401 until restoreToken. Its open watches
     * are ended (by default) as a server-side watch timeout would, so a client notices at its reconnect.
     */
    expireToken: (context: string, opts: { endWatches?: boolean } = {}) => {
      const u = this.userOf(context);
      u.expired = true;
      if (opts.endWatches !== false) this.server.dropWatchesOf(u.user, 'end');
    },
    restoreToken: (context: string) => {
      this.userOf(context).expired = false;
    },
    /** Adds a deny rule: requests of the context on the resource get 403. */
    forbid: (context: string, resources: string | string[], opts: { groups?: string[]; verbs?: string[] } = {}) => {
      const rule: DenyRule = { resources: Array.isArray(resources) ? resources : [resources], ...(opts.groups ? { groups: opts.groups } : {}), ...(opts.verbs ? { verbs: opts.verbs } : {}) };
      this.userOf(context).deny.push(rule);
    },
    /** Removes all deny rules of a context. */
    allow: (context: string) => {
      this.userOf(context).deny = [];
    },
    /** Stops listening (connection refused) and cuts open connections; comes back after forMs if given. */
    unreachable: async (forMs?: number) => {
      await this.server.close();
      if (forMs !== undefined) {
        this.unreachableTimer = setTimeout(() => {
          this.unreachableTimer = undefined;
          void this.server.listen();
        }, forMs);
      }
    },
    reachable: async () => {
      if (this.unreachableTimer) clearTimeout(this.unreachableTimer);
      this.unreachableTimer = undefined;
      await this.server.listen();
    },
    /** false: no machineconfiguration.openshift.io / config.openshift.io API (a plain Kubernetes cluster). */
    setOpenShift: (enabled: boolean) => {
      this.server.faults.openshift = enabled;
    },
    expireContinueTokens: () => this.server.expireContinueTokens(),
    /** The next on-cluster image build of the pool fails. */
    failNextBuild: (pool: string) => this.mco.failNextBuildFor(pool),
    /** Clears request failures and latency, restores tokens, deny rules are kept. */
    clear: () => {
      this.server.faults.fail = [];
      this.server.faults.latency = [];
      this.server.faults.goneMode = 'event';
      for (const u of this.server.users.values()) u.expired = false;
    },
  };

  // -------------------------------------------------------------------------------------------
  // Cluster shape changes

  readonly cluster = {
    /** Adds a custom pool (inheriting worker MachineConfigs) and labels `nodes` workers into it; with nodes 0 its nodeSelector matches nothing. */
    addPool: (name: string, opts: { nodes?: number; nodeSelector?: KObj; maxUnavailable?: number | string; paused?: boolean } = {}) => {
      const pool = this.create({
        apiVersion: `${MC}/v1`,
        kind: 'MachineConfigPool',
        metadata: { name, labels: { [`pools.operator.machineconfiguration.openshift.io/${name}`]: '' } },
        spec: {
          machineConfigSelector: { matchExpressions: [{ key: ANN.role, operator: 'In', values: ['worker', name] }] },
          nodeSelector: opts.nodeSelector ?? { matchLabels: { [`node-role.kubernetes.io/${name}`]: '' } },
          paused: opts.paused ?? false,
          ...(opts.maxUnavailable !== undefined ? { maxUnavailable: opts.maxUnavailable } : {}),
        },
      });
      if (opts.nodes) for (const n of this.nodesOf('worker').slice(-opts.nodes)) this.cluster.addNodeToPool(n.metadata.name, name);
      this.mco.flush();
      return pool;
    },
    /** Labels a node node-role.kubernetes.io/<pool> (a node in two custom pools belongs to none, as in the MCO). */
    addNodeToPool: (node: string, pool: string) => {
      this.patch('nodes', node, { metadata: { labels: { [`node-role.kubernetes.io/${pool}`]: '' } } });
    },
    setStepMs: (ms: number) => {
      this.mco.stepMs = ms;
    },
    pause: (pool: string, paused = true) => this.patch('machineconfigpools', pool, { spec: { paused } }),
  };

  // -------------------------------------------------------------------------------------------
  // Control endpoint (/_simulator/<op>, admin token)

  state(): KObj {
    return {
      url: this.url,
      version: this.version.release,
      resourceVersion: this.store.resourceVersion,
      stepMs: this.mco.stepMs,
      openWatches: this.server.openWatchCount(),
      nodes: this.store.count(this.def('nodes')),
      pools: this.list('machineconfigpools').map((p) => ({
        name: p.metadata.name,
        paused: !!p.spec?.paused,
        target: p.spec?.configuration?.name,
        current: p.status?.configuration?.name,
        machineCount: p.status?.machineCount,
        updated: p.status?.updatedMachineCount,
        ready: p.status?.readyMachineCount,
        unavailable: p.status?.unavailableMachineCount,
        degraded: p.status?.degradedMachineCount,
        conditions: Object.fromEntries((p.status?.conditions ?? []).map((c: KObj) => [c.type, c.status])),
      })),
      updating: this.mco.activeUpdates(),
      armedFaults: this.mco.armedFaults(),
      faults: { fail: this.server.faults.fail, latency: this.server.faults.latency, goneMode: this.server.faults.goneMode, openshift: this.server.faults.openshift },
      expiredContexts: Object.values(this.contexts)
        .filter((c) => this.server.users.get(c.token)?.expired)
        .map((c) => c.context),
      warnings: this.mco.warnings,
    };
  }

  private async control(op: string, a: KObj, _method: string): Promise<unknown> {
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',').filter(Boolean) : []);
    const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));
    const pickNodes = (): string[] => {
      const nodes = list(a.nodes ?? a.node);
      if (nodes.length) return nodes;
      if (a.pool) return this.nodesOf(String(a.pool)).slice(0, num(a.count) ?? 1).map((n) => n.metadata.name);
      throw new Error('give nodes (names) or pool (+ count)');
    };
    switch (op) {
      case '':
      case 'state':
        return this.state();
      case 'degrade': {
        const nodes = pickNodes();
        this.faults.degradeNodes(nodes, (a.kind ?? 'rebase') as FaultKind, { when: a.when === 'now' ? 'now' : 'auto', ...(a.reason ? { reason: String(a.reason) } : {}) });
        return { nodes };
      }
      case 'recover': {
        const nodes = pickNodes();
        this.faults.recoverNodes(nodes);
        return { nodes };
      }
      case 'drop-watches':
        return { dropped: this.faults.dropWatches(a.mode === 'end' ? 'end' : 'destroy') };
      case 'expire-watches':
        return { expired: this.faults.expireWatches() };
      case 'compact':
        this.faults.compactHistory();
        return { oldestWatchable: this.store.oldestWatchableRv };
      case 'gone-mode':
        this.faults.goneMode(a.mode === 'http' ? 'http' : 'event');
        return null;
      case 'fail':
        this.faults.failRequests({
          status: num(a.status) ?? 500,
          ...(num(a.count) !== undefined ? { count: num(a.count)! } : {}),
          ...(num(a.forMs) !== undefined ? { forMs: num(a.forMs)! } : {}),
          ...(a.match ? { match: a.match as RequestMatch } : {}),
          ...(a.resource ? { match: { resource: String(a.resource) } } : {}),
          ...(a.message ? { message: String(a.message) } : {}),
        });
        return null;
      case 'latency':
        this.faults.slowResponses({ ms: num(a.ms) ?? 1000, ...(num(a.forMs) !== undefined ? { forMs: num(a.forMs)! } : {}), ...(a.match ? { match: a.match as RequestMatch } : {}) });
        return null;
      case 'clear':
        this.faults.clear();
        return null;
      case 'expire-token':
        this.faults.expireToken(String(a.context ?? 'expiring'));
        return null;
      case 'restore-token':
        this.faults.restoreToken(String(a.context ?? 'expiring'));
        return null;
      case 'forbid':
        this.faults.forbid(String(a.context), list(a.resources ?? a.resource), { ...(a.groups ? { groups: list(a.groups) } : {}), ...(a.verbs ? { verbs: list(a.verbs) } : {}) });
        return null;
      case 'allow':
        this.faults.allow(String(a.context));
        return null;
      case 'unreachable': {
        const forMs = num(a.forMs) ?? 10000;
        setTimeout(() => void this.faults.unreachable(forMs), 50);
        return { forMs };
      }
      case 'openshift':
        this.faults.setOpenShift(a.enabled === true || a.enabled === 'true');
        return null;
      case 'expire-continue':
        this.faults.expireContinueTokens();
        return null;
      case 'fail-build':
        this.faults.failNextBuild(String(a.pool ?? 'worker'));
        return null;
      case 'add-pool':
        return this.cluster.addPool(String(a.name), { ...(num(a.nodes) !== undefined ? { nodes: num(a.nodes)! } : {}) }).metadata;
      case 'add-node-to-pool':
        this.cluster.addNodeToPool(String(a.node), String(a.pool));
        return null;
      case 'step-ms':
        this.cluster.setStepMs(num(a.ms) ?? 200);
        return { stepMs: this.mco.stepMs };
      case 'pause':
        this.cluster.pause(String(a.pool ?? 'worker'), a.paused !== false && a.paused !== 'false');
        return null;
      default:
        throw new Error(`unknown op "${op}"`);
    }
  }
}

/** Starts a simulator: seeds the cluster, writes certificates and a kubeconfig, listens on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(options).start();
}

export { Mco } from './mco';
export { Store } from './store';
