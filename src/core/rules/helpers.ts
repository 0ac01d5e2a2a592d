import type { BaseImageKind } from '../containerfile/baseImages';
import { splitReference } from '../image/reference';
import { finalStage, rootStage, runInstructions, type ContainerfileModel, type FromInstruction, type ImageReferenceText, type Stage } from '../containerfile/model';
import { packageOperations, type PackageArgument, type PackageOperation } from '../containerfile/packages';
import type { RuleContext } from './types';

export interface ExternalBase {
  readonly stage: Stage;
  readonly from: FromInstruction;
  readonly image: ImageReferenceText;
  /** Image text to reason about: the expanded reference, or the raw text when a variable has no default. */
  readonly text: string;
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
  readonly kind: BaseImageKind | undefined;
  /** `localhost/…`, `scratch`, or a transport such as `oci-archive:./out.ociarchive`: nothing to pull or pin. */
  readonly isLocal: boolean;
  /** True when the reference is a stand-in from docs or a template (`<base-image>`, `{{.BaseOSImage}}`, `UPSTREAM_IMAGE`). */
  readonly isPlaceholder: boolean;
}

/** The external image the final stage builds on, following `FROM <stage>` links. Undefined for an empty file. */
export function finalExternalBase(context: RuleContext): ExternalBase | undefined {
  const last = finalStage(context.model);
  if (!last) return undefined;
  const stage = rootStage(context.model, last);
  const image = stage.from.image;
  if (!image) return undefined;
  const text = image.expanded ?? image.display;
  const { name: repository, tag, digest } = splitReference(text);
  return {
    stage,
    from: stage.from,
    image,
    text,
    repository,
    tag,
    digest,
    kind: context.baseImages.classify(repository),
    isLocal: /^localhost(?::\d+)?\//i.test(repository) || repository.toLowerCase() === 'scratch' || LOCAL_TRANSPORT.test(text),
    isPlaceholder: isPlaceholderImage(image.raw) || isPlaceholderImage(text),
  };
}

/** Image transports podman/buildah accept in FROM that name a local archive or store, not a registry. */
const LOCAL_TRANSPORT = /^(?:oci-archive|oci|docker-archive|containers-storage|dir):/i;

/**
 * Stand-ins that docs, templates and examples put where the image goes: `<base-image>`, `<bootc base image>`,
 * `{{.BaseOSImage}}` (Go templates), a bare `UPSTREAM_IMAGE` (a variable name written without `$`; image names are
 * lower case), or words such as `your-registry`, `CHANGEME`, `replace-me`, also when an ARG default holds them.
 */
export function isPlaceholderImage(text: string): boolean {
  // `{{` opens a Go template; `}}` alone is only the end of nested ARG expansions (`${A:+@${A}}`).
  if (/[<>]|\{\{/.test(text)) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(text)) return true;
  return /(?:^|[^a-z0-9])(?:your[-_]?(?:registry|org|organi[sz]ation|namespace|repo|repository|image|base)|changeme|change[-_]me|replace[-_]?me|placeholder)(?:$|[^a-z0-9])/i.test(text);
}

export interface LocatedPackage {
  readonly operation: PackageOperation;
  readonly pkg: PackageArgument;
}

/**
 * What several rules ask about the same model, computed once per model: the stages the final image is built from and
 * the package operations in them.
 */
interface FinalChain {
  readonly stages: readonly Stage[];
  readonly operations: readonly PackageOperation[];
  readonly packages: readonly LocatedPackage[];
}

const finalChains = new WeakMap<ContainerfileModel, FinalChain>();

function finalChain(context: RuleContext): FinalChain {
  const cached = finalChains.get(context.model);
  if (cached) return cached;
  const last = finalStage(context.model);
  const stages = last ? context.model.stages.filter((stage) => stageChainIncludes(context, last, stage.index)) : [];
  const indexes = new Set(stages.map((stage) => stage.index));
  const operations = runInstructions(context.model).filter((run) => indexes.has(run.stageIndex)).flatMap((run) => [...packageOperations(run)]);
  const packages = operations.flatMap((operation) => operation.packages.map((pkg) => ({ operation, pkg })));
  const chain = { stages, operations, packages };
  finalChains.set(context.model, chain);
  return chain;
}

/** Every package argument in the final stage's RUN instructions (what ends up in the node image). */
export function finalStagePackages(context: RuleContext): readonly LocatedPackage[] {
  return finalChain(context).packages;
}

/** Package operations (with or without package arguments) in the stages the final image is built from. */
export function finalStageOperations(context: RuleContext): readonly PackageOperation[] {
  return finalChain(context).operations;
}

/** True when `stageIndex` is `stage` or one it builds on through FROM <stage>: its content is in the final image. */
export function stageChainIncludes(context: RuleContext, stage: Stage, stageIndex: number): boolean {
  let current: Stage | undefined = stage;
  for (let guard = 0; current && guard <= context.model.stages.length; guard++) {
    if (current.index === stageIndex) return true;
    current = current.from.baseStageIndex === undefined ? undefined : context.model.stages[current.from.baseStageIndex];
  }
  return false;
}

/** Stages whose instructions end up in the final image. */
export function finalChainStages(context: RuleContext): readonly Stage[] {
  return finalChain(context).stages;
}

export function quote(text: string): string {
  return `\`${text}\``;
}
