/**
 * Registry credentials, found where podman, buildah and skopeo look for them
 * (containers-auth.json(5)), plus Docker's files and credential helpers.
 *
 * Files, in order (the first file with a credential for the image wins):
 *   1. the explicit auth file (setting `rhcosLayering.registry.authFile`)
 *   2. `$REGISTRY_AUTH_FILE`
 *   3. `$XDG_RUNTIME_DIR/containers/auth.json` (unset: `/run/containers/<uid>/auth.json`, as podman does)
 *   4. `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`
 *   5. `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`
 *   6. `~/.dockercfg` (legacy: a top-level map of registries without "auths")
 *
 * Inside a file: a `credHelpers` entry for the registry first, then `auths` keys from the most to
 * the least specific (`reg/ns/user/image`, `reg/ns/user`, `reg/ns`, `reg`), then URL-form keys
 * (`https://index.docker.io/v1/`), then `credsStore`.
 *
 * Secrets live only in `Secret` values, which print as `[redacted]`. Messages and `Problem`s name
 * files and keys, never their contents.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { fail, ok, Result } from '../problem';
import { DOCKER_HUB } from './reference';

/** A secret string that does not show up in logs, JSON, `inspect` or string concatenation. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret itself: only for building an Authorization header. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

/** Where a credential came from, for the UI ("from ~/.docker/config.json [quay.io/org]"). */
export interface CredentialSource {
  /** The auth file. */
  readonly file: string;
  /** The key inside it (`quay.io/org`), or the registry asked of a credential helper. */
  readonly key: string;
  /** Which rule found the file: `setting`, `REGISTRY_AUTH_FILE`, `XDG_RUNTIME_DIR`, … */
  readonly origin: AuthFileOrigin;
  /** `docker-credential-<helper>`, when a helper supplied the secret. */
  readonly helper?: string;
}

export interface Credential {
  readonly username: string;
  /** A password, or (when `identityToken`) an OAuth2 refresh token for the registry's token service. */
  readonly secret: Secret;
  readonly identityToken: boolean;
  readonly source: CredentialSource;
}

export type AuthFileOrigin =
  | 'setting'
  | 'REGISTRY_AUTH_FILE'
  | 'XDG_RUNTIME_DIR'
  | 'XDG_CONFIG_HOME'
  | 'DOCKER_CONFIG'
  | 'docker'
  | 'dockercfg';

export interface AuthFileCandidate {
  readonly path: string;
  readonly origin: AuthFileOrigin;
  /** `~/.dockercfg`: registries at the top level, without "auths". */
  readonly legacy: boolean;
}

/** What a credential helper said: a credential, nothing stored for this server, or a failure. */
export type HelperAnswer =
  | { readonly found: true; readonly username: string; readonly secret: Secret }
  | { readonly found: false }
  | { readonly error: string };

export type CredentialHelperRunner = (helper: string, serverUrl: string, env: NodeJS.ProcessEnv) => Promise<HelperAnswer>;

export interface AuthOptions {
  /** The explicit auth file (the `rhcosLayering.registry.authFile` setting). Empty means none. */
  readonly authFile?: string;
  /** Environment to read `REGISTRY_AUTH_FILE`, `XDG_*`, `DOCKER_CONFIG`, `PATH` from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where podman keeps its login file when `XDG_RUNTIME_DIR` is unset: `/run/containers/<uid>` on
   * Linux (root's `podman login` writes there). Tests point it at a temp dir.
   */
  readonly runtimeDirFallback?: string;
  /** Home directory. Default `os.homedir()`. */
  readonly homeDir?: string;
  /** Runs `docker-credential-<helper> get`. Default: spawn it from PATH with a 10 s limit. */
  readonly runCredentialHelper?: CredentialHelperRunner;
  /** Set to false to ignore `credHelpers`/`credsStore` (never run a helper). Default true. */
  readonly credentialHelpers?: boolean;
}

