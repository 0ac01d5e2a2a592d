import { nodeView, type NodeView } from '../model';
import { shortImage } from '../../image/reference';
import { md } from './format';
import type { IconData, ItemData, RenderContext, TreeElement } from './types';

/** A node row under its pool: the MCO's state of it, kubelet readiness, and the image it runs. */

export function nodeItem(element: TreeElement, context: RenderContext): ItemData {
  const state = context.state;
  const node = state.kind === 'session' ? state.snapshot.nodes.get(element.name) : undefined;
  if (state.kind !== 'session' || !node) return { id: element.id, label: element.name, contextValue: 'node', collapsible: 'none' };
  const view = nodeView(node, context.poolsOf(element.name, state.snapshot), state.snapshot);
  return {
    id: element.id,
    label: view.name,
    description: nodeDescription(view),
    tooltip: nodeTooltip(view),
    icon: nodeIcon(view),
    contextValue: 'node',
    collapsible: 'none',
  };
}

export function nodeIcon(view: NodeView): IconData {
  if (view.pools.length > 1) return { id: 'warning', color: 'list.warningForeground' };
  switch (view.state) {
    case 'Degraded':
    case 'Unreconcilable':
      return { id: 'error', color: 'list.errorForeground' };
    case 'Rebooting':
      return { id: 'debug-restart', color: 'charts.yellow' };
    case 'Working':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'Done':
      if (!view.ready) return { id: 'warning', color: 'list.warningForeground' };
      if (!view.schedulable) return { id: 'circle-slash', color: 'charts.yellow' };
      if (view.updating) return { id: 'clock', color: 'charts.blue' };
      return { id: 'pass', color: 'testing.iconPassed' };
    default:
      return { id: 'circle-outline' };
  }
}

export function nodeDescription(view: NodeView): string {
  const parts: string[] = [view.state, view.ready ? 'Ready' : 'NotReady'];
  if (!view.schedulable) parts.push('SchedulingDisabled');
  if (view.draining) parts.push('draining');
  if (view.osImageURL) parts.push(view.customImage ? `custom ${shortImage(view.osImageURL, { name: 'last' })}` : 'base image');
  if (view.desiredConfig && view.currentConfig !== view.desiredConfig) parts.push(`→ ${view.desiredConfig}`);
  if (view.pools.length > 1) parts.push(`in ${view.pools.length} pools`);
  if (view.reason) parts.push(view.reason.length > 80 ? `${view.reason.slice(0, 79)}…` : view.reason);
  return parts.join(' · ');
}

function nodeTooltip(view: NodeView): string {
  return [
    `**${md(view.name)}**`,
    `**MCO state** ${view.state}${view.state === 'Rebooting' ? ' (post-config-action)' : ''}`,
    `**Kubelet** ${view.ready ? 'Ready' : 'NotReady'}`,
    `**Scheduling** ${view.schedulable ? 'enabled' : 'disabled (cordoned)'}${view.draining ? ', drain in progress' : ''}`,
    `**Current config** ${md(view.currentConfig || '?')}`,
    `**Desired config** ${md(view.desiredConfig || '?')}`,
    `**Image** ${view.osImageURL ? `\`${view.osImageURL}\`${view.customImage ? ' (custom)' : ' (base)'}` : 'unknown'}`,
    `**Pools** ${view.pools.join(', ') || 'none'}${view.pools.length > 1 ? ' (a node in two custom pools is an error: the MCO manages it in neither)' : ''}`,
    view.reason ? `**Reason** ${md(view.reason)}` : undefined,
  ].filter(Boolean).join('\n\n');
}
