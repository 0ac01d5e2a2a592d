/**
 * On-cluster layering: a v1 MachineOSConfig for one pool, built from a Containerfile the user already has. The MCO
 * builds the image in the cluster (a Job), appending the user's Containerfile to its own template, whose last stage is
 * `configs`; so the user's final stage must be `FROM configs AS final` (MCO-FACTS section 6), after any builder stages.
 * Limits come from the v1 CRD: at most 4 containerFile entries, one per architecture, each at most 4096 characters.
 */
import { Document, Scalar } from 'yaml';
import { parseContainerfile } from '../containerfile/parse';
import { isCopyOrAdd, type Instruction, type OtherInstruction, type Stage } from '../containerfile/model';
import { parseReference } from '../image/reference';
import { fail, ok, type Result } from '../problem';
import { CONTAINERFILE_HEADER } from './machineconfig';
import { checkObjectName, checkPoolName, dns1123SubdomainProblem } from './names';
import { factsFor, formatVersion, type OpenShiftVersion } from './versions';

export const MACHINEOSCONFIG_KIND = 'MachineOSConfig';
export const MACHINEOSCONFIG_API_VERSION_V1 = 'machineconfiguration.openshift.io/v1';
export const MACHINEOSCONFIG_API_VERSION_V1ALPHA1 = 'machineconfiguration.openshift.io/v1alpha1';
/** `spec.containerFile[].content` maxLength in the CRD (Kubernetes counts characters, i.e. code points). */
export const MAX_CONTENT_LENGTH = 4096;
export const MAX_CONTAINERFILE_ENTRIES = 4;
export const MAX_PUSH_SPEC_LENGTH = 447;
export const CONTAINERFILE_ARCHES = ['ARM64', 'AMD64', 'PPC64LE', 'S390X', 'NoArch'] as const;
export type ContainerfileArch = (typeof CONTAINERFILE_ARCHES)[number];
export const ON_CLUSTER_FROM = 'FROM configs AS final';

