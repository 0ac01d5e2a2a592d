import { machineConfigsToCheck, osImageValue, withFixes } from './helpers';
import type { YamlRule } from './types';
import type { Fix, RuleFinding } from '../types';

/** Each node's daemon pulls osImageURL for itself: a tag that moves mid-rollout leaves nodes on different images. */
export const mcOsImageNotDigest: YamlRule = {
  id: 'mc-os-image-not-digest',
  defaultSeverity: 'warning',
  summary: '`spec.osImageURL` names a tag instead of a digest.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { object } of machineConfigsToCheck(context)) {
      const image = osImageValue(context, object);
      if (!image || image.checked.kind !== 'valid' || image.checked.ref.digest) continue;
      const { value, range } = image;
      const facts = context.facts;
      const what = image.checked.ref.tag ? `the tag "${image.checked.ref.tag}"` : 'no tag or digest (so latest)';
      const logs = facts.warnsOnOsImageTag ? ` From 4.18 the MCO also logs a warning for it.` : '';
      const fixes: Fix[] = image.exact
        ? [{ kind: 'action', title: `Pin ${value} to its digest`, preferred: true, action: { type: 'pin-digest', image: value, range } }]
        : [];
      findings.push({ range, message: `osImageURL uses ${what}: each node pulls the image for itself, so if the tag moves during the rollout nodes end up on different images. Pin it by digest (@sha256:…).${logs}`, ...withFixes(fixes) });
    }
    return findings;
  },
};
