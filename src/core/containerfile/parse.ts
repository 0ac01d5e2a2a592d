import { DockerfileParser, Instruction as AstInstruction, type Dockerfile } from 'dockerfile-ast';
import { Parser as AstParser } from 'dockerfile-ast/lib/parser';
import { LineIndex, type Range } from '../text';
import type {
  Comment, ContainerfileModel, CopyInstruction, Flag, FromInstruction, HeredocText, ImageReferenceText, Instruction,
  OtherInstruction, RunInstruction, ShellCommandInFile, Stage, VariableDefinition, VariableInstruction, VariableScope, Word,
} from './model';
import { parseSimpleShell, type ShellCommand, type ShellParser, type ShellScript } from './shell';
import { expandVariables, type VariableLookup } from './variables';

export interface ParseResult {
  readonly model: ContainerfileModel;
  /** Some RUN body needs the full shell parser, which was not supplied; parse again once it is loaded. */
  readonly needsFullShellParser: boolean;
}

/**
 * Builds the model. `fullShellParser` (tree-sitter) is only needed for RUN bodies the fast lexer refuses; without it
 * those bodies yield no commands and `needsFullShellParser` is set. Never throws: a dockerfile-ast failure gives an
 * empty model with `parseError`.
 */
export function parseContainerfile(text: string, fullShellParser?: ShellParser): ParseResult {
  const lines = new LineIndex(text);
  let dockerfile: Dockerfile;
  try {
    dockerfile = parseWithPlainInstructions(text);
  } catch (error) {
    return { model: emptyModel(text, lines, `dockerfile-ast could not parse the file: ${String(error)}`), needsFullShellParser: false };
  }
  try {
    const builder = new ModelBuilder(text, lines, dockerfile, fullShellParser);
    return { model: builder.build(), needsFullShellParser: builder.needsFullShellParser };
  } catch (error) {
    return { model: emptyModel(text, lines, `could not read the parsed file: ${String(error)}`), needsFullShellParser: false };
  }
}

/**
 * dockerfile-ast builds RUN, COPY, ADD, CMD, ENTRYPOINT, SHELL, VOLUME and HEALTHCHECK as JSONInstructions, whose
 * constructor re-scans the arguments several times; on large files that is most of the parse. We read arguments
 * ourselves and only need keywords, ranges, comments and stages, so for the duration of our own parse its factory
 * hands out plain Instructions for those keywords. FROM, ARG, ONBUILD and the rest keep their classes (stages and
 * ONBUILD triggers depend on them). Other users of dockerfile-ast in the same process are unaffected.
 */
const PLAIN_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'HEALTHCHECK']);

type InstructionFactory = (document: unknown, dockerfile: unknown, escapeChar: string, lineRange: unknown, instruction: string, instructionRange: unknown) => unknown;

/**
 * How often the fast path above was taken, and how often dockerfile-ast was parsed without it (its factory missing,
 * or never called: the internals we patch changed). package.json pins the exact dockerfile-ast version this was
 * written against, and a test fails when `fallbacks` moves.
 */
export interface FastPathCounters {
  readonly parses: number;
  readonly fallbacks: number;
  readonly plainInstructions: number;
}

const counters = { parses: 0, fallbacks: 0, plainInstructions: 0 };

export function fastPathCounters(): FastPathCounters {
  return { ...counters };
}

function parseWithPlainInstructions(text: string): Dockerfile {
  counters.parses++;
  const parser = AstParser as unknown as { createInstruction?: InstructionFactory };
  const original = parser.createInstruction;
  if (typeof original !== 'function') {
    counters.fallbacks++;
    return DockerfileParser.parse(text);
  }
  const PlainInstruction = AstInstruction as unknown as new (...args: unknown[]) => unknown;
  let made = 0;
  parser.createInstruction = (document, dockerfile, escapeChar, lineRange, instruction, instructionRange) => {
    if (!PLAIN_KEYWORDS.has(instruction.toUpperCase())) return original(document, dockerfile, escapeChar, lineRange, instruction, instructionRange);
    made++;
    return new PlainInstruction(document, lineRange, dockerfile, escapeChar, instruction, instructionRange);
  };
  let dockerfile: Dockerfile;
  try {
    dockerfile = DockerfileParser.parse(text);
  } finally {
    parser.createInstruction = original;
  }
  counters.plainInstructions += made;
  if (made === 0 && dockerfile.getInstructions().some((instruction) => PLAIN_KEYWORDS.has(instruction.getKeyword().toUpperCase()))) counters.fallbacks++;
  return dockerfile;
}

