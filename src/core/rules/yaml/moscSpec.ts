import { isMap, type Node } from 'yaml';
import { MACHINEOSCONFIG_API_VERSION_V1 } from '../../openshift/machineosconfig';
import { dns1123SubdomainProblem } from '../../openshift/names';
import { nodeAt, pairOf, scalarString, type YamlObject } from '../../openshift/yamlDocuments';
import type { RuleFinding } from '../types';
import { apiVersionRange, machineOSConfigsToCheck, rangeOfNode } from './helpers';
import type { YamlRule, YamlRuleContext } from './types';

/** What the API server rejects in a v1 MachineOSConfig's spec and name, and a pool the connected cluster lacks. */
export const moscSpec: YamlRule = {
  id: 'mosc-spec',
  defaultSeverity: 'error',
  summary: 'A MachineOSConfig misses required fields or its name differs from its pool.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const object of machineOSConfigsToCheck(context)) {
      if (object.apiVersion === MACHINEOSCONFIG_API_VERSION_V1) findings.push(...checkSpec(context, object));
    }
    return findings;
  },
};

function checkSpec(context: YamlRuleContext, object: YamlObject): RuleFinding[] {
  const root = object.root;
  const specPair = pairOf(root, 'spec');
  const spec = specPair?.value;
  const kindRange = rangeOfNode(context, pairOf(root, 'kind')?.value as Node | undefined) ?? apiVersionRange(context, object);
  if (!isMap(spec)) {
    return [{ range: kindRange, message: 'This MachineOSConfig has no spec: it needs machineConfigPool, imageBuilder, renderedImagePushSecret and renderedImagePushSpec.' }];
  }
  const findings: RuleFinding[] = [];
  const specRange = rangeOfNode(context, specPair!.key as Node) ?? kindRange;
  const missing = ['machineConfigPool', 'imageBuilder', 'renderedImagePushSecret', 'renderedImagePushSpec'].filter((key) => !spec.has(key));
  if (missing.length > 0) findings.push({ range: specRange, message: `spec is missing ${missing.join(', ')}; the API server rejects the MachineOSConfig without ${missing.length === 1 ? 'it' : 'them'}.` });

  const poolNode = nodeAt(root, ['spec', 'machineConfigPool', 'name']);
  const pool = scalarString(poolNode);
  const nameNode = nodeAt(root, ['metadata', 'name']);
  const name = scalarString(nameNode);
  if (pool !== undefined && name !== undefined && pool !== name) {
    const range = rangeOfNode(context, nameNode)!;
    findings.push({ range, message: `A MachineOSConfig must be named like its pool ("${pool}"); the API server rejects "${name}" (one MachineOSConfig per pool).`, fixes: [{ kind: 'edit', title: `Rename to ${pool}`, preferred: true, edits: [{ range, newText: pool }] }] });
  }
  if (pool !== undefined && context.clusterPools && !context.clusterPools.includes(pool)) {
    findings.push({ range: rangeOfNode(context, poolNode)!, severity: 'warning', message: `The connected cluster has no pool "${pool}"; its pools are ${context.clusterPools.join(', ')}.` });
  }
  const builder = nodeAt(root, ['spec', 'imageBuilder', 'imageBuilderType']);
  const builderType = scalarString(builder);
  if (builderType !== undefined && builderType !== 'Job') {
    const range = rangeOfNode(context, builder)!;
    findings.push({ range, message: `imageBuilderType "${builderType}" is not supported; v1 knows only Job${builderType === 'PodImageBuilder' ? ' (PodImageBuilder was the v1alpha1 value)' : ''}.`, fixes: [{ kind: 'edit', title: 'Use Job', preferred: true, edits: [{ range, newText: 'Job' }] }] });
  }
  for (const secretField of ['renderedImagePushSecret', 'baseImagePullSecret']) {
    const secretNode = nodeAt(root, ['spec', secretField, 'name']);
    const secret = scalarString(secretNode);
    const why = secret === undefined ? undefined : dns1123SubdomainProblem(secret);
    if (why) findings.push({ range: rangeOfNode(context, secretNode)!, message: `${secretField}.name "${secret}" is not a valid Secret name: ${why}.` });
  }
  return findings;
}
