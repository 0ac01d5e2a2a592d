import { HttpMethod, KubeConfig, RequestContext, type User } from '@kubernetes/client-node';
import { Agent, fetch, type Dispatcher } from 'undici';
import {
  ClusterRequestError, classifyNetworkError, type ApiResponse, type RequestOptions, type Transport, type WatchResponse,
} from './api';
import { proxyFromEnvironment, type EnvironmentProxy } from '../proxyEnvironment';

/**
 * HTTP to one cluster with one context's credentials, over @kubernetes/client-node's authentication: for every
 * request, a RequestContext gets its headers from `applySecurityAuthentication` (bearer tokens, exec plugins, OIDC,
 * client certificates) and undici's fetch sends it, the way client-node's own Watch does. The JSON is handed back raw
 * so the slimmers can read it; client-node's typed models (and their ObjectSerializer) are never used.
 *
 * One transport per context, built from a kubeconfig that holds that context only: it cannot send one cluster's
 * credentials to another, whatever the rest of the extension does (client-node resolves credentials per request from
 * the KubeConfig's current context, so a shared, switched KubeConfig would).
 */

const USER_AGENT = 'rhcos-layering/0.1 (cluster explorer)';

export interface TransportOptions {
  /** Give up on a request (or a watch's response headers) after this long. */
  readonly timeoutMs: number;
  /** Where `HTTPS_PROXY`/`NO_PROXY` are read from when the kubeconfig has no `proxy-url`. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

export class KubeTransport implements Transport {
  readonly context: string;
  readonly server: string;
  /** The proxy taken from the environment, if any (a kubeconfig `proxy-url` is not reported here). */
  readonly environmentProxy: EnvironmentProxy | undefined;
  private readonly kc: KubeConfig;
  private readonly user: User | null;
  private dispatcher: Dispatcher | undefined;
  private readonly inFlight = new Set<AbortController>();
  private disposed = false;

  /** Throws ClusterRequestError('config') when the kubeconfig cannot be used. */
  constructor(kubeconfigYaml: string, private readonly options: TransportOptions) {
    const kc = new KubeConfig();
    try {
      kc.loadFromString(kubeconfigYaml);
    } catch (error) {
      throw new ClusterRequestError('config', `the kubeconfig entry is malformed: ${(error as Error).message}`);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ClusterRequestError('config', `context ${kc.getCurrentContext()} names no cluster`);
    if (!cluster.server) throw new ClusterRequestError('config', `cluster ${cluster.name} has no server URL`);
    try {
      const url = new URL(cluster.server);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`unsupported scheme ${url.protocol}`);
    } catch (error) {
      throw new ClusterRequestError('config', `cluster ${cluster.name} has an unusable server URL ${cluster.server} (${(error as Error).message})`);
    }
    this.environmentProxy = cluster.proxyUrl ? undefined : proxyFromEnvironment(cluster.server, options.env ?? process.env);
    if (this.environmentProxy) {
      const proxyUrl = this.environmentProxy.url;
      kc.loadFromOptions({
        clusters: kc.clusters.map((entry) => (entry.name === cluster.name ? { ...entry, proxyUrl } : entry)),
        users: kc.users,
        contexts: kc.contexts,
        currentContext: kc.currentContext,
      });
    }
    this.kc = kc;
    this.context = kc.getCurrentContext();
    this.server = cluster.server.replace(/\/+$/, '');
    this.user = kc.getCurrentUser();
  }

