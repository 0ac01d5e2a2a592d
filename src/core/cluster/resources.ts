import type { ResourceId, ResourceSpec } from './informer';
import {
  readClusterVersion, readOsImageUrlConfigMap, slimMachineConfig, slimMachineConfigNode, slimMachineOSBuild, slimMachineOSConfig, slimNode, slimPool,
} from './objects';
import type { ResourceTypes } from './store';

/** The resource types the explorer lists and watches, and where they live. */

export const MCO_GROUP = 'machineconfiguration.openshift.io';
export const OSIMAGEURL_NAMESPACE = 'openshift-machine-config-operator';
export const OSIMAGEURL_CONFIGMAP = 'machine-config-osimageurl';

export type ResourceSpecs = { readonly [K in ResourceId]: ResourceSpec<ResourceTypes[K]> };

export const RESOURCE_SPECS: ResourceSpecs = {
  pools: { id: 'pools', kind: 'MachineConfigPool', resource: `machineconfigpools.${MCO_GROUP}`, path: `/apis/${MCO_GROUP}/v1/machineconfigpools`, pageSize: 500, slim: slimPool },
  nodes: { id: 'nodes', kind: 'Node', resource: 'nodes', path: '/api/v1/nodes', pageSize: 500, slim: slimNode },
  // Rendered MachineConfigs carry the whole Ignition config (often hundreds of KB each): small pages bound memory.
  machineConfigs: { id: 'machineConfigs', kind: 'MachineConfig', resource: `machineconfigs.${MCO_GROUP}`, path: `/apis/${MCO_GROUP}/v1/machineconfigs`, pageSize: 50, slim: slimMachineConfig },
  osImageUrls: {
    id: 'osImageUrls',
    kind: 'ConfigMap',
    resource: `configmaps (${OSIMAGEURL_NAMESPACE}/${OSIMAGEURL_CONFIGMAP})`,
    path: `/api/v1/namespaces/${OSIMAGEURL_NAMESPACE}/configmaps`,
    fieldSelector: `metadata.name=${OSIMAGEURL_CONFIGMAP}`,
    pageSize: 10,
    slim: readOsImageUrlConfigMap,
  },
  clusterVersion: {
    id: 'clusterVersion',
    kind: 'ClusterVersion',
    resource: 'clusterversions.config.openshift.io',
    path: '/apis/config.openshift.io/v1/clusterversions',
    fieldSelector: 'metadata.name=version',
    pageSize: 10,
    slim: readClusterVersion,
  },
  machineOSConfigs: { id: 'machineOSConfigs', kind: 'MachineOSConfig', resource: `machineosconfigs.${MCO_GROUP}`, path: `/apis/${MCO_GROUP}/v1/machineosconfigs`, pageSize: 100, optional: true, slim: slimMachineOSConfig },
  machineOSBuilds: { id: 'machineOSBuilds', kind: 'MachineOSBuild', resource: `machineosbuilds.${MCO_GROUP}`, path: `/apis/${MCO_GROUP}/v1/machineosbuilds`, pageSize: 200, optional: true, slim: slimMachineOSBuild },
  // v1 from 4.19 (Default feature set); 4.16-4.18 serve only v1alpha1 under Tech Preview, which the view does not read:
  // there the node annotations alone tell the state.
  machineConfigNodes: { id: 'machineConfigNodes', kind: 'MachineConfigNode', resource: `machineconfignodes.${MCO_GROUP}`, path: `/apis/${MCO_GROUP}/v1/machineconfignodes`, pageSize: 500, optional: true, slim: slimMachineConfigNode },
};

export const RESOURCE_IDS: readonly ResourceId[] = ['pools', 'nodes', 'machineConfigs', 'osImageUrls', 'clusterVersion', 'machineOSConfigs', 'machineOSBuilds', 'machineConfigNodes'];

/** Object kinds the explorer can open as YAML, and their paths. */
export const OBJECT_KINDS = {
  MachineConfigPool: { path: `/apis/${MCO_GROUP}/v1/machineconfigpools`, plural: 'machineconfigpools', short: 'mcp' },
  Node: { path: '/api/v1/nodes', plural: 'nodes', short: 'node' },
  MachineConfig: { path: `/apis/${MCO_GROUP}/v1/machineconfigs`, plural: 'machineconfigs', short: 'mc' },
  MachineOSConfig: { path: `/apis/${MCO_GROUP}/v1/machineosconfigs`, plural: 'machineosconfigs', short: 'machineosconfig' },
  MachineOSBuild: { path: `/apis/${MCO_GROUP}/v1/machineosbuilds`, plural: 'machineosbuilds', short: 'machineosbuild' },
  MachineConfigNode: { path: `/apis/${MCO_GROUP}/v1/machineconfignodes`, plural: 'machineconfignodes', short: 'machineconfignode' },
  ConfigMap: { path: `/api/v1/namespaces/${OSIMAGEURL_NAMESPACE}/configmaps`, plural: 'configmaps', short: 'configmap' },
  ClusterVersion: { path: '/apis/config.openshift.io/v1/clusterversions', plural: 'clusterversions', short: 'clusterversion' },
} as const;

export type ObjectKind = keyof typeof OBJECT_KINDS;

export function isObjectKind(value: unknown): value is ObjectKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OBJECT_KINDS, value);
}
