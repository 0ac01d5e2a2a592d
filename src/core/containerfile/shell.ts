/**
 * Finds the simple commands in a RUN body, with their words and offsets.
 *
 * Two parsers give the same result. `parseSimpleShell` is a hand-written lexer for the shell most RUN bodies use
 * (commands joined by `&&`, `||`, `;`, `|` and newlines, with quotes, `$VAR` and redirections); it refuses anything
 * else by returning undefined. Those bodies (if/for/case, subshells, `$( )`, heredocs, functions) go to tree-sitter-bash,
 * a real bash grammar compiled to WASM. The split exists for speed: tree-sitter costs about 0.1 ms per RUN body here,
 * which alone would exceed the lint budget on large files, while the lexer costs a few microseconds. A differential test
 * (test/unit/containerfile/shell.test.ts) checks that both parsers agree on every body the lexer accepts.
 */

import { expandBraces } from './braces';

export interface ShellWord {
  /** The word as written, quotes included; after brace expansion, one of the words a written word gives. */
  readonly raw: string;
  /** The word after quote removal, or undefined when it contains an expansion (`$X`, `${X}`) whose value is unknown. */
  readonly value: string | undefined;
  /** True when any part of the word was quoted, so brace expansion does not apply. */
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

export interface ShellRedirect {
  /** `>`, `>>`, `<`, `>&`, `<&`, `&>`, `&>>`, `>|` or `<>`. */
  readonly operator: string;
  readonly target: ShellWord | undefined;
}

export interface ShellCommand {
  readonly name: ShellWord;
  readonly args: readonly ShellWord[];
  /** `NAME=value` words before the command name. */
  readonly assignments: readonly string[];
  readonly redirects: readonly ShellRedirect[];
  readonly start: number;
  readonly end: number;
}

export interface ShellScript {
  readonly commands: readonly ShellCommand[];
  readonly hasSyntaxError: boolean;
}

export interface ShellParser {
  parse(source: string): ShellScript;
}

/** Reserved words the fast path does not model; `if`/`for`/`while`/`until`/`{ }`/`!` it does. */
const UNMODELLED_RESERVED_WORDS = new Set(['case', 'esac', 'in', 'function', 'select', 'time', 'coproc', '[[', ']]']);

type Frame = { kind: 'if'; phase: 'cond' | 'then' | 'else' } | { kind: 'loop'; phase: 'cond' | 'body' } | { kind: 'group' };

const WRITE_OPERATORS = ['&>>', '&>', '>>', '>|', '>&', '<&', '<>', '>', '<'] as const;

/** Thrown to abandon the fast path; one shared instance, because capturing a stack per refusal costs more than lexing. */
const UNSUPPORTED: unique symbol = Symbol('unsupported shell construct');

function unsupported(): never {
  throw UNSUPPORTED;
}

interface WordBuilder {
  start: number;
  value: string;
  literal: boolean;
  quoted: boolean;
}

/**
 * The fast path. Returns undefined for any construct it does not model, and the caller falls back to tree-sitter.
 */
export function parseSimpleShell(source: string): ShellScript | undefined {
  try {
    return { commands: lexCommands(source).map(expandArgumentBraces), hasSyntaxError: false };
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r';
}

function isMetaCharacter(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === ';' || ch === '&' || ch === '|' ||
    ch === '<' || ch === '>' || ch === '(' || ch === ')';
}

function lexCommands(source: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let assignments: string[] = [];
  let assignmentStarts: number[] = [];
  let redirects: ShellRedirect[] = [];
  let pendingRedirect: string | undefined;
  let inTest = false;
  // Compound commands: which if/loop/group we are in, whether a `fi`/`done`/`}` needs a separator next, and whether
  // we are reading the word list of a `for` (not commands).
  const stack: Frame[] = [];
  let expectSeparator = false;
  let forWords = false;
  let i = 0;
  const n = source.length;

  const finishCommand = (): void => {
    if (pendingRedirect !== undefined) unsupported();
    if (inTest) unsupported();
    if (words.length > 0) {
      const name = words[0]!;
      const args = words.slice(1);
      const last = args.length > 0 ? args[args.length - 1]! : name;
      const firstAssignmentStart = assignmentStarts.length > 0 ? assignmentStarts[0]! : name.start;
      commands.push({ name, args, assignments, redirects, start: Math.min(firstAssignmentStart, name.start), end: last.end });
    } else if (assignments.length > 0 && redirects.length > 0) {
      unsupported();
    }
    words = [];
    assignments = [];
    assignmentStarts = [];
    redirects = [];
  };

  const separator = (endsForWords: boolean): void => {
    if (forWords && !endsForWords) unsupported();
    finishCommand();
    expectSeparator = false;
    forWords = false;
  };

  /** Handles a reserved word at command position; false when the word is an ordinary command name. */
  const keyword = (word: string): boolean => {
    const top = stack[stack.length - 1];
    switch (word) {
      case 'if':
        stack.push({ kind: 'if', phase: 'cond' });
        return true;
      case 'then':
      case 'elif':
      case 'else':
        if (top?.kind !== 'if') unsupported();
        if (word === 'then' && top.phase !== 'cond') unsupported();
        if (word !== 'then' && top.phase !== 'then') unsupported();
        top.phase = word === 'then' ? 'then' : word === 'elif' ? 'cond' : 'else';
        return true;
      case 'fi':
        if (top?.kind !== 'if' || top.phase === 'cond') unsupported();
        stack.pop();
        expectSeparator = true;
        return true;
      case 'while':
      case 'until':
        stack.push({ kind: 'loop', phase: 'cond' });
        return true;
      case 'for':
        stack.push({ kind: 'loop', phase: 'cond' });
        forWords = true;
        return true;
      case 'do':
        if (top?.kind !== 'loop' || top.phase !== 'cond') unsupported();
        top.phase = 'body';
        return true;
      case 'done':
        if (top?.kind !== 'loop' || top.phase !== 'body') unsupported();
        stack.pop();
        expectSeparator = true;
        return true;
      case '{':
        stack.push({ kind: 'group' });
        return true;
      case '}':
        if (top?.kind !== 'group') unsupported();
        stack.pop();
        expectSeparator = true;
        return true;
      case '!':
        return true;
      default:
        if (UNMODELLED_RESERVED_WORDS.has(word)) unsupported();
        return false;
    }
  };

  while (i < n) {
    const ch = source[i]!;
    if (isBlank(ch)) {
      i++;
      continue;
    }
    if (ch === '\\' && source[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === '#') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (ch === '\n' || ch === ';') {
      if (ch === ';' && source[i + 1] === ';') unsupported();
      separator(true);
      i++;
      continue;
    }
    if (ch === '&' || ch === '|') {
      if (ch === '&' && source[i + 1] === '>') {
        const operator = source[i + 2] === '>' ? '&>>' : '&>';
        startRedirect(operator);
        i += operator.length;
        continue;
      }
      separator(false);
      i += source[i + 1] === ch || (ch === '|' && source[i + 1] === '&') ? 2 : 1;
      continue;
    }
    if (ch === '(' || ch === ')') unsupported();
    if (ch === '<' || ch === '>') {
      if (source.startsWith('<<', i) || source[i + 1] === '(') unsupported();
      const operator = WRITE_OPERATORS.find((op) => source.startsWith(op, i))!;
      startRedirect(operator);
      i += operator.length;
      continue;
    }
    // A file-descriptor prefix such as the 2 in `2>&1` belongs to the redirection, not to the words.
    if (ch >= '0' && ch <= '9') {
      let j = i;
      while (j < n && source[j]! >= '0' && source[j]! <= '9') j++;
      if (source[j] === '>' || source[j] === '<') {
        if (source.startsWith('<<', j) || source[j + 1] === '(') unsupported();
        const operator = WRITE_OPERATORS.find((op) => source.startsWith(op, j))!;
        startRedirect(operator);
        i = j + operator.length;
        continue;
      }
    }
    const word = readWord(source, i);
    i = word.end;
    if (expectSeparator) unsupported();
    if (pendingRedirect !== undefined) {
      redirects.push({ operator: pendingRedirect, target: word });
      pendingRedirect = undefined;
      continue;
    }
    if (forWords || inTest) {
      if (inTest && word.raw === ']') inTest = false;
      continue;
    }
    if (words.length === 0) {
      if (assignments.length === 0 && keyword(word.raw)) continue;
      if (word.raw === '[') {
        // tree-sitter-bash parses `[ ... ]` as a test, not a command; mirror that.
        if (assignments.length > 0 || redirects.length > 0) unsupported();
        inTest = true;
        continue;
      }
      const assignment = /^[A-Za-z_][A-Za-z0-9_]*\+?=/.exec(word.raw);
      if (assignment) {
        assignments.push(word.raw);
        assignmentStarts.push(word.start);
        continue;
      }
    }
    words.push(word);
  }
  finishCommand();
  if (stack.length > 0 || forWords) unsupported();
  return commands;

  function startRedirect(operator: string): void {
    if (pendingRedirect !== undefined || inTest || forWords) unsupported();
    // A redirection before the command name (or after `fi`/`done`) is valid shell but tree-sitter nests it
    // differently; leave it to tree-sitter.
    if (words.length === 0) unsupported();
    pendingRedirect = operator;
  }
}

function readWord(source: string, start: number): ShellWord {
  const builder: WordBuilder = { start, value: '', literal: true, quoted: false };
  let i = start;
  const n = source.length;
  while (i < n) {
    const ch = source[i]!;
    if (isMetaCharacter(ch)) break;
    if (ch === '`') unsupported();
    if (ch === "'") {
      const close = source.indexOf("'", i + 1);
      if (close === -1) unsupported();
      builder.value += source.slice(i + 1, close);
      builder.quoted = true;
      i = close + 1;
      continue;
    }
    if (ch === '"') {
      i = readDoubleQuoted(source, i, builder);
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= n) unsupported();
      if (source[i + 1] === '\n') unsupported();
      builder.value += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === '$') {
      i = readExpansion(source, i, builder);
      continue;
    }
    builder.value += ch;
    i++;
  }
  if (i === start) unsupported();
  return { raw: source.slice(start, i), value: builder.literal ? builder.value : undefined, quoted: builder.quoted, start, end: i };
}

function readDoubleQuoted(source: string, open: number, builder: WordBuilder): number {
  builder.quoted = true;
  let i = open + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '"') return i + 1;
    if (ch === '`') unsupported();
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === undefined) unsupported();
      if (next === '"' || next === '\\' || next === '$' || next === '`') {
        builder.value += next;
        i += 2;
      } else if (next === '\n') {
        unsupported();
      } else {
        builder.value += ch;
        i++;
      }
      continue;
    }
    if (ch === '$') {
      i = readExpansion(source, i, builder);
      continue;
    }
    builder.value += ch;
    i++;
  }
  return unsupported();
}

