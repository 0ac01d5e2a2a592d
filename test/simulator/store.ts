// The object store: one resourceVersion counter for everything (like etcd), immutable entries with
// their JSON cached, and a bounded event history that watches replay from (older → 410 Gone).
import type { ResourceDef } from './resources';
import type { KObj } from './util';

/** A stored version of an object. Never mutated after it is stored; writers store a new one. */
export class Entry {
  private jsonCache: string | undefined;
  private itemJsonCache: string | undefined;
  private itemBufCache: Buffer | undefined;
  constructor(
    readonly def: ResourceDef,
    readonly obj: KObj,
  ) {}
  get key(): string {
    return keyOf(this.obj.metadata?.namespace, this.obj.metadata?.name);
  }
  get name(): string {
    return this.obj.metadata.name;
  }
  get namespace(): string | undefined {
    return this.obj.metadata.namespace;
  }
  get rv(): number {
    return Number(this.obj.metadata.resourceVersion);
  }
  /** The object as a GET or a watch event returns it. */
  json(): string {
    return (this.jsonCache ??= JSON.stringify(this.obj));
  }
  /** The object as a list item: built-in types drop kind/apiVersion inside lists, custom resources keep them. */
  itemJson(): string {
    if (this.def.group) return this.json();
    if (this.itemJsonCache === undefined) {
      const { kind: _k, apiVersion: _a, ...rest } = this.obj;
      this.itemJsonCache = JSON.stringify(rest);
    }
    return this.itemJsonCache;
  }
  /** itemJson() as UTF-8 bytes, cached: large lists are then a memcpy, not a re-encode. */
  itemBuffer(): Buffer {
    return (this.itemBufCache ??= Buffer.from(this.itemJson()));
  }
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  entry: Entry;
  /** The version before this change (MODIFIED and DELETED). */
  prev?: Entry;
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Puts kind/apiVersion first the way the real API server's encoders do. */
function normalise(def: ResourceDef, obj: KObj): KObj {
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return def.group ? { apiVersion, kind: def.kind, ...rest } : { kind: def.kind, apiVersion, ...rest };
}

export class Store {
  private currentRv: number;
  private readonly tables = new Map<ResourceDef, Map<string, Entry>>();
  private readonly sorted = new Map<ResourceDef, Entry[]>();
  private history: StoreEvent[] = [];
  /** Watches must start at or after this resourceVersion; older ones get 410 Gone. */
  private compactedRv: number;
  private readonly listeners = new Set<(ev: StoreEvent) => void>();

  constructor(
    startRv = 40000,
    private historySize = 10000,
  ) {
    this.currentRv = startRv;
    this.compactedRv = startRv;
  }

  get resourceVersion(): number {
    return this.currentRv;
  }
  get oldestWatchableRv(): number {
    return this.compactedRv;
  }

  onEvent(listener: (ev: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private table(def: ResourceDef): Map<string, Entry> {
    let t = this.tables.get(def);
    if (!t) this.tables.set(def, (t = new Map()));
    return t;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): Entry | undefined {
    return this.tables.get(def)?.get(keyOf(def.namespaced ? namespace : undefined, name));
  }

  count(def: ResourceDef): number {
    return this.tables.get(def)?.size ?? 0;
  }

  /** All entries of a resource in key order (namespace/name), as the API server lists them. */
  list(def: ResourceDef, namespace?: string): Entry[] {
    let all = this.sorted.get(def);
    if (!all) {
      all = [...this.table(def).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.sorted.set(def, all);
    }
    return namespace && def.namespaced ? all.filter((e) => e.namespace === namespace) : all;
  }

  /** Stores a new version of an object (the caller hands over ownership of `obj`). */
  put(def: ResourceDef, obj: KObj): Entry {
    const rv = ++this.currentRv;
    const stored = normalise(def, obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(rv) };
    const entry = new Entry(def, stored);
    const table = this.table(def);
    const prev = table.get(entry.key);
    table.set(entry.key, entry);
    const cached = this.sorted.get(def);
    if (cached) {
      if (prev) {
        const i = cached.indexOf(prev);
        if (i >= 0) cached[i] = entry;
        else this.sorted.delete(def);
      } else this.sorted.delete(def);
    }
    this.record(prev ? { rv, type: 'MODIFIED', entry, prev } : { rv, type: 'ADDED', entry });
    return entry;
  }

  remove(def: ResourceDef, namespace: string | undefined, name: string): Entry | undefined {
    const table = this.table(def);
    const key = keyOf(def.namespaced ? namespace : undefined, name);
    const prev = table.get(key);
    if (!prev) return undefined;
    table.delete(key);
    this.sorted.delete(def);
    const rv = ++this.currentRv;
    const gone = new Entry(def, { ...prev.obj, metadata: { ...prev.obj.metadata, resourceVersion: String(rv) } });
    this.record({ rv, type: 'DELETED', entry: gone, prev });
    return gone;
  }

  private record(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > this.historySize * 1.25) {
      const drop = this.history.length - this.historySize;
      this.compactedRv = this.history[drop - 1]!.rv;
      this.history = this.history.slice(drop);
    }
    for (const l of this.listeners) l(ev);
  }

  /** Events after `rv`, or undefined when `rv` is older than the retained history (410 Gone). */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    // Binary search for the first event with ev.rv > rv.
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  /** Forgets all history, as an etcd compaction does: every watch from an older resourceVersion gets 410. */
  compact(): void {
    this.history = [];
    this.compactedRv = this.currentRv;
  }

  setHistorySize(n: number): void {
    this.historySize = Math.max(1, n);
  }
}
