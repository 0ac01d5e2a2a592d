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
function expandArgumentBraces<T extends ShellCommand>(command: T): T {
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

// ---------------------------------------------------------------------------------------------------------------
// tree-sitter-bash

/** The subset of web-tree-sitter's node API this module reads. */
interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly parent: SyntaxNode | null;
  readonly children: readonly (SyntaxNode | null)[];
  readonly namedChildren: readonly (SyntaxNode | null)[];
  readonly hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): (SyntaxNode | null)[];
  descendantsOfType(type: string): (SyntaxNode | null)[];
  equals(other: SyntaxNode): boolean;
}

interface Tree {
  readonly rootNode: SyntaxNode;
  delete(): void;
}

export interface TreeSitterBackend {
  parse(source: string): Tree | null;
}

export class TreeSitterShellParser implements ShellParser {
  constructor(private readonly backend: TreeSitterBackend) {}

  parse(source: string): ShellScript {
    const tree = this.backend.parse(source);
    if (!tree) return { commands: [], hasSyntaxError: true };
    try {
      const commands: MutableCommand[] = [];
      for (const node of tree.rootNode.descendantsOfType('command')) {
        const command = node && commandFromNode(node, source);
        if (command) commands.push(command);
      }
      commands.sort((a, b) => a.start - b.start);
      for (const redirect of tree.rootNode.descendantsOfType('file_redirect')) {
        // Redirections written inside a command (before its name) were read with the command.
        if (redirect && redirect.parent?.type !== 'command') attachRedirect(redirect, commands);
      }
      return { commands: commands.map(expandArgumentBraces), hasSyntaxError: tree.rootNode.hasError };
    } finally {
      tree.delete();
    }
  }
}

interface MutableCommand extends ShellCommand {
  readonly args: ShellWord[];
  readonly redirects: ShellRedirect[];
  end: number;
}

function commandFromNode(node: SyntaxNode, source: string): MutableCommand | undefined {
  const nameNode = node.childForFieldName('name');
  const nameWordNode = nameNode?.namedChildren[0] ?? nameNode;
  if (!nameWordNode) return undefined;
  const name = wordFromNode(nameWordNode);
  const args: ShellWord[] = [];
  for (const child of node.childrenForFieldName('argument')) {
    if (!child) continue;
    const word = wordFromNode(child);
    const previous = args[args.length - 1];
    // tree-sitter-bash splits some words at a brace (`$URL/kernel-{,core-}$V.rpm` becomes two arguments); bash
    // reads text without a blank in between as one word.
    if (previous && previous.end === word.start) args[args.length - 1] = joinWords(previous, word, source);
    else args.push(word);
  }
  const assignments: string[] = [];
  let start = name.start;
  const redirects: ShellRedirect[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      assignments.push(child.text);
      start = Math.min(start, child.startIndex);
    } else if (child.type === 'file_redirect') {
      redirects.push(redirectFromNode(child).redirect);
    }
  }
  const last = args.length > 0 ? args[args.length - 1]! : name;
  return { name, args, assignments, redirects, start, end: last.end };
}

/**
 * tree-sitter-bash hangs a trailing redirection on the whole `a && b > f` list or `a | b > f` pipeline, nests the ones
 * after a heredoc start inside the heredoc node, and reads `echo a > f b` as two destinations. Bash applies a
 * redirection to the last simple command before it and treats extra words as that command's arguments; so do we.
 */
function attachRedirect(redirectNode: SyntaxNode, commands: MutableCommand[]): void {
  let container: SyntaxNode | null = redirectNode.parent;
  while (container && container.type !== 'redirected_statement' && container.type !== 'program') container = container.parent;
  const from = container?.startIndex ?? 0;
  let owner: MutableCommand | undefined;
  for (const command of commands) {
    if (command.start >= from && command.end <= redirectNode.startIndex) owner = command;
  }
  if (!owner) return;
  const { redirect, extraWords } = redirectFromNode(redirectNode);
  owner.redirects.push(redirect);
  if (extraWords.length > 0) {
    owner.args.push(...extraWords);
    owner.end = extraWords[extraWords.length - 1]!.end;
  }
}

