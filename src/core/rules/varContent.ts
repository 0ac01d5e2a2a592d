import { isRun, type ContainerfileModel, type RunInstruction, type ShellCommandInFile } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import {
  chainPositionOf, configWrites, finalChainCopyDestinations, finalChainInstructions, finalChainRunWrites, isUnder, removedAfter, tmpfilesPathCovers,
  tmpfilesPaths, type RunWrite,
} from './filesystemWrites';
import { quote } from './helpers';
import { commandEnd } from './shellEdits';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

/**
 * /var is node state: each node keeps one /var across deployments, and image content there is applied only when a
 * machine is first provisioned from the image; later images never update it (bootc docs filesystem.md "/var";
 * bootc container lint `var-tmpfiles`). OpenShift nodes are provisioned from a boot image and then move to the
 * layered image as an update, so a layered image's /var content does not reach them at all. The fix is content under /usr plus a tmpfiles.d entry, which is also what makes
 * the bootc lint pass; a Containerfile that writes such an entry for the path is not reported. Neither is content a
 * later command deletes (`rm -rf /var/*`) or moves out of /var (`mv /var/opt/hp /usr/lib/hp`), nor a `mkdir` of a
 * directory every node already gets at boot (BASE_VAR_DIRECTORIES): both are build scaffolding.
 */

export const TMPFILES_DIRECTORIES = ['/usr/lib/tmpfiles.d', '/etc/tmpfiles.d'] as const;

/** Paths under /var that are temporary or symlinks into /run; `ostree container commit` empties the first two. */
const EXEMPT = ['/var/tmp', '/var/cache', '/var/run', '/var/lock'];

const DIRECTORY_KINDS = new Set<RunWrite['kind']>(['mkdir', 'install-dir']);

/**
 * /var directories rpm-ostree systems create at boot, which builds create with `mkdir` only so that package scriptlets
 * can run: rpm-ostree's tmpfiles.d (src/app/rpm-ostree-0-integration.conf and -opt-usrlocal.conf: /var/home, /var/srv,
 * /var/roothome, /var/mnt, /var/opt, /var/usrlocal, the /var/lib/rpm link) and the links it makes for
 * /var/lib/alternatives and /var/lib/vagrant (rust/src/composepost.rs).
 */
const BASE_VAR_DIRECTORIES = ['/var/home', '/var/srv', '/var/roothome', '/var/mnt', '/var/opt', '/var/usrlocal', '/var/lib/rpm', '/var/lib/alternatives', '/var/lib/vagrant'];

export const varContent: Rule = {
  id: 'var-content',
  defaultSeverity: 'warning',
  summary: 'Files put under /var, which nodes never receive from an image; use /usr and a tmpfiles.d entry.',
  check(context) {
    const covered = coverage(context);
    const findings: RuleFinding[] = [];
    // Keyed by position: brace expansion makes several words of one written word (`/var/lib/{a,b}`), reported once.
    const reported = new Set<string>();
    let metadata: string[] | undefined;
    const changedMetadata = (): string[] => (metadata ??= metadataTargets(context));
    for (const { copy, destination, path, removedLater } of finalChainCopyDestinations(context)) {
      if (!inScope(path) || covered(path) || removedLater()) continue;
      findings.push({
        message: `${copy.keyword} puts files in ${quote(path)}: ${WHY} Ship them under /usr and create the /var path with a tmpfiles.d entry (/usr/lib/tmpfiles.d/*.conf).`,
        range: destination.range,
      });
    }
    for (const write of finalChainRunWrites(context)) {
      const at = `${write.word.range.start.line}:${write.word.range.start.character}`;
      if (write.kind === 'truncate' || reported.has(at) || !inScope(write.path) || covered(write.path)) continue;
      if (DIRECTORY_KINDS.has(write.kind) && (write.path === '/var' || BASE_VAR_DIRECTORIES.includes(write.path))) continue;
      if (removedAfter(context, write.path, chainPositionOf(context, write.run, write.command), DIRECTORY_KINDS.has(write.kind))) continue;
      reported.add(at);
      const directory = DIRECTORY_KINDS.has(write.kind);
      const entry = directory ? tmpfilesDirectoryEntry(write, changedMetadata) : undefined;
      const fixes: Fix[] = entry ? [addEntryFix(context.model, write, entry)].filter((fix): fix is Fix => fix !== undefined) : [];
      const advice = directory
        ? `Create it at boot with a tmpfiles.d entry instead (\`${entry ?? `d ${write.path} 0755 root root -`}\` in /usr/lib/tmpfiles.d/*.conf).`
        : 'Write it under /usr and create the /var path with a tmpfiles.d entry (/usr/lib/tmpfiles.d/*.conf).';
      findings.push({ message: `${quote(write.word.value ?? write.path)} is in /var: ${WHY} ${advice}`, range: write.word.range, fixes });
    }
    return findings;
  },
};

