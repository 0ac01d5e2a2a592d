import {
  isCopyOrAdd, isRun, type ContainerfileModel, type CopyInstruction, type Instruction, type RunInstruction, type ShellCommandInFile, type Word,
} from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import type { Range } from '../text';
import { finalChainStages } from './helpers';
import type { RuleContext } from './types';

/**
 * Where the instructions of the final image's stage chain put files: COPY/ADD destinations and the paths RUN commands
 * write to. Shared by the rules about /var, forbidden paths, secrets and sysusers/tmpfiles entries.
 *
 * Only what is certain from the text counts: absolute paths, or paths relative to a known WORKDIR. Words with
 * variables, relative paths after `cd`, and commands this module does not know are left out, so rules built on it
 * miss things rather than report things that are not there.
 */

export type WriteKind =
  | 'redirect' | 'truncate' | 'mkdir' | 'touch' | 'tee' | 'copy' | 'move' | 'link' | 'install' | 'install-dir'
  | 'download' | 'extract' | 'clone' | 'dd' | 'grub-config' | 'sync';

export interface RunWrite {
  /** Normalised absolute path (brace expansion applied, one entry per alternative). */
  readonly path: string;
  readonly word: Word;
  readonly kind: WriteKind;
  readonly command: ShellCommandInFile;
  readonly run: RunInstruction;
  /** True when the path is inside one of the RUN's `--mount` targets, so nothing written there stays in the image. */
  readonly underMount: boolean;
}

