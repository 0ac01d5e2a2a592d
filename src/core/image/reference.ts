/**
 * Image references (`quay.io/org/image:tag@sha256:…`), parsed and validated the way the
 * distribution reference grammar (used by podman, buildah, skopeo and the MCO) reads them.
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path-component [ "/" path-component ]*
 *   domain     := host [ ":" port ]
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex   (sha256: 64 hex, sha512: 128 hex)
 *
 * Docker Hub short names are normalised (`busybox` → `docker.io/library/busybox`), and the text
 * the user wrote is kept in `original`. Failures are `Problem`s that also carry the span of the
 * offending part, so an editor can underline it while the user types.
 */
import { Problem } from '../problem';

export const DOCKER_HUB = 'docker.io';
/** The host that actually serves Docker Hub's registry API. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

export interface ImageReference {
  /** The text exactly as given (a reference with spaces is rejected, never trimmed). */
  readonly original: string;
  /** Normalised registry host with optional port: `docker.io`, `quay.io`, `127.0.0.1:5000`, `localhost`. */
  readonly registry: string;
  /** Repository path inside the registry: `library/busybox`, `openshift-release-dev/ocp-v4.0-art-dev`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` (or `sha512:<128 hex>`), lowercase. */
  readonly digest?: string;
  /** Whether the registry was written by the user (false for Docker Hub short names such as `busybox`). */
  readonly registryExplicit: boolean;
}

/** A part of a reference that failed validation, as offsets into the original text (end exclusive). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ReferenceProblem extends Problem {
  readonly span?: Span;
}

export type ReferenceResult =
  | { readonly ok: true; readonly value: ImageReference }
  | { readonly ok: false; readonly problem: ReferenceProblem };

/** A shell/Containerfile variable inside a reference: `${BASE}`, `$TAG`, `${TAG:-latest}`. */
export interface VariablePart extends Span {
  readonly name: string;
  /** The exact text, e.g. `${TAG:-latest}`. */
  readonly text: string;
}

/** What an editor needs for a FROM/osImageURL field: valid, not checkable yet, or wrong (with where). */
export type ReferenceCheck =
  | { readonly kind: 'valid'; readonly ref: ImageReference }
  | { readonly kind: 'variables'; readonly variables: readonly VariablePart[] }
  | { readonly kind: 'invalid'; readonly problem: ReferenceProblem };

const MAX_NAME_LENGTH = 255;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT_RE = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_RE = /^\[[0-9a-fA-F:.]+\]$/;
const DIGEST_LENGTHS: Record<string, number> = { sha256: 64, sha512: 128 };

function problem(text: string, why: string, next: string, span?: Span): { ok: false; problem: ReferenceProblem } {
  const what = text.length > 0 ? `"${text}" is not a valid image reference` : 'The image reference is empty';
  return { ok: false, problem: span ? { what, why, next, span } : { what, why, next } };
}

const EXAMPLE = 'Use the form registry/repository:tag or registry/repository@sha256:<64 hex digits>, e.g. quay.io/org/image:1.0.';

