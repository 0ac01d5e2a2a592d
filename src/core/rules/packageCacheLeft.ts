import { packageOperations, unwrapCommand, type PackageOperation } from '../containerfile/packages';
import { isRun, type ContainerfileModel, type RunInstruction, type ShellCommandInFile, type Word } from '../containerfile/model';
import { finalChainStages } from './helpers';
import { appendAfterCommand } from './commandInsertions';
import type { Fix, Rule, RuleFinding } from './types';

/** Where dnf (4 and 5), yum, microdnf and rpm-ostree keep repository metadata and downloaded packages. */
const CACHE_DIRECTORIES = ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum', '/var/cache/rpm-ostree'];

type Family = 'dnf' | 'rpm-ostree';

/**
 * Repository metadata and downloaded RPMs left in /var/cache are committed into the layer (a later RUN cannot take them
 * back out), so every node pulls them during the rollout. The docs clean up in the same RUN: `dnf clean all` (4.18+),
 * `rpm-ostree cleanup -m` (4.13 hotfix example); hadolint DL3040 checks the same for dnf. `ostree container commit`
 * empties /var/cache itself (ostree-ext commit.rs), and a `RUN --mount=type=cache` on the cache keeps it out of the
 * image. Only the stages the node image is built from are checked.
 */
export const packageCacheLeft: Rule = {
  id: 'package-cache-left',
  defaultSeverity: 'info',
  summary: 'A RUN installs packages but leaves the package manager\'s cache in the image.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const stage of finalChainStages(context)) {
      for (const run of stage.instructions.filter(isRun)) {
        if (mountsCache(run)) continue;
        const operations = packageOperations(run);
        for (const family of ['dnf', 'rpm-ostree'] as const) {
          const installs = operations.filter((operation) => fillsCache(operation, family));
          const last = installs[installs.length - 1];
          if (!last) continue;
          const lastIndex = run.commands.indexOf(last.command);
          if (run.commands.slice(lastIndex + 1).some((command) => cleansCache(command, family))) continue;
          findings.push(finding(context.model, run, operations, family, last));
        }
      }
    }
    return findings;
  },
};

function fillsCache(operation: PackageOperation, family: Family): boolean {
  // `override remove … --install X` (the kernel swap) fetches X's repository metadata like an install does.
  if (family === 'rpm-ostree') {
    return operation.manager === 'rpm-ostree' &&
      (operation.action === 'install' || operation.action === 'replace' || operation.packages.some((pkg) => pkg.effect === 'install'));
  }
  const isDnf = operation.manager === 'dnf' || operation.manager === 'yum' || operation.manager === 'microdnf';
  return isDnf && (operation.action === 'install' || operation.action === 'update' || operation.action === 'swap');
}

function cleansCache(command: ShellCommandInFile, family: Family): boolean {
  const { name, args } = unwrapCommand(command);
  const values = args.map((arg) => arg.value);
  if (name === 'ostree' && values[0] === 'container' && values[1] === 'commit') return true;
  if (family === 'rpm-ostree') {
    return name === 'rpm-ostree' && values[0] === 'cleanup' && values.slice(1).some((v) => v !== undefined && /^(?:-[a-z]*[mabr][a-z]*|--(?:repomd|base|rollback))$/.test(v));
  }
  if (/^(?:dnf5?|dnf-3|yum|microdnf|tdnf)$/.test(name)) {
    const positional = values.filter((v) => v !== undefined && !v.startsWith('-'));
    return positional[0] === 'clean' && positional[1] === 'all';
  }
  if (name === 'rm') return args.some((arg) => removesCache(arg));
  return false;
}

/** `rm -rf /var/cache/dnf`, `/var/cache/libdnf5*`, `/var/cache/*`, `/var/cache`, `/var/cache/{dnf,yum}`. */
function removesCache(arg: Word): boolean {
  if (arg.value === undefined || arg.value.startsWith('-')) return false;
  // Brace expansion already made one word per path (`/var/cache/{dnf,yum}` is two words).
  const trimmed = arg.value.replace(/\/+$/, '');
  if (trimmed === '/var/cache' || trimmed === '/var/cache/*') return true;
  return CACHE_DIRECTORIES.some((dir) => trimmed === dir || trimmed === `${dir}*` || trimmed === `${dir}/*`);
}

/** `RUN --mount=type=cache,target=/var/cache/libdnf5` (or tmpfs, or any of the cache directories, or /var/cache). */
function mountsCache(run: RunInstruction): boolean {
  return run.mounts.some((mount) => {
    const type = mount.get('type');
    const target = (mount.get('target') ?? mount.get('dst') ?? mount.get('destination') ?? '').replace(/\/+$/, '');
    return (type === 'cache' || type === 'tmpfs') && (target === '/var/cache' || CACHE_DIRECTORIES.includes(target));
  });
}

function finding(model: ContainerfileModel, run: RunInstruction, operations: readonly PackageOperation[], family: Family, install: PackageOperation): RuleFinding {
  const manager = managerWord(install);
  const cleanup = family === 'rpm-ostree' ? 'rpm-ostree cleanup -m' : `${manager} clean all`;
  // Append after the last command of that package manager, where the chain of package commands ends.
  const last = [...operations].reverse().find((operation) => family === 'rpm-ostree' ? operation.manager === 'rpm-ostree' : operation.manager !== 'rpm-ostree' && operation.manager !== 'rpm');
  const edit = last ? appendAfterCommand(model, run, last.command, cleanup) : undefined;
  const fixes: Fix[] = edit ? [{ kind: 'edit', title: `Append \`${cleanup}\``, edits: [edit], preferred: true }] : [];
  return {
    message: `\`${manager} ${install.subcommand}${install.action === 'remove' ? ' … --install' : ''}\` leaves the package cache in this layer: add \`${cleanup}\` at the end of the same RUN (or use a cache mount).`,
    range: managerNameWord(install).range,
    fixes,
  };
}

/** The word naming the package manager (after `sudo`, `env X=1` and similar wrappers). */
function managerNameWord(operation: PackageOperation): Word {
  const command = operation.command;
  const { args } = unwrapCommand(command);
  if (args.length === command.args.length) return command.nameWord;
  return command.args[command.args.length - args.length - 1] ?? command.nameWord;
}

function managerWord(operation: PackageOperation): string {
  const value = managerNameWord(operation).value ?? operation.manager;
  return value.slice(value.lastIndexOf('/') + 1);
}