/** Normalises an absolute path (`//`, `.`, `..`, trailing `/`); undefined for relative paths or text with variables. */
export function normalizePath(path: string, cwd?: string): string | undefined {
  if (path.includes('$') || path.includes('`')) return undefined;
  let full = path;
  if (!full.startsWith('/')) {
    if (cwd === undefined) return undefined;
    full = `${cwd}/${full}`;
  }
  const parts: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** True when `path` is `prefix` or inside it. Both normalised. */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Every instruction of the stages that make up the final image, in file order. */
export function finalChainInstructions(context: RuleContext): readonly Instruction[] {
  let instructions = chainInstructionCache.get(context.model);
  if (!instructions) chainInstructionCache.set(context.model, (instructions = finalChainStages(context).flatMap((stage) => [...stage.instructions])));
  return instructions;
}

const chainInstructionCache = new WeakMap<ContainerfileModel, readonly Instruction[]>();

/**
 * The WORKDIR in effect at each instruction of the final chain; undefined where unknown (no WORKDIR yet, since the
 * base image's working directory is not known here, or one with a variable).
 */
export function workdirsOf(context: RuleContext): Map<Instruction, string | undefined> {
  const result = new Map<Instruction, string | undefined>();
  let current: string | undefined;
  for (const stage of finalChainStages(context)) {
    for (const instruction of stage.instructions) {
      result.set(instruction, current);
      if (instruction.keyword === 'WORKDIR' && 'args' in instruction) {
        const value = instruction.args[0]?.value;
        current = value === undefined ? undefined : normalizePath(value, current);
      }
    }
  }
  return result;
}

/** The COPY/ADD destination as an absolute path, when known. */
export function copyDestinationPath(copy: CopyInstruction, workdir: string | undefined): string | undefined {
  const value = copy.destination?.value;
  return value === undefined ? undefined : normalizePath(value, workdir);
}

/** Absolute targets of the RUN's `--mount`s (secrets default to /run/secrets/<id>). */
export function mountTargets(run: RunInstruction): string[] {
  const targets: string[] = [];
  for (const mount of run.mounts) {
    const target = mount.get('target') ?? mount.get('dst') ?? mount.get('destination');
    const normalised = target === undefined ? undefined : normalizePath(target);
    if (normalised) targets.push(normalised);
    else if (mount.get('type') === 'secret') targets.push(`/run/secrets/${mount.get('id') ?? ''}`.replace(/\/$/, ''));
  }
  return targets;
}

const runWriteCache = new WeakMap<RunInstruction, readonly RunWrite[]>();

/** Paths the commands of one RUN write to. Memoised per instruction. */
export function runWrites(run: RunInstruction): readonly RunWrite[] {
  const cached = runWriteCache.get(run);
  if (cached) return cached;
  const mounts = mountTargets(run);
  const writes: RunWrite[] = [];
  for (const command of run.commands) {
    for (const { word, kind } of commandWriteWords(command)) {
      if (word.value === undefined) continue;
      const path = normalizePath(word.value);
      if (!path || path.startsWith('/dev/') || path.startsWith('/proc/') || path === '/dev/null') continue;
      writes.push({ path, word, kind, command, run, underMount: mounts.some((target) => isUnder(path, target)) });
    }
  }
  runWriteCache.set(run, writes);
  return writes;
}

/** RUN writes in the final chain that end up in the image (not under a mount). */
export function finalChainRunWrites(context: RuleContext): RunWrite[] {
  return finalChainInstructions(context).filter(isRun).flatMap((run) => runWrites(run).filter((write) => !write.underMount));
}

interface WriteWord {
  readonly word: Word;
  readonly kind: WriteKind;
}

const WRITE_REDIRECTS = new Set(['>', '>>', '&>', '&>>', '>|', '<>']);
const NO_OP_COMMANDS = new Set([':', 'true']);

/** Words naming files or directories the command writes, with what kind of write it is. */
export function commandWriteWords(command: ShellCommandInFile): WriteWord[] {
  const found: WriteWord[] = [];
  const truncation = command.args.length === 0 && NO_OP_COMMANDS.has(command.name);
  for (const redirect of command.redirects) {
    const target = redirect.target;
    if (!target || target.value === undefined) continue;
    const writes = WRITE_REDIRECTS.has(redirect.operator) || (redirect.operator === '>&' && !/^(?:\d+|-)$/.test(target.value));
    if (writes) found.push({ word: target, kind: truncation ? 'truncate' : 'redirect' });
  }
  const { name, args } = unwrapCommand(command);
  const add = (words: readonly (Word | undefined)[], kind: WriteKind): void => {
    for (const word of words) if (word) found.push({ word, kind });
  };
  switch (name) {
    case 'mkdir': {
      const parsed = parseOptions(args, 'm', ['--mode']);
      add(parsed.positional, 'mkdir');
      break;
    }
    case 'touch': {
      const parsed = parseOptions(args, 'drt', ['--date', '--reference', '--time']);
      add(parsed.positional, 'touch');
      break;
    }
    case 'tee':
      add(parseOptions(args, '', []).positional, 'tee');
      break;
    case 'cp':
    case 'mv':
    case 'ln': {
      const parsed = parseOptions(args, 'tS', ['--target-directory', '--suffix']);
      const kind: WriteKind = name === 'cp' ? 'copy' : name === 'mv' ? 'move' : 'link';
      const targetDirectory = parsed.values.get('t') ?? parsed.values.get('--target-directory');
      if (targetDirectory) add(targetDirectory, kind);
      else if (parsed.positional.length >= 2) add([parsed.positional[parsed.positional.length - 1]], kind);
      break;
    }
    case 'install': {
      const parsed = parseOptions(args, 'mogSt', ['--mode', '--owner', '--group', '--suffix', '--target-directory']);
      const targetDirectory = parsed.values.get('t') ?? parsed.values.get('--target-directory');
      if (parsed.flags.has('d') || parsed.flags.has('--directory')) add(parsed.positional, 'install-dir');
      else if (targetDirectory) add(targetDirectory, 'install');
      else if (parsed.positional.length >= 2) add([parsed.positional[parsed.positional.length - 1]], 'install');
      break;
    }
    case 'rsync': {
      const parsed = parseOptions(args, 'efTB', ['--rsh', '--filter', '--temp-dir', '--block-size', '--exclude', '--include', '--log-file', '--chmod', '--chown']);
      const last = parsed.positional[parsed.positional.length - 1];
      if (parsed.positional.length >= 2 && last?.value !== undefined && !/^[^/]*:/.test(last.value)) add([last], 'sync');
      break;
    }
    case 'curl': {
      const parsed = parseOptions(args, 'odHuXAexTFwmKbcrYyzEUQCPtD', ['--output', '--output-dir', '--data', '--header', '--user', '--request',
        '--user-agent', '--referer', '--proxy', '--upload-file', '--form', '--write-out', '--max-time', '--config', '--cookie', '--cookie-jar',
        '--range', '--cacert', '--cert', '--key', '--retry', '--connect-timeout', '--resolve', '--proto', '--data-binary', '--data-raw']);
      add([...(parsed.values.get('o') ?? []), ...(parsed.values.get('--output') ?? []), ...(parsed.values.get('--output-dir') ?? [])], 'download');
      break;
    }
    case 'wget': {
      const parsed = parseOptions(args, 'OPoatTweiBUQlARDXI', ['--output-document', '--directory-prefix', '--output-file', '--append-output',
        '--tries', '--timeout', '--wait', '--execute', '--input-file', '--base', '--user-agent', '--quota', '--level', '--accept', '--reject',
        '--domains', '--exclude-directories', '--include-directories', '--user', '--password', '--header']);
      for (const option of ['O', '--output-document', 'P', '--directory-prefix', 'o', '--output-file', 'a', '--append-output']) {
        add(parsed.values.get(option) ?? [], 'download');
      }
      break;
    }
    case 'dd':
      for (const arg of args) {
        if (arg.value?.startsWith('of=')) found.push({ word: { raw: arg.raw, value: arg.value.slice(3), range: arg.range }, kind: 'dd' });
      }
      break;
    case 'grub2-mkconfig':
    case 'grub-mkconfig': {
      const parsed = parseOptions(args, 'o', ['--output']);
      add([...(parsed.values.get('o') ?? []), ...(parsed.values.get('--output') ?? [])], 'grub-config');
      break;
    }
    case 'tar': {
      const parsed = parseOptions(args, 'CfbHKLTVXg', ['--directory', '--file', '--exclude', '--transform', '--owner', '--group', '--mode']);
      const first = args[0]?.value ?? '';
      const extracting = parsed.flags.has('x') || parsed.flags.has('--extract') || parsed.flags.has('--get') || /^[a-wyzA-Z]*x[a-zA-Z]*$/.test(first);
      if (extracting) add([...(parsed.values.get('C') ?? []), ...(parsed.values.get('--directory') ?? [])], 'extract');
      break;
    }
    case 'unzip': {
      const parsed = parseOptions(args, 'dxP', []);
      add(parsed.values.get('d') ?? [], 'extract');
      break;
    }
    case 'git': {
      const cloneIndex = args.findIndex((arg) => arg.value === 'clone');
      if (cloneIndex < 0 || args.slice(0, cloneIndex).some((arg) => !arg.value?.startsWith('-'))) break;
      const parsed = parseOptions(args.slice(cloneIndex + 1), 'bocju', ['--branch', '--origin', '--config', '--jobs', '--depth', '--upload-pack', '--reference', '--separate-git-dir']);
      if (parsed.positional.length >= 2) add([parsed.positional[1]], 'clone');
      break;
    }
    default:
      break;
  }
  return found;
}

interface ParsedOptions {
  readonly positional: Word[];
  /** Short flags by letter and long flags by name (without their `=value`). */
  readonly flags: Set<string>;
  /** Values of value-taking options, by letter or long name. The words are trimmed to the value where attached. */
  readonly values: Map<string, Word[]>;
}

/**
 * GNU-style option parsing: `shortWithValue` lists the letters that take a value (`-m 755`, `-m755`, `-pm 755`),
 * `longWithValue` the long options that do (`--mode 755`, `--mode=755`). `--` ends options.
 */
function parseOptions(args: readonly Word[], shortWithValue: string, longWithValue: readonly string[]): ParsedOptions {
  const positional: Word[] = [];
  const flags = new Set<string>();
  const values = new Map<string, Word[]>();
  const addValue = (key: string, word: Word): void => {
    values.set(key, [...(values.get(key) ?? []), word]);
  };
  let onlyPositional = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const value = word.value;
    if (onlyPositional || value === undefined || !value.startsWith('-') || value === '-') {
      positional.push(word);
      continue;
    }
    if (value === '--') {
      onlyPositional = true;
      continue;
    }
    if (value.startsWith('--')) {
      const eq = value.indexOf('=');
      const name = eq >= 0 ? value.slice(0, eq) : value;
      flags.add(name);
      if (eq >= 0) addValue(name, attachedValue(word, value.slice(eq + 1)));
      else if (longWithValue.includes(name) && i + 1 < args.length) addValue(name, args[++i]!);
      continue;
    }
    for (let j = 1; j < value.length; j++) {
      const letter = value[j]!;
      flags.add(letter);
      if (!shortWithValue.includes(letter)) continue;
      const rest = value.slice(j + 1);
      if (rest !== '') addValue(letter, attachedValue(word, rest));
      else if (i + 1 < args.length) addValue(letter, args[++i]!);
      break;
    }
  }
  return { positional, flags, values };
}

