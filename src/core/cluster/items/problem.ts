import type { Problem } from '../../problem';
import { PROBLEM_MARK, hostOf, md, nextTry, selectorText } from './format';
import type { ExplorerState, ItemData, RenderContext, TreeElement } from './types';

/** Problem items (what failed, with "why" and "next" lines under them) and one-line messages. */

export const KUBECONFIG_WARNING_PREFIX = 'kubeconfig-warning-';

/** The Problem a problem element (or the why/next line of one) stands for. */
export function problemOf(element: TreeElement, state: ExplorerState): Problem | undefined {
  if (state.kind === 'problem' || state.kind === 'noKubeconfig') return state.problem;
  if (state.kind !== 'session') return undefined;
  if (element.name === 'cluster') return state.health.problem;
  if (element.name.startsWith(KUBECONFIG_WARNING_PREFIX)) {
    const warning = state.warnings[Number(element.name.slice(KUBECONFIG_WARNING_PREFIX.length))];
    return warning ? { what: 'A kubeconfig file was skipped', why: warning, next: 'Fix or remove the file; the other files are used.' } : undefined;
  }
  return state.health.resourceProblems.find((p) => p.resource === element.name)?.problem;
}

export function problemItem(element: TreeElement, context: RenderContext): ItemData {
  const state = context.state;
  const problem = context.problemOf(element) ?? { what: 'Unknown problem', why: '', next: '' };
  const resourceProblem = state.kind === 'session' ? state.health.resourceProblems.find((p) => p.resource === element.name) : undefined;
  const retryAt = element.name === 'cluster' && state.kind === 'session' ? state.health.retryAt : resourceProblem?.retryAt;
  const retryable = !element.name.startsWith(KUBECONFIG_WARNING_PREFIX);
  const when = retryAt !== undefined ? nextTry(retryAt) : undefined;
  const warningOnly = element.name.startsWith(KUBECONFIG_WARNING_PREFIX) || (resourceProblem !== undefined && resourceProblem.state !== 'unreachable');
  // A hosted control plane is not broken: its nodes are managed elsewhere.
  const informational = element.name === 'cluster' && state.kind === 'session' && state.health.state === 'notMcoManaged' && state.snapshot.clusterVersion !== undefined;
  return {
    id: element.id,
    label: problem.what,
    description: [resourceProblem?.stale ? 'showing the last known state' : undefined, when].filter(Boolean).join(' · ') || undefined,
    tooltip: `**${md(problem.what)}**\n\n${md(problem.why)}\n\n${md(problem.next)}`,
    icon: informational ? { id: 'info' } : warningOnly ? { id: 'warning', color: 'list.warningForeground' } : PROBLEM_MARK,
    contextValue: retryable ? 'problem retry' : 'problem',
    collapsible: 'expanded',
  };
}

export function messageItem(element: TreeElement, context: RenderContext): ItemData {
  const state = context.state;
  const base = { id: element.id, contextValue: 'message', collapsible: 'none' as const };
  if (element.name === 'loading') return { ...base, label: `Loading the Kubernetes client for ${state.kind === 'loading' ? state.context : ''}…`, icon: { id: 'loading~spin' } };
  if (element.name === 'connecting' && state.kind === 'session') {
    return { ...base, label: `Connecting to ${hostOf(state.server)}…`, description: `gives up after ${state.timeoutSeconds} s`, icon: { id: 'loading~spin' } };
  }
  if (element.name === 'no-pools') return { ...base, label: 'No MachineConfigPools on this cluster', icon: { id: 'info' } };
  if (element.name === 'no-nodes' && state.kind === 'session') {
    const pool = state.snapshot.pools.get(element.pool ?? '');
    return {
      ...base,
      label: 'No node matches this pool\'s nodeSelector',
      description: selectorText(pool?.nodeSelector),
      tooltip: `The pool selects nodes with \`${selectorText(pool?.nodeSelector)}\`; no node has those labels. Label a node (\`oc label node <name> node-role.kubernetes.io/${element.pool}=\`) to add it.`,
      icon: { id: 'info' },
    };
  }
  const match = /^(why|next):(.*)$/.exec(element.name);
  if (match) {
    const target = context.elementById(match[2]!);
    const problem = target ? context.problemOf(target) : undefined;
    const text = match[1] === 'why' ? problem?.why : problem?.next;
    return { ...base, label: text ?? '', tooltip: md(text ?? ''), icon: { id: match[1] === 'why' ? 'info' : 'lightbulb' } };
  }
  return { ...base, label: element.name };
}
