/**
 * Cluster objects reduced to what the explorer shows, as they arrive from a list or a watch. A Node from a real
 * cluster carries kilobytes of managedFields, images and status the view never reads; keeping only these fields is
 * what keeps 5,000 nodes cheap in the extension host.
 */

export const MCO_ANNOTATION = 'machineconfiguration.openshift.io/';

export interface ObjectMeta {
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** Only the annotations the view reads (MCO ones), to stay small. */
  readonly annotations: Readonly<Record<string, string>>;
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string | undefined;
}

export interface PoolObject {
  readonly metadata: ObjectMeta;
  readonly paused: boolean;
  readonly maxUnavailable: string | number | undefined;
  readonly nodeSelector: LabelSelector | undefined;
  readonly machineConfigSelector: LabelSelector | undefined;
  /** spec.configuration: the rendered config nodes are moving to, and the MachineConfigs it was rendered from. */
  readonly targetConfig: string | undefined;
  readonly targetSources: readonly string[];
  /** status.configuration: the rendered config every node has finished rolling to. */
  readonly currentConfig: string | undefined;
  readonly currentSources: readonly string[];
  readonly machineCount: number;
  readonly readyMachineCount: number;
  readonly updatedMachineCount: number;
  readonly unavailableMachineCount: number;
  readonly degradedMachineCount: number;
  readonly conditions: readonly Condition[];
}

export interface NodeObject {
  readonly metadata: ObjectMeta;
  readonly unschedulable: boolean;
  readonly conditions: readonly Condition[];
}

export interface MachineConfigObject {
  readonly metadata: ObjectMeta;
  readonly osImageURL: string | undefined;
  readonly kernelType: string | undefined;
  readonly extensions: readonly string[];
  readonly fips: boolean;
  readonly kernelArguments: readonly string[];
}

export interface MachineOSConfigObject {
  readonly metadata: ObjectMeta;
  readonly pool: string | undefined;
  readonly renderedImagePushSpec: string | undefined;
  readonly currentImagePullSpec: string | undefined;
  /** status.machineOSBuild.name: the build whose image currentImagePullSpec is. */
  readonly machineOSBuild: string | undefined;
  readonly conditions: readonly Condition[];
}

export interface MachineOSBuildObject {
  readonly metadata: ObjectMeta;
  readonly machineOSConfig: string | undefined;
  readonly renderedMachineConfig: string | undefined;
  readonly digestedImagePushSpec: string | undefined;
  readonly conditions: readonly Condition[];
}

/** MachineConfigNode (machineconfiguration.openshift.io/v1, 4.19+): the MCO's own per-node account of an update. */
export interface MachineConfigNodeObject {
  readonly metadata: ObjectMeta;
  readonly node: string | undefined;
  readonly pool: string | undefined;
  /** spec.configVersion.desired and status.configVersion.{current,desired} ("not-yet-set" until the update is found compatible). */
  readonly specDesiredConfig: string | undefined;
  readonly currentConfig: string | undefined;
  readonly desiredConfig: string | undefined;
  readonly conditions: readonly Condition[];
}

export interface OsImageUrlConfigMap {
  readonly baseOSContainerImage: string | undefined;
  readonly baseOSExtensionsContainerImage: string | undefined;
  readonly releaseVersion: string | undefined;
}

export interface ClusterVersionInfo {
  /** status.desired.version, or the newest completed history entry. */
  readonly version: string | undefined;
  readonly progressing: boolean;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function stringMap(value: unknown, keep?: (key: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(record(value))) if (typeof v === 'string' && (!keep || keep(key))) out[key] = v;
  return out;
}

export function slimMeta(raw: unknown): ObjectMeta {
  const metadata = record(record(raw).metadata);
  return {
    name: string(metadata.name) ?? '',
    uid: string(metadata.uid) ?? '',
    resourceVersion: string(metadata.resourceVersion) ?? '',
    creationTimestamp: string(metadata.creationTimestamp),
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations, (key) => key.startsWith(MCO_ANNOTATION)),
  };
}

function slimSelector(value: unknown): LabelSelector | undefined {
  const selector = record(value);
  if (!selector.matchLabels && !selector.matchExpressions) return value === undefined ? undefined : {};
  return {
    matchLabels: stringMap(selector.matchLabels),
    matchExpressions: array(selector.matchExpressions).map((e) => {
      const expression = record(e);
      return { key: string(expression.key) ?? '', operator: string(expression.operator) ?? '', values: array(expression.values).filter((v): v is string => typeof v === 'string') };
    }),
  };
}

function slimConditions(value: unknown): Condition[] {
  return array(value).map((c) => {
    const condition = record(c);
    return {
      type: string(condition.type) ?? '',
      status: string(condition.status) ?? 'Unknown',
      reason: string(condition.reason) ?? '',
      message: string(condition.message) ?? '',
      lastTransitionTime: string(condition.lastTransitionTime),
    };
  });
}

