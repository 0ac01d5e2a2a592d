/**
 * Image manifests and indexes as the OCI distribution API serves them: the media types we accept, how a tag becomes
 * the digest `skopeo inspect` reports, the platforms of an index, and what a 404 or other refusal means for the user.
 *
 *   HEAD /v2/<name>/manifests/<tag>  (Accept: OCI index, Docker list, OCI manifest, Docker v2)
 *     → Docker-Content-Digest; without it (or for an index, to list platforms) GET and sha256 the exact bytes.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../problem';
import type { HttpResponse } from './http';
import { checkDigest, formatName, manifestReference } from './reference';
import type { ResolvedDigest } from './registry';
import type { RegistryConnection } from './registryProtocol';
import { describeStatus, firstHeader, htmlTitle, looksLikeHtml, MAX_AUX_BYTES, registryErrors, registryErrorText } from './registryResponses';

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
/** distribution refuses manifests over 4 MiB; so do we. */
export const DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface PlatformManifest {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly digest: string;
  readonly mediaType: string;
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

/**
 * The digest of the manifest or index `r.ref` names: HEAD with every manifest type accepted, taking
 * Docker-Content-Digest when the registry sends it; otherwise (or to list an index's platforms) GET and sha256 the
 * exact bytes, checked against the header. A digest reference must come back as itself.
 */
export async function resolveManifestDigest(r: RegistryConnection): Promise<Result<ResolvedDigest>> {
  const maxBytes = r.options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const configured = await r.loadHostConfiguration();
  if (!configured.ok) return configured;
  const base = await r.baseUrl();
  if (!base.ok) return base;
  const target = manifestReference(r.ref);
  const url = new URL(`${base.value}/v2/${r.ref.repository}/manifests/${target}`);

  const head = await r.request('HEAD', url, maxBytes, MANIFEST_ACCEPT);
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
  const get = await r.request('GET', url, maxBytes, MANIFEST_ACCEPT);
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

function result(r: RegistryConnection, digest: string, mediaType: string, platforms?: PlatformManifest[]): ResolvedDigest {
  return {
    digest,
    mediaType,
    reference: r.ref,
    ...(r.auth.credentialUsed?.source ? { credentialSource: r.auth.credentialUsed?.source } : {}),
    ...(platforms ? { platforms } : {}),
  };
}

function digestMismatch(r: RegistryConnection, digest: string): Result<never> {
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
async function missingTagProblem(r: RegistryConnection, manifestResponse: HttpResponse, tagsUrl: URL): Promise<Result<never>> {
  const tags = await r.request('GET', tagsUrl, MAX_AUX_BYTES, MANIFEST_ACCEPT);
  if (!tags.ok || (tags.value.status !== 200 && tags.value.status !== 404)) return statusProblem(r, manifestResponse);
  const name = formatName(r.ref);
  const privateHint = r.auth.credentialUsed?.source ? '' : ' If the repository is private, log in first: some registries answer 404 rather than 401 to anonymous requests.';
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

function statusProblem(r: RegistryConnection, response: HttpResponse): Result<never> {
  const errors = registryErrors(response.body);
  const codes = new Set(errors.map((error) => error.code));
  const detail = registryErrorText(response.body);
  const name = formatName(r.ref);
  const target = r.ref.digest ? `digest ${r.ref.digest}` : `tag "${r.ref.tag ?? 'latest'}"`;
  switch (response.status) {
    case 401:
      return { ok: false, problem: r.auth.unauthorized(detail) };
    case 403:
      return { ok: false, problem: r.auth.forbidden(detail) };
    case 404: {
      const anonymous = !r.auth.credentialUsed?.source;
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