  async request(path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const method = options.method ?? 'GET';
    const url = this.url(path, options.query);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    return this.withController(options.signal, timeoutMs, async (signal, timedOut) => {
      const { headers, dispatcher } = await this.prepare(url, method, signal, timeoutMs);
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['Content-Type'] = options.contentType ?? 'application/json';
      }
      try {
        const response = await fetch(url, { method, headers, body, dispatcher, signal });
        const text = await response.text();
        return { status: response.status, text };
      } catch (error) {
        throw classifyNetworkError(error, timedOut());
      }
    });
  }

  async watch(path: string, query: Readonly<Record<string, string | number | boolean | undefined>>, signal: AbortSignal): Promise<WatchResponse> {
    const url = this.url(path, { ...query, watch: 1 });
    const controller = this.track(new AbortController());
    const onAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('no response headers in time', 'TimeoutError'));
    }, this.options.timeoutMs);
    const release = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
    };
    try {
      const { headers, dispatcher } = await this.prepare(url, 'GET', controller.signal, this.options.timeoutMs);
      const response = await fetch(url, { method: 'GET', headers, dispatcher, signal: controller.signal });
      clearTimeout(timer);
      if (response.status !== 200) {
        const text = await response.text();
        release();
        return { status: response.status, text, chunks: undefined };
      }
      const body = response.body;
      async function* chunks(): AsyncGenerator<string> {
        const decoder = new TextDecoder();
        try {
          if (!body) return;
          for await (const chunk of body) yield decoder.decode(chunk as Uint8Array, { stream: true });
          const rest = decoder.decode();
          if (rest) yield rest;
        } catch (error) {
          throw classifyNetworkError(error, false);
        } finally {
          release();
        }
      }
      return { status: 200, text: '', chunks: chunks() };
    } catch (error) {
      release();
      throw classifyNetworkError(error, timedOut);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const controller of this.inFlight) controller.abort(new DOMException('the cluster session was closed', 'AbortError'));
    this.inFlight.clear();
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    if (dispatcher) void dispatcher.destroy().catch(() => undefined);
  }

  private url(path: string, query: RequestOptions['query']): string {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  private track(controller: AbortController): AbortController {
    if (this.disposed) controller.abort(new DOMException('the cluster session was closed', 'AbortError'));
    this.inFlight.add(controller);
    return controller;
  }

  private async withController<T>(signal: AbortSignal | undefined, timeoutMs: number, run: (signal: AbortSignal, timedOut: () => boolean) => Promise<T>): Promise<T> {
    const controller = this.track(new AbortController());
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('the request timed out', 'TimeoutError'));
    }, timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) controller.abort(signal.reason);
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await run(controller.signal, () => timedOut);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(controller);
    }
  }

  /** Headers with this context's credentials, and the session's connection pool. */
  private async prepare(url: string, method: string, signal: AbortSignal, timeoutMs: number): Promise<{ headers: Record<string, string>; dispatcher: Dispatcher }> {
    if (this.disposed) throw new ClusterRequestError('aborted', 'the cluster session was closed');
    const context = new RequestContext(url, method as HttpMethod);
    let timer: NodeJS.Timeout | undefined;
    try {
      // client-node runs exec credential plugins with no timeout; do not wait for one forever.
      await Promise.race([
        this.kc.applySecurityAuthentication(context),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ClusterRequestError('credentials', `${this.pluginName()} did not finish within ${Math.round(timeoutMs / 1000)} s (it may be waiting for input, which the editor cannot give)`)), timeoutMs);
        }),
        new Promise<never>((_, reject) => {
          if (signal.aborted) reject(new ClusterRequestError('aborted', 'aborted'));
          signal.addEventListener('abort', () => reject(new ClusterRequestError('aborted', 'aborted')), { once: true });
        }),
      ]);
    } catch (error) {
      if (error instanceof ClusterRequestError) throw error;
      throw this.authError(error);
    } finally {
      clearTimeout(timer);
    }
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': USER_AGENT, ...(context.getHeaders() as Record<string, string>) };
    // client-node builds a new dispatcher (and so a new connection) per request; keep the first one for the whole
    // session so requests share connections and dispose() can close them all. The TLS material is fixed per session.
    this.dispatcher ??= context.getDispatcher() ?? new Agent({ connect: { keepAlive: true, keepAliveInitialDelay: 30_000 } });
    return { headers, dispatcher: this.dispatcher };
  }

  private pluginName(): string {
    const exec = this.user?.exec as { command?: string } | undefined;
    if (exec?.command) return `The credential plugin \`${exec.command}\``;
    if (this.user?.authProvider) return `The auth provider ${String((this.user.authProvider as { name?: string }).name ?? '')}`;
    return 'Authentication';
  }

  private authError(error: unknown): ClusterRequestError {
    const message = error instanceof Error ? error.message : String(error);
    if (this.user?.exec || this.user?.authProvider) {
      const stderr = message.trim().split('\n').slice(-15).join('\n');
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? `${this.pluginName()} was not found (${message})` : `${this.pluginName()} failed: ${stderr || 'no output on stderr'}`;
      return new ClusterRequestError('credentials', why);
    }
    return new ClusterRequestError('config', `cannot use the credentials of context ${this.context}: ${message}`);
  }
}
