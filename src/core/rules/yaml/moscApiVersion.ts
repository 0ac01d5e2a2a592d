import { MACHINEOSCONFIG_API_VERSION_V1, MACHINEOSCONFIG_API_VERSION_V1ALPHA1 } from '../../openshift/machineosconfig';
import type { RuleFinding } from '../types';
import { apiVersionRange, machineOSConfigsToCheck } from './helpers';
import type { YamlRule } from './types';

/** MachineOSConfig is v1alpha1 (Tech Preview) in 4.16/4.17 and v1 from 4.18; earlier versions have no such API. */
export const moscApiVersion: YamlRule = {
  id: 'mosc-api-version',
  defaultSeverity: 'warning',
  summary: 'The MachineOSConfig API version does not exist at the target version.',
  check(context) {
    const facts = context.facts;
    const findings: RuleFinding[] = [];
    for (const object of machineOSConfigsToCheck(context)) {
      const range = apiVersionRange(context, object);
      const apiVersion = object.apiVersion;
      if (facts.onClusterLayering === 'none') {
        findings.push({ range, message: `${facts.label} has no MachineOSConfig API (on-cluster layering is Tech Preview in 4.16/4.17 and GA from 4.18). Check rhcosLayering.targetVersion, or use out-of-cluster layering with a MachineConfig.` });
      } else if (apiVersion === MACHINEOSCONFIG_API_VERSION_V1 && facts.onClusterLayering === 'v1alpha1') {
        findings.push({ range, message: `${facts.label} serves MachineOSConfig only as ${MACHINEOSCONFIG_API_VERSION_V1ALPHA1} (Tech Preview); v1 exists from 4.18. Target 4.18 or later, or write the v1alpha1 shape (spec.buildInputs).` });
      } else if (apiVersion === MACHINEOSCONFIG_API_VERSION_V1ALPHA1 && facts.onClusterLayering === 'v1') {
        findings.push({ range, message: `${MACHINEOSCONFIG_API_VERSION_V1ALPHA1} was the 4.16/4.17 Tech Preview shape; ${facts.label} uses ${MACHINEOSCONFIG_API_VERSION_V1} (spec.machineConfigPool, imageBuilder, renderedImagePushSpec, containerFile).` });
      }
    }
    return findings;
  },
};
