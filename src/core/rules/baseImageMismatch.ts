import type { BaseImageKind } from '../containerfile/baseImages';
import { splitReference } from '../image/reference';
import type { ContainerfileModel, OtherInstruction } from '../containerfile/model';
import type { Range, TextEdit } from '../text';
import { finalExternalBase, type ExternalBase } from './helpers';
import type { Fix, Rule } from './types';

/** Bases that are an OS image of their own; a company base listed in rhcosLayering.lint.baseImages may differ on purpose. */
const OS_IMAGE_KINDS: ReadonlySet<BaseImageKind> = new Set(['rhel-coreos', 'fedora-coreos', 'centos-stream-coreos', 'bootc', 'fedora-atomic']);
const DIGEST = /^sha256:[0-9a-f]{64}$/i;

/**
 * The layered image must be built FROM the cluster's own base (`baseOSContainerImage` in the machine-config-osimageurl
 * ConfigMap, what `oc adm release info --image-for rhel-coreos` prints). An osImageURL override also stops cluster
 * upgrades from updating the pool's OS, so a Containerfile left on an older base keeps the nodes on that build
 * (MCO docs/UsingLayering.md; MCO-FACTS sections 2, 5 and 9). Only digests are compared: a tag is from-not-digest's job.
 */
export const baseImageMismatch: Rule = {
  id: 'base-image-mismatch',
  defaultSeverity: 'warning',
  summary: 'The final stage\'s base image is not the connected cluster\'s baseOSContainerImage.',
  check(context) {
    const clusterImage = context.cluster?.baseOSContainerImage?.trim();
    if (!clusterImage) return [];
    const cluster = splitReference(clusterImage);
    if (!cluster.digest || !DIGEST.test(cluster.digest)) return [];
    const base = finalExternalBase(context);
    if (!base || base.image.expanded === undefined || !base.kind || !OS_IMAGE_KINDS.has(base.kind)) return [];
    // A placeholder such as `@sha256:...` is not an image yet; nothing to compare.
    if (!base.digest || !DIGEST.test(base.digest)) return [];
    if (base.digest.toLowerCase() === cluster.digest.toLowerCase()) return [];

    const where = `${context.cluster!.context}${context.cluster!.version ? `, ${context.cluster!.version}` : ''}`;
    const edits = replacementEdits(context.model, base, clusterImage);
    const fixes: Fix[] = edits
      ? [{ kind: 'edit', title: `Use the cluster's base image (${clusterImage})`, edits, preferred: true }]
      : [];
    return [{
      message: `Base image ${base.text} is not the connected cluster's (${where}) baseOSContainerImage ${clusterImage}: the pool would run a different OS build than the cluster's release. Rebuild FROM the cluster's image.`,
      range: base.image.range,
      fixes,
    }];
  },
};

/**
 * Edits that make the FROM line name `clusterImage`: the FROM word itself when it is literal, or the defaults of the
 * global ARGs it reads when written as `${IMAGE}@${DIGEST}`, `repo@${DIGEST}` or `${IMAGE}`. Undefined otherwise.
 */
function replacementEdits(model: ContainerfileModel, base: ExternalBase, clusterImage: string): TextEdit[] | undefined {
  const raw = base.image.raw;
  if (base.image.variables.length === 0) return [{ range: base.image.range, newText: clusterImage }];
  const rawAt = raw.indexOf('@');
  const targetAt = clusterImage.indexOf('@');
  const parts = rawAt >= 0
    ? [{ text: raw.slice(0, rawAt), offset: 0, target: clusterImage.slice(0, targetAt) }, { text: raw.slice(rawAt + 1), offset: rawAt + 1, target: clusterImage.slice(targetAt + 1) }]
    : [{ text: raw, offset: 0, target: clusterImage }];
  const edits: TextEdit[] = [];
  for (const part of parts) {
    if (!part.text.includes('$')) {
      if (part.text === part.target) continue;
      const range = slice(base.image.range, raw, part.offset, part.text.length);
      if (!range) return undefined;
      edits.push({ range, newText: part.target });
      continue;
    }
    const variable = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(part.text);
    const name = variable?.[1] ?? variable?.[2];
    const valueRange = name ? globalArgValueRange(model, name) : undefined;
    if (!valueRange) return undefined;
    edits.push({ range: valueRange, newText: part.target });
  }
  return edits.length > 0 ? edits : undefined;
}

/** The range of `length` characters at `offset` in a word written on one line, else undefined. */
function slice(range: Range, raw: string, offset: number, length: number): Range | undefined {
  if (range.start.line !== range.end.line || range.end.character - range.start.character !== raw.length) return undefined;
  const line = range.start.line;
  return { start: { line, character: range.start.character + offset }, end: { line, character: range.start.character + offset + length } };
}

/** Where the default value of global `ARG name=value` is written (inside its quotes), for the last declaration. */
function globalArgValueRange(model: ContainerfileModel, name: string): Range | undefined {
  let found: Range | undefined;
  for (const instruction of model.instructions) {
    if (instruction.keyword !== 'ARG' || instruction.stageIndex !== -1) continue;
    for (const word of (instruction as OtherInstruction).args) {
      if (!word.raw.startsWith(`${name}=`)) continue;
      const value = word.raw.slice(name.length + 1);
      const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0];
      const offset = name.length + 1 + (quoted ? 1 : 0);
      found = slice(word.range, word.raw, offset, value.length - (quoted ? 2 : 0));
    }
  }
  return found;
}
