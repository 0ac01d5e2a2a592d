import { fail, failWith, ok, type Problem, type Result } from '../problem';
import { ClusterRequestError, asClusterError, jsonOrThrow, problemFor, type Transport } from './api';
import { deriveHealth, type SessionHealth } from './health';
import { DEFAULT_INFORMER_OPTIONS, ResilientInformer, type InformerOptions, type ResourceId, type ResourceStatus } from './informer';
import { MCO_GROUP, OBJECT_KINDS, RESOURCE_IDS, RESOURCE_SPECS, type ObjectKind } from './resources';
import { ClusterStore, type StoreChange } from './store';
import { redactProxyUrl } from '../proxyEnvironment';
import type { TrustCheck } from '../trust';
import type { ApplicableKind } from './machineConfigYaml';
import { KubeTransport } from './transport';

/**
 * Everything the explorer holds for one context: its own KubeConfig (built from a kubeconfig holding that context
 * only) and connection pool, one informer per resource type feeding one store, and the writes. A context switch
 * disposes the session and builds a new one; nothing of it is reused.
 */

export const FIELD_MANAGER = 'rhcos-layering';

export interface SessionOptions {
  readonly timeoutMs: number;
  /** Where `HTTPS_PROXY`/`NO_PROXY` are read from (as kubectl does) when the kubeconfig has no `proxy-url`. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  readonly informer?: Partial<InformerOptions>;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
  /** Asked before every write, dry runs included; a refusal comes back as a WriteResult of kind `untrusted`. */
  readonly trust: TrustCheck;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
}

export class ClusterSession {
  readonly context: string;
  readonly server: string;
  readonly store: ClusterStore;
  private readonly informers: { [K in ResourceId]: ResilientInformer<unknown> };
  private readonly healthListeners = new Set<(health: SessionHealth) => void>();
  private healthValue: SessionHealth;
  private disposed = false;
  private started = false;

  constructor(
    private readonly transport: Transport,
    private readonly options: SessionOptions,
  ) {
    this.context = transport.context;
    this.server = transport.server;
    this.store = new ClusterStore(this.context, this.server);
    const informerOptions: InformerOptions = {
      ...DEFAULT_INFORMER_OPTIONS,
      ...options.informer,
      log: (message) => options.log?.('info', `[${this.context}] ${message}`),
    };
    const make = <K extends ResourceId>(id: K): ResilientInformer<unknown> => {
      const informer = new ResilientInformer(transport, RESOURCE_SPECS[id], (event) => this.store.apply(id, event as never), informerOptions);
      informer.onStatus(() => this.updateHealth());
      return informer as ResilientInformer<unknown>;
    };
    this.informers = {
      pools: make('pools'),
      nodes: make('nodes'),
      machineConfigs: make('machineConfigs'),
      osImageUrls: make('osImageUrls'),
      clusterVersion: make('clusterVersion'),
      machineOSConfigs: make('machineOSConfigs'),
      machineOSBuilds: make('machineOSBuilds'),
      machineConfigNodes: make('machineConfigNodes'),
    };
    this.healthValue = this.computeHealth();
  }

  get health(): SessionHealth {
    return this.healthValue;
  }

  get statuses(): Readonly<Record<ResourceId, ResourceStatus>> {
    return Object.fromEntries(RESOURCE_IDS.map((id) => [id, this.informers[id].status])) as Record<ResourceId, ResourceStatus>;
  }

