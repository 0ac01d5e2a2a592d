import type { ContainerfileModel, Instruction } from './containerfile/model';
import type { Finding } from './rules/types';
import type { Range, TextEdit } from './text';

/**
 * Suppression comments, in the style users know from hadolint:
 *   `# rhcos-layering ignore=rule-a,rule-b`  on the line before an instruction (or inside a RUN continuation,
 *                                            for the lines after it in that instruction)
 *   `# rhcos-layering ignore-file=rule-a`    anywhere: the whole file
 * `all` stands for every rule. A comment `# rhcos-layering` alone marks the file as a layering Containerfile.
 */
const MARKER = 'rhcos-layering';
const DIRECTIVE = /^rhcos-layering(?:\s+(ignore|ignore-file)\s*=\s*([\w,\s-]+))?\s*$/;

interface LineSuppression {
  readonly fromLine: number;
  readonly toLine: number;
  readonly rules: ReadonlySet<string>;
}

export interface Suppressions {
  readonly hasMarker: boolean;
  readonly fileRules: ReadonlySet<string>;
  readonly lineRules: readonly LineSuppression[];
}

export function readSuppressions(model: ContainerfileModel): Suppressions {
  let hasMarker = false;
  const fileRules = new Set<string>();
  const lineRules: LineSuppression[] = [];
  for (const comment of model.comments) {
    if (!comment.text.startsWith(MARKER)) continue;
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    hasMarker = true;
    const [, kind, list] = match;
    if (!kind || !list) continue;
    const rules = new Set(list.split(',').map((rule) => rule.trim()).filter(Boolean));
    if (kind === 'ignore-file') {
      for (const rule of rules) fileRules.add(rule);
      continue;
    }
    const line = comment.range.start.line;
    const enclosing = instructionContaining(model, line);
    if (enclosing) {
      lineRules.push({ fromLine: line + 1, toLine: enclosing.range.end.line, rules });
    } else {
      const next = model.instructions.find((instruction) => instruction.range.start.line > line);
      if (next) lineRules.push({ fromLine: next.range.start.line, toLine: next.range.end.line, rules });
    }
  }
  return { hasMarker, fileRules, lineRules };
}

export function isSuppressed(finding: Finding, suppressions: Suppressions): boolean {
  if (suppressions.fileRules.has(finding.ruleId) || suppressions.fileRules.has('all')) return true;
  const line = finding.range.start.line;
  return suppressions.lineRules.some((s) => line >= s.fromLine && line <= s.toLine && (s.rules.has(finding.ruleId) || s.rules.has('all')));
}

function instructionContaining(model: ContainerfileModel, line: number): Instruction | undefined {
  return model.instructions.find((instruction) => instruction.range.start.line < line && instruction.range.end.line >= line);
}

/** Edit that suppresses `ruleId` for the instruction holding `range`: extends an ignore comment above it or adds one. */
export function ignoreOnLineEdit(model: ContainerfileModel, ruleId: string, range: Range): TextEdit {
  const line = range.start.line;
  const instruction = model.instructions.find((i) => i.range.start.line <= line && i.range.end.line >= line);
  const targetLine = instruction ? instruction.range.start.line : line;
  const above = targetLine > 0 ? model.comments.find((c) => c.range.start.line === targetLine - 1) : undefined;
  const aboveMatch = above && /^rhcos-layering\s+ignore\s*=/.test(above.text) ? above : undefined;
  if (aboveMatch) return appendRule(model, aboveMatch.range, ruleId);
  const indent = /^[ \t]*/.exec(model.lines.lineText(targetLine))?.[0] ?? '';
  return { range: { start: { line: targetLine, character: 0 }, end: { line: targetLine, character: 0 } }, newText: `${indent}# ${MARKER} ignore=${ruleId}\n` };
}

/** Edit that suppresses `ruleId` in the whole file, after any parser directives (which must stay first). */
export function ignoreInFileEdit(model: ContainerfileModel, ruleId: string): TextEdit {
  const existing = model.comments.find((c) => /^rhcos-layering\s+ignore-file\s*=/.test(c.text));
  if (existing) return appendRule(model, existing.range, ruleId);
  let line = 0;
  while (line < model.lines.lineCount && /^#\s*(?:syntax|escape|check)\s*=/i.test(model.lines.lineText(line))) line++;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `# ${MARKER} ignore-file=${ruleId}\n` };
}

function appendRule(model: ContainerfileModel, commentRange: Range, ruleId: string): TextEdit {
  const lineText = model.lines.lineText(commentRange.start.line);
  const end = lineText.replace(/\s+$/, '').length;
  const position = { line: commentRange.start.line, character: end };
  return { range: { start: position, end: position }, newText: `,${ruleId}` };
}
