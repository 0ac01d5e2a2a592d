import { machineOSConfigOf, poolView, type PoolView } from '../model';
import { md } from './format';
import type { IconData, ItemData, RenderContext, TreeElement } from './types';

/** A MachineConfigPool row: its state like `oc get mcp`, which image it runs, and its menus. */

export function poolItem(element: TreeElement, { state }: RenderContext): ItemData {
  const pool = state.kind === 'session' ? state.snapshot.pools.get(element.name) : undefined;
  if (state.kind !== 'session' || !pool) return { id: element.id, label: element.name, contextValue: 'pool', collapsible: 'collapsed' };
  const view = poolView(pool, state.snapshot);
  const imageKnown = view.osImageURL !== undefined;
  const base = state.snapshot.osImageUrls?.baseOSContainerImage;
  const kind = (custom: boolean): string => (custom ? 'custom image' : 'base image');
  const moving = view.targetOsImageURL !== undefined && view.targetOsImageURL !== view.osImageURL && view.targetConfig !== view.renderedConfig;
  const image = !imageKnown ? undefined
    : moving ? `${kind(view.customImage)} → ${kind(base !== undefined && view.targetOsImageURL !== base)}`
    : kind(view.customImage);
  const layering = machineOSConfigOf(view.name, state.snapshot) ? 'on-cluster layering' : undefined;
  return {
    id: element.id,
    label: view.name,
    description: [view.summary, image, layering].filter(Boolean).join(' · '),
    tooltip: poolTooltip(view),
    icon: poolIcon(view),
    contextValue: `pool ${view.paused ? 'paused' : 'running'} ${view.customImage ? 'custom' : 'base'}`,
    collapsible: 'collapsed',
  };
}

export function poolIcon(view: PoolView): IconData {
  switch (view.state) {
    case 'degraded':
      return { id: 'error', color: 'list.errorForeground' };
    case 'updating':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'updated':
      return { id: 'pass', color: 'testing.iconPassed' };
    default:
      return { id: 'question' };
  }
}

function poolTooltip(view: PoolView): string {
  const conditions = view.conditions
    .filter((c) => c.status === 'True' || c.message)
    .map((c) => `- **${c.type}** ${c.status}${c.reason ? ` (${md(c.reason)})` : ''}${c.message ? `: ${md(c.message)}` : ''}`);
  return [
    `**${md(view.name)}**: ${view.summary}`,
    `Machines ${view.machineCount} · ready ${view.readyMachineCount} · updated ${view.updatedMachineCount} · degraded ${view.degradedMachineCount}${view.paused ? ' · **paused**' : ''}`,
    `**Rendered config** ${md(view.renderedConfig ?? '?')}${view.targetConfig && view.targetConfig !== view.renderedConfig ? ` → ${md(view.targetConfig)}` : ''}`,
    `**Image** ${view.osImageURL ? `\`${view.osImageURL}\` (${view.customImage ? 'custom layered image' : 'cluster base image'})` : 'unknown'}`,
    view.targetOsImageURL && view.targetOsImageURL !== view.osImageURL ? `**Moving to** \`${view.targetOsImageURL}\`` : undefined,
    conditions.length ? `**Conditions**\n${conditions.join('\n')}` : undefined,
  ].filter(Boolean).join('\n\n');
}