const WHY = 'nodes keep their own /var, and moving a node to a new image does not apply /var content, so this never reaches your nodes.';

function inScope(path: string): boolean {
  return isUnder(path, '/var') && !EXEMPT.some((prefix) => isUnder(path, prefix));
}

/** Whether tmpfiles.d entries the Containerfile writes cover a path. A tmpfiles.d file of unknown content covers all. */
function coverage(context: RuleContext): (path: string) => boolean {
  const writes = configWrites(context, TMPFILES_DIRECTORIES);
  if (writes.unknownContent) return () => true;
  const entries = writes.texts.flatMap(tmpfilesPaths);
  return (path) => entries.some((entry) => tmpfilesPathCovers(entry, path));
}

/** Absolute paths whose owner, mode or label the final chain changes (chown, chmod, setfacl, ...). */
function metadataTargets(context: RuleContext): string[] {
  const paths: string[] = [];
  for (const run of finalChainInstructions(context).filter(isRun)) {
    for (const command of run.commands) {
      const { name, args } = unwrapCommand(command);
      if (!/^(?:chown|chmod|chgrp|setfacl|chcon|restorecon)$/.test(name)) continue;
      for (const arg of args) if (arg.value?.startsWith('/')) paths.push(arg.value.replace(/\/+$/, '') || '/');
    }
  }
  return paths;
}

/**
 * The tmpfiles.d line equivalent to a plain `mkdir` (root-owned, mode from -m or 0755), or undefined when the
 * Containerfile changes the directory's owner or mode elsewhere, so the equivalent is not certain.
 */
function tmpfilesDirectoryEntry(write: RunWrite, changedMetadata: () => readonly string[]): string | undefined {
  if (write.kind !== 'mkdir') return undefined;
  const mode = modeOf(write.command);
  if (mode === undefined) return undefined;
  if (changedMetadata().some((path) => isUnder(path, write.path) || isUnder(write.path, path))) return undefined;
  return `d ${write.path} ${mode} root root -`;
}

/** `-m 750`, `-m0700`, `--mode=2775`: the mode as four octal digits; 0755 when absent; undefined for symbolic modes. */
function modeOf(command: ShellCommandInFile): string | undefined {
  const { args } = unwrapCommand(command);
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value ?? '';
    let mode: string | undefined;
    if (value === '-m' || value === '--mode') mode = args[i + 1]?.value;
    else if (value.startsWith('--mode=')) mode = value.slice('--mode='.length);
    else if (/^-[pvZ]*m./.test(value)) mode = value.slice(value.indexOf('m') + 1);
    else if (/^-[pvZ]*m$/.test(value)) mode = args[i + 1]?.value;
    else continue;
    if (mode === undefined || !/^[0-7]{3,4}$/.test(mode)) return undefined;
    return mode.padStart(4, '0');
  }
  return '0755';
}

/** Adds the tmpfiles.d entry right after the `mkdir`, in the same RUN, when the command list allows it. */
function addEntryFix(model: ContainerfileModel, write: RunWrite, entry: string): Fix | undefined {
  const run: RunInstruction = write.run;
  if (run.form === 'exec') return undefined;
  const end = commandEnd(write.command, model);
  const next = run.commands.find((command) => model.lines.offsetAt(command.range.start) >= end);
  const stop = next ? model.lines.offsetAt(next.range.start) : model.lines.offsetAt(run.range.end);
  const between = model.text.slice(end, stop).replace(/\\[ \t]*\r?\n/g, ' ');
  if (next ? !/^\s*(?:&&|;)?\s*$/.test(between) : !/^\s*$/.test(between)) return undefined;
  const file = `/usr/lib/tmpfiles.d/${write.path.slice(1).replace(/[^A-Za-z0-9_.-]+/g, '-')}.conf`;
  const position = model.lines.positionAt(end);
  return {
    kind: 'edit',
    title: `Add a tmpfiles.d entry for ${write.path} (${file})`,
    preferred: true,
    edits: [{ range: { start: position, end: position }, newText: ` && \\\n    echo '${entry}' > ${file}` }],
  };
}
