import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDigest } from '../core/image/registry';
import { generateMachineConfigs, checkImageForOsImageUrl, joinYamlDocuments, type DigestSource } from '../core/openshift/machineconfig';
import { CONTAINERFILE_ARCHES, generateMachineOSConfig, type ContainerfileArch } from '../core/openshift/machineosconfig';
import { KNOWN_MINOR_VERSIONS, LATEST_VERSION, parseOpenShiftVersion } from '../core/openshift/versions';
import { formatProblem, type Problem } from '../core/problem';
import type { CliIo } from './io';

export const GENERATE_USAGE = `usage: rhcos-layering generate machineconfig --image REF --pool POOL [--pool POOL...] [--name NAME]
           [--resolve] [--containerfile PATH] [--authfile PATH] [--cert-dir DIR]
           [--insecure-registry HOST[:PORT]]... [--timeout SECONDS]
  Prints one MachineConfig per pool (YAML documents separated by ---) that sets spec.osImageURL to the image
  by digest. --resolve asks the registry for the digest of a tag (credentials as podman finds them, or
  --authfile; TLS certificates from the certs.d directories podman reads, or --cert-dir). --name is the MachineConfig's name for one pool; for several pools it is the worker pool's,
  and the others get -<pool> (default os-layer-<folder of --containerfile>, or os-layer-custom).
  Exit status: 0 printed, 1 the registry could not resolve the image, 2 usage error, bad image reference,
  pool or name.

usage: rhcos-layering generate machineosconfig --containerfile PATH --pool POOL --push-spec REF
           --push-secret NAME [--pull-secret NAME] [--arch ARCH] [--target-version 4.N]
  Prints a v1 MachineOSConfig (on-cluster layering, OpenShift 4.18+) whose containerFile is the Containerfile
  rewritten so its final stage is FROM configs AS final (builder stages before it stay). --arch is one of ${CONTAINERFILE_ARCHES.join(', ')} (default NoArch).
  Exit status: 0 printed, 2 usage error or a Containerfile or value the API would refuse.`;

export async function generateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [what, ...rest] = argv;
  if (!what || what === '--help' || what === '-h') {
    (what ? io.stdout : io.stderr)(`${GENERATE_USAGE}\n`);
    return what ? 0 : 2;
  }
  if (what === 'machineconfig' || what === 'mc') return generateMachineConfigCommand(rest, io);
  if (what === 'machineosconfig' || what === 'mosc') return generateMachineOSConfigCommand(rest, io);
  io.stderr(`Unknown kind ${what}: use machineconfig or machineosconfig.\n${GENERATE_USAGE}\n`);
  return 2;
}

type OptionSpecs = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

