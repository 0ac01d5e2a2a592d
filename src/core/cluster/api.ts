import type { Problem } from '../problem';

/**
 * What the cluster code needs from an HTTP client, and how its failures are named. The implementation over
 * @kubernetes/client-node's authentication lives in transport.ts (inside the lazily loaded cluster bundle); everything
 * else (informers, the store, the session, writes) only sees this interface.
 */

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON body (serialized here) or a string sent as is. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Overrides the transport's request timeout. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ApiResponse {
  readonly status: number;
  readonly text: string;
}

/** An open watch: its HTTP status and, when 200, the body as text chunks. */
export interface WatchResponse {
  readonly status: number;
  /** Body text of a non-200 answer (a Status object, usually). */
  readonly text: string;
  /** Only for 200: the body in chunks as they arrive. Ends when the server closes the stream. */
  readonly chunks: AsyncIterable<string> | undefined;
}

export interface Transport {
  readonly context: string;
  readonly server: string;
  /** Sends a request and reads the whole answer. Throws ClusterRequestError when no HTTP answer arrived. */
  request(path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Opens a watch (`watch=1` is added). The timeout covers the response headers only; the caller watches for silence. */
  watch(path: string, query: Readonly<Record<string, string | number | boolean | undefined>>, signal: AbortSignal): Promise<WatchResponse>;
  /** Aborts every request in flight and closes the connections. */
  dispose(): void;
}

export type FailureKind =
  | 'unreachable' // no TCP connection, DNS failure, connection reset
  | 'timeout' // no answer in time
  | 'tls' // certificate not trusted, wrong host name
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'notFound' // 404 on an object
  | 'notServed' // 404 on a collection: the API group or resource does not exist
  | 'gone' // 410: resourceVersion or continue token too old
  | 'conflict' // 409
  | 'invalid' // 400 / 422
  | 'server' // 5xx, 429
  | 'credentials' // the exec credential plugin or auth provider failed
  | 'config' // the kubeconfig cannot be used
  | 'aborted' // we cancelled it
  | 'other';

export interface StatusDetails {
  readonly status?: number;
  readonly reason?: string;
  /** The Status message the API server sent. */
  readonly message?: string;
  readonly causes?: readonly { readonly field?: string; readonly message?: string; readonly reason?: string }[];
  /** Network error code, e.g. ECONNREFUSED. */
  readonly code?: string;
}

export class ClusterRequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: StatusDetails = {},
  ) {
    super(message);
    this.name = 'ClusterRequestError';
  }
}

type Json = Record<string, unknown>;

/** Parses a Kubernetes Status body, if it is one. */
export function parseStatus(text: string): StatusDetails {
  try {
    const body = JSON.parse(text) as Json;
    if (body && typeof body === 'object') {
      const details = (body.details ?? {}) as Json;
      const causes = Array.isArray(details.causes) ? (details.causes as Json[]).map((c) => ({ field: str(c.field), message: str(c.message), reason: str(c.reason) })) : undefined;
      return { status: typeof body.code === 'number' ? body.code : undefined, reason: str(body.reason), message: str(body.message), causes };
    }
  } catch {
    // not JSON: an HTML error page from a proxy, or plain text
  }
  const trimmed = text.trim();
  return trimmed ? { message: trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed } : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The failure an HTTP error status stands for. `collection`: the request was for a list or watch, where 404 means the resource type is not served. */
export function errorForStatus(status: number, text: string, collection: boolean): ClusterRequestError {
  const details = { ...parseStatus(text), status };
  const kind: FailureKind =
    status === 401 ? 'unauthorized'
    // Forbidden to "system:anonymous": no credentials reached the server, which is a login problem, not RBAC.
    : status === 403 ? (isAnonymous(details.message) ? 'unauthorized' : 'forbidden')
    : status === 404 ? (collection ? 'notServed' : 'notFound')
    : status === 409 ? 'conflict'
    : status === 410 ? 'gone'
    : status === 400 || status === 422 ? 'invalid'
    : status === 429 || status >= 500 ? 'server'
    : 'other';
  return new ClusterRequestError(kind, details.message ? `${status} ${details.reason ?? ''}: ${details.message}`.replace(/ :/, ':') : `HTTP ${status}`, details);
}

function isAnonymous(message: string | undefined): boolean {
  return message !== undefined && message.includes('"system:anonymous"');
}

/** Reads a JSON answer or throws the failure its status stands for. */
export function jsonOrThrow<T>(response: ApiResponse, collection: boolean): T {
  if (response.status < 200 || response.status >= 300) throw errorForStatus(response.status, response.text, collection);
  try {
    return JSON.parse(response.text) as T;
  } catch (error) {
    throw new ClusterRequestError('other', `the server answered ${response.status} with a body that is not JSON (${(error as Error).message})`, { status: response.status });
  }
}

export function asClusterError(error: unknown): ClusterRequestError {
  if (error instanceof ClusterRequestError) return error;
  return new ClusterRequestError('other', error instanceof Error ? error.message : String(error));
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH)/;

/** Names a failure that produced no HTTP answer (undici's `fetch failed` and its cause). */
export function classifyNetworkError(error: unknown, timedOut: boolean): ClusterRequestError {
  if (error instanceof ClusterRequestError) return error;
  if (timedOut) return new ClusterRequestError('timeout', 'no answer in time', { code: 'TIMEOUT' });
  const chain: unknown[] = [];
  for (let e: unknown = error; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  for (const e of chain) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : String(e);
    if (typeof code === 'string') {
      if (TLS_CODES.test(code)) return new ClusterRequestError('tls', message, { code });
      if (TIMEOUT_CODES.has(code)) return new ClusterRequestError('timeout', message, { code });
      if (NETWORK_CODES.has(code)) return new ClusterRequestError('unreachable', message, { code });
    }
    if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) return new ClusterRequestError(e.name === 'TimeoutError' ? 'timeout' : 'aborted', message);
  }
  const last = chain[chain.length - 1];
  const message = last instanceof Error ? last.message : String(last);
  const code = (last as { code?: unknown })?.code;
  // "other side closed", "terminated" and friends: the connection went away.
  if (/closed|terminated|socket|reset/i.test(message)) return new ClusterRequestError('unreachable', message, typeof code === 'string' ? { code } : {});
  return new ClusterRequestError('other', message, typeof code === 'string' ? { code } : {});
}

