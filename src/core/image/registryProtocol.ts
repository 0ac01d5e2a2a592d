/**
 * Talking to one registry's /v2/ API for one image: https or (for insecure registries that do not speak TLS) http,
 * registries.conf and certs.d read once, proxies as the Go tools read them, one deadline for the whole exchange,
 * redirects, and the auth challenge answered once (authChallenge.ts). Every transport failure becomes a Problem that
 * says what to check.
 */
import { fail, ok, type Problem, type Result } from '../problem';
import { proxyFromEnvironment } from '../proxyEnvironment';
import { ChallengeResponder, parseChallenge, type TokenTransport } from './authChallenge';
import { findRegistryTlsFiles, type RegistryTlsFiles } from './certificates';
import { sendRequest, type HttpFailure, type HttpOutcome, type HttpRequest, type HttpResponse } from './http';
import { apiHost, type ImageReference } from './reference';
import { matchesInsecurePrefix, readInsecureRegistries } from './registriesConf';
import { firstHeader, formatBytes, MAX_AUX_BYTES, registryErrorText } from './registryResponses';
import { RegistrySession } from './registrySession';
import type { ResolveOptions } from './registry';

export const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'rhcos-layering (vscode extension)';

const defaultSession = new RegistrySession();

/** Whether `registry` (`host[:port]`) is listed as insecure. An entry without a port matches every port; paths are ignored. */
export function isInsecureRegistry(registry: string, insecure: readonly string[] = []): boolean {
  return matchesInsecurePrefix(registry, '', insecure.map((entry) => entry.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '')));
}

