import { LineIndex, type Range } from '../text';
import { parseDockerfile, parseHeredocMarker, type DockerfileArgument, type DockerfileHeredoc, type DockerfileInstruction, type DockerfileParse } from './dockerfile';
import type {
  BuildError, Comment, ContainerfileModel, CopyInstruction, Flag, FromInstruction, HeredocText, ImageReferenceText, Instruction,
  OtherInstruction, RunInstruction, ShellCommandInFile, Stage, VariableDefinition, VariableInstruction, VariableScope, Word,
} from './model';
import { OffsetMap } from './offsets';
import { parseSimpleShell, type ShellCommand, type ShellParser, type ShellScript } from './shell';
import { expandVariables, type VariableLookup } from './variables';

export interface ParseResult {
  readonly model: ContainerfileModel;
  /** Some RUN body needs the full shell parser, which was not supplied; parse again once it is loaded. */
  readonly needsFullShellParser: boolean;
}

/**
 * Builds the model from BuildKit's reading of the file (dockerfile.ts). `fullShellParser` (tree-sitter) is only needed
 * for RUN bodies the fast lexer refuses; without it those bodies yield no commands and `needsFullShellParser` is set.
 * Never throws: an internal failure gives an empty model with `parseError`.
 */
export function parseContainerfile(text: string, fullShellParser?: ShellParser): ParseResult {
  const lines = new LineIndex(text);
  try {
    const builder = new ModelBuilder(text, lines, parseDockerfile(text), fullShellParser);
    return { model: builder.build(), needsFullShellParser: builder.needsFullShellParser };
  } catch (error) {
    return { model: emptyModel(text, lines, `could not read the file: ${String(error)}`), needsFullShellParser: false };
  }
}

function emptyModel(text: string, lines: LineIndex, parseError: string): ContainerfileModel {
  return { text, lines, escapeCharacter: '\\', instructions: [], stages: [], comments: [], globalArgs: new Map(), buildErrors: [], fragment: false, parseError };
}

interface ShellSource {
  readonly text: string;
  readonly map: OffsetMap;
}

