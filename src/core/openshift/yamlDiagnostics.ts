/**
 * Findings in YAML files that hold MachineConfigs and MachineOSConfigs, with exact ranges: what the MCO would refuse,
 * ignore or do differently from what the author meant. Pure; the editor adapter turns findings into diagnostics, the
 * CLI could print them. Codes are stable (settings, suppression comments, docs/rules/<code>.md).
 */
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { checkReference } from '../image/reference';
import type { Linter, LintOptions } from '../lint';
import type { ClusterFacts, Finding, Fix, Severity, SeveritySetting } from '../rules/types';
import { comparePositions, LineIndex, type Range, type TextEdit } from '../text';
import {
  CONTAINERFILE_ARCHES, MACHINEOSCONFIG_API_VERSION_V1, MACHINEOSCONFIG_API_VERSION_V1ALPHA1, MAX_CONTAINERFILE_ENTRIES,
  MAX_CONTENT_LENGTH, contentLength, pushSpecProblem,
} from './machineosconfig';
import { dns1123SubdomainProblem, poolNameProblem, ROLE_LABEL } from './names';
import { factsFor, KNOWN_MINOR_VERSIONS, LATEST_VERSION, type OpenShiftVersion, type VersionFacts } from './versions';
import {
  MCO_GROUP, machineConfigFacts, nodeAt, pairOf, parseMachineConfigYaml, scalarSourceMap, scalarString, unquotedOffsets,
  type ParsedYamlFile, type WorkspaceMachineConfig, type YamlObject,
} from './yamlDocuments';

export interface YamlRule {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly summary: string;
}

/** Every YAML finding code, with its default severity. */
export const YAML_RULES: readonly YamlRule[] = [
  { id: 'mc-yaml-syntax', defaultSeverity: 'error', summary: 'The YAML of a MachineConfig or MachineOSConfig does not parse.' },
  { id: 'mc-os-image-not-digest', defaultSeverity: 'warning', summary: '`spec.osImageURL` names a tag instead of a digest.' },
  { id: 'mc-os-image-invalid', defaultSeverity: 'error', summary: '`spec.osImageURL` is not a valid image reference.' },
  { id: 'mc-os-image-duplicate', defaultSeverity: 'warning', summary: 'Several MachineConfigs set `osImageURL` for one pool; says which one the MCO uses.' },
  { id: 'mc-role-label', defaultSeverity: 'error', summary: 'The `machineconfiguration.openshift.io/role` label is missing, invalid or names no pool.' },
  { id: 'mc-extension-unsupported', defaultSeverity: 'error', summary: 'An entry of `spec.extensions` is not supported at the target version.' },
  { id: 'mc-kernel-type', defaultSeverity: 'error', summary: '`spec.kernelType` is not a kernel type of the target version.' },
  { id: 'mc-kernel-devel-kernel-type', defaultSeverity: 'error', summary: 'The `kernel-devel` extension with a non-default `kernelType` fails to render.' },
  { id: 'mc-file-mode', defaultSeverity: 'warning', summary: 'A file mode is written with a leading zero, as a string, or out of range.' },
  { id: 'mosc-spec', defaultSeverity: 'error', summary: 'A MachineOSConfig misses required fields or its name differs from its pool.' },
  { id: 'mosc-push-spec', defaultSeverity: 'error', summary: '`renderedImagePushSpec` is not a tagged push location the API accepts.' },
  { id: 'mosc-containerfile', defaultSeverity: 'error', summary: '`containerFile` entries break the API limits (4 entries, one per arch, 4096 characters) or do not start FROM configs.' },
  { id: 'mosc-api-version', defaultSeverity: 'warning', summary: 'The MachineOSConfig API version does not exist at the target version.' },
];

const RULE_BY_ID = new Map(YAML_RULES.map((rule) => [rule.id, rule]));

export interface YamlLintOptions {
  readonly targetVersion?: OpenShiftVersion;
  /** The connected cluster's pool names; undefined when no cluster is connected. */
  readonly clusterPools?: readonly string[];
  readonly cluster?: ClusterFacts;
  /** MachineConfigs of other files in the workspace and of the cluster (this file's own are read from the text). */
  readonly otherMachineConfigs?: readonly WorkspaceMachineConfig[];
  /** This file's path, so its own MachineConfigs can be told apart from the same file's entries in `otherMachineConfigs`. */
  readonly location?: string;
  readonly severities?: Readonly<Record<string, SeveritySetting>>;
}

export interface YamlLintResult {
  readonly parsed: ParsedYamlFile;
  readonly findings: readonly Finding[];
  /** This file's MachineConfigs, for the workspace index. */
  readonly machineConfigs: readonly WorkspaceMachineConfig[];
}

interface Context {
  readonly text: string;
  readonly lines: LineIndex;
  readonly facts: VersionFacts;
  readonly options: YamlLintOptions;
  readonly findings: Finding[];
}

