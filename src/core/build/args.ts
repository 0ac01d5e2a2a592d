/**
 * Pure helpers for building and pushing with podman or buildah: argument lists, progress lines,
 * and how to read a failed push. No processes here; `build.ts` runs them.
 */

export type BuildTool = 'podman' | 'buildah';

export interface BuildSpec {
  readonly tool: BuildTool;
  /** The executable; empty or undefined means the tool name, looked up on PATH. */
  readonly toolPath?: string;
  /** Path of the Containerfile. */
  readonly containerfile: string;
  /** The build context directory. */
  readonly contextDir: string;
  /** Where to push: `registry/repository[:tag]` (no digest). Also the local tag of the built image. */
  readonly image: string;
  /** `--authfile` for pulling the base and pushing (the rhcosLayering.registry.authFile setting). */
  readonly authFile?: string;
  /**
   * Extra arguments as the user configured them (rhcosLayering.build.extraArgs). Options that
   * configure the tool itself (`--storage-driver vfs`, `--root …`) go before the subcommand and
   * are used for push too; the rest are build options.
   */
  readonly extraArgs?: readonly string[];
  /** `--build-arg NAME=VALUE`. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** False: `--tls-verify=false` for pulling and pushing (insecure registries). */
  readonly tlsVerify?: boolean;
  /** `--cert-dir`: a directory of CA certificates (`*.crt`) for the registries. */
  readonly certDir?: string;
  /** `--platform os/arch[/variant]`. */
  readonly platform?: string;
  /** Manifest format to push: `oci` or `v2s2` (Docker). Default: the tool's default. */
  readonly format?: 'oci' | 'v2s2';
  /** Extra options for the push only. */
  readonly pushArgs?: readonly string[];
}

export interface Command {
  readonly program: string;
  readonly args: readonly string[];
}

/** Options of podman/buildah themselves (before the subcommand), with whether they take a value. */
const GLOBAL_OPTIONS: Readonly<Record<string, boolean>> = {
  '--storage-driver': true,
  '--storage-opt': true,
  '--root': true,
  '--runroot': true,
  '--registries-conf': true,
  '--registries-conf-dir': true,
  '--short-name-alias-conf': true,
  '--log-level': true,
  '--cgroup-manager': true,
  '--userns-uid-map': true,
  '--userns-gid-map': true,
  '--connection': true,
  '--url': true,
  '--identity': true,
  '--remote': false,
  '--debug': false,
};

/** Splits configured extra args into tool-wide options (before the subcommand) and build options. */
export function splitExtraArgs(extraArgs: readonly string[] = []): { global: string[]; build: string[] } {
  const global: string[] = [];
  const build: string[] = [];
  for (let i = 0; i < extraArgs.length; i++) {
    const arg = extraArgs[i]!;
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    const takesValue = GLOBAL_OPTIONS[name];
    if (takesValue === undefined) {
      build.push(arg);
    } else if (takesValue && !arg.includes('=') && i + 1 < extraArgs.length) {
      global.push(arg, extraArgs[++i]!);
    } else {
      global.push(arg);
    }
  }
  return { global, build };
}

export function toolProgram(spec: Pick<BuildSpec, 'tool' | 'toolPath'>): string {
  return spec.toolPath && spec.toolPath.trim() !== '' ? spec.toolPath.trim() : spec.tool;
}

function registryOptions(spec: BuildSpec): string[] {
  const args: string[] = [];
  if (spec.authFile) args.push('--authfile', spec.authFile);
  if (spec.tlsVerify === false) args.push('--tls-verify=false');
  if (spec.certDir) args.push('--cert-dir', spec.certDir);
  return args;
}

/** `podman build` / `buildah bud` with `-f`, `-t`, `--iidfile`, registry options, extra args, context. */
export function buildCommand(spec: BuildSpec, files: { iidFile?: string } = {}): Command {
  const { global, build } = splitExtraArgs(spec.extraArgs);
  const args = [...global, spec.tool === 'buildah' ? 'bud' : 'build', '-f', spec.containerfile, '-t', spec.image, ...registryOptions(spec)];
  if (files.iidFile) args.push('--iidfile', files.iidFile);
  if (spec.platform) args.push('--platform', spec.platform);
  for (const [name, value] of Object.entries(spec.buildArgs ?? {})) args.push('--build-arg', `${name}=${value}`);
  args.push(...build, spec.contextDir);
  return { program: toolProgram(spec), args };
}

/** `podman push` / `buildah push` of the built image to `docker://<image>`, writing the pushed digest. */
export function pushCommand(spec: BuildSpec, files: { digestFile: string }, source: string = spec.image): Command {
  const { global } = splitExtraArgs(spec.extraArgs);
  const args = [...global, 'push', '--digestfile', files.digestFile, ...registryOptions(spec)];
  if (spec.format) args.push('--format', spec.format);
  args.push(...(spec.pushArgs ?? []), source, `docker://${spec.image}`);
  return { program: toolProgram(spec), args };
}

export interface StepProgress {
  readonly step: number;
  /** Undefined for tools that print `STEP n:` without a total. */
  readonly total?: number;
  /** `FROM …`, `RUN …` as the tool printed it. */
  readonly instruction: string;
}

/** Reads `STEP 2/5: RUN dnf install -y tmux` (podman 3+, buildah 1.2x) or `STEP 2: RUN …` (older). */
export function parseStepLine(line: string): StepProgress | undefined {
  const match = /^STEP (\d+)(?:\/(\d+))?: ?(.*)$/.exec(line.trim());
  if (!match) return undefined;
  return { step: Number(match[1]), ...(match[2] ? { total: Number(match[2]) } : {}), instruction: match[3] ?? '' };
}

export type PushFailureKind = 'auth' | 'unreachable' | 'tls' | 'plain-http' | 'not-found' | 'other';

/** What a failed push's output says went wrong. */
export function classifyPushFailure(output: string): PushFailureKind {
  if (/server gave HTTP response to HTTPS client/i.test(output)) return 'plain-http';
  if (/x509:|certificate (signed by unknown authority|is not valid|has expired)|tls: /i.test(output)) return 'tls';
  if (/unauthorized|authentication required|requested access to the resource is denied|denied:|\b401\b|\b403\b|invalid username\/password|access to the requested resource is not authorized/i.test(output)) return 'auth';
  if (/connection refused|no such host|dial tcp|i\/o timeout|network is unreachable|no route to host|connection reset/i.test(output)) return 'unreachable';
  if (/name unknown|repository name not known|\b404\b/i.test(output)) return 'not-found';
  return 'other';
}

/** How to install the tool, for a "not found" Problem. */
export function installHint(tool: BuildTool): string {
  return tool === 'podman'
    ? 'Install podman (Fedora/RHEL: `sudo dnf install podman`; Debian/Ubuntu: `sudo apt-get install podman`; macOS/Windows: Podman Desktop or `brew install podman` then `podman machine init && podman machine start`), or set rhcosLayering.build.toolPath to its path.'
    : 'Install buildah (Fedora/RHEL: `sudo dnf install buildah`; Debian/Ubuntu: `sudo apt-get install buildah`), or choose podman in rhcosLayering.build.tool, or set rhcosLayering.build.toolPath to its path.';
}
