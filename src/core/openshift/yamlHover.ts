import { isSeq, type Node } from 'yaml';
import type { BaseImageClassifier } from '../containerfile/baseImages';
import { describeImage, type HoverInfo } from '../hover';
import type { Position } from '../text';
import { ROLE_LABEL } from './names';
import type { KernelType, VersionFacts } from './versions';
import { nodeAt, nodeOffsets, pairOf, scalarString, type ParsedYamlFile, type YamlObject } from './yamlDocuments';

export interface YamlHoverContext {
  readonly facts: VersionFacts;
  readonly baseImages: BaseImageClassifier;
  readonly clusterBaseImage?: string;
}

/**
 * What hovering a MachineConfig's fields shows: `spec.osImageURL` (the image's parts, whether it is pinned and whether
 * it is the cluster's base image), an entry of `spec.extensions` (the RPMs it installs at the target version) and
 * `spec.kernelType` (what the MCO does for it).
 */
export function yamlHoverAt(parsed: ParsedYamlFile, position: Position, context: YamlHoverContext): HoverInfo | undefined {
  const offset = parsed.lines.offsetAt(position);
  for (const object of parsed.objects) {
    if (object.kind !== 'MachineConfig') continue;
    const found = osImageHover(object, offset, context) ?? extensionHover(object, offset, context.facts) ?? kernelTypeHover(object, offset, context.facts);
    if (found) return { markdown: found.markdown, range: parsed.lines.rangeOf(found.offsets[0], found.offsets[1]) };
  }
  return undefined;
}

interface Found {
  readonly markdown: string;
  readonly offsets: [number, number];
}

function within(node: Node | undefined, offset: number): [number, number] | undefined {
  const offsets = nodeOffsets(node);
  return offsets && offset >= offsets[0] && offset <= offsets[1] ? offsets : undefined;
}

/** Hovering the `osImageURL` key shows the same card as its value: people point at the field name as often as at the image. */
function osImageHover(object: YamlObject, offset: number, context: YamlHoverContext): Found | undefined {
  const node = nodeAt(object.root, ['spec', 'osImageURL']);
  const key = pairOf(nodeAt(object.root, ['spec']), 'osImageURL')?.key as Node | undefined;
  const offsets = within(node, offset) ?? within(key, offset);
  const image = scalarString(node);
  if (!offsets || !image) return undefined;
  const pool = scalarString(nodeAt(object.root, ['metadata', 'labels', ROLE_LABEL]));
  const notes = [
    `The image the nodes of ${pool ? `pool \`${pool}\`` : 'the pools this MachineConfig is for'} boot into: the MCO drains and reboots each of them to apply it.`,
    ...(image.includes('@sha256:') ? [] : ['Not pinned by digest: nodes may end up on different images as the tag moves.']),
  ];
  return { markdown: describeImage('Node image', image, context, notes), offsets };
}

function extensionHover(object: YamlObject, offset: number, facts: VersionFacts): Found | undefined {
  const list = nodeAt(object.root, ['spec', 'extensions']);
  if (!isSeq(list)) return undefined;
  for (const item of list.items) {
    const offsets = within(item as Node, offset);
    const name = scalarString(item);
    if (!offsets || !name) continue;
    const rpms = facts.extensions.get(name);
    const markdown = rpms
      ? [
          `**MCO extension** \`${name}\``,
          '',
          `On OpenShift ${facts.label} the MCO installs ${rpms.map((rpm) => `\`${rpm}\``).join(', ')} on the pool's nodes for it.`,
          'Do not also install these RPMs in a layered image for the same pool: the two conflict and the pool can degrade (rule `extension-package`).',
        ].join('\n')
      : `**MCO extension** \`${name}\`\n\nNot an extension OpenShift ${facts.label} supports (${[...facts.extensions.keys()].map((e) => `\`${e}\``).join(', ')}).`;
    return { markdown, offsets };
  }
  return undefined;
}

const KERNEL_TYPES: Readonly<Record<KernelType, string>> = {
  default: 'The standard RHCOS kernel.',
  realtime: 'The MCO replaces the kernel with `kernel-rt` on the pool\'s nodes. Do not install kernel-rt RPMs in a layered image for the same pool (rule `kernel-rt-package`).',
  '64k-pages': 'The MCO installs the kernel built for 64k pages (aarch64 nodes only).',
};

function kernelTypeHover(object: YamlObject, offset: number, facts: VersionFacts): Found | undefined {
  const node = nodeAt(object.root, ['spec', 'kernelType']);
  const offsets = within(node, offset);
  const value = scalarString(node);
  if (!offsets || value === undefined) return undefined;
  const known = (facts.kernelTypes as readonly string[]).includes(value);
  const detail = known ? KERNEL_TYPES[value as KernelType] : `Not a kernelType OpenShift ${facts.label} accepts (${facts.kernelTypes.map((k) => `\`${k}\``).join(', ')}).`;
  return { markdown: `**kernelType** \`${value}\`\n\n${detail}`, offsets };
}