/** The two CEL patterns of `renderedImagePushSpec` in the v1 CRD, verbatim. */
const PUSH_SPEC_PATTERNS = [
  /^([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(:[0-9]{2,5})?(\/[a-zA-Z0-9-_]{1,61})*\/[a-zA-Z0-9-_.]+:[a-zA-Z0-9._-]+$/,
  /^[^.]+\.[^.]+\.svc:\d+\/[^/]+\/[^/]+:[^/]+$/,
];

export function contentLength(content: string): number {
  let count = 0;
  for (const _ of content) count++;
  return count;
}

/** Why `spec` cannot be a `renderedImagePushSpec`, or undefined when the API server would accept it. */
export function pushSpecProblem(spec: string): string | undefined {
  if (spec.length === 0) return 'it is empty';
  if (spec.length > MAX_PUSH_SPEC_LENGTH) return `it is ${spec.length} characters long; at most ${MAX_PUSH_SPEC_LENGTH} are allowed`;
  if (/\s/.test(spec)) return 'it contains whitespace';
  if (spec.includes('@')) return 'it has a digest; the MCO pushes every build to a tag and records the digest itself';
  const parsed = parseReference(spec);
  if (!parsed.ok) return parsed.problem.why;
  if (!parsed.value.tag) return 'it has no tag; write one, e.g. :latest (the MCO pushes each build to it)';
  if (!parsed.value.registryExplicit) return 'it names no registry host; write the full push location, e.g. image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest';
  if (!PUSH_SPEC_PATTERNS.some((pattern) => pattern.test(spec))) {
    return 'the MachineOSConfig API wants host[:port][/namespace]/name:tag with a dotted host name, or svc.namespace.svc:port/repository/name:tag';
  }
  return undefined;
}

export interface OnClusterContent {
  /** The content for `containerFile[].content`: starts `FROM configs AS final`, LF line ends, no trailing newline. */
  readonly content: string;
  readonly length: number;
  /** What changed and what to check, one sentence each (shown to the user; nothing here is a failure). */
  readonly notes: readonly string[];
}

/**
 * Rewrites an out-of-cluster Containerfile (FROM the RHCOS image) into on-cluster content: the final stage's FROM
 * becomes `FROM configs AS final`, everything before the first FROM (parser directives, comments, global ARGs) goes,
 * and stage ARGs that relied on a global default get it written in. Builder stages before the final one stay: the
 * MCO appends the content after its own stages (`extract`, `configs`), so they build as usual as long as their names
 * and images do not depend on what the append changes. Refuses, saying why, what cannot work appended, and content
 * over 4096 characters.
 */
export function toOnClusterContent(text: string): Result<OnClusterContent> {
  const what = 'The Containerfile cannot be used for on-cluster layering';
  const normalized = text.replace(/\r\n?/g, '\n');
  const { model } = parseContainerfile(normalized);
  if (model.parseError) return fail(what, model.parseError, 'Fix the Containerfile first.');
  const final = model.stages[model.stages.length - 1];
  if (!final) return fail(what, 'it has no FROM instruction', `Start it with ${ON_CLUSTER_FROM}.`);
  const builders = model.stages.slice(0, -1);
  const refusal = appendProblem(builders, model.stages);
  if (refusal) return fail(what, refusal.why, refusal.next);

  const notes: string[] = [];
  const first = model.stages[0]!;
  const start = model.lines.offsetAt(first.from.range.start);
  const dropped = normalized.slice(0, start).split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const image = final.from.image?.raw;
  if (image !== undefined && image.toLowerCase() !== 'configs') {
    notes.push(`FROM ${image} became ${ON_CLUSTER_FROM}: the cluster builds on the pool's own rendered image.`);
  } else if (!/^FROM\s+configs\s+AS\s+final\s*$/i.test(model.lines.lineText(final.from.range.start.line).trim())) {
    notes.push(`The FROM line became ${ON_CLUSTER_FROM}.`);
  }
  if (dropped.length > 0) notes.push(`Dropped before FROM: ${dropped.join('; ')}.`);
  if (builders.length > 0) {
    const images = builders.map((stage) => stage.from.image?.raw ?? '?').join(', ');
    notes.push(`The builder stage${builders.length > 1 ? 's stay' : ' stays'}: the cluster build pulls ${images} with the base image pull secret (or the global pull secret).`);
  }

  const edits: TextReplacement[] = [
    { start: model.lines.offsetAt(final.from.range.start), end: model.lines.offsetAt(final.from.range.end), text: ON_CLUSTER_FROM },
    ...model.stages.flatMap((stage) => argDefaultEdits(model.globalArgs, stage.instructions, model.lines.offsetAt.bind(model.lines), notes)),
  ];
  // Every edit is at or after the first FROM, so `start` still marks it after they are applied.
  const body = applyReplacements(normalized, edits).slice(start);
  if (model.stages.some((stage) => stage.instructions.some(usesBuildContext))) {
    notes.push('COPY/ADD from the build context will fail: the cluster build has no build context. Use COPY --from=<image>, a heredoc, or a URL.');
  }
  const content = body.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  const length = contentLength(content);
  if (length > MAX_CONTENT_LENGTH) {
    return fail(
      what,
      `after rewriting it is ${length} characters long, and the MachineOSConfig API allows ${MAX_CONTENT_LENGTH} per containerFile entry (spec.containerFile[].content)`,
      'Shorten it (comments count too), or build the image yourself and use out-of-cluster layering (Generate MachineConfig).',
    );
  }
  return ok({ content, length, notes });
}

/** The MCO's own stage names: a user stage with one of them would shadow or clash with the template's. */
const TEMPLATE_STAGES = ['extract', 'configs', 'final'];

/** What stops the stages from working once appended to the MCO's build, if anything. */
function appendProblem(builders: readonly Stage[], stages: readonly Stage[]): { why: string; next: string } | undefined {
  for (const stage of builders) {
    const name = stage.from.stageName;
    if (name && TEMPLATE_STAGES.includes(name)) {
      return { why: `a builder stage is named ${name}, which clashes with the MCO's own stages (extract, configs) or the final stage`, next: 'Rename the stage (and the COPY --from that names it).' };
    }
    const image = stage.from.image?.raw ?? '';
    if (image.includes('$')) {
      return { why: `the builder stage FROM ${image} uses a variable, and the global ARGs that would set it do not exist once the content is appended to the MCO's build`, next: 'Write the image in full, by digest.' };
    }
  }
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      const from = isCopyOrAdd(instruction) ? instruction.from : undefined;
      if (from !== undefined && /^\d+$/.test(from)) {
        return { why: `COPY --from=${from} names a stage by number, and the MCO's own stages come first once the content is appended`, next: 'Name the stage (FROM ... AS builder) and COPY --from=builder.' };
      }
    }
  }
  return undefined;
}

