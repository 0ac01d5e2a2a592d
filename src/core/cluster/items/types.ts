import type { Problem } from '../../problem';
import type { SessionHealth } from '../health';
import type { ClusterSnapshot, PoolView } from '../model';

/** What the cluster tree is made of and what each item shows, without VS Code (see ../tree.ts). */

export type ElementKind = 'cluster' | 'baseImage' | 'problem' | 'message' | 'pool' | 'node' | 'machineConfigs' | 'machineConfig' | 'machineOSConfig' | 'machineOSBuild';

export interface TreeElement {
  readonly id: string;
  readonly kind: ElementKind;
  /** Object name (pool, node, MachineConfig …), or a key for problems and messages. */
  readonly name: string;
  /** The pool an item sits under. */
  readonly pool?: string;
}

export interface IconData {
  /** A codicon id, e.g. `sync~spin`. */
  readonly id: string;
  /** A theme color id, e.g. `testing.iconPassed`. */
  readonly color?: string;
}

export interface ItemData {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  readonly icon?: IconData;
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: { readonly command: string; readonly title: string; readonly arguments?: readonly unknown[] };
}

export type SessionState = {
  readonly kind: 'session';
  readonly context: string;
  readonly server: string;
  readonly snapshot: ClusterSnapshot;
  readonly health: SessionHealth;
  readonly warnings: readonly string[];
  readonly timeoutSeconds: number;
};

/** What the explorer knows, as the tree reads it. */
export type ExplorerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'noKubeconfig'; readonly problem: Problem }
  | { readonly kind: 'problem'; readonly problem: Problem; readonly context?: string; readonly server?: string; readonly warnings: readonly string[] }
  | { readonly kind: 'loading'; readonly context: string; readonly server?: string }
  | SessionState;

/** What an item renderer may ask the tree model: the state, node membership, problems, other elements. */
export interface RenderContext {
  readonly state: ExplorerState;
  /** The pools a node is listed under (the tree's cached membership). */
  poolsOf(node: string, snapshot: ClusterSnapshot): readonly string[];
  problemOf(element: TreeElement): Problem | undefined;
  elementById(id: string): TreeElement | undefined;
  /** When what the tree shows of `resource` was last known current, while the cluster cannot be read; else undefined. */
  staleAsOf(resource: 'pools' | 'nodes'): number | undefined;
  /** The pool's view as the status bar reads it at the same moment. */
  poolView(name: string): PoolView | undefined;
}