export interface CredentialLookup {
  /** The credential, or undefined for anonymous access. */
  readonly credential?: Credential;
  /** The files that existed and were read, in order (for "no credentials in …" messages). */
  readonly searched: readonly string[];
}

/** The auth files to read, in order, for this environment (whether or not they exist). */
export function authFileCandidates(options: AuthOptions = {}): AuthFileCandidate[] {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? os.homedir();
  const list: AuthFileCandidate[] = [];
  const add = (file: string | undefined, origin: AuthFileOrigin, legacy = false) => {
    if (!file) return;
    const resolved = path.resolve(expandHome(file, home));
    if (!list.some((candidate) => candidate.path === resolved)) list.push({ path: resolved, origin, legacy });
  };
  add(options.authFile?.trim(), 'setting');
  add(env.REGISTRY_AUTH_FILE?.trim(), 'REGISTRY_AUTH_FILE');
  if (env.XDG_RUNTIME_DIR) add(path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'), 'XDG_RUNTIME_DIR');
  else {
    const fallback = options.runtimeDirFallback ?? (process.platform === 'linux' && process.getuid ? `/run/containers/${process.getuid()}` : undefined);
    if (fallback) add(path.join(fallback, 'auth.json'), 'XDG_RUNTIME_DIR');
  }
  add(path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'containers', 'auth.json'), 'XDG_CONFIG_HOME');
  if (env.DOCKER_CONFIG) add(path.join(env.DOCKER_CONFIG, 'config.json'), 'DOCKER_CONFIG');
  else add(path.join(home, '.docker', 'config.json'), 'docker');
  add(path.join(home, '.dockercfg'), 'dockercfg', true);
  return list;
}

/** `~` and `~/…` as a shell expands them, for paths typed into settings. */
export function expandHome(file: string, home: string): string {
  return file === '~' ? home : file.startsWith('~/') ? path.join(home, file.slice(2)) : file;
}

/**
 * Keys to try for an image, most specific first: `reg/ns/user/image`, `reg/ns/user`, `reg/ns`, `reg`.
 * Docker Hub images also match Docker's own spelling of the registry.
 */
export function authKeys(registry: string, repository: string): string[] {
  const keys: string[] = [];
  const parts = repository.split('/').filter((part) => part.length > 0);
  for (let length = parts.length; length > 0; length--) {
    keys.push(`${registry}/${parts.slice(0, length).join('/')}`);
  }
  keys.push(registry);
  return keys;
}

