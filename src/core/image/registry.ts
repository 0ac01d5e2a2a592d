/**
 * Tag → digest resolution against the OCI distribution API (Docker registry v2).
 *
 *   HEAD /v2/<name>/manifests/<tag>  (Accept: OCI index, Docker list, OCI manifest, Docker v2)
 *     → Docker-Content-Digest; without it (or for an index, to list platforms) GET and sha256 the
 *       exact bytes.
 *   401 + WWW-Authenticate: Bearer realm,service,scope → GET realm (Basic with credentials, or
 *     anonymous; identity tokens use the OAuth2 refresh-token POST) → retry with Bearer.
 *   401 + WWW-Authenticate: Basic → retry with the credential.
 *
 * Never throws: every failure is a `Problem` saying what failed, why, and what to do next.
 * Secrets never appear in Problems; credentials are described by file and key.
 */
import { createHash } from 'node:crypto';
import { describeError, fail, ok, Problem, Result } from '../problem';
import { AuthOptions, Credential, CredentialLookup, CredentialSource, describeCredentialSource, findCredential } from './auth';
import { proxyFromEnvironment } from '../proxyEnvironment';
import { CertificateLookupOptions, findRegistryTlsFiles, RegistryTlsFiles } from './certificates';
import { matchesInsecurePrefix, readInsecureRegistries, type RegistriesConfOptions } from './registriesConf';
import { sendRequest, HttpFailure, HttpRequest, HttpResponse } from './http';
import { apiHost, checkDigest, formatName, formatReference, ImageReference, manifestReference, parseReference } from './reference';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** All four, so that a registry never has to refuse an index for want of an Accept type. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');
const KNOWN_TYPES = new Set<string>(Object.values(MEDIA_TYPES));
const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);

export const DEFAULT_TIMEOUT_MS = 15_000;
/** distribution refuses manifests over 4 MiB; so do we. */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_AUX_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'rhcos-layering (vscode extension)';

export interface PlatformManifest {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly digest: string;
  readonly mediaType: string;
}

export interface ResolvedDigest {
  /** `sha256:…` of the manifest (or index) the tag points at: what `skopeo inspect` reports. */
  readonly digest: string;
  readonly mediaType: string;
  readonly reference: ImageReference;
  /** The credential used, by file and key; undefined when the registry allowed anonymous access. */
  readonly credentialSource?: CredentialSource;
  /** For an image index / manifest list: the per-platform manifests. */
  readonly platforms?: readonly PlatformManifest[];
}

export interface ResolveOptions {
  /** Where to find credentials (explicit auth file, injected env and home). */
  readonly auth?: AuthOptions;
  /** Use this credential (or `null`: anonymous only) instead of searching auth files. */
  readonly credential?: Credential | null;
  /** `host[:port]` entries that may use plain HTTP or unverified TLS, as `insecure = true` in registries.conf. */
  readonly insecureRegistries?: readonly string[];
  /** Where `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` are read, as podman and skopeo read them. Default `process.env`. */
  readonly proxyEnv?: NodeJS.ProcessEnv;
  /** Where to read registries.conf (its `insecure` registries are added to `insecureRegistries`); false to skip. Default: where podman reads it. */
  readonly registriesConf?: RegistriesConfOptions | false;
  /** Extra trusted CA certificates (PEM text), e.g. a private registry's CA. */
  readonly caCertificates?: readonly (string | Buffer)[];
  /** Where to find the registry's certs.d files, as podman does; false to skip. Default: the per-host lookup. */
  readonly certificates?: CertificateLookupOptions | false;
  /** Give up after this long, for the whole resolution. Default 15 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Refuse manifests larger than this. Default 4 MiB. */
  readonly maxManifestBytes?: number;
  /** Fetch an index body to list its platforms (one more request). Default true. */
  readonly listPlatforms?: boolean;
  /** Token, challenge and scheme cache shared between calls. Default: one per process. */
  readonly session?: RegistrySession;
  readonly userAgent?: string;
}

interface Challenge {
  readonly scheme: 'bearer' | 'basic';
  readonly params: Readonly<Record<string, string>>;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * What is worth remembering between resolutions: bearer tokens (until they expire), which auth
 * challenge each registry uses (to skip the first 401), and which scheme insecure registries speak.
 */
export class RegistrySession {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly challenges = new Map<string, Challenge>();
  private readonly schemes = new Map<string, 'https' | 'http'>();
  /** Number of token requests made, for tests and diagnostics. */
  tokenRequests = 0;

