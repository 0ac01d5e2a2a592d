import { describeMaxUnavailable } from '../nodeState';
import { type PoolView } from '../model';
import { clockTime, conditionLine, md, staleIcon } from './format';
import type { IconData, ItemData, RenderContext, TreeElement } from './types';

/** A MachineConfigPool row: its state like `oc get mcp`, which image it runs, and its menus. */

export function poolItem(element: TreeElement, context: RenderContext): ItemData {
  const state = context.state;
  const view = context.poolView(element.name);
  if (state.kind !== 'session' || !view) return { id: element.id, label: element.name, contextValue: 'pool', collapsible: 'collapsed' };
  const imageKnown = view.osImageURL !== undefined;
  const base = state.snapshot.osImageUrls?.baseOSContainerImage;
  const kind = (custom: boolean): string => (custom ? 'custom image' : 'base image');
  const moving = view.targetOsImageURL !== undefined && view.targetOsImageURL !== view.osImageURL && view.targetConfig !== view.renderedConfig;
  const image = !imageKnown ? undefined
    : moving ? `${kind(view.customImage)} → ${kind(base !== undefined && view.targetOsImageURL !== base)}`
    : kind(view.customImage);
  const layering = view.layered ? 'on-cluster layering' : undefined;
  const asOf = context.staleAsOf('pools');
  const stale = asOf === undefined ? undefined : `as of ${clockTime(asOf)}`;
  return {
    id: element.id,
    label: view.name,
    description: [stale, view.summary, image, layering].filter(Boolean).join(' · '),
    tooltip: (stale ? `_Last known state, ${stale}: the cluster cannot be read right now._\n\n` : '') + poolTooltip(view),
    icon: stale ? staleIcon(poolIcon(view)) : poolIcon(view),
    contextValue: poolContextValue(view),
    collapsible: 'collapsed',
  };
}

/**
 * Menus match these words (package.json): `running`/`paused` (Pause, Resume), `custom`/`base` (the image it runs now),
 * `layered` (has a MachineOSConfig), `rollback` (Roll Back: a custom image now or in its target, an osImageURL
 * MachineConfig, or a MachineOSConfig, whether the pool is updated, updating or degraded).
 */
export function poolContextValue(view: PoolView): string {
  return ['pool', view.paused ? 'paused' : 'running', view.customImage ? 'custom' : 'base', view.layered ? 'layered' : undefined, view.rollBackable ? 'rollback' : undefined]
    .filter(Boolean).join(' ');
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
  const conditions = view.conditions.filter((c) => c.status === 'True' || c.message).map((c) => `- ${conditionLine(c)}`);
  return [
    `**${md(view.name)}**: ${view.summary}`,
    `Machines ${view.machineCount} · ready ${view.readyMachineCount} · updated ${view.updatedMachineCount} · degraded ${view.degradedMachineCount}${view.paused ? ' · **paused**' : ''} (the MCO's counts)`,
    `**Updates** ${describeMaxUnavailable(view.maxUnavailable)}`,
    `**Rendered config** ${md(view.renderedConfig ?? '?')}${view.targetConfig && view.targetConfig !== view.renderedConfig ? ` → ${md(view.targetConfig)}` : ''}`,
    `**Image** ${view.osImageURL ? `\`${view.osImageURL}\` (${view.customImage ? 'custom layered image' : 'cluster base image'})` : 'unknown'}`,
    view.targetOsImageURL && view.targetOsImageURL !== view.osImageURL ? `**Moving to** \`${view.targetOsImageURL}\`` : undefined,
    conditions.length ? `**Conditions**\n${conditions.join('\n')}` : undefined,
  ].filter(Boolean).join('\n\n');
}
