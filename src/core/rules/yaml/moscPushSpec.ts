import { pushSpecProblem } from '../../openshift/machineosconfig';
import { nodeAt, scalarString } from '../../openshift/yamlDocuments';
import type { RuleFinding } from '../types';
import { rangeOfNode, v1MachineOSConfigsWithSpec } from './helpers';
import type { YamlRule } from './types';

/** The API validates `renderedImagePushSpec` as a tagged push location; the build cannot push anywhere else. */
export const moscPushSpec: YamlRule = {
  id: 'mosc-push-spec',
  defaultSeverity: 'error',
  summary: '`renderedImagePushSpec` is not a tagged push location the API accepts.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { object } of v1MachineOSConfigsWithSpec(context)) {
      const pushNode = nodeAt(object.root, ['spec', 'renderedImagePushSpec']);
      const push = scalarString(pushNode);
      const why = push === undefined ? undefined : pushSpecProblem(push);
      if (why) findings.push({ range: rangeOfNode(context, pushNode)!, message: `renderedImagePushSpec "${push}" is not accepted: ${why}.` });
    }
    return findings;
  },
};
