import { isSeq, type Node } from 'yaml';
import { nodeAt, scalarString } from '../../openshift/yamlDocuments';
import type { RuleFinding } from '../types';
import { describeLocation, machineConfigsToCheck, poolMembers, rangeOfNode } from './helpers';
import type { YamlRule } from './types';

/**
 * The MCO cannot install the kernel-devel extension with a non-default kernelType, whether both are in one
 * MachineConfig or in two of the same pool (extensions are concatenated and the kernel type merged).
 */
export const mcKernelDevelKernelType: YamlRule = {
  id: 'mc-kernel-devel-kernel-type',
  defaultSeverity: 'error',
  summary: 'The `kernel-devel` extension with a non-default `kernelType` fails to render.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { object, mc } of machineConfigsToCheck(context)) {
      const extensionsNode = nodeAt(object.root, ['spec', 'extensions']);
      const kernelNode = nodeAt(object.root, ['spec', 'kernelType']);
      const kernelType = scalarString(kernelNode);
      const kernelRange = rangeOfNode(context, kernelNode);
      const nonDefault = kernelType && kernelType !== 'default' ? kernelType : undefined;
      const extensions = isSeq(extensionsNode) ? extensionsNode.items : [];
      const hasKernelDevel = extensions.some((item) => scalarString(item) === 'kernel-devel');
      const kernelDevelNode = extensions.filter((item) => scalarString(item) === 'kernel-devel' && rangeOfNode(context, item as Node)).pop() as Node | undefined;
      if (nonDefault && kernelRange && mc.pool && !hasKernelDevel) {
        const other = poolMembers(context, mc.pool).find((o) => o.name !== mc.name && o.extensions.includes('kernel-devel'));
        if (other) {
          findings.push({ range: kernelRange, message: `MachineConfig ${other.name}${describeLocation(other)} adds the kernel-devel extension to pool ${mc.pool}; with kernelType: ${nonDefault} here the MCO fails to render the pool ("installing kernel-devel extension is not supported with kernelType: ${nonDefault}").` });
        }
      }
      if (kernelDevelNode && nonDefault && kernelRange) {
        const message = `The kernel-devel extension cannot be combined with kernelType: ${nonDefault}; the MCO fails to render the pool ("installing kernel-devel extension is not supported with kernelType: ${nonDefault}").`;
        findings.push({ range: rangeOfNode(context, kernelDevelNode)!, message }, { range: kernelRange, message });
      } else if (kernelDevelNode && mc.pool && !nonDefault) {
        const other = poolMembers(context, mc.pool).find((o) => o.name !== mc.name && o.kernelType && o.kernelType !== 'default');
        if (other) {
          findings.push({ range: rangeOfNode(context, kernelDevelNode)!, message: `MachineConfig ${other.name}${describeLocation(other)} sets kernelType: ${other.kernelType} for pool ${mc.pool}; with the kernel-devel extension here the MCO fails to render the pool ("installing kernel-devel extension is not supported with kernelType: ${other.kernelType}").` });
        }
      }
    }
    return findings;
  },
};
