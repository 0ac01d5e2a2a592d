// The API resources the simulator serves, with what discovery, tables and validation need.

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface ResourceDef {
  /** "" for the core group. */
  group: string;
  version: string;
  resource: string; // plural
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
  verbs: string[];
  statusSubresource: boolean;
  /** Part of the OpenShift API groups (removed when the simulator plays a plain Kubernetes cluster). */
  openshift: boolean;
  /** CRD manifest file name under ../shared/reference/crds, for schema validation. */
  crdFile?: string;
  /** Printer columns after NAME (CRD additionalPrinterColumns for custom resources). */
  columns?: PrinterColumn[];
  /** Served only from this OpenShift minor on. */
  minMinor?: number;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const MCO_GROUP = 'machineconfiguration.openshift.io';

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const RESOURCES: ResourceDef[] = [
  {
    group: '',
    version: 'v1',
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    listKind: 'NodeList',
    namespaced: false,
    shortNames: ['no'],
    verbs: ALL_VERBS,
    statusSubresource: true,
    openshift: false,
  },
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    statusSubresource: true,
    openshift: false,
  },
  {
    group: '',
    version: 'v1',
    resource: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    listKind: 'ConfigMapList',
    namespaced: true,
    shortNames: ['cm'],
    verbs: ALL_VERBS,
    statusSubresource: false,
    openshift: false,
  },
  {
    group: MCO_GROUP,
    version: 'v1',
    resource: 'machineconfigs',
    singular: 'machineconfig',
    kind: 'MachineConfig',
    listKind: 'MachineConfigList',
    namespaced: false,
    shortNames: ['mc'],
    verbs: ALL_VERBS,
    statusSubresource: false,
    openshift: true,
    crdFile: '0000_80_machine-config_01_machineconfigs.crd.yaml',
    columns: [
      {
        name: 'GeneratedByController',
        type: 'string',
        jsonPath: '.metadata.annotations.machineconfiguration\\.openshift\\.io/generated-by-controller-version',
        description: 'Version of the controller that generated the machineconfig. This will be empty if the machineconfig is not managed by a controller.',
      },
      { name: 'IgnitionVersion', type: 'string', jsonPath: '.spec.config.ignition.version', description: 'Version of the Ignition Config defined in the machineconfig.' },
      AGE,
    ],
  },
  {
    group: MCO_GROUP,
    version: 'v1',
    resource: 'machineconfigpools',
    singular: 'machineconfigpool',
    kind: 'MachineConfigPool',
    listKind: 'MachineConfigPoolList',
    namespaced: false,
    shortNames: ['mcp'],
    verbs: ALL_VERBS,
    statusSubresource: true,
    openshift: true,
    crdFile: '0000_80_machine-config_01_machineconfigpools.crd.yaml',
    columns: [
      { name: 'Config', type: 'string', jsonPath: '.status.configuration.name' },
      { name: 'Updated', type: 'string', jsonPath: '.status.conditions[?(@.type=="Updated")].status' },
      { name: 'Updating', type: 'string', jsonPath: '.status.conditions[?(@.type=="Updating")].status' },
      { name: 'Degraded', type: 'string', jsonPath: '.status.conditions[?(@.type=="Degraded")].status' },
      { name: 'MachineCount', type: 'number', jsonPath: '.status.machineCount', description: 'Total number of machines in the machine config pool' },
      { name: 'ReadyMachineCount', type: 'number', jsonPath: '.status.readyMachineCount', description: 'Total number of ready machines targeted by the pool' },
      { name: 'UpdatedMachineCount', type: 'number', jsonPath: '.status.updatedMachineCount', description: 'Total number of machines targeted by the pool that have the CurrentMachineConfig as their config' },
      { name: 'DegradedMachineCount', type: 'number', jsonPath: '.status.degradedMachineCount', description: 'Total number of machines marked degraded (or unreconcilable)' },
      AGE,
    ],
  },
  {
    group: MCO_GROUP,
    version: 'v1',
    resource: 'machineosconfigs',
    singular: 'machineosconfig',
    kind: 'MachineOSConfig',
    listKind: 'MachineOSConfigList',
    namespaced: false,
    shortNames: [],
    verbs: ALL_VERBS,
    statusSubresource: true,
    openshift: true,
    crdFile: '0000_80_machine-config_01_machineosconfigs.crd.yaml',
    columns: [AGE],
    minMinor: 18,
  },
  {
    group: MCO_GROUP,
    version: 'v1',
    resource: 'machineosbuilds',
    singular: 'machineosbuild',
    kind: 'MachineOSBuild',
    listKind: 'MachineOSBuildList',
    namespaced: false,
    shortNames: [],
    verbs: ALL_VERBS,
    statusSubresource: true,
    openshift: true,
    crdFile: '0000_80_machine-config_01_machineosbuilds.crd.yaml',
    columns: [
      { name: 'Prepared', type: 'string', jsonPath: '.status.conditions[?(@.type=="Prepared")].status' },
      { name: 'Building', type: 'string', jsonPath: '.status.conditions[?(@.type=="Building")].status' },
      { name: 'Succeeded', type: 'string', jsonPath: '.status.conditions[?(@.type=="Succeeded")].status' },
      { name: 'Interrupted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Interrupted")].status' },
      { name: 'Failed', type: 'string', jsonPath: '.status.conditions[?(@.type=="Failed")].status' },
      AGE,
    ],
    minMinor: 18,
  },
  {
    group: 'config.openshift.io',
    version: 'v1',
    resource: 'clusterversions',
    singular: 'clusterversion',
    kind: 'ClusterVersion',
    listKind: 'ClusterVersionList',
    namespaced: false,
    shortNames: [],
    verbs: ALL_VERBS,
    statusSubresource: true,
    openshift: true,
    columns: [
      { name: 'Version', type: 'string', jsonPath: '.status.history[?(@.state=="Completed")].version' },
      { name: 'Available', type: 'string', jsonPath: '.status.conditions[?(@.type=="Available")].status' },
      { name: 'Progressing', type: 'string', jsonPath: '.status.conditions[?(@.type=="Progressing")].status' },
      { name: 'Since', type: 'date', jsonPath: '.status.conditions[?(@.type=="Progressing")].lastTransitionTime' },
      { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="Progressing")].message' },
    ],
  },
];

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** `machineconfigs.machineconfiguration.openshift.io`, or `nodes` for the core group, as Status messages name resources. */
export function qualifiedResource(def: ResourceDef): string {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

/** `MachineConfig.machineconfiguration.openshift.io`, or `Node` for the core group, as 422 messages name kinds. */
export function qualifiedKind(def: ResourceDef): string {
  return def.group ? `${def.kind}.${def.group}` : def.kind;
}

export function resourceKey(def: ResourceDef): string {
  return `${def.group}/${def.resource}`;
}

export const MCO_API_GROUP = MCO_GROUP;
