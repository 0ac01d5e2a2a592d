import { isRun, runInstructions, type RunInstruction, type ShellCommandInFile } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { finalChainStages } from './helpers';
import { appendAfterCommand } from './commandInsertions';
import { isUnder, mountTargets, normalizePath } from './filesystemWrites';
import type { Rule, RuleContext, RuleFinding } from './types';

const READ_ONLY_COMMANDS = new Set(['cd', 'export', ':', 'echo', 'true', 'false', 'test', '[', 'cat', 'ls', 'rpm', 'rpm-ostree', 'ostree', 'bootc', 'printf', 'set', 'grep', 'stat', 'id', 'uname', 'sleep', 'exit', 'env']);

/** File commands whose effect is confined to their path arguments, so writing only inside a RUN's mounts changes nothing. */
const PATH_COMMANDS = new Set(['rm', 'rmdir', 'mkdir', 'touch', 'cp', 'mv', 'ln', 'chmod', 'chown']);

/**
 * A layering build should end with the step the docs use for the target release: `ostree container commit` (up to
 * 4.18) cleans /tmp, /var/tmp, /var/cache and /run for the ostree import (bootc ostree-ext/src/commit.rs
 * FORCE_CLEAN_PATHS); `bootc container lint` (4.19+) checks the result the way the node will. Both act on the whole
 * tree, so the question is asked once per final image: does any RUN of the stages the final image is built from run
 * either step (`bootc container lint --rootfs DIR` in any stage counts: it lints the tree a later stage copies)?
 */
export const missingCommitOrLint: Rule = {
  id: 'missing-commit-or-lint',
  defaultSeverity: 'warning',
  summary: 'The final image changes files but no RUN ends the build with `ostree container commit` (4.18 and older) or `bootc container lint` (4.19+).',
  check(context) {
    if (context.mode === 'on-cluster') return [];
    const stages = finalChainStages(context);
    // A line that is no instruction (a doc callout after a `\`, say) stops the build; what follows it is not a RUN the
    // step could be in. That is parse-error's finding, not a missing step.
    if (context.model.buildErrors.some((error) => error.kind === 'unknown-instruction')) return [];
    const runs = stages.flatMap((stage) => stage.instructions.filter(isRun));
    const changing = runs.filter((run) => run.commands.some((command) => changesFilesystem(command, run)));
    const last = changing[changing.length - 1];
    if (!last) return [];
    if (runs.some((run) => run.commands.some(isFinalStep))) return [];
    if (runInstructions(context.model).some((run) => run.commands.some(isRootfsLint))) return [];
    return [finding(context, last)];
  },
};

function verb(command: ShellCommandInFile): { name: string; words: readonly (string | undefined)[] } {
  const { name, args } = unwrapCommand(command);
  return { name, words: args.map((arg) => arg.value) };
}

function isFinalStep(command: ShellCommandInFile): boolean {
  const { name, words } = verb(command);
  return (name === 'ostree' || name === 'bootc') && words[0] === 'container' && (words[1] === 'commit' || words[1] === 'lint');
}

/** `bootc container lint --rootfs DIR` / `--rootfs=DIR`: lints a tree built in this stage for a later one. */
function isRootfsLint(command: ShellCommandInFile): boolean {
  const { name, words } = verb(command);
  return name === 'bootc' && words[0] === 'container' && words[1] === 'lint' && words.some((word) => word === '--rootfs' || word?.startsWith('--rootfs='));
}

function changesFilesystem(command: ShellCommandInFile, run: RunInstruction): boolean {
  if (command.redirects.length > 0) return true;
  if (command.name === 'rpm-ostree') {
    const subcommand = command.args[0]?.value;
    return subcommand === 'install' || subcommand === 'override' || subcommand === 'uninstall' || subcommand === 'cliwrap' || subcommand === 'cleanup';
  }
  if (command.name === 'rpm') return command.args.some((a) => a.value !== undefined && /^-[a-zA-Z]*[iUFe]/.test(a.value) && !/^-q/.test(a.value));
  if (READ_ONLY_COMMANDS.has(command.name)) return false;
  return !(PATH_COMMANDS.has(command.name) && onlyInsideMounts(command, run));
}

/** `rm /buildcontext/out.ociarchive` under `--mount=type=bind,dst=/buildcontext`: nothing of it stays in the image. */
function onlyInsideMounts(command: ShellCommandInFile, run: RunInstruction): boolean {
  const mounts = mountTargets(run);
  if (mounts.length === 0) return false;
  const paths = command.args.map((arg) => arg.value).filter((value) => value === undefined || !value.startsWith('-'));
  if (paths.length === 0) return false;
  return paths.every((value) => {
    const path = value === undefined ? undefined : normalizePath(value);
    return path !== undefined && mounts.some((mount) => isUnder(path, mount));
  });
}

function finding(context: RuleContext, run: RunInstruction): RuleFinding {
  const step = context.facts.finalBuildStep;
  const lastCommand = run.commands[run.commands.length - 1];
  const edit = lastCommand && appendAfterCommand(context.model, run, lastCommand, step);
  return {
    message: `For OpenShift ${context.facts.label}, end the build with \`${step}\`: no RUN of the final image runs it. Append it to the last RUN that changes files.`,
    range: run.keywordRange,
    fixes: edit ? [{ kind: 'edit', title: `Append \`${step}\``, edits: [edit], preferred: true }] : [],
  };
}
