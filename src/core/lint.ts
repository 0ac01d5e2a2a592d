import { createBaseImageClassifier, DEFAULT_BASE_IMAGE_PATTERNS, type BaseImageClassifier } from './containerfile/baseImages';
import type { ContainerfileModel } from './containerfile/model';
import { parseContainerfile } from './containerfile/parse';
import { loadTreeSitterShellParser, type ShellParser } from './containerfile/shell';
import { factsFor, LATEST_VERSION, type OpenShiftVersion } from './openshift/versions';
import { finalExternalBase } from './rules/helpers';
import { RULES, ruleById } from './rules';
import { runRules } from './rules/engine';
import type { ClusterFacts, Finding, LintMode, MachineConfigFacts, RuleContext, SeveritySetting } from './rules/types';
import { isSuppressed, readSuppressions } from './suppressions';

export interface LintOptions {
  readonly targetVersion?: OpenShiftVersion;
  /** Per-rule severity from `rhcosLayering.rules` or the CLI. */
  readonly severities?: Readonly<Record<string, SeveritySetting>>;
  readonly baseImagePatterns?: readonly string[];
  /** `auto` picks on-cluster mode for files whose final stage is `FROM configs`. */
  readonly mode?: LintMode | 'auto';
  readonly cluster?: ClusterFacts;
  readonly machineConfigs?: readonly MachineConfigFacts[];
  readonly pools?: readonly string[];
  /** Lint even when the file does not look like a layering Containerfile (explicit path, include glob). */
  readonly force?: boolean;
}

/** Why a file is (or is not) treated as a layering Containerfile. */
export type LayeringReason = 'forced' | 'marker' | 'base-image' | 'ostree-tooling' | undefined;

export interface LintResult {
  readonly model: ContainerfileModel;
  readonly layeringReason: LayeringReason;
  readonly mode: LintMode;
  /** Sorted by position. Empty when the file is not a layering Containerfile. */
  readonly findings: readonly Finding[];
}

/**
 * Runs the rules over one Containerfile. Holds the lazily loaded tree-sitter parser so that only files with
 * complex RUN bodies pay for loading it, and only once.
 */
export class Linter {
  private fullShellParser: ShellParser | undefined;
  private loading: Promise<ShellParser> | undefined;
  private classifierCache: { key: string; classifier: BaseImageClassifier } | undefined;

  constructor(private readonly wasmDirectory?: string) {}

  async lint(text: string, options: LintOptions = {}): Promise<LintResult> {
    return this.lintModel(await this.parse(text), options);
  }

  /** Parses with the fast shell lexer, loading tree-sitter only when a RUN body needs it. */
  async parse(text: string): Promise<ContainerfileModel> {
    const first = parseContainerfile(text, this.fullShellParser);
    if (!first.needsFullShellParser) return first.model;
    return parseContainerfile(text, await this.shellParser()).model;
  }

  lintModel(model: ContainerfileModel, options: LintOptions = {}): LintResult {
    const baseImages = this.classifier(options.baseImagePatterns ?? DEFAULT_BASE_IMAGE_PATTERNS);
    const facts = factsFor(options.targetVersion ?? LATEST_VERSION);
    const suppressions = readSuppressions(model);
    const partialContext = { model, facts, baseImages, cluster: options.cluster, machineConfigs: options.machineConfigs ?? [], pools: options.pools };
    const detectedMode = detectMode({ ...partialContext, mode: 'containerfile' });
    const mode: LintMode = options.mode && options.mode !== 'auto' ? options.mode : detectedMode;
    const context: RuleContext = { ...partialContext, mode };
    const layeringReason = options.force ? 'forced' : suppressions.hasMarker ? 'marker' : detectLayering(context);
    if (!layeringReason || model.parseError) return { model, layeringReason, mode, findings: [] };

    const findings = runRules(RULES, context, { severities: options.severities, isSuppressed: (finding) => isSuppressed(finding, suppressions) });
    return { model, layeringReason, mode, findings };
  }

  private shellParser(): Promise<ShellParser> {
    this.loading ??= loadTreeSitterShellParser(this.wasmDirectory).then((parser) => (this.fullShellParser = parser));
    return this.loading;
  }

  private classifier(patterns: readonly string[]): BaseImageClassifier {
    const key = patterns.join('\n');
    if (this.classifierCache?.key !== key) this.classifierCache = { key, classifier: createBaseImageClassifier(patterns) };
    return this.classifierCache.classifier;
  }
}

function detectMode(context: RuleContext): LintMode {
  const base = finalExternalBase(context);
  return base?.kind === 'on-cluster-configs' ? 'on-cluster' : 'containerfile';
}

const OSTREE_TOOLING = /^(?:rpm-ostree|ostree|bootc)$/;

function detectLayering(context: RuleContext): LayeringReason {
  const base = finalExternalBase(context);
  if (base?.kind) return 'base-image';
  for (const instruction of context.model.instructions) {
    if (instruction.keyword !== 'RUN' || !('commands' in instruction)) continue;
    for (const command of instruction.commands) {
      if (!OSTREE_TOOLING.test(command.name)) continue;
      const [first, second] = command.args.map((arg) => arg.value);
      if (command.name === 'rpm-ostree') return 'ostree-tooling';
      if (command.name === 'ostree' && first === 'container' && second === 'commit') return 'ostree-tooling';
      if (command.name === 'bootc' && first === 'container' && second === 'lint') return 'ostree-tooling';
    }
  }
  return undefined;
}

export { RULES, ruleById };