/** Finds `$VAR`, `${VAR}` and `${VAR:-default}`-style parts, as Containerfile ARG expansion writes them. */
export function findVariables(text: string): VariablePart[] {
  const found: VariablePart[] = [];
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:[:]?[-+?=][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    const name = match[1] ?? match[2] ?? '';
    found.push({ name, text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return found;
}

export function hasVariables(text: string): boolean {
  return findVariables(text).length > 0;
}

/**
 * Parses and normalises an image reference. Never throws. A reference with unexpanded variables
 * fails here (it cannot be resolved); use `checkReference` to tell that case apart.
 */
export function parseReference(text: string): ReferenceResult {
  const variables = findVariables(text);
  if (variables.length > 0) {
    const first = variables[0]!;
    return problem(
      text,
      `it contains the unexpanded variable ${first.text}`,
      'Give the variable a value (ARG default or --build-arg) before the image can be resolved.',
      { start: first.start, end: first.end },
    );
  }
  return parseLiteral(text);
}

/**
 * Validation for an editor field or a FROM line: `valid`, `variables` (not an error, just not
 * resolvable until the variables have values), or `invalid` with a span. Literal parts around
 * variables are still checked: `quay.io/MyOrg/${IMAGE}` is invalid because of `MyOrg`.
 */
export function checkReference(text: string): ReferenceCheck {
  const variables = findVariables(text);
  if (variables.length === 0) {
    const parsed = parseLiteral(text);
    return parsed.ok ? { kind: 'valid', ref: parsed.value } : { kind: 'invalid', problem: parsed.problem };
  }
  // Replace each variable by a neutral placeholder of the same length, then validate what is left.
  // Errors whose span touches a variable are not reported: the variable's value could make it valid.
  let substituted = '';
  let last = 0;
  for (const variable of variables) {
    substituted += text.slice(last, variable.start) + 'x'.repeat(variable.end - variable.start);
    last = variable.end;
  }
  substituted += text.slice(last);
  // The placeholder has the variable's length, so spans still point into `text`.
  const parsed = parseLiteral(substituted);
  if (!parsed.ok) {
    const span = parsed.problem.span;
    const touchesVariable =
      !span || variables.some((variable) => span.start <= variable.end && variable.start <= span.end);
    if (!touchesVariable) {
      const what = `"${text}" is not a valid image reference`;
      return { kind: 'invalid', problem: { ...parsed.problem, what, why: parsed.problem.why.replaceAll(substituted, text) } };
    }
  }
  return { kind: 'variables', variables };
}

function parseLiteral(text: string): ReferenceResult {
  if (text.length === 0) {
    return problem(text, 'it is empty', EXAMPLE);
  }
  const space = text.search(/\s/);
  if (space >= 0) {
    let end = space;
    while (end < text.length && /\s/.test(text[end]!)) end++;
    return problem(text, 'it contains whitespace', 'Remove the spaces; an image reference is a single word.', {
      start: space,
      end,
    });
  }
  if (text.includes('://')) {
    const end = text.indexOf('://') + 3;
    return problem(text, `a reference has no URL scheme ("${text.slice(0, end)}")`, `Write it without the scheme: ${text.slice(end)}.`, {
      start: 0,
      end,
    });
  }

  const written = splitWritten(text);
  const rest = written.name;
  if (written.digest !== undefined) {
    const at = written.at;
    const checked = checkDigest(written.digest);
    if (checked) {
      return problem(text, checked, 'A digest is sha256: followed by 64 lowercase hex digits, as `skopeo inspect` prints it.', written.digest.length ? { start: at + 1, end: text.length } : { start: at, end: at + 1 });
    }
    if (at === 0) {
      return problem(text, 'the repository before "@" is missing', EXAMPLE, { start: 0, end: 1 });
    }
  }

  const tag = written.tag;
  if (tag !== undefined) {
    const colon = written.colon;
    const tagSpan = { start: colon + 1, end: colon + 1 + tag.length };
    if (tag.length === 0) {
      return problem(text, 'the tag after ":" is empty', 'Write a tag after the colon, or remove the colon.', { start: colon, end: colon + 1 });
    }
    if (!TAG_RE.test(tag)) {
      const why =
        tag.length > 128
          ? `the tag is ${tag.length} characters long; at most 128 are allowed`
          : `the tag "${tag}" may only contain letters, digits, "_", "." and "-", and must not start with "." or "-"`;
      return problem(text, why, 'Fix the tag.', tagSpan);
    }
  }

  if (rest.length > MAX_NAME_LENGTH) {
    return problem(text, `the repository name is ${rest.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`, 'Use a shorter name.', {
      start: 0,
      end: rest.length,
    });
  }

  let registry = DOCKER_HUB;
  let registryExplicit = false;
  let pathStart = 0;
  const components = written.path.split('/');
  if (written.domain !== undefined) {
    const first = written.domain;
    const hostProblem = checkDomain(first);
    if (hostProblem) {
      return problem(text, hostProblem.why, hostProblem.next, hostProblem.span);
    }
    registry = first === 'index.docker.io' ? DOCKER_HUB : first;
    registryExplicit = true;
    pathStart = first.length + 1;
  }

  let offset = pathStart;
  for (const component of components) {
    const span = { start: offset, end: offset + component.length };
    if (component.length === 0) {
      const where = offset === 0 ? 'it starts with "/"' : offset >= rest.length ? 'it ends with "/"' : 'it has an empty path component ("//")';
      return problem(text, where, EXAMPLE, { start: Math.max(0, offset - 1), end: Math.min(rest.length, offset + 1) });
    }
    if (!PATH_COMPONENT_RE.test(component)) {
      if (component !== component.toLowerCase() && PATH_COMPONENT_RE.test(component.toLowerCase())) {
        return problem(
          text,
          `repository names must be lowercase ("${component}")`,
          `Write it in lowercase: ${component.toLowerCase()}.`,
          span,
        );
      }
      return problem(
        text,
        `"${component}" is not a valid repository path component: use lowercase letters and digits, separated by ".", "_", "__" or "-"`,
        EXAMPLE,
        span,
      );
    }
    offset += component.length + 1;
  }
  let repository = components.join('/');
  if (registry === DOCKER_HUB && components.length === 1) {
    repository = `library/${repository}`;
  }
  if (/^[a-f0-9]{64}$/.test(rest)) {
    return problem(text, 'a 64-character hexadecimal repository name is reserved (it looks like an image ID)', 'Use an image name, not an image ID.', {
      start: pathStart,
      end: rest.length,
    });
  }
  const value: ImageReference = {
    original: text,
    registry,
    repository,
    registryExplicit,
    ...(tag !== undefined ? { tag } : {}),
    ...(written.digest !== undefined ? { digest: written.digest } : {}),
  };
  return { ok: true, value };
}

/**
 * A reference as written, split the way the grammar splits it but neither validated nor normalised: what callers
 * need that classify, describe or edit text that may not be a valid reference (yet), such as a FROM line with a
 * placeholder digest or unexpanded variables. `parseReference` is this split plus validation.
 */
export interface WrittenReference {
  /** Everything before the tag and the digest, as written: `quay.io/org/image`, `busybox`, `${BASE}`. */
  readonly name: string;
  /** The registry host[:port] the name starts with, as written; undefined for Docker Hub short names. */
  readonly domain: string | undefined;
  /** The name without the domain: `org/image`, `busybox` (no `library/` added). */
  readonly path: string;
  /** The text after the tag's ":" (the first ":" after the last "/"), possibly empty. */
  readonly tag: string | undefined;
  /** The text after the first "@", possibly empty. */
  readonly digest: string | undefined;
}

export function splitReference(text: string): WrittenReference {
  const { name, domain, path, tag, digest } = splitWritten(text);
  return { name, domain, path, tag, digest };
}

function splitWritten(text: string): WrittenReference & { readonly at: number; readonly colon: number } {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  let name = at >= 0 ? text.slice(0, at) : text;
  // A tag is after the first ":" that follows the last "/" (a ":" before it belongs to the port).
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  const tag = colon >= 0 ? name.slice(colon + 1) : undefined;
  if (colon >= 0) name = name.slice(0, colon);
  // The first component is a registry when it looks like a host: it has "." or ":", is localhost, or has uppercase.
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const isDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  return { name, domain: isDomain ? first : undefined, path: isDomain ? name.slice(slash + 1) : name, tag, digest, at, colon };
}

/** Why a digest is malformed, or undefined when it is fine. */
export function checkDigest(digest: string): string | undefined {
  if (digest.length === 0) return 'the digest after "@" is empty';
  const colon = digest.indexOf(':');
  if (colon < 0) return `the digest "${digest}" has no algorithm (expected sha256:<hex>)`;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_LENGTHS[algorithm];
  if (length === undefined) return `the digest algorithm "${algorithm}" is not supported (expected sha256)`;
  if (!/^[a-f0-9]*$/.test(hex)) {
    return /^[a-fA-F0-9]*$/.test(hex)
      ? 'the digest must be lowercase hex'
      : `the ${algorithm} digest contains characters that are not hex digits`;
  }
  if (hex.length !== length) return `a ${algorithm} digest has ${length} hex digits, this one has ${hex.length}`;
  return undefined;
}

export function isDigest(text: string): boolean {
  return checkDigest(text) === undefined;
}

function checkDomain(domain: string): { why: string; next: string; span: Span } | undefined {
  const span = { start: 0, end: domain.length };
  let host = domain;
  const portColon = domain.startsWith('[') ? domain.indexOf(':', domain.indexOf(']')) : domain.lastIndexOf(':');
  if (portColon >= 0) {
    const port = domain.slice(portColon + 1);
    host = domain.slice(0, portColon);
    if (!/^[0-9]+$/.test(port) || Number(port) > 65535) {
      return {
        why: port.length ? `the registry port "${port}" is not a number from 0 to 65535` : 'the registry port after ":" is empty',
        next: 'Write the registry as host:port, e.g. registry.example.com:5000.',
        span: { start: portColon + 1, end: domain.length },
      };
    }
  }
  if (host.length === 0) {
    return { why: 'the registry host is empty', next: EXAMPLE, span };
  }
  if (IPV6_RE.test(host)) return undefined;
  for (const part of host.split('.')) {
    if (!DOMAIN_COMPONENT_RE.test(part)) {
      return {
        why: `"${host}" is not a valid registry host name`,
        next: 'A registry host has letters, digits, "-" and "." only, e.g. quay.io or registry.example.com:5000.',
        span: { start: 0, end: host.length },
      };
    }
  }
  return undefined;
}

/** `repository` as the user would write it: `docker.io/library/busybox` → `busybox` when `familiar`. */
export function formatName(ref: Pick<ImageReference, 'registry' | 'repository'>, options: { familiar?: boolean } = {}): string {
  if (options.familiar && ref.registry === DOCKER_HUB) {
    return ref.repository.startsWith('library/') && ref.repository.split('/').length === 2
      ? ref.repository.slice('library/'.length)
      : ref.repository;
  }
  return `${ref.registry}/${ref.repository}`;
}

/** The full, normalised reference: `docker.io/library/busybox:1.36@sha256:…`. */
export function formatReference(
  ref: Pick<ImageReference, 'registry' | 'repository' | 'tag' | 'digest'>,
  options: { familiar?: boolean } = {},
): string {
  let text = formatName(ref, options);
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/**
 * The reference pinned to `digest`: `repo:tag@sha256:…` when `keepTag` (and there is a tag), else
 * `repo@sha256:…`. The registry is written as the user wrote it (a Docker Hub short name stays short).
 */
export function withDigest(ref: ImageReference, digest: string, options: { keepTag?: boolean } = {}): string {
  const reason = checkDigest(digest);
  if (reason) throw new RangeError(`withDigest: ${reason}`);
  const name = formatName(ref, { familiar: !ref.registryExplicit });
  const tag = options.keepTag && ref.tag !== undefined ? `:${ref.tag}` : '';
  return `${name}${tag}@${digest}`;
}

/** The tag or digest to ask the registry for: the digest when there is one, else the tag, else `latest`. */
export function manifestReference(ref: Pick<ImageReference, 'tag' | 'digest'>): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Host name to contact for the registry API (Docker Hub's API lives on a different host). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/**
 * A short form for descriptions and messages: the digest cut to its first 12 hex digits, and with
 * `{ name: 'last' }` only the last path component of the name (`ocp-v4.0-art-dev@sha256:0123456789ab`).
 */
export function shortImage(image: string, options: { name?: 'full' | 'last' } = {}): string {
  const written = splitReference(image);
  const name = options.name === 'last' ? written.name.slice(written.name.lastIndexOf('/') + 1) : written.name;
  const tag = written.tag !== undefined ? `:${written.tag}` : '';
  if (written.digest === undefined) return `${name}${tag}`;
  const colon = written.digest.indexOf(':');
  const digest = colon >= 0 ? `${written.digest.slice(0, colon)}:${written.digest.slice(colon + 1, colon + 13)}` : written.digest;
  return `${name}${tag}@${digest}`;
}
