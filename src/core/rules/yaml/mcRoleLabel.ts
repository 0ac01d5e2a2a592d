import { isMap, type Node } from 'yaml';
import { poolNameProblem, ROLE_LABEL } from '../../openshift/names';
import { nodeAt, pairOf, scalarString, type YamlObject } from '../../openshift/yamlDocuments';
import type { Range } from '../../text';
import type { Fix, RuleFinding } from '../types';
import { machineConfigsToCheck, rangeOfNode, withFixes } from './helpers';
import type { YamlRule, YamlRuleContext } from './types';

/**
 * A MachineConfigPool selects MachineConfigs by the role label: without it, or with a name no pool has, the
 * MachineConfig changes nothing. Rendered MachineConfigs are the MCO's own output and are not checked.
 */
export const mcRoleLabel: YamlRule = {
  id: 'mc-role-label',
  defaultSeverity: 'error',
  summary: `The \`${ROLE_LABEL}\` label is missing, invalid or names no pool.`,
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { object, mc } of machineConfigsToCheck(context)) {
      if (!mc.rendered) findings.push(...checkRoleLabel(context, object));
    }
    return findings;
  },
};

function checkRoleLabel(context: YamlRuleContext, object: YamlObject): RuleFinding[] {
  const metadata = nodeAt(object.root, ['metadata']);
  const labels = nodeAt(object.root, ['metadata', 'labels']);
  const roleNode = isMap(labels) ? labels.get(ROLE_LABEL, true) : undefined;
  const name = scalarString(nodeAt(object.root, ['metadata', 'name']));
  const pools = context.clusterPools;
  if (roleNode === undefined || roleNode === null) {
    const anchor = pairOf(metadata, 'name')?.key ?? pairOf(object.root, 'metadata')?.key ?? pairOf(object.root, 'kind')?.value;
    const range = rangeOfNode(context, anchor as Node | undefined) ?? context.lines.rangeOf(0, 0);
    const known = context.otherMachineConfigs.map((mc) => mc.pool).filter((p): p is string => !!p && !poolNameProblem(p));
    const candidates = pools && pools.length > 0 ? [...pools] : [...new Set(['worker', 'master', ...known.sort()])];
    const guess = poolFromName(name, candidates);
    const fixes: Fix[] = [];
    const insertion = roleLabelInsertion(context, object);
    if (insertion) {
      const ordered = guess ? [guess, ...candidates.filter((p) => p !== guess)] : candidates;
      for (const pool of ordered.slice(0, 6)) {
        fixes.push({ kind: 'edit', title: `Add the role label for pool ${pool}`, preferred: pool === guess, edits: [{ range: insertion.range, newText: insertion.text(pool) }] });
      }
    }
    const subject = name ? `MachineConfig ${name}` : 'This MachineConfig';
    return [{ range, message: `${subject} has no ${ROLE_LABEL} label, so no MachineConfigPool selects it and it changes nothing. Add the label with the pool it is for${guess ? ` (the name suggests ${guess})` : ''}.`, ...withFixes(fixes) }];
  }
  const role = scalarString(roleNode);
  const range = rangeOfNode(context, roleNode as Node) ?? context.lines.rangeOf(0, 0);
  if (role === undefined) return [{ range, message: `The ${ROLE_LABEL} label must be a pool name (a string).` }];
  const invalid = poolNameProblem(role);
  if (invalid) return [{ range, message: `"${role}" cannot be a pool name: ${invalid}. No MachineConfigPool selects this MachineConfig.` }];
  if (pools !== undefined) {
    if (pools.includes(role)) return [];
    const near = pools.find((pool) => pool === role.replace(/s$/, '') || `${pool}s` === role);
    return [{
      range,
      severity: 'warning',
      message: `The connected cluster${context.cluster?.context ? ` (${context.cluster.context})` : ''} has no pool "${role}"; its pools are ${pools.join(', ')}.${near ? ` Did you mean ${near}?` : ''} Create the MachineConfigPool first, or fix the label.`,
    }];
  }
  const typo = LIKELY_TYPOS.get(role);
  if (!typo) return [];
  return [{
    range,
    severity: 'warning',
    message: `"${role}" is not a standard pool; did you mean ${typo}? No cluster is connected to check custom pools.`,
    fixes: [{ kind: 'edit', title: `Change the role to ${typo}`, preferred: true, edits: [{ range, newText: typo }] }],
  }];
}

const LIKELY_TYPOS: ReadonlyMap<string, string> = new Map([['workers', 'worker'], ['masters', 'master'], ['control-plane', 'master'], ['controlplane', 'master']]);

/** `99-worker-foo` / `os-layer-custom-infra` / `50-infra`: the pool a MachineConfig name mentions, if exactly one. */
function poolFromName(name: string | undefined, candidates: readonly string[]): string | undefined {
  if (!name) return undefined;
  const parts = name.split(/[-.]/);
  const found = candidates.filter((pool) => {
    const words = pool.split('-');
    for (let i = 0; i + words.length <= parts.length; i++) if (words.every((w, j) => parts[i + j] === w)) return true;
    return false;
  });
  return found.length === 1 ? found[0] : undefined;
}

/** Where and how to insert the role label into a block-style metadata map. Undefined when that is not certain. */
function roleLabelInsertion(context: YamlRuleContext, object: YamlObject): { range: Range; text: (pool: string) => string } | undefined {
  const metadataPair = pairOf(object.root, 'metadata');
  const metadata = metadataPair?.value;
  if (!isMap(metadata) || metadata.flow || metadata.items.length === 0) return undefined;
  const labels = metadata.get('labels', true);
  const firstKey = metadata.items[0]!.key as Node;
  if (!firstKey.range) return undefined;
  const metadataIndent = context.lines.positionAt(firstKey.range[0]).character;
  if (isMap(labels)) {
    if (labels.flow || labels.items.length === 0) return undefined;
    const key = labels.items[0]!.key as Node;
    if (!key.range) return undefined;
    const position = context.lines.positionAt(key.range[0]);
    if (context.lines.lineText(position.line).slice(0, position.character).trim() !== '') return undefined;
    const at = { line: position.line, character: 0 };
    return { range: { start: at, end: at }, text: (pool) => `${' '.repeat(position.character)}${ROLE_LABEL}: ${pool}\n` };
  }
  if (labels !== undefined && labels !== null) return undefined; // labels: with a scalar or null value
  const position = context.lines.positionAt(firstKey.range[0]);
  if (context.lines.lineText(position.line).slice(0, position.character).trim() !== '') return undefined;
  const metadataKey = metadataPair!.key as Node;
  const metadataColumn = metadataKey.range ? context.lines.positionAt(metadataKey.range[0]).character : 0;
  const inner = ' '.repeat(metadataIndent + Math.max(2, metadataIndent - metadataColumn));
  const at = { line: position.line, character: 0 };
  return { range: { start: at, end: at }, text: (pool) => `${' '.repeat(metadataIndent)}labels:\n${inner}${ROLE_LABEL}: ${pool}\n` };
}
