import { baseImageItem, clusterItem } from './cluster';
import { machineConfigItem, machineConfigsItem } from './machineConfig';
import { machineOSBuildItem, machineOSConfigItem } from './machineOSConfig';
import { nodeItem } from './node';
import { poolItem } from './pool';
import { messageItem, problemItem } from './problem';
import type { ElementKind, ItemData, RenderContext, TreeElement } from './types';

/** One renderer per kind of tree element. */
export const ITEM_RENDERERS: { readonly [K in ElementKind]: (element: TreeElement, context: RenderContext) => ItemData } = {
  cluster: clusterItem,
  baseImage: baseImageItem,
  problem: problemItem,
  message: messageItem,
  pool: poolItem,
  node: nodeItem,
  machineConfigs: machineConfigsItem,
  machineConfig: machineConfigItem,
  machineOSConfig: machineOSConfigItem,
  machineOSBuild: machineOSBuildItem,
};
