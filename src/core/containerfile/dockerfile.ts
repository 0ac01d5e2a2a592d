import { OffsetMap, type MappedText } from './offsets';
import { isUnicodeSpace, processWords, WordSyntaxError } from './variables';

/**
 * The Dockerfile parser of BuildKit (moby/buildkit frontend/dockerfile/parser: parser.go, line_parsers.go,
 * split_command.go, directives.go), ported rule for rule so that this extension reads a file the way the build does:
 * parser directives, the escape token, line continuations (and the comment and blank lines inside them), the word
 * splitting of each instruction, JSON forms, flags, and heredocs found with the build's own lexer. Every piece keeps
 * its offsets in the file.
 *
 * Where BuildKit stops at the first error, this parser records the error and goes on, so the editor still sees the
 * rest of the file; `errors` holds what would fail the build at this stage.
 */

/** One argument as BuildKit's parse tree holds it (`value`), and where it comes from in the file. */
export interface DockerfileArgument {
  readonly value: string;
  /** File offsets of the text the value was read from (for a JSON string: the string with its quotes). */
  readonly start: number;
  readonly end: number;
}

export interface DockerfileHeredoc {
  /** The delimiter after quote removal: `EOF` for `<<"EOF"`, `<<E"OF"` and `<<-'EOF'`. */
  readonly name: string;
  readonly fileDescriptor: number;
  /** False when any part of the delimiter was quoted: the content is not expanded. */
  readonly expand: boolean;
  /** `<<-`: leading tabs are removed from the content and the terminator. */
  readonly chomp: boolean;
  /** The body as written (lines with their line breaks), before chomping. */
  readonly content: string;
  readonly contentStart: number;
  readonly contentEnd: number;
  /** False when the file ended before the terminator line (BuildKit: "unterminated heredoc"). */
  readonly terminated: boolean;
}

export interface DockerfileInstruction {
  /** The instruction word as written (`run`, `RUN`, or anything for a line that is not an instruction). */
  readonly keyword: string;
  readonly keywordStart: number;
  readonly keywordEnd: number;
  /** From the keyword to the end of the last line that belongs to the instruction (heredoc terminator included). */
  readonly start: number;
  readonly end: number;
  /** The offset after the last physical line BuildKit consumed for it (comment and blank lines included). */
  readonly consumedEnd: number;
  /** BuildKit's logical line: continuations joined, comment lines inside them dropped, with the map to the file. */
  readonly line: MappedText;
  /** `--name=value` flags before the arguments, quotes removed, as BuildKit's node.Flags. */
  readonly flags: readonly DockerfileArgument[];
  /** Offset in `line.text` where the arguments (after the flags) start. */
  readonly argumentsStart: number;
  /** The arguments as BuildKit's dispatch function for the keyword reads them (node.Next values). */
  readonly args: readonly DockerfileArgument[];
  /** ENV and LABEL: each pair's key, value and `=` separator (empty for the legacy `ENV key value` form). */
  readonly pairs?: readonly { readonly key: DockerfileArgument; readonly value: DockerfileArgument; readonly separator: string }[];
  /** The JSON (exec) form was used. */
  readonly json: boolean;
  readonly heredocs: readonly DockerfileHeredoc[];
  /** ONBUILD: the instruction it adds. */
  readonly trigger?: DockerfileInstruction;
  /** What BuildKit's parser reports for this instruction, if anything. */
  readonly error?: string;
}

export interface DockerfileComment {
  /** Text after `#`, trimmed. */
  readonly text: string;
  /** From `#` to the end of its line. */
  readonly start: number;
  readonly end: number;
}

export interface DockerfileDirective {
  readonly name: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface DockerfileError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface DockerfileParse {
  readonly instructions: readonly DockerfileInstruction[];
  readonly comments: readonly DockerfileComment[];
  readonly directives: readonly DockerfileDirective[];
  readonly escapeToken: string;
  /** Errors of BuildKit's parser (before it looks at what the instructions mean), in file order. */
  readonly errors: readonly DockerfileError[];
}

/** BuildKit's bufio.Scanner refuses longer lines ("dockerfile line greater than max allowed size of 65535"). */
const MAX_LINE_BYTES = 65535;

/** Go's regexp `[\t\v\f\r ]+` (reWhitespace). */
const WHITESPACE_RUN = /[\t\v\f\r ]+/;
const HEREDOC_WORD = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/;
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/s;
const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['add', 'copy', 'run']);

