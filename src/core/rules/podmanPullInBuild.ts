import { isRun, type RunInstruction, type ShellCommandInFile, type Word } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { isUnder, mountTargets, normalizePath } from './filesystemWrites';
import { finalChainStages, quote } from './helpers';
import type { Rule, RuleFinding } from './types';

/**
 * Pulling a container image during the OS image build: podman/buildah/skopeo store it under /var/lib/containers inside
 * the OS image, and /var content never reaches existing nodes (bootc docs filesystem.md "/var"); docker, crictl, ctr
 * and nerdctl need a daemon the build does not run. People do try `RUN podman pull` (cgwalters in bootc PR #381, the
 * PR that added `bootc container lint`, suggests detecting it at build time). Pulling into a store under /usr
 * (`podman --root /usr/lib/containers/...`, physically bound images) ships the image with the OS and is fine.
 */

const STORE_TOOLS = new Set(['podman', 'buildah']);
const DAEMON_TOOLS: Readonly<Record<string, string>> = { docker: 'the Docker daemon', crictl: 'CRI-O', ctr: 'containerd', nerdctl: 'containerd' };

const GLOBAL_VALUE_OPTIONS = new Set(['--root', '--runroot', '--storage-driver', '--storage-opt', '--imagestore', '--connection', '-c', '--url',
  '--identity', '--log-level', '--cgroup-manager', '--events-backend', '--network-cmd-path', '--runtime', '--tmpdir', '--conmon', '--module',
  '--registries-conf', '--registries-conf-dir', '--config', '--host', '-H', '--context', '--namespace', '-n', '--address', '-a',
  '--runtime-endpoint', '-r', '--image-endpoint', '-i', '--timeout', '-t']);

const SKOPEO_VALUE_OPTIONS = new Set(['--src', '--dest', '--src-creds', '--dest-creds', '--authfile', '--src-authfile', '--dest-authfile', '--format', '-f',
  '--retry-times', '--additional-tag', '--sign-by', '--src-cert-dir', '--dest-cert-dir', '--override-arch', '--override-os',
  '--override-variant', '--multi-arch', '--registries-conf', '--tmpdir', '--dest-compress-format', '--dest-compress-level',
  '--src-shared-blob-dir', '--dest-shared-blob-dir', '--encryption-key', '--decryption-key', '--image-parallel-copies', '--src-username',
  '--src-password', '--dest-username', '--dest-password', '--command-timeout', '--sign-passphrase-file', '--sign-identity']);

export const podmanPullInBuild: Rule = {
  id: 'podman-pull-in-build',
  defaultSeverity: 'warning',
  summary: 'Pulls container images at build time (podman/buildah/docker/crictl pull, skopeo copy), which nodes never receive.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const stage of finalChainStages(context)) {
      for (const run of stage.instructions.filter(isRun)) {
        for (const command of run.commands) {
          const finding = checkCommand(run, command);
          if (finding) findings.push(finding);
        }
      }
    }
    return findings;
  },
};

const ADVICE = 'Copy the files you need with `COPY --from=<image>`, or have the nodes pull the image themselves (a bound image or PinnedImageSet, or the unit that runs it).';

