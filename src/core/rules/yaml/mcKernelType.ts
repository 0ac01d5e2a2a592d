import { nodeAt, scalarString } from '../../openshift/yamlDocuments';
import { factsFor, KNOWN_MINOR_VERSIONS } from '../../openshift/versions';
import type { RuleFinding } from '../types';
import { machineConfigsToCheck, rangeOfNode } from './helpers';
import type { YamlRule } from './types';

/** The MCO refuses to render a pool whose kernelType it does not know at that version. */
export const mcKernelType: YamlRule = {
  id: 'mc-kernel-type',
  defaultSeverity: 'error',
  summary: '`spec.kernelType` is not a kernel type of the target version.',
  check(context) {
    const facts = context.facts;
    const findings: RuleFinding[] = [];
    for (const { object } of machineConfigsToCheck(context)) {
      const kernelNode = nodeAt(object.root, ['spec', 'kernelType']);
      const kernelType = scalarString(kernelNode);
      const range = rangeOfNode(context, kernelNode);
      if (kernelType === undefined || kernelType === '' || !range || (facts.kernelTypes as readonly string[]).includes(kernelType)) continue;
      const minor = KNOWN_MINOR_VERSIONS.find((m) => (factsFor({ major: 4, minor: m }).kernelTypes as readonly string[]).includes(kernelType));
      const why = minor !== undefined ? `${kernelType} is supported from 4.${minor}` : `valid values are ${facts.kernelTypes.join(', ')}`;
      findings.push({ range, message: `kernelType "${kernelType}" is not valid at ${facts.label} (${why}); the MCO fails to render the pool ("kernelType=${kernelType} is invalid"). Valid at ${facts.label}: ${facts.kernelTypes.join(', ')}.` });
    }
    return findings;
  },
};
