import { finalExternalBase, type ExternalBase } from './helpers';
import type { Fix, Rule, RuleContext } from './types';

/**
 * The 4.13-era docs showed an ocp-release image as the base (fixed in rhcos-image-layering-examples, OCPBUGS-33598).
 * A release payload is not an OS image: the rebase fails and the pool degrades. Pinning the payload to a digest does
 * not help, so the fixes lead to the rhel-coreos image instead: the connected cluster's base image (the Cluster view's
 * "Use as FROM"), or, offline, the command that prints the rhel-coreos image of that release.
 */
export const fromReleaseImage: Rule = {
  id: 'from-release-image',
  defaultSeverity: 'error',
  summary: 'The base image is an OpenShift release payload instead of rhel-coreos.',
  check(context) {
    const base = finalExternalBase(context);
    if (!base || base.kind !== 'release-payload' || base.isPlaceholder) return [];
    return [{
      message: `${base.repository} is a release payload, not an OS image: nodes fail to rebase onto it. Use the rhel-coreos image of that release (\`oc adm release info --image-for rhel-coreos <release>\`).`,
      range: base.image.range,
      fixes: fixes(context, base),
    }];
  },
};

function fixes(context: RuleContext, base: ExternalBase): Fix[] {
  const result: Fix[] = [];
  if (context.cluster) {
    const known = context.cluster.baseOSContainerImage;
    result.push({
      kind: 'action',
      title: `Use the cluster's base image${known ? ` (${known})` : ''}`,
      preferred: true,
      action: { type: 'use-cluster-base-image' },
    });
  }
  const fromLine = base.from.range.start.line;
  const indent = /^[ \t]*/.exec(context.model.lines.lineText(fromLine))?.[0] ?? '';
  const release = base.image.expanded ?? '<release>';
  result.push({
    kind: 'edit',
    title: 'Insert the command that prints this release\'s rhel-coreos image',
    preferred: result.length === 0,
    edits: [{
      range: { start: { line: fromLine, character: 0 }, end: { line: fromLine, character: 0 } },
      newText: `${indent}# The OS image of this release, to use in FROM: oc adm release info --image-for rhel-coreos ${release}\n`,
    }],
  });
  return result;
}
