import { buildsOf, machineOSBuildState, type BuildState } from '../model';
import { shortImage } from '../../image/reference';
import { conditionLine, md } from './format';
import type { IconData, ItemData, RenderContext, TreeElement } from './types';

/** On-cluster layering: a pool's MachineOSConfig and its MachineOSBuilds. */

export function machineOSConfigItem(element: TreeElement, { state }: RenderContext): ItemData {
  const config = state.kind === 'session' ? state.snapshot.machineOSConfigs.get(element.name) : undefined;
  if (state.kind !== 'session' || !config) return { id: element.id, label: element.name, contextValue: 'machineOSConfig', collapsible: 'collapsed' };
  const latest = buildsOf(config.metadata.name, state.snapshot)[0];
  const latestState = latest ? machineOSBuildState(latest) : undefined;
  return {
    id: element.id,
    label: `MachineOSConfig ${config.metadata.name}`,
    description: [latestState ? `latest build ${latestState}` : 'no build yet', config.currentImagePullSpec ? shortImage(config.currentImagePullSpec, { name: 'last' }) : undefined].filter(Boolean).join(' · '),
    tooltip: [
      `**On-cluster layering** for pool ${md(config.pool ?? config.metadata.name)}`,
      `**Pushes to** \`${config.renderedImagePushSpec ?? '?'}\``,
      `**Current image** \`${config.currentImagePullSpec ?? 'none yet'}\``,
      ...config.conditions.filter((c) => c.status === 'True').map(conditionLine),
    ].join('\n\n'),
    icon: buildIcon(latestState),
    contextValue: 'machineOSConfig',
    collapsible: 'collapsed',
  };
}

export function machineOSBuildItem(element: TreeElement, { state }: RenderContext): ItemData {
  const build = state.kind === 'session' ? state.snapshot.machineOSBuilds.get(element.name) : undefined;
  if (!build) return { id: element.id, label: element.name, contextValue: 'machineOSBuild', collapsible: 'none' };
  const buildState = machineOSBuildState(build);
  const failed = build.conditions.find((c) => (c.type === 'Failed' || c.type === 'Interrupted') && c.status === 'True');
  return {
    id: element.id,
    label: build.metadata.name,
    description: [buildState, build.renderedMachineConfig, failed?.message].filter(Boolean).join(' · '),
    tooltip: [
      `**MachineOSBuild** ${md(build.metadata.name)}: **${buildState}**`,
      `**For** ${md(build.renderedMachineConfig ?? '?')}`,
      build.digestedImagePushSpec ? `**Image** \`${build.digestedImagePushSpec}\`` : undefined,
      ...build.conditions.filter((c) => c.status === 'True').map(conditionLine),
    ].filter(Boolean).join('\n\n'),
    icon: buildIcon(buildState),
    contextValue: 'machineOSBuild',
    collapsible: 'none',
  };
}

function buildIcon(state: BuildState | undefined): IconData {
  switch (state) {
    case 'Succeeded':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'Failed':
    case 'Interrupted':
      return { id: 'error', color: 'list.errorForeground' };
    case 'Building':
    case 'Prepared':
    case 'Pending':
      return { id: 'sync~spin', color: 'charts.blue' };
    default:
      return { id: 'circle-outline' };
  }
}
