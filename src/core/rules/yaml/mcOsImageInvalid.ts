import { machineConfigsToCheck, osImageValue } from './helpers';
import type { YamlRule } from './types';
import type { RuleFinding } from '../types';

/** The MCO hands osImageURL to the node's image pull as it is: a malformed reference or a `$VAR` fails on every node. */
export const mcOsImageInvalid: YamlRule = {
  id: 'mc-os-image-invalid',
  defaultSeverity: 'error',
  summary: '`spec.osImageURL` is not a valid image reference.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { object } of machineConfigsToCheck(context)) {
      const image = osImageValue(context, object);
      if (!image) continue;
      const { checked, value, range, offsets } = image;
      if (checked.kind === 'invalid') {
        const span = checked.problem.span;
        const exact = image.exact && span ? context.lines.rangeOf(offsets[0] + span.start, offsets[0] + Math.max(span.end, span.start + 1)) : range;
        findings.push({ range: exact, message: `osImageURL "${value}" is not a valid image reference: ${checked.problem.why}. ${checked.problem.next}` });
      } else if (checked.kind === 'variables') {
        findings.push({ range, message: `osImageURL contains ${checked.variables.map((v) => v.text).join(', ')}; nothing expands variables in a MachineConfig. Write the image reference by digest.` });
      }
    }
    return findings;
  },
};
