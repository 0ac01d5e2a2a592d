import type { BuildError } from '../containerfile/model';
import type { Range } from '../text';
import type { Rule } from './types';

/**
 * What BuildKit refuses before it runs a single step (frontend/dockerfile/parser/parser.go and instructions/parse.go):
 * a line that is not an instruction (`unknown instruction`), an unterminated heredoc, `ENV PATH` without a value, a file
 * with no instructions, an instruction before the first FROM, ... The build fails there, so these are errors.
 * The usual cause in layering files copied from documentation: a callout (`<1>`) or a note after a `\`, which ends
 * the continuation, so the next line is read as an instruction of its own.
 */
export const parseError: Rule = {
  id: 'parse-error',
  defaultSeverity: 'error',
  summary: 'A line the build cannot parse (not an instruction, an unterminated heredoc, ...): the build fails there.',
  check(context) {
    return context.model.buildErrors
      .filter((error) => !isTemplateLine(error, context.model.text, context.model.lines.offsetAt(error.range.start)))
      .map((error) => ({ message: message(error), range: firstLine(error.range, context.model.lines.lineText(error.range.start.line).length) }));
  },
};

/**
 * A Go template action on a line of its own (`{{if .ExtensionsImage}}`, `{{end}}`): the file is a template, such as
 * the MCO's on-cluster build template, and what gets built is its rendered output. Not a Containerfile line to judge.
 */
function isTemplateLine(error: BuildError, text: string, offset: number): boolean {
  return error.kind === 'unknown-instruction' && text.startsWith('{{', offset);
}

function message(error: BuildError): string {
  if (error.message === 'file with no instructions') return 'The file has no instructions (only comments or blank lines): the build fails here.';
  const line = error.range.start.line + 1;
  if (error.kind === 'unknown-instruction') {
    return `line ${line} is not a Containerfile instruction; the build fails here (${error.message}). If it continues the line above, end that line with \`\\\`; if it is a note, start it with \`#\`.`;
  }
  return `line ${line}: ${error.message}; the build fails here.`;
}

/** A multi-line error (an unterminated heredoc runs to the end of the file) is marked on its first line. */
function firstLine(range: Range, lineLength: number): Range {
  if (range.end.line === range.start.line) return range;
  return { start: range.start, end: { line: range.start.line, character: Math.max(range.start.character, lineLength) } };
}
