import { isCopyOrAdd, isRun, type Word } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { finalChainCopyDestinations, finalChainInstructions, finalChainRunWrites, instructionText, isUnder, type RunWrite } from './filesystemWrites';
import { quote } from './helpers';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

/**
 * Paths an OS image must not ship content in, and what goes wrong on a node:
 * - /usr/etc is ostree's copy of the image's default /etc; both existing is undefined behaviour (bootc container lint
 *   `etc-usretc`, fatal; bootc docs filesystem.md "/usr/etc").
 * - /var/run must stay the symlink to /run (bootc lint `var-run`, fatal); through the symlink, content lands in /run.
 * - /run and /tmp: the ostree import keeps nothing below them (ostree-ext tar/write.rs EXCLUDED_TOPLEVEL_PATHS) and
 *   `ostree container commit` empties them; bootc lint `nonempty-run-tmp` warns.
 * - /boot is managed by ostree on the node and image content there is masked (bootc lint `nonempty-boot`); kernels
 *   live in /usr/lib/modules/<kver>/.
 * - /sysroot and /ostree are where the node mounts its physical root and ostree repository; the import drops other
 *   top-level content, and /ostree must stay the symlink to sysroot/ostree (bootc lint `baseimage-root`, fatal).
 * RUN commands legitimately use /tmp and /run as scratch space, so for those only COPY/ADD is checked, and only when no
 * later RUN of the final image uses that directory (the usual "stage files in /tmp, run /tmp/build.sh, commit" pattern
 * is fine: a script staged next to them reads them, and `rm -rf /tmp/*` is cleanup). Content left there unused is a
 * warning, not an error: the node drops it and bootc's nonempty-run-tmp lint only warns.
 */

interface ForbiddenArea {
  readonly prefix: string;
  readonly checkRunWrites: boolean;
  /** Content there is fine when a later RUN uses it (staging for the build). */
  readonly stagingAllowed: boolean;
  /** Unused content there is harmless for the node (dropped on import), so it is reported as a warning. */
  readonly droppedOnImport?: boolean;
  readonly why: string;
  readonly instead: string;
}

const AREAS: readonly ForbiddenArea[] = [
  {
    prefix: '/usr/etc', checkRunWrites: true, stagingAllowed: false,
    why: 'where ostree keeps the image\'s default /etc: files there are undefined behaviour and fail `bootc container lint` (etc-usretc).',
    instead: 'Put configuration in /etc.',
  },
  {
    prefix: '/var/run', checkRunWrites: false, stagingAllowed: false,
    why: 'which must stay a symlink to /run: files land in /run, which nodes never receive, and a real directory fails `bootc container lint` (var-run).',
    instead: 'Create runtime files at boot with a tmpfiles.d entry or a unit\'s RuntimeDirectory=.',
  },
  {
    prefix: '/run', checkRunWrites: false, stagingAllowed: true, droppedOnImport: true,
    why: 'a tmpfs on the node: ostree drops image content there (bootc lint nonempty-run-tmp), and no later RUN uses it.',
    instead: 'Create runtime files at boot with a tmpfiles.d entry or a unit\'s RuntimeDirectory=, or delete this line.',
  },
  {
    prefix: '/tmp', checkRunWrites: false, stagingAllowed: true, droppedOnImport: true,
    why: 'which nodes never receive: ostree drops image content there (bootc lint nonempty-run-tmp), and no later RUN uses it.',
    instead: 'For build-only files use `RUN --mount=type=bind,...`; otherwise ship them under /usr.',
  },
  {
    prefix: '/boot', checkRunWrites: true, stagingAllowed: false,
    why: 'which ostree manages on the node, so image content there is masked (bootc lint nonempty-boot).',
    instead: 'Kernels and initramfs belong in /usr/lib/modules/<kver>/; set kernel arguments with a MachineConfig (kernelArguments).',
  },
  {
    prefix: '/sysroot', checkRunWrites: true, stagingAllowed: false,
    why: 'where the node mounts its physical root and ostree repository, so image content there is dropped.',
    instead: 'Ship files under /usr or /etc.',
  },
  {
    prefix: '/ostree', checkRunWrites: true, stagingAllowed: false,
    why: 'which must stay the symlink to the node\'s ostree repository in /sysroot: content there is dropped, and a replaced link fails `bootc container lint` (baseimage-root).',
    instead: 'Ship files under /usr or /etc.',
  },
];