function readExpansion(source: string, dollar: number, builder: WordBuilder): number {
  const next = source[dollar + 1];
  if (next === '(' || next === "'" || next === '"' || next === '[') unsupported();
  if (next === '{') {
    let depth = 1;
    let i = dollar + 2;
    while (i < source.length && depth > 0) {
      const ch = source[i]!;
      if (ch === '`' || (ch === '$' && source[i + 1] === '(') || ch === '"' || ch === "'" || ch === '\\' || ch === '\n') unsupported();
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      i++;
    }
    if (depth > 0) unsupported();
    builder.literal = false;
    return i;
  }
  if (next !== undefined && /[A-Za-z_]/.test(next)) {
    let i = dollar + 2;
    while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
    builder.literal = false;
    return i;
  }
  if (next !== undefined && /[0-9@*#?$!-]/.test(next)) {
    builder.literal = false;
    return dollar + 2;
  }
  // A lone `$` is literal in bash; tree-sitter disagrees on some of these, so refuse rather than guess.
  return unsupported();
}

/**
 * Bash brace expansion of the arguments (`cp /etc/{a,b}.conf /usr/etc/` has three arguments): each result keeps the
 * written word's range, and its value is the result after quote removal (unknown when the word has an expansion).
 */
export function expandArgumentBraces<T extends ShellCommand>(command: T): T {
  if (!command.args.some((arg) => arg.raw.includes('{'))) return command;
  return { ...command, args: command.args.flatMap(expandWordBraces) };
}

function expandWordBraces(word: ShellWord): ShellWord[] {
  if (!word.raw.includes('{')) return [word];
  const pieces = expandBraces(word.raw);
  if (pieces.length === 1 && pieces[0] === word.raw) return [word];
  return pieces.map((raw) => ({ ...word, raw, value: word.value === undefined ? undefined : literalValue(raw) }));
}

/** Quote removal of a word without expansions (a piece of a literal word after brace expansion). */
function literalValue(raw: string): string | undefined {
  try {
    const word = readWord(raw, 0);
    return word.end === raw.length ? word.value : undefined;
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

/**
 * Loads the tree-sitter parser (treeSitter.ts) on first use. In dist/, the build points `./treeSitter` at the separate
 * file `./tree-sitter.js` (scripts/build.mjs), so linting a file whose RUN bodies the fast lexer reads loads neither
 * web-tree-sitter's JavaScript nor its WASM.
 */
export function loadTreeSitterShellParser(wasmDirectory?: string): Promise<ShellParser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const treeSitter = require('./treeSitter') as typeof import('./treeSitter');
  return treeSitter.loadTreeSitterShellParser(wasmDirectory);
}
