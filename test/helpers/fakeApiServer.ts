import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { stringify } from 'yaml';

/**
 * A tiny HTTP API server for tests that need one precise fault (a watch that goes silent, a 410 on the third page)
 * that the simulator does not offer at that granularity. Plain HTTP, reached with insecure-skip-tls-verify.
 */

export type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void | Promise<void>;

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

export class FakeApiServer {
  readonly requests: SeenRequest[] = [];
  handler: Handler = (_request, response) => json(response, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' });
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://fake');
      this.requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization: request.headers.authorization });
      void Promise.resolve(this.handler(request, response, url)).catch((error) => {
        if (!response.headersSent) json(response, 500, { kind: 'Status', code: 500, message: String(error) });
      });
    });
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A one-context kubeconfig for this server. */
  kubeconfig(token = 'fake-token', context = 'fake'): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': context,
      clusters: [{ name: 'fake-cluster', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake-user', user: { token } }],
      contexts: [{ name: context, context: { cluster: 'fake-cluster', user: 'fake-user' } }],
    });
  }

  watches(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path && r.query.get('watch') === '1');
  }

  lists(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path && r.query.get('watch') !== '1');
  }
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

export function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}

/** Opens a watch response: chunked NDJSON, headers flushed. */
export function openWatch(response: ServerResponse): (type: string, object: unknown) => void {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  response.flushHeaders();
  return (type, object) => {
    if (!response.writableEnded) response.write(`${JSON.stringify({ type, object })}\n`);
  };
}

export function node(name: string, resourceVersion: string, labels: Record<string, string> = { 'node-role.kubernetes.io/worker': '' }, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: { name, uid: `uid-${name}`, resourceVersion, labels, annotations, managedFields: [{ manager: 'kubelet', fieldsV1: { big: 'x'.repeat(100) } }] },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True' }], images: [{ names: ['x'], sizeBytes: 1 }] },
  };
}

export function nodeList(resourceVersion: string, items: unknown[], continueToken?: string): Record<string, unknown> {
  return { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) }, items };
}

export function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}