/** Everything one resolution needs to reach the registry; built once per `resolveDigest` call, disposed after it. */
export class RegistryConnection implements TokenTransport {
  readonly host: string;
  readonly what: string;
  /** Settled by loadHostConfiguration (registries.conf may add to the option). */
  insecure: boolean;
  readonly session: RegistrySession;
  readonly auth: ChallengeResponder;
  private tlsFiles: RegistryTlsFiles | undefined;
  private readonly controller = new AbortController();
  private readonly timeoutMs: number;
  private timedOut = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly ref: ImageReference,
    readonly options: ResolveOptions,
  ) {
    this.host = apiHost(ref.registry);
    this.what = `Could not resolve ${ref.original} to a digest`;
    this.insecure = isInsecureRegistry(ref.registry, options.insecureRegistries) || isInsecureRegistry(this.host, options.insecureRegistries);
    this.session = options.session ?? defaultSession;
    this.auth = new ChallengeResponder(ref, options, this.session, this);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
    this.timer.unref?.();
    if (options.signal) {
      if (options.signal.aborted) this.controller.abort();
      else options.signal.addEventListener('abort', () => this.controller.abort(), { once: true, signal: this.controller.signal });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  problem(why: string, next: string): Problem {
    return { what: this.what, why, next };
  }

  /** Turns a transport failure into a Problem. */
  describeFailure(failure: HttpFailure, url: URL, purpose: 'manifest' | 'token' = 'manifest'): Problem {
    const host = url.host;
    if (failure.kind === 'aborted') {
      return this.timedOut
        ? this.problem(
            `${host} did not answer within ${this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`}`,
            'Check the network (VPN, proxy, firewall) and that the registry is up, or raise rhcosLayering.registry.timeoutSeconds.',
          )
        : { what: `Resolving ${this.ref.original} was cancelled`, why: 'the request was cancelled', next: 'Run the command again when needed.' };
    }
    if (failure.kind === 'too-large') {
      const size = failure.declared ?? failure.received;
      const sizeText = failure.declared !== undefined ? `${formatBytes(size)}` : `more than ${formatBytes(failure.limit)}`;
      return this.problem(
        `the ${purpose === 'token' ? 'token service' : 'registry'} answered with ${sizeText}${failure.contentType ? ` of ${failure.contentType.split(';')[0]}` : ''}, over the ${formatBytes(failure.limit)} limit for a ${purpose === 'token' ? 'token' : 'manifest'}`,
        'This is not a normal image manifest: check that the reference and registry are right, and that no proxy answers instead of the registry.',
      );
    }
    return describeNetworkFailure(failure.code, failure.message, url, this.problem.bind(this), this.insecure, this.tlsFiles?.clientCertificate?.file);
  }

  /** Any request of this resolution (registry API or token service), with its TLS files, proxy, user agent and deadline. */
  send(request: { url: URL; method: 'GET' | 'HEAD' | 'POST'; headers: Record<string, string>; body?: string; maxBytes: number; verifyTls: boolean }): Promise<HttpOutcome> {
    return sendRequest({
      ...request,
      headers: { 'User-Agent': this.options.userAgent ?? USER_AGENT, ...request.headers },
      signal: this.signal,
      ...this.tlsRequestOptions(),
      ...this.proxyFor(request.url),
    });
  }

  /** Reads registries.conf and the registry's certs.d files once, before the first request. */
  async loadHostConfiguration(): Promise<Result<void>> {
    if (!this.insecure && this.options.registriesConf !== false) {
      const conf = await readInsecureRegistries(this.options.registriesConf ?? {});
      this.insecure = matchesInsecurePrefix(this.ref.registry, this.ref.repository, conf.prefixes);
    }
    if (this.options.certificates === false) return ok(undefined);
    const found = await findRegistryTlsFiles(this.ref.registry, this.options.certificates ?? {});
    if (!found.ok) return fail(this.what, found.problem.why, found.problem.next);
    this.tlsFiles = found.value;
    return ok(undefined);
  }

  /** The base URL, choosing https or (for insecure registries that do not speak TLS) http. */
  async baseUrl(): Promise<Result<string>> {
    const known = this.session.getScheme(this.host);
    if (known) return ok(`${known}://${this.host}`);
    if (!this.insecure) return ok(`https://${this.host}`);
    // As containers/image does for insecure registries: try TLS (unverified) first, then plain HTTP.
    const probe = await this.sendToRegistry('GET', new URL(`https://${this.host}/v2/`), {}, MAX_AUX_BYTES);
    if (probe.ok || probe.failure.kind === 'too-large') {
      this.session.setScheme(this.host, 'https');
      return ok(`https://${this.host}`);
    }
    if (probe.failure.kind === 'aborted') return { ok: false, problem: this.describeFailure(probe.failure, new URL(`https://${this.host}/v2/`)) };
    this.session.setScheme(this.host, 'http');
    return ok(`http://${this.host}`);
  }

  /**
   * Sends a registry API request, answering auth challenges (once) and following redirects.
   * Returns the final response, whatever its status other than an unanswerable 401.
   */
  async request(method: 'GET' | 'HEAD', url: URL, maxBytes: number, accept: string): Promise<Result<HttpResponse>> {
    const auth = this.auth;
    let challenge = this.session.getChallenge(this.host);
    let answered = false;
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { Accept: accept };
      const sameHost = current.host === url.host;
      if (challenge && sameHost) {
        const authorization = await auth.authorization(challenge);
        if (!authorization.ok) return authorization;
        if (authorization.value) headers.Authorization = authorization.value;
      }
      const outcome = await this.sendToRegistry(method, current, headers, maxBytes);
      if (!outcome.ok) return { ok: false, problem: this.describeFailure(outcome.failure, current) };
      const response = outcome.response;
      if (response.status === 401 && sameHost) {
        const offered = parseChallenge(firstHeader(response.headers['www-authenticate']));
        if (answered || !offered) {
          if (!offered && !answered) {
            return fail(this.what, `the registry answered 401 Unauthorized without a Basic or Bearer challenge`, auth.loginHint());
          }
          // We answered and still got 401: with a cached token, it may just be stale. Otherwise, bad credentials.
          if (challenge) auth.forgetToken(challenge, auth.credentialUsed);
          return { ok: false, problem: auth.unauthorized(registryErrorText(response.body)) };
        }
        const found = await auth.credential();
        if (!found.ok) return found;
        if (offered.scheme === 'basic' && (!found.value || found.value.identityToken)) {
          return { ok: false, problem: auth.unauthorized() };
        }
        const hadChallenge = challenge !== undefined;
        challenge = offered;
        this.session.setChallenge(this.host, offered);
        answered = true;
        if (hadChallenge) auth.forgetToken(offered, found.value);
        hop--;
        continue;
      }
      if ([301, 302, 303, 307, 308].includes(response.status)) {
        const location = firstHeader(response.headers.location);
        if (!location) return fail(this.what, `the registry answered ${response.status} without a Location`, 'The registry or a proxy is misconfigured.');
        current = new URL(location, current);
        continue;
      }
      return ok(response);
    }
    return fail(this.what, `the registry redirected more than ${MAX_REDIRECTS} times`, 'Check the registry host; a proxy or login page may be redirecting.');
  }

  private sendToRegistry(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, maxBytes: number): Promise<HttpOutcome> {
    return this.send({ url, method, headers, maxBytes, verifyTls: !this.insecure });
  }

  /** The proxy for a URL, from the proxy variables as the Go tools read them. */
  private proxyFor(url: URL): Pick<HttpRequest, 'proxy'> {
    const proxy = proxyFromEnvironment(url.href, this.options.proxyEnv ?? process.env);
    return proxy ? { proxy: proxy.url } : {};
  }

  /** The extra CAs and client certificate for a request: the caller's, then the certs.d directory's. */
  private tlsRequestOptions(): Pick<HttpRequest, 'ca' | 'clientCertificate'> {
    const ca = [...(this.options.caCertificates ?? []), ...(this.tlsFiles?.ca ?? [])];
    const client = this.tlsFiles?.clientCertificate;
    return { ...(ca.length > 0 ? { ca } : {}), ...(client ? { clientCertificate: { cert: client.cert, key: client.key } } : {}) };
  }
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const TLS_NOT_SPOKEN = new Set(['EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);

const CLIENT_CERTIFICATE_REFUSED = /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA)/;

function describeNetworkFailure(code: string, message: string, url: URL, problem: (why: string, next: string) => Problem, insecure: boolean, clientCertificateFile?: string): Problem {
  const host = url.host;
  if (CLIENT_CERTIFICATE_REFUSED.test(code)) {
    return clientCertificateFile
      ? problem(`${host} did not accept the client certificate ${clientCertificateFile} (${code})`, 'Check that the certificate is the one the registry expects and has not expired.')
      : problem(`${host} asks for a client certificate, and none was found (${code})`, `Put the client certificate and its key as client.cert and client.key in ~/.config/containers/certs.d/${host}/ (as podman reads them), or in the directory rhcosLayering.registry.certDirectory names.`);
  }
  const insecureHint = `If it is a private registry, trust its CA as podman does: save it as ~/.config/containers/certs.d/${host}/ca.crt (or in the directory rhcosLayering.registry.certDirectory names), or mark ${host} insecure (rhcosLayering.registry.insecureRegistries, or "insecure = true" in registries.conf) to skip verification.`;
  if (code === 'EPROXY') {
    return problem(message, 'Check HTTPS_PROXY and NO_PROXY (in the editor: VS Code\'s http.proxy and http.noProxy settings) and the proxy\'s credentials.');
  }
  if (code === 'ECONNREFUSED') {
    return problem(`nothing is listening at ${host} (connection refused)`, 'Check the registry host and port, and that the registry is running.');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return problem(
      `the host name ${url.hostname} could not be resolved (${code === 'EAI_AGAIN' ? 'DNS lookup timed out' : 'unknown host'})`,
      'Check the spelling of the registry, and your network or VPN connection.',
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN') {
    return problem(`${host} cannot be reached (${code})`, 'Check your network or VPN connection.');
  }
  if (code === 'ETIMEDOUT') {
    return problem(`connecting to ${host} timed out`, 'Check the network (VPN, proxy, firewall) and that the registry is up.');
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return problem(`${host} closed the connection`, insecure ? 'Check that the registry is healthy.' : `Check that ${host} serves HTTPS and is healthy.`);
  }
  if (TLS_UNTRUSTED.has(code)) {
    const selfSigned = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN';
    return problem(`the TLS certificate of ${host} is not trusted (${selfSigned ? 'self-signed' : 'unknown issuer'}, ${code})`, insecureHint);
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return problem(`the TLS certificate of ${host} ${code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'}`, `Check the machine clock; otherwise the registry must renew its certificate. ${insecureHint}`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return problem(`the TLS certificate of ${host} is not issued for ${url.hostname}`, `Use the host name the certificate names. ${insecureHint}`);
  }
  if (TLS_NOT_SPOKEN.has(code) || /wrong version number|packet length too long|http request/i.test(message)) {
    return problem(`${host} did not answer with TLS; it may serve plain HTTP`, `If the registry really is plain HTTP, mark ${host} insecure: rhcosLayering.registry.insecureRegistries, or "insecure = true" in registries.conf.`);
  }
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|ssl|tls/i.test(code)) {
    return problem(`the TLS connection to ${host} failed (${code})`, insecureHint);
  }
  return problem(`the request to ${host} failed (${code}: ${message})`, 'Check the network and the registry host, then try again.');
}
