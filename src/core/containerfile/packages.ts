import type { Range } from '../text';
import type { RunInstruction, ShellCommandInFile, Word } from './model';

export type PackageManager = 'rpm-ostree' | 'dnf' | 'yum' | 'microdnf' | 'rpm';

/**
 * What the command does with packages. `replace` is `rpm-ostree override replace`; `update` covers upgrade and
 * distro-sync; `config` covers `dnf config-manager` and repository setup.
 */
export type PackageAction = 'install' | 'remove' | 'replace' | 'update' | 'swap' | 'clean' | 'cleanup' | 'cliwrap' | 'config' | 'other';

export interface PackageArgument {
  /** RPM name (from a name, an N-V-R, an RPM file or URL); undefined when the word has an unknown variable. */
  readonly name: string | undefined;
  /** The argument (one result of brace expansion), e.g. `kernel-core-5.14.0.rpm`. */
  readonly spec: string;
  readonly kind: 'name' | 'file' | 'url' | 'group' | 'unknown';
  readonly isSourceRpm: boolean;
  /** Whether the package ends up installed or removed by this command. */
  readonly effect: 'install' | 'remove';
  readonly range: Range;
}

export interface PackageOperation {
  readonly manager: PackageManager;
  readonly action: PackageAction;
  /** The subcommand as written, e.g. `install`, `override replace`, `-Uvh`. */
  readonly subcommand: string;
  readonly packages: readonly PackageArgument[];
  /** Literal option words (`-y`, `--nogpgcheck`, `--setopt=gpgcheck=0`, `--add-repo`) and the values they took. */
  readonly options: readonly string[];
  readonly command: ShellCommandInFile;
}

const WRAPPERS = new Set(['sudo', 'env', 'exec', 'command', 'nohup', 'time', 'nice', 'stdbuf']);

/** Wrapper options written with their value as the next word (`sudo -u core`, `nice -n 10`, `env -u VAR`). */
const WRAPPER_VALUE_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  sudo: new Set(['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-T', '--command-timeout', '-U', '--other-user', '-R', '--chroot']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  exec: new Set(['-a']),
  nice: new Set(['-n', '--adjustment']),
  stdbuf: new Set(['-i', '--input', '-o', '--output', '-e', '--error']),
  time: new Set(['-f', '--format', '-o', '--output']),
};

/** Options that take the next word as their value, per manager, so the value is not read as a package. */
const VALUE_OPTIONS: Record<PackageManager, ReadonlySet<string>> = {
  'rpm-ostree': new Set(['--repo', '--enablerepo', '--disablerepo', '--from', '--install', '--remove', '--uninstall', '--sysroot', '--os', '--releasever', '--replace']),
  dnf: new Set(['--repo', '--repoid', '--enablerepo', '--disablerepo', '--setopt', '--installroot', '--releasever', '-x', '--exclude', '--repofrompath', '--config', '-c', '--forcearch', '--use-host-config', '--from-repofile', '--add-repo', '--destdir', '--downloaddir', '--comment', '--best', '-R', '--setvar']),
  yum: new Set(['--repo', '--repoid', '--enablerepo', '--disablerepo', '--setopt', '--installroot', '--releasever', '-x', '--exclude', '--repofrompath', '--config', '-c', '--add-repo']),
  microdnf: new Set(['--enablerepo', '--disablerepo', '--setopt', '--installroot', '--releasever', '--config', '--setvar']),
  rpm: new Set(['--root', '--dbpath', '--define', '-D', '--excludepath', '--prefix', '--relocate']),
};

export function packageManagerOf(commandName: string): PackageManager | undefined {
  if (commandName === 'rpm-ostree') return 'rpm-ostree';
  if (commandName === 'dnf' || commandName === 'dnf5' || commandName === 'dnf-3' || commandName === 'tdnf') return 'dnf';
  if (commandName === 'yum') return 'yum';
  if (commandName === 'microdnf') return 'microdnf';
  if (commandName === 'rpm') return 'rpm';
  return undefined;
}