  /** Lists, watches, reconnects and relists per informer, for tests and the output log. */
  get stats(): Readonly<Record<ResourceId, ResilientInformer<unknown>['stats']>> {
    return Object.fromEntries(RESOURCE_IDS.map((id) => [id, this.informers[id].stats])) as Record<ResourceId, ResilientInformer<unknown>['stats']>;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  onChange(listener: (changes: readonly StoreChange[]) => void): () => void {
    return this.store.onChange(listener);
  }

  onHealth(listener: (health: SessionHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  start(): this {
    if (this.started || this.disposed) return this;
    this.started = true;
    for (const id of RESOURCE_IDS) this.informers[id].start();
    return this;
  }

  /** Every informer tries now instead of waiting out its backoff; `relist` lists everything again. */
  retry(relist = false): void {
    for (const id of RESOURCE_IDS) this.informers[id].retryNow(relist);
  }

  /** Resolves once every resource type has been listed or has failed once (or the session is disposed). */
  settled(): Promise<SessionHealth> {
    if (this.healthValue.settled || this.disposed) return Promise.resolve(this.healthValue);
    return new Promise((resolve) => {
      const off = this.onHealth((health) => {
        if (health.settled || this.disposed) {
          off();
          resolve(health);
        }
      });
    });
  }

  /** Resolves when `predicate` holds over the store, checked after every change; rejects after timeoutMs. */
  waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 30_000, what = 'a condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate();
        if (!value) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const offChange = this.onChange(() => void check());
      const offHealth = this.onHealth(() => void check());
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      function cleanup(): void {
        clearTimeout(timer);
        offChange();
        offHealth();
      }
      check();
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.transport.dispose();
    await Promise.all(RESOURCE_IDS.map((id) => this.informers[id].stop()));
    this.healthListeners.clear();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading one whole object (for the read-only YAML view)

  /** The object as the cluster has it, without managedFields. */
  async getObject(kind: ObjectKind, name: string): Promise<Result<Record<string, unknown>>> {
    const action = `get ${OBJECT_KINDS[kind].plural} ${name}`;
    return this.call(action, async () => {
      const object = jsonOrThrow<Record<string, unknown>>(await this.transport.request(`${OBJECT_KINDS[kind].path}/${encodeURIComponent(name)}`), false);
      const metadata = object.metadata as Record<string, unknown> | undefined;
      if (metadata) delete metadata.managedFields;
      return object;
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Writes

  /** Creates a MachineConfig or MachineOSConfig (server-side dry run with `dryRun`). A conflict comes back as kind `conflict`. */
  async createObject(kind: ApplicableKind, object: Record<string, unknown>, options: WriteOptions = {}): Promise<WriteResult> {
    return this.write(`${options.dryRun ? 'dry-run ' : ''}create ${kind} ${nameOf(object)}`, async () => {
      const response = await this.transport.request(OBJECT_KINDS[kind].path, { method: 'POST', query: writeQuery(options), body: object });
      return jsonOrThrow<Record<string, unknown>>(response, false);
    });
  }

  /** Replaces an existing object with `object`, at the cluster's current resourceVersion. */
  async replaceObject(kind: ApplicableKind, object: Record<string, unknown>, options: WriteOptions = {}): Promise<WriteResult> {
    const name = nameOf(object);
    return this.write(`${options.dryRun ? 'dry-run ' : ''}replace ${kind} ${name}`, async () => {
      const path = `${OBJECT_KINDS[kind].path}/${encodeURIComponent(name)}`;
      const current = jsonOrThrow<{ metadata?: { resourceVersion?: string } }>(await this.transport.request(path), false);
      const metadata = { ...((object.metadata ?? {}) as Record<string, unknown>), resourceVersion: current.metadata?.resourceVersion };
      const response = await this.transport.request(path, { method: 'PUT', query: writeQuery(options), body: { ...object, metadata } });
      return jsonOrThrow<Record<string, unknown>>(response, false);
    });
  }

  createMachineConfig(object: Record<string, unknown>, options: WriteOptions = {}): Promise<WriteResult> {
    return this.createObject('MachineConfig', object, options);
  }

  replaceMachineConfig(object: Record<string, unknown>, options: WriteOptions = {}): Promise<WriteResult> {
    return this.replaceObject('MachineConfig', object, options);
  }

  /** Deletes a MachineConfig or MachineOSConfig (server-side dry run with `dryRun`). */
  async deleteObject(kind: ApplicableKind, name: string, options: WriteOptions = {}): Promise<WriteResult> {
    return this.write(`${options.dryRun ? 'dry-run ' : ''}delete ${kind} ${name}`, async () => {
      const response = await this.transport.request(`${OBJECT_KINDS[kind].path}/${encodeURIComponent(name)}`, {
        method: 'DELETE',
        query: options.dryRun ? { dryRun: 'All' } : {},
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', ...(options.dryRun ? { dryRun: ['All'] } : {}) },
      });
      return jsonOrThrow<Record<string, unknown>>(response, false);
    });
  }

  deleteMachineConfig(name: string, options: WriteOptions = {}): Promise<WriteResult> {
    return this.deleteObject('MachineConfig', name, options);
  }

  /** Sets spec.paused with a JSON merge patch. */
  async setPoolPaused(name: string, paused: boolean, options: WriteOptions = {}): Promise<WriteResult> {
    return this.write(`${paused ? 'pause' : 'resume'} MachineConfigPool ${name}`, async () => {
      const response = await this.transport.request(`${OBJECT_KINDS.MachineConfigPool.path}/${encodeURIComponent(name)}`, {
        method: 'PATCH',
        query: writeQuery(options),
        body: { spec: { paused } },
        contentType: 'application/merge-patch+json',
      });
      return jsonOrThrow<Record<string, unknown>>(response, false);
    });
  }

  /** Every write goes through here: the trust check first, so no request leaves without it. */
  private async write(action: string, run: () => Promise<Record<string, unknown>>): Promise<WriteResult> {
    const refused = this.options.trust(`${action} on ${this.context}`);
    if (refused) return { ok: false, problem: refused, kind: 'untrusted' };
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      const failure = asClusterError(error);
      return { ok: false, problem: problemFor(failure, this.target(action)), kind: failure.kind };
    }
  }

  private async call<T>(action: string, run: () => Promise<T>): Promise<Result<T>> {
    try {
      return ok(await run());
    } catch (error) {
      return failWith(problemFor(asClusterError(error), this.target(action)));
    }
  }

  private target(action: string): { context: string; server: string; action: string; timeoutSeconds: number } {
    return { context: this.context, server: this.server, action, timeoutSeconds: Math.round(this.options.timeoutMs / 1000) };
  }

  private computeHealth(): SessionHealth {
    return deriveHealth(this.statuses, { context: this.context, server: this.server, timeoutSeconds: Math.round(this.options.timeoutMs / 1000) });
  }

  private updateHealth(): void {
    const next = this.computeHealth();
    const previous = this.healthValue;
    this.healthValue = next;
    if (JSON.stringify(previous) === JSON.stringify(next)) return;
    for (const listener of this.healthListeners) listener(next);
  }
}

/** `untrusted`: the session's trust check refused the write, and nothing was sent. */
export type WriteResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly problem: Problem; readonly kind: ClusterRequestError['kind'] | 'untrusted' };

function writeQuery(options: WriteOptions): Record<string, string> {
  return { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', ...(options.dryRun ? { dryRun: 'All' } : {}) };
}

function nameOf(object: Record<string, unknown>): string {
  const name = (object.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '(no name)';
}

/** A session for `contextName` of a single-context kubeconfig (see singleContextKubeconfig). */
export function openSession(singleContextYaml: string, options: SessionOptions): Result<ClusterSession> {
  try {
    const transport = new KubeTransport(singleContextYaml, { timeoutMs: options.timeoutMs, ...(options.env ? { env: options.env } : {}) });
    if (transport.environmentProxy) options.log?.('info', `${transport.context}: connecting through the proxy ${redactProxyUrl(transport.environmentProxy.url)} from $${transport.environmentProxy.variable}`);
    return ok(new ClusterSession(transport, options));
  } catch (error) {
    const failure = asClusterError(error);
    return fail(`The kubeconfig context cannot be used`, failure.message, 'Fix the kubeconfig, or log in again with `oc login`.');
  }
}

export { MCO_GROUP };
