import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter, type LintOptions } from '../../../src/core/lint';
import { parseOpenShiftVersion, type OpenShiftVersion } from '../../../src/core/openshift/versions';
import type { EditFix, Finding, MachineConfigFacts } from '../../../src/core/rules/types';
import { LineIndex, type Range, type TextEdit } from '../../../src/core/text';

/** Shared by the rule tests: one linter (tree-sitter loads once), findings of one rule, edits applied to text. */
const linter = new Linter();

export const DIGEST = 'sha256:5b2ba2d5b3b5c2e0e9f7b6a1c8d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6';
export const OTHER_DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
export const RHCOS = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}`;
export const FROM_RHCOS = `FROM ${RHCOS}`;

export function version(text: string): OpenShiftVersion {
  const parsed = parseOpenShiftVersion(text);
  if (!parsed) throw new Error(`bad version ${text}`);
  return parsed;
}

export interface LintFor extends Omit<LintOptions, 'targetVersion'> {
  readonly version?: string;
}

export async function findingsOf(ruleId: string, text: string, options: LintFor = {}): Promise<Finding[]> {
  const { version: target, ...rest } = options;
  const result = await linter.lint(text, { ...rest, targetVersion: target ? version(target) : undefined });
  return result.findings.filter((finding) => finding.ruleId === ruleId);
}

/** Every finding of every rule, at the latest target version unless told otherwise. */
export async function lintAll(text: string, options: LintFor = {}): Promise<Finding[]> {
  const { version: target, ...rest } = options;
  return [...(await linter.lint(text, { ...rest, targetVersion: target ? version(target) : undefined })).findings];
}

/** `line:character-line:character`, zero-based, for compact range assertions. */
export function at(finding: Finding): string {
  const { start, end } = finding.range;
  return `${start.line}:${start.character}-${end.line}:${end.character}`;
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

/** The text a finding covers. */
export function covered(text: string, finding: Finding): string {
  return textAt(text, finding.range);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const located = edits.map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), text: edit.newText }));
  located.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

export function editFix(finding: Finding): EditFix | undefined {
  return finding.fixes?.find((fix): fix is EditFix => fix.kind === 'edit');
}

export function machineConfig(name: string, pool: string | undefined, fields: Partial<MachineConfigFacts> = {}): MachineConfigFacts {
  return { name, pool, extensions: [], kernelType: undefined, osImageURL: undefined, source: 'workspace', ...fields };
}

const BAD_FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'containerfiles', 'bad');

export interface RuleRun {
  readonly text: string;
  readonly findings: readonly Finding[];
}

/** `bad/<ruleId>.Containerfile` and the target version named in its first line. */
function readBadFixture(ruleId: string): { text: string; target: string | undefined } {
  const text = readFileSync(path.join(BAD_FIXTURES, `${ruleId}.Containerfile`), 'utf8');
  return { text, target: /test-target-version:\s*(\S+)/.exec(text)?.[1] };
}

/** Findings of `ruleId` in `bad/<ruleId>.Containerfile`, at the target version named in its first line. */
export async function badFixtureFindings(ruleId: string, options: Omit<LintFor, 'version'> = {}): Promise<{ text: string; findings: Finding[] }> {
  const { text, target } = readBadFixture(ruleId);
  return { text, findings: await findingsOf(ruleId, text, { ...options, version: target }) };
}

/** Like findingsOf, defaulting to 4.19, and asserting the text is recognised as a layering Containerfile. */
export async function lintRule(ruleId: string, text: string, target = '4.19', options: LintOptions = {}): Promise<RuleRun> {
  const result = await linter.lint(text, { targetVersion: version(target), ...options });
  assert.ok(result.layeringReason, 'test text should be recognised as a layering Containerfile');
  return { text, findings: result.findings.filter((finding) => finding.ruleId === ruleId) };
}

export async function lintBadFixture(ruleId: string): Promise<RuleRun> {
  const { text, target } = readBadFixture(ruleId);
  return lintRule(ruleId, text, target ?? '4.19');
}

/** Each finding as the text it covers, for compact assertions. */
export function coveredTexts(run: RuleRun): string[] {
  return run.findings.map((finding) => textAt(run.text, finding.range));
}

/** Applies the fix whose title matches `title` (or the preferred/only one) of `finding`. */
export function applyFix(text: string, finding: Finding, title?: RegExp): string {
  const edits = (finding.fixes ?? []).filter((fix): fix is EditFix => fix.kind === 'edit');
  const fix = title ? edits.find((candidate) => title.test(candidate.title)) : edits.find((candidate) => candidate.preferred) ?? edits[0];
  assert.ok(fix, `no fix${title ? ` matching ${title}` : ''} in ${JSON.stringify(finding.fixes?.map((f) => f.title))}`);
  return applyEdits(text, fix.edits);
}