/** The command after wrappers such as `sudo`, `env FOO=1` or `exec`: its name and the words after the name. */
export function unwrapCommand(command: ShellCommandInFile): { name: string; args: readonly Word[] } {
  let name = command.name;
  let args = command.args;
  for (let guard = 0; WRAPPERS.has(name) && guard < 4; guard++) {
    const valueOptions = WRAPPER_VALUE_OPTIONS[name];
    let index = 0;
    while (index < args.length) {
      const value = args[index]!.value ?? '';
      if (value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) index += valueOptions?.has(value) ? 2 : 1;
      else break;
    }
    const next = args[index];
    if (!next || next.value === undefined) return { name, args };
    name = next.value.slice(next.value.lastIndexOf('/') + 1);
    args = args.slice(index + 1);
  }
  return { name, args };
}

const operationCache = new WeakMap<RunInstruction, readonly PackageOperation[]>();

/** Package operations in one RUN instruction, in file order. Memoised per instruction object. */
export function packageOperations(run: RunInstruction): readonly PackageOperation[] {
  const cached = operationCache.get(run);
  if (cached) return cached;
  const operations: PackageOperation[] = [];
  for (const command of run.commands) {
    const operation = packageOperation(command);
    if (operation) operations.push(operation);
  }
  operationCache.set(run, operations);
  return operations;
}

export function packageOperation(command: ShellCommandInFile): PackageOperation | undefined {
  const { name, args } = unwrapCommand(command);
  const manager = packageManagerOf(name);
  if (!manager) return undefined;
  switch (manager) {
    case 'rpm-ostree':
      return rpmOstreeOperation(args, command);
    case 'rpm':
      return rpmOperation(args, command);
    default:
      return dnfOperation(manager, args, command);
  }
}

interface SplitWords {
  readonly positional: Word[];
  readonly options: string[];
  /** Values of options that carry packages, e.g. rpm-ostree `--install X`. */
  readonly optionValues: Map<string, Word[]>;
}

function splitOptions(manager: PackageManager, args: readonly Word[]): SplitWords {
  const positional: Word[] = [];
  const options: string[] = [];
  const optionValues = new Map<string, Word[]>();
  const valueOptions = VALUE_OPTIONS[manager];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const value = word.value;
    if (value === undefined || !value.startsWith('-') || value === '-') {
      positional.push(word);
      continue;
    }
    options.push(value);
    const eq = value.indexOf('=');
    const optionName = eq >= 0 ? value.slice(0, eq) : value;
    if (eq < 0 && valueOptions.has(optionName) && i + 1 < args.length) {
      const next = args[++i]!;
      options.push(next.value ?? next.raw);
      optionValues.set(optionName, [...(optionValues.get(optionName) ?? []), next]);
    } else if (eq >= 0) {
      const pseudo: Word = { raw: word.raw, value: value.slice(eq + 1), range: word.range };
      optionValues.set(optionName, [...(optionValues.get(optionName) ?? []), pseudo]);
    }
  }
  return { positional, options, optionValues };
}