function usesBuildContext(instruction: Instruction): boolean {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return false;
  if (!('sources' in instruction)) return false;
  if (instruction.from !== undefined) return false;
  return instruction.sources.some((source) => !/^(?:https?:\/\/|git@)/.test(source.value ?? source.raw) && !source.raw.startsWith('<<'));
}

interface TextReplacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function applyReplacements(text: string, edits: readonly TextReplacement[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** `ARG NAME` in a stage takes the global default in a normal build; with the global ARG gone, write it in. */
function argDefaultEdits(
  globalArgs: ReadonlyMap<string, string | undefined>,
  instructions: readonly Instruction[],
  offsetAt: (position: { line: number; character: number }) => number,
  notes: string[],
): TextReplacement[] {
  const edits: TextReplacement[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword !== 'ARG') continue;
    for (const word of (instruction as OtherInstruction).args ?? []) {
      const name = word.raw;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      const value = globalArgs.get(name);
      if (value === undefined) continue;
      edits.push({ start: offsetAt(word.range.start), end: offsetAt(word.range.end), text: `${name}=${quoteArg(value)}` });
      notes.push(`ARG ${name} now carries the default the dropped global ARG gave it.`);
    }
  }
  return edits;
}

function quoteArg(value: string): string {
  return /^[\w.,:/@%+=-]*$/.test(value) ? value : `"${value.replace(/(["\\$])/g, '\\$1')}"`;
}

export interface MachineOSConfigRequest {
  readonly pool: string;
  /** Where the MCO pushes the built image: `host[:port]/namespace/name:tag`. */
  readonly renderedImagePushSpec: string;
  /** Secret (in openshift-machine-config-operator) with push rights to `renderedImagePushSpec`. */
  readonly renderedImagePushSecret: string;
  /** Secret to pull the base image; omitted: the cluster's global pull secret. */
  readonly baseImagePullSecret?: string;
  /** The Containerfiles (as the user wrote them) per architecture; one entry without arch is NoArch. */
  readonly containerfiles: readonly { readonly arch?: ContainerfileArch; readonly text: string }[];
  /** Checked against the version facts: v1 needs 4.18+. */
  readonly targetVersion: OpenShiftVersion;
  /** The Containerfile, as the header should name it (relative to the YAML file). */
  readonly containerfile?: string;
}

export interface GeneratedMachineOSConfig {
  readonly name: string;
  readonly yaml: string;
  readonly object: Record<string, unknown>;
  readonly notes: readonly string[];
}

export function generateMachineOSConfig(request: MachineOSConfigRequest): Result<GeneratedMachineOSConfig> {
  const facts = factsFor(request.targetVersion);
  if (facts.onClusterLayering !== 'v1') {
    const why = facts.onClusterLayering === 'v1alpha1'
      ? `${facts.label} only has the Tech Preview v1alpha1 MachineOSConfig, whose shape differs; the v1 API is GA from 4.18`
      : `${facts.label} has no MachineOSConfig API; on-cluster layering is GA from 4.18`;
    return fail('No MachineOSConfig was generated', why, `Use out-of-cluster layering (Generate MachineConfig), or set rhcosLayering.targetVersion if the cluster is 4.18 or later.`);
  }
  const pool = checkPoolName(request.pool);
  if (!pool.ok) return pool;
  const name = checkObjectName(request.pool, 'MachineOSConfig');
  if (!name.ok) return name;
  const pushProblem = pushSpecProblem(request.renderedImagePushSpec);
  if (pushProblem) {
    return fail(`"${request.renderedImagePushSpec}" cannot be the renderedImagePushSpec`, pushProblem, 'Write where the cluster should push the built image, e.g. image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest.');
  }
  for (const [field, secret] of [['renderedImagePushSecret', request.renderedImagePushSecret], ['baseImagePullSecret', request.baseImagePullSecret]] as const) {
    if (secret === undefined) continue;
    const why = dns1123SubdomainProblem(secret);
    if (why) return fail(`"${secret}" is not a valid secret name for ${field}`, why, 'Name a Secret in the openshift-machine-config-operator namespace (`oc get secrets -n openshift-machine-config-operator`).');
  }
  if (request.containerfiles.length === 0) return fail('No MachineOSConfig was generated', 'there is no Containerfile content', 'Open the Containerfile to build on the cluster.');
  if (request.containerfiles.length > MAX_CONTAINERFILE_ENTRIES) {
    return fail('No MachineOSConfig was generated', `${request.containerfiles.length} Containerfiles were given; the API allows ${MAX_CONTAINERFILE_ENTRIES}, one per architecture`, 'Give at most one Containerfile per architecture.');
  }
  const seen = new Set<string>();
  const entries: { containerfileArch: ContainerfileArch; content: string }[] = [];
  const notes: string[] = [];
  for (const entry of request.containerfiles) {
    const arch = entry.arch ?? 'NoArch';
    if (!(CONTAINERFILE_ARCHES as readonly string[]).includes(arch)) {
      return fail('No MachineOSConfig was generated', `"${arch}" is not an architecture the API knows`, `Use one of ${CONTAINERFILE_ARCHES.join(', ')}.`);
    }
    if (seen.has(arch)) return fail('No MachineOSConfig was generated', `two Containerfiles are for ${arch}`, 'Give one Containerfile per architecture.');
    seen.add(arch);
    const rewritten = toOnClusterContent(entry.text);
    if (!rewritten.ok) return rewritten;
    entries.push({ containerfileArch: arch, content: rewritten.value.content });
    notes.push(...rewritten.value.notes.map((note) => (request.containerfiles.length > 1 ? `${arch}: ${note}` : note)));
  }
  const spec: Record<string, unknown> = {
    machineConfigPool: { name: request.pool },
    imageBuilder: { imageBuilderType: 'Job' },
    ...(request.baseImagePullSecret ? { baseImagePullSecret: { name: request.baseImagePullSecret } } : {}),
    renderedImagePushSecret: { name: request.renderedImagePushSecret },
    renderedImagePushSpec: request.renderedImagePushSpec,
    containerFile: entries,
  };
  const object = { apiVersion: MACHINEOSCONFIG_API_VERSION_V1, kind: MACHINEOSCONFIG_KIND, metadata: { name: request.pool }, spec };
  const document = new Document(object);
  for (let i = 0; i < entries.length; i++) {
    const node = document.getIn(['spec', 'containerFile', i, 'content'], true);
    if (node instanceof Scalar) node.type = Scalar.BLOCK_LITERAL;
  }
  const header = [
    `Generated by rhcos-layering for on-cluster layering (OpenShift ${formatVersion(request.targetVersion)}). Review it, then apply it with \`oc apply -f <this file>\`.`,
    ...(request.containerfile ? [`${CONTAINERFILE_HEADER} ${request.containerfile}`] : []),
    `Pool: ${request.pool}. The MCO builds the image in the cluster, pushes it to ${request.renderedImagePushSpec}, then drains and reboots every node of the pool.`,
    ...(request.baseImagePullSecret ? [] : ['baseImagePullSecret is omitted: the build pulls the base image with the cluster\'s global pull secret.']),
  ];
  document.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return ok({ name: request.pool, yaml: document.toString({ lineWidth: 0 }), object, notes });
}
