// Helpers for tests that drive the simulator with real clients: kubectl, @kubernetes/client-node
// and plain HTTPS requests.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from './index';

export const KUBECTL_INSTALL = 'apt-get install kubernetes-client';

/** The kubectl on PATH, or an error that says how to install one. */
export function requireKubectl(): string {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20000 });
    return 'kubectl';
  } catch (err) {
    throw new Error(`kubectl is needed for these tests but was not found or does not run (${(err as Error).message}); install it with: ${KUBECTL_INSTALL}`);
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

const cacheDirs = new WeakMap<Simulator, string>();

/** Runs kubectl against the simulator's kubeconfig, with a discovery cache of its own. */
export function kubectl(sim: Simulator, args: string[], opts: { context?: string; input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  let cache = cacheDirs.get(sim);
  if (!cache) cacheDirs.set(sim, (cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'))));
  const full = ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cache, ...(opts.context ? ['--context', opts.context] : []), ...args];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile('kubectl', full, { timeout: opts.timeoutMs ?? 30000, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, KUBECONFIG: sim.kubeconfigPath, ...opts.env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = unknown>(): T;
}

/** A plain HTTPS request to the simulator with a context's token (or none). */
export function raw(sim: Simulator, method: string, path: string, opts: { context?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const url = new URL(path, sim.url);
  const context = opts.context === undefined ? 'admin' : opts.context;
  const text = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  if (context) headers.Authorization = `Bearer ${sim.contexts[context]!.token}`;
  if (text !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(text));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: sim.caPem, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(text);
  });
}

type ClientNode = typeof import('@kubernetes/client-node');

let clientNode: ClientNode | undefined;

/** @kubernetes/client-node (ESM), loaded once. */
export async function loadClientNode(): Promise<ClientNode> {
  clientNode ??= await import('@kubernetes/client-node');
  return clientNode;
}

/** A KubeConfig for one context of the simulator (one KubeConfig per context, never switched). */
export async function kubeConfig(sim: Simulator, context = 'admin') {
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  kc.setCurrentContext(context);
  return { k8s, kc };
}

/** The HTTP status of an error thrown by client-node, whatever its shape. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The Status body of an error thrown by client-node. */
export function statusBodyOf(err: unknown): { message?: string; reason?: string; code?: number; details?: { causes?: Array<{ field?: string; message?: string; reason?: string }> } } {
  const b = (err as { body?: unknown })?.body;
  if (typeof b === 'string') {
    try {
      return JSON.parse(b);
    } catch {
      return { message: b };
    }
  }
  return (b as object) ?? {};
}

export function until(pred: () => boolean, timeoutMs = 10000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}