/** Who is asking, for messages. */
export interface Target {
  readonly context: string;
  readonly server: string;
  /** e.g. "list machineconfigpools" */
  readonly action?: string;
  readonly timeoutSeconds?: number;
}

/** A failure as something the user can act on. */
export function problemFor(error: ClusterRequestError, target: Target): Problem {
  const action = target.action ?? 'talk to the cluster';
  const statusMessage = error.details.message ?? error.message;
  switch (error.kind) {
    case 'unreachable':
      return {
        what: `Cannot reach the cluster ${target.server}`,
        why: `${error.details.code ? `${error.details.code}: ` : ''}${error.message}`,
        next: 'Check the network, VPN or proxy and that the cluster is up. The view keeps retrying by itself; Retry tries now.',
      };
    case 'timeout':
      return {
        what: `The cluster ${target.server} did not answer`,
        why: `no answer within ${target.timeoutSeconds ?? '?'} s while trying to ${action}`,
        next: 'Check the network, VPN or proxy. The view keeps retrying by itself; raise rhcosLayering.cluster.requestTimeoutSeconds for a slow link.',
      };
    case 'tls':
      return {
        what: `Cannot open a trusted connection to ${target.server}`,
        why: `${error.details.code ?? 'TLS'}: ${error.message}`,
        next: `The server certificate does not match the kubeconfig's certificate-authority. Log in again with \`oc login ${target.server}\`, or fix certificate-authority in the kubeconfig.`,
      };
    case 'unauthorized':
      if (error.details.status === 403) {
        return {
          what: `Context ${target.context}: no credentials reached the cluster (it answered as to system:anonymous)`,
          why: 'the kubeconfig user has no token, or none could be obtained (an expired OIDC id-token without a refresh token, for example)',
          next: `Log in again with \`oc login ${target.server}\`; the view reconnects when the kubeconfig changes.`,
        };
      }
      return {
        what: `Context ${target.context}: the cluster rejected the credentials (401 Unauthorized)`,
        why: 'the token has expired or was revoked (oc login tokens last 24 hours by default)',
        next: `Log in again with \`oc login ${target.server}\`; the view reconnects when the kubeconfig changes.`,
      };
    case 'forbidden':
      return {
        what: `Not allowed to ${action}`,
        why: statusMessage,
        next: 'Ask a cluster administrator for this permission. The rest of the view keeps working.',
      };
    case 'notServed':
      return {
        what: `The cluster does not serve what is needed to ${action}`,
        why: `404: ${statusMessage}`,
        next: 'This API is not installed on the cluster.',
      };
    case 'credentials':
      return {
        what: `Context ${target.context}: the credential plugin failed`,
        why: error.message || 'it exited without saying why',
        next: 'Run the plugin command from the kubeconfig in a terminal (or `oc login`) to log in again, then Retry.',
      };
    case 'config':
      return { what: `Context ${target.context} cannot be used`, why: error.message, next: 'Fix the kubeconfig, or log in again with `oc login`.' };
    case 'server':
      return {
        what: `The cluster failed to ${action}`,
        why: `${error.details.status ?? ''} ${statusMessage}`.trim(),
        next: 'This is usually temporary; the view retries by itself.',
      };
    case 'invalid':
      return {
        what: `The cluster refused to ${action}`,
        why: [statusMessage, ...(error.details.causes ?? []).map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`)].filter((s, i, all) => s && all.indexOf(s) === i).join('; '),
        next: 'Fix the object and try again.',
      };
    case 'conflict':
      return { what: `Could not ${action}`, why: statusMessage, next: 'The object changed or already exists; refresh and try again.' };
    case 'gone':
      return { what: `Could not ${action}`, why: statusMessage, next: 'The view lists again by itself.' };
    case 'notFound':
      return { what: `Could not ${action}`, why: statusMessage, next: 'The object no longer exists; refresh the view.' };
    default:
      return { what: `Could not ${action}`, why: statusMessage, next: 'Retry; if it keeps failing, see the RHCOS Layering output.' };
  }
}
