import type { LineIndex, Range } from '../text';

/**
 * A Containerfile reduced to what the rules need: stages, their base images with ARG defaults applied, RUN bodies as
 * shell commands with exact file ranges, COPY/ADD sources and destinations, comments. Pure data, computed once per
 * parse, from BuildKit's own reading of the file (dockerfile.ts).
 */
export interface ContainerfileModel {
  readonly text: string;
  readonly lines: LineIndex;
  readonly escapeCharacter: string;
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  readonly comments: readonly Comment[];
  /**
   * ARGs declared before the first FROM (the only ones a FROM line can use), with their defaults expanded as BuildKit
   * does (a default may use earlier ARGs). Value undefined = unknown: no default, so only `--build-arg` sets it.
   */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  /**
   * What makes the build fail before it runs anything, as BuildKit reports it: parser errors (an unterminated heredoc,
   * `ENV PATH` without a value, a file with no instructions, ...) and lines that are not instructions. In file order.
   */
  readonly buildErrors: readonly BuildError[];
  /**
   * The file has instructions but no FROM (a fragment, e.g. pasted from documentation): it is read as the body of one
   * stage, whose `from` has no image, so the RUN-level rules still check it.
   */
  readonly fragment: boolean;
  /** Set when reading the file failed internally; the model is then empty and the linter reports nothing for it. */
  readonly parseError?: string;
}

export interface BuildError {
  /** BuildKit's message, e.g. `unknown instruction: RPM-OSTREE`, `unterminated heredoc`. */
  readonly message: string;
  /** `unknown-instruction`: a line that is not a Containerfile instruction; `syntax`: any other parse error. */
  readonly kind: 'unknown-instruction' | 'syntax';
  readonly range: Range;
}

export interface Comment {
  /** Text after the `#`, trimmed. */
  readonly text: string;
  readonly range: Range;
}

export interface Word {
  /** As written, quotes included. */
  readonly raw: string;
  /**
   * After quote removal and variable expansion as the build does it: by BuildKit for the arguments of COPY, ADD,
   * WORKDIR, USER, ... (with the ARG and ENV values in effect); by the shell for RUN words. Undefined when the word
   * needs a value that is unknown here (an ARG without default, a shell variable, a command substitution).
   * ARG and ENV arguments keep their text with quotes removed; their values are in `definitions`.
   */
  readonly value: string | undefined;
  readonly range: Range;
}

/**
 * The ARG and ENV values in effect at an instruction (what BuildKit expands its arguments with, and what a RUN's shell
 * finds in its environment). Value undefined = unknown: an ARG without default, or a variable the base image may set.
 */
export type VariableScope = ReadonlyMap<string, string | undefined>;

/** One `NAME=value` (or bare `NAME`) of an ARG or ENV instruction. */
export interface VariableDefinition {
  readonly name: string;
  /** The value after expansion; undefined when unknown (ARG without default, or a default using an unknown value). */
  readonly value: string | undefined;
  /** The value as written, quotes included; undefined for a bare `ARG NAME`. */
  readonly rawValue: string | undefined;
  /** The whole `NAME=value` word (for legacy `ENV NAME value`, the name word). */
  readonly range: Range;
}

export interface Flag {
  readonly name: string;
  readonly value: string | undefined;
  readonly range: Range;
}

interface InstructionBase {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  readonly keyword: string;
  readonly range: Range;
  readonly keywordRange: Range;
  /** Index into `stages`; -1 for instructions before the first FROM (global ARGs, comments). */
  readonly stageIndex: number;
  /** ARG/ENV values this instruction sees (for FROM: the global ARGs). */
  readonly variables: VariableScope;
}

export interface ImageReferenceText {
  /** The image argument as written, e.g. `${RHCOS_IMAGE}@${RHCOS_DIGEST}`. */
  readonly raw: string;
  /**
   * As BuildKit reads it: quotes removed, global ARGs substituted (`${VAR}`, `${VAR:-word}`, `${VAR:+word}`, ...,
   * nested). Undefined when some variable is unknown (an ARG without default) or not declared before the first FROM.
   */
  readonly expanded: string | undefined;
  /**
   * What a message should quote: `expanded` when known, otherwise the expanded text with the unknown parts as written
   * (`quay.io/fedora/fedora-coreos:${TAG}`).
   */
  readonly display: string;
  /** Variables with an unknown value, or not declared before the first FROM (the cause when `expanded` is undefined). */
  readonly unresolvedVariables: readonly string[];
  /** Names of the ARGs the reference uses, directly or inside a `${VAR:-word}` fallback, resolved or not. */
  readonly variables: readonly string[];
  readonly range: Range;
}