/** The synchronous checks (everything but the embedded Containerfiles). */
export function lintMachineConfigYaml(text: string, options: YamlLintOptions = {}): YamlLintResult {
  const parsed = parseMachineConfigYaml(text);
  const facts = factsFor(options.targetVersion ?? LATEST_VERSION);
  const context: Context = { text, lines: parsed.lines, facts, options, findings: [] };
  for (const error of parsed.errors) add(context, 'mc-yaml-syntax', error.range, `YAML error: ${error.message}`);
  const own = parsed.objects.map((object) => ({ object, facts: machineConfigFacts(object, options.location) }));
  const machineConfigs = own.map((o) => o.facts).filter((f): f is WorkspaceMachineConfig => f !== undefined);
  for (const { object, facts: mc } of own) {
    // A document that does not parse is only reported as such: its partial content would give misleading findings.
    if (object.document.errors.length > 0) continue;
    if (object.kind === 'MachineConfig' && mc) checkMachineConfig(context, object, mc, machineConfigs);
    else if (object.kind === 'MachineOSConfig') checkMachineOSConfig(context, object);
  }
  return { parsed, findings: finish(context.findings, parsed.lines, options.severities), machineConfigs };
}

/**
 * Everything: the synchronous checks plus the Containerfile rules on the content embedded in MachineOSConfigs
 * (`spec.containerFile[].content`, or `spec.buildInputs.containerFile[].content` in v1alpha1), run in on-cluster mode,
 * with their findings mapped into the YAML text.
 */
export async function lintYaml(text: string, linter: Linter, options: YamlLintOptions & { readonly lint?: LintOptions } = {}): Promise<YamlLintResult> {
  const result = lintMachineConfigYaml(text, options);
  const embedded = await lintEmbeddedContainerfiles(result.parsed, linter, options);
  if (embedded.length === 0) return result;
  const findings = [...result.findings, ...embedded].sort(byPosition);
  return { ...result, findings };
}

export async function lintEmbeddedContainerfiles(parsed: ParsedYamlFile, linter: Linter, options: YamlLintOptions & { readonly lint?: LintOptions } = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const suppressed = readYamlSuppressions(parsed.lines);
  for (const object of parsed.objects) {
    if (object.kind !== 'MachineOSConfig') continue;
    const pool = scalarString(nodeAt(object.root, ['spec', 'machineConfigPool', 'name'])) ?? scalarString(nodeAt(object.root, ['metadata', 'name']));
    for (const entry of containerFileEntries(object)) {
      const content = nodeAt(entry, ['content']);
      if (!isScalar(content) || typeof content.value !== 'string' || !content.range) continue;
      const result = await linter.lint(content.value, {
        ...options.lint,
        targetVersion: options.targetVersion ?? options.lint?.targetVersion,
        mode: 'on-cluster',
        force: true,
        ...(options.cluster ? { cluster: options.cluster } : {}),
        machineConfigs: options.otherMachineConfigs ?? options.lint?.machineConfigs ?? [],
        ...(pool ? { pools: [pool] } : {}),
        severities: { ...options.lint?.severities, ...options.severities },
      });
      const map = scalarSourceMap(parsed.text, content);
      const contentLines = new LineIndex(content.value);
      const fallback = parsed.lines.rangeOf(content.range[0], Math.max(content.range[0], parsed.lines.lineEnd(parsed.lines.positionAt(content.range[0]).line)));
      const toYaml = (range: Range): Range | undefined => {
        if (!map) return undefined;
        const start = contentLines.offsetAt(range.start);
        const end = contentLines.offsetAt(range.end);
        const from = map.starts[start] ?? map.ends[map.ends.length - 1] ?? content.range![0];
        const to = end > start ? map.ends[end - 1] ?? from : from;
        return parsed.lines.rangeOf(from, to);
      };
      for (const finding of result.findings) {
        const mapped = toYaml(finding.range);
        const fixes = mapped ? mapFixes(finding.fixes, toYaml) : [];
        const located: Finding = {
          ...finding,
          range: mapped ?? fallback,
          message: mapped ? finding.message : `${finding.message} (line ${finding.range.start.line + 1} of the embedded Containerfile)`,
          ...(fixes.length ? { fixes } : { fixes: undefined }),
        };
        if (!isSuppressedInYaml(located, suppressed)) findings.push(located);
      }
    }
  }
  return findings.sort(byPosition);
}

function mapFixes(fixes: readonly Fix[] | undefined, toYaml: (range: Range) => Range | undefined): Fix[] {
  const mapped: Fix[] = [];
  for (const fix of fixes ?? []) {
    if (fix.kind === 'edit') {
      // Edits that add lines would need the block's indentation; keep only those that stay on their line.
      if (fix.edits.some((edit) => edit.newText.includes('\n'))) continue;
      const edits = fix.edits.map((edit) => ({ range: toYaml(edit.range), newText: edit.newText }));
      if (edits.every((edit): edit is TextEdit => edit.range !== undefined)) mapped.push({ ...fix, edits });
    } else {
      const range = toYaml(fix.action.range);
      if (range) mapped.push({ ...fix, action: { ...fix.action, range } });
    }
  }
  return mapped;
}