function parse(argv: readonly string[], options: OptionSpecs, io: CliIo) {
  try {
    return parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${GENERATE_USAGE}\n`);
    return undefined;
  }
}

function problem(io: CliIo, p: Problem, code: number): number {
  io.stderr(`rhcos-layering: ${formatProblem(p)}\n`);
  return code;
}

async function generateMachineConfigCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, {
    image: { type: 'string' },
    pool: { type: 'string', multiple: true },
    name: { type: 'string' },
    resolve: { type: 'boolean' },
    containerfile: { type: 'string' },
    authfile: { type: 'string' },
    'cert-dir': { type: 'string' },
    'insecure-registry': { type: 'string', multiple: true },
    timeout: { type: 'string' },
  }, io);
  if (!parsed) return 2;
  const values = parsed.values as {
    image?: string; pool?: string[]; name?: string; resolve?: boolean; containerfile?: string; authfile?: string;
    'cert-dir'?: string; 'insecure-registry'?: string[]; timeout?: string; help?: boolean;
  };
  if (values.help) {
    io.stdout(`${GENERATE_USAGE}\n`);
    return 0;
  }
  if (values.image === undefined) {
    io.stderr(`--image is required.\n${GENERATE_USAGE}\n`);
    return 2;
  }
  if (!values.pool || values.pool.length === 0) {
    io.stderr(`--pool is required (e.g. --pool worker).\n${GENERATE_USAGE}\n`);
    return 2;
  }
  const timeoutSeconds = values.timeout === undefined ? 15 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    io.stderr(`--timeout must be a positive number of seconds, not ${values.timeout}.\n`);
    return 2;
  }
  // Validate everything before asking the registry anything, so a typo never costs a network round trip.
  const ref = checkImageForOsImageUrl(values.image);
  if (!ref.ok) return problem(io, ref.problem, 2);
  const containerfile = values.containerfile;
  const base = { image: values.image, pools: values.pool, ...(values.name !== undefined ? { name: values.name } : {}), ...(containerfile ? { containerfile: containerfile.split(path.sep).join('/'), folderName: path.basename(path.dirname(path.resolve(containerfile))) } : {}) };
  const dryRun = generateMachineConfigs(base);
  if (!dryRun.ok) return problem(io, dryRun.problem, 2);

  let digest: string | undefined;
  let digestSource: DigestSource | undefined;
  if (values.resolve) {
    const resolved = await resolveDigest(ref.value, {
      auth: values.authfile ? { authFile: values.authfile } : {},
      insecureRegistries: values['insecure-registry'] ?? [],
      certificates: values['cert-dir'] ? { certDirectory: values['cert-dir'] } : {},
      timeoutMs: timeoutSeconds * 1000,
      listPlatforms: false,
    });
    if (!resolved.ok) return problem(io, resolved.problem, 1);
    digest = resolved.value.digest;
    digestSource = ref.value.digest ? { kind: 'reference' } : { kind: 'registry', tag: ref.value.tag ?? 'latest' };
  } else if (!ref.value.digest) {
    digestSource = { kind: 'unresolved', reason: 'generated without --resolve' };
    io.stderr(`rhcos-layering: warning: ${values.image} is not pinned by digest; pass --resolve to look the digest up.\n`);
  }
  const generated = generateMachineConfigs({ ...base, ...(digest ? { digest } : {}), ...(digestSource ? { digestSource } : {}) });
  if (!generated.ok) return problem(io, generated.problem, 2);
  io.stdout(joinYamlDocuments(generated.value));
  return 0;
}

async function generateMachineOSConfigCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, {
    containerfile: { type: 'string' },
    pool: { type: 'string' },
    'push-spec': { type: 'string' },
    'push-secret': { type: 'string' },
    'pull-secret': { type: 'string' },
    arch: { type: 'string' },
    'target-version': { type: 'string' },
  }, io);
  if (!parsed) return 2;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.stdout(`${GENERATE_USAGE}\n`);
    return 0;
  }
  const missing = ['containerfile', 'pool', 'push-spec', 'push-secret'].filter((key) => typeof values[key] !== 'string');
  if (missing.length > 0) {
    io.stderr(`${missing.map((m) => `--${m}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required.\n${GENERATE_USAGE}\n`);
    return 2;
  }
  const versionText = values['target-version'] as string | undefined;
  const targetVersion = versionText === undefined ? LATEST_VERSION : parseOpenShiftVersion(versionText);
  if (!targetVersion || !(KNOWN_MINOR_VERSIONS as readonly number[]).includes(targetVersion.minor)) {
    io.stderr(`Unknown --target-version ${versionText}: use one of ${KNOWN_MINOR_VERSIONS.map((m) => `4.${m}`).join(', ')}.\n`);
    return 2;
  }
  const arch = (values.arch as string | undefined) ?? 'NoArch';
  if (!(CONTAINERFILE_ARCHES as readonly string[]).includes(arch)) {
    io.stderr(`Unknown --arch ${arch}: use one of ${CONTAINERFILE_ARCHES.join(', ')}.\n`);
    return 2;
  }
  const file = values.containerfile as string;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    io.stderr(`rhcos-layering: cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}\n`);
    return 2;
  }
  const generated = generateMachineOSConfig({
    pool: values.pool as string,
    renderedImagePushSpec: values['push-spec'] as string,
    renderedImagePushSecret: values['push-secret'] as string,
    ...(typeof values['pull-secret'] === 'string' ? { baseImagePullSecret: values['pull-secret'] } : {}),
    containerfiles: [{ arch: arch as ContainerfileArch, text }],
    targetVersion,
    containerfile: file.split(path.sep).join('/'),
  });
  if (!generated.ok) return problem(io, generated.problem, 2);
  for (const note of generated.value.notes) io.stderr(`rhcos-layering: note: ${note}\n`);
  io.stdout(generated.value.yaml);
  return 0;
}
