import { isRun, type RunInstruction } from '../containerfile/model';
import { finalChainStages } from './helpers';
import { appendAfterCommand } from './commandInsertions';
import type { Rule, RuleContext, RuleFinding } from './types';

const READ_ONLY_COMMANDS = new Set(['cd', 'export', ':', 'echo', 'true', 'false', 'test', '[', 'cat', 'ls', 'rpm', 'rpm-ostree', 'ostree', 'bootc', 'printf', 'set', 'grep', 'stat', 'id', 'uname', 'sleep', 'exit', 'env']);

/**
 * Each layering RUN that changes the filesystem should end with the step the docs use for the target release:
 * `ostree container commit` (4.17 and older) cleans /var and /tmp for the ostree import; `bootc container lint`
 * (4.18+) checks the result the way the node will.
 */
export const missingCommitOrLint: Rule = {
  id: 'missing-commit-or-lint',
  defaultSeverity: 'warning',
  summary: 'Filesystem-changing RUNs are not finished by `ostree container commit` (4.17 and older) or `bootc container lint` (4.18+).',
  check(context) {
    if (context.mode === 'on-cluster') return [];
    const step = context.facts.finalBuildStep;
    const [tool, ...stepWords] = step.split(' ');
    const endsWithStep = (run: RunInstruction): boolean => {
      const last = run.commands[run.commands.length - 1];
      return last !== undefined && last.name === tool && stepWords.every((word, i) => last.args[i]?.value === word);
    };
    const anyStep = (run: RunInstruction): boolean => run.commands.some((c) =>
      (c.name === 'ostree' && c.args[0]?.value === 'container' && c.args[1]?.value === 'commit') ||
      (c.name === 'bootc' && c.args[0]?.value === 'container' && c.args[1]?.value === 'lint'));
    const findings: RuleFinding[] = [];
    for (const stage of finalChainStages(context)) {
      const runs = stage.instructions.filter(isRun);
      const changing = runs.filter((run) => run.commands.some(changesFilesystem));
      if (changing.length === 0) continue;
      if (step === 'bootc container lint') {
        // bootc container lint checks the whole image: once, in the last RUN of the final stage, is enough.
        if (runs.some(endsWithStep) || runs.some(anyStep)) continue;
        const last = changing[changing.length - 1]!;
        findings.push(finding(context, last, step, 'once, as the last command of the last RUN'));
        continue;
      }
      for (const run of changing) {
        if (endsWithStep(run)) continue;
        findings.push(finding(context, run, step, 'at the end of this RUN'));
      }
    }
    return findings;
  },
};

function changesFilesystem(command: { name: string; args: readonly { value: string | undefined }[]; redirects: readonly unknown[] }): boolean {
  if (command.redirects.length > 0) return true;
  if (command.name === 'rpm-ostree') {
    const verb = command.args[0]?.value;
    return verb === 'install' || verb === 'override' || verb === 'uninstall' || verb === 'cliwrap' || verb === 'cleanup';
  }
  if (command.name === 'rpm') return command.args.some((a) => a.value !== undefined && /^-[a-zA-Z]*[iUFe]/.test(a.value) && !/^-q/.test(a.value));
  return !READ_ONLY_COMMANDS.has(command.name);
}

function finding(context: RuleContext, run: RunInstruction, step: string, where: string): RuleFinding {
  const lastCommand = run.commands[run.commands.length - 1];
  const edit = lastCommand && appendAfterCommand(context.model, run, lastCommand, step);
  return {
    message: `For OpenShift ${context.facts.label}, finish filesystem changes with \`${step}\` ${where}.`,
    range: run.keywordRange,
    fixes: edit ? [{ kind: 'edit', title: `Append \`${step}\``, edits: [edit], preferred: true }] : [],
  };
}
