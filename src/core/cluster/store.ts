import type { InformerEvent, ResourceId } from './informer';
import type { ClusterSnapshot } from './model';
import type {
  ClusterVersionInfo, MachineConfigNodeObject, MachineConfigObject, MachineOSBuildObject, MachineOSConfigObject, NodeObject, OsImageUrlConfigMap, PoolObject,
} from './objects';

/**
 * What the informers know, as the ClusterSnapshot the view-model reads, plus a change feed per item: a relist that
 * finds nothing new says nothing, a node that changed says "nodes/<name> modified". The tree refreshes exactly those.
 */

export type ChangeType = 'added' | 'modified' | 'deleted';

export interface StoreChange {
  readonly resource: ResourceId;
  readonly name: string;
  readonly type: ChangeType;
  /** performance.now() when the watch event arrived; undefined for changes found by a list. */
  readonly receivedAt?: number;
}

interface ObjectWithMeta {
  readonly metadata: { readonly resourceVersion: string };
}

export interface ResourceTypes {
  pools: PoolObject;
  nodes: NodeObject;
  machineConfigs: MachineConfigObject;
  osImageUrls: OsImageUrlConfigMap;
  clusterVersion: ClusterVersionInfo;
  machineOSConfigs: MachineOSConfigObject;
  machineOSBuilds: MachineOSBuildObject;
  machineConfigNodes: MachineConfigNodeObject;
}

/** The ConfigMap and ClusterVersion slimmers keep no metadata; the store keeps a fingerprint beside them. */
interface Versioned<T> {
  readonly value: T;
  readonly resourceVersion: string;
}

export class ClusterStore implements ClusterSnapshot {
  readonly pools = new Map<string, PoolObject>();
  readonly nodes = new Map<string, NodeObject>();
  readonly machineConfigs = new Map<string, MachineConfigObject>();
  readonly machineOSConfigs = new Map<string, MachineOSConfigObject>();
  readonly machineOSBuilds = new Map<string, MachineOSBuildObject>();
  readonly machineConfigNodes = new Map<string, MachineConfigNodeObject>();
  private readonly singletons = {
    osImageUrls: new Map<string, Versioned<OsImageUrlConfigMap>>(),
    clusterVersion: new Map<string, Versioned<ClusterVersionInfo>>(),
  };
  private readonly listeners = new Set<(changes: readonly StoreChange[]) => void>();

  constructor(
    readonly context: string,
    readonly server: string,
  ) {}

  get osImageUrls(): OsImageUrlConfigMap | undefined {
    return this.singletons.osImageUrls.values().next().value?.value;
  }

  get clusterVersion(): ClusterVersionInfo | undefined {
    return this.singletons.clusterVersion.values().next().value?.value;
  }

  onChange(listener: (changes: readonly StoreChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies an informer event for `resource` and tells listeners which items changed. */
  apply<K extends ResourceId>(resource: K, event: InformerEvent<ResourceTypes[K]>): readonly StoreChange[] {
    const changes = resource === 'osImageUrls' || resource === 'clusterVersion'
      ? this.applySingleton(resource, event as InformerEvent<unknown>)
      : this.applyObjects(this.mapFor(resource) as Map<string, ObjectWithMeta>, resource, event as InformerEvent<ObjectWithMeta>);
    if (changes.length > 0) for (const listener of this.listeners) listener(changes);
    return changes;
  }

  /** Forgets one resource type (its informer stopped, e.g. the API is not served any more). */
  clear(resource: ResourceId): readonly StoreChange[] {
    return this.apply(resource, { type: 'replace', items: new Map<string, never>() });
  }

  private mapFor(resource: Exclude<ResourceId, 'osImageUrls' | 'clusterVersion'>): Map<string, unknown> {
    switch (resource) {
      case 'pools':
        return this.pools;
      case 'nodes':
        return this.nodes;
      case 'machineConfigs':
        return this.machineConfigs;
      case 'machineOSConfigs':
        return this.machineOSConfigs;
      case 'machineOSBuilds':
        return this.machineOSBuilds;
      case 'machineConfigNodes':
        return this.machineConfigNodes;
    }
  }

  private applyObjects(map: Map<string, ObjectWithMeta>, resource: ResourceId, event: InformerEvent<ObjectWithMeta>): StoreChange[] {
    // An empty resourceVersion says nothing about sameness, so such an object always counts as changed.
    const same = (a: ObjectWithMeta, b: ObjectWithMeta): boolean => a.metadata.resourceVersion !== '' && a.metadata.resourceVersion === b.metadata.resourceVersion;
    return applyEvent(map, resource, event, (object) => object, same);
  }

  /** The ConfigMap and the ClusterVersion are compared by what the view reads of them: other changes are no change. */
  private applySingleton(resource: 'osImageUrls' | 'clusterVersion', event: InformerEvent<unknown>): StoreChange[] {
    const map = this.singletons[resource] as Map<string, Versioned<unknown>>;
    const wrap = (value: unknown): Versioned<unknown> => ({ value, resourceVersion: JSON.stringify(value) });
    return applyEvent(map, resource, event, wrap, (a, b) => a.resourceVersion === b.resourceVersion);
  }
}

/** Applies one informer event to `map`, returning the items that really changed (`same` spots no-op updates). */
function applyEvent<T, S>(map: Map<string, S>, resource: ResourceId, event: InformerEvent<T>, stored: (value: T) => S, same: (a: S, b: S) => boolean): StoreChange[] {
  switch (event.type) {
    case 'upsert': {
      const next = stored(event.object);
      const previous = map.get(event.name);
      if (previous && same(previous, next)) return [];
      map.set(event.name, next);
      return [{ resource, name: event.name, type: previous ? 'modified' : 'added', receivedAt: event.receivedAt }];
    }
    case 'delete':
      return map.delete(event.name) ? [{ resource, name: event.name, type: 'deleted', receivedAt: event.receivedAt }] : [];
    case 'replace': {
      const changes: StoreChange[] = [];
      for (const name of map.keys()) {
        if (!event.items.has(name)) {
          map.delete(name);
          changes.push({ resource, name, type: 'deleted' });
        }
      }
      for (const [name, value] of event.items) {
        const next = stored(value);
        const previous = map.get(name);
        if (previous && same(previous, next)) continue;
        map.set(name, next);
        changes.push({ resource, name, type: previous ? 'modified' : 'added' });
      }
      return changes;
    }
  }
}
