import {
  ClusterRequestError, asClusterError, errorForStatus, jsonOrThrow, type FailureKind, type Transport,
} from './api';

/**
 * List then watch one resource type, and keep doing it whatever the server does:
 * - list in pages (limit/continue; a continue token that expires mid-list restarts the list);
 * - watch from the list's resourceVersion with bookmarks; a watch that ends normally is reopened from the last
 *   resourceVersion seen; a 410 Gone (HTTP or in-stream ERROR) lists again and hands the store the full set, so
 *   deletions missed meanwhile surface;
 * - any other failure (network, 401/403, 5xx, a list that fails) waits with jittered exponential backoff, 1 s to
 *   30 s, and tries again: the informer never stops by itself, unlike client-node's;
 * - a watchdog aborts a watch that has been silent for too long (a half-open connection) and reopens it;
 * - stop() ends it for good.
 * Its status says what is wrong right now; the objects it delivered stay valid (maybe stale) meanwhile.
 */

export type ResourceId = 'pools' | 'nodes' | 'machineConfigs' | 'osImageUrls' | 'clusterVersion' | 'machineOSConfigs' | 'machineOSBuilds' | 'machineConfigNodes';

export interface ResourceSpec<T> {
  readonly id: ResourceId;
  /** The resource as RBAC and messages name it, e.g. `machineconfigpools.machineconfiguration.openshift.io`. */
  readonly resource: string;
  /** The objects' kind: watch events of another kind are ignored. */
  readonly kind: string;
  /** Collection path, e.g. `/apis/machineconfiguration.openshift.io/v1/machineconfigpools`. */
  readonly path: string;
  readonly fieldSelector?: string;
  readonly pageSize: number;
  /** A 404 is normal (on-cluster layering before 4.18): not a problem to show. */
  readonly optional?: boolean;
  slim(raw: unknown): T;
}

export type ResourceState = 'loading' | 'ok' | 'forbidden' | 'unauthorized' | 'unreachable' | 'notServed' | 'credentials' | 'error';

export interface ResourceStatus {
  readonly state: ResourceState;
  /** A complete list has arrived at least once: what the store holds for this resource is usable (maybe stale). */
  readonly synced: boolean;
  readonly error?: ClusterRequestError;
  /** When the next attempt is due (epoch ms), while failing. */
  readonly retryAt?: number;
  readonly failures: number;
}

export type InformerEvent<T> =
  | { readonly type: 'replace'; readonly items: ReadonlyMap<string, T> }
  | { readonly type: 'upsert'; readonly name: string; readonly object: T; readonly receivedAt: number }
  | { readonly type: 'delete'; readonly name: string; readonly receivedAt: number };

/** Time as the informer sees it. Tests pass a fake one to drive backoff and the watchdog without waiting. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
};

export interface InformerOptions {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** Retry interval for 403 and 404: those rarely fix themselves quickly. */
  readonly slowRetryMs: number;
  /** Abort and reopen a watch that sent nothing (not even a bookmark) for this long. */
  readonly watchdogMs: number;
  /** Server-side watch timeout; randomized between this and twice this, as client-go does. */
  readonly watchTimeoutSeconds: number;
  readonly random?: () => number;
  /** Default: the system clock. */
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
  /** List once and stop (no watch, no retry): for the `status` CLI. */
  readonly once?: boolean;
}

export const DEFAULT_INFORMER_OPTIONS: InformerOptions = {
  backoffInitialMs: 1000,
  backoffMaxMs: 30_000,
  slowRetryMs: 120_000,
  watchdogMs: 90_000,
  watchTimeoutSeconds: 300,
};

type Json = Record<string, unknown>;

export function stateFor(kind: FailureKind): ResourceState {
  switch (kind) {
    case 'forbidden':
      return 'forbidden';
    case 'unauthorized':
      return 'unauthorized';
    case 'notServed':
      return 'notServed';
    case 'unreachable':
    case 'timeout':
    case 'tls':
      return 'unreachable';
    case 'credentials':
    case 'config':
      return 'credentials';
    default:
      return 'error';
  }
}

type WatchOutcome = 'ended' | 'interrupted' | 'gone' | 'watchdog' | 'relist' | 'stopped';

