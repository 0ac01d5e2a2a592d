import type { Rule } from './types';

/**
 * A file with instructions but no FROM is a fragment (pasted from documentation, or a snippet kept for reuse): BuildKit
 * refuses it ("no build stage in current context"), but its RUN instructions can still be checked, and are. One
 * finding says so, at the first instruction.
 */
export const noFrom: Rule = {
  id: 'no-from',
  defaultSeverity: 'info',
  summary: 'The file has no FROM: it is checked as a fragment of a stage, and cannot be built as it is.',
  check(context) {
    const first = context.model.instructions[0];
    // On-cluster content without FROM is on-cluster-from-configs' finding (it runs inside the MCO's template stage).
    if (!context.model.fragment || !first || context.mode === 'on-cluster') return [];
    return [{
      message: 'This file has no FROM line, so it is checked as a fragment: its RUN instructions are linted, but it cannot be built until it starts with a FROM (for a node image, the cluster\'s rhel-coreos image by digest).',
      range: first.keywordRange,
    }];
  },
};