/** The registry host a Docker-style key names: `https://index.docker.io/v1/` → `docker.io`. */
export function normalizeAuthKey(key: string): string {
  let host = key.replace(/^https?:\/\//, '');
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  return normalizeRegistry(host);
}

function normalizeRegistry(host: string): string {
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

/** What the credential helper protocol expects as the server: Docker Hub has its historic URL. */
function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

interface AuthFileContent {
  readonly auths: Record<string, unknown>;
  readonly credHelpers: Record<string, unknown>;
  readonly credsStore?: string;
}

/** Reads one auth file. Undefined when it does not exist; a Problem when it cannot be used. */
async function readAuthFile(candidate: AuthFileCandidate): Promise<Result<AuthFileContent | undefined>> {
  let text: string;
  try {
    text = await fs.readFile(candidate.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (candidate.origin === 'setting' || candidate.origin === 'REGISTRY_AUTH_FILE') {
        return fail(
          'Could not read registry credentials',
          `the auth file ${candidate.path} (${describeOrigin(candidate.origin)}) does not exist`,
          candidate.origin === 'setting'
            ? 'Fix the path in rhcosLayering.registry.authFile, or clear the setting to use the default locations.'
            : 'Fix or unset REGISTRY_AUTH_FILE, or log in with `podman login <registry>` to create it.',
        );
      }
      return ok(undefined);
    }
    return fail(
      'Could not read registry credentials',
      `the auth file ${candidate.path} could not be read (${code ?? 'unknown error'})`,
      'Check the file permissions, or point rhcosLayering.registry.authFile to another file.',
    );
  }
  if (text.trim() === '') return ok({ auths: {}, credHelpers: {} });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse messages quote the text around the error, which could be a secret: say only where.
    return fail(
      'Could not read registry credentials',
      `the auth file ${candidate.path} is not valid JSON`,
      'Fix the file, or log in again with `podman login <registry>` to rewrite it.',
    );
  }
  if (!isRecord(data)) {
    return fail('Could not read registry credentials', `the auth file ${candidate.path} is not a JSON object`, 'Fix the file, or log in again with `podman login <registry>`.');
  }
  if (candidate.legacy) return ok({ auths: data, credHelpers: {} });
  const auths = isRecord(data.auths) ? data.auths : {};
  const credHelpers = isRecord(data.credHelpers) ? data.credHelpers : {};
  const credsStore = typeof data.credsStore === 'string' && data.credsStore !== '' ? data.credsStore : undefined;
  return ok({ auths, credHelpers, ...(credsStore ? { credsStore } : {}) });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeOrigin(origin: AuthFileOrigin): string {
  switch (origin) {
    case 'setting':
      return 'from rhcosLayering.registry.authFile';
    case 'REGISTRY_AUTH_FILE':
      return 'from $REGISTRY_AUTH_FILE';
    case 'XDG_RUNTIME_DIR':
      return "podman's login file";
    case 'XDG_CONFIG_HOME':
      return 'containers config';
    case 'DOCKER_CONFIG':
      return 'from $DOCKER_CONFIG';
    case 'docker':
      return "Docker's config";
    case 'dockercfg':
      return "Docker's legacy config";
  }
}

/** Decodes an `auths` entry. Undefined for empty placeholders (`{}`, as Docker writes with a credsStore). */
function decodeEntry(entry: unknown, candidate: AuthFileCandidate, key: string): Result<{ username: string; secret: Secret; identityToken: boolean } | undefined> {
  if (!isRecord(entry)) return ok(undefined);
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    const username = typeof entry.username === 'string' ? entry.username : '';
    return ok({ username, secret: new Secret(entry.identitytoken), identityToken: true });
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      return fail(
        'Could not read registry credentials',
        `the entry "${key}" in ${candidate.path} is not base64 of "user:password"`,
        `Log in again with \`podman login ${normalizeAuthKey(key)}\`.`,
      );
    }
    return ok({ username: decoded.slice(0, colon), secret: new Secret(decoded.slice(colon + 1).replace(/\0+$/, '')), identityToken: false });
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username !== '') {
    return ok({ username: entry.username, secret: new Secret(entry.password), identityToken: false });
  }
  return ok(undefined);
}

/**
 * Finds the credential podman would use for `registry/repository`. `ok({ credential: undefined })`
 * means anonymous access; a Problem means a file or helper was there but could not be used.
 */