function sourceNames(configuration: Json): string[] {
  return array(configuration.source).map((s) => string(record(s).name)).filter((n): n is string => n !== undefined);
}

export function slimPool(raw: unknown): PoolObject {
  const spec = record(record(raw).spec);
  const status = record(record(raw).status);
  const specConfiguration = record(spec.configuration);
  const statusConfiguration = record(status.configuration);
  const maxUnavailable = spec.maxUnavailable;
  return {
    metadata: slimMeta(raw),
    paused: spec.paused === true,
    maxUnavailable: typeof maxUnavailable === 'string' || typeof maxUnavailable === 'number' ? maxUnavailable : undefined,
    nodeSelector: slimSelector(spec.nodeSelector),
    machineConfigSelector: slimSelector(spec.machineConfigSelector),
    targetConfig: string(specConfiguration.name),
    targetSources: sourceNames(specConfiguration),
    currentConfig: string(statusConfiguration.name),
    currentSources: sourceNames(statusConfiguration),
    machineCount: number(status.machineCount),
    readyMachineCount: number(status.readyMachineCount),
    updatedMachineCount: number(status.updatedMachineCount),
    unavailableMachineCount: number(status.unavailableMachineCount),
    degradedMachineCount: number(status.degradedMachineCount),
    conditions: slimConditions(status.conditions),
  };
}

export function slimNode(raw: unknown): NodeObject {
  const spec = record(record(raw).spec);
  const status = record(record(raw).status);
  return {
    metadata: slimMeta(raw),
    unschedulable: spec.unschedulable === true,
    conditions: slimConditions(status.conditions).filter((c) => c.type === 'Ready' || c.type === 'DiskPressure' || c.type === 'NetworkUnavailable' || c.type === 'MemoryPressure' || c.type === 'PIDPressure'),
  };
}

export function slimMachineConfig(raw: unknown): MachineConfigObject {
  const spec = record(record(raw).spec);
  return {
    metadata: slimMeta(raw),
    osImageURL: string(spec.osImageURL) || undefined,
    kernelType: string(spec.kernelType) || undefined,
    extensions: array(spec.extensions).filter((e): e is string => typeof e === 'string'),
    fips: spec.fips === true,
    kernelArguments: array(spec.kernelArguments).filter((e): e is string => typeof e === 'string'),
  };
}

export function slimMachineOSConfig(raw: unknown): MachineOSConfigObject {
  const spec = record(record(raw).spec);
  const status = record(record(raw).status);
  const buildInputs = record(spec.buildInputs);
  return {
    metadata: slimMeta(raw),
    pool: string(record(spec.machineConfigPool).name),
    renderedImagePushSpec: string(spec.renderedImagePushSpec) ?? string(buildInputs.renderedImagePushspec),
    currentImagePullSpec: string(status.currentImagePullSpec) ?? string(status.currentImagePullspec),
    machineOSBuild: string(record(status.machineOSBuild).name),
    conditions: slimConditions(status.conditions),
  };
}

export function slimMachineOSBuild(raw: unknown): MachineOSBuildObject {
  const spec = record(record(raw).spec);
  const status = record(record(raw).status);
  return {
    metadata: slimMeta(raw),
    machineOSConfig: string(record(spec.machineOSConfig).name),
    renderedMachineConfig: string(record(spec.machineConfig).name) ?? string(record(spec.desiredConfig).name),
    digestedImagePushSpec: string(status.digestedImagePushSpec) ?? string(status.finalImagePullspec),
    conditions: slimConditions(status.conditions),
  };
}

export function slimMachineConfigNode(raw: unknown): MachineConfigNodeObject {
  const spec = record(record(raw).spec);
  const status = record(record(raw).status);
  const version = record(status.configVersion);
  return {
    metadata: slimMeta(raw),
    node: string(record(spec.node).name),
    pool: string(record(spec.pool).name),
    specDesiredConfig: string(record(spec.configVersion).desired),
    currentConfig: string(version.current),
    desiredConfig: string(version.desired),
    conditions: slimConditions(status.conditions),
  };
}

export function readOsImageUrlConfigMap(raw: unknown): OsImageUrlConfigMap {
  const data = record(record(raw).data);
  return {
    baseOSContainerImage: string(data.baseOSContainerImage) || undefined,
    baseOSExtensionsContainerImage: string(data.baseOSExtensionsContainerImage) || undefined,
    releaseVersion: string(data.releaseVersion) || undefined,
  };
}

export function readClusterVersion(raw: unknown): ClusterVersionInfo {
  const status = record(record(raw).status);
  const desired = string(record(status.desired).version);
  const completed = array(status.history).map(record).find((h) => h.state === 'Completed');
  const progressing = slimConditions(status.conditions).some((c) => c.type === 'Progressing' && c.status === 'True');
  return { version: desired ?? string(completed?.version), progressing };
}
