// Server-side printing (meta.k8s.io/v1 Table) so `kubectl get` shows the same columns as against
// OpenShift: node STATUS/ROLES/AGE/VERSION, and CRD printer columns (`kubectl get mcp` like `oc get mcp`).
import type { PrinterColumn, ResourceDef } from './resources';
import type { Entry } from './store';
import { type KObj, ageOf, humanDuration } from './util';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const NAME_COLUMN: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.';

const NODE_COLUMNS: ColumnDefinition[] = [
  NAME_COLUMN,
  { name: 'Status', type: 'string', format: '', description: 'The status of the node', priority: 0 },
  { name: 'Roles', type: 'string', format: '', description: 'The roles of the node', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: AGE_DESCRIPTION, priority: 0 },
  { name: 'Version', type: 'string', format: '', description: 'Kubelet Version reported by the node.', priority: 0 },
  { name: 'Internal-IP', type: 'string', format: '', description: 'List of addresses reachable to the node. Queried from cloud provider, if available.', priority: 1 },
  { name: 'External-IP', type: 'string', format: '', description: 'List of addresses reachable to the node. Queried from cloud provider, if available.', priority: 1 },
  { name: 'OS-Image', type: 'string', format: '', description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', priority: 1 },
  { name: 'Kernel-Version', type: 'string', format: '', description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1 },
  { name: 'Container-Runtime', type: 'string', format: '', description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', priority: 1 },
];

const CONFIGMAP_COLUMNS: ColumnDefinition[] = [
  NAME_COLUMN,
  { name: 'Data', type: 'integer', format: '', description: 'Data contains the configuration data.', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: AGE_DESCRIPTION, priority: 0 },
];

const NAMESPACE_COLUMNS: ColumnDefinition[] = [
  NAME_COLUMN,
  { name: 'Status', type: 'string', format: '', description: 'The status of the namespace', priority: 0 },
  { name: 'Age', type: 'string', format: '', description: AGE_DESCRIPTION, priority: 0 },
];

function nodeCells(n: KObj): unknown[] {
  const ready = ((n.status?.conditions ?? []) as KObj[]).find((c) => c.type === 'Ready');
  let st = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  if (n.spec?.unschedulable) st += ',SchedulingDisabled';
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort();
  const addr = (type: string) => ((n.status?.addresses ?? []) as KObj[]).find((a) => a.type === type)?.address ?? '<none>';
  const info = n.status?.nodeInfo ?? {};
  return [n.metadata.name, st, roles.length ? roles.join(',') : '<none>', ageOf(n), info.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>'];
}

// A JSONPath subset enough for CRD printer columns: .a.b, escaped dots (\.), [n], [*] and [?(@.k=="v")].
export function jsonPath(obj: unknown, path: string): unknown[] {
  const tokens: Array<{ key?: string; index?: number; all?: boolean; filter?: { key: string; value: string } }> = [];
  let i = 0;
  const p = path.trim().replace(/^\{|\}$/g, '');
  while (i < p.length) {
    const ch = p[i];
    if (ch === '.') {
      i++;
      let key = '';
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        if (p[i] === '\\' && i + 1 < p.length) {
          key += p[i + 1];
          i += 2;
        } else key += p[i++];
      }
      if (key) tokens.push({ key });
    } else if (ch === '[') {
      const end = p.indexOf(']', i);
      const inner = p.slice(i + 1, end);
      i = end + 1;
      const f = /^\?\(@\.([\w.-]+)\s*==\s*["'](.*)["']\)$/.exec(inner);
      if (f) tokens.push({ filter: { key: f[1]!, value: f[2]! } });
      else if (inner === '*') tokens.push({ all: true });
      else if (/^-?\d+$/.test(inner)) tokens.push({ index: Number(inner) });
      else tokens.push({ key: inner.replace(/^['"]|['"]$/g, '') });
    } else i++;
  }
  let cur: unknown[] = [obj];
  for (const t of tokens) {
    const next: unknown[] = [];
    for (const c of cur) {
      if (c === null || c === undefined) continue;
      if (t.key !== undefined && typeof c === 'object' && !Array.isArray(c)) {
        const v = (c as KObj)[t.key];
        if (v !== undefined) next.push(v);
      } else if (t.index !== undefined && Array.isArray(c)) {
        const v = c[t.index < 0 ? c.length + t.index : t.index];
        if (v !== undefined) next.push(v);
      } else if (t.all) {
        if (Array.isArray(c)) next.push(...c);
        else if (typeof c === 'object') next.push(...Object.values(c as object));
      } else if (t.filter && Array.isArray(c)) {
        for (const item of c) if (item && String((item as KObj)[t.filter.key]) === t.filter.value) next.push(item);
      }
    }
    cur = next;
  }
  return cur;
}

function crdColumns(def: ResourceDef): ColumnDefinition[] {
  const cols: ColumnDefinition[] = [NAME_COLUMN];
  for (const c of def.columns ?? [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' } as PrinterColumn]) {
    cols.push({ name: c.name, type: c.type, format: '', description: c.description ?? (c.name === 'Age' ? AGE_DESCRIPTION : ''), priority: c.priority ?? 0 });
  }
  return cols;
}

function crdCells(def: ResourceDef, obj: KObj): unknown[] {
  const cells: unknown[] = [obj.metadata.name];
  for (const c of def.columns ?? [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' } as PrinterColumn]) {
    const found = jsonPath(obj, c.jsonPath);
    if (!found.length) {
      cells.push(null);
      continue;
    }
    const v = found[0];
    if (c.type === 'date' && typeof v === 'string') cells.push(humanDuration(Date.now() - Date.parse(v)));
    else if (typeof v === 'object') cells.push(JSON.stringify(v));
    else cells.push(v);
  }
  return cells;
}

export function columnsFor(def: ResourceDef): ColumnDefinition[] {
  if (def.resource === 'nodes') return NODE_COLUMNS;
  if (def.resource === 'configmaps') return CONFIGMAP_COLUMNS;
  if (def.resource === 'namespaces') return NAMESPACE_COLUMNS;
  return crdColumns(def);
}

export function cellsFor(def: ResourceDef, obj: KObj): unknown[] {
  if (def.resource === 'nodes') return nodeCells(obj);
  if (def.resource === 'configmaps') return [obj.metadata.name, Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length, ageOf(obj)];
  if (def.resource === 'namespaces') return [obj.metadata.name, obj.status?.phase ?? 'Active', ageOf(obj)];
  return crdCells(def, obj);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableRow(def: ResourceDef, entry: Entry, include: IncludeObject): KObj {
  const row: KObj = { cells: cellsFor(def, entry.obj) };
  if (include === 'Object') row.object = entry.obj;
  else if (include === 'Metadata') {
    const { managedFields: _m, ...meta } = entry.obj.metadata;
    row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta };
  }
  return row;
}

export function table(def: ResourceDef, entries: Entry[], include: IncludeObject, meta: KObj, noHeaders = false): KObj {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: noHeaders ? null : columnsFor(def),
    rows: entries.map((e) => tableRow(def, e, include)),
  };
}
