import { finalExternalBase } from './helpers';
import type { Rule } from './types';

/** Only a CoreOS/bootc image can be rebased onto by rpm-ostree; anything else fails on the node. */
export const fromUnknownBase: Rule = {
  id: 'from-unknown-base',
  defaultSeverity: 'warning',
  summary: 'The final stage derives from no known CoreOS/bootc base image.',
  check(context) {
    const base = finalExternalBase(context);
    if (!base || base.kind || base.isLocal || base.image.expanded === undefined) return [];
    return [{
      message: `${base.repository} is not a known CoreOS/bootc base: nodes can only rebase onto an image derived from the cluster's rhel-coreos image. If it is one, add it to rhcosLayering.lint.baseImages.`,
      range: base.image.range,
    }];
  },
};