function emptyModel(text: string, lines: LineIndex, parseError: string): ContainerfileModel {
  return { text, lines, escapeCharacter: '\\', instructions: [], stages: [], comments: [], globalArgs: new Map(), parseError };
}

/** Maps offsets in a derived text (a joined RUN body) back to offsets in the file. */
class OffsetMap {
  private readonly derivedStarts: number[] = [];
  private readonly fileStarts: number[] = [];
  private length = 0;

  /** Appends `count` characters of the derived text that come from the file at `fileOffset`. */
  append(fileOffset: number, count: number): void {
    if (count <= 0) return;
    const last = this.derivedStarts.length - 1;
    if (last >= 0 && this.fileStarts[last]! + (this.length - this.derivedStarts[last]!) === fileOffset) {
      this.length += count;
      return;
    }
    this.derivedStarts.push(this.length);
    this.fileStarts.push(fileOffset);
    this.length += count;
  }

  toFile(derivedOffset: number): number {
    const starts = this.derivedStarts;
    if (starts.length === 0) return 0;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= derivedOffset) low = mid;
      else high = mid - 1;
    }
    return this.fileStarts[low]! + (derivedOffset - starts[low]!);
  }

  /** The derived offset of a file offset (the first derived character at or after it). */
  fromFile(fileOffset: number): number {
    const files = this.fileStarts;
    for (let index = 0; index < files.length; index++) {
      const segmentEnd = files[index]! + ((this.derivedStarts[index + 1] ?? this.length) - this.derivedStarts[index]!);
      if (fileOffset < segmentEnd) return this.derivedStarts[index]! + Math.max(0, fileOffset - files[index]!);
    }
    return this.length;
  }

  /** The map of the derived text from `derivedFrom` on, renumbered from 0. */
  sliceFrom(derivedFrom: number): OffsetMap {
    const sliced = new OffsetMap();
    for (let index = 0; index < this.derivedStarts.length; index++) {
      const start = this.derivedStarts[index]!;
      const end = this.derivedStarts[index + 1] ?? this.length;
      if (end <= derivedFrom) continue;
      const skip = Math.max(0, derivedFrom - start);
      sliced.append(this.fileStarts[index]! + skip, end - start - skip);
    }
    return sliced;
  }

  /** For an exclusive end offset: map the last character, then step past it. */
  endToFile(derivedEnd: number): number {
    return derivedEnd <= 0 ? this.toFile(0) : this.toFile(derivedEnd - 1) + 1;
  }
}

interface ShellSource {
  readonly text: string;
  readonly map: OffsetMap;
}

interface HeredocSpan {
  readonly name: string;
  readonly contentStart: number;
  readonly contentEnd: number;
  /** Offset after the delimiter line (or the end of the file when unterminated). */
  readonly end: number;
}

/** One instruction's text as the builder reads it, before interpretation per keyword. */
interface RawInstruction {
  /** The logical first line (continuations joined) after the keyword, with its map back to the file. */
  readonly line: ShellSource;
  readonly words: readonly Word[];
  readonly heredocs: readonly HeredocSpan[];
  /** Where the instruction ends in the file, heredoc bodies included. */
  readonly end: number;
}