function redirectFromNode(node: SyntaxNode): { redirect: ShellRedirect; extraWords: ShellWord[] } {
  let operator = '>';
  for (const child of node.children) {
    if (child && !isNamedRedirectPart(child.type) && /^[<>&|]+$/.test(child.type)) {
      operator = child.type;
      break;
    }
  }
  const destinations = node.childrenForFieldName('destination').filter((d): d is SyntaxNode => d !== null).map(wordFromNode);
  return { redirect: { operator, target: destinations[0] }, extraWords: destinations.slice(1) };
}

function isNamedRedirectPart(type: string): boolean {
  return type === 'file_descriptor' || type === 'word' || type === 'number';
}

function joinWords(first: ShellWord, second: ShellWord, source: string): ShellWord {
  const value = first.value !== undefined && second.value !== undefined ? first.value + second.value : undefined;
  return { raw: source.slice(first.start, second.end), value, quoted: first.quoted || second.quoted, start: first.start, end: second.end };
}

function wordFromNode(node: SyntaxNode): ShellWord {
  const part = valueOfNode(node);
  return { raw: node.text, value: part.value, quoted: part.quoted, start: node.startIndex, end: node.endIndex };
}

function valueOfNode(node: SyntaxNode): { value: string | undefined; quoted: boolean } {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'brace_expression':
    case 'command_name':
      return { value: node.text.replace(/\\(.)/gs, '$1'), quoted: false };
    case 'raw_string':
      return { value: node.text.slice(1, -1), quoted: true };
    case 'string': {
      for (const child of node.namedChildren) if (child && child.type !== 'string_content') return { value: undefined, quoted: true };
      return { value: node.text.slice(1, -1).replace(/\\(["\\$`])/g, '$1'), quoted: true };
    }
    case 'concatenation': {
      let value = '';
      let quoted = false;
      let literal = true;
      let cursor = node.startIndex;
      for (const child of node.children) {
        if (!child) continue;
        // Unnamed pieces between named children (such as a bare `{` or `,`) are literal text.
        if (child.startIndex > cursor) value += node.text.slice(cursor - node.startIndex, child.startIndex - node.startIndex);
        const part = valueOfNode(child);
        quoted ||= part.quoted;
        if (part.value === undefined) literal = false;
        else value += part.value;
        cursor = child.endIndex;
      }
      if (cursor < node.endIndex) value += node.text.slice(cursor - node.startIndex);
      return { value: literal ? value : undefined, quoted };
    }
    default:
      if (node.namedChildren.length === 0 && /^[^$`]*$/.test(node.text) && !node.type.includes('expansion')) {
        return { value: node.text, quoted: false };
      }
      return { value: undefined, quoted: false };
  }
}

/**
 * Loads web-tree-sitter and the bash grammar from `wasmDirectory` (the bundle ships both .wasm files next to it),
 * falling back to node_modules when running from source.
 */
export async function loadTreeSitterShellParser(wasmDirectory?: string): Promise<ShellParser> {
  // require, not import: the ESM build of web-tree-sitter reads import.meta.url, which is empty in a CommonJS bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const treeSitter = require('web-tree-sitter') as typeof import('web-tree-sitter');
  const path = await import('node:path');
  const fs = await import('node:fs');
  const locate = (file: string, fromNodeModules: () => string): string => {
    const candidates = [wasmDirectory, __dirname].filter((dir): dir is string => Boolean(dir)).map((dir) => path.join(dir, file));
    for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
    return fromNodeModules();
  };
  const runtimeWasm = locate('web-tree-sitter.wasm', () => require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
  const bashWasm = locate('tree-sitter-bash.wasm', () =>
    path.join(path.dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'));
  await treeSitter.Parser.init({ locateFile: () => runtimeWasm });
  const bash = await treeSitter.Language.load(bashWasm);
  const parser = new treeSitter.Parser();
  parser.setLanguage(bash);
  return new TreeSitterShellParser(parser as unknown as TreeSitterBackend);
}
