import type { ParsedYamlFile, WorkspaceMachineConfig, YamlObject } from '../../openshift/yamlDocuments';
import type { VersionFacts } from '../../openshift/versions';
import type { LineIndex } from '../../text';
import type { ClusterFacts, Rule } from '../types';

/** One MachineConfig or MachineOSConfig of the file whose document parsed, with what the file says about it. */
export interface YamlObjectToCheck {
  readonly object: YamlObject;
  /** The MachineConfig's facts; undefined for MachineOSConfigs. */
  readonly machineConfig: WorkspaceMachineConfig | undefined;
}

/** What a YAML rule sees: one file, the target version and what the workspace and the cluster say. */
export interface YamlRuleContext {
  readonly parsed: ParsedYamlFile;
  readonly text: string;
  readonly lines: LineIndex;
  readonly facts: VersionFacts;
  /**
   * The objects to check. A document that does not parse is left out: it is reported as a syntax error only, since
   * its partial content would give misleading findings.
   */
  readonly objects: readonly YamlObjectToCheck[];
  /** Every MachineConfig of this file, including those of documents with errors (for the workspace index). */
  readonly ownMachineConfigs: readonly WorkspaceMachineConfig[];
  /** MachineConfigs of other files in the workspace and of the cluster. */
  readonly otherMachineConfigs: readonly WorkspaceMachineConfig[];
  /** This file's path, so its own MachineConfigs can be told apart from the same file's entries in `otherMachineConfigs`. */
  readonly location: string | undefined;
  /** The connected cluster's pool names; undefined when no cluster is connected. */
  readonly clusterPools: readonly string[] | undefined;
  readonly cluster: ClusterFacts | undefined;
}

export type YamlRule = Rule<YamlRuleContext>;
