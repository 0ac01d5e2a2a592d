/**
 * The steps of the layering workflow that the editor commands run, as plain functions: settings to registry and build
 * options, pinning an image reference to its digest (with the check that the text did not change meanwhile), and
 * MachineConfigs for an image that was just pushed. The commands only ask, show progress and write.
 */
import { isInsecureRegistry, resolveDigest, type RegistrySession, type ResolvedDigest, type ResolveOptions } from '../image/registry';
import { formatReference, parseReference, withDigest } from '../image/reference';
import type { BuildAndPushOutcome, BuildSpec, BuildTool } from '../build/build';
import { fail, failWith, ok, type Result } from '../problem';
import type { Range, TextEdit } from '../text';
import { generateMachineConfigs, type GeneratedMachineConfig } from './machineconfig';

/** The `rhcosLayering.registry.*` settings. */
export interface RegistrySettings {
  /** Empty: podman's and docker's default auth file locations. */
  readonly authFile: string;
  readonly insecureRegistries: readonly string[];
  readonly timeoutSeconds: number;
  /** Empty: the per-host certs.d directories podman reads. */
  readonly certDirectory: string;
}

export function registryOptions(settings: RegistrySettings, extra: { session?: RegistrySession; signal?: AbortSignal; proxyEnv?: NodeJS.ProcessEnv } = {}): ResolveOptions {
  const authFile = settings.authFile.trim();
  const certDirectory = settings.certDirectory.trim();
  return {
    auth: authFile ? { authFile } : {},
    certificates: certDirectory ? { certDirectory } : {},
    insecureRegistries: settings.insecureRegistries.filter((entry) => entry.trim() !== ''),
    timeoutMs: Math.max(1, Number.isFinite(settings.timeoutSeconds) ? settings.timeoutSeconds : 15) * 1000,
    listPlatforms: false,
    ...(extra.session ? { session: extra.session } : {}),
    ...(extra.signal ? { signal: extra.signal } : {}),
    ...(extra.proxyEnv ? { proxyEnv: extra.proxyEnv } : {}),
  };
}

/** The `rhcosLayering.build.*` settings. */
export interface BuildSettings {
  readonly tool: BuildTool;
  readonly toolPath: string;
  readonly extraArgs: readonly string[];
}

/** What to build and where to push it, from the settings: `--authfile` when configured, no TLS check for insecure registries. */
export function buildSpecFor(input: { containerfile: string; contextDir: string; image: string }, build: BuildSettings, registry: RegistrySettings): BuildSpec {
  const parsed = parseReference(input.image);
  const insecure = parsed.ok && isInsecureRegistry(parsed.value.registry, registry.insecureRegistries);
  const authFile = registry.authFile.trim();
  const certDir = registry.certDirectory.trim();
  return {
    tool: build.tool === 'buildah' ? 'buildah' : 'podman',
    ...(build.toolPath.trim() ? { toolPath: build.toolPath.trim() } : {}),
    containerfile: input.containerfile,
    contextDir: input.contextDir,
    image: input.image,
    ...(authFile ? { authFile } : {}),
    ...(certDir ? { certDir } : {}),
    ...(build.extraArgs.length ? { extraArgs: [...build.extraArgs] } : {}),
    ...(insecure ? { tlsVerify: false } : {}),
  };
}

/** Checks a push destination as the user types it: a tag, no digest. Returns the message to show, or undefined. */
export function pushDestinationProblem(image: string): string | undefined {
  const parsed = parseReference(image.trim());
  if (!parsed.ok) return `${parsed.problem.why}. ${parsed.problem.next}`;
  if (parsed.value.digest) return 'Push to a tag (registry/repository:tag); the digest is what the push reports.';
  if (!parsed.value.registryExplicit) return 'Name the registry the cluster pulls from, e.g. quay.io/org/rhcos-custom:1.0.';
  return undefined;
}

/** The MachineConfigs for an image that was just pushed: the digest is the one the push reported. */
export function machineConfigsForPush(
  pushed: Pick<BuildAndPushOutcome, 'digest'>,
  spec: Pick<BuildSpec, 'image' | 'tool'>,
  request: { pools: readonly string[]; name?: string; containerfile?: string; folderName?: string },
): Result<GeneratedMachineConfig[]> {
  return generateMachineConfigs({ image: spec.image, digest: pushed.digest, digestSource: { kind: 'build', tool: spec.tool }, ...request });
}

export type PinTarget = 'containerfile' | 'osImageURL';

export interface PinPlan {
  readonly image: string;
  readonly range: Range;
  /** `repo:tag@sha256:…` for readers, or `repo@sha256:…`. Only for Containerfiles: osImageURL never keeps the tag. */
  readonly keepTag: boolean;
  readonly target: PinTarget;
}

/**
 * The text that replaces the image. In a Containerfile the reference stays as the user wrote it (a Docker Hub short
 * name stays short) with the digest added; in osImageURL it is fully qualified and without the tag, because
 * rpm-ostree pulls it and refuses tag+digest.
 */
export function pinnedText(image: string, digest: string, plan: Pick<PinPlan, 'keepTag' | 'target'>): Result<string> {
  const parsed = parseReference(image);
  if (!parsed.ok) {
    const { span: _span, ...problem } = parsed.problem;
    void _span;
    return failWith(problem);
  }
  if (plan.target === 'osImageURL') return ok(formatReference({ registry: parsed.value.registry, repository: parsed.value.repository, digest }));
  return ok(withDigest(parsed.value, digest, { keepTag: plan.keepTag }));
}

/** The edit, if the document still has `plan.image` at `plan.range`; otherwise a Problem saying to run it again. */
export function pinEdit(currentText: string, plan: PinPlan, digest: string): Result<TextEdit> {
  if (currentText !== plan.image) {
    return fail(
      `Did not pin ${plan.image}`,
      `the text at that place changed while the digest was looked up (it is now "${currentText.length > 80 ? `${currentText.slice(0, 79)}…` : currentText}")`,
      'Run the quick fix again on the current text.',
    );
  }
  const text = pinnedText(plan.image, digest, plan);
  if (!text.ok) return text;
  return ok({ range: plan.range, newText: text.value });
}

/**
 * Resolves the image and builds the edit, re-reading the text after the lookup (the user may have typed meanwhile).
 * `readCurrent` returns the text now at `plan.range`.
 */
export async function pinToDigest(plan: PinPlan, options: ResolveOptions, readCurrent: () => string): Promise<Result<{ edit: TextEdit; resolved: ResolvedDigest }>> {
  const resolved = await resolveDigest(plan.image, options);
  if (!resolved.ok) return resolved;
  const edit = pinEdit(readCurrent(), plan, resolved.value.digest);
  if (!edit.ok) return edit;
  return ok({ edit: edit.value, resolved: resolved.value });
}
