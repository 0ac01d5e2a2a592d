import { shortImage } from '../../image/reference';
import { degradedGuidance } from '../guidance';
import { effectiveMaxUnavailable, describeMaxUnavailable } from '../nodeState';
import { nodeView, type ClusterSnapshot, type NodeView } from '../model';
import { describeStep, type UpdateProgress } from '../updateProgress';
import { clockTime, md, staleIcon } from './format';
import type { IconData, ItemData, RenderContext, TreeElement } from './types';

/** A node row under its pool: where it is in its update, the image it runs, then whatever is wrong with it. */

export function nodeItem(element: TreeElement, context: RenderContext): ItemData {
  const state = context.state;
  const node = state.kind === 'session' ? state.snapshot.nodes.get(element.name) : undefined;
  if (state.kind !== 'session' || !node) return { id: element.id, label: element.name, contextValue: 'node', collapsible: 'none' };
  const view = nodeView(node, context.poolsOf(element.name, state.snapshot), state.snapshot);
  const asOf = context.staleAsOf('nodes');
  const description = nodeDescription(view);
  return {
    id: element.id,
    label: view.name,
    description: asOf === undefined ? description : `as of ${clockTime(asOf)} · ${description}`,
    tooltip: (asOf === undefined ? '' : `_Last known state, as of ${clockTime(asOf)}: the cluster cannot be read right now._\n\n`) + nodeTooltip(view, state.snapshot),
    icon: asOf === undefined ? nodeIcon(view) : staleIcon(nodeIcon(view)),
    contextValue: `node ${view.phase}`,
    collapsible: 'none',
  };
}

/** Distinct per phase, and for a node done with its update, base image (check) or custom image (layers). */
export function nodeIcon(view: NodeView): IconData {
  if (view.poolError) return { id: 'warning', color: 'list.warningForeground' };
  switch (view.phase) {
    case 'degraded':
    case 'unreconcilable':
      return { id: 'error', color: 'list.errorForeground' };
    case 'rebooting':
      return { id: 'debug-restart', color: 'charts.yellow' };
    case 'draining':
      return { id: 'arrow-circle-down', color: 'charts.blue' };
    case 'updating':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'waiting':
      return { id: 'clock', color: 'charts.yellow' };
    case 'done':
      if (!view.kubeletReady) return { id: 'warning', color: 'list.warningForeground' };
      if (!view.schedulable) return { id: 'circle-slash', color: 'charts.yellow' };
      return view.customImage ? { id: 'layers', color: 'testing.iconPassed' } : { id: 'pass', color: 'testing.iconPassed' };
  }
}

/** Phase and image first (the row is cut off at the right), then the target, readiness, the MCN step, the reason. */
export function nodeDescription(view: NodeView): string {
  const parts: string[] = [view.phase];
  if (view.osImageURL) parts.push(view.customImage ? `custom ${shortImage(view.osImageURL, { name: 'last' })}` : 'base image');
  if (view.desiredImage) parts.push(`→ ${shortImage(view.desiredImage, { name: 'last' })}`);
  if (view.desiredConfig && view.currentConfig !== view.desiredConfig) parts.push(`→ ${view.desiredConfig}`);
  else if (view.phase === 'waiting' && view.targetConfig && view.desiredConfig !== view.targetConfig) parts.push(`not yet picked for ${view.targetConfig}`);
  if (!view.kubeletReady) parts.push('NotReady');
  else if (view.notReadyReason && view.notReadyReason !== 'Unschedulable') parts.push(view.notReadyReason);
  if (!view.schedulable) parts.push('SchedulingDisabled');
  const step = view.progress && !view.progress.complete ? view.progress.current : undefined;
  if (step) parts.push(describeStep(step, isoClock));
  if (view.poolError) parts.push(`in ${view.pools.length} custom pools: not managed`);
  if (view.reason) parts.push(view.reason.length > 80 ? `${view.reason.slice(0, 79)}…` : view.reason);
  return parts.join(' · ');
}

const PHASE_TEXT: Readonly<Record<NodeView['phase'], string>> = {
  done: 'up to date with its pool',
  waiting: 'done with an older config; the node controller has not picked it for the pool\'s target yet',
  updating: 'the machine-config-daemon is applying its desired config',
  draining: 'the drain controller is draining it',
  rebooting: 'rebooting into its new config',
  degraded: 'the daemon hit an error (see the reason)',
  unreconcilable: 'its desired config asks for a change the MCO cannot make in place',
};

function nodeTooltip(view: NodeView, snapshot: ClusterSnapshot): string {
  const pool = view.pools.length === 1 ? snapshot.pools.get(view.pools[0]!) : undefined;
  const waitingTurn = view.phase === 'waiting' && pool ? ` (${describeMaxUnavailable(effectiveMaxUnavailable(pool))})` : '';
  const guidance = degradedGuidance(view);
  return [
    `**${md(view.name)}**: ${view.phase}, ${PHASE_TEXT[view.phase]}${waitingTurn}`,
    `**Up to date** ${view.upToDate ? 'yes' : 'no'} · **MCO state** ${view.state}${view.state === 'Rebooting' ? ' (post-config-action)' : ''}`,
    `**Ready (as the MCO counts it)** ${view.ready ? 'yes' : `no: ${view.notReadyReason}`}${view.draining ? ' · drain in progress' : ''}`,
    `**Current config** ${md(view.currentConfig || '?')}`,
    `**Desired config** ${md(view.desiredConfig || '?')}${view.targetConfig ? ` · **pool target** ${md(view.targetConfig)}` : ''}`,
    `**Image** ${view.osImageURL ? `\`${view.osImageURL}\`${view.customImage ? ' (custom)' : ' (base)'}` : 'unknown'}${view.desiredImage ? ` → \`${view.desiredImage}\`` : ''}`,
    `**Pool** ${view.pools.join(', ') || 'none'}${view.poolError ? `\n\n$(warning) ${md(view.poolError)}` : ''}`,
    view.progress ? progressMarkdown(view.progress) : undefined,
    view.reason ? `**Reason** ${md(view.reason)}` : undefined,
    // Our own text (node and config names are DNS names): kept unescaped so its commands show as code.
    guidance ? `**The MCO is waiting for** ${guidance.waitingFor}\n\n**Next** ${guidance.next}` : undefined,
  ].filter(Boolean).join('\n\n');
}

const STEP_MARK = { done: '$(check)', active: '$(sync)', failed: '$(error)', pending: '$(circle-small)' } as const;

function progressMarkdown(progress: UpdateProgress): string {
  const lines = progress.steps.map((s) => `- ${STEP_MARK[s.status]} ${md(describeStep(s, isoClock))}${s.status === 'failed' && s.message ? `: ${md(s.message)}` : ''}`);
  return `**Update (MachineConfigNode)**${progress.desiredConfig ? ` to ${md(progress.desiredConfig)}` : ''}\n${lines.join('\n')}`;
}

function isoClock(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : clockTime(at);
}
