/**
 * Findings in YAML files that hold MachineConfigs and MachineOSConfigs, with exact ranges: what the MCO would refuse,
 * ignore or do differently from what the author meant. The rules live in rules/yaml (one per file); this runs them,
 * and runs the Containerfile rules over the content MachineOSConfigs embed. Pure; the editor adapter turns findings
 * into diagnostics. Rule ids are stable (settings, suppression comments, docs/rules/<id>.md).
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { Linter, LintOptions } from './lint';
import { factsFor, LATEST_VERSION, type OpenShiftVersion } from './openshift/versions';
import {
  machineConfigFacts, nodeAt, parseMachineConfigYaml, scalarSourceMap, scalarString,
  type ParsedYamlFile, type WorkspaceMachineConfig, type YamlObject,
} from './openshift/yamlDocuments';
import { byPosition, runRules } from './rules/engine';
import type { ClusterFacts, Finding, Fix, SeveritySetting } from './rules/types';
import { YAML_RULES } from './rules/yaml';
import type { YamlRuleContext } from './rules/yaml/types';
import { isSuppressed, readYamlSuppressions } from './suppressions';
import { LineIndex, type Range, type TextEdit } from './text';

export { YAML_RULES };

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

/** The synchronous checks (everything but the embedded Containerfiles). */
export function lintMachineConfigYaml(text: string, options: YamlLintOptions = {}): YamlLintResult {
  const parsed = parseMachineConfigYaml(text);
  const own = parsed.objects.map((object) => ({ object, machineConfig: machineConfigFacts(object, options.location) }));
  const machineConfigs = own.map((o) => o.machineConfig).filter((f): f is WorkspaceMachineConfig => f !== undefined);
  const context: YamlRuleContext = {
    parsed,
    text,
    lines: parsed.lines,
    facts: factsFor(options.targetVersion ?? LATEST_VERSION),
    objects: own.filter(({ object }) => object.document.errors.length === 0),
    ownMachineConfigs: machineConfigs,
    otherMachineConfigs: options.otherMachineConfigs ?? [],
    location: options.location,
    clusterPools: options.clusterPools,
    cluster: options.cluster,
  };
  const suppressions = readYamlSuppressions(parsed.lines);
  const findings = runRules(YAML_RULES, context, { severities: options.severities, isSuppressed: (finding) => isSuppressed(finding, suppressions) });
  return { parsed, findings, machineConfigs };
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
        if (!isSuppressed(located, suppressed)) findings.push(located);
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
    } else if (fix.action.type === 'pin-digest') {
      const range = toYaml(fix.action.range);
      if (range) mapped.push({ ...fix, action: { ...fix.action, range } });
    }
    // Other actions rewrite a Containerfile in the editor; embedded content has no such target.
  }
  return mapped;
}

function containerFileEntries(object: YamlObject): YAMLMap[] {
  const v1 = nodeAt(object.root, ['spec', 'containerFile']);
  const alpha = nodeAt(object.root, ['spec', 'buildInputs', 'containerFile']);
  const list = isSeq(v1) ? v1 : isSeq(alpha) ? alpha : undefined;
  return list ? list.items.filter((item): item is YAMLMap => isMap(item)) : [];
}