/** A word for the value part of `-oFILE` / `--output=FILE`; its range covers the value when the raw text allows. */
function attachedValue(word: Word, value: string): Word {
  const index = word.raw.lastIndexOf(value);
  if (index < 0 || word.range.start.line !== word.range.end.line) return { raw: word.raw, value, range: word.range };
  const start = { line: word.range.start.line, character: word.range.start.character + index };
  const range: Range = { start, end: { line: start.line, character: start.character + value.length } };
  return { raw: value, value, range };
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration files written by the Containerfile (tmpfiles.d, sysusers.d)

export interface ConfigWrites {
  /** Text that may hold entries: heredoc bodies, echo/printf arguments, the text of a RUN that pipes into the file. */
  readonly texts: readonly string[];
  /** Some file lands in the directory with content not visible here (copied from the context or another stage). */
  readonly unknownContent: boolean;
}

/**
 * Files the final chain writes into any of `directories` (e.g. /usr/lib/tmpfiles.d and /etc/tmpfiles.d), with the
 * text they are written from where the Containerfile shows it.
 */
export function configWrites(context: RuleContext, directories: readonly string[]): ConfigWrites {
  const texts: string[] = [];
  let unknownContent = false;
  const workdirs = workdirsOf(context);
  const inside = (path: string): boolean => directories.some((directory) => isUnder(path, directory));
  const ancestor = (path: string): boolean => directories.some((directory) => isUnder(directory, path) && directory !== path);
  for (const instruction of finalChainInstructions(context)) {
    if (isCopyOrAdd(instruction)) {
      const destination = copyDestinationPath(instruction, workdirs.get(instruction));
      if (!destination) continue;
      if (inside(destination)) {
        if (instruction.heredocs.length > 0) texts.push(...instruction.heredocs.map((heredoc) => heredoc.content));
        if (instruction.sources.length > 0 || instruction.heredocs.length === 0) unknownContent = true;
      } else if (ancestor(destination) && instruction.sources.some((source) => mayBeDirectory(source.value))) {
        // `COPY rootfs/ /` and friends may carry such files; their content is not visible here.
        unknownContent = true;
      }
      continue;
    }
    if (!isRun(instruction)) continue;
    for (const write of runWrites(instruction)) {
      if (write.underMount) continue;
      if (inside(write.path)) {
        const text = writtenText(context.model, write);
        if (text === undefined) unknownContent = true;
        else texts.push(text);
      } else if (ancestor(write.path) && (write.kind === 'copy' || write.kind === 'sync' || write.kind === 'extract' || write.kind === 'move')) {
        unknownContent = true;
      }
    }
  }
  return { texts, unknownContent };
}

function mayBeDirectory(source: string | undefined): boolean {
  if (source === undefined) return true;
  const base = source.replace(/\/+$/, '').split('/').pop() ?? '';
  return source.endsWith('/') || !base.includes('.') || base === '.' || base === '..';
}

/** The text a write puts into its file, where the command shows it; undefined when it comes from elsewhere. */
function writtenText(model: ContainerfileModel, write: RunWrite): string | undefined {
  if (write.kind === 'truncate') return '';
  const name = write.command.name;
  if (write.kind === 'redirect' && (name === 'echo' || name === 'printf')) {
    const words = write.command.args.filter((arg) => !/^-[neE]+$/.test(arg.value ?? ''));
    if (words.some((word) => word.value === undefined)) return undefined;
    return words.map((word) => word.value).join(' ').replace(/\\n/g, '\n');
  }
  if ((write.kind === 'redirect' && name === 'cat') || write.kind === 'tee') {
    // Content comes from a heredoc or a pipe in the same RUN: its text is somewhere in the instruction.
    return instructionText(model, write.run).replace(/\\n/g, '\n');
  }
  return undefined;
}

export interface CopyDestination {
  readonly copy: CopyInstruction;
  readonly destination: Word;
  /** Absolute, normalized, after WORKDIR. */
  readonly path: string;
  /** Whether a later instruction uses what was copied there: build input staged for a RUN, not image content. */
  readonly usedLater: () => boolean;
  /** Whether a later command of the final chain deletes it or moves it away (so nothing of it stays there). */
  readonly removedLater: () => boolean;
}

/** The COPY/ADD destinations of the final chain, in order. */
export function finalChainCopyDestinations(context: RuleContext): CopyDestination[] {
  const workdirs = workdirsOf(context);
  const instructions = finalChainInstructions(context);
  const result: CopyDestination[] = [];
  instructions.forEach((instruction, index) => {
    if (!isCopyOrAdd(instruction) || !instruction.destination) return;
    const path = copyDestinationPath(instruction, workdirs.get(instruction));
    if (!path) return;
    result.push({
      copy: instruction,
      destination: instruction.destination,
      path,
      usedLater: () => usedByLaterInstruction(context, instructions.slice(index + 1), path, workdirs),
      removedLater: () => removedAfter(context, path, { instruction: index, command: Number.POSITIVE_INFINITY }, false),
    });
  });
  return result;
}

/**
 * Whether a later instruction uses content copied to `path` (names it, also through brace expansion, or a RUN works
 * in it): files staged for the build, like RPMs copied to /tmp for `rpm-ostree install`, are fine wherever they are.
 */
function usedByLaterInstruction(context: RuleContext, later: readonly Instruction[], path: string, workdirs: Map<Instruction, string | undefined>): boolean {
  const needle = path === '/tmp' || path === '/run' ? `${path}/` : path;
  return later.some((instruction) => {
    if (!isRun(instruction) && !isCopyOrAdd(instruction)) return false;
    const workdir = workdirs.get(instruction);
    if (workdir && workdir !== '/' && (isUnder(workdir, path) || isUnder(path, workdir)) && isRun(instruction)) return true;
    if (instructionText(context.model, instruction).includes(needle)) return true;
    return isRun(instruction) && instruction.commands.some((command) => [command.nameWord, ...command.args].some((word) => namesPath(word, path)));
  });
}

/** A RUN word (brace expansion already applied, so `/kernel-{,core-}5.14.rpm` arrives as two words) naming `path` or inside it. */
function namesPath(word: Word, path: string): boolean {
  const normalised = word.value === undefined ? undefined : normalizePath(word.value);
  return normalised !== undefined && isUnder(normalised, path);
}

// ---------------------------------------------------------------------------------------------------------------
// Content removed or moved away later in the final chain

/** Where a command sits in the final chain: the index of its instruction, then of the command inside a RUN. */
export interface ChainPosition {
  readonly instruction: number;
  readonly command: number;
}

interface Undo {
  readonly at: ChainPosition;
  /** A path or shell glob (`/var/*`) matched against the path and its ancestors. */
  readonly pattern: RegExp;
  /** For `mv`: the literal source, so a directory something is moved out of counts as scaffolding. */
  readonly movedFrom: string | undefined;
}

const undoCache = new WeakMap<ContainerfileModel, readonly Undo[]>();

/** `rm -r`/`rm -f` paths and `mv` sources of the final chain's RUNs, in order. Words under a RUN mount are left out. */
function undos(context: RuleContext): readonly Undo[] {
  const cached = undoCache.get(context.model);
  if (cached) return cached;
  const found: Undo[] = [];
  finalChainInstructions(context).forEach((instruction, index) => {
    if (!isRun(instruction)) return;
    instruction.commands.forEach((command, commandIndex) => {
      const { name, args } = unwrapCommand(command);
      if (name !== 'rm' && name !== 'mv') return;
      const parsed = parseOptions(args, name === 'mv' ? 'tS' : '', ['--target-directory', '--suffix']);
      const sources = name === 'mv' ? (parsed.values.has('t') || parsed.values.has('--target-directory') ? parsed.positional : parsed.positional.slice(0, -1)) : parsed.positional;
      for (const word of sources) {
        const path = word.value;
        if (path === undefined || !path.startsWith('/') || path.includes('$')) continue;
        const literal = /[*?[]/.test(path) ? undefined : normalizePath(path);
        found.push({ at: { instruction: index, command: commandIndex }, pattern: pathGlob(path), movedFrom: name === 'mv' ? literal : undefined });
      }
    });
  });
  undoCache.set(context.model, found);
  return found;
}

/** A path glob (`*` and `?` within one segment) as an anchored RegExp; trailing slashes ignored. */
function pathGlob(glob: string): RegExp {
  const trimmed = glob.replace(/\/+$/, '') || '/';
  const escaped = trimmed.replace(/\/+/g, '/').replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

function ancestorsAndSelf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`);
}

function isAfter(a: ChainPosition, b: ChainPosition): boolean {
  return a.instruction > b.instruction || (a.instruction === b.instruction && a.command > b.command);
}

/**
 * Whether a command after `after` deletes `path` (or a directory holding it) or moves it away. For a directory that
 * was only created (`mkdir`), moving something out of it also counts: it was scaffolding for the build
 * (`mkdir -p /var/usrlocal/bin && rpm -i … && mv /var/usrlocal/bin/sops /usr/bin/`).
 */
export function removedAfter(context: RuleContext, path: string, after: ChainPosition, isCreatedDirectory: boolean): boolean {
  const candidates = ancestorsAndSelf(path);
  return undos(context).some((undo) => {
    if (!isAfter(undo.at, after)) return false;
    if (candidates.some((candidate) => undo.pattern.test(candidate))) return true;
    return isCreatedDirectory && undo.movedFrom !== undefined && isUnder(undo.movedFrom, path);
  });
}

/** The position of a RUN's command in the final chain, for `removedAfter`. */
export function chainPositionOf(context: RuleContext, run: RunInstruction, command: ShellCommandInFile): ChainPosition {
  return { instruction: finalChainInstructions(context).indexOf(run), command: run.commands.indexOf(command) };
}

/** The text of an instruction as written in the file. */
export function instructionText(model: ContainerfileModel, instruction: Instruction): string {
  return model.text.slice(model.lines.offsetAt(instruction.range.start), model.lines.offsetAt(instruction.range.end));
}

/** Paths named by tmpfiles.d lines (`d /var/lib/foo 0755 root root -`) anywhere in `text`. */
export function tmpfilesPaths(text: string): string[] {
  const paths: string[] = [];
  const pattern = /(?:^|[\s'"])[fFwdDevqQpLcbCxXrRzZtThHaA][+!=~^-]*[ \t]+("?)(\/[^\s'"]+)\1/gm;
  for (const match of text.matchAll(pattern)) {
    const path = normalizePath(match[2]!);
    if (path) paths.push(path);
  }
  return paths;
}

/** User and group names created by sysusers.d lines (`u name ...`, `g name ...`) anywhere in `text`. */
export function sysusersNames(text: string): { users: string[]; groups: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const pattern = /(?:^|[\s'"])([ug])!?[ \t]+("?)([A-Za-z_][A-Za-z0-9_.-]*\$?)\2/gm;
  for (const match of text.matchAll(pattern)) {
    if (match[1] === 'u') users.push(match[3]!);
    else groups.push(match[3]!);
  }
  return { users, groups };
}

/** Tests whether a tmpfiles.d path (which may contain `*`/`?` globs) covers `path` (equal or an ancestor). */
export function tmpfilesPathCovers(entry: string, path: string): boolean {
  if (!/[*?[]/.test(entry)) return isUnder(path, entry);
  const pattern = new RegExp(`^${entry.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(?:/.*)?$`);
  return pattern.test(path);
}