export class ResilientInformer<T> {
  private resourceVersion: string | undefined;
  private stopped = true;
  private failures = 0;
  private quickEnds = 0;
  private current: AbortController | undefined;
  private relistRequested = false;
  /** Streams lost since the last event: only the first is reopened silently. */
  private interruptedInARow = 0;
  private wake: (() => void) | undefined;
  private statusValue: ResourceStatus = { state: 'loading', synced: false, failures: 0 };
  private readonly statusListeners = new Set<(status: ResourceStatus) => void>();
  private running: Promise<void> | undefined;
  /** Counters for tests and the output log. */
  readonly stats = { lists: 0, watches: 0, relists: 0, watchdogs: 0, interruptions: 0, events: 0, foreign: 0 };

  constructor(
    private readonly transport: Transport,
    readonly spec: ResourceSpec<T>,
    private readonly sink: (event: InformerEvent<T>) => void,
    private readonly options: InformerOptions = DEFAULT_INFORMER_OPTIONS,
  ) {}

  get status(): ResourceStatus {
    return this.statusValue;
  }

  onStatus(listener: (status: ResourceStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run();
  }

  /** Ends the informer for good; resolves when its loop has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort(new DOMException('informer stopped', 'AbortError'));
    this.wake?.();
    await this.running;
  }

  /** Skips a pending backoff and tries now; with `relist`, lists again even when the watch is healthy. */
  retryNow(relist = false): void {
    if (this.stopped) return;
    this.failures = 0;
    if (relist) {
      this.resourceVersion = undefined;
      this.relistRequested = true;
      this.current?.abort(new DOMException('relist requested', 'AbortError'));
    }
    this.wake?.();
  }

  private setStatus(status: ResourceStatus): void {
    const previous = this.statusValue;
    this.statusValue = status;
    if (previous.state === status.state && previous.synced === status.synced && previous.retryAt === status.retryAt && previous.error?.message === status.error?.message) return;
    for (const listener of this.statusListeners) listener(status);
  }

  private markOk(): void {
    this.failures = 0;
    this.setStatus({ state: 'ok', synced: this.statusValue.synced, failures: 0 });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        if (this.stopped || this.options.once) break;
        const outcome = await this.watchOnce();
        if (outcome === 'gone') {
          this.stats.relists++;
          this.options.log?.(`${this.spec.resource}: watch expired (410 Gone), listing again`);
          this.resourceVersion = undefined;
        } else if (outcome === 'interrupted') {
          // A watch that was streaming lost its connection (load balancers do that): reopen it at once, and only
          // report a problem if that fails too.
          this.stats.interruptions++;
        } else if (outcome === 'watchdog') {
          this.stats.watchdogs++;
          this.options.log?.(`${this.spec.resource}: watch silent for ${this.options.watchdogMs} ms, reopening`);
        }
        if (this.quickEnds >= 3) await this.sleep(this.backoff(this.quickEnds - 2));
      } catch (error) {
        if (this.stopped) break;
        const failure = asClusterError(error);
        if (failure.kind === 'gone') {
          this.stats.relists++;
          this.resourceVersion = undefined;
          continue;
        }
        this.failures++;
        const delay = failure.kind === 'forbidden' || failure.kind === 'notServed' ? this.options.slowRetryMs : this.backoff(this.failures);
        const state = stateFor(failure.kind);
        if (!this.options.once) this.options.log?.(`${this.spec.resource}: ${failure.kind}: ${failure.message}; retrying in ${Math.round(delay / 100) / 10} s`);
        if (this.options.once) {
          this.setStatus({ state, synced: this.statusValue.synced, error: failure, failures: this.failures });
          break;
        }
        this.setStatus({ state, synced: this.statusValue.synced, error: failure, retryAt: this.clock.now() + delay, failures: this.failures });
        await this.sleep(delay);
      }
    }
    this.stopped = true;
  }

  /** Full jitter between 80 % and 120 % of 1 s·2^(n-1), capped. */
  private backoff(attempt: number): number {
    const base = Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** Math.max(0, attempt - 1));
    const random = this.options.random ?? Math.random;
    return Math.round(base * (0.8 + 0.4 * random()));
  }

  private get clock(): Clock {
    return this.options.clock ?? SYSTEM_CLOCK;
  }

  private sleep(ms: number): Promise<void> {
    const clock = this.clock;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(done, ms);
      function done(): void {
        clock.clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private async list(): Promise<void> {
    this.stats.lists++;
    this.relistRequested = false;
    const items = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    let restarts = 0;
    for (;;) {
      const response = await this.transport.request(this.spec.path, {
        query: { limit: this.spec.pageSize, continue: continueToken, fieldSelector: this.spec.fieldSelector },
      });
      if (this.stopped) return;
      if (response.status === 410 && continueToken && restarts < 3) {
        // The continue token expired between pages: start over from a fresh snapshot.
        restarts++;
        items.clear();
        continueToken = undefined;
        continue;
      }
      const list = jsonOrThrow<Json>(response, true);
      const metadata = (list.metadata ?? {}) as Json;
      for (const raw of Array.isArray(list.items) ? list.items : []) {
        const name = ((raw as Json).metadata as Json | undefined)?.name;
        if (typeof name === 'string') items.set(name, this.spec.slim(raw));
      }
      continueToken = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
      if (typeof metadata.resourceVersion === 'string') resourceVersion = metadata.resourceVersion;
      if (!continueToken) break;
    }
    this.sink({ type: 'replace', items });
    this.resourceVersion = resourceVersion;
    this.failures = 0;
    this.setStatus({ state: 'ok', synced: true, failures: 0 });
  }

  private async watchOnce(): Promise<WatchOutcome> {
    const controller = new AbortController();
    this.current = controller;
    const clock = this.clock;
    let watchdogFired = false;
    let watchdog: unknown;
    const armWatchdog = (): void => {
      clock.clearTimeout(watchdog);
      watchdog = clock.setTimeout(() => {
        watchdogFired = true;
        controller.abort(new DOMException('watch silent too long', 'AbortError'));
      }, this.options.watchdogMs);
    };
    const started = clock.now();
    let delivered = 0;
    let streaming = false;
    this.stats.watches++;
    try {
      const random = this.options.random ?? Math.random;
      armWatchdog();
      const response = await this.transport.watch(this.spec.path, {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: Math.round(this.options.watchTimeoutSeconds * (1 + random())),
        fieldSelector: this.spec.fieldSelector,
      }, controller.signal);
      if (response.status === 410) return 'gone';
      if (response.status !== 200 || !response.chunks) throw errorForStatus(response.status, response.text, true);
      this.markOk();
      streaming = true;
      let buffer = '';
      for await (const chunk of response.chunks) {
        armWatchdog();
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim() === '') continue;
          delivered++;
          this.interruptedInARow = 0;
          if (this.handleLine(line) === 'gone') return 'gone';
        }
      }
      if (buffer.trim() !== '') {
        delivered++;
        if (this.handleLine(buffer) === 'gone') return 'gone';
      }
      this.quickEnds = delivered === 0 && clock.now() - started < 1000 ? this.quickEnds + 1 : 0;
      return 'ended';
    } catch (error) {
      if (this.stopped) return 'stopped';
      if (watchdogFired) return 'watchdog';
      if (this.relistRequested) return 'relist';
      const failure = asClusterError(error);
      if (streaming && (failure.kind === 'unreachable' || failure.kind === 'other') && this.interruptedInARow++ === 0) return 'interrupted';
      throw error;
    } finally {
      clock.clearTimeout(watchdog);
      if (this.current === controller) this.current = undefined;
      controller.abort();
    }
  }

  private handleLine(line: string): 'gone' | undefined {
    let event: Json;
    try {
      event = JSON.parse(line) as Json;
    } catch {
      this.options.log?.(`${this.spec.resource}: ignoring a watch line that is not JSON`);
      return undefined;
    }
    const object = (event.object ?? {}) as Json;
    const metadata = (object.metadata ?? {}) as Json;
    const receivedAt = performance.now();
    switch (event.type) {
      case 'ERROR': {
        const code = typeof object.code === 'number' ? object.code : 500;
        if (code === 410) return 'gone';
        throw errorForStatus(code, JSON.stringify(object), true);
      }
      case 'BOOKMARK':
        if (typeof metadata.resourceVersion === 'string') this.resourceVersion = metadata.resourceVersion;
        return undefined;
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        if (typeof object.kind === 'string' && object.kind !== this.spec.kind) {
          // Not ours (a watch replay that mixed in another resource type): never store it.
          this.stats.foreign++;
          return undefined;
        }
        if (typeof metadata.resourceVersion === 'string') this.resourceVersion = metadata.resourceVersion;
        const name = metadata.name;
        if (typeof name !== 'string') return undefined;
        this.stats.events++;
        if (event.type === 'DELETED') this.sink({ type: 'delete', name, receivedAt });
        else this.sink({ type: 'upsert', name, object: this.spec.slim(object), receivedAt });
        return undefined;
      }
      default:
        return undefined;
    }
  }
}
