import type { ContainerfileModel } from '../containerfile/model';
import type { BaseImageClassifier } from '../containerfile/baseImages';
import type { VersionFacts } from '../openshift/versions';
import type { Range, TextEdit } from '../text';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** A fix whose edits are known now. */
export interface EditFix {
  readonly kind: 'edit';
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

/**
 * A fix that needs something the rule cannot do synchronously (a registry lookup, the cluster's base image).
 * Adapters turn it into a command; the CLI lists it as a suggestion.
 */
export interface ActionFix {
  readonly kind: 'action';
  readonly title: string;
  readonly action: FixAction;
  readonly preferred?: boolean;
}

export type FixAction =
  /** Resolve `image` to its digest through the registry and write it into `range` (the FROM image argument). */
  | { readonly type: 'pin-digest'; readonly image: string; readonly range: Range }
  /** Make the final image build on the connected cluster's base image (the Cluster view's "Use as FROM"). */
  | { readonly type: 'use-cluster-base-image' };

export type Fix = EditFix | ActionFix;

/** What a rule reports. The engine adds the rule id and the effective severity. */
export interface RuleFinding {
  readonly message: string;
  readonly range: Range;
  readonly fixes?: readonly Fix[];
  /** Overrides the rule's default severity for this finding (e.g. escalation on a real conflict). */
  readonly severity?: Severity;
}

export interface Finding extends RuleFinding {
  readonly ruleId: string;
  readonly severity: Severity;
}

/** A MachineConfig the rules should know about, from the workspace or the connected cluster. */
export interface MachineConfigFacts {
  readonly name: string;
  /** Value of the `machineconfiguration.openshift.io/role` label. */
  readonly pool: string | undefined;
  readonly extensions: readonly string[];
  readonly kernelType: string | undefined;
  readonly osImageURL: string | undefined;
  readonly source: 'workspace' | 'cluster';
  /** File path for workspace MachineConfigs. */
  readonly location?: string;
  /** Absolute path of the Containerfile a generated MachineConfig names in its header comment. */
  readonly containerfile?: string;
}

/** What a connected cluster tells the rules. */
export interface ClusterFacts {
  readonly context: string;
  readonly version?: string;
  /** `baseOSContainerImage` from the machine-config-osimageurl ConfigMap. */
  readonly baseOSContainerImage?: string;
}

export type LintMode = 'containerfile' | 'on-cluster';

export interface RuleContext {
  readonly model: ContainerfileModel;
  readonly facts: VersionFacts;
  /** `on-cluster`: the content of a MachineOSConfig containerFile (or a file that starts `FROM configs`). */
  readonly mode: LintMode;
  readonly baseImages: BaseImageClassifier;
  readonly cluster: ClusterFacts | undefined;
  readonly machineConfigs: readonly MachineConfigFacts[];
  /** Pools this Containerfile is meant for, when known (from MachineConfigs generated from it). */
  readonly pools: readonly string[] | undefined;
}

/** A rule over a Containerfile (`RuleContext`) or over a MachineConfig/MachineOSConfig YAML file (`YamlRuleContext`). */
export interface Rule<Context = RuleContext> {
  /** Stable id used in settings, suppression comments, the CLI and documentation file names. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One line saying what the rule catches, for rule lists and SARIF. */
  readonly summary: string;
  check(context: Context): RuleFinding[];
}