export async function findCredential(registry: string, repository: string, options: AuthOptions = {}): Promise<Result<CredentialLookup>> {
  const env = options.env ?? process.env;
  const wantedRegistry = normalizeRegistry(registry);
  const keys = authKeys(wantedRegistry, repository);
  const searched: string[] = [];
  const runHelper = options.runCredentialHelper ?? runCredentialHelperProcess;
  const helpersAllowed = options.credentialHelpers !== false;

  for (const candidate of authFileCandidates(options)) {
    const read = await readAuthFile(candidate);
    if (!read.ok) return read;
    const content = read.value;
    if (!content) continue;
    searched.push(candidate.path);

    const helperFor = (name: string) => helperName(content.credHelpers[name]);
    const helper = helperFor(wantedRegistry) ?? (wantedRegistry === DOCKER_HUB ? helperFor('index.docker.io') ?? helperFor('https://index.docker.io/v1/') : undefined);
    if (helper && helpersAllowed) {
      const asked = await askHelper(runHelper, helper, wantedRegistry, candidate, env);
      if (!asked.ok) return asked;
      if (asked.value) return ok({ credential: asked.value, searched });
    }

    for (const key of keys) {
      if (!(key in content.auths)) continue;
      const decoded = decodeEntry(content.auths[key], candidate, key);
      if (!decoded.ok) return decoded;
      if (decoded.value) {
        return ok({ credential: { ...decoded.value, source: { file: candidate.path, key, origin: candidate.origin } }, searched });
      }
    }
    // Docker-written keys: URLs and the other Docker Hub spellings, matched at registry level only.
    for (const [key, entry] of Object.entries(content.auths)) {
      if (keys.includes(key) || normalizeAuthKey(key) !== wantedRegistry) continue;
      const decoded = decodeEntry(entry, candidate, key);
      if (!decoded.ok) return decoded;
      if (decoded.value) {
        return ok({ credential: { ...decoded.value, source: { file: candidate.path, key, origin: candidate.origin } }, searched });
      }
    }
    if (content.credsStore && helpersAllowed) {
      const asked = await askHelper(runHelper, content.credsStore, wantedRegistry, candidate, env);
      if (!asked.ok) return asked;
      if (asked.value) return ok({ credential: asked.value, searched });
    }
  }
  return ok({ searched });
}

function helperName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]+$/.test(value) ? value : undefined;
}

async function askHelper(
  runHelper: CredentialHelperRunner,
  helper: string,
  registry: string,
  candidate: AuthFileCandidate,
  env: NodeJS.ProcessEnv,
): Promise<Result<Credential | undefined>> {
  const server = helperServerUrl(registry);
  const answer = await runHelper(helper, server, env);
  if ('error' in answer) {
    return fail(
      `Could not get credentials for ${registry} from docker-credential-${helper}`,
      answer.error,
      `Check that docker-credential-${helper} is installed and works (\`echo ${server} | docker-credential-${helper} get\`), or remove it from ${candidate.path}.`,
    );
  }
  if (!answer.found) return ok(undefined);
  const identityToken = answer.username === '<token>';
  return ok({
    username: identityToken ? '' : answer.username,
    secret: answer.secret,
    identityToken,
    source: { file: candidate.path, key: registry, origin: candidate.origin, helper: `docker-credential-${helper}` },
  });
}

/** Runs `docker-credential-<helper> get` with the server on stdin, as Docker's helper protocol says. */
export function runCredentialHelperProcess(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<HelperAnswer> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: HelperAnswer) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      }
    };
    let child;
    try {
      child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      finish({ error: `${program} could not be started (${(error as Error).message})` });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ error: `${program} did not answer within 10 seconds` });
    }, 10_000);
    const out: Buffer[] = [];
    let outBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes < 1 << 20) out.push(chunk);
    });
    child.stderr.resume();
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        error: error.code === 'ENOENT' ? `${program} is not installed or not on PATH` : `${program} could not be started (${error.code ?? error.message})`,
      });
    });
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8').trim();
      if (code !== 0) {
        // The helper protocol's "not found" answer; its stdout is a fixed message, never a secret.
        if (/credentials not found/i.test(text)) finish({ found: false });
        else finish({ error: `${program} get exited with code ${code}` });
        return;
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        finish({ error: `${program} get did not print JSON` });
        return;
      }
      if (!isRecord(data) || typeof data.Secret !== 'string' || data.Secret === '') {
        finish({ found: false });
        return;
      }
      finish({ found: true, username: typeof data.Username === 'string' ? data.Username : '', secret: new Secret(data.Secret) });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);
  });
}

/** "~/.config/containers/auth.json [quay.io/org]" or "… via docker-credential-pass", for the UI. */
export function describeCredentialSource(source: CredentialSource, homeDir: string = os.homedir()): string {
  const file = homeDir && source.file.startsWith(homeDir + path.sep) ? `~${source.file.slice(homeDir.length)}` : source.file;
  return source.helper ? `${file} [${source.key}] via ${source.helper}` : `${file} [${source.key}]`;
}
