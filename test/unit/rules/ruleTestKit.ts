import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter, type LintOptions } from '../../../src/core/lint';
import { parseOpenShiftVersion } from '../../../src/core/openshift/versions';
import type { EditFix, Finding } from '../../../src/core/rules/types';
import { LineIndex, type Range, type TextEdit } from '../../../src/core/text';

/** Helpers shared by the rule tests: lint with one rule's findings, read ranges as text, apply fixes. */

export const DIGEST = `sha256:${'5b2ba2d5b3b5c2e0e9f7b6a1c8d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6'}`;
export const RHCOS = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}`;
export const FROM_RHCOS = `FROM ${RHCOS}`;

const linter = new Linter();

export interface RuleRun {
  readonly text: string;
  readonly findings: readonly Finding[];
}

export async function lintRule(ruleId: string, text: string, version = '4.19', options: LintOptions = {}): Promise<RuleRun> {
  const result = await linter.lint(text, { targetVersion: parseOpenShiftVersion(version), ...options });
  assert.ok(result.layeringReason, 'test text should be recognised as a layering Containerfile');
  return { text, findings: result.findings.filter((finding) => finding.ruleId === ruleId) };
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

/** Each finding as `covered text` for compact assertions. */
export function coveredTexts(run: RuleRun): string[] {
  return run.findings.map((finding) => textAt(run.text, finding.range));
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + result.slice(lines.offsetAt(edit.range.end));
  }
  return result;
}

/** Applies the fix whose title matches `title` (or the only/preferred one) of `finding`. */
export function applyFix(text: string, finding: Finding, title?: RegExp): string {
  const edits = (finding.fixes ?? []).filter((fix): fix is EditFix => fix.kind === 'edit');
  const fix = title ? edits.find((candidate) => title.test(candidate.title)) : edits.find((candidate) => candidate.preferred) ?? edits[0];
  assert.ok(fix, `no fix${title ? ` matching ${title}` : ''} in ${JSON.stringify(finding.fixes?.map((f) => f.title))}`);
  return applyEdits(text, fix.edits);
}

/** `test/fixtures/containerfiles/bad/<ruleId>.Containerfile`, linted at the version in its first line. */
export async function lintBadFixture(ruleId: string): Promise<RuleRun> {
  const text = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'containerfiles', 'bad', `${ruleId}.Containerfile`), 'utf8');
  return lintRule(ruleId, text, /test-target-version:\s*(\S+)/.exec(text)?.[1] ?? '4.19');
}