function areaOf(path: string): ForbiddenArea | undefined {
  return AREAS.find((area) => isUnder(path, area.prefix));
}

export const forbiddenPath: Rule = {
  id: 'forbidden-path',
  defaultSeverity: 'error',
  summary: 'Content put in /usr/etc, /var/run, /run, /tmp, /boot, /sysroot or /ostree, which nodes drop or which breaks the image.',
  check(context) {
    const findings: RuleFinding[] = [];
    const stagingUsed = new Map<string, boolean>();
    for (const { destination, path, usedLater, removedLater } of finalChainCopyDestinations(context)) {
      const area = areaOf(path);
      if (!area) continue;
      if (area.stagingAllowed) {
        if (usedLater() || removedLater()) continue;
        // Any later use of the staging directory: a script copied there reads the other files (packages.json next to build.sh).
        if (!stagingUsed.has(area.prefix)) stagingUsed.set(area.prefix, stagingDirectoryUsedAfter(context, destination, area.prefix));
        if (stagingUsed.get(area.prefix)) continue;
      }
      findings.push(finding(destination, path, area));
    }
    const seen = new Set<Word>();
    for (const write of finalChainRunWrites(context)) {
      const area = areaOf(write.path);
      if (!area?.checkRunWrites || seen.has(write.word) || isRequiredStructure(write)) continue;
      seen.add(write.word);
      findings.push(finding(write.word, write.path, area));
    }
    return findings;
  },
};

/**
 * Building a bootc base from scratch creates the empty mount points and the /ostree link every bootc image has
 * (`mkdir -p /sysroot /boot`, `ln -s sysroot/ostree /ostree`): that is the required layout, not content in them.
 */
function isRequiredStructure(write: RunWrite): boolean {
  if ((write.kind === 'mkdir' || write.kind === 'install-dir') && AREAS.some((area) => area.prefix === write.path)) return true;
  if (write.kind !== 'link' || write.path !== '/ostree') return false;
  const target = unwrapCommand(write.command).args.find((arg) => arg.value !== undefined && !arg.value.startsWith('-'))?.value;
  return target !== undefined && /^\/?sysroot\/ostree\/?$/.test(target);
}

function finding(word: Word, path: string, area: ForbiddenArea): RuleFinding {
  const fixes: Fix[] = [];
  if (area.prefix === '/usr/etc') {
    const fix = replaceUsrEtc(word);
    if (fix) fixes.push(fix);
  }
  const subject = path === area.prefix ? `${quote(path)},` : `${quote(path)} is in ${area.prefix},`;
  return { message: `${subject} ${area.why} ${area.instead}`, range: word.range, fixes, severity: area.droppedOnImport ? 'warning' : undefined };
}

/** Whether a RUN of the final chain after the COPY at `destination` names anything under `prefix` (`/tmp/build.sh`). */
function stagingDirectoryUsedAfter(context: RuleContext, destination: Word, prefix: string): boolean {
  const instructions = finalChainInstructions(context);
  const copyIndex = instructions.findIndex((instruction) => isCopyOrAdd(instruction) && instruction.destination === destination);
  return instructions.slice(copyIndex + 1).some((instruction) => isRun(instruction) && instructionText(context.model, instruction).includes(`${prefix}/`));
}

/** `/usr/etc/x` -> `/etc/x` in the word as written, when the word sits on one line and spells the prefix plainly. */
function replaceUsrEtc(word: Word): Fix | undefined {
  if (word.range.start.line !== word.range.end.line) return undefined;
  const index = word.raw.indexOf('/usr/etc');
  if (index < 0 || !/^(?:\/|$|["'])/.test(word.raw.slice(index + '/usr/etc'.length))) return undefined;
  const start = { line: word.range.start.line, character: word.range.start.character + index };
  const end = { line: start.line, character: start.character + '/usr/etc'.length };
  return { kind: 'edit', title: 'Use /etc instead of /usr/etc', preferred: true, edits: [{ range: { start, end }, newText: '/etc' }] };
}
