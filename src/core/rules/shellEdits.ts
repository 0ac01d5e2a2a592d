import type { ContainerfileModel, Instruction, RunInstruction, ShellCommandInFile } from '../containerfile/model';
import type { Range, TextEdit } from '../text';

/**
 * Text edits on RUN bodies that rules can offer as fixes. Each returns undefined unless the result is certain to be
 * the same shell program minus the removed part; rules then offer no fix rather than a guess.
 */

/** Where a command ends in the file: after its last argument or its last redirection target. */
export function commandEnd(command: ShellCommandInFile, model: ContainerfileModel): number {
  let end = model.lines.offsetAt(command.range.end);
  for (const redirect of command.redirects) {
    if (redirect.target) end = Math.max(end, model.lines.offsetAt(redirect.target.range.end));
  }
  return end;
}

type Joint = 'start' | 'end' | 'and' | 'sequence' | 'other';

/**
 * Deletes one command from a shell-form or heredoc RUN, with the `&&`, `;` or line break that joins it to its
 * neighbour, keeping the rest of the list's meaning: `a && X && b` -> `a && b`, `X && b` -> `b`, `a; X && b` -> `a; b`.
 * A RUN that holds nothing else is deleted whole. Commands inside `if`, pipelines, `||` lists or subshell syntax are
 * left alone.
 */
export function deleteCommandEdit(model: ContainerfileModel, run: RunInstruction, command: ShellCommandInFile): TextEdit | undefined {
  if (run.form === 'exec') return undefined;
  const text = model.text;
  const start = model.lines.offsetAt(command.range.start);
  const end = commandEnd(command, model);
  const others = run.commands.filter((other) => other !== command);
  const previous = others.filter((other) => commandEnd(other, model) <= start).pop();
  const next = others.find((other) => model.lines.offsetAt(other.range.start) >= end);
  // A command that encloses this one (`sh -c '...'`) is not a neighbour.
  const enclosing = others.some((other) => model.lines.offsetAt(other.range.start) < start && commandEnd(other, model) > start);
  const previousEnd = previous ? commandEnd(previous, model) : undefined;
  const before: Joint = previousEnd === undefined || (enclosing && previousEnd < start && !sameScript(text, previousEnd, start))
    ? 'start'
    : joint(text.slice(previousEnd, start));
  const nextStart = next ? model.lines.offsetAt(next.range.start) : undefined;
  let after: Joint;
  if (nextStart === undefined) {
    const rest = stripContinuations(text.slice(end, model.lines.offsetAt(run.range.end))).trimStart();
    after = /^[|&<>]/.test(rest) ? 'other' : 'end';
  } else {
    const between = text.slice(end, nextStart);
    // The command closes an `sh -c '...'` script: it is the last one in that script.
    after = /^[ \t]*['"]/.test(between) ? 'end' : joint(between);
  }
  if (before === 'other' || after === 'other') return undefined;
  if (before === 'start' && after === 'end') {
    // Alone in its script: deleting it would leave `sh -c ''` or an empty RUN body; only a RUN holding nothing else goes.
    if (others.some((other) => model.lines.offsetAt(other.range.start) < start || commandEnd(other, model) > end)) return undefined;
    return deleteInstructionEdit(model, run);
  }
  if (before === 'start' || (before === 'sequence' && after === 'and')) {
    if (nextStart === undefined) return undefined;
    return { range: model.lines.rangeOf(start, nextStart), newText: '' };
  }
  return { range: model.lines.rangeOf(previousEnd!, end), newText: '' };
}

function sameScript(text: string, from: number, to: number): boolean {
  return !/['"]/.test(text.slice(from, to));
}

function stripContinuations(text: string): string {
  return text.replace(/\\[ \t]*\r?\n/g, ' ');
}

function joint(between: string): Joint {
  const compact = stripContinuations(between);
  const trimmed = compact.trim();
  if (trimmed === '&&') return 'and';
  if (trimmed === ';' || (trimmed === '' && /\n/.test(compact))) return 'sequence';
  return 'other';
}

/** Deletes the whole lines an instruction occupies (a comment line directly above stays). */
export function deleteInstructionEdit(model: ContainerfileModel, instruction: Instruction): TextEdit {
  const startLine = instruction.range.start.line;
  const endLine = instruction.range.end.line;
  const range: Range = endLine + 1 < model.lines.lineCount
    ? { start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } }
    : { start: startLine > 0 ? { line: startLine - 1, character: model.lines.lineText(startLine - 1).length } : { line: 0, character: 0 }, end: instruction.range.end };
  return { range, newText: '' };
}

/** Deletes one word and the blanks before it (`systemctl enable --now x` -> `systemctl enable x`). */
export function deleteWordEdit(model: ContainerfileModel, wordRange: Range): TextEdit {
  let start = model.lines.offsetAt(wordRange.start);
  while (start > 0 && (model.text[start - 1] === ' ' || model.text[start - 1] === '\t')) start--;
  return { range: model.lines.rangeOf(start, model.lines.offsetAt(wordRange.end)), newText: '' };
}
