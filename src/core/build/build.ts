/**
 * Building a layered image with podman or buildah and pushing it, returning the pushed digest
 * and the digest-pinned reference for `spec.osImageURL`. Never throws: failures are Problems.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fail, failWith, ok, Problem, Result } from '../problem';
import { isDigest, parseReference, withDigest, type ImageReference } from '../image/reference';
import { buildCommand, classifyPushFailure, installHint, parseStepLine, pushCommand, type BuildSpec, type Command, type StepProgress } from './args';
import { runProcess, type OutputStream, type RunOutcome } from './process';
import type { TrustCheck } from '../trust';

export type { BuildSpec, BuildTool, StepProgress } from './args';

export type BuildProgress =
  | ({ readonly phase: 'build' } & StepProgress)
  | { readonly phase: 'push'; readonly message: string }
  | { readonly phase: 'done'; readonly digest: string };

export interface RunHooks {
  /** Asked before the tool is started (a build runs whatever the Containerfile says); a refusal is the result's Problem. */
  readonly trust: TrustCheck;
  /** Every output line of the tool, as it comes. */
  readonly onLine?: (line: string, stream: OutputStream) => void;
  /** `STEP n/m` of the build, then push messages, then done. */
  readonly onProgress?: (progress: BuildProgress) => void;
  /** Cancels: the tool's process group is stopped and the result is a "cancelled" Problem. */
  readonly signal?: AbortSignal;
  /** Environment for the tool (e.g. `BUILDAH_ISOLATION=chroot`). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** How many output lines a failure Problem quotes. Default 15. */
  readonly problemLines?: number;
}

export interface BuildOutcome {
  /** The image ID (`sha256:…` of the config) from `--iidfile`, when the tool wrote one. */
  readonly imageId?: string;
  readonly durationMs: number;
}

export interface PushOutcome {
  /** `sha256:…` of the pushed manifest, from `--digestfile`. */
  readonly digest: string;
  /** `registry/repository@sha256:…`: what `spec.osImageURL` should say (no tag: rpm-ostree's docker transport refuses tag+digest). */
  readonly pinnedReference: string;
  /** `registry/repository:tag@sha256:…`, for readers (Containerfile FROM lines). */
  readonly pinnedWithTag: string;
  readonly durationMs: number;
}

export interface BuildAndPushOutcome extends PushOutcome {
  readonly imageId?: string;
  readonly buildMs: number;
  readonly pushMs: number;
}

function checkDestination(spec: BuildSpec): Result<ImageReference> {
  const parsed = parseReference(spec.image);
  if (!parsed.ok) {
    const { span: _span, ...problem } = parsed.problem;
    void _span;
    return { ok: false, problem: { ...problem, what: `Cannot push to "${spec.image}"` } };
  }
  if (parsed.value.digest) {
    return fail(`Cannot push to "${spec.image}"`, 'the destination has a digest; a push needs a tag', 'Name the destination as registry/repository:tag.');
  }
  return parsed;
}

function lastLines(tail: readonly string[], count: number): string {
  const lines = tail.filter((line) => line.trim() !== '').slice(-count);
  return lines.length ? `\n${lines.join('\n')}` : '';
}

function startProblem(spec: BuildSpec, command: Command, outcome: RunOutcome, what: string): Problem | undefined {
  const error = outcome.spawnError;
  if (!error) return undefined;
  if (error.code === 'ENOENT') {
    return { what, why: `${spec.tool} was not found (${command.program === spec.tool ? 'not on PATH' : command.program})`, next: installHint(spec.tool) };
  }
  if (error.code === 'EACCES') {
    return { what, why: `${command.program} is not executable`, next: 'Check rhcosLayering.build.toolPath and the file permissions.' };
  }
  return { what, why: `${command.program} could not be started (${error.code ?? error.message})`, next: 'Check rhcosLayering.build.tool and rhcosLayering.build.toolPath.' };
}

