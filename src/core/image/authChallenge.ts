/**
 * Answering a registry's auth challenge (`WWW-Authenticate`), as the distribution token protocol describes it:
 *   Bearer realm,service,scope → GET realm (Basic with the credential, or anonymous; an identity token uses the
 *     OAuth2 refresh-token POST) → the token, cached in the session until it expires;
 *   Basic → the credential itself.
 * And what to tell the user when the registry refuses: which file and key the credential came from, or where we looked.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Problem, type Result } from '../problem';
import { describeCredentialSource, findCredential, type AuthOptions, type Credential, type CredentialLookup } from './auth';
import type { HttpFailure, HttpOutcome } from './http';
import type { ImageReference } from './reference';
import { describeStatus, looksLikeHtml, MAX_AUX_BYTES, registryErrorText } from './registryResponses';
import type { RegistrySession } from './registrySession';

export interface Challenge {
  readonly scheme: 'bearer' | 'basic';
  readonly params: Readonly<Record<string, string>>;
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

/** How the token request reaches the token service: the registry connection's TLS, proxy and cancellation. */
export interface TokenTransport {
  /** The registry API host; an insecure registry's own token service is not TLS-verified either. */
  readonly host: string;
  readonly insecure: boolean;
  /** `Could not resolve … to a digest`: the `what` of every Problem. */
  readonly what: string;
  send(request: { url: URL; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; maxBytes: number; verifyTls: boolean }): Promise<HttpOutcome>;
  describeFailure(failure: HttpFailure, url: URL, purpose: 'manifest' | 'token'): Problem;
}

export interface ChallengeOptions {
  /** Where to find credentials (explicit auth file, injected env and home). */
  readonly auth?: AuthOptions;
  /** Use this credential (or `null`: anonymous only) instead of searching auth files. */
  readonly credential?: Credential | null;
}

/** Answers the auth challenges for one image's requests; remembers which credential it used. */
export class ChallengeResponder {
  private lookup: CredentialLookup | undefined;
  /** The credential last sent, to name it when the registry refuses. */
  credentialUsed: Credential | undefined;

  constructor(
    private readonly ref: ImageReference,
    private readonly options: ChallengeOptions,
    private readonly session: RegistrySession,
    private readonly transport: TokenTransport,
  ) {}

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

  loginHint(): string {
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

  private problem(why: string, next: string): Problem {
    return { what: this.transport.what, why, next };
  }

  /** Tokens are cached per realm, service, scope and credential (by hash: the cache never holds a secret as a key). */
  private tokenKey(challenge: Challenge, scope: string, credential: Credential | undefined): string {
    const who = credential ? createHash('sha256').update(`${credential.username}\0${credential.secret.reveal()}`).digest('hex') : 'anonymous';
    return [challenge.params.realm ?? '', challenge.params.service ?? '', scope, who].join('\n');
  }

  private scope(challenge: Challenge): string {
    return challenge.params.scope || `repository:${this.ref.repository}:pull`;
  }

  private async fetchToken(challenge: Challenge, scope: string, credential: Credential | undefined): Promise<Result<{ token: string; expiresIn: number }>> {
    const what = this.transport.what;
    const realmText = challenge.params.realm;
    let realm: URL;
    try {
      realm = new URL(realmText ?? '');
      if (realm.protocol !== 'https:' && realm.protocol !== 'http:') throw new Error('not http');
    } catch {
      return fail(what, `the registry's bearer challenge has no usable token service URL (realm "${realmText ?? ''}")`, 'The registry or a proxy in front of it is misconfigured; contact its administrator.');
    }
    this.session.tokenRequests++;
    const headers: Record<string, string> = { Accept: 'application/json' };
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
    const outcome = await this.transport.send({
      url: realm,
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      maxBytes: MAX_AUX_BYTES,
      verifyTls: !(this.transport.insecure && realm.host === this.transport.host),
    });
    if (!outcome.ok) {
      const problem = this.transport.describeFailure(outcome.failure, realm, 'token');
      return fail(problem.what, `getting a token from ${realm.host}: ${problem.why}`, problem.next);
    }
    const response = outcome.response;
    if (response.status === 401 || response.status === 403) {
      const detail = registryErrorText(response.body);
      if (credential) return { ok: false, problem: this.unauthorized(detail ? `token service: ${detail}` : 'token service refused them') };
      return { ok: false, problem: this.unauthorized() };
    }
    if (response.status !== 200) {
      return fail(what, `the token service at ${realm.host} answered ${describeStatus(response.status)}`, 'Try again later; if it persists, the registry may be having problems.');
    }
    let data: unknown;
    try {
      data = JSON.parse(response.body.toString('utf8'));
    } catch {
      return fail(what, `the token service at ${realm.host} did not answer with JSON${looksLikeHtml(response) ? ' (it sent an HTML page; a proxy may be in the way)' : ''}`, 'Check proxy settings and that the registry host is right.');
    }
    const record = (typeof data === 'object' && data !== null ? data : {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof record.token === 'string' && record.token ? record.token : typeof record.access_token === 'string' ? record.access_token : '';
    if (!token) return fail(what, `the token service at ${realm.host} answered without a token`, 'The registry may be misconfigured; contact its administrator.');
    const expiresIn = typeof record.expires_in === 'number' && record.expires_in > 0 ? record.expires_in : 60;
    return ok({ token, expiresIn });
  }
}
