import type { ClusterSnapshot } from './model';
import { nodeView, poolsOfNode } from './model';
import type { LabelSelector } from './objects';

/**
 * The `oc` commands an admin runs to check by hand what the tree shows: the pool, the rendered config, and what
 * rpm-ostree on the node itself says it booted.
 */

/** A label selector as `oc get -l` takes it. */
export function selectorArgument(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Quotes for a POSIX shell when needed. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%^,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function oc(context: string, ...args: string[]): string {
  return ['oc', '--context', shellQuote(context), ...args].join(' ');
}

export function poolVerificationCommands(pool: string, snapshot: ClusterSnapshot): string[] {
  const object = snapshot.pools.get(pool);
  const context = snapshot.context;
  const commands = [oc(context, 'get', 'mcp', shellQuote(pool))];
  const selector = selectorArgument(object?.nodeSelector);
  if (selector) commands.push(oc(context, 'get', 'nodes', '-l', shellQuote(selector)));
  const rendered = object?.targetConfig ?? object?.currentConfig;
  if (rendered) commands.push(oc(context, 'describe', 'mc', shellQuote(rendered)));
  const pools = [...snapshot.pools.values()];
  const first = [...snapshot.nodes.values()].filter((n) => poolsOfNode(n, pools).includes(pool)).map((n) => n.metadata.name).sort()[0];
  commands.push(oc(context, 'debug', `node/${shellQuote(first ?? '<node>')}`, '--', 'chroot', '/host', 'rpm-ostree', 'status'));
  return commands;
}

export function nodeVerificationCommands(node: string, snapshot: ClusterSnapshot): string[] {
  const object = snapshot.nodes.get(node);
  const context = snapshot.context;
  const pools = object ? poolsOfNode(object, snapshot.pools.values()) : [];
  const view = object ? nodeView(object, pools, snapshot) : undefined;
  const commands = [oc(context, 'get', 'node', shellQuote(node), '-o', 'wide')];
  for (const pool of pools) commands.push(oc(context, 'get', 'mcp', shellQuote(pool)));
  if (view?.currentConfig) commands.push(oc(context, 'describe', 'mc', shellQuote(view.currentConfig)));
  if (view?.desiredConfig && view.desiredConfig !== view.currentConfig) commands.push(oc(context, 'describe', 'mc', shellQuote(view.desiredConfig)));
  commands.push(oc(context, 'debug', `node/${shellQuote(node)}`, '--', 'chroot', '/host', 'rpm-ostree', 'status'));
  return commands;
}
