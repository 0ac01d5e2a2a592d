import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { isObjectKind, type ObjectKind } from '../../core/cluster/resources';
import type { ResourceId } from '../../core/cluster/informer';
import { formatProblem } from '../../core/problem';
import type { ClusterExplorer } from './explorer';

/**
 * Cluster objects as read-only YAML documents: `rhcos-cluster:/<context>/<Kind>/<name>.yaml`. The content is fetched
 * whole (the store only keeps slim objects), without managedFields, and refreshed when the object changes on the
 * cluster while the document is open.
 */

export const OBJECT_SCHEME = 'rhcos-cluster';

const RESOURCE_OF_KIND: Partial<Record<ObjectKind, ResourceId>> = {
  MachineConfigPool: 'pools',
  Node: 'nodes',
  MachineConfig: 'machineConfigs',
  MachineOSConfig: 'machineOSConfigs',
  MachineOSBuild: 'machineOSBuilds',
};

export function objectUri(context: string, kind: ObjectKind, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: `/${encodeURIComponent(context)}/${kind}/${encodeURIComponent(name)}.yaml` });
}

export function parseObjectUri(uri: vscode.Uri): { context: string; kind: ObjectKind; name: string } | undefined {
  const match = /^\/([^/]+)\/([^/]+)\/([^/]+)\.yaml$/.exec(uri.path);
  if (!match || !isObjectKind(match[2])) return undefined;
  return { context: decodeURIComponent(match[1]!), kind: match[2], name: decodeURIComponent(match[3]!) };
}

export class ClusterObjectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly off: vscode.Disposable;

  constructor(private readonly explorer: ClusterExplorer) {
    this.off = explorer.onDidChange((change) => {
      if (!change.changes) return;
      const open = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === OBJECT_SCHEME);
      if (open.length === 0) return;
      for (const document of open) {
        const target = parseObjectUri(document.uri);
        if (!target) continue;
        const resource = RESOURCE_OF_KIND[target.kind];
        if (change.changes.some((c) => c.resource === resource && c.name === target.name)) this.refreshSoon(document.uri);
      }
    });
  }

  private refreshSoon(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.timers.has(key)) return;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.emitter.fire(uri);
    }, 500));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parseObjectUri(uri);
    if (!target) return `# Not a cluster object address: ${uri.toString()}\n`;
    await this.explorer.start();
    const session = this.explorer.session;
    if (!session || session.context !== target.context) {
      return `# ${target.kind} ${target.name}: the Cluster view is not connected to context ${target.context} any more${session ? ` (it shows ${session.context})` : ''}.\n`;
    }
    const result = await session.getObject(target.kind, target.name);
    if (!result.ok) return `# ${formatProblem(result.problem)}\n`;
    const header = `# ${target.kind} ${target.name} on context ${session.context} (${session.server}), read-only.\n# Fetched ${new Date().toISOString()}; managedFields left out. It refreshes when the object changes.\n`;
    return header + stringify(result.value, { lineWidth: 0 });
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.off.dispose();
    this.emitter.dispose();
  }
}
