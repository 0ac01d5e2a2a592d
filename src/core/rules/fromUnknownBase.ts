import { finalExternalBase } from './helpers';
import type { Rule } from './types';

/**
 * Only an ostree/bootc OS image can be rebased onto; anything else fails on the node. The list of known bases cannot
 * be complete (a company's own base built on rhel-coreos, a new desktop image), so an unknown base is information:
 * the linter cannot check what the file builds on, not proof that it is wrong.
 */
export const fromUnknownBase: Rule = {
  id: 'from-unknown-base',
  defaultSeverity: 'info',
  summary: 'The final image builds on an image that is not a known CoreOS/bootc base, so the base cannot be checked.',
  check(context) {
    const base = finalExternalBase(context);
    if (!base || base.kind || base.isLocal || base.isPlaceholder || base.image.expanded === undefined) return [];
    return [{
      message: `${base.repository} is not a CoreOS/bootc base this linter knows, so it cannot check it: nodes can only boot an OS image (for OpenShift, one built on the cluster's rhel-coreos image). If ${base.repository} is one, add it to rhcosLayering.lint.baseImages.`,
      range: base.image.range,
    }];
  },
};
