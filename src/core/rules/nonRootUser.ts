import { isRun } from '../containerfile/model';
import { finalChainInstructions } from './filesystemWrites';
import { quote } from './helpers';
import { deleteInstructionEdit } from './shellEdits';
import type { Fix, Rule, RuleFinding } from './types';

/**
 * Layering steps need root: rpm-ostree and dnf install into the image, and `ostree container commit` /
 * `bootc container lint` inspect and clean the whole filesystem. A non-root USER makes every later RUN fail with
 * permission errors. At the end of the file it does nothing for the node (the image is deployed, not run), but
 * anything that runs the image to check it gets the wrong user. `USER 0`, `root:root`, `0:0` are root.
 */
export const nonRootUser: Rule = {
  id: 'non-root-user',
  defaultSeverity: 'warning',
  summary: 'The node image switches to a non-root USER, which breaks later RUNs and the commit.',
  check(context) {
    const instructions = finalChainInstructions(context);
    const users = instructions.filter((instruction) => instruction.keyword === 'USER' && 'args' in instruction);
    const last = users[users.length - 1];
    if (!last || !('args' in last)) return [];
    const name = userName(last.args[0]?.value);
    if (name === undefined || isRoot(name)) return [];
    const previous = users.length > 1 ? users[users.length - 2] : undefined;
    const previousIsRoot = !previous || !('args' in previous) || isRoot(userName(previous.args[0]?.value) ?? 'unknown');
    const laterRuns = instructions.slice(instructions.indexOf(last) + 1).filter(isRun);
    const arg = last.args[0]!;
    const toRoot: Fix = { kind: 'edit', title: 'Change to `USER root`', preferred: laterRuns.length === 0 && !previousIsRoot, edits: [{ range: arg.range, newText: 'root' }] };
    let finding: RuleFinding;
    if (laterRuns.length > 0) {
      finding = {
        message: `RUN steps after \`USER ${arg.raw}\` run as ${quote(name)}, but rpm-ostree, dnf and \`ostree container commit\`/\`bootc container lint\` need root. Use \`USER root\` before them.`,
        range: last.range,
        fixes: [{ ...toRoot, preferred: false }],
      };
    } else {
      const fixes: Fix[] = previousIsRoot
        ? [{ kind: 'edit', title: `Delete \`USER ${arg.raw}\``, preferred: true, edits: [deleteInstructionEdit(context.model, last)] }, { ...toRoot, preferred: false }]
        : [toRoot];
      finding = {
        message: `The image ends as user ${quote(name)}: nodes ignore it, but tools that run the image to check it get a non-root user. Delete the line or end with \`USER root\`.`,
        range: last.range,
        fixes,
        severity: 'info',
      };
    }
    return [finding];
  },
};

function userName(value: string | undefined): string | undefined {
  if (value === undefined || value.includes('$')) return undefined;
  return value.split(':')[0];
}

function isRoot(name: string): boolean {
  return name === 'root' || name === '0';
}