function containerFileEntries(object: YamlObject): YAMLMap[] {
  const v1 = nodeAt(object.root, ['spec', 'containerFile']);
  const alpha = nodeAt(object.root, ['spec', 'buildInputs', 'containerFile']);
  const list = isSeq(v1) ? v1 : isSeq(alpha) ? alpha : undefined;
  return list ? list.items.filter((item): item is YAMLMap => isMap(item)) : [];
}

// ---------------------------------------------------------------------------------------------------------------
// MachineConfig

function checkMachineConfig(context: Context, object: YamlObject, mc: WorkspaceMachineConfig, ownConfigs: readonly WorkspaceMachineConfig[]): void {
  if (object.apiVersion !== undefined && !object.apiVersion.startsWith(`${MCO_GROUP}/`)) return;
  if (!mc.rendered) checkRoleLabel(context, object);
  checkOsImage(context, object);
  checkExtensionsAndKernel(context, object, mc, ownConfigs);
  checkFileModes(context, object);
  if (!mc.rendered) checkDuplicateOsImage(context, object, mc, ownConfigs);
}

function checkRoleLabel(context: Context, object: YamlObject): void {
  const metadata = nodeAt(object.root, ['metadata']);
  const labels = nodeAt(object.root, ['metadata', 'labels']);
  const roleNode = isMap(labels) ? labels.get(ROLE_LABEL, true) : undefined;
  const name = scalarString(nodeAt(object.root, ['metadata', 'name']));
  const pools = context.options.clusterPools;
  if (roleNode === undefined || roleNode === null) {
    const anchor = pairOf(metadata, 'name')?.key ?? pairOf(object.root, 'metadata')?.key ?? pairOf(object.root, 'kind')?.value;
    const range = rangeOfNode(context, anchor as Node | undefined) ?? context.lines.rangeOf(0, 0);
    const known = (context.options.otherMachineConfigs ?? []).map((mc) => mc.pool).filter((p): p is string => !!p && !poolNameProblem(p));
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
    add(context, 'mc-role-label', range, `MachineConfig ${name ?? ''} has no ${ROLE_LABEL} label, so no MachineConfigPool selects it and it changes nothing. Add the label with the pool it is for${guess ? ` (the name suggests ${guess})` : ''}.`.replace('MachineConfig  has', 'This MachineConfig has'), fixes);
    return;
  }
  const role = scalarString(roleNode);
  const range = rangeOfNode(context, roleNode as Node) ?? context.lines.rangeOf(0, 0);
  if (role === undefined) {
    add(context, 'mc-role-label', range, `The ${ROLE_LABEL} label must be a pool name (a string).`);
    return;
  }
  const invalid = poolNameProblem(role);
  if (invalid) {
    add(context, 'mc-role-label', range, `"${role}" cannot be a pool name: ${invalid}. No MachineConfigPool selects this MachineConfig.`);
    return;
  }
  if (pools !== undefined) {
    if (!pools.includes(role)) {
      const near = pools.find((pool) => pool === role.replace(/s$/, '') || `${pool}s` === role);
      add(context, 'mc-role-label', range, `The connected cluster${context.options.cluster?.context ? ` (${context.options.cluster.context})` : ''} has no pool "${role}"; its pools are ${pools.join(', ')}.${near ? ` Did you mean ${near}?` : ''} Create the MachineConfigPool first, or fix the label.`, [], 'warning');
    }
    return;
  }
  const typo = { workers: 'worker', masters: 'master', 'control-plane': 'master', controlplane: 'master' }[role];
  if (typo) add(context, 'mc-role-label', range, `"${role}" is not a standard pool; did you mean ${typo}? No cluster is connected to check custom pools.`, [{ kind: 'edit', title: `Change the role to ${typo}`, preferred: true, edits: [{ range, newText: typo }] }], 'warning');
}

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
function roleLabelInsertion(context: Context, object: YamlObject): { range: Range; text: (pool: string) => string } | undefined {
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

function checkOsImage(context: Context, object: YamlObject): void {
  const node = nodeAt(object.root, ['spec', 'osImageURL']);
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
  const value = node.value;
  const offsets = unquotedOffsets(context.text, node) ?? (node.range ? [node.range[0], node.range[1]] as [number, number] : undefined);
  if (!offsets) return;
  const range = context.lines.rangeOf(offsets[0], offsets[1]);
  const checked = checkReference(value);
  if (checked.kind === 'invalid') {
    const span = checked.problem.span;
    const exact = unquotedOffsets(context.text, node) && span ? context.lines.rangeOf(offsets[0] + span.start, offsets[0] + Math.max(span.end, span.start + 1)) : range;
    add(context, 'mc-os-image-invalid', exact, `osImageURL "${value}" is not a valid image reference: ${checked.problem.why}. ${checked.problem.next}`);
    return;
  }
  if (checked.kind === 'variables') {
    add(context, 'mc-os-image-invalid', range, `osImageURL contains ${checked.variables.map((v) => v.text).join(', ')}; nothing expands variables in a MachineConfig. Write the image reference by digest.`);
    return;
  }
  if (checked.ref.digest) return;
  const facts = context.facts;
  const what = checked.ref.tag ? `the tag "${checked.ref.tag}"` : 'no tag or digest (so latest)';
  const logs = facts.warnsOnOsImageTag ? ` From 4.18 the MCO also logs a warning for it.` : '';
  const fixes: Fix[] = unquotedOffsets(context.text, node)
    ? [{ kind: 'action', title: `Pin ${value} to its digest`, preferred: true, action: { type: 'pin-digest', image: value, range } }]
    : [];
  add(context, 'mc-os-image-not-digest', range, `osImageURL uses ${what}: each node pulls the image for itself, so if the tag moves during the rollout nodes end up on different images. Pin it by digest (@sha256:…).${logs}`, fixes);
}

function checkExtensionsAndKernel(context: Context, object: YamlObject, mc: WorkspaceMachineConfig, ownConfigs: readonly WorkspaceMachineConfig[]): void {
  const facts = context.facts;
  const extensionsNode = nodeAt(object.root, ['spec', 'extensions']);
  const kernelNode = nodeAt(object.root, ['spec', 'kernelType']);
  const kernelType = scalarString(kernelNode);
  const kernelRange = rangeOfNode(context, kernelNode);
  if (kernelType !== undefined && kernelType !== '' && !(facts.kernelTypes as readonly string[]).includes(kernelType) && kernelRange) {
    const from = firstVersionWith((f) => (f.kernelTypes as readonly string[]).includes(kernelType));
    const why = from ? `${kernelType} is supported from ${from}` : `valid values are ${facts.kernelTypes.join(', ')}`;
    add(context, 'mc-kernel-type', kernelRange, `kernelType "${kernelType}" is not valid at ${facts.label} (${why}); the MCO fails to render the pool ("kernelType=${kernelType} is invalid"). Valid at ${facts.label}: ${facts.kernelTypes.join(', ')}.`);
  }
  const nonDefault = kernelType && kernelType !== 'default' ? kernelType : undefined;
  const hasKernelDevel = isSeq(extensionsNode) && extensionsNode.items.some((item) => scalarString(item) === 'kernel-devel');
  if (nonDefault && kernelRange && mc.pool && !hasKernelDevel) {
    // Across MachineConfigs of the same pool: extensions are concatenated and the kernel type merged.
    const other = poolMembers(context, mc.pool, ownConfigs).find((o) => o.name !== mc.name && o.extensions.includes('kernel-devel'));
    if (other) {
      add(context, 'mc-kernel-devel-kernel-type', kernelRange, `MachineConfig ${other.name}${describeLocation(other)} adds the kernel-devel extension to pool ${mc.pool}; with kernelType: ${nonDefault} here the MCO fails to render the pool ("installing kernel-devel extension is not supported with kernelType: ${nonDefault}").`);
    }
  }
  if (!isSeq(extensionsNode)) return;
  let kernelDevelNode: Node | undefined;
  for (const item of extensionsNode.items) {
    const extension = scalarString(item);
    const range = rangeOfNode(context, item as Node);
    if (extension === undefined || !range) continue;
    if (extension === 'kernel-devel') kernelDevelNode = item as Node;
    if (facts.extensions.has(extension)) continue;
    const versions = KNOWN_MINOR_VERSIONS.filter((minor) => factsFor({ major: 4, minor }).extensions.has(extension));
    let when = '';
    if (versions.length > 0) {
      const first = versions[0]!;
      const last = versions[versions.length - 1]!;
      when = last < KNOWN_MINOR_VERSIONS[KNOWN_MINOR_VERSIONS.length - 1]! && last < facts.version.minor ? ` It was removed after 4.${last}.` : ` It is supported from 4.${first}.`;
    }
    add(context, 'mc-extension-unsupported', range, `Extension "${extension}" is not supported at ${facts.label}: the MCO reports "invalid extensions found: [${extension}]" and the pool degrades.${when} Supported at ${facts.label}: ${[...facts.extensions.keys()].join(', ')}.`);
  }
  if (kernelDevelNode && nonDefault && kernelRange) {
    const message = `The kernel-devel extension cannot be combined with kernelType: ${nonDefault}; the MCO fails to render the pool ("installing kernel-devel extension is not supported with kernelType: ${nonDefault}").`;
    add(context, 'mc-kernel-devel-kernel-type', rangeOfNode(context, kernelDevelNode)!, message);
    add(context, 'mc-kernel-devel-kernel-type', kernelRange, message);
    return;
  }
  if (kernelDevelNode && mc.pool && !nonDefault) {
    const other = poolMembers(context, mc.pool, ownConfigs).find((o) => o.name !== mc.name && o.kernelType && o.kernelType !== 'default');
    if (other) {
      add(context, 'mc-kernel-devel-kernel-type', rangeOfNode(context, kernelDevelNode)!, `MachineConfig ${other.name}${describeLocation(other)} sets kernelType: ${other.kernelType} for pool ${mc.pool}; with the kernel-devel extension here the MCO fails to render the pool ("installing kernel-devel extension is not supported with kernelType: ${other.kernelType}").`);
    }
  }
}

function firstVersionWith(predicate: (facts: VersionFacts) => boolean): string | undefined {
  const minor = KNOWN_MINOR_VERSIONS.find((m) => predicate(factsFor({ major: 4, minor: m })));
  return minor === undefined ? undefined : `4.${minor}`;
}

function checkFileModes(context: Context, object: YamlObject): void {
  for (const list of ['files', 'directories']) {
    const entries = nodeAt(object.root, ['spec', 'config', 'storage', list]);
    if (!isSeq(entries)) continue;
    for (const entry of entries.items) {
      if (!isMap(entry)) continue;
      const mode = entry.get('mode', true);
      if (!isScalar(mode) || !mode.range) continue;
      const source = context.text.slice(mode.range[0], mode.range[1]);
      const range = context.lines.rangeOf(mode.range[0], mode.range[1]);
      const pathText = scalarString(entry.get('path', true)) ?? `a ${list === 'files' ? 'file' : 'directory'}`;
      checkMode(context, mode, source, range, pathText);
    }
  }
}

function checkMode(context: Context, mode: Scalar, source: string, range: Range, where: string): void {
  const fix = (decimal: number): Fix[] => [{ kind: 'edit', title: `Write the mode as decimal ${decimal} (0${decimal.toString(8)})`, preferred: true, edits: [{ range, newText: String(decimal) }] }];
  if (typeof mode.value === 'number') {
    if (mode.type === 'PLAIN' && /^[-+]?0[0-7]+$/.test(source)) {
      const decimal = mode.value;
      add(context, 'mc-file-mode', range, `Mode ${source} of ${where} has a leading zero: oc reads it as octal (${decimal}), but YAML 1.2 tools read it as decimal ${parseInt(source, 10)}. Write the decimal value ${decimal} that Ignition expects.`, fix(decimal));
    } else if (!Number.isInteger(mode.value) || mode.value < 0 || mode.value > 0o7777) {
      add(context, 'mc-file-mode', range, `Mode ${source} of ${where} is not a file mode: Ignition wants a decimal integer from 0 to 4095 (0o7777), e.g. 420 for 0644.`, [], 'error');
    }
    return;
  }
  if (typeof mode.value === 'string') {
    const octal = /^0o([0-7]{1,4})$/i.exec(mode.value) ?? /^0([0-7]{1,4})$/.exec(mode.value);
    const decimal = octal ? parseInt(octal[1]!, 8) : /^\d+$/.test(mode.value) ? Number(mode.value) : undefined;
    const why = mode.type === 'PLAIN' ? `oc reads ${source} as a string (YAML 1.1 has no 0o prefix)` : 'it is a quoted string';
    add(context, 'mc-file-mode', range, `Mode ${source} of ${where} is not a number: ${why}, and Ignition rejects a string mode.${decimal !== undefined ? ` Write ${decimal}.` : ''}`, decimal !== undefined && decimal <= 0o7777 ? fix(decimal) : [], 'error');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Several MachineConfigs setting osImageURL for one pool (MCO MergeMachineConfigs, MCO-FACTS section 2).

const BUILTIN_POOLS = new Set(['master', 'worker']);

/** MachineConfigs that make up `pool`: its own, plus the worker ones for a custom pool (custom pools inherit worker). */
function poolMembers(context: Context, pool: string, ownConfigs: readonly WorkspaceMachineConfig[]): WorkspaceMachineConfig[] {
  const all = allMachineConfigs(context, ownConfigs);
  return all.filter((mc) => !mc.rendered && (mc.pool === pool || (!BUILTIN_POOLS.has(pool) && mc.pool === 'worker')));
}

function allMachineConfigs(context: Context, ownConfigs: readonly WorkspaceMachineConfig[]): WorkspaceMachineConfig[] {
  const location = context.options.location;
  const seen = new Set<string>();
  const result: WorkspaceMachineConfig[] = [];
  // This file's text wins over what the index has for it; workspace files win over the cluster's copy of an object.
  const others = (context.options.otherMachineConfigs ?? []).filter((mc) => !location || mc.location !== location);
  const ordered = [...ownConfigs, ...others.filter((mc) => mc.source === 'workspace'), ...others.filter((mc) => mc.source !== 'workspace')];
  for (const mc of ordered) {
    const key = mc.name || `${mc.location}#${result.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(mc);
  }
  return result;
}

export interface OsImageMergeResult {
  /** The MachineConfig whose osImageURL the pool gets. */
  readonly winner: WorkspaceMachineConfig;
  /** Every MachineConfig that sets osImageURL for the pool, in merge order (the winner last). */
  readonly contributors: readonly WorkspaceMachineConfig[];
  readonly reason: string;
}

/**
 * Which osImageURL a pool gets when several MachineConfigs set one: the MCO merges them in order and the last
 * non-empty value wins. Up to 4.14 the order is by name; from 4.15 worker-role MachineConfigs come first, then the
 * others, each by name. From 4.21 MachineConfigs generated by the controller are skipped.
 */
export function osImageWinner(pool: string, configs: readonly WorkspaceMachineConfig[], facts: VersionFacts): OsImageMergeResult | undefined {
  const contributors = configs
    .filter((mc) => !mc.rendered && mc.osImageURL && (mc.pool === pool || (!BUILTIN_POOLS.has(pool) && mc.pool === 'worker')))
    .filter((mc) => !(facts.ignoresGeneratedMachineConfigsForOsImage && mc.generatedByController))
    .sort((a, b) => {
      if (facts.osImageUrlMergeOrder === 'worker-role-first') {
        const group = (mc: WorkspaceMachineConfig) => (mc.pool === 'worker' ? 0 : 1);
        const byGroup = group(a) - group(b);
        if (byGroup !== 0) return byGroup;
      }
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  const winner = contributors[contributors.length - 1];
  if (!winner) return undefined;
  const reason = facts.osImageUrlMergeOrder === 'name'
    ? `at ${facts.label} the MCO merges a pool's MachineConfigs in name order and the last osImageURL wins`
    : `at ${facts.label} the MCO merges the worker-role MachineConfigs first and then the pool's own, each in name order, and the last osImageURL wins`;
  return { winner, contributors, reason };
}

function checkDuplicateOsImage(context: Context, object: YamlObject, mc: WorkspaceMachineConfig, ownConfigs: readonly WorkspaceMachineConfig[]): void {
  if (!mc.pool || !mc.osImageURL) return;
  const node = nodeAt(object.root, ['spec', 'osImageURL']);
  const range = rangeOfNode(context, node);
  if (!range) return;
  const all = allMachineConfigs(context, ownConfigs);
  // The pools this MachineConfig feeds: its own, and for worker MachineConfigs every custom pool we know of.
  const pools = new Set<string>([mc.pool]);
  if (mc.pool === 'worker') {
    for (const other of all) if (other.pool && !BUILTIN_POOLS.has(other.pool) && other.osImageURL) pools.add(other.pool);
  }
  for (const pool of pools) {
    const merged = osImageWinner(pool, all, context.facts);
    if (!merged || merged.contributors.length < 2) continue;
    if (!merged.contributors.some((c) => c.name === mc.name)) continue;
    // The same image from every MachineConfig (e.g. one generated per pool): whichever wins, the pool gets it.
    if (new Set(merged.contributors.map((c) => c.osImageURL)).size === 1) continue;
    const list = merged.contributors.map((c) => `${c.name}${describeLocation(c)}`).join(', ');
    const sameRole = merged.contributors.filter((c) => c.pool === merged.winner.pool).length > 1;
    const isWinner = merged.winner.name === mc.name;
    const customOverridesWorker = !sameRole && !BUILTIN_POOLS.has(pool) && merged.winner.pool === pool;
    const severity: Severity = customOverridesWorker ? 'info' : 'warning';
    const verdict = isWinner
      ? `the pool gets this one (${shortImage(merged.winner.osImageURL)})`
      : `the pool gets ${merged.winner.name}'s image (${shortImage(merged.winner.osImageURL)}), not this one`;
    const advice = customOverridesWorker
      ? ` Pool ${pool} inherits the worker MachineConfigs and its own one overrides them, as intended.`
      : ' Keep one MachineConfig with osImageURL per pool (delete or relabel the others).';
    add(context, 'mc-os-image-duplicate', range, `${merged.contributors.length} MachineConfigs set osImageURL for pool ${pool}: ${list}. ${capitalize(merged.reason)}, so ${verdict}.${advice}`, [], severity);
  }
}

function describeLocation(mc: WorkspaceMachineConfig): string {
  if (mc.source === 'cluster') return ' (in the cluster)';
  if (!mc.location) return '';
  const parts = mc.location.split(/[\\/]/);
  return ` (${parts[parts.length - 1]})`;
}

function shortImage(image: string | undefined): string {
  if (!image) return '';
  const at = image.indexOf('@sha256:');
  return at >= 0 ? `${image.slice(0, at)}@sha256:${image.slice(at + 8, at + 20)}…` : image;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------------------------
// MachineOSConfig

function checkMachineOSConfig(context: Context, object: YamlObject): void {
  const facts = context.facts;
  const apiVersion = object.apiVersion;
  const apiNode = pairOf(object.root, 'apiVersion')?.value as Node | undefined;
  const apiRange = rangeOfNode(context, apiNode) ?? rangeOfNode(context, pairOf(object.root, 'kind')?.value as Node | undefined) ?? context.lines.rangeOf(0, 0);
  if (facts.onClusterLayering === 'none') {
    add(context, 'mosc-api-version', apiRange, `${facts.label} has no MachineOSConfig API (on-cluster layering is Tech Preview in 4.16/4.17 and GA from 4.18). Check rhcosLayering.targetVersion, or use out-of-cluster layering with a MachineConfig.`);
  } else if (apiVersion === MACHINEOSCONFIG_API_VERSION_V1 && facts.onClusterLayering === 'v1alpha1') {
    add(context, 'mosc-api-version', apiRange, `${facts.label} serves MachineOSConfig only as ${MACHINEOSCONFIG_API_VERSION_V1ALPHA1} (Tech Preview); v1 exists from 4.18. Target 4.18 or later, or write the v1alpha1 shape (spec.buildInputs).`);
  } else if (apiVersion === MACHINEOSCONFIG_API_VERSION_V1ALPHA1 && facts.onClusterLayering === 'v1') {
    add(context, 'mosc-api-version', apiRange, `${MACHINEOSCONFIG_API_VERSION_V1ALPHA1} was the 4.16/4.17 Tech Preview shape; ${facts.label} uses ${MACHINEOSCONFIG_API_VERSION_V1} (spec.machineConfigPool, imageBuilder, renderedImagePushSpec, containerFile).`);
  }
  if (apiVersion !== MACHINEOSCONFIG_API_VERSION_V1) return;

  const root = object.root;
  const specPair = pairOf(root, 'spec');
  const spec = specPair?.value;
  const kindRange = rangeOfNode(context, pairOf(root, 'kind')?.value as Node | undefined) ?? apiRange;
  if (!isMap(spec)) {
    add(context, 'mosc-spec', kindRange, 'This MachineOSConfig has no spec: it needs machineConfigPool, imageBuilder, renderedImagePushSecret and renderedImagePushSpec.');
    return;
  }
  const specRange = rangeOfNode(context, specPair!.key as Node) ?? kindRange;
  const missing = ['machineConfigPool', 'imageBuilder', 'renderedImagePushSecret', 'renderedImagePushSpec'].filter((key) => !spec.has(key));
  if (missing.length > 0) add(context, 'mosc-spec', specRange, `spec is missing ${missing.join(', ')}; the API server rejects the MachineOSConfig without ${missing.length === 1 ? 'it' : 'them'}.`);

  const poolNode = nodeAt(root, ['spec', 'machineConfigPool', 'name']);
  const pool = scalarString(poolNode);
  const nameNode = nodeAt(root, ['metadata', 'name']);
  const name = scalarString(nameNode);
  if (pool !== undefined && name !== undefined && pool !== name) {
    const range = rangeOfNode(context, nameNode)!;
    add(context, 'mosc-spec', range, `A MachineOSConfig must be named like its pool ("${pool}"); the API server rejects "${name}" (one MachineOSConfig per pool).`, [{ kind: 'edit', title: `Rename to ${pool}`, preferred: true, edits: [{ range, newText: pool }] }]);
  }
  if (pool !== undefined && context.options.clusterPools && !context.options.clusterPools.includes(pool)) {
    add(context, 'mosc-spec', rangeOfNode(context, poolNode)!, `The connected cluster has no pool "${pool}"; its pools are ${context.options.clusterPools.join(', ')}.`, [], 'warning');
  }
  const builder = nodeAt(root, ['spec', 'imageBuilder', 'imageBuilderType']);
  const builderType = scalarString(builder);
  if (builderType !== undefined && builderType !== 'Job') {
    add(context, 'mosc-spec', rangeOfNode(context, builder)!, `imageBuilderType "${builderType}" is not supported; v1 knows only Job${builderType === 'PodImageBuilder' ? ' (PodImageBuilder was the v1alpha1 value)' : ''}.`, [{ kind: 'edit', title: 'Use Job', preferred: true, edits: [{ range: rangeOfNode(context, builder)!, newText: 'Job' }] }]);
  }
  for (const secretField of ['renderedImagePushSecret', 'baseImagePullSecret']) {
    const secretNode = nodeAt(root, ['spec', secretField, 'name']);
    const secret = scalarString(secretNode);
    const why = secret === undefined ? undefined : dns1123SubdomainProblem(secret);
    if (why) add(context, 'mosc-spec', rangeOfNode(context, secretNode)!, `${secretField}.name "${secret}" is not a valid Secret name: ${why}.`);
  }

  const pushNode = nodeAt(root, ['spec', 'renderedImagePushSpec']);
  const push = scalarString(pushNode);
  if (push !== undefined) {
    const why = pushSpecProblem(push);
    if (why) add(context, 'mosc-push-spec', rangeOfNode(context, pushNode)!, `renderedImagePushSpec "${push}" is not accepted: ${why}.`);
  }

  const containerFilePair = pairOf(spec, 'containerFile');
  const containerFiles = containerFilePair?.value;
  if (isSeq(containerFiles)) {
    if (containerFiles.items.length > MAX_CONTAINERFILE_ENTRIES) {
      add(context, 'mosc-containerfile', rangeOfNode(context, containerFilePair!.key as Node)!, `containerFile has ${containerFiles.items.length} entries; the API allows ${MAX_CONTAINERFILE_ENTRIES}, one per architecture.`);
    }
    const seen = new Map<string, number>();
    containerFiles.items.forEach((item, index) => {
      if (!isMap(item)) return;
      const archNode = item.get('containerfileArch', true) as Node | undefined;
      const arch = scalarString(archNode) ?? 'NoArch';
      const archRange = rangeOfNode(context, archNode) ?? rangeOfNode(context, item as Node)!;
      if (!(CONTAINERFILE_ARCHES as readonly string[]).includes(arch)) {
        const upper = arch.toUpperCase() === 'NOARCH' ? 'NoArch' : { X86_64: 'AMD64', AARCH64: 'ARM64' }[arch.toUpperCase()] ?? arch.toUpperCase();
        const fixes: Fix[] = (CONTAINERFILE_ARCHES as readonly string[]).includes(upper) && archNode ? [{ kind: 'edit', title: `Use ${upper}`, preferred: true, edits: [{ range: archRange, newText: upper }] }] : [];
        add(context, 'mosc-containerfile', archRange, `containerfileArch "${arch}" is not one of ${CONTAINERFILE_ARCHES.join(', ')}.`, fixes);
      }
      if (seen.has(arch)) add(context, 'mosc-containerfile', archRange, `Entries ${seen.get(arch)! + 1} and ${index + 1} are both for ${arch}; the API keys containerFile by architecture.`);
      seen.set(arch, index);
      const contentPair = pairOf(item, 'content');
      const content = contentPair?.value;
      if (!contentPair || !isScalar(content) || typeof content.value !== 'string') {
        add(context, 'mosc-containerfile', rangeOfNode(context, item as Node)!, `containerFile entry ${index + 1} has no content.`);
        return;
      }
      const keyRange = rangeOfNode(context, contentPair.key as Node)!;
      const length = contentLength(content.value);
      if (length > MAX_CONTENT_LENGTH) {
        add(context, 'mosc-containerfile', keyRange, `The content is ${length} characters long; the API allows ${MAX_CONTENT_LENGTH} per containerFile entry. Shorten it (comments count too), or build the image yourself and use a MachineConfig.`);
      }
      const firstInstruction = content.value.split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
      if (firstInstruction !== undefined && !/^FROM\s+configs(?:\s+AS\s+\S+)?\s*$/i.test(firstInstruction)) {
        add(context, 'mosc-containerfile', keyRange, `The content must start with FROM configs AS final: the MCO appends it to its own build, whose last stage is configs (it starts with "${firstInstruction.slice(0, 60)}").`);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------

function rangeOfNode(context: Context, node: Node | null | undefined): Range | undefined {
  const range = node?.range;
  if (!range) return undefined;
  return context.lines.rangeOf(range[0], Math.max(range[0], range[1]));
}

function add(context: Context, ruleId: string, range: Range, message: string, fixes: readonly Fix[] = [], severity?: Severity): void {
  const rule = RULE_BY_ID.get(ruleId);
  context.findings.push({ ruleId, message, range, severity: severity ?? rule?.defaultSeverity ?? 'warning', ...(fixes.length ? { fixes } : {}) });
}

function byPosition(a: Finding, b: Finding): number {
  return comparePositions(a.range.start, b.range.start) || a.ruleId.localeCompare(b.ruleId);
}

/** Severity settings, suppression comments, order. A severity set for a code applies to every finding of it. */
function finish(findings: readonly Finding[], lines: LineIndex, severities: Readonly<Record<string, SeveritySetting>> | undefined): Finding[] {
  const suppressions = readYamlSuppressions(lines);
  const result: Finding[] = [];
  for (const finding of findings) {
    const setting = severities?.[finding.ruleId];
    if (setting === 'off') continue;
    const complete = setting ? { ...finding, severity: setting } : finding;
    if (!isSuppressedInYaml(complete, suppressions)) result.push(complete);
  }
  return result.sort(byPosition);
}

interface YamlSuppressions {
  readonly file: ReadonlySet<string>;
  /** Line number → codes suppressed on it (from a comment on the line itself or the comment lines just above). */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
}

const SUPPRESSION = /#\s*rhcos-layering\s+(ignore|ignore-file)\s*=\s*([\w,\s-]+?)\s*$/;

/**
 * `# rhcos-layering ignore=code[,code]` on the line before a finding (or at the end of its line), and
 * `# rhcos-layering ignore-file=code` anywhere, as in Containerfiles. `all` stands for every code.
 */
export function readYamlSuppressions(lines: LineIndex): YamlSuppressions {
  const file = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  let pending: string[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    const match = SUPPRESSION.exec(text);
    const codes = match ? match[2]!.split(',').map((c) => c.trim()).filter(Boolean) : [];
    const commentOnly = /^\s*#/.test(text);
    if (match && match[1] === 'ignore-file') {
      for (const code of codes) file.add(code);
      continue;
    }
    if (commentOnly) {
      pending.push(...codes);
      continue;
    }
    const own = [...pending, ...codes];
    if (own.length > 0) byLine.set(line, new Set(own));
    if (text.trim() !== '') pending = [];
  }
  return { file, lines: byLine };
}

function isSuppressedInYaml(finding: Finding, suppressions: YamlSuppressions): boolean {
  if (suppressions.file.has(finding.ruleId) || suppressions.file.has('all')) return true;
  const codes = suppressions.lines.get(finding.range.start.line);
  return !!codes && (codes.has(finding.ruleId) || codes.has('all'));
}
