/**
 * A failure the user can act on. Every layer returns these as values instead of throwing strings,
 * so the editor, the tree and the CLI can all say what failed, why, and what to do next.
 */
export interface Problem {
  /** What the user asked for that did not happen, e.g. "Could not resolve quay.io/x/y:latest". */
  readonly what: string;
  /** The cause as far as we know it, e.g. "the registry answered 401 Unauthorized". */
  readonly why: string;
  /** The next step, e.g. "Log in with `podman login quay.io` or set rhcosLayering.registry.authFile". */
  readonly next: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(what: string, why: string, next: string): Result<T> {
  return { ok: false, problem: { what, why, next } };
}

export function failWith<T = never>(problem: Problem): Result<T> {
  return { ok: false, problem };
}

/** One line for logs, notifications and CLI stderr. */
export function formatProblem(problem: Problem): string {
  const why = problem.why.replace(/[.\s]+$/, '');
  return `${problem.what}: ${why}. ${problem.next}`;
}

/** Best-effort message of an unknown thrown value, for the `why` of a Problem. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? ` (${cause.message})` : '';
    return `${error.message}${causeText}`;
  }
  return String(error);
}