/** Instructions whose arguments BuildKit expands with ARG/ENV values before using them (COPY and ADD too). */
const EXPANDED_KEYWORDS = new Set(['EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

/** The instructions BuildKit knows (frontend/dockerfile/command/command.go). */
const KNOWN_KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN',
  'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/**
 * Turns BuildKit's reading of the file into the model the rules use: stages, ARG/ENV scopes, flags, words with exact
 * ranges, RUN bodies parsed as shell, COPY/ADD sources and heredocs.
 */
class ModelBuilder {
  needsFullShellParser = false;
  private readonly escape: string;
  private readonly buildErrors: BuildError[] = [];

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly dockerfile: DockerfileParse,
    private readonly fullShellParser: ShellParser | undefined,
  ) {
    this.escape = dockerfile.escapeToken;
  }

  build(): ContainerfileModel {
    const globalArgs = new Map<string, string | undefined>();
    const instructions: Instruction[] = [];
    const stages: { index: number; from: FromInstruction; instructions: Instruction[] }[] = [];
    const stageNames = new Map<string, number>();
    /** The ARG/ENV values at the end of each stage, inherited by a stage built FROM it. */
    const stageScopes: VariableScope[] = [];
    let scope: VariableScope = new Map();
    for (const error of this.dockerfile.errors) this.addError(error.message, error.start, error.end, 'syntax');
    const fragment = this.dockerfile.instructions.length > 0 && !this.dockerfile.instructions.some((i) => i.keyword.toUpperCase() === 'FROM');
    if (fragment) stages.push({ index: 0, from: this.implicitFrom(), instructions: [] });

    for (const parsed of this.dockerfile.instructions) {
      const keyword = parsed.keyword.toUpperCase();
      if (!parsed.error) this.checkInstruction(parsed, keyword);
      if (stages.length === 0 && keyword !== 'ARG' && keyword !== 'FROM' && KNOWN_KEYWORDS.has(keyword)) {
        this.addError(`no build stage in current context: ${parsed.keyword} comes before the first FROM`, parsed.start, parsed.end, 'syntax');
      }
      const inStage = stages.length > 0;
      const base: InstructionBaseFields = {
        keyword,
        range: this.lines.rangeOf(parsed.start, parsed.end),
        keywordRange: this.lines.rangeOf(parsed.keywordStart, parsed.keywordEnd),
        stageIndex: stages.length - 1,
        variables: inStage ? scope : new Map(globalArgs),
      };


      if (keyword === 'FROM') {
        if (inStage) stageScopes[stages.length - 1] = scope;
        const from = this.fromInstruction(base, parsed, stages.length, globalArgs, stageNames);
        if (from.stageName !== undefined && !stageNames.has(from.stageName)) stageNames.set(from.stageName, stages.length);
        stages.push({ index: stages.length, from, instructions: [] });
        instructions.push(from);
        scope = from.baseStageIndex !== undefined ? stageScopes[from.baseStageIndex] ?? new Map() : new Map();
        continue;
      }
      let instruction: Instruction;
      if (keyword === 'ARG') {
        const words = this.words(parsed.args, parsed);
        const lookup = inStage ? stageLookup(scope) : globalLookup(globalArgs);
        const definitions = this.argDefinitions(words, lookup, inStage ? globalArgs : undefined);
        if (inStage) scope = withDefinitions(scope, definitions);
        else for (const definition of definitions) globalArgs.set(definition.name, definition.value);
        instruction = { ...base, keyword: 'ARG', args: words, definitions } satisfies VariableInstruction;
      } else if (keyword === 'ENV') {
        const definitions = this.envDefinitions(parsed, stageLookup(scope));
        if (inStage) scope = withDefinitions(scope, definitions);
        instruction = { ...base, keyword: 'ENV', args: this.pairWords(parsed), definitions } satisfies VariableInstruction;
      } else {
        instruction = this.instruction(base, parsed);
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
      buildErrors: this.buildErrors.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character),
      fragment,
    };
  }

  /** The stand-in FROM of a fragment: at the start of the file, with no image. */
  private implicitFrom(): FromInstruction {
    const start = this.lines.rangeOf(0, 0);
    return {
      keyword: 'FROM', range: start, keywordRange: start, stageIndex: 0, variables: new Map(),
      image: undefined, stageName: undefined, stageNameRange: undefined, platform: undefined, baseStageIndex: undefined,
    };
  }

  private addError(message: string, start: number, end: number, kind: BuildError['kind']): void {
    this.buildErrors.push({ message, kind, range: this.lines.rangeOf(start, Math.max(start, end)) });
  }

  /**
   * The checks BuildKit makes when it turns the parsed lines into instructions (frontend/dockerfile/instructions/
   * parse.go), for what it refuses outright: unknown instructions and missing arguments.
   */
  private checkInstruction(parsed: DockerfileInstruction, keyword: string): void {
    const fail = (message: string): void => this.addError(message, parsed.start, parsed.end, 'syntax');
    if (!KNOWN_KEYWORDS.has(keyword)) {
      this.addError(`unknown instruction: ${parsed.keyword}`, parsed.start, parsed.end, 'unknown-instruction');
      return;
    }
    const count = parsed.args.length;
    switch (keyword) {
      case 'FROM':
        // BuildKit also refuses a stage name that is not `[a-z][a-z0-9-_.]*`, but buildah (podman build) reads stage
        // names with its own code, which may differ (`AS ${NAME}`): not reported, a false error would fail CI.
        if (count !== 1 && !(count === 3 && parsed.args[1]!.value.toLowerCase() === 'as')) fail('FROM requires either one or three arguments');
        break;
      case 'COPY':
      case 'ADD':
        if (count < 2) fail(`${keyword} requires at least two arguments, but only ${count} provided`);
        break;
      case 'ENV':
      case 'LABEL':
      case 'ARG':
      case 'ONBUILD':
      case 'HEALTHCHECK':
      case 'EXPOSE':
      case 'VOLUME':
      case 'SHELL':
        if (count === 0 && !parsed.trigger) fail(`${keyword} requires at least one argument`);
        break;
      case 'WORKDIR':
      case 'USER':
      case 'STOPSIGNAL':
      case 'MAINTAINER':
        if (count !== 1) fail(`${keyword} requires exactly one argument`);
        break;
      default:
        break;
    }
  }

  /** Word per argument: `raw` as it is in the logical line, `value` with quotes removed (no expansion). */
  private words(args: readonly DockerfileArgument[], parsed: DockerfileInstruction): Word[] {
    return args.map((arg) => ({ raw: arg.value, value: parsed.json ? arg.value : stripQuotes(arg.value), range: this.lines.rangeOf(arg.start, arg.end) }));
  }

  /** ENV and LABEL words: each `key=value` as one word, or the key and the rest for the legacy `ENV key value`. */
  private pairWords(parsed: DockerfileInstruction): Word[] {
    const words: Word[] = [];
    for (const pair of parsed.pairs ?? []) {
      if (pair.separator === '=') {
        const raw = `${pair.key.value}=${pair.value.value}`;
        words.push({ raw, value: stripQuotes(raw), range: this.lines.rangeOf(pair.key.start, pair.value.end) });
      } else {
        words.push(...this.words([pair.key, pair.value], parsed));
      }
    }
    return words;
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
  private envDefinitions(parsed: DockerfileInstruction, lookup: VariableLookup): VariableDefinition[] {
    return (parsed.pairs ?? []).map((pair) => ({
      name: pair.key.value,
      value: expandVariables(pair.value.value, lookup, this.escape).value,
      rawValue: pair.value.value,
      range: this.lines.rangeOf(pair.key.start, pair.separator === '=' ? pair.value.end : pair.key.end),
    }));
  }

  /**
   * Comments as the editor shows them: every `#` line outside heredoc bodies, the ones inside continuations too.
   * Parser directives (syntax, escape, check) are not comments.
   */
  private comments(): Comment[] {
    return this.dockerfile.comments.map((comment) => ({ text: comment.text, range: this.lines.rangeOf(comment.start, comment.end) }));
  }

  private flags(parsed: DockerfileInstruction): Flag[] {
    return parsed.flags.map((flag) => {
      const body = flag.value.slice(2);
      const eq = body.indexOf('=');
      return { name: (eq >= 0 ? body.slice(0, eq) : body).toLowerCase(), value: eq >= 0 ? body.slice(eq + 1) : undefined, range: this.lines.rangeOf(flag.start, flag.end) };
    });
  }

  private fromInstruction(
    base: InstructionBaseFields, parsed: DockerfileInstruction, stageIndex: number,
    globalArgs: ReadonlyMap<string, string | undefined>, stageNames: ReadonlyMap<string, number>,
  ): FromInstruction {
    const flags = this.flags(parsed);
    const [imageArg, asArg, nameArg] = parsed.args;
    let image: ImageReferenceText | undefined;
    let baseStageIndex: number | undefined;
    if (imageArg) {
      const raw = imageArg.value;
      const expansion = expandVariables(raw, globalLookup(globalArgs), this.escape);
      const expanded = expansion.unresolved.length === 0 ? expansion.value : undefined;
      // Shown in messages: variables that stay unknown (or undeclared) appear as written, not as nothing.
      const display = expanded ?? expandVariables(raw, (name) => globalLookup(globalArgs)(name) ?? { value: undefined }, this.escape).text;
      image = { raw, expanded, display, unresolvedVariables: expansion.unresolved, variables: expansion.used, range: this.lines.rangeOf(imageArg.start, imageArg.end) };
      // BuildKit looks the expanded name up among the stages before this one (stage names are lower case).
      if (expanded !== undefined) baseStageIndex = stageNames.get(expanded);
    }
    const nameWord = parsed.args.length === 3 && asArg!.value.toLowerCase() === 'as' ? nameArg : undefined;
    const platform = flags.find((flag) => flag.name === 'platform')?.value;
    return {
      ...base,
      keyword: 'FROM',
      stageIndex,
      image,
      stageName: nameWord?.value.toLowerCase(),
      stageNameRange: nameWord && this.lines.rangeOf(nameWord.start, nameWord.end),
      platform: platform === undefined ? undefined : expandVariables(platform, globalLookup(globalArgs), this.escape).value,
      baseStageIndex,
    };
  }

  private instruction(base: InstructionBaseFields, parsed: DockerfileInstruction): Instruction {
    if (base.keyword === 'RUN') return this.runInstruction(base, parsed);
    if (base.keyword === 'COPY' || base.keyword === 'ADD') return this.copyInstruction(base, parsed);
    if (base.keyword === 'LABEL') return { ...base, args: this.pairWords(parsed) } satisfies OtherInstruction;
    if (base.keyword === 'ONBUILD' && parsed.trigger) {
      const trigger = parsed.trigger;
      const text = parsed.line.text.slice(parsed.argumentsStart);
      return { ...base, args: [{ raw: text, value: text, range: this.lines.rangeOf(trigger.start, trigger.end) }] } satisfies OtherInstruction;
    }
    const words = this.words(parsed.args, parsed);
    const expand = EXPANDED_KEYWORDS.has(base.keyword);
    const other: OtherInstruction = { ...base, args: expand ? words.map((word) => this.expandWord(word, base.variables, parsed.json)) : words, json: parsed.json };
    return other;
  }

  /** The word's value as BuildKit computes it for instructions it expands (COPY, WORKDIR, USER, ...). */
  private expandWord(word: Word, scope: VariableScope, json: boolean): Word {
    const text = json ? word.value ?? word.raw : word.raw;
    return { ...word, value: expandVariables(text, stageLookup(scope), this.escape).value };
  }

  private copyInstruction(base: InstructionBaseFields, parsed: DockerfileInstruction): CopyInstruction {
    const flags = this.flags(parsed).map((flag) => flag.value === undefined ? flag : { ...flag, value: expandVariables(flag.value, stageLookup(base.variables), this.escape).value });
    // BuildKit takes a source that reads as a heredoc marker (`<<EOF`) as that heredoc's content.
    const paths = this.words(parsed.args, parsed)
      .filter((word, index, all) => parsed.json || index === all.length - 1 || !isHeredocMarker(word.raw))
      .map((word) => this.expandWord(word, base.variables, parsed.json));
    return {
      ...base,
      keyword: base.keyword === 'ADD' ? 'ADD' : 'COPY',
      flags,
      from: flags.find((flag) => flag.name === 'from')?.value,
      sources: paths.slice(0, -1),
      destination: paths[paths.length - 1],
      heredocs: parsed.heredocs.map((heredoc) => this.heredocText(heredoc)),
    };
  }

  private heredocText(heredoc: DockerfileHeredoc): HeredocText {
    return {
      name: heredoc.name,
      content: heredoc.chomp ? heredoc.content.replace(/^\t+/gm, '') : heredoc.content,
      contentRange: this.lines.rangeOf(heredoc.contentStart, heredoc.contentEnd),
    };
  }

  private runInstruction(base: InstructionBaseFields, parsed: DockerfileInstruction): RunInstruction {
    const flags = this.flags(parsed);
    const mounts = flags.filter((flag) => flag.name === 'mount').map((flag) => parseMount(flag.value ?? ''));
    const commands: ShellCommandInFile[] = [];
    let hasShellSyntaxError = false;
    let form: RunInstruction['form'] = 'shell';
    const addScript = (source: ShellSource): void => {
      const script = this.parseShell(source.text);
      if (!script) return;
      hasShellSyntaxError ||= script.hasSyntaxError;
      for (const command of script.commands) this.addCommand(command, source, commands, 0);
    };

    if (parsed.json) {
      form = 'exec';
      this.addExecForm(parsed.args, commands);
    } else if (parsed.args.length > 0) {
      const command = parsed.args[0]!.value;
      let single: ReturnType<typeof parseHeredocMarker>;
      try {
        single = parseHeredocMarker(command);
      } catch {
        single = undefined;
      }
      const heredoc = single && parsed.heredocs.find((doc) => doc.name === single.name);
      if (heredoc) {
        // `RUN <<EOF` (with or without flags): BuildKit runs the heredoc's content as the script.
        form = 'heredoc';
        for (const doc of parsed.heredocs) {
          const map = new OffsetMap();
          map.append(doc.contentStart, doc.contentEnd - doc.contentStart);
          addScript({ text: this.text.slice(doc.contentStart, doc.contentEnd), map });
        }
      } else {
        addScript(this.shellBody(parsed));
      }
    }
    return { ...base, keyword: 'RUN', flags, mounts, commands, form, hasShellSyntaxError };
  }

  /** The shell text of a RUN: the logical line from the command on, then any heredoc bodies as written. */
  private shellBody(parsed: DockerfileInstruction): ShellSource {
    const arg = parsed.args[0]!;
    const from = parsed.argumentsStart;
    const map = parsed.line.map.sliceFrom(from);
    let text = parsed.line.text.slice(from).replace(/[\t\v\f\r ]+$/, '');
    if (parsed.heredocs.length > 0) {
      const lineEnd = Math.max(arg.end, parsed.heredocs[0]!.contentStart - 1);
      const rest = this.text.slice(lineEnd, parsed.end);
      map.append(lineEnd, rest.length);
      text += rest;
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

  private addExecForm(strings: readonly DockerfileArgument[], into: ShellCommandInFile[]): void {
    const words: Word[] = strings.map((s) => ({ raw: this.text.slice(s.start, s.end), value: s.value, range: this.lines.rangeOf(s.start, s.end) }));
    const [nameWord, ...args] = words;
    if (!nameWord) return;
    const name = commandBaseName(nameWord.value);
    into.push({ name, nameWord, args, assignments: [], redirects: [], range: this.lines.rangeOf(strings[0]!.start, strings[strings.length - 1]!.end) });
    const script = strings[2];
    if (/^(?:ba|da)?sh$/.test(name) && strings[1]?.value === '-c' && script) {
      // Positions are exact when the JSON string has no escapes; otherwise they stay inside the string.
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
}

function isHeredocMarker(raw: string): boolean {
  try {
    return parseHeredocMarker(raw) !== undefined;
  } catch {
    return false;
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