export interface FromInstruction extends InstructionBase {
  readonly keyword: 'FROM';
  readonly image: ImageReferenceText | undefined;
  /** Lower-case stage name after AS. */
  readonly stageName: string | undefined;
  readonly stageNameRange: Range | undefined;
  readonly platform: string | undefined;
  /** Index of an earlier stage this FROM builds on, when the image names one. */
  readonly baseStageIndex: number | undefined;
}

export interface ShellCommandInFile {
  /** Command name after quote removal, e.g. `rpm-ostree`; the basename when written as a path (/usr/bin/dnf -> dnf). */
  readonly name: string;
  readonly nameWord: Word;
  readonly args: readonly Word[];
  readonly assignments: readonly string[];
  readonly redirects: readonly { readonly operator: string; readonly target: Word | undefined }[];
  readonly range: Range;
}

export interface RunInstruction extends InstructionBase {
  readonly keyword: 'RUN';
  readonly flags: readonly Flag[];
  /** Parsed `--mount=` flags as key/value maps (type, target, source, from, ...). */
  readonly mounts: readonly ReadonlyMap<string, string>[];
  /** Every simple command in the body, heredoc scripts and `sh -c '...'` strings included, in file order. */
  readonly commands: readonly ShellCommandInFile[];
  readonly form: 'shell' | 'exec' | 'heredoc';
  readonly hasShellSyntaxError: boolean;
}

export interface HeredocText {
  readonly name: string;
  readonly content: string;
  readonly contentRange: Range | undefined;
}

export interface CopyInstruction extends InstructionBase {
  readonly keyword: 'COPY' | 'ADD';
  readonly flags: readonly Flag[];
  /** Value of --from, when present. */
  readonly from: string | undefined;
  readonly sources: readonly Word[];
  readonly destination: Word | undefined;
  readonly heredocs: readonly HeredocText[];
}

export interface OtherInstruction extends InstructionBase {
  /**
   * The arguments as BuildKit reads them for the keyword: one word for the whole text of USER, WORKDIR, MAINTAINER,
   * STOPSIGNAL and shell-form CMD/ENTRYPOINT/SHELL; words split at blanks for EXPOSE and VOLUME; the strings of a
   * JSON form (`raw` the decoded string); `key=value` words for LABEL.
   */
  readonly args: readonly Word[];
  /** The JSON (exec) form was used. */
  readonly json?: boolean;
}

export interface VariableInstruction extends OtherInstruction {
  readonly keyword: 'ARG' | 'ENV';
  readonly definitions: readonly VariableDefinition[];
}

export type Instruction = FromInstruction | RunInstruction | CopyInstruction | VariableInstruction | OtherInstruction;

export interface Stage {
  readonly index: number;
  readonly from: FromInstruction;
  /** Instructions after FROM up to the next FROM. */
  readonly instructions: readonly Instruction[];
}

export function isFrom(instruction: Instruction): instruction is FromInstruction {
  return instruction.keyword === 'FROM';
}

export function isRun(instruction: Instruction): instruction is RunInstruction {
  return instruction.keyword === 'RUN';
}

export function isArgOrEnv(instruction: Instruction): instruction is VariableInstruction {
  return (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') && 'definitions' in instruction;
}

export function isCopyOrAdd(instruction: Instruction): instruction is CopyInstruction {
  return instruction.keyword === 'COPY' || instruction.keyword === 'ADD';
}

export function finalStage(model: ContainerfileModel): Stage | undefined {
  return model.stages[model.stages.length - 1];
}

/** The stage whose FROM names an external image that `stage` ultimately builds on (following FROM <stage> links). */
export function rootStage(model: ContainerfileModel, stage: Stage): Stage {
  let current = stage;
  for (let guard = 0; current.from.baseStageIndex !== undefined && guard < model.stages.length; guard++) {
    current = model.stages[current.from.baseStageIndex] ?? current;
  }
  return current;
}

const runsByModel = new WeakMap<ContainerfileModel, readonly RunInstruction[]>();

/** The RUN instructions, in order; computed once per model because most rules ask. */
export function runInstructions(model: ContainerfileModel): readonly RunInstruction[] {
  let runs = runsByModel.get(model);
  if (!runs) runsByModel.set(model, (runs = model.instructions.filter(isRun)));
  return runs;
}
