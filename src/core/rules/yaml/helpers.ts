import { isMap, isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import { checkReference, type ReferenceCheck } from '../../image/reference';
import { MACHINEOSCONFIG_API_VERSION_V1 } from '../../openshift/machineosconfig';
import { MCO_GROUP, nodeAt, pairOf, unquotedOffsets, type WorkspaceMachineConfig, type YamlObject } from '../../openshift/yamlDocuments';
import type { Range } from '../../text';
import type { Fix } from '../types';
import type { YamlRuleContext } from './types';

export function rangeOfNode(context: YamlRuleContext, node: Node | null | undefined): Range | undefined {
  const range = node?.range;
  if (!range) return undefined;
  return context.lines.rangeOf(range[0], Math.max(range[0], range[1]));
}

/** MachineConfigs of the MCO's API group (or with no apiVersion), with their facts. */
export function machineConfigsToCheck(context: YamlRuleContext): { object: YamlObject; mc: WorkspaceMachineConfig }[] {
  const result: { object: YamlObject; mc: WorkspaceMachineConfig }[] = [];
  for (const { object, machineConfig } of context.objects) {
    if (object.kind !== 'MachineConfig' || !machineConfig) continue;
    if (object.apiVersion !== undefined && !object.apiVersion.startsWith(`${MCO_GROUP}/`)) continue;
    result.push({ object, mc: machineConfig });
  }
  return result;
}

export function machineOSConfigsToCheck(context: YamlRuleContext): YamlObject[] {
  return context.objects.filter(({ object }) => object.kind === 'MachineOSConfig').map(({ object }) => object);
}

/** MachineOSConfigs in the v1 shape with a `spec` map: the ones whose fields the rules check. */
export function v1MachineOSConfigsWithSpec(context: YamlRuleContext): { object: YamlObject; spec: YAMLMap }[] {
  const result: { object: YamlObject; spec: YAMLMap }[] = [];
  for (const object of machineOSConfigsToCheck(context)) {
    const spec = pairOf(object.root, 'spec')?.value;
    if (object.apiVersion === MACHINEOSCONFIG_API_VERSION_V1 && isMap(spec)) result.push({ object, spec });
  }
  return result;
}

/** The range of `apiVersion`'s value, else of `kind`'s, else the file start: where API-version findings go. */
export function apiVersionRange(context: YamlRuleContext, object: YamlObject): Range {
  const apiNode = pairOf(object.root, 'apiVersion')?.value as Node | undefined;
  return rangeOfNode(context, apiNode) ?? rangeOfNode(context, pairOf(object.root, 'kind')?.value as Node | undefined) ?? context.lines.rangeOf(0, 0);
}

/** A MachineConfig's non-empty `spec.osImageURL` string, its range without quotes, and what the reference parser makes of it. */
export interface OsImageValue {
  readonly node: Scalar;
  readonly value: string;
  /** Start and end offsets of the value in the text (inside the quotes when quoted). */
  readonly offsets: [number, number];
  readonly range: Range;
  /** The offsets are exact (the scalar maps 1:1 onto the text), so edits and sub-spans can be placed. */
  readonly exact: boolean;
  readonly checked: ReferenceCheck;
}

export function osImageValue(context: YamlRuleContext, object: YamlObject): OsImageValue | undefined {
  const node = nodeAt(object.root, ['spec', 'osImageURL']);
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return undefined;
  const exactOffsets = unquotedOffsets(context.text, node);
  const offsets = exactOffsets ?? (node.range ? [node.range[0], node.range[1]] as [number, number] : undefined);
  if (!offsets) return undefined;
  return { node, value: node.value, offsets, range: context.lines.rangeOf(offsets[0], offsets[1]), exact: exactOffsets !== undefined, checked: checkReference(node.value) };
}

export const BUILTIN_POOLS: ReadonlySet<string> = new Set(['master', 'worker']);

/** MachineConfigs that make up `pool`: its own, plus the worker ones for a custom pool (custom pools inherit worker). */
export function poolMembers(context: YamlRuleContext, pool: string): WorkspaceMachineConfig[] {
  return allMachineConfigs(context).filter((mc) => !mc.rendered && (mc.pool === pool || (!BUILTIN_POOLS.has(pool) && mc.pool === 'worker')));
}

/** This file's MachineConfigs, the workspace's and the cluster's, each name once. */
export function allMachineConfigs(context: YamlRuleContext): WorkspaceMachineConfig[] {
  const location = context.location;
  const seen = new Set<string>();
  const result: WorkspaceMachineConfig[] = [];
  // This file's text wins over what the index has for it; workspace files win over the cluster's copy of an object.
  const others = context.otherMachineConfigs.filter((mc) => !location || mc.location !== location);
  const ordered = [...context.ownMachineConfigs, ...others.filter((mc) => mc.source === 'workspace'), ...others.filter((mc) => mc.source !== 'workspace')];
  for (const mc of ordered) {
    const key = mc.name || `${mc.location}#${result.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(mc);
  }
  return result;
}

/** ` (file.yaml)` or ` (in the cluster)`, to say where another MachineConfig lives. */
export function describeLocation(mc: WorkspaceMachineConfig): string {
  if (mc.source === 'cluster') return ' (in the cluster)';
  if (!mc.location) return '';
  const parts = mc.location.split(/[\\/]/);
  return ` (${parts[parts.length - 1]})`;
}

/** `{ fixes }` when there are any: a finding without fixes carries no `fixes` field. */
export function withFixes(fixes: readonly Fix[]): { fixes?: readonly Fix[] } {
  return fixes.length > 0 ? { fixes } : {};
}