async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rhcos-layering-build-'));
  try {
    return await body(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Builds the Containerfile into a local image tagged `spec.image`. */
export async function buildImage(spec: BuildSpec, hooks: RunHooks): Promise<Result<BuildOutcome>> {
  const what = `Building ${spec.image} failed`;
  const refused = hooks.trust(`build ${spec.image} with ${spec.tool}`);
  if (refused) return failWith(refused);
  const destination = checkDestination(spec);
  if (!destination.ok) return destination;
  for (const [file, kind] of [
    [spec.containerfile, 'Containerfile'],
    [spec.contextDir, 'build context'],
  ] as const) {
    try {
      await fs.access(file);
    } catch {
      return fail(what, `the ${kind} ${file} does not exist`, 'Check the path.');
    }
  }
  return withTempDir(async (dir) => {
    const iidFile = path.join(dir, 'iid');
    const command = buildCommand(spec, { iidFile });
    const started = Date.now();
    let lastStep: StepProgress | undefined;
    const outcome = await runProcess({
      program: command.program,
      args: command.args,
      ...(hooks.env ? { env: hooks.env } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onLine: (line, stream) => {
        hooks.onLine?.(line, stream);
        const step = parseStepLine(line);
        if (step) {
          lastStep = step;
          hooks.onProgress?.({ phase: 'build', ...step });
        }
      },
    });
    const notStarted = startProblem(spec, command, outcome, what);
    if (notStarted) return { ok: false, problem: notStarted };
    if (outcome.cancelled) return fail(`Building ${spec.image} was cancelled`, 'the build was stopped on request', 'Start the build again when ready.');
    if (outcome.exitCode !== 0) {
      const at = lastStep ? ` at STEP ${lastStep.step}${lastStep.total ? `/${lastStep.total}` : ''} (${truncate(lastStep.instruction, 80)})` : '';
      return fail(
        what,
        `${spec.tool} ${spec.tool === 'buildah' ? 'bud' : 'build'} exited with code ${outcome.exitCode ?? 'unknown'}${at}:${lastLines(outcome.tail, hooks.problemLines ?? 15)}`,
        'Fix the failing instruction in the Containerfile (the full output is in the output channel) and build again.',
      );
    }
    const imageId = (await fs.readFile(iidFile, 'utf8').catch(() => '')).trim();
    return ok({ ...(imageId ? { imageId: imageId.startsWith('sha256:') ? imageId : `sha256:${imageId}` } : {}), durationMs: Date.now() - started });
  });
}

/** Pushes the local image (`source`, default `spec.image`) to `docker://spec.image` and reads the pushed digest. */
export async function pushImage(spec: BuildSpec, hooks: RunHooks & { readonly source?: string }): Promise<Result<PushOutcome>> {
  const what = `Pushing ${spec.image} failed`;
  const refused = hooks.trust(`push ${spec.image} with ${spec.tool}`);
  if (refused) return failWith(refused);
  const destination = checkDestination(spec);
  if (!destination.ok) return destination;
  const ref = destination.value;
  return withTempDir(async (dir) => {
    const digestFile = path.join(dir, 'digest');
    const command = pushCommand(spec, { digestFile }, hooks.source);
    const started = Date.now();
    const outcome = await runProcess({
      program: command.program,
      args: command.args,
      ...(hooks.env ? { env: hooks.env } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onLine: (line, stream) => {
        hooks.onLine?.(line, stream);
        const message = line.trim();
        if (/^(Getting image source signatures|Copying (blob|config)|Writing manifest|Storing signatures)/.test(message)) {
          hooks.onProgress?.({ phase: 'push', message });
        }
      },
    });
    const notStarted = startProblem(spec, command, outcome, what);
    if (notStarted) return { ok: false, problem: notStarted };
    if (outcome.cancelled) return fail(`Pushing ${spec.image} was cancelled`, 'the push was stopped on request', 'Push again when ready.');
    if (outcome.exitCode !== 0) return { ok: false, problem: pushProblem(spec, ref, outcome, hooks.problemLines ?? 15) };
    const digest = (await fs.readFile(digestFile, 'utf8').catch(() => '')).trim();
    if (!isDigest(digest)) {
      return fail(what, `${spec.tool} push succeeded but did not write the pushed digest (--digestfile)`, `Update ${spec.tool}; --digestfile is needed to pin the image.`);
    }
    hooks.onProgress?.({ phase: 'done', digest });
    return ok({
      digest,
      pinnedReference: withDigest(ref, digest, { keepTag: false }),
      pinnedWithTag: withDigest(ref, digest, { keepTag: true }),
      durationMs: Date.now() - started,
    });
  });
}

function pushProblem(spec: BuildSpec, ref: ImageReference, outcome: RunOutcome, lines: number): Problem {
  const what = `Pushing ${spec.image} failed`;
  const output = outcome.tail.join('\n');
  // The tool's own "Error: …" line says it best; retry warnings before it only repeat it.
  const errorLine = [...outcome.tail].reverse().find((line) => /^(Error|error):? /.test(line.trim()));
  const quoted = errorLine ? `\n${errorLine.trim()}` : lastLines(outcome.tail, Math.min(lines, 6));
  const exited = `${spec.tool} push exited with code ${outcome.exitCode ?? 'unknown'}`;
  switch (classifyPushFailure(output)) {
    case 'auth':
      return {
        what,
        why: `the registry ${ref.registry} refused the push (authentication or permission)${spec.authFile ? ` using ${spec.authFile}` : ''}:${quoted}`,
        next: `Log in with \`${spec.tool} login ${ref.registry}\` (or set rhcosLayering.registry.authFile); the account needs push access to ${ref.repository}.`,
      };
    case 'unreachable':
      return { what, why: `the registry ${ref.registry} could not be reached:${quoted}`, next: 'Check the registry host and port, the network or VPN, and that the registry is up.' };
    case 'tls':
      return {
        what,
        why: `the TLS certificate of ${ref.registry} was not accepted:${quoted}`,
        next: `Trust the registry's CA (a --cert-dir with its ca.crt, or /etc/containers/certs.d/${ref.registry}/ca.crt), or mark it insecure in registries.conf.`,
      };
    case 'plain-http':
      return { what, why: `${ref.registry} speaks plain HTTP, not HTTPS:${quoted}`, next: `Mark ${ref.registry} as insecure in registries.conf, or push with --tls-verify=false.` };
    case 'not-found':
      return { what, why: `the registry does not accept the repository ${ref.repository}:${quoted}`, next: 'Check the repository name; some registries need the repository to be created first.' };
    case 'other':
      return { what, why: `${exited}:${quoted}`, next: 'See the output channel for the full output.' };
  }
}

/** Builds, then pushes; the result has the pushed digest and the digest-pinned reference. */
export async function buildAndPush(spec: BuildSpec, hooks: RunHooks): Promise<Result<BuildAndPushOutcome>> {
  const built = await buildImage(spec, hooks);
  if (!built.ok) return built;
  const pushed = await pushImage(spec, hooks);
  if (!pushed.ok) return pushed;
  return ok({
    ...pushed.value,
    ...(built.value.imageId ? { imageId: built.value.imageId } : {}),
    buildMs: built.value.durationMs,
    pushMs: pushed.value.durationMs,
  });
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
