import { isSeq, type Node } from 'yaml';
import { nodeAt, scalarString } from '../../openshift/yamlDocuments';
import { factsFor, KNOWN_MINOR_VERSIONS } from '../../openshift/versions';
import type { RuleFinding } from '../types';
import { machineConfigsToCheck, rangeOfNode } from './helpers';
import type { YamlRule } from './types';

/** An extension the target version does not ship degrades the pool ("invalid extensions found"). */
export const mcExtensionUnsupported: YamlRule = {
  id: 'mc-extension-unsupported',
  defaultSeverity: 'error',
  summary: 'An entry of `spec.extensions` is not supported at the target version.',
  check(context) {
    const facts = context.facts;
    const findings: RuleFinding[] = [];
    for (const { object } of machineConfigsToCheck(context)) {
      const extensionsNode = nodeAt(object.root, ['spec', 'extensions']);
      if (!isSeq(extensionsNode)) continue;
      for (const item of extensionsNode.items) {
        const extension = scalarString(item);
        const range = rangeOfNode(context, item as Node);
        if (extension === undefined || !range || facts.extensions.has(extension)) continue;
        const versions = KNOWN_MINOR_VERSIONS.filter((minor) => factsFor({ major: 4, minor }).extensions.has(extension));
        let when = '';
        if (versions.length > 0) {
          const first = versions[0]!;
          const last = versions[versions.length - 1]!;
          when = last < KNOWN_MINOR_VERSIONS[KNOWN_MINOR_VERSIONS.length - 1]! && last < facts.version.minor ? ` It was removed after 4.${last}.` : ` It is supported from 4.${first}.`;
        }
        findings.push({ range, message: `Extension "${extension}" is not supported at ${facts.label}: the MCO reports "invalid extensions found: [${extension}]" and the pool degrades.${when} Supported at ${facts.label}: ${[...facts.extensions.keys()].join(', ')}.` });
      }
    }
    return findings;
  },
};