function checkCommand(run: RunInstruction, command: ShellCommandInFile): RuleFinding | undefined {
  const { name, args } = unwrapCommand(command);
  const toolWord = name === command.name ? command.nameWord : command.args[command.args.length - args.length - 1];
  if (!toolWord) return undefined;
  const split = splitGlobal(args, name === 'skopeo' ? SKOPEO_VALUE_OPTIONS : GLOBAL_VALUE_OPTIONS);
  const [first, second] = split.positional;
  const range = (last: Word) => ({ start: toolWord.range.start, end: last.range.end });

  if (STORE_TOOLS.has(name) || name === 'docker' || name === 'nerdctl') {
    const sub = first?.value === 'image' && second?.value === 'pull' ? second : first?.value === 'pull' || (name === 'buildah' && first?.value === 'from') ? first : undefined;
    if (!sub) return undefined;
    const written = `${name} ${first!.value === 'image' ? 'image pull' : sub.value}`;
    const daemon = DAEMON_TOOLS[name];
    if (daemon) return { message: `${quote(written)} needs ${daemon}, which a build does not run: the step fails. ${ADVICE}`, range: range(sub) };
    const root = split.options.get('--root') ?? split.options.get('--imagestore');
    if (!storesInImage(run, root)) return undefined;
    return { message: `${quote(written)} at build time stores the image under ${root ?? '/var/lib/containers'} in the OS image, which nodes never receive (/var is node state). ${ADVICE}`, range: range(sub) };
  }
  if (name === 'crictl' && first?.value === 'pull') {
    return { message: `\`crictl pull\` needs CRI-O, which a build does not run: the step fails. ${ADVICE}`, range: range(first) };
  }
  if (name === 'ctr' && (first?.value === 'images' || first?.value === 'image' || first?.value === 'i') && second?.value === 'pull') {
    return { message: `\`ctr ${first.value} pull\` needs containerd, which a build does not run: the step fails. ${ADVICE}`, range: range(second) };
  }
  if (name === 'skopeo' && (first?.value === 'copy' || first?.value === 'sync')) {
    const destination = first.value === 'copy' ? split.positional[2]?.value : split.options.get('--dest') === 'dir' ? split.positional[2]?.value : undefined;
    const where = destination === undefined ? undefined : skopeoDestinationInVar(run, first.value === 'sync' ? `dir:${destination}` : destination);
    if (!where) return undefined;
    return { message: `\`skopeo ${first.value}\` at build time writes the image to ${where} in the OS image, which nodes never receive (/var is node state). ${ADVICE}`, range: range(first) };
  }
  return undefined;
}

interface GlobalSplit {
  readonly positional: Word[];
  /** Last value of each option (`--root /x` or `--root=/x`). */
  readonly options: Map<string, string | undefined>;
}

function splitGlobal(args: readonly Word[], valueOptions: ReadonlySet<string>): GlobalSplit {
  const positional: Word[] = [];
  const options = new Map<string, string | undefined>();
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value;
    if (value === undefined || !value.startsWith('-')) {
      positional.push(args[i]!);
      continue;
    }
    const eq = value.indexOf('=');
    if (eq >= 0) options.set(value.slice(0, eq), value.slice(eq + 1));
    else if (valueOptions.has(value) && i + 1 < args.length) options.set(value, args[++i]!.value);
    else options.set(value, undefined);
  }
  return { positional, options };
}

/** Whether a store root ends up as image content in /var (the default store is /var/lib/containers/storage). */
function storesInImage(run: RunInstruction, root: string | undefined): boolean {
  const path = root === undefined ? '/var/lib/containers/storage' : normalizePath(root);
  if (path === undefined) return false;
  if (mountTargets(run).some((target) => isUnder(path, target))) return false;
  return isUnder(path, '/var') && !isUnder(path, '/var/tmp') && !isUnder(path, '/var/cache');
}

/** Where a skopeo destination lands when that is under /var in the image; undefined for registries, /usr, /tmp. */
function skopeoDestinationInVar(run: RunInstruction, destination: string): string | undefined {
  if (destination.startsWith('docker-daemon:')) return undefined;
  const storage = /^containers-storage:(?:\[(?:[^@\]]*@)?([^\]+]*)[^\]]*\])?/.exec(destination);
  if (storage) return storesInImage(run, storage[1]) ? storage[1] ?? '/var/lib/containers/storage' : undefined;
  const local = /^(?:dir|oci|oci-archive|docker-archive):([^:]+)/.exec(destination);
  if (!local) return undefined;
  const path = normalizePath(local[1]!);
  return path && storesInImage(run, path) ? path : undefined;
}
