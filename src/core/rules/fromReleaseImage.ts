import { finalExternalBase } from './helpers';
import type { Rule } from './types';

/**
 * The 4.13-era docs showed an ocp-release image as the base (fixed in rhcos-image-layering-examples, OCPBUGS-33598).
 * A release payload is not an OS image: the rebase fails and the pool degrades.
 */
export const fromReleaseImage: Rule = {
  id: 'from-release-image',
  defaultSeverity: 'error',
  summary: 'The base image is an OpenShift release payload instead of rhel-coreos.',
  check(context) {
    const base = finalExternalBase(context);
    if (!base || base.kind !== 'release-payload') return [];
    return [{
      message: `${base.repository} is a release payload, not an OS image: nodes fail to rebase onto it. Use the rhel-coreos image of that release (\`oc adm release info --image-for rhel-coreos <release>\`).`,
      range: base.image.range,
    }];
  },
};