const KEYWORDS_WITH_FLAGS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const KEYWORDS_WITH_HEREDOCS = new Set(['RUN', 'COPY', 'ADD']);
/** Instructions whose arguments BuildKit expands with ARG/ENV values before using them (COPY and ADD too). */
const EXPANDED_KEYWORDS = new Set(['EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
/** `<<EOF`, `<<-EOF`, `<<"EOF"`, `<< 'EOF'` (dockerfile-ast misses the last form, its issue #120; the builder accepts it). */
const HEREDOC_MARKER = /(?<![<\w])<<(-?)[ \t]*(["']?)([A-Za-z0-9_.\-]+)\2/g;

/**
 * Reads dockerfile-ast's instruction list (keywords, ranges, comments, escape directive) and does the rest itself:
 * dockerfile-ast's per-instruction accessors re-scan the instruction text on every call and dominate the cost of a
 * large file, while one linear pass here gives the same words, flags and heredocs with exact offsets.
 */
class ModelBuilder {
  needsFullShellParser = false;
  private readonly escape: string;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly dockerfile: Dockerfile,
    private readonly fullShellParser: ShellParser | undefined,
  ) {
    this.escape = dockerfile.getEscapeCharacter() || '\\';
  }

  build(): ContainerfileModel {
    const globalArgs = new Map<string, string | undefined>();
    const instructions: Instruction[] = [];
    const stages: { index: number; from: FromInstruction; instructions: Instruction[] }[] = [];
    const stageNames = new Map<string, number>();
    /** The ARG/ENV values at the end of each stage, inherited by a stage built FROM it. */
    const stageScopes: VariableScope[] = [];
    let scope: VariableScope = new Map();
    let consumedUntil = 0;

    for (const astInstruction of this.dockerfile.getInstructions()) {
      const astRange = astInstruction.getRange();
      const start = this.lines.offsetAt(astRange.start);
      // Lines that dockerfile-ast took for instructions but that belong to a heredoc body we read ourselves.
      if (start < consumedUntil) continue;
      const keyword = astInstruction.getKeyword().toUpperCase();
      const keywordRange = astInstruction.getInstructionRange();
      const raw = this.readInstruction(keyword, this.lines.offsetAt(keywordRange.end), this.lines.offsetAt(astRange.end));
      consumedUntil = raw.end;
      const inStage = stages.length > 0;
      const base = { keyword, range: this.lines.rangeOf(start, raw.end), keywordRange, stageIndex: stages.length - 1, variables: inStage ? scope : new Map(globalArgs) as VariableScope };

      if (keyword === 'FROM') {
        if (inStage) stageScopes[stages.length - 1] = scope;
        const from = this.fromInstruction({ ...base, variables: new Map(globalArgs) }, raw, stages.length, globalArgs, stageNames);
        if (from.stageName !== undefined && !stageNames.has(from.stageName)) stageNames.set(from.stageName, stages.length);
        stages.push({ index: stages.length, from, instructions: [] });
        instructions.push(from);
        scope = from.baseStageIndex !== undefined ? stageScopes[from.baseStageIndex] ?? new Map() : new Map();
        continue;
      }
      let instruction: Instruction;
      if (keyword === 'ARG') {
        const lookup = inStage ? stageLookup(scope) : globalLookup(globalArgs);
        const definitions = this.argDefinitions(raw.words, lookup, inStage ? globalArgs : undefined);
        if (inStage) scope = withDefinitions(scope, definitions);
        else for (const definition of definitions) globalArgs.set(definition.name, definition.value);
        instruction = { ...base, keyword: 'ARG', args: raw.words, definitions } satisfies VariableInstruction;
      } else if (keyword === 'ENV') {
        const definitions = this.envDefinitions(raw, stageLookup(scope));
        if (inStage) scope = withDefinitions(scope, definitions);
        instruction = { ...base, keyword: 'ENV', args: raw.words, definitions } satisfies VariableInstruction;
      } else {
        instruction = this.instruction(base, raw);
      }
      instructions.push(instruction);
      stages[stages.length - 1]?.instructions.push(instruction);
    }

    return {
      text: this.text,
      lines: this.lines,
      escapeCharacter: this.escape,
      instructions,
      stages: stages as Stage[],
      comments: this.comments(),
      globalArgs,
    };
  }

  /**
   * `ARG NAME=default` values, expanded with the ARGs before them. A bare `ARG NAME` inside a stage takes the global
   * ARG's value when there is one (BuildKit's rule for re-declaring a global ARG); otherwise its value is unknown.
   */
  private argDefinitions(words: readonly Word[], lookup: VariableLookup, globalArgs: ReadonlyMap<string, string | undefined> | undefined): VariableDefinition[] {
    const definitions: VariableDefinition[] = [];
    let current = lookup;
    for (const word of words) {
      const eq = word.raw.indexOf('=');
      const name = eq === -1 ? word.raw : word.raw.slice(0, eq);
      if (name === '') continue;
      let value: string | undefined;
      let rawValue: string | undefined;
      if (eq === -1) {
        const previous = current(name);
        value = globalArgs ? globalArgs.get(name) : previous?.value;
      } else {
        rawValue = word.raw.slice(eq + 1);
        value = expandVariables(rawValue, current, this.escape).value;
      }
      definitions.push({ name, value, rawValue, range: word.range });
      const outer = current;
      current = (lookupName) => lookupName === name ? { value } : outer(lookupName);
    }
    return definitions;
  }

  /** `ENV a=1 b=$a` (all values expanded with the values before the instruction) or legacy `ENV NAME the rest`. */
  private envDefinitions(raw: RawInstruction, lookup: VariableLookup): VariableDefinition[] {
    const [first] = raw.words;
    if (!first) return [];
    if (!first.raw.includes('=')) {
      const firstEnd = raw.line.map.fromFile(this.lines.offsetAt(first.range.end));
      const rest = raw.line.text.slice(firstEnd).replace(/^[\t\v\f\r ]+/, '').replace(/[\t\v\f\r\n ]+$/, '');
      if (rest === '') return [];
      return [{ name: first.raw, value: expandVariables(rest, lookup, this.escape).value, rawValue: rest, range: first.range }];
    }
    const definitions: VariableDefinition[] = [];
    for (const word of raw.words) {
      const eq = word.raw.indexOf('=');
      if (eq <= 0) continue;
      const rawValue = word.raw.slice(eq + 1);
      definitions.push({ name: word.raw.slice(0, eq), value: expandVariables(rawValue, lookup, this.escape).value, rawValue, range: word.range });
    }
    return definitions;
  }

  /**
   * dockerfile-ast reports `# key=value` lines at the top of the file as parser directives even when the key is not
   * one (e.g. `# rhcos-layering ignore=x`); only syntax, escape and check are, so the others are comments here.
   */
  private comments(): Comment[] {
    const comments: Comment[] = [];
    for (const directive of this.dockerfile.getDirectives()) {
      if (/^(?:syntax|escape|check)$/i.test(directive.getName())) continue;
      const line = directive.getRange().start.line;
      const text = this.lines.lineText(line);
      const hash = text.indexOf('#');
      comments.push({ text: text.slice(hash + 1).trim(), range: this.lines.rangeOf(this.lines.offsetAt({ line, character: hash }), this.lines.lineEnd(line)) });
    }
    for (const comment of this.dockerfile.getComments()) comments.push({ text: comment.getContent().trim(), range: comment.getRange() });
    return comments;
  }

  private readInstruction(keyword: string, bodyStart: number, astEnd: number): RawInstruction {
    const lineEnd = this.logicalLineEnd(bodyStart, astEnd);
    const line = this.joinedSource(bodyStart, lineEnd);
    const words = this.words(line);
    const heredocs = KEYWORDS_WITH_HEREDOCS.has(keyword) && line.text.includes('<<') ? this.heredocSpans(line.text, lineEnd) : [];
    const end = heredocs.length > 0 ? Math.max(astEnd, heredocs[heredocs.length - 1]!.end) : Math.max(astEnd, lineEnd);
    return { line, words, heredocs, end: trimTrailingNewline(this.text, end) };
  }

  /** The end of the instruction's first logical line: the first newline not preceded by a continuation. */
  private logicalLineEnd(start: number, limit: number): number {
    let i = start;
    while (i < limit) {
      const next = this.skipContinuation(i, limit);
      if (next !== i) {
        i = next;
        continue;
      }
      if (this.text[i] === '\n') return i;
      i++;
    }
    return limit;
  }

  private heredocSpans(line: string, lineEnd: number): HeredocSpan[] {
    const spans: HeredocSpan[] = [];
    let cursor = lineEnd + 1;
    for (const match of line.matchAll(HEREDOC_MARKER)) {
      const stripTabs = match[1] === '-';
      const name = match[3]!;
      const contentStart = Math.min(cursor, this.text.length);
      let lineStart = contentStart;
      let contentEnd = this.text.length;
      let end = this.text.length;
      while (lineStart < this.text.length) {
        const newline = this.text.indexOf('\n', lineStart);
        const lineStop = newline === -1 ? this.text.length : newline;
        let candidate = this.text.slice(lineStart, lineStop).replace(/\r$/, '');
        if (stripTabs) candidate = candidate.replace(/^\t+/, '');
        if (candidate === name) {
          contentEnd = lineStart;
          end = newline === -1 ? this.text.length : newline + 1;
          break;
        }
        lineStart = newline === -1 ? this.text.length : newline + 1;
      }
      spans.push({ name, contentStart, contentEnd, end });
      cursor = end;
    }
    return spans;
  }

  /** Splits a joined line into whitespace-separated words; quotes group words but are kept in `raw`. */
  private words(source: ShellSource): Word[] {
    const words: Word[] = [];
    const text = source.text;
    let i = 0;
    while (i < text.length) {
      while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
      if (i >= text.length) break;
      const start = i;
      let quote: string | undefined;
      while (i < text.length) {
        const ch = text[i]!;
        if (quote) {
          if (ch === quote) quote = undefined;
          else if (ch === '\\' && quote === '"') i++;
        } else if (ch === '"' || ch === "'") {
          quote = ch;
        } else if (isWhitespace(ch.charCodeAt(0))) {
          break;
        }
        i++;
      }
      const raw = text.slice(start, i);
      words.push({ raw, value: stripQuotes(raw), range: this.lines.rangeOf(source.map.toFile(start), source.map.endToFile(i)) });
    }
    return words;
  }

  private fromInstruction(
    base: InstructionBaseFields, raw: RawInstruction, stageIndex: number,
    globalArgs: ReadonlyMap<string, string | undefined>, stageNames: ReadonlyMap<string, number>,
  ): FromInstruction {
    const { flags, rest } = splitFlags(raw.words);
    const imageWord = rest[0];
    let image: ImageReferenceText | undefined;
    let baseStageIndex: number | undefined;
    if (imageWord) {
      const expansion = expandVariables(imageWord.raw, globalLookup(globalArgs), this.escape);
      const expanded = expansion.unresolved.length === 0 ? expansion.value : undefined;
      // Shown in messages: variables that stay unknown (or undeclared) appear as written, not as nothing.
      const display = expanded ?? expandVariables(imageWord.raw, (name) => globalLookup(globalArgs)(name) ?? { value: undefined }, this.escape).text;
      image = { raw: imageWord.raw, expanded, display, unresolvedVariables: expansion.unresolved, variables: expansion.used, range: imageWord.range };
      // BuildKit looks the expanded name up among the stages before this one (stage names are lower case).
      if (expanded !== undefined) baseStageIndex = stageNames.get(expanded);
    }
    const nameWord = rest[1]?.raw.toUpperCase() === 'AS' ? rest[2] : undefined;
    return {
      ...base,
      keyword: 'FROM',
      stageIndex,
      image,
      stageName: nameWord?.raw.toLowerCase(),
      stageNameRange: nameWord?.range,
      platform: flags.find((flag) => flag.name === 'platform')?.value,
      baseStageIndex,
    };
  }

  private instruction(base: InstructionBaseFields, raw: RawInstruction): Instruction {
    if (base.keyword === 'RUN') return this.runInstruction(base, raw);
    if (base.keyword === 'COPY' || base.keyword === 'ADD') return this.copyInstruction(base, raw);
    const words = KEYWORDS_WITH_FLAGS.has(base.keyword) ? splitFlags(raw.words).rest : raw.words;
    const expand = EXPANDED_KEYWORDS.has(base.keyword);
    const other: OtherInstruction = { ...base, args: expand ? words.map((word) => this.expandWord(word, base.variables)) : words };
    return other;
  }

  /** The word's value as BuildKit computes it for instructions it expands (COPY, WORKDIR, USER, ...). */
  private expandWord(word: Word, scope: VariableScope): Word {
    return { ...word, value: expandVariables(word.raw, stageLookup(scope), this.escape).value };
  }

  private copyInstruction(base: InstructionBaseFields, raw: RawInstruction): CopyInstruction {
    const { flags, rest } = splitFlags(raw.words);
    const afterFlags = rest[0] ? this.lines.offsetAt(rest[0].range.start) : undefined;
    const json = afterFlags !== undefined && this.text[afterFlags] === '[' ? this.jsonWords(afterFlags, raw.end) : undefined;
    const paths = json
      ? json.map((word) => ({ ...word, value: word.value === undefined ? undefined : expandVariables(word.value, stageLookup(base.variables), this.escape).value }))
      : rest.filter((word) => !word.raw.startsWith("<<")).map((word) => this.expandWord(word, base.variables));
    const expandedFlags = flags.map((flag) => flag.value === undefined ? flag : { ...flag, value: expandVariables(flag.value, stageLookup(base.variables), this.escape).value });
    return {
      ...base,
      keyword: base.keyword === 'ADD' ? 'ADD' : 'COPY',
      flags: expandedFlags,
      from: expandedFlags.find((flag) => flag.name === 'from')?.value,
      sources: paths.slice(0, -1),
      destination: paths[paths.length - 1],
      heredocs: raw.heredocs.map((span) => this.heredocText(span)),
    };
  }

  private heredocText(span: HeredocSpan): HeredocText {
    return {
      name: span.name,
      content: this.text.slice(span.contentStart, span.contentEnd),
      contentRange: span.contentEnd >= span.contentStart ? this.lines.rangeOf(span.contentStart, span.contentEnd) : undefined,
    };
  }

  private jsonWords(start: number, end: number): Word[] | undefined {
    return scanJsonStringArray(this.text, start, end)
      ?.map((s) => ({ raw: this.text.slice(s.start, s.end), value: s.value, range: this.lines.rangeOf(s.start, s.end) }));
  }

  private runInstruction(base: InstructionBaseFields, raw: RawInstruction): RunInstruction {
    const { flags, rest } = splitFlags(raw.words);
    const mounts = flags.filter((flag) => flag.name === 'mount').map((flag) => parseMount(flag.value ?? ''));
    const commands: ShellCommandInFile[] = [];
    let hasShellSyntaxError = false;
    let form: RunInstruction['form'] = 'shell';
    const firstWord = rest[0];
    const addScript = (source: ShellSource): void => {
      const script = this.parseShell(source.text);
      if (!script) return;
      hasShellSyntaxError ||= script.hasSyntaxError;
      for (const command of script.commands) this.addCommand(command, source, commands, 0);
    };

    if (firstWord) {
      const bodyStart = this.lines.offsetAt(firstWord.range.start);
      const strings = this.text[bodyStart] === '[' ? scanJsonStringArray(this.text, bodyStart, raw.end) : undefined;
      if (strings && strings.length > 0) {
        form = 'exec';
        this.addExecForm(strings, commands);
      } else if (raw.heredocs.length > 0 && firstWord.raw.startsWith('<<')) {
        form = 'heredoc';
        for (const span of raw.heredocs) {
          const map = new OffsetMap();
          map.append(span.contentStart, span.contentEnd - span.contentStart);
          addScript({ text: this.text.slice(span.contentStart, span.contentEnd), map });
        }
      } else {
        addScript(this.shellBody(raw, firstWord));
      }
    }
    return { ...base, keyword: 'RUN', flags, mounts, commands, form, hasShellSyntaxError };
  }

  /** The shell text of a RUN: the joined first line from the first non-flag word, then any heredoc bodies verbatim. */
  private shellBody(raw: RawInstruction, firstWord: Word): ShellSource {
    const derivedStart = raw.line.map.fromFile(this.lines.offsetAt(firstWord.range.start));
    const map = raw.line.map.sliceFrom(derivedStart);
    let text = raw.line.text.slice(derivedStart);
    if (raw.heredocs.length > 0) {
      const lineEnd = raw.heredocs[0]!.contentStart - 1;
      const rest = this.text.slice(lineEnd, raw.end);
      text += rest;
      map.append(lineEnd, rest.length);
    }
    return { text, map };
  }

  private parseShell(source: string): ShellScript | undefined {
    const simple = parseSimpleShell(source);
    if (simple) return simple;
    if (this.fullShellParser) return this.fullShellParser.parse(source);
    this.needsFullShellParser = true;
    return undefined;
  }

  /** `sh -c '...'` and `bash -c "..."`: the string is a script too. Depth-limited against pathological nesting. */
  private addCommand(command: ShellCommand, source: ShellSource, into: ShellCommandInFile[], depth: number): void {
    const inFile = this.commandInFile(command, source.map);
    into.push(inFile);
    if (depth > 2 || !/^(?:ba|da|z)?sh$/.test(inFile.name)) return;
    const flagIndex = command.args.findIndex((arg) => arg.value !== undefined && /^-[a-z]*c[a-z]*$/.test(arg.value));
    const script = flagIndex >= 0 ? command.args[flagIndex + 1] : undefined;
    if (!script || script.value === undefined) return;
    const quote = script.raw[0];
    // Only a string whose value is its raw text minus the quotes maps back to exact positions.
    if ((quote === "'" || quote === '"') && script.raw.slice(1, -1) === script.value) {
      const map = new OffsetMap();
      map.append(source.map.toFile(script.start + 1), script.value.length);
      const nested = this.parseShell(script.value);
      for (const nestedCommand of nested?.commands ?? []) this.addCommand(nestedCommand, { text: script.value, map }, into, depth + 1);
    }
  }

  private addExecForm(strings: JsonString[], into: ShellCommandInFile[]): void {
    const words: Word[] = strings.map((s) => ({ raw: this.text.slice(s.start, s.end), value: s.value, range: this.lines.rangeOf(s.start, s.end) }));
    const [nameWord, ...args] = words;
    if (!nameWord) return;
    const name = commandBaseName(nameWord.value);
    into.push({ name, nameWord, args, assignments: [], redirects: [], range: this.lines.rangeOf(strings[0]!.start, strings[strings.length - 1]!.end) });
    const script = strings[2];
    if (/^(?:ba|da)?sh$/.test(name) && strings[1]?.value === '-c' && script) {
      const map = new OffsetMap();
      map.append(script.start + 1, script.value.length);
      const parsed = this.parseShell(script.value);
      for (const command of parsed?.commands ?? []) into.push(this.commandInFile(command, map));
    }
  }

  private commandInFile(command: ShellCommand, map: OffsetMap): ShellCommandInFile {
    const toWord = (word: ShellCommand['name']): Word => ({
      raw: word.raw,
      value: word.value,
      range: this.lines.rangeOf(map.toFile(word.start), map.endToFile(word.end)),
    });
    return {
      name: commandBaseName(command.name.value),
      nameWord: toWord(command.name),
      args: command.args.map(toWord),
      assignments: command.assignments,
      redirects: command.redirects.map((redirect) => ({ operator: redirect.operator, target: redirect.target && toWord(redirect.target) })),
      range: this.lines.rangeOf(map.toFile(command.start), map.endToFile(command.end)),
    };
  }

  /**
   * Text from `start` to `end` as the builder sees it: line continuations (escape character + newline) removed, and
   * the comment and blank lines inside a continuation dropped.
   */
  private joinedSource(start: number, end: number): ShellSource {
    const map = new OffsetMap();
    let text = '';
    let runStart = start;
    let i = start;
    while (i < end) {
      const next = this.skipContinuation(i, end);
      if (next !== i) {
        text += this.text.slice(runStart, i);
        map.append(runStart, i - runStart);
        i = next;
        runStart = i;
        continue;
      }
      i++;
    }
    text += this.text.slice(runStart, end);
    map.append(runStart, end - runStart);
    return { text, map };
  }

  /**
   * At an escape character that ends its line (trailing blanks allowed), returns the offset after the newline and
   * after any following blank or comment lines; otherwise returns `offset` unchanged.
   */
  private skipContinuation(offset: number, limit: number): number {
    if (this.text[offset] !== this.escape) return offset;
    let i = offset + 1;
    while (i < limit && (this.text[i] === ' ' || this.text[i] === '\t' || this.text[i] === '\r')) i++;
    if (i < limit && this.text[i] !== '\n') return offset;
    if (i >= limit) return limit;
    i++;
    for (;;) {
      let j = i;
      while (j < limit && (this.text[j] === ' ' || this.text[j] === '\t' || this.text[j] === '\r')) j++;
      if (j < limit && this.text[j] === '\n') {
        i = j + 1;
        continue;
      }
      if (j < limit && this.text[j] === '#') {
        const lineEnd = this.text.indexOf('\n', j);
        if (lineEnd === -1 || lineEnd >= limit) return limit;
        i = lineEnd + 1;
        continue;
      }
      return i;
    }
  }
}

type InstructionBaseFields = { keyword: string; range: Range; keywordRange: Range; stageIndex: number; variables: VariableScope };

/**
 * The ARGs BuildKit defines for every build without a declaration (frontend/dockerfile/dockerfile2llb/platform.go):
 * usable in FROM; their values depend on the machine and the --platform, so they are unknown here.
 */
const AUTOMATIC_PLATFORM_ARGS = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDOSVERSION', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETOSVERSION', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE',
]);

/** FROM lines and global ARG defaults see the global ARGs and the automatic platform ARGs; anything else is unset. */
function globalLookup(globalArgs: ReadonlyMap<string, string | undefined>): VariableLookup {
  return (name) => globalArgs.has(name) ? { value: globalArgs.get(name) } : AUTOMATIC_PLATFORM_ARGS.has(name) ? { value: undefined } : undefined;
}

/** Inside a stage a variable not set by ARG or ENV may still come from the base image's environment: unknown. */
function stageLookup(scope: VariableScope): VariableLookup {
  return (name) => ({ value: scope.get(name) });
}

function withDefinitions(scope: VariableScope, definitions: readonly VariableDefinition[]): VariableScope {
  if (definitions.length === 0) return scope;
  const next = new Map(scope);
  for (const definition of definitions) next.set(definition.name, definition.value);
  return next;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

function trimTrailingNewline(text: string, end: number): number {
  let e = end;
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  return e;
}

/** Leading `--name[=value]` words are flags; the rest are arguments. */
function splitFlags(words: readonly Word[]): { flags: Flag[]; rest: Word[] } {
  const flags: Flag[] = [];
  let index = 0;
  for (; index < words.length; index++) {
    const raw = words[index]!.raw;
    if (!raw.startsWith('--')) break;
    const eq = raw.indexOf('=');
    flags.push({
      name: (eq >= 0 ? raw.slice(2, eq) : raw.slice(2)).toLowerCase(),
      value: eq >= 0 ? stripQuotes(raw.slice(eq + 1)) : undefined,
      range: words[index]!.range,
    });
  }
  return { flags, rest: words.slice(index) };
}

function commandBaseName(value: string | undefined): string {
  if (value === undefined) return '';
  const slash = value.lastIndexOf('/');
  return slash >= 0 ? value.slice(slash + 1) : value;
}

function stripQuotes(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

function parseMount(spec: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) map.set(part.trim().toLowerCase(), 'true');
    else map.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return map;
}

interface JsonString {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Reads `["a", "b"]` between start and end, allowing blanks, escaped line breaks and newlines between elements.
 * Returns undefined unless the whole text is such an array (then Docker treats it as shell form).
 */
export function scanJsonStringArray(text: string, start: number, end: number): JsonString[] | undefined {
  let i = start;
  const skipBlank = (): void => {
    while (i < end && /[\s\\]/.test(text[i]!)) i++;
  };
  if (text[i] !== '[') return undefined;
  i++;
  const strings: JsonString[] = [];
  skipBlank();
  if (text[i] === ']') return strings;
  for (;;) {
    skipBlank();
    if (text[i] !== '"') return undefined;
    const stringStart = i;
    i++;
    while (i < end && text[i] !== '"') {
      if (text[i] === '\\') i++;
      if (text[i] === '\n') return undefined;
      i++;
    }
    if (i >= end) return undefined;
    i++;
    let value: string;
    try {
      value = JSON.parse(text.slice(stringStart, i)) as string;
    } catch {
      return undefined;
    }
    strings.push({ value, start: stringStart, end: i });
    skipBlank();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ']') {
      i++;
      skipBlank();
      return i >= end ? strings : undefined;
    }
    return undefined;
  }
}