  constructor(private readonly now: () => number = Date.now) {}

  getToken(key: string): string | undefined {
    const cached = this.tokens.get(key);
    if (!cached) return undefined;
    if (cached.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return cached.token;
  }

  setToken(key: string, token: string, expiresInSeconds: number): void {
    // Renew a little early so that a token never expires in flight.
    const lifetime = Math.max(0, expiresInSeconds - Math.min(30, expiresInSeconds / 10)) * 1000;
    this.tokens.set(key, { token, expiresAt: this.now() + lifetime });
  }

  forgetToken(key: string): void {
    this.tokens.delete(key);
  }

  getChallenge(host: string): Challenge | undefined {
    return this.challenges.get(host);
  }

  setChallenge(host: string, challenge: Challenge): void {
    this.challenges.set(host, challenge);
  }

  getScheme(host: string): 'https' | 'http' | undefined {
    return this.schemes.get(host);
  }

  setScheme(host: string, scheme: 'https' | 'http'): void {
    this.schemes.set(host, scheme);
  }

  clear(): void {
    this.tokens.clear();
    this.challenges.clear();
    this.schemes.clear();
  }
}

const defaultSession = new RegistrySession();

/** Whether `registry` (`host[:port]`) is listed as insecure. An entry without a port matches every port; paths are ignored. */
export function isInsecureRegistry(registry: string, insecure: readonly string[] = []): boolean {
  return matchesInsecurePrefix(registry, '', insecure.map((entry) => entry.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '')));
}

/** Parses a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let param = re.exec(match[2]!); param; param = re.exec(match[2]!)) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3]!;
  }
  return { scheme, params };
}

/** The per-platform manifests listed in an image index or manifest list. */
export function platformsOf(index: unknown): PlatformManifest[] {
  if (typeof index !== 'object' || index === null) return [];
  const manifests = (index as { manifests?: unknown }).manifests;
  if (!Array.isArray(manifests)) return [];
  const list: PlatformManifest[] = [];
  for (const entry of manifests) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { digest, mediaType, platform } = entry as { digest?: unknown; mediaType?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } };
    if (typeof digest !== 'string' || !platform || typeof platform.os !== 'string' || typeof platform.architecture !== 'string') continue;
    if (platform.os === 'unknown' && platform.architecture === 'unknown') continue; // attestation manifests
    list.push({
      os: platform.os,
      architecture: platform.architecture,
      ...(typeof platform.variant === 'string' && platform.variant !== '' ? { variant: platform.variant } : {}),
      digest,
      mediaType: typeof mediaType === 'string' ? mediaType : '',
    });
  }
  return list;
}

/** Everything one resolution needs; built once per `resolveDigest` call. */
class Resolution {
  readonly host: string;
  readonly what: string;
  /** Settled by loadHostConfiguration (registries.conf may add to the option). */
  insecure: boolean;
  readonly session: RegistrySession;
  private lookup: CredentialLookup | undefined;
  private tlsFiles: RegistryTlsFiles | undefined;
  private credentialUsed: Credential | undefined;
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

