/**
 * A small HTTP(S) client for registry requests: node:http/https, a byte cap on bodies, an
 * AbortSignal, per-request TLS settings. Never throws: network failures come back as values
 * with the Node error code, for `registryProtocol.ts` to turn into Problems.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { redactProxyUrl } from '../proxyEnvironment';

export interface HttpRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Bodies longer than this fail with `too-large` without being read further. */
  readonly maxBytes: number;
  readonly signal: AbortSignal;
  /** Extra trusted CA certificates (PEM), added to Node's default roots. */
  readonly ca?: readonly (string | Buffer)[];
  /** A client certificate and key (PEM) for registries that ask for one. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** False for insecure registries: accept any certificate. */
  readonly verifyTls: boolean;
  /** An http:// proxy to go through (CONNECT for https:// URLs, absolute-URI requests for http:// ones). */
  readonly proxy?: string;
}

export interface HttpResponse {
  readonly url: URL;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export type HttpFailure =
  | { readonly kind: 'aborted' }
  | { readonly kind: 'too-large'; readonly declared?: number; readonly received: number; readonly limit: number; readonly status: number; readonly contentType?: string }
  | { readonly kind: 'network'; readonly code: string; readonly message: string };

export type HttpOutcome = { readonly ok: true; readonly response: HttpResponse } | { readonly ok: false; readonly failure: HttpFailure };

let rootCertificates: readonly string[] | undefined;

export function sendRequest(request: HttpRequest): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    if (request.signal.aborted) {
      finish({ ok: false, failure: { kind: 'aborted' } });
      return;
    }
    const secure = request.url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: request.method,
      headers: { ...request.headers, ...(request.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(request.body)) } : {}) },
    };
    if (secure) {
      options.rejectUnauthorized = request.verifyTls;
      if (request.ca && request.ca.length > 0) {
        // `ca` replaces Node's default roots, so add them back.
        rootCertificates ??= tls.rootCertificates;
        options.ca = [...rootCertificates, ...request.ca.map((cert) => cert.toString())];
      }
      if (request.clientCertificate) {
        options.cert = request.clientCertificate.cert;
        options.key = request.clientCertificate.key;
      }
    }
    if (request.proxy) {
      const routed = throughProxy(request, options, secure);
      if (!routed.ok) {
        finish(routed);
        return;
      }
    }
    let req: http.ClientRequest;
    try {
      req = (secure ? https : http).request(request.url, options, (res) => {
        const status = res.statusCode ?? 0;
        const contentType = res.headers['content-type'];
        const declared = Number(res.headers['content-length']);
        const tooLarge = (received: number, declaredSize?: number) => {
          // Settle first: destroying the response emits 'aborted' synchronously.
          finish({
            ok: false,
            failure: { kind: 'too-large', received, limit: request.maxBytes, status, ...(declaredSize !== undefined ? { declared: declaredSize } : {}), ...(contentType ? { contentType } : {}) },
          });
          res.destroy();
        };
        if (request.method !== 'HEAD' && Number.isFinite(declared) && declared > request.maxBytes) {
          tooLarge(0, declared);
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          if (received > request.maxBytes) {
            tooLarge(received);
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => finish({ ok: true, response: { url: request.url, status, headers: res.headers, body: Buffer.concat(chunks) } }));
        res.on('error', (error: NodeJS.ErrnoException) => finish(networkFailure(error)));
        res.on('aborted', () => finish({ ok: false, failure: { kind: 'network', code: 'ECONNRESET', message: 'the connection closed before the response was complete' } }));
      });
    } catch (error) {
      finish(networkFailure(error as NodeJS.ErrnoException));
      return;
    }
    req.on('error', (error: NodeJS.ErrnoException) => finish(request.signal.aborted ? { ok: false, failure: { kind: 'aborted' } } : networkFailure(error)));
    function onAbort() {
      finish({ ok: false, failure: { kind: 'aborted' } });
      req.destroy();
    }
    request.signal.addEventListener('abort', onAbort, { once: true });
    req.end(request.body);
  });
}

/**
 * Routes the request through an http:// proxy, as Go's net/http does for HTTPS_PROXY: a CONNECT tunnel to the
 * registry for https (TLS to the registry inside it), the absolute URL as the request path for http. Failures to use
 * the proxy carry the code EPROXY, so they are not mistaken for the registry's own.
 */
function throughProxy(request: HttpRequest, options: https.RequestOptions, secure: boolean): { ok: true } | { ok: false; failure: HttpFailure } {
  let proxy: URL;
  try {
    proxy = new URL(request.proxy!);
  } catch {
    return { ok: false, failure: { kind: 'network', code: 'EPROXY', message: `the proxy URL ${redactProxyUrl(request.proxy!)} cannot be parsed` } };
  }
  if (proxy.protocol !== 'http:') {
    return { ok: false, failure: { kind: 'network', code: 'EPROXY', message: `${proxy.protocol.replace(':', '')} proxies (${redactProxyUrl(request.proxy!)}) are not supported for registry requests; use an http:// proxy` } };
  }
  const proxyAuthorization = proxy.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` } : {};
  const proxyPort = Number(proxy.port || 80);
  const target = request.url;
  if (!secure) {
    Object.assign(options, { hostname: proxy.hostname, port: proxyPort, path: target.href, agent: false });
    options.headers = { ...options.headers, Host: target.host, ...proxyAuthorization };
    return { ok: true };
  }
  // URL keeps IPv6 addresses in brackets, which CONNECT wants and TLS does not.
  const authority = `${target.hostname}:${target.port || 443}`;
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  // No agent: ClientRequest uses createConnection only when none is given (agent: false would make a new one).
  delete options.agent;
  options.createConnection = (_, oncreate) => {
    const callback = (error: Error | null, socket?: tls.TLSSocket): void => oncreate(error, socket as tls.TLSSocket);
    const connectRequest = http.request({ hostname: proxy.hostname, port: proxyPort, method: 'CONNECT', path: authority, headers: { Host: authority, ...proxyAuthorization }, agent: false, signal: request.signal });
    const proxyError = (message: string) => Object.assign(new Error(`the proxy ${redactProxyUrl(request.proxy!)} ${message}`), { code: 'EPROXY' });
    connectRequest.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        callback(proxyError(`answered ${response.statusCode} ${response.statusMessage ?? ''} to CONNECT ${authority}`.trim()));
        return;
      }
      callback(null, tls.connect({ socket, ...(isIP(hostname) ? {} : { servername: hostname }), rejectUnauthorized: options.rejectUnauthorized ?? true, ...(options.ca ? { ca: options.ca } : {}), ...(options.cert ? { cert: options.cert, key: options.key } : {}) }));
    });
    connectRequest.once('error', (error: NodeJS.ErrnoException) => callback(proxyError(`cannot be reached (${error.code ?? error.message})`)));
    connectRequest.end();
    return undefined;
  };
  return { ok: true };
}

function networkFailure(error: NodeJS.ErrnoException): HttpOutcome {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  const code = error.code ?? cause?.code ?? 'UNKNOWN';
  return { ok: false, failure: { kind: 'network', code, message: error.message } };
}
