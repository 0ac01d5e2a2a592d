import type { ContainerfileModel, RunInstruction, ShellCommandInFile } from '../containerfile/model';
import type { TextEdit } from '../text';

/**
 * Edits that put a command next to another one inside a RUN body. They are only offered where the result is certain
 * to mean "run both, in order": the neighbour must be a plain `&&`/`;` boundary, the start of the body or of an
 * `sh -c` string, never a pipe, `||` or a redirection that would change what runs or where output goes.
 */

/** `<text> && ` right before `command`, or undefined when that would change what runs. */
export function insertBeforeCommand(model: ContainerfileModel, run: RunInstruction, command: ShellCommandInFile, text: string): TextEdit | undefined {
  if (run.form === 'exec') return undefined;
  const runStart = model.lines.offsetAt(run.range.start);
  const commandStart = model.lines.offsetAt(command.range.start);
  const before = normalise(model, model.text.slice(runStart, commandStart), 'before').replace(/[ \t]+$/, '');
  const atBodyStart = /^RUN(?:[ \t]+--\S+)*$/i.test(before);
  const afterSeparator = /(?:&&|(?<![;&|]);|\n|[({'"]|\bthen|\bdo|\belse)$/.test(before) && !/\$\($/.test(before);
  if (!atBodyStart && !afterSeparator) return undefined;
  return { range: { start: command.range.start, end: command.range.start }, newText: `${text} && ` };
}

/** ` && <text>` right after `command`, or undefined when what follows it is not a plain command boundary. */
export function appendAfterCommand(model: ContainerfileModel, run: RunInstruction, command: ShellCommandInFile, text: string): TextEdit | undefined {
  if (run.form !== 'shell') return undefined;
  const runEnd = model.lines.offsetAt(run.range.end);
  const commandEnd = model.lines.offsetAt(command.range.end);
  const instructionText = model.text.slice(model.lines.offsetAt(run.range.start), runEnd);
  // A RUN with heredoc bodies mixes shell text and file content; leave it to the user.
  if (/<<-?[ \t]*["']?[A-Za-z0-9_.-]/.test(instructionText)) return undefined;
  const after = normalise(model, model.text.slice(commandEnd, runEnd), 'after').replace(/^[ \t]+/, '');
  const boundary = after === '' || after.startsWith('&&') || (after.startsWith(';') && !after.startsWith(';;')) || /^[)'"]/.test(after);
  if (!boundary) return undefined;
  return { range: { start: command.range.end, end: command.range.end }, newText: ` && ${text}` };
}

/** Removes line continuations and the comment and blank lines Docker drops inside them. */
function normalise(model: ContainerfileModel, text: string, side: 'before' | 'after'): string {
  const lines = text.split('\n');
  // The first line of `after` and the last line of `before` touch the command itself: keep them whatever they hold.
  const kept = lines.filter((line, index) => {
    const touchesCommand = side === 'before' ? index === lines.length - 1 || index === 0 : index === 0;
    return touchesCommand || !/^[ \t]*(?:#.*)?\r?$/.test(line);
  });
  const escape = model.escapeCharacter.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return kept.join('\n').replace(new RegExp(`(?:${escape}|\\\\)[ \\t]*\\r?\\n`, 'g'), '');
}