function rpmOstreeOperation(args: readonly Word[], command: ShellCommandInFile): PackageOperation {
  const { positional, options, optionValues } = splitOptions('rpm-ostree', args);
  const [first, second, ...rest] = positional;
  const verb = first?.value ?? '';
  const make = (action: PackageAction, subcommand: string, packages: PackageArgument[]): PackageOperation =>
    ({ manager: 'rpm-ostree', action, subcommand, packages, options, command });
  const extraInstalls = (optionValues.get('--install') ?? []).flatMap((word) => packageArguments(word, 'install'));
  switch (verb) {
    case 'install':
    case 'pkg-add':
      return make('install', verb, [...[second, ...rest].filter(isWord).flatMap((word) => packageArguments(word, 'install')), ...extraInstalls]);
    case 'uninstall':
    case 'pkg-remove':
      return make('remove', verb, [second, ...rest].filter(isWord).flatMap((word) => packageArguments(word, 'remove')));
    case 'override': {
      const sub = second?.value ?? '';
      const targets = rest.flatMap((word) => packageArguments(word, sub === 'remove' ? 'remove' : 'install'));
      if (sub === 'replace') return make('replace', 'override replace', targets);
      if (sub === 'remove') return make('remove', 'override remove', [...targets, ...extraInstalls]);
      return make('other', `override ${sub}`.trim(), []);
    }
    case 'cliwrap':
      return make('cliwrap', `cliwrap ${second?.value ?? ''}`.trim(), []);
    case 'cleanup':
      return make('cleanup', 'cleanup', []);
    case 'upgrade':
      return make('update', 'upgrade', []);
    default:
      return make('other', verb, []);
  }
}

const DNF_VERBS: Record<string, PackageAction> = {
  install: 'install', in: 'install', reinstall: 'install', localinstall: 'install', downgrade: 'install',
  remove: 'remove', erase: 'remove', rm: 'remove', autoremove: 'remove',
  upgrade: 'update', update: 'update', up: 'update', 'distro-sync': 'update', 'upgrade-minimal': 'update', distrosync: 'update',
  swap: 'swap', clean: 'clean', 'config-manager': 'config', copr: 'config',
  groupinstall: 'install', group: 'other', module: 'other', makecache: 'other',
};

function dnfOperation(manager: PackageManager, args: readonly Word[], command: ShellCommandInFile): PackageOperation {
  const { positional, options } = splitOptions(manager, args);
  const [first, ...rest] = positional;
  const verb = first?.value ?? '';
  let action = DNF_VERBS[verb] ?? 'other';
  let subcommand = verb;
  let packages: PackageArgument[] = [];
  if (verb === 'group' && (rest[0]?.value === 'install' || rest[0]?.value === 'remove')) {
    action = rest[0].value === 'install' ? 'install' : 'remove';
    subcommand = `group ${rest[0].value}`;
    packages = rest.slice(1).map((word) => groupArgument(word, action === 'install' ? 'install' : 'remove'));
  } else if (verb === 'groupinstall') {
    packages = rest.map((word) => groupArgument(word, 'install'));
  } else if (verb === 'swap') {
    packages = [...(rest[0] ? packageArguments(rest[0], 'remove') : []), ...rest.slice(1).flatMap((word) => packageArguments(word, 'install'))];
  } else if (action === 'install' || action === 'update') {
    packages = rest.flatMap((word) => packageArguments(word, 'install'));
  } else if (action === 'remove') {
    packages = rest.flatMap((word) => packageArguments(word, 'remove'));
  } else if (action === 'config') {
    // `dnf config-manager addrepo --from-repofile=URL` (dnf5) or `--add-repo URL` (dnf4): keep the positional words as options to inspect.
    options.push(...rest.map((word) => word.value ?? word.raw));
  }
  return { manager, action, subcommand, packages, options, command };
}

function rpmOperation(args: readonly Word[], command: ShellCommandInFile): PackageOperation {
  const { positional, options } = splitOptions('rpm', args);
  let action: PackageAction = 'other';
  let subcommand = '';
  for (const option of options) {
    if (option === '--import' || option.startsWith('--query') || /^-q[a-zA-Z]*$/.test(option)) {
      subcommand = option;
      break;
    }
    if (/^--(?:install|upgrade|freshen|reinstall)$/.test(option) || /^-[a-zA-Z]*[iUF][a-zA-Z]*$/.test(option)) {
      action = 'install';
      subcommand = option;
      break;
    }
    if (option === '--erase' || /^-[a-zA-Z]*e[a-zA-Z]*$/.test(option)) {
      action = 'remove';
      subcommand = option;
      break;
    }
  }
  const effect = action === 'remove' ? 'remove' : 'install';
  const packages = action === 'install' || action === 'remove' ? positional.flatMap((word) => packageArguments(word, effect)) : [];
  return { manager: 'rpm', action, subcommand, packages, options, command };
}

