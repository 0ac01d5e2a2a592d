/**
 * Tag → digest resolution against the OCI distribution API (Docker registry v2), in three parts:
 *   registryProtocol.ts  the connection: scheme, TLS and certs.d, proxies, deadline, redirects, transport failures;
 *   authChallenge.ts     401 challenges: Bearer tokens from the realm (cached in the session) or Basic credentials;
 *   manifest.ts          HEAD/GET of the manifest, digest checks, index platforms, what a refusal means.
 *
 * Never throws: every failure is a `Problem` saying what failed, why, and what to do next.
 * Secrets never appear in Problems; credentials are described by file and key.
 */
import { describeError, fail, type Result } from '../problem';
import type { AuthOptions, Credential, CredentialSource } from './auth';
import type { CertificateLookupOptions } from './certificates';
import { resolveManifestDigest, type PlatformManifest } from './manifest';
import { formatReference, parseReference, type ImageReference } from './reference';
import type { RegistriesConfOptions } from './registriesConf';
import { RegistryConnection } from './registryProtocol';
import type { RegistrySession } from './registrySession';

export { parseChallenge } from './authChallenge';
export { MANIFEST_ACCEPT, MEDIA_TYPES, platformsOf, type PlatformManifest } from './manifest';
export { isInsecureRegistry } from './registryProtocol';
export { RegistrySession } from './registrySession';

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
  const connection = new RegistryConnection(ref, options);
  try {
    return await resolveManifestDigest(connection);
  } catch (error) {
    // Defensive: nothing above should throw, but a Problem is the contract.
    return fail(connection.what, `unexpected error: ${describeError(error)}`, 'Please report this problem.');
  } finally {
    connection.dispose();
  }
}

/** The resolved reference text, normalised: `registry/repo@sha256:…` (with the tag when `keepTag`). */
export function pinnedReference(resolved: ResolvedDigest, options: { keepTag?: boolean } = {}): string {
  const ref = resolved.reference;
  return formatReference({ registry: ref.registry, repository: ref.repository, digest: resolved.digest, ...(options.keepTag && ref.tag ? { tag: ref.tag } : {}) });
}
