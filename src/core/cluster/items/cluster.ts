import { shortImage } from '../../image/reference';
import { PROBLEM_MARK, hostOf, md } from './format';
import type { IconData, ItemData, RenderContext, TreeElement } from './types';

/** The root item (the kubeconfig context) and the cluster's base image. */

export function clusterItem(element: TreeElement, { state }: RenderContext): ItemData {
  if (state.kind !== 'session') return { id: element.id, label: element.name, contextValue: 'cluster', collapsible: 'expanded' };
  const version = state.snapshot.clusterVersion?.version;
  const health = state.health;
  const hosted = health.state === 'notMcoManaged' && state.snapshot.clusterVersion !== undefined;
  const icon: IconData = hosted ? { id: 'server-environment' }
    : health.problem ? PROBLEM_MARK
    : health.state === 'connecting' ? { id: 'loading~spin' }
    : health.resourceProblems.length > 0 ? { id: 'warning', color: 'list.warningForeground' }
    : { id: 'server-environment' };
  const tooltip = [
    `**Context** ${md(state.context)}`,
    `**Server** ${md(state.server)}`,
    `**OpenShift** ${version ?? 'unknown'}${state.snapshot.clusterVersion?.progressing ? ' (cluster update in progress)' : ''}`,
    `**Base image** \`${state.snapshot.osImageUrls?.baseOSContainerImage ?? 'unknown'}\``,
    health.problem ? `\n$(error) ${md(health.problem.what)}` : '',
  ].filter(Boolean).join('\n\n');
  return {
    id: element.id,
    label: state.context,
    description: [hostOf(state.server), version ? `OpenShift ${version}` : undefined].filter(Boolean).join(' · '),
    tooltip,
    icon,
    contextValue: 'cluster',
    collapsible: 'expanded',
  };
}

export function baseImageItem(element: TreeElement, { state }: RenderContext): ItemData {
  const image = state.kind === 'session' ? state.snapshot.osImageUrls?.baseOSContainerImage ?? '' : '';
  return {
    id: element.id,
    label: 'Base image',
    description: shortImage(image, { name: 'last' }),
    tooltip: `**Cluster base image** (\`baseOSContainerImage\` in the \`machine-config-osimageurl\` ConfigMap)\n\n\`${image}\`\n\nUse it in \`FROM\` for images layered on this cluster's RHCOS.`,
    icon: { id: 'package' },
    contextValue: 'baseImage',
    collapsible: 'none',
  };
}