function isWord(word: Word | undefined): word is Word {
  return word !== undefined;
}

function groupArgument(word: Word, effect: 'install' | 'remove'): PackageArgument {
  return { name: undefined, spec: word.value ?? word.raw, kind: 'group', isSourceRpm: false, effect, range: word.range };
}

/** One argument word as a package (brace expansion already made one word per package: see shell.ts). */
export function packageArguments(word: Word, effect: 'install' | 'remove'): PackageArgument[] {
  if (word.value === undefined) return argumentsWithVariables(word, effect);
  const spec = word.value;
  const kind = specKind(spec);
  const isSourceRpm = /\.(?:no)?src\.rpm$/i.test(spec);
  return [{ name: kind === 'group' ? undefined : rpmNameOf(spec), spec, kind, isSourceRpm, effect, range: word.range }];
}

function specKind(spec: string): Exclude<PackageArgument['kind'], 'unknown'> {
  if (/^(?:https?|ftp|file):\/\//i.test(spec)) return 'url';
  if (/\.rpm$/i.test(spec)) return 'file';
  return spec.startsWith('@') ? 'group' : 'name';
}

const SHELL_VARIABLE = /\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/g;

/**
 * A word with a shell variable, such as `$MIRROR/kernel-{,core-}$KERNEL_VERSION.x86_64.rpm` (the documented kernel
 * override). The RPM name is still certain when the variables only fill the path or the version: substituting two
 * different stand-ins gives the same name. Otherwise (`$PKG`, `kernel-rt-$V`) the name stays unknown.
 */
function argumentsWithVariables(word: Word, effect: 'install' | 'remove'): PackageArgument[] {
  const unknown: PackageArgument[] = [{ name: undefined, spec: word.raw, kind: 'unknown', isSourceRpm: false, effect, range: word.range }];
  if (/`|\$\(|\$\[|\$'|\$"|\\/.test(word.raw)) return unknown;
  const spec = word.raw.replace(/["']/g, '');
  const first = spec.replace(SHELL_VARIABLE, '0');
  const second = spec.replace(SHELL_VARIABLE, '1');
  const kind = specKind(first);
  const name = rpmNameOf(first);
  if (kind === 'group' || name !== rpmNameOf(second)) return [{ ...unknown[0]!, spec }];
  const isSourceRpm = /\.(?:no)?src\.rpm$/i.test(spec);
  return [{ name, spec, kind, isSourceRpm, effect, range: word.range }];
}

const ARCHES = /\.(?:x86_64|aarch64|ppc64le|s390x|i686|noarch|src|nosrc|armv7hl)$/;

/**
 * The RPM name in a package spec: `kernel-core-5.14.0-284.el9.x86_64.rpm` -> `kernel-core`,
 * `https://host/path/htop-3.2.1-1.el9.x86_64.rpm` -> `htop`, `vim-enhanced` -> `vim-enhanced`.
 */
export function rpmNameOf(spec: string): string {
  let base = spec;
  if (/^(?:https?|ftp|file):\/\//i.test(base) || base.includes('/')) base = base.slice(base.lastIndexOf('/') + 1);
  base = base.replace(/\?.*$/, '').replace(/\.rpm$/i, '').replace(ARCHES, '');
  // A release always carries a digit (`1.el9`, `284.11.1.el9_2`); without that rule `kernel-64k-core` reads as N-V-R.
  const nvr = /^(.+?)-(\d[^-]*)-([^-]*\d[^-]*)$/.exec(base);
  if (nvr) return nvr[1]!;
  const nv = /^(.+?)-(\d[\w.+~^]*)$/.exec(base);
  if (nv && /\.rpm$/i.test(spec)) return nv[1]!;
  return base;
}