interface PhysicalLine {
  readonly start: number;
  /** End before the line break characters BuildKit trims (`\r` and `\n` at the end). */
  readonly contentEnd: number;
  /** Start of the next line. */
  readonly next: number;
}

class LineScanner {
  position = 0;

  constructor(private readonly text: string) {}

  scan(): PhysicalLine | undefined {
    if (this.position >= this.text.length) return undefined;
    const start = this.position;
    const newline = this.text.indexOf('\n', start);
    const next = newline === -1 ? this.text.length : newline + 1;
    let contentEnd = next;
    while (contentEnd > start && (this.text[contentEnd - 1] === '\n' || this.text[contentEnd - 1] === '\r')) contentEnd--;
    this.position = next;
    return { start, contentEnd, next };
  }
}

function leadingSpaceLength(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isUnicodeSpace(text.charCodeAt(i))) i++;
  return i - from;
}

/** Go's strings.TrimSpace as offsets. */
function trimSpaceBounds(text: string, from: number, to: number): [number, number] {
  let start = from;
  let end = to;
  while (start < end && isUnicodeSpace(text.charCodeAt(start))) start++;
  while (end > start && isUnicodeSpace(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? (i++, 4) : 3;
  }
  return bytes;
}

export function parseDockerfile(source: string): DockerfileParse {
  return new DockerfileParser(source).parse();
}

class DockerfileParser {
  private escape = '\\';
  private readonly instructions: DockerfileInstruction[] = [];
  private readonly comments: DockerfileComment[] = [];
  private readonly directives: DockerfileDirective[] = [];
  private readonly errors: DockerfileError[] = [];
  private readonly seenDirectives = new Set<string>();
  private directivesDone = false;
  private readonly lines: LineScanner;

  constructor(private readonly text: string) {
    this.lines = new LineScanner(text);
  }

  parse(): DockerfileParse {
    let first = true;
    for (let line = this.lines.scan(); line; line = this.lines.scan()) {
      let start = line.start;
      if (first && this.text.charCodeAt(0) === 0xfeff) start++;
      first = false;
      if (!this.checkLength(line)) continue;
      // processLine(stripLeftWhitespace = true): trim the line break and leading blanks, read a parser directive,
      // drop a comment.
      const trimmedStart = start + leadingSpaceLength(this.text, start, line.contentEnd);
      this.parserDirective(trimmedStart, line.contentEnd);
      if (this.isComment(trimmedStart, line.contentEnd)) {
        this.addComment(trimmedStart, line.contentEnd);
        continue;
      }
      const map = new OffsetMap(trimmedStart);
      let text = '';
      let continued = this.continuationAt(trimmedStart, line.contentEnd);
      let keptEnd = continued ?? line.contentEnd;
      if (continued === undefined && keptEnd === trimmedStart) continue;
      text += this.text.slice(trimmedStart, keptEnd);
      map.append(trimmedStart, keptEnd - trimmedStart);
      let end = keptEnd;
      let consumedEnd = line.next;
      while (continued !== undefined) {
        const next = this.lines.scan();
        if (!next) break;
        consumedEnd = next.next;
        if (!this.checkLength(next)) continue;
        this.parserDirective(next.start, next.contentEnd);
        const firstVisible = next.start + leadingSpaceLength(this.text, next.start, next.contentEnd);
        if (this.isComment(firstVisible, next.contentEnd)) {
          this.addComment(firstVisible, next.contentEnd);
          continue;
        }
        if (firstVisible === next.contentEnd) continue;
        continued = this.continuationAt(next.start, next.contentEnd);
        keptEnd = continued ?? next.contentEnd;
        text += this.text.slice(next.start, keptEnd);
        map.append(next.start, keptEnd - next.start);
        end = continued === undefined ? next.contentEnd : keptEnd;
      }
      const node = this.nodeFromLine({ text, map });
      const heredocs = this.readHeredocs(node);
      if (heredocs.length > 0) {
        const last = heredocs[heredocs.length - 1]!;
        end = last.terminatorEnd;
        consumedEnd = this.lines.position;
      }
      const instruction: DockerfileInstruction = {
        ...node,
        start: node.keywordStart,
        end: Math.max(end, node.keywordEnd),
        consumedEnd,
        heredocs: heredocs.map((heredoc) => heredoc.heredoc),
      };
      this.instructions.push(instruction);
      for (const error of [node.error, node.trigger?.error, ...heredocs.map((heredoc) => heredoc.error)]) {
        if (error) this.errors.push({ message: error, start: instruction.start, end: instruction.end });
      }
    }
    if (this.instructions.length === 0) {
      this.errors.push({ message: 'file with no instructions', start: this.text.length, end: this.text.length });
    }
    return { instructions: this.instructions, comments: this.comments, directives: this.directives, escapeToken: this.escape, errors: this.errors };
  }

  private checkLength(line: PhysicalLine): boolean {
    if (line.contentEnd - line.start <= MAX_LINE_BYTES / 3) return true;
    if (utf8Length(this.text, line.start, line.contentEnd) <= MAX_LINE_BYTES) return true;
    this.errors.push({ message: `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES}`, start: line.start, end: line.contentEnd });
    return false;
  }

  private isComment(firstVisible: number, end: number): boolean {
    return firstVisible < end && this.text[firstVisible] === '#';
  }

  private addComment(hash: number, end: number): void {
    if (this.directives.some((directive) => directive.start === hash)) return;
    this.comments.push({ text: this.text.slice(hash + 1, end).trim(), start: hash, end });
  }

  /** DirectiveParser.ParseLine: only at the top of the file, each directive once, the first other line ends them. */
  private parserDirective(start: number, end: number): void {
    if (this.directivesDone) return;
    if (this.text[start] !== '#') {
      this.directivesDone = true;
      return;
    }
    const afterHash = start + 1 + leadingSpaceLength(this.text, start + 1, end);
    const match = DIRECTIVE.exec(this.text.slice(afterHash, end));
    const name = match?.[1]?.toLowerCase();
    if (!match || !name || !VALID_DIRECTIVES.has(name)) {
      this.directivesDone = true;
      return;
    }
    if (this.seenDirectives.has(name)) {
      this.errors.push({ message: `only one ${name} parser directive can be used`, start, end });
      return;
    }
    this.seenDirectives.add(name);
    const value = match[2]!;
    this.directives.push({ name, value, start, end });
    if (name === 'escape') {
      if (value === '`' || value === '\\') this.escape = value;
      else this.errors.push({ message: `invalid escape token '${value}' does not match \` or \\`, start, end });
    }
  }

  /**
   * The lineContinuationRegex: the escape token as the last character before trailing blanks, not itself escaped.
   * Returns the offset where the kept text ends (the escape token's offset), or undefined when the line does not
   * continue.
   */
  private continuationAt(start: number, end: number): number | undefined {
    let last = end;
    while (last > start && (this.text[last - 1] === ' ' || this.text[last - 1] === '\t')) last--;
    const escapeAt = last - 1;
    if (escapeAt < start || this.text[escapeAt] !== this.escape) return undefined;
    if (escapeAt === start) return escapeAt;
    return this.text[escapeAt - 1] === this.escape ? undefined : escapeAt;
  }

  /** newNodeFromLine: splitCommand, then the dispatch function for the keyword. Offsets are in the file. */
  private nodeFromLine(line: MappedText): Omit<DockerfileInstruction, 'start' | 'end' | 'consumedEnd' | 'heredocs'> {
    const text = line.text;
    const [trimmedStart, trimmedEnd] = trimSpaceBounds(text, 0, text.length);
    const whitespace = WHITESPACE_RUN.exec(text.slice(trimmedStart, trimmedEnd));
    const keywordEnd = whitespace ? trimmedStart + whitespace.index : trimmedEnd;
    const keyword = text.slice(trimmedStart, keywordEnd);
    let flags: DockerfileArgument[] = [];
    let restStart = trimmedEnd;
    if (whitespace) {
      const extracted = extractBuilderFlags(text, keywordEnd + whitespace[0].length, trimmedEnd, this.escape);
      flags = extracted.flags.map((flag) => this.toFile(line, flag));
      restStart = extracted.restStart;
    }
    const [argsStart, argsEnd] = trimSpaceBounds(text, restStart, trimmedEnd);
    const base = {
      keyword,
      keywordStart: line.map.toFile(trimmedStart),
      keywordEnd: line.map.endToFile(keywordEnd),
      line,
      flags,
      argumentsStart: argsStart,
    };
    let result: DispatchResult;
    try {
      result = this.dispatch(keyword.toLowerCase(), line, argsStart, argsEnd);
    } catch (error) {
      if (!(error instanceof DockerfileSyntaxError)) throw error;
      return { ...base, args: [], json: false, error: error.message };
    }
    return {
      ...base,
      args: result.args.map((arg) => this.toFile(line, arg)),
      pairs: result.pairs?.map((pair) => ({ key: this.toFile(line, pair.key), value: this.toFile(line, pair.value), separator: pair.separator })),
      json: result.json,
      trigger: result.trigger,
      error: result.trigger?.error,
    };
  }

  private toFile(line: MappedText, span: Span): DockerfileArgument {
    return { value: span.value, start: line.map.toFile(span.start), end: line.map.endToFile(span.end) };
  }

  private dispatch(keyword: string, line: MappedText, start: number, end: number): DispatchResult {
    const text = line.text;
    const rest = text.slice(start, end);
    switch (keyword) {
      case 'add':
      case 'copy':
      case 'volume':
        return parseMaybeJsonToList(text, start, end);
      case 'arg':
        return { args: parseWords(text, start, end, this.escape), json: false };
      case 'cmd':
      case 'entrypoint':
      case 'run':
      case 'shell':
        return parseMaybeJson(text, start, end);
      case 'env':
      case 'label':
        return parseNameValue(text, start, end, keyword === 'env' ? 'ENV' : 'LABEL', this.escape);
      case 'expose':
      case 'from':
        return { args: whitespaceDelimited(text, start, end), json: false };
      case 'healthcheck':
        return parseHealthConfig(text, start, end);
      case 'maintainer':
      case 'stopsignal':
      case 'user':
      case 'workdir':
        return { args: rest === '' ? [] : [{ value: rest, start, end }], json: false };
      case 'onbuild': {
        if (rest === '') return { args: [], json: false };
        const trigger = this.nodeFromLine({ text: rest, map: line.map.sliceFrom(start) });
        return { args: [], json: false, trigger: { ...trigger, start: trigger.keywordStart, end: line.map.endToFile(end), consumedEnd: line.map.endToFile(end), heredocs: [] } };
      }
      default:
        return { args: [], json: false };
    }
  }

  /** Reads the heredoc bodies of an instruction that can have them (RUN, COPY, ADD, also as ONBUILD trigger). */
  private readHeredocs(node: ReturnType<DockerfileParser['nodeFromLine']>): { heredoc: DockerfileHeredoc; terminatorEnd: number; error?: string }[] {
    const target = node.keyword.toLowerCase() === 'onbuild' && node.trigger ? node.trigger : node;
    if (!HEREDOC_KEYWORDS.has(target.keyword.toLowerCase()) || target.json || node.error) return [];
    if (!node.line.text.includes('<<')) return [];
    let markers: HeredocMarker[];
    try {
      markers = heredocsFromLine(node.line.text);
    } catch (error) {
      if (!(error instanceof DockerfileSyntaxError)) throw error;
      return [{ heredoc: emptyHeredoc(this.lines.position), terminatorEnd: node.keywordEnd, error: error.message }];
    }
    const read: { heredoc: DockerfileHeredoc; terminatorEnd: number; error?: string }[] = [];
    for (const marker of markers) {
      const contentStart = this.lines.position;
      let contentEnd = this.text.length;
      let terminatorEnd = this.text.length;
      let terminated = false;
      for (let line = this.lines.scan(); line; line = this.lines.scan()) {
        let candidateStart = line.start;
        if (marker.chomp) while (candidateStart < line.contentEnd && this.text[candidateStart] === '\t') candidateStart++;
        if (this.text.slice(candidateStart, line.contentEnd) === marker.name) {
          contentEnd = line.start;
          terminatorEnd = line.contentEnd;
          terminated = true;
          break;
        }
      }
      const heredoc: DockerfileHeredoc = { ...marker, content: this.text.slice(contentStart, contentEnd), contentStart, contentEnd, terminated };
      read.push({ heredoc, terminatorEnd, error: terminated ? undefined : 'unterminated heredoc' });
    }
    return read;
  }
}

function emptyHeredoc(at: number): DockerfileHeredoc {
  return { name: '', fileDescriptor: 0, expand: true, chomp: false, content: '', contentStart: at, contentEnd: at, terminated: false };
}

/** An error BuildKit's parser reports for an instruction. */
class DockerfileSyntaxError extends Error {}

interface Span {
  readonly value: string;
  /** Offsets in the logical line. */
  readonly start: number;
  readonly end: number;
}

interface DispatchResult {
  readonly args: readonly Span[];
  readonly pairs?: readonly { readonly key: Span; readonly value: Span; readonly separator: string }[];
  readonly json: boolean;
  readonly trigger?: DockerfileInstruction;
}

/** extractBuilderFlags: leading `--name[=value]` words (quotes removed); a bare `--` ends them and is dropped. */
function extractBuilderFlags(line: string, from: number, to: number, escape: string): { flags: Span[]; restStart: number } {
  const flags: Span[] = [];
  let pos = from;
  for (;;) {
    while (pos < to && isUnicodeSpace(line.charCodeAt(pos))) pos++;
    if (pos >= to) return { flags, restStart: to };
    if (line[pos] !== '-' || pos + 1 >= to || line[pos + 1] !== '-') return { flags, restStart: pos };
    const word = readWord(line, pos, to, escape, false);
    if (word.value === '--') return { flags, restStart: word.end };
    if (word.quoted || word.value.length > 0) flags.push({ value: word.value, start: pos, end: word.end });
    pos = word.end;
  }
}

/** parseWords: whitespace-separated words; quotes group but are kept; an escape keeps the next character with it. */
export function parseWords(line: string, from: number, to: number, escape: string): Span[] {
  const words: Span[] = [];
  let pos = from;
  while (pos < to) {
    while (pos < to && isUnicodeSpace(line.charCodeAt(pos))) pos++;
    if (pos >= to) break;
    const word = readWord(line, pos, to, escape, true);
    if (word.quoted || word.value.length > 0) words.push({ value: word.value, start: pos, end: word.end });
    pos = word.end;
  }
  return words;
}

/**
 * One word up to an unquoted blank, as BuildKit's parseWords (`keep`: quotes and escapes stay in the word, and the
 * escape means nothing inside single quotes) or extractBuilderFlags (both removed) reads it. An escape as the last
 * character is dropped.
 */
function readWord(line: string, start: number, to: number, escape: string, keep: boolean): { value: string; end: number; quoted: boolean } {
  let value = '';
  let quote: string | undefined;
  let quoted = false;
  let pos = start;
  for (; pos < to; pos++) {
    const ch = line[pos]!;
    if (quote === undefined) {
      if (isUnicodeSpace(ch.charCodeAt(0))) break;
      if (ch === "'" || ch === '"') {
        quote = ch;
        quoted = true;
        if (!keep) continue;
      }
    } else if (ch === quote) {
      quote = undefined;
      if (!keep) continue;
      value += ch;
      continue;
    }
    if (ch === escape && (quote === undefined || !keep || quote !== "'")) {
      if (pos + 1 === to) {
        quote = undefined;
        continue;
      }
      if (keep) value += ch;
      pos++;
    }
    value += line[pos];
  }
  return { value, end: pos, quoted };
}

/** parseStringsWhitespaceDelimited: split on blanks, quotes mean nothing here. */
function whitespaceDelimited(line: string, from: number, to: number): Span[] {
  if (from >= to) return [];
  const spans: Span[] = [];
  const pattern = /[^\t\v\f\r ]+/g;
  const rest = line.slice(from, to);
  for (const match of rest.matchAll(pattern)) spans.push({ value: match[0], start: from + match.index, end: from + match.index + match[0].length });
  // Go's Split keeps the empty field a leading blank would make; the arguments are trimmed, so there is none.
  return spans;
}

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/** parseJSON: undefined when the text is not a JSON array; throws when it is one with non-string elements. */
function parseJson(line: string, from: number, to: number): Span[] | undefined {
  let start = from;
  while (start < to && isUnicodeSpace(line.charCodeAt(start))) start++;
  if (line[start] !== '[') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice(start, to));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (parsed.some((element) => typeof element !== 'string')) throw new DockerfileSyntaxError(NOT_STRING_ARRAY);
  const spans: Span[] = [];
  let depth = 0;
  for (let i = start; i < to && spans.length < parsed.length; i++) {
    const ch = line[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '"' && depth === 1) {
      let j = i + 1;
      while (j < to && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      spans.push({ value: parsed[spans.length] as string, start: i, end: j + 1 });
      i = j;
    }
  }
  return spans;
}

function parseMaybeJson(line: string, from: number, to: number): DispatchResult {
  if (from >= to) return { args: [], json: false };
  const json = parseJson(line, from, to);
  if (json) return { args: json, json: true };
  return { args: [{ value: line.slice(from, to), start: from, end: to }], json: false };
}

function parseMaybeJsonToList(line: string, from: number, to: number): DispatchResult {
  const json = parseJson(line, from, to);
  if (json) return { args: json, json: true };
  return { args: whitespaceDelimited(line, from, to), json: false };
}

/** parseNameVal for ENV and LABEL: `key=value ...`, or the legacy `key the rest of the line`. */
function parseNameValue(line: string, from: number, to: number, keyword: string, escape: string): DispatchResult {
  const words = parseWords(line, from, to, escape);
  if (words.length === 0) return { args: [], json: false };
  const pairs: { key: Span; value: Span; separator: string }[] = [];
  if (!words[0]!.value.includes('=')) {
    const whitespace = WHITESPACE_RUN.exec(line.slice(from, to));
    if (!whitespace) throw new DockerfileSyntaxError(`${keyword} must have two arguments`);
    const keyEnd = from + whitespace.index;
    const valueStart = keyEnd + whitespace[0].length;
    pairs.push({ key: { value: line.slice(from, keyEnd), start: from, end: keyEnd }, value: { value: line.slice(valueStart, to), start: valueStart, end: to }, separator: '' });
  } else {
    for (const word of words) {
      const eq = word.value.indexOf('=');
      if (eq === -1) throw new DockerfileSyntaxError(`Syntax error - can't find = in ${JSON.stringify(word.value)}. Must be of the form: name=value`);
      // A word's value is its text (parseWords drops nothing but a trailing escape), so offsets follow the value.
      pairs.push({
        key: { value: word.value.slice(0, eq), start: word.start, end: word.start + eq },
        value: { value: word.value.slice(eq + 1), start: word.start + eq + 1, end: word.end },
        separator: '=',
      });
    }
  }
  return { args: pairs.flatMap((pair) => [pair.key, pair.value]), pairs, json: false };
}

function parseHealthConfig(line: string, from: number, to: number): DispatchResult {
  let separator = from;
  while (separator < to && !isUnicodeSpace(line.charCodeAt(separator))) separator++;
  let next = separator;
  while (next < to && isUnicodeSpace(line.charCodeAt(next))) next++;
  if (separator === from) return { args: [], json: false };
  const type: Span = { value: line.slice(from, separator), start: from, end: separator };
  const command = parseMaybeJson(line, next, to);
  return { args: [type, ...command.args], json: command.json };
}

interface HeredocMarker {
  readonly name: string;
  readonly fileDescriptor: number;
  readonly expand: boolean;
  readonly chomp: boolean;
}

/**
 * heredocsFromLine: BuildKit splits the whole logical line with its shell lexer (quotes kept, so `"<<EOF"` is one word
 * that does not start with `<<`) and takes each word that reads as a heredoc marker. A line the lexer refuses (an
 * unterminated quote) has none.
 */
function heredocsFromLine(line: string): HeredocMarker[] {
  let words: string[];
  try {
    words = processWords(line, undefined, { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  } catch (error) {
    if (error instanceof WordSyntaxError) return [];
    throw error;
  }
  const markers: HeredocMarker[] = [];
  for (const word of words) {
    const marker = parseHeredocMarker(word);
    if (marker) markers.push(marker);
  }
  return markers;
}

/** ParseHeredoc: `<<EOF`, `<<-EOF`, `3<<EOF`, `<< EOF`, `<<'EOF'`, `<<E"OF"`; throws for `<<'EOF` and the like. */
export function parseHeredocMarker(word: string): HeredocMarker | undefined {
  const match = HEREDOC_WORD.exec(word);
  if (!match) return undefined;
  const rest = match[3]!;
  if (rest === '') return undefined;
  let words: string[];
  let rawWords: string[];
  try {
    words = processWords(rest, undefined, { skipUnsetEnv: true });
    if (words.length !== 1) return undefined;
    rawWords = processWords(rest, undefined, { skipUnsetEnv: true, rawQuotes: true });
  } catch (error) {
    if (error instanceof WordSyntaxError) throw new DockerfileSyntaxError(error.message);
    throw error;
  }
  if (rawWords.length !== words.length) throw new DockerfileSyntaxError(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  const name = words[0]!;
  const quotes = (text: string): number => text.split(/['"]/).length - 1;
  return { name, fileDescriptor: Number(match[1] || '0'), expand: quotes(name) === quotes(rawWords[0]!), chomp: match[2] === '-' };
}