  get credentialSource(): CredentialSource | undefined {
    return this.credentialUsed?.source;
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  problem(why: string, next: string): Problem {
    return { what: this.what, why, next };
  }

  /** The credential for this image: the explicit one, else the auth files (read once, only when challenged). */
  async credential(): Promise<Result<Credential | undefined>> {
    if (this.options.credential !== undefined) return ok(this.options.credential ?? undefined);
    if (!this.lookup) {
      const found = await findCredential(this.ref.registry, this.ref.repository, this.options.auth);
      if (!found.ok) return found;
      this.lookup = found.value;
    }
    return ok(this.lookup.credential);
  }

  private loginHint(): string {
    return `Log in with \`podman login ${this.ref.registry}\`, or set rhcosLayering.registry.authFile to an auth file that has credentials for it.`;
  }

  /** 401 with (or without) credentials: name the file and key that were used, or the files searched. */
  unauthorized(detail?: string): Problem {
    const used = this.credentialUsed;
    if (used) {
      return this.problem(
        `the registry rejected the credentials from ${describeCredentialSource(used.source, this.options.auth?.homeDir)} (401 Unauthorized${detail ? `: ${detail}` : ''})`,
        `The password or token may be wrong or expired. ${this.loginHint()}`,
      );
    }
    const searched = this.lookup?.searched ?? [];
    const where =
      this.options.credential === null
        ? 'anonymous access was requested'
        : searched.length > 0
          ? `no credentials for ${this.ref.registry} were found in ${searched.join(', ')}`
          : 'no auth file with credentials was found';
    return this.problem(`the registry requires authentication (401 Unauthorized) and ${where}`, this.loginHint());
  }

  forbidden(detail?: string): Problem {
    const used = this.credentialUsed;
    const who = used ? ` for the credentials from ${describeCredentialSource(used.source, this.options.auth?.homeDir)}` : '';
    return this.problem(
      `the registry denied ${used ? '' : 'anonymous '}access to ${this.ref.repository}${who} (403 Forbidden${detail ? `: ${detail}` : ''})`,
      used ? 'Ask for pull access to the repository, or use an account that has it.' : this.loginHint(),
    );
  }

  /** Turns a transport failure into a Problem. */
  transport(failure: HttpFailure, url: URL, purpose: 'manifest' | 'token' = 'manifest'): Problem {
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

  async send(method: 'GET' | 'HEAD', url: URL, headers: Record<string, string>, maxBytes: number) {
    return sendRequest({
      url,
      method,
      headers: { 'User-Agent': this.options.userAgent ?? USER_AGENT, ...headers },
      maxBytes,
      signal: this.signal,
      verifyTls: !this.insecure,
      ...this.tlsRequestOptions(),
      ...this.proxyFor(url),
    });
  }

  /** The proxy for a URL, from the proxy variables as the Go tools read them. */
  proxyFor(url: URL): Pick<HttpRequest, 'proxy'> {
    const proxy = proxyFromEnvironment(url.href, this.options.proxyEnv ?? process.env);
    return proxy ? { proxy: proxy.url } : {};
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

  /** The extra CAs and client certificate for a request: the caller's, then the certs.d directory's. */
  tlsRequestOptions(): Pick<HttpRequest, 'ca' | 'clientCertificate'> {
    const ca = [...(this.options.caCertificates ?? []), ...(this.tlsFiles?.ca ?? [])];
    const client = this.tlsFiles?.clientCertificate;
    return { ...(ca.length > 0 ? { ca } : {}), ...(client ? { clientCertificate: { cert: client.cert, key: client.key } } : {}) };
  }

  /** The base URL, choosing https or (for insecure registries that do not speak TLS) http. */
  async baseUrl(): Promise<Result<string>> {
    const known = this.session.getScheme(this.host);
    if (known) return ok(`${known}://${this.host}`);
    if (!this.insecure) return ok(`https://${this.host}`);
    // As containers/image does for insecure registries: try TLS (unverified) first, then plain HTTP.
    const probe = await this.send('GET', new URL(`https://${this.host}/v2/`), {}, MAX_AUX_BYTES);
    if (probe.ok || probe.failure.kind === 'too-large') {
      this.session.setScheme(this.host, 'https');
      return ok(`https://${this.host}`);
    }
    if (probe.failure.kind === 'aborted') return { ok: false, problem: this.transport(probe.failure, new URL(`https://${this.host}/v2/`)) };
    this.session.setScheme(this.host, 'http');
    return ok(`http://${this.host}`);
  }

  private tokenKey(challenge: Challenge, scope: string, credential: Credential | undefined): string {
    const who = credential ? createHash('sha256').update(`${credential.username}\0${credential.secret.reveal()}`).digest('hex') : 'anonymous';
    return [challenge.params.realm ?? '', challenge.params.service ?? '', scope, who].join('\n');
  }

  private scope(challenge: Challenge): string {
    return challenge.params.scope || `repository:${this.ref.repository}:pull`;
  }

  /** The Authorization header for a known challenge, fetching a bearer token if needed. */
  async authorization(challenge: Challenge): Promise<Result<string | undefined>> {
    const found = await this.credential();
    if (!found.ok) return found;
    const credential = found.value;
    if (challenge.scheme === 'basic') {
      if (!credential || credential.identityToken) return ok(undefined);
      this.credentialUsed = credential;
      return ok(`Basic ${Buffer.from(`${credential.username}:${credential.secret.reveal()}`).toString('base64')}`);
    }
    const scope = this.scope(challenge);
    const key = this.tokenKey(challenge, scope, credential);
    if (credential) this.credentialUsed = credential;
    const cached = this.session.getToken(key);
    if (cached) return ok(`Bearer ${cached}`);
    const token = await this.fetchToken(challenge, scope, credential);
    if (!token.ok) return token;
    this.session.setToken(key, token.value.token, token.value.expiresIn);
    return ok(`Bearer ${token.value.token}`);
  }

  forgetToken(challenge: Challenge, credential: Credential | undefined): void {
    this.session.forgetToken(this.tokenKey(challenge, this.scope(challenge), credential));
  }

  private async fetchToken(challenge: Challenge, scope: string, credential: Credential | undefined): Promise<Result<{ token: string; expiresIn: number }>> {
    const realmText = challenge.params.realm;
    let realm: URL;
    try {
      realm = new URL(realmText ?? '');
      if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new Error('not http');
    } catch {
      return fail(this.what, `the registry's bearer challenge has no usable token service URL (realm "${realmText ?? ''}")`, 'The registry or a proxy in front of it is misconfigured; contact its administrator.');
    }
    this.session.tokenRequests++;
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent ?? USER_AGENT, Accept: 'application/json' };
    const service = challenge.params.service;
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    if (credential?.identityToken) {
      method = 'POST';
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.secret.reveal(), client_id: 'rhcos-layering', scope });
      if (service) form.set('service', service);
      body = form.toString();
    } else {
      if (service) realm.searchParams.set('service', service);
      realm.searchParams.set('scope', scope);
      if (credential) headers.Authorization = `Basic ${Buffer.from(`${credential.username}:${credential.secret.reveal()}`).toString('base64')}`;
    }
    const outcome = await sendRequest({
      url: realm,
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      maxBytes: MAX_AUX_BYTES,
      signal: this.signal,
      verifyTls: !(this.insecure && realm.host === this.host),
      ...this.tlsRequestOptions(),
      ...this.proxyFor(realm),
    });
    if (!outcome.ok) {
      const problem = this.transport(outcome.failure, realm, 'token');
      return fail(problem.what, `getting a token from ${realm.host}: ${problem.why}`, problem.next);
    }
    const response = outcome.response;
    if (response.status === 401 || response.status === 403) {
      const detail = registryErrorText(response.body);
      if (credential) return { ok: false, problem: this.unauthorized(detail ? `token service: ${detail}` : 'token service refused them') };
      return { ok: false, problem: this.unauthorized() };
    }
    if (response.status !== 200) {
      return fail(this.what, `the token service at ${realm.host} answered ${describeStatus(response.status)}`, 'Try again later; if it persists, the registry may be having problems.');
    }
    let data: unknown;
    try {
      data = JSON.parse(response.body.toString('utf8'));
    } catch {
      return fail(this.what, `the token service at ${realm.host} did not answer with JSON${looksLikeHtml(response) ? ' (it sent an HTML page; a proxy may be in the way)' : ''}`, 'Check proxy settings and that the registry host is right.');
    }
    const record = (typeof data === 'object' && data !== null ? data : {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof record.token === 'string' && record.token ? record.token : typeof record.access_token === 'string' ? record.access_token : '';
    if (!token) return fail(this.what, `the token service at ${realm.host} answered without a token`, 'The registry may be misconfigured; contact its administrator.');
    const expiresIn = typeof record.expires_in === 'number' && record.expires_in > 0 ? record.expires_in : 60;
    return ok({ token, expiresIn });
  }

  /**
   * Sends a registry API request, answering auth challenges (once) and following redirects.
   * Returns the final response, whatever its status other than an unanswerable 401.
   */
  async request(method: 'GET' | 'HEAD', url: URL, maxBytes: number): Promise<Result<HttpResponse>> {
    const baseHeaders = { Accept: MANIFEST_ACCEPT };
    let challenge = this.session.getChallenge(this.host);
    let answered = false;
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { ...baseHeaders };
      const sameHost = current.host === url.host;
      if (challenge && sameHost) {
        const authorization = await this.authorization(challenge);
        if (!authorization.ok) return authorization;
        if (authorization.value) headers.Authorization = authorization.value;
      }
      const outcome = await this.send(method, current, headers, maxBytes);
      if (!outcome.ok) return { ok: false, problem: this.transport(outcome.failure, current) };
      const response = outcome.response;
      if (response.status === 401 && sameHost) {
        const offered = parseChallenge(firstHeader(response.headers['www-authenticate']));
        if (answered || !offered) {
          if (!offered && !answered) {
            return fail(this.what, `the registry answered 401 Unauthorized without a Basic or Bearer challenge`, this.loginHint());
          }
          // We answered and still got 401: with a cached token, it may just be stale. Otherwise, bad credentials.
          if (challenge) this.forgetToken(challenge, this.credentialUsed);
          return { ok: false, problem: this.unauthorized(registryErrorText(response.body)) };
        }
        const found = await this.credential();
        if (!found.ok) return found;
        if (offered.scheme === 'basic' && (!found.value || found.value.identityToken)) {
          return { ok: false, problem: this.unauthorized() };
        }
        const hadChallenge = challenge !== undefined;
        challenge = offered;
        this.session.setChallenge(this.host, offered);
        answered = true;
        if (hadChallenge) this.forgetToken(offered, found.value);
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
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

function describeStatus(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return `${status}${names[status] ? ` ${names[status]}` : ''}`;
}

interface RegistryError {
  readonly code: string;
  readonly message: string;
}

/** The `errors` of a registry error body (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…"}]}`). */
function registryErrors(body: Buffer): RegistryError[] {
  if (body.length === 0 || body.length > MAX_AUX_BYTES) return [];
  try {
    const data = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (!Array.isArray(data.errors)) return [];
    return data.errors
      .filter((error): error is { code?: unknown; message?: unknown } => typeof error === 'object' && error !== null)
      .map((error) => ({ code: typeof error.code === 'string' ? error.code : '', message: typeof error.message === 'string' ? error.message : '' }));
  } catch {
    return [];
  }
}

function registryErrorText(body: Buffer): string | undefined {
  const first = registryErrors(body)[0];
  if (!first) return undefined;
  const text = (first.message || first.code).replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 200) : undefined;
}

function looksLikeHtml(response: HttpResponse): boolean {
  const type = firstHeader(response.headers['content-type'])?.toLowerCase() ?? '';
  if (type.includes('text/html') || type.includes('application/xhtml')) return true;
  const start = response.body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<head') || start.startsWith('<body');
}

function htmlTitle(body: Buffer): string | undefined {
  const match = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body.subarray(0, 64 * 1024).toString('utf8'));
  const title = match?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? title.slice(0, 80) : undefined;
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

/**
 * Resolves a tag (or verifies a digest) to the digest of the manifest or index it names, as
 * `skopeo inspect` reports it. Never throws.
 */
export async function resolveDigest(reference: ImageReference | string, options: ResolveOptions = {}): Promise<Result<ResolvedDigest>> {
  let ref: ImageReference;
  if (typeof reference === 'string') {
    const parsed = parseReference(reference);
    if (!parsed.ok) {
      const { span: _span, ...problem } = parsed.problem;
      void _span;
      return { ok: false, problem };
    }
    ref = parsed.value;
  } else {
    ref = reference;
  }
  const resolution = new Resolution(ref, options);
  try {
    return await resolve(resolution);
  } catch (error) {
    // Defensive: nothing above should throw, but a Problem is the contract.
    return fail(resolution.what, `unexpected error: ${describeError(error)}`, 'Please report this problem.');
  } finally {
    resolution.dispose();
  }
}

async function resolve(r: Resolution): Promise<Result<ResolvedDigest>> {
  const maxBytes = r.options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const configured = await r.loadHostConfiguration();
  if (!configured.ok) return configured;
  const base = await r.baseUrl();
  if (!base.ok) return base;
  const target = manifestReference(r.ref);
  const url = new URL(`${base.value}/v2/${r.ref.repository}/manifests/${target}`);

  const head = await r.request('HEAD', url, maxBytes);
  if (!head.ok) return head;
  if (head.value.status === 200) {
    const digest = firstHeader(head.value.headers['docker-content-digest'])?.trim();
    const mediaType = mediaTypeOf(head.value);
    const wantPlatforms = r.options.listPlatforms !== false && mediaType !== undefined && INDEX_TYPES.has(mediaType);
    if (digest && !checkDigest(digest) && mediaType && KNOWN_TYPES.has(mediaType) && !wantPlatforms) {
      if (r.ref.digest && r.ref.digest !== digest) return digestMismatch(r, digest);
      return ok(result(r, digest, mediaType));
    }
  }
  // No usable HEAD answer (no digest header, an index whose platforms we want, an error status whose
  // body explains it, or something that is not a manifest): GET the manifest itself.
  const get = await r.request('GET', url, maxBytes);
  if (!get.ok) return get;
  const response = get.value;
  if (response.status !== 200) {
    if (response.status === 404 && !r.ref.digest) return missingTagProblem(r, response, new URL(`${base.value}/v2/${r.ref.repository}/tags/list`));
    return statusProblem(r, response);
  }
  if (looksLikeHtml(response)) {
    const title = htmlTitle(response.body);
    return fail(
      r.what,
      `${response.url.host} answered with an HTML page${title ? ` ("${title}")` : ''} instead of an image manifest`,
      'A proxy, captive portal or login page may be answering instead of the registry. Check the registry host, your proxy settings (HTTPS_PROXY, NO_PROXY), or open the URL in a browser.',
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(response.body.toString('utf8'));
  } catch {
    return fail(r.what, `${response.url.host} answered with something that is not a JSON manifest (${firstHeader(response.headers['content-type']) ?? 'no content type'})`, 'Check that the host is a container registry and that no proxy answers in its place.');
  }
  const bodyType = typeof manifest === 'object' && manifest !== null ? (manifest as { mediaType?: unknown }).mediaType : undefined;
  const headerType = mediaTypeOf(response);
  const mediaType = headerType && KNOWN_TYPES.has(headerType) ? headerType : typeof bodyType === 'string' ? bodyType : headerType;
  if (mediaType === undefined || !KNOWN_TYPES.has(mediaType)) {
    const schema1 = mediaType?.includes('manifest.v1') || (typeof manifest === 'object' && manifest !== null && (manifest as { schemaVersion?: unknown }).schemaVersion === 1);
    return fail(
      r.what,
      schema1
        ? 'the image has an old Docker schema 1 manifest, which cannot be pinned reliably'
        : `the registry answered with media type ${mediaType ?? '(none)'}, which is not an image manifest or index`,
      schema1 ? 'Push the image again with a current podman, buildah or skopeo (schema 2 or OCI).' : 'Check that the reference names an image.',
    );
  }
  const computed = `sha256:${createHash('sha256').update(response.body).digest('hex')}`;
  const header = firstHeader(response.headers['docker-content-digest'])?.trim();
  if (header && header.startsWith('sha256:') && header !== computed) {
    return fail(r.what, `the registry's Docker-Content-Digest (${header}) does not match the manifest it sent (${computed})`, 'A proxy may be changing the response; try again without it, or check the registry.');
  }
  const digest = header && !header.startsWith('sha256:') && !checkDigest(header) ? header : computed;
  if (r.ref.digest && r.ref.digest !== digest) return digestMismatch(r, digest);
  const platforms = INDEX_TYPES.has(mediaType) ? platformsOf(manifest) : undefined;
  return ok(result(r, digest, mediaType, platforms));
}

function result(r: Resolution, digest: string, mediaType: string, platforms?: PlatformManifest[]): ResolvedDigest {
  return {
    digest,
    mediaType,
    reference: r.ref,
    ...(r.credentialSource ? { credentialSource: r.credentialSource } : {}),
    ...(platforms ? { platforms } : {}),
  };
}

function digestMismatch(r: Resolution, digest: string): Result<never> {
  return fail(r.what, `the registry served a manifest with digest ${digest} for ${r.ref.digest}`, 'The registry or a proxy is misbehaving; do not use this image until that is explained.');
}

function mediaTypeOf(response: HttpResponse): string | undefined {
  const type = firstHeader(response.headers['content-type']);
  return type ? type.split(';')[0]!.trim().toLowerCase() : undefined;
}

/**
 * A tag was not found: ask the tags list whether the repository exists at all (distribution
 * answers MANIFEST_UNKNOWN for both), and name some tags that do exist.
 */
async function missingTagProblem(r: Resolution, manifestResponse: HttpResponse, tagsUrl: URL): Promise<Result<never>> {
  const tags = await r.request('GET', tagsUrl, MAX_AUX_BYTES);
  if (!tags.ok || (tags.value.status !== 200 && tags.value.status !== 404)) return statusProblem(r, manifestResponse);
  const name = formatName(r.ref);
  const privateHint = r.credentialSource ? '' : ' If the repository is private, log in first: some registries answer 404 rather than 401 to anonymous requests.';
  if (tags.value.status === 404) {
    return fail(r.what, `the repository ${name} does not exist (404 ${registryErrors(tags.value.body)[0]?.code || 'Not Found'})`, `Check the repository name.${privateHint}`);
  }
  let known: string[] = [];
  try {
    const data = JSON.parse(tags.value.body.toString('utf8')) as { tags?: unknown };
    if (Array.isArray(data.tags)) known = data.tags.filter((tag): tag is string => typeof tag === 'string');
  } catch {
    return statusProblem(r, manifestResponse);
  }
  const shown = known.slice(-10).join(', ');
  return fail(
    r.what,
    `the tag "${r.ref.tag ?? 'latest'}" was not found in ${name} (404)${known.length ? `; it has ${known.length === 1 ? 'the tag' : `${known.length} tags, e.g.`} ${shown}` : '; it has no tags'}`,
    `Check the tag; \`skopeo list-tags docker://${name}\` lists them.`,
  );
}

function statusProblem(r: Resolution, response: HttpResponse): Result<never> {
  const errors = registryErrors(response.body);
  const codes = new Set(errors.map((error) => error.code));
  const detail = registryErrorText(response.body);
  const name = formatName(r.ref);
  const target = r.ref.digest ? `digest ${r.ref.digest}` : `tag "${r.ref.tag ?? 'latest'}"`;
  switch (response.status) {
    case 401:
      return { ok: false, problem: r.unauthorized(detail) };
    case 403:
      return { ok: false, problem: r.forbidden(detail) };
    case 404: {
      const anonymous = !r.credentialSource;
      const privateHint = anonymous ? ' If the repository is private, log in first: some registries answer 404 rather than 401 to anonymous requests.' : '';
      if (codes.has('NAME_UNKNOWN')) {
        return fail(r.what, `the repository ${name} does not exist on ${r.ref.registry} (404 NAME_UNKNOWN)`, `Check the repository name.${privateHint}`);
      }
      if (codes.has('MANIFEST_UNKNOWN') || !r.ref.tag || codes.size === 0) {
        const why = codes.has('MANIFEST_UNKNOWN')
          ? `the ${target} was not found in ${name} (404 MANIFEST_UNKNOWN)`
          : `the ${target} or the repository ${name} was not found (404 Not Found)`;
        return fail(r.what, why, `Check the ${r.ref.digest ? 'digest' : 'tag'}; \`skopeo list-tags docker://${name}\` lists the tags.${privateHint}`);
      }
      return fail(r.what, `the registry answered 404 Not Found${detail ? `: ${detail}` : ''}`, `Check the reference.${privateHint}`);
    }
    case 429:
      return fail(r.what, `the registry is rate-limiting requests (429 Too Many Requests)`, `Wait a while and try again; logging in (\`podman login ${r.ref.registry}\`) often raises the limit.`);
    default: {
      if (looksLikeHtml(response)) {
        const title = htmlTitle(response.body);
        return fail(r.what, `${response.url.host} answered ${describeStatus(response.status)} with an HTML page${title ? ` ("${title}")` : ''}`, 'A proxy or login page may be answering instead of the registry. Check the registry host and your proxy settings.');
      }
      const server = response.status >= 500 ? ' (a server-side error)' : '';
      return fail(r.what, `the registry answered ${describeStatus(response.status)}${server}${detail ? `: ${detail}` : ''}`, response.status >= 500 ? 'Try again later; the registry may be having problems.' : 'Check the reference and the registry.');
    }
  }
}

/** The resolved reference text, normalised: `registry/repo@sha256:…` (with the tag when `keepTag`). */
export function pinnedReference(resolved: ResolvedDigest, options: { keepTag?: boolean } = {}): string {
  const ref = resolved.reference;
  return formatReference({ registry: ref.registry, repository: ref.repository, digest: resolved.digest, ...(options.keepTag && ref.tag ? { tag: ref.tag } : {}) });
}
