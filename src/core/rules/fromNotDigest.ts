import { finalExternalBase, quote } from './helpers';
import type { Fix, Rule, RuleFinding } from './types';

/**
 * The MCO accepts a tag, but each node's daemon pulls for itself: if the tag moves mid-rollout, nodes end up on
 * different images. The docs require a digest (MCO docs/UsingLayering.md; openshift-docs coreos-layering-configuring).
 * A tag reached through ARG defaults counts too (`FROM ${IMAGE}:${TAG}${DIGEST:+@${DIGEST}}` with an empty DIGEST).
 * Release payloads are from-release-image's: pinning one to its digest would not make it an OS image.
 */
export const fromNotDigest: Rule = {
  id: 'from-not-digest',
  defaultSeverity: 'error',
  summary: 'The final stage\'s base image is a tag or untagged instead of a digest.',
  check(context) {
    const base = finalExternalBase(context);
    if (!base || base.isLocal || base.isPlaceholder || base.kind === 'on-cluster-configs' || base.kind === 'release-payload') return [];
    if (base.image.expanded === undefined || base.digest !== undefined) return [];
    const what = base.tag ? `the tag ${quote(base.tag)}` : 'no tag or digest (so `latest`)';
    const viaArg = base.image.variables.length > 0 ? ` (from the default of ARG ${base.image.variables.join(', ')})` : '';
    const fixes: Fix[] = [];
    if (base.image.variables.length === 0) {
      fixes.push({ kind: 'action', title: `Pin ${base.text} to its digest`, preferred: true, action: { type: 'pin-digest', image: base.text, range: base.image.range } });
      const clusterBase = context.cluster?.baseOSContainerImage;
      if (clusterBase && clusterBase !== base.text) {
        fixes.push({ kind: 'edit', title: `Use the cluster's base image (${clusterBase})`, edits: [{ range: base.image.range, newText: clusterBase }] });
      }
    }
    const finding: RuleFinding = {
      message: `Base image ${base.text} uses ${what}${viaArg}: pin it by digest (@sha256:…) so every node gets the same image.`,
      range: base.image.range,
      fixes,
    };
    return [finding];
  },
};
