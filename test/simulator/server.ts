// The HTTPS front: authentication and per-token authorization, discovery (legacy and aggregated),
// OpenAPI v3 stubs for kubectl's field-validation check, list with paging, watch with bookmarks and
// 410s, writes, Table output, and the fault injection that tests and the demo switch on.
import { randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { Socket } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { ClusterApi } from './api';
import { type ResourceDef, RESOURCES, apiVersionOf } from './resources';
import type { Entry, StoreEvent } from './store';
import { type IncludeObject, table, tableRow, columnsFor } from './table';
import type { VersionInfo } from './versions';
import {
  ApiError,
  type FieldRequirement,
  type KObj,
  type LabelRequirement,
  apiError,
  matchesFieldRequirements,
  matchesLabelRequirements,
  parseFieldSelector,
  parseLabelSelector,
  sha256,
  sleep,
  status,
} from './util';

// ---------------------------------------------------------------------------------------------
// Users, tokens, rules

export interface DenyRule {
  /** Plural resource names, or "*". */
  resources: string[];
  /** API groups; omitted means any. */
  groups?: string[];
  /** Verbs; omitted means all. */
  verbs?: string[];
}

export interface TokenUser {
  context: string;
  user: string;
  token: string;
  groups: string[];
  expired: boolean;
  deny: DenyRule[];
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

// ---------------------------------------------------------------------------------------------
// Faults

export interface RequestMatch {
  /** Plural resource name (e.g. "nodes"); omitted means any request, discovery included. */
  resource?: string;
  verb?: Verb;
  /** Only watch requests (true) or only non-watch (false). */
  watch?: boolean;
  /** Substring of the path. */
  path?: string;
}

export interface FailRule {
  status: number;
  message?: string;
  /** Remaining requests to fail; undefined = until `until` or cleared. */
  remaining?: number;
  until?: number;
  match?: RequestMatch;
}

export interface LatencyRule {
  ms: number;
  until?: number;
  match?: RequestMatch;
}

export interface ServerFaults {
  fail: FailRule[];
  latency: LatencyRule[];
  /** How a watch from a too-old resourceVersion is refused: an in-stream ERROR event (what the API server does) or HTTP 410. */
  goneMode: 'event' | 'http';
  openshift: boolean;
}

interface RequestInfo {
  path: string;
  query: URLSearchParams;
  method: string;
  def?: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  verb?: Verb;
  watch: boolean;
  /** A path under a group/version that names no resource we serve. */
  unknownResource?: boolean;
}

interface Watcher {
  id: number;
  def: ResourceDef;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  res: ServerResponse;
  include?: IncludeObject;
  headersSent: boolean;
  bookmarkTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
  closed: boolean;
  user: string;
}

interface Snapshot {
  id: string;
  rv: number;
  entries: Entry[];
  created: number;
}

export interface ServerOptions {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  version: VersionInfo;
  bookmarkMs: number;
  continueTtlMs: number;
  log: (line: string) => void;
  /** Handles /_simulator/<op> for the admin token. */
  control: (op: string, args: KObj, method: string) => Promise<unknown>;
}

const EXTRA_GROUPS = [
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
  { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview' },
];

function json(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function storageVersionHash(def: ResourceDef): string {
  return Buffer.from(sha256(`${def.group}/${def.version}/${def.kind}`).slice(0, 16), 'hex').toString('base64').slice(0, 11) + '=';
}

export class ApiServer {
  readonly users = new Map<string, TokenUser>(); // by token
  readonly faults: ServerFaults = { fail: [], latency: [], goneMode: 'event', openshift: true };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly watchers = new Map<ResourceDef, Set<Watcher>>();
  private readonly snapshots = new Map<string, Snapshot>();
  private nextWatcherId = 1;
  private boundPort = 0;
  private unsubscribe: (() => void) | undefined;
  /** Counts by status code and verb, for tests that check what clients did. */
  readonly stats = { requests: 0, byCode: new Map<number, number>(), byVerb: new Map<string, number>(), watchesOpened: 0 };

  constructor(
    private readonly api: ClusterApi,
    private readonly opts: ServerOptions,
  ) {}

  get port(): number {
    return this.boundPort;
  }
  get url(): string {
    return `https://${this.opts.host}:${this.boundPort}`;
  }
  get listening(): boolean {
    return !!this.server?.listening;
  }

  async listen(): Promise<void> {
    if (this.server?.listening) return;
    this.unsubscribe ??= this.api.store.onEvent((ev) => this.dispatch(ev));
    const server = createServer({ cert: this.opts.certPem, key: this.opts.keyPem }, (req, res) => {
      void this.handle(req, res);
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort || this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address();
    if (addr && typeof addr === 'object') this.boundPort = addr.port;
  }

  /** Stops listening and cuts every connection: the cluster becomes unreachable. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const set of this.watchers.values()) for (const w of set) this.closeWatcher(w, 'destroy');
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Watches (fault helpers)

  openWatchCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  /** Ends every open watch: `destroy` resets the connection mid-stream, `end` closes the stream cleanly. */
  dropWatches(mode: 'destroy' | 'end' = 'destroy'): number {
    let n = 0;
    for (const set of this.watchers.values())
      for (const w of [...set]) {
        this.closeWatcher(w, mode);
        n++;
      }
    return n;
  }

  /** Ends the open watches of one user (as a server-side watch timeout would); their reconnect then meets the token's fate. */
  dropWatchesOf(user: string, mode: 'destroy' | 'end' = 'end'): number {
    let n = 0;
    for (const set of this.watchers.values())
      for (const w of [...set])
        if (w.user === user) {
          this.closeWatcher(w, mode);
          n++;
        }
    return n;
  }

  /** Sends an in-stream 410 ERROR event to every open watch and ends it; the history is compacted too, so resuming gets 410. */
  expireWatches(): number {
    const rv = this.api.store.resourceVersion;
    let n = 0;
    for (const set of this.watchers.values())
      for (const w of [...set]) {
        this.writeEvent(w, 'ERROR', JSON.stringify(status(410, 'Expired', 'The resourceVersion for the provided watch is too old.')));
        this.closeWatcher(w, 'end');
        n++;
      }
    this.api.store.compact();
    this.opts.log(`faults: expired ${n} watches at resourceVersion ${rv}`);
    return n;
  }

  expireContinueTokens(): void {
    this.snapshots.clear();
  }

  private closeWatcher(w: Watcher, mode: 'destroy' | 'end'): void {
    if (w.closed) return;
    w.closed = true;
    if (w.bookmarkTimer) clearInterval(w.bookmarkTimer);
    if (w.timeoutTimer) clearTimeout(w.timeoutTimer);
    this.watchers.get(w.def)?.delete(w);
    if (mode === 'destroy') {
      w.res.socket?.destroy();
      w.res.destroy();
    } else w.res.end();
  }

  private writeEvent(w: Watcher, type: string, objectJson: string): void {
    if (w.closed) return;
    w.res.write(`{"type":"${type}","object":${objectJson}}\n`);
  }

  private eventObject(w: Watcher, entry: Entry): string {
    if (!w.include) return entry.json();
    const t = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: entry.obj.metadata.resourceVersion }, columnDefinitions: w.headersSent ? null : columnsFor(w.def), rows: [tableRow(w.def, entry, w.include)] };
    w.headersSent = true;
    return JSON.stringify(t);
  }

  private matches(w: Watcher, obj: KObj): boolean {
    if (w.namespace && obj.metadata.namespace !== w.namespace) return false;
    if (!matchesFieldRequirements(obj, w.fields)) return false;
    return matchesLabelRequirements(obj.metadata.labels, w.labels);
  }

  private deliver(w: Watcher, ev: StoreEvent): void {
    const now = this.matches(w, ev.entry.obj);
    const before = ev.prev ? this.matches(w, ev.prev.obj) : false;
    if (ev.type === 'ADDED') {
      if (now) this.writeEvent(w, 'ADDED', this.eventObject(w, ev.entry));
    } else if (ev.type === 'DELETED') {
      if (before || now) this.writeEvent(w, 'DELETED', this.eventObject(w, ev.entry));
    } else if (now && before) this.writeEvent(w, 'MODIFIED', this.eventObject(w, ev.entry));
    else if (now) this.writeEvent(w, 'ADDED', this.eventObject(w, ev.entry));
    else if (before) this.writeEvent(w, 'DELETED', this.eventObject(w, ev.entry));
  }

  private dispatch(ev: StoreEvent): void {
    const set = this.watchers.get(ev.entry.def);
    if (!set) return;
    for (const w of set) this.deliver(w, ev);
  }

  // -------------------------------------------------------------------------------------------
  // Request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    const url = new URL(req.url ?? '/', 'https://simulator');
    res.setHeader('Audit-Id', randomUUID());
    res.setHeader('Cache-Control', 'no-cache, private');
    res.setHeader('X-Kubernetes-Pf-Flowschema-Uid', '2c5a2b0a-6a7e-4a4b-9b8e-0d2c6a1e7f10');
    res.setHeader('X-Kubernetes-Pf-Prioritylevel-Uid', '7d3f4a1e-3b0c-4c77-8e9f-6a5b4c3d2e1f');
    const origEnd = res.writeHead.bind(res);
    res.writeHead = ((code: number, ...rest: unknown[]) => {
      this.stats.byCode.set(code, (this.stats.byCode.get(code) ?? 0) + 1);
      return (origEnd as (...a: unknown[]) => ServerResponse)(code, ...rest);
    }) as typeof res.writeHead;
    try {
      if (url.pathname.startsWith('/_simulator/')) return await this.handleControl(req, res, url);
      const info = this.parse(req.method ?? 'GET', url);
      if (info.def && info.verb) {
        const k = `${info.verb} ${info.def.resource}`;
        this.stats.byVerb.set(k, (this.stats.byVerb.get(k) ?? 0) + 1);
      }
      await this.applyLatency(info);
      const user = this.authenticate(req, info);
      this.applyFailures(info);
      await this.route(req, res, info, user);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof ApiError) return json(res, err.code, err.body, err.headers);
      this.opts.log(`server: ${req.method} ${req.url} failed: ${(err as Error).stack ?? err}`);
      json(res, 500, status(500, 'InternalError', `Internal error occurred: ${(err as Error).message}`));
    }
  }

  private parse(method: string, url: URL): RequestInfo {
    const info: RequestInfo = { path: url.pathname, query: url.searchParams, method, watch: false };
    const w = url.searchParams.get('watch');
    info.watch = w === 'true' || w === '1';
    let parts = url.pathname.split('/').filter(Boolean);
    let group: string;
    let version: string;
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      version = parts[1]!;
      parts = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1]!;
      version = parts[2]!;
      parts = parts.slice(3);
    } else return info;
    if (parts[0] === 'watch') {
      info.watch = true;
      parts = parts.slice(1);
    }
    if (!parts.length) return info;
    if (parts[0] === 'namespaces' && parts.length >= 3) {
      info.namespace = parts[1];
      parts = parts.slice(2);
    }
    const def = RESOURCES.find((d) => d.group === group && d.version === version && d.resource === parts[0]);
    if (!def) return { ...info, unknownResource: true };
    info.def = def;
    info.name = parts[1];
    info.subresource = parts[2];
    if (def.resource === 'namespaces' && info.namespace && !info.name) {
      // /api/v1/namespaces/<name>[/status] parsed as a namespace prefix; undo that.
      info.name = info.namespace;
      info.namespace = undefined;
    }
    const m = method.toUpperCase();
    if (m === 'GET') info.verb = info.name ? 'get' : info.watch ? 'watch' : 'list';
    else if (m === 'POST') info.verb = 'create';
    else if (m === 'PUT') info.verb = 'update';
    else if (m === 'PATCH') info.verb = 'patch';
    else if (m === 'DELETE') info.verb = info.name ? 'delete' : 'deletecollection';
    if (info.watch && info.name) {
      info.verb = 'watch';
    }
    return info;
  }

  private matchRule(match: RequestMatch | undefined, info: RequestInfo): boolean {
    if (!match) return true;
    if (match.resource && info.def?.resource !== match.resource) return false;
    if (match.verb && info.verb !== match.verb) return false;
    if (match.watch !== undefined && match.watch !== info.watch) return false;
    if (match.path && !info.path.includes(match.path)) return false;
    return true;
  }

  private async applyLatency(info: RequestInfo): Promise<void> {
    const now = Date.now();
    this.faults.latency = this.faults.latency.filter((l) => l.until === undefined || l.until > now);
    let ms = 0;
    for (const l of this.faults.latency) if (this.matchRule(l.match, info)) ms = Math.max(ms, l.ms);
    if (ms > 0) await sleep(ms);
  }

  private applyFailures(info: RequestInfo): void {
    const now = Date.now();
    this.faults.fail = this.faults.fail.filter((f) => (f.until === undefined || f.until > now) && (f.remaining === undefined || f.remaining > 0));
    for (const f of this.faults.fail) {
      if (!this.matchRule(f.match, info)) continue;
      if (f.remaining !== undefined) f.remaining--;
      throw this.faultError(f.status, f.message);
    }
  }

  private faultError(code: number, message?: string): ApiError {
    switch (code) {
      case 410:
        return apiError(410, 'Expired', message ?? `too old resource version: 1 (${this.api.store.oldestWatchableRv})`);
      case 429:
        return new ApiError(status(429, 'TooManyRequests', message ?? 'Too many requests, please try again later.', { retryAfterSeconds: 1 }), { 'Retry-After': '1' });
      case 503:
        return apiError(503, 'ServiceUnavailable', message ?? 'the server is currently unable to handle the request');
      case 504:
        return apiError(504, 'Timeout', message ?? 'Timeout: request did not complete within the allotted timeout');
      case 401:
        return apiError(401, 'Unauthorized', message ?? 'Unauthorized');
      case 403:
        return apiError(403, 'Forbidden', message ?? 'forbidden');
      default:
        return apiError(code, code >= 500 ? 'InternalError' : (STATUS_CODES[code] ?? 'Unknown').replace(/\s/g, ''), message ?? `Internal error occurred: simulated fault`);
    }
  }

  private authenticate(req: IncomingMessage, info: RequestInfo): TokenUser | undefined {
    const h = req.headers.authorization;
    if (!h) {
      if (['/version', '/healthz', '/readyz', '/livez', '/.well-known/oauth-authorization-server'].includes(info.path)) return undefined;
      throw apiError(403, 'Forbidden', `forbidden: User "system:anonymous" cannot get path "${info.path}"`, {});
    }
    const m = /^Bearer\s+(.+)$/i.exec(h);
    const user = m ? this.users.get(m[1]!.trim()) : undefined;
    if (!user || user.expired) throw apiError(401, 'Unauthorized', 'Unauthorized');
    return user;
  }

  /** RBAC as far as the simulator goes: everything is allowed unless a deny rule of the token matches. */
  authorize(user: TokenUser | undefined, verb: string, def: { group: string; resource: string; namespaced: boolean }, namespace?: string, name?: string, subresource?: string): string | undefined {
    const who = user?.user ?? 'system:anonymous';
    const denied = !user || user.deny.some((r) => (r.resources.includes('*') || r.resources.includes(def.resource)) && (!r.groups || r.groups.includes(def.group)) && (!r.verbs || r.verbs.includes('*') || r.verbs.includes(verb)));
    if (!denied) return undefined;
    const res = subresource ? `${def.resource}/${subresource}` : def.resource;
    const target = `${def.group ? `${def.resource}.${def.group}` : def.resource}${name ? ` "${name}"` : ''}`;
    const scope = def.namespaced && namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    return `${target} is forbidden: User "${who}" cannot ${verb} resource "${res}" in API group "${def.group}" ${scope}`;
  }

  private check(user: TokenUser | undefined, info: RequestInfo): void {
    if (!info.def || !info.verb) return;
    const msg = this.authorize(user, info.verb, info.def, info.namespace, info.name, info.subresource);
    if (msg) throw apiError(403, 'Forbidden', msg, { ...(info.name ? { name: info.name } : {}), group: info.def.group, kind: info.def.resource });
  }

  private served(def: ResourceDef): boolean {
    if (def.openshift && !this.faults.openshift) return false;
    if (def.minMinor !== undefined && this.opts.version.minor < def.minMinor) return false;
    return true;
  }

  private notFoundPath(): ApiError {
    return apiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 3 * 1024 * 1024) throw apiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private parseBody(req: IncomingMessage, text: string): KObj {
    const ct = (req.headers['content-type'] ?? 'application/json').toLowerCase();
    try {
      if (ct.includes('yaml')) return parseYaml(text) as KObj;
      return JSON.parse(text) as KObj;
    } catch (err) {
      throw apiError(400, 'BadRequest', `error decoding request body: ${(err as Error).message}`);
    }
  }

  private writeOptions(info: RequestInfo, user: TokenUser | undefined, req: IncomingMessage) {
    const dry = info.query.getAll('dryRun');
    if (dry.some((d) => d !== 'All')) throw apiError(400, 'BadRequest', `dryRun: Unsupported value: "${dry.find((d) => d !== 'All')}": supported values: "All"`);
    const fv = info.query.get('fieldValidation') ?? 'Ignore';
    const fieldValidation = fv === 'Strict' || fv === 'Warn' || fv === 'Ignore' ? fv : 'Ignore';
    const ua = String(req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
    return { dryRun: dry.includes('All'), fieldManager: info.query.get('fieldManager') ?? ua, fieldValidation, subresource: info.subresource, user: user?.user } as const;
  }

  private async route(req: IncomingMessage, res: ServerResponse, info: RequestInfo, user: TokenUser | undefined): Promise<void> {
    const p = info.path.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    if (p === '/version') return json(res, 200, this.versionBody());
    if (p === '/healthz' || p === '/readyz' || p === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    }
    if (p === '/.well-known/oauth-authorization-server' && this.faults.openshift) {
      return json(res, 200, { issuer: 'https://oauth-openshift.apps.sim.example.com', authorization_endpoint: 'https://oauth-openshift.apps.sim.example.com/oauth/authorize', token_endpoint: 'https://oauth-openshift.apps.sim.example.com/oauth/token' });
    }
    if (p === '/api' || p === '/apis' || (!info.def && !info.unknownResource && /^\/(api\/v1|apis\/[^/]+(\/[^/]+)?)$/.test(p))) return this.discovery(req, res, p);
    if (p === '/openapi/v3' || p.startsWith('/openapi/v3/')) return this.openapi(res, p);
    if (p === '/openapi/v2') throw this.notFoundPath();
    if (p === '/apis/user.openshift.io/v1/users/~' && this.faults.openshift && method === 'GET') {
      return json(res, 200, { kind: 'User', apiVersion: 'user.openshift.io/v1', metadata: { name: user?.user ?? 'system:anonymous' }, identities: [], groups: user?.groups ?? [] });
    }
    if (p === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' && method === 'POST') return this.ssar(req, res, user);
    if (p === '/apis/authentication.k8s.io/v1/selfsubjectreviews' && method === 'POST') {
      return json(res, 201, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: { username: user?.user, groups: user?.groups ?? [] } } });
    }
    const def = info.def;
    if (!def || !this.served(def) || !info.verb) throw this.notFoundPath();
    if (info.subresource && !(info.subresource === 'status' && def.statusSubresource)) throw this.notFoundPath();
    this.check(user, info);
    if (def.namespaced && !info.namespace && info.verb !== 'list' && info.verb !== 'watch') {
      throw apiError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    const ns = def.namespaced ? info.namespace : undefined;
    switch (info.verb) {
      case 'list':
        return this.list(req, res, info, def, ns);
      case 'watch':
        return this.watch(req, res, info, def, ns, user);
      case 'get': {
        const e = this.api.get(def, ns, info.name!);
        const include = this.tableRequested(req, info);
        if (include) return json(res, 200, table(def, [e], include, { resourceVersion: e.obj.metadata.resourceVersion }));
        return json(res, 200, e.json());
      }
      case 'create': {
        const body = this.parseBody(req, await this.readBody(req));
        const r = this.api.create(def, ns, body, this.writeOptions(info, user, req));
        return json(res, 201, r.entry ? r.entry.json() : r.object, this.warningHeaders(r.warnings));
      }
      case 'update': {
        const body = this.parseBody(req, await this.readBody(req));
        const r = this.api.update(def, ns, info.name!, body, this.writeOptions(info, user, req));
        return json(res, 200, r.entry ? r.entry.json() : r.object, this.warningHeaders(r.warnings));
      }
      case 'patch': {
        const text = await this.readBody(req);
        const r = this.api.patch(def, ns, info.name!, String(req.headers['content-type'] ?? ''), text, this.writeOptions(info, user, req));
        return json(res, r.created ? 201 : 200, r.entry ? r.entry.json() : r.object, this.warningHeaders(r.warnings));
      }
      case 'delete': {
        const text = await this.readBody(req);
        let preconditions: KObj | undefined;
        if (text.trim()) preconditions = this.parseBody(req, text).preconditions;
        const r = this.api.delete(def, ns, info.name!, { ...this.writeOptions(info, user, req), preconditions });
        if (r.returnObject) return json(res, 200, r.object);
        return json(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: info.name, kind: def.resource, uid: r.object.metadata.uid } });
      }
      default:
        throw apiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
  }

  private warningHeaders(warnings: string[]): Record<string, string> {
    if (!warnings.length) return {};
    return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
  }

  private versionBody(): KObj {
    const k = this.opts.version.kube;
    return {
      major: k.major,
      minor: k.minor,
      gitVersion: k.gitVersion,
      gitCommit: sha256(`kube:${k.gitVersion}`).slice(0, 40),
      gitTreeState: 'clean',
      buildDate: '2025-04-02T15:41:52Z',
      goVersion: 'go1.23.6 (Red Hat 1.23.6-1.el9_5) X:strictfipsruntime',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }

  private ssar(req: IncomingMessage, res: ServerResponse, user: TokenUser | undefined): Promise<void> {
    return this.readBody(req).then((text) => {
      const body = this.parseBody(req, text);
      const ra = body.spec?.resourceAttributes ?? {};
      const known = RESOURCES.find((d) => d.group === (ra.group ?? '') && d.resource === ra.resource);
      const namespaced = known ? known.namespaced : !!ra.namespace;
      const msg = this.authorize(user, ra.verb ?? 'get', { group: ra.group ?? '', resource: ra.resource ?? '', namespaced }, namespaced ? ra.namespace : undefined, ra.name, ra.subresource);
      json(res, 201, {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: body.spec ?? {},
        status: msg ? { allowed: false, reason: msg } : { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to Group "system:cluster-admins"' },
      });
    });
  }

  private tableRequested(req: IncomingMessage, info: RequestInfo): IncludeObject | undefined {
    const accept = String(req.headers.accept ?? '');
    const first = accept.split(',')[0] ?? '';
    if (!/as=Table/.test(first) || !/g=meta\.k8s\.io/.test(first)) return undefined;
    const inc = info.query.get('includeObject');
    return inc === 'None' || inc === 'Object' ? inc : 'Metadata';
  }

  // -------------------------------------------------------------------------------------------
  // Discovery

  private servedDefs(): ResourceDef[] {
    return RESOURCES.filter((d) => this.served(d));
  }

  private groups(): Array<{ group: string; version: string; defs: ResourceDef[] }> {
    const out: Array<{ group: string; version: string; defs: ResourceDef[] }> = [];
    for (const d of this.servedDefs()) {
      if (!d.group) continue;
      let g = out.find((x) => x.group === d.group && x.version === d.version);
      if (!g) out.push((g = { group: d.group, version: d.version, defs: [] }));
      g.defs.push(d);
    }
    return out;
  }

  private resourceList(groupVersion: string, defs: ResourceDef[]): KObj {
    const resources: KObj[] = [];
    for (const d of defs) {
      resources.push({
        name: d.resource,
        singularName: d.singular,
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: d.verbs,
        ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
        ...(d.categories ? { categories: d.categories } : {}),
        storageVersionHash: storageVersionHash(d),
      });
      if (d.statusSubresource) resources.push({ name: `${d.resource}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
    }
    for (const x of EXTRA_GROUPS) if (`${x.group}/${x.version}` === groupVersion) resources.push({ name: x.resource, singularName: '', namespaced: false, kind: x.kind, verbs: ['create'] });
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
  }

  private aggregatedResource(d: ResourceDef): KObj {
    const r: KObj = {
      resource: d.resource,
      responseKind: { group: d.group, version: d.version, kind: d.kind },
      scope: d.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: d.singular,
      verbs: d.verbs,
    };
    if (d.shortNames.length) r.shortNames = d.shortNames;
    if (d.categories) r.categories = d.categories;
    if (d.statusSubresource) r.subresources = [{ subresource: 'status', responseKind: { group: d.group, version: d.version, kind: d.kind }, verbs: ['get', 'patch', 'update'] }];
    return r;
  }

  private discovery(req: IncomingMessage, res: ServerResponse, p: string): void {
    const accept = String(req.headers.accept ?? '');
    const aggregated = /as=APIGroupDiscoveryList/.test(accept) && /g=apidiscovery\.k8s\.io/.test(accept);
    const headers = { Vary: 'Accept' };
    if (aggregated && (p === '/api' || p === '/apis')) {
      const v = /v=v2(?!beta)/.test(accept) ? 'v2' : 'v2beta1';
      const ct = `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
      let items: KObj[];
      if (p === '/api') {
        items = [{ metadata: { creationTimestamp: null }, versions: [{ version: 'v1', resources: this.servedDefs().filter((d) => !d.group).map((d) => this.aggregatedResource(d)), freshness: 'Current' }] }];
      } else {
        items = this.groups().map((g) => ({ metadata: { name: g.group, creationTimestamp: null }, versions: [{ version: g.version, resources: g.defs.map((d) => this.aggregatedResource(d)), freshness: 'Current' }] }));
        for (const x of EXTRA_GROUPS) {
          items.push({
            metadata: { name: x.group, creationTimestamp: null },
            versions: [{ version: x.version, resources: [{ resource: x.resource, responseKind: { group: x.group, version: x.version, kind: x.kind }, scope: 'Cluster', singularResource: x.resource.replace(/s$/, ''), verbs: ['create'] }], freshness: 'Current' }],
          });
        }
      }
      return json(res, 200, { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items }, { ...headers, 'Content-Type': ct });
    }
    if (p === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${this.opts.host}:${this.boundPort}` }] }, headers);
    const groupEntry = (group: string, version: string) => ({ name: group, versions: [{ groupVersion: `${group}/${version}`, version }], preferredVersion: { groupVersion: `${group}/${version}`, version } });
    if (p === '/apis') {
      const groups = [...this.groups().map((g) => groupEntry(g.group, g.version)), ...EXTRA_GROUPS.map((x) => groupEntry(x.group, x.version))];
      return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups }, headers);
    }
    if (p === '/api/v1') return json(res, 200, this.resourceList('v1', this.servedDefs().filter((d) => !d.group)), headers);
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(p);
    if (m) {
      const extra = EXTRA_GROUPS.find((x) => x.group === m[1] && (!m[2] || x.version === m[2]));
      const g = this.groups().find((x) => x.group === m[1] && (!m[2] || x.version === m[2]));
      if (!g && !extra) throw this.notFoundPath();
      const group = g?.group ?? extra!.group;
      const version = g?.version ?? extra!.version;
      if (!m[2]) return json(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, version) }, headers);
      return json(res, 200, this.resourceList(`${group}/${version}`, g?.defs ?? []), headers);
    }
    throw this.notFoundPath();
  }

  /**
   * Just enough OpenAPI v3 for kubectl to see that the server supports fieldValidation (it then
   * validates server-side instead of downloading schemas), plus the CRD schemas for `kubectl explain`.
   */
  private openapi(res: ServerResponse, p: string): void {
    const gvs = new Map<string, ResourceDef[]>();
    for (const d of this.servedDefs()) {
      const key = d.group ? `apis/${d.group}/${d.version}` : 'api/v1';
      gvs.set(key, [...(gvs.get(key) ?? []), d]);
    }
    if (p === '/openapi/v3') {
      const paths: KObj = {};
      for (const key of gvs.keys()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${sha256(key).slice(0, 32).toUpperCase()}` };
      return json(res, 200, { paths });
    }
    const key = p.slice('/openapi/v3/'.length);
    const defs = gvs.get(key);
    if (!defs) throw this.notFoundPath();
    const paths: KObj = {};
    const schemas: KObj = {};
    const param = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
    for (const d of defs) {
      const gvk = [{ group: d.group, version: d.version, kind: d.kind }];
      const schemaName = d.group ? `com.github.openshift.api.${d.group.split('.')[0]}.${d.version}.${d.kind}` : `io.k8s.api.core.v1.${d.kind}`;
      const base = `/${key}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.resource}`;
      const ref = { $ref: `#/components/schemas/${schemaName}` };
      const op = (action: string, extra: KObj = {}) => ({ operationId: `${action}${d.kind}`, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk[0], responses: { '200': { content: { 'application/json': { schema: ref } } } }, ...extra });
      paths[base] = { get: op('list'), post: op('post', { parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation')] }) };
      paths[`${base}/{name}`] = {
        get: op('get'),
        put: op('put', { parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation')] }),
        patch: op('patch', { parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation'), param('force')] }),
        delete: op('delete', { parameters: [param('dryRun')] }),
      };
      const crdSchema = this.api.validator.schemaFor(d);
      schemas[schemaName] = { ...(crdSchema ?? { type: 'object', description: `${d.kind} (schema not published by the simulator)` }), 'x-kubernetes-group-version-kind': gvk };
    }
    const k = this.opts.version.kube;
    return json(res, 200, { openapi: '3.0.0', info: { title: 'Kubernetes', version: k.gitVersion }, paths, components: { schemas } });
  }

  // -------------------------------------------------------------------------------------------
  // List and watch

  private selectors(info: RequestInfo): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
    try {
      return { labels: parseLabelSelector(info.query.get('labelSelector')), fields: parseFieldSelector(info.query.get('fieldSelector')) };
    } catch (err) {
      throw apiError(400, 'BadRequest', (err as Error).message);
    }
  }

  private list(req: IncomingMessage, res: ServerResponse, info: RequestInfo, def: ResourceDef, ns: string | undefined): void {
    const { labels, fields } = this.selectors(info);
    const limit = Number(info.query.get('limit') ?? 0) || 0;
    const cont = info.query.get('continue');
    let entries: Entry[];
    let offset = 0;
    let rv = this.api.store.resourceVersion;
    let snap: Snapshot | undefined;
    if (cont) {
      let token: KObj | undefined;
      try {
        token = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8'));
      } catch {
        token = undefined;
      }
      if (!token || typeof token.id !== 'string') throw apiError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      snap = this.snapshots.get(token.id);
      if (!snap || Date.now() - snap.created > this.opts.continueTtlMs) {
        if (snap) this.snapshots.delete(token.id);
        throw apiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          {},
        );
      }
      entries = snap.entries;
      offset = Number(token.o) || 0;
      rv = snap.rv;
    } else {
      entries = this.api.store.list(def, ns);
      if (labels.length || fields.length) entries = entries.filter((e) => matchesFieldRequirements(e.obj, fields) && matchesLabelRequirements(e.obj.metadata.labels, labels));
    }
    let page = entries;
    let next: string | undefined;
    let remaining: number | undefined;
    if (limit > 0 && entries.length - offset > limit) {
      if (!snap) {
        snap = { id: randomBytes(9).toString('base64url'), rv, entries: entries.slice(), created: Date.now() };
        this.snapshots.set(snap.id, snap);
        if (this.snapshots.size > 200) this.snapshots.delete(this.snapshots.keys().next().value!);
      }
      page = entries.slice(offset, offset + limit);
      next = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, id: snap.id, o: offset + limit })).toString('base64url');
      remaining = entries.length - offset - limit;
    } else if (offset > 0) page = entries.slice(offset);
    const meta: KObj = { resourceVersion: String(rv) };
    if (next) {
      meta.continue = next;
      meta.remainingItemCount = remaining;
    }
    const include = this.tableRequested(req, info);
    if (include) return json(res, 200, table(def, page, include, meta));
    // Each object's JSON bytes are cached, so a 5,000-node list is a few large memcpys.
    const head = Buffer.from(`{"kind":"${def.listKind}","apiVersion":"${apiVersionOf(def)}","metadata":${JSON.stringify(meta)},"items":[`);
    const comma = Buffer.from(',');
    const bufs: Buffer[] = [head];
    let length = head.length;
    page.forEach((e, i) => {
      const b = e.itemBuffer();
      if (i) bufs.push(comma);
      bufs.push(b);
      length += b.length + (i ? 1 : 0);
    });
    const tail = Buffer.from(']}');
    bufs.push(tail);
    length += tail.length;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': length });
    const CHUNK = 4 * 1024 * 1024;
    let chunk: Buffer[] = [];
    let size = 0;
    for (const b of bufs) {
      chunk.push(b);
      size += b.length;
      if (size >= CHUNK) {
        res.write(Buffer.concat(chunk, size));
        chunk = [];
        size = 0;
      }
    }
    res.end(chunk.length ? Buffer.concat(chunk, size) : undefined);
  }

  private watch(req: IncomingMessage, res: ServerResponse, info: RequestInfo, def: ResourceDef, ns: string | undefined, user: TokenUser | undefined): void {
    const { labels, fields } = this.selectors(info);
    if (info.name) fields.push({ path: 'metadata.name', op: '=', value: info.name });
    const rvParam = info.query.get('resourceVersion') ?? '';
    const sendInitial = info.query.get('sendInitialEvents') === 'true';
    const store = this.api.store;
    let replay: StoreEvent[] | undefined = [];
    let initial: Entry[] = [];
    if (sendInitial || rvParam === '' || rvParam === '0') {
      // The current state as ADDED events, then changes from now on.
      initial = store.list(def, ns).filter((e) => matchesFieldRequirements(e.obj, fields) && matchesLabelRequirements(e.obj.metadata.labels, labels));
    } else {
      const rv = Number(rvParam);
      if (!Number.isFinite(rv)) throw apiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
      replay = store.eventsSince(rv);
    }
    const gone = replay === undefined;
    const goneStatus = status(410, 'Expired', `too old resource version: ${rvParam} (${store.oldestWatchableRv})`);
    if (gone && this.faults.goneMode === 'http') return json(res, 410, goneStatus);
    this.stats.watchesOpened++;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders(); // clients wait for the headers before they read events
    res.socket?.setNoDelay(true);
    const w: Watcher = {
      id: this.nextWatcherId++,
      def,
      ...(ns ? { namespace: ns } : {}),
      labels,
      fields,
      res,
      ...(this.tableRequested(req, info) ? { include: this.tableRequested(req, info) } : {}),
      headersSent: false,
      closed: false,
      user: user?.user ?? '',
    };
    if (gone) {
      this.writeEvent(w, 'ERROR', JSON.stringify(goneStatus));
      w.closed = true;
      return void res.end();
    }
    for (const e of initial) this.writeEvent(w, 'ADDED', this.eventObject(w, e));
    const bookmark = (initialEnd = false) => {
      const meta: KObj = { resourceVersion: String(store.resourceVersion), creationTimestamp: null };
      if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
      this.writeEvent(w, 'BOOKMARK', JSON.stringify({ kind: def.kind, apiVersion: apiVersionOf(def), metadata: meta }));
    };
    if (sendInitial && info.query.get('allowWatchBookmarks') === 'true') bookmark(true);
    // The history holds every resource type's events; a resumed watch gets only its own.
    for (const ev of replay ?? []) if (ev.entry.def === def) this.deliver(w, ev);
    let set = this.watchers.get(def);
    if (!set) this.watchers.set(def, (set = new Set()));
    set.add(w);
    if (info.query.get('allowWatchBookmarks') === 'true') {
      w.bookmarkTimer = setInterval(() => bookmark(), this.opts.bookmarkMs);
      w.bookmarkTimer.unref();
    }
    const timeout = Number(info.query.get('timeoutSeconds') ?? 0);
    const ms = timeout > 0 ? timeout * 1000 : 30 * 60 * 1000;
    w.timeoutTimer = setTimeout(() => this.closeWatcher(w, 'end'), ms);
    w.timeoutTimer.unref();
    const cleanup = () => {
      if (w.closed) return;
      w.closed = true;
      if (w.bookmarkTimer) clearInterval(w.bookmarkTimer);
      if (w.timeoutTimer) clearTimeout(w.timeoutTimer);
      this.watchers.get(def)?.delete(w);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  // -------------------------------------------------------------------------------------------
  // Control endpoint

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const h = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(h)?.[1]?.trim();
    const user = token ? this.users.get(token) : undefined;
    if (!user || user.context !== 'admin') throw apiError(401, 'Unauthorized', 'the control endpoint needs the admin token');
    const op = url.pathname.slice('/_simulator/'.length).replace(/\/+$/, '');
    let args: KObj = {};
    if (req.method === 'POST' || req.method === 'PUT') {
      const text = await this.readBody(req);
      if (text.trim()) args = this.parseBody(req, text);
    }
    for (const [k, v] of url.searchParams) if (!(k in args)) args[k] = v;
    try {
      const result = await this.opts.control(op, args, req.method ?? 'GET');
      json(res, 200, { ok: true, op, result: result ?? null });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      json(res, 400, { ok: false, op, error: (err as Error).message });
    }
  }
}

