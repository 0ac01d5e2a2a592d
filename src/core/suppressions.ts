import type { ContainerfileModel, Instruction } from './containerfile/model';
import type { Finding } from './rules/types';
import type { LineIndex, Range, TextEdit } from './text';

/**
 * Suppression comments, in the style users know from hadolint, read the same way in Containerfiles and in
 * MachineConfig/MachineOSConfig YAML:
 *   `# rhcos-layering ignore=rule-a,rule-b`  the next instruction (Containerfile) or line (YAML); inside a RUN
 *                                            continuation, the lines after it in that instruction; at the end of a
 *                                            YAML line, that line
 *   `# rhcos-layering ignore-file=rule-a`    anywhere: the whole file
 * `all` stands for every rule. A comment `# rhcos-layering` alone marks a Containerfile as a layering Containerfile.
 */
const MARKER = 'rhcos-layering';
const DIRECTIVE = /^rhcos-layering(?:\s+(ignore|ignore-file)\s*=\s*([\w,\s-]+))?\s*$/;

export type SuppressionDirective =
  | { readonly kind: 'marker' }
  | { readonly kind: 'ignore' | 'ignore-file'; readonly rules: ReadonlySet<string> };

/** What a comment's text (after the `#`, trimmed) says, or undefined when it is not one of ours. */
export function parseSuppressionComment(text: string): SuppressionDirective | undefined {
  if (!text.startsWith(MARKER)) return undefined;
  const match = DIRECTIVE.exec(text);
  if (!match) return undefined;
  const [, kind, list] = match;
  if (!kind || !list) return { kind: 'marker' };
  return { kind: kind as 'ignore' | 'ignore-file', rules: new Set(list.split(',').map((rule) => rule.trim()).filter(Boolean)) };
}

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
    const directive = parseSuppressionComment(comment.text);
    if (!directive) continue;
    hasMarker = true;
    if (directive.kind === 'marker') continue;
    if (directive.kind === 'ignore-file') {
      for (const rule of directive.rules) fileRules.add(rule);
      continue;
    }
    const line = comment.range.start.line;
    const enclosing = instructionContaining(model, line);
    if (enclosing) {
      lineRules.push({ fromLine: line + 1, toLine: enclosing.range.end.line, rules: directive.rules });
    } else {
      const next = model.instructions.find((instruction) => instruction.range.start.line > line);
      if (next) lineRules.push({ fromLine: next.range.start.line, toLine: next.range.end.line, rules: directive.rules });
    }
  }
  return { hasMarker, fileRules, lineRules };
}

/**
 * YAML: a directive on a comment line covers the next line with content (blank lines and further comment lines in
 * between); a directive at the end of a line covers that line.
 */
export function readYamlSuppressions(lines: LineIndex): Suppressions {
  const fileRules = new Set<string>();
  const lineRules: LineSuppression[] = [];
  let pending: string[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    const directive = yamlLineDirective(text);
    const rules = directive?.kind === 'ignore' || directive?.kind === 'ignore-file' ? [...directive.rules] : [];
    if (directive?.kind === 'ignore-file') {
      for (const rule of rules) fileRules.add(rule);
      continue;
    }
    if (/^\s*#/.test(text)) {
      pending.push(...rules);
      continue;
    }
    const own = [...pending, ...rules];
    if (own.length > 0) lineRules.push({ fromLine: line, toLine: line, rules: new Set(own) });
    if (text.trim() !== '') pending = [];
  }
  return { hasMarker: false, fileRules, lineRules };
}

/** The directive of the `# rhcos-layering …` comment on a YAML line (its own line or the end of one). */
function yamlLineDirective(lineText: string): SuppressionDirective | undefined {
  const at = lineText.search(/#\s*rhcos-layering/);
  return at < 0 ? undefined : parseSuppressionComment(lineText.slice(at + 1).trim());
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
  if (above && parseSuppressionComment(above.text)?.kind === 'ignore') return appendRule(model.lines.lineText(above.range.start.line), above.range.start.line, ruleId);
  const indent = /^[ \t]*/.exec(model.lines.lineText(targetLine))?.[0] ?? '';
  return insertLine(targetLine, `${indent}${ignoreComment('ignore', ruleId)}`);
}

/** Edit that suppresses `ruleId` in the whole file, after any parser directives (which must stay first). */
export function ignoreInFileEdit(model: ContainerfileModel, ruleId: string): TextEdit {
  const existing = model.comments.find((c) => parseSuppressionComment(c.text)?.kind === 'ignore-file');
  if (existing) return appendRule(model.lines.lineText(existing.range.start.line), existing.range.start.line, ruleId);
  let line = 0;
  while (line < model.lines.lineCount && /^#\s*(?:syntax|escape|check)\s*=/i.test(model.lines.lineText(line))) line++;
  return insertLine(line, ignoreComment('ignore-file', ruleId));
}

/**
 * YAML: edit that suppresses `ruleId` on the line of `range`: extends an ignore comment on the line above, or adds
 * one with the line's indentation (a `- ` list item's dash counts as indentation, so the comment lines up with it).
 */
export function yamlIgnoreOnLineEdit(lines: LineIndex, ruleId: string, range: Range): TextEdit {
  const line = range.start.line;
  const above = line > 0 ? lines.lineText(line - 1) : '';
  if (/^\s*#/.test(above) && yamlLineDirective(above)?.kind === 'ignore') return appendRule(above, line - 1, ruleId);
  const indent = /^[ \t-]*/.exec(lines.lineText(line))![0].replace(/-/g, ' ');
  return insertLine(line, `${indent}${ignoreComment('ignore', ruleId)}`);
}

function ignoreComment(kind: 'ignore' | 'ignore-file', ruleId: string): string {
  return `# ${MARKER} ${kind}=${ruleId}`;
}

function insertLine(line: number, text: string): TextEdit {
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${text}\n` };
}

/** Adds `,ruleId` after the last rule of the directive on `line`. */
function appendRule(lineText: string, line: number, ruleId: string): TextEdit {
  const position = { line, character: lineText.replace(/\s+$/, '').length };
  return { range: { start: position, end: position }, newText: `,${ruleId}` };
}
