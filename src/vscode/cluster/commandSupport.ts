import * as vscode from 'vscode';
import type { ClusterSession } from '../../core/cluster/entry';
import { poolView, type PoolView } from '../../core/cluster/model';
import type { TreeElement } from '../../core/cluster/tree';
import { formatProblem } from '../../core/problem';
import type { ClusterExplorer } from './explorer';

/** What the cluster commands share: getting a usable session, picking a pool, showing failures. */

export function isTreeElement(value: unknown): value is TreeElement {
  return typeof value === 'object' && value !== null && typeof (value as TreeElement).id === 'string' && typeof (value as TreeElement).kind === 'string';
}

/** The connected session, or undefined after telling the user why there is none. */
export async function connectedSession(explorer: ClusterExplorer, purpose: string): Promise<ClusterSession | undefined> {
  await explorer.start();
  const session = explorer.session;
  const health = session ? await session.settled() : undefined;
  const state = explorer.state;
  const problem = state.kind === 'problem' || state.kind === 'noKubeconfig' ? state.problem : health?.problem;
  if (!session || problem) {
    const show = 'Show Cluster View';
    const text = problem ? formatProblem(problem) : 'The Cluster view is not connected to a cluster.';
    void vscode.window.showErrorMessage(`Cannot ${purpose}. ${text}`, show).then((choice) => {
      if (choice === show) void vscode.commands.executeCommand('rhcosLayering.cluster.focus');
    });
    return undefined;
  }
  return session;
}

/** The connected session and its cluster's base image (baseOSContainerImage), or undefined after saying why not. */
export async function clusterBaseImage(explorer: ClusterExplorer, purpose: string): Promise<{ session: ClusterSession; image: string } | undefined> {
  const session = await connectedSession(explorer, purpose);
  if (!session) return undefined;
  const image = session.store.osImageUrls?.baseOSContainerImage;
  if (!image) {
    void vscode.window.showErrorMessage(`Context ${session.context} did not give its base image (the machine-config-osimageurl ConfigMap could not be read).`);
    return undefined;
  }
  return { session, image };
}

/** The pool a command was invoked on, or one the user picks (optionally among those `filter` accepts). */
export async function poolFromArgument(session: ClusterSession, argument: unknown, title: string, filter: (view: PoolView) => boolean = () => true): Promise<PoolView | undefined> {
  const store = session.store;
  const name = isTreeElement(argument) && argument.kind === 'pool' ? argument.name : typeof argument === 'string' ? argument : undefined;
  if (name) {
    const pool = store.pools.get(name);
    if (!pool) {
      void vscode.window.showErrorMessage(`Pool ${name} is not on context ${session.context} (any more).`);
      return undefined;
    }
    return poolView(pool, store);
  }
  const views = [...store.pools.values()].map((p) => poolView(p, store)).filter(filter).sort((a, b) => a.name.localeCompare(b.name));
  if (views.length === 0) {
    void vscode.window.showInformationMessage(`No pool on context ${session.context} fits: ${title}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(views.map((v) => ({ label: v.name, description: v.summary, view: v })), { title });
  return picked?.view;
}

export function reportProblem(what: string, problem: { what: string; why: string; next: string }): void {
  void vscode.window.showErrorMessage(`${what}: ${formatProblem(problem)}`, { modal: false });
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
