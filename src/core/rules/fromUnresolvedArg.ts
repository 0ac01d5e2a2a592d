import { isFrom } from '../containerfile/model';
import type { Rule, RuleFinding } from './types';

/** A FROM that depends on a build-arg without a default cannot be checked (or built without --build-arg). */
export const fromUnresolvedArg: Rule = {
  id: 'from-unresolved-arg',
  defaultSeverity: 'warning',
  summary: 'FROM uses an ARG with no default, so the base image cannot be checked.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const instruction of context.model.instructions) {
      if (!isFrom(instruction) || !instruction.image || instruction.image.unresolvedVariables.length === 0) continue;
      if (instruction.baseStageIndex !== undefined) continue;
      const names = instruction.image.unresolvedVariables;
      const declared = names.filter((name) => context.model.globalArgs.has(name));
      const how = declared.length === names.length
        ? `ARG ${names.join(', ')} ${names.length > 1 ? 'have' : 'has'} no default`
        : `${names.filter((name) => !context.model.globalArgs.has(name)).join(', ')} ${names.length > 1 ? 'are' : 'is'} not declared with ARG before the first FROM`;
      findings.push({
        message: `The base image ${instruction.image.raw} cannot be checked: ${how}. Give it a default (e.g. the cluster's rhel-coreos digest) or pass --build-arg.`,
        range: instruction.image.range,
      });
    }
    return findings;
  },
};
