import { matchesSelector } from '../../src/core/cluster/model';
// Small helpers shared by the simulator: deterministic randomness, hashing, selectors, patches,
// Kubernetes-style durations and Status bodies.
import { createHash } from 'node:crypto';

/** A Kubernetes object as plain JSON. The simulator never types objects beyond this. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KObj = Record<string, any>;

/** Deterministic PRNG (mulberry32) so a given seed always builds the same cluster. */
export class Rng {
  private state: number;
  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : parseInt(sha256(seed).slice(0, 8), 16);
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  hex(len: number): string {
    let s = '';
    while (s.length < len) s += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, len);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** A fake but well-formed image digest that is stable for a given name. */
export function fakeDigest(name: string): string {
  return `sha256:${sha256(name)}`;
}

/** JSON with sorted keys, so equal objects always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys
    .filter((k) => (value as KObj)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as KObj)[k])}`)
    .join(',')}}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a as object).filter((k) => (a as KObj)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as KObj)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as KObj)[k], (b as KObj)[k])) return false;
  return true;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Label and field selectors

export interface LabelRequirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists' | '=' | '!=';
  values: string[];
}

/** Parses a labelSelector query string (`a=b,c!=d,e in (f,g),!h,i`). Throws on a syntax error. */
export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  if (!text) return reqs;
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) });
    } else if ((m = p.match(/^!\s*(\S+)$/))) {
      reqs.push({ key: m[1]!, op: '!exists', values: [] });
    } else if ((m = p.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
    } else if ((m = p.match(/^([^=!\s()]+)$/))) {
      reqs.push({ key: m[1]!, op: 'exists', values: [] });
    } else {
      throw new Error(`unable to parse requirement: ${p}`);
    }
  }
  return reqs;
}

export function matchesLabelRequirements(labels: Record<string, string> | undefined, reqs: LabelRequirement[]): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case '=':
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
    }
  }
  return true;
}

/** metav1.LabelSelector (matchLabels + matchExpressions). A null selector matches nothing; `{}` matches everything. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: KObj | null | undefined): boolean {
  // The same matcher the extension's view-model uses, so the simulated MCO and the tree agree on pool membership.
  return matchesSelector(labels ?? {}, selector ?? undefined);
}

export interface FieldRequirement {
  path: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = p.match(/^([^=!]+)(==|=|!=)(.*)$/);
      if (!m) throw new Error(`invalid selector: '${p}'; can't understand '${p}'`);
      return { path: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() } as FieldRequirement;
    });
}

export function getPath(obj: KObj, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as KObj)[part];
  }
  return cur;
}

export function matchesFieldRequirements(obj: KObj, reqs: FieldRequirement[]): boolean {
  for (const r of reqs) {
    const raw = getPath(obj, r.path);
    const v = raw === undefined || raw === null ? '' : String(raw);
    if (r.op === '=' && v !== r.value) return false;
    if (r.op === '!=' && v === r.value) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Patches

/** RFC 7386 JSON merge patch. Returns a new value. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: KObj = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as KObj) } : {};
  for (const [k, v] of Object.entries(patch as KObj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class PatchError extends Error {}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). Returns a new document. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json patch must be an array of operations');
  let root = clone(doc);
  const walk = (path: string): { parent: KObj | unknown[]; key: string } => {
    if (path === '') throw new PatchError('the root path is not supported');
    if (!path.startsWith('/')) throw new PatchError(`invalid path ${path}`);
    const parts = path.slice(1).split('/').map(unescapePointer);
    let cur: unknown = root;
    for (let i = 0; i < parts.length - 1; i++) {
      if (cur === null || typeof cur !== 'object') throw new PatchError(`path ${path} does not exist`);
      cur = Array.isArray(cur) ? cur[Number(parts[i])] : (cur as KObj)[parts[i]!];
    }
    if (cur === null || typeof cur !== 'object') throw new PatchError(`path ${path} does not exist`);
    return { parent: cur as KObj, key: parts[parts.length - 1]! };
  };
  const get = (path: string): unknown => {
    if (path === '') return root;
    const { parent, key } = walk(path);
    return Array.isArray(parent) ? parent[Number(key)] : (parent as KObj)[key];
  };
  const remove = (path: string): unknown => {
    const { parent, key } = walk(path);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!(i >= 0 && i < parent.length)) throw new PatchError(`unable to remove nonexistent key: ${path}`);
      return parent.splice(i, 1)[0];
    }
    if (!(key in parent)) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    const v = (parent as KObj)[key];
    delete (parent as KObj)[key];
    return v;
  };
  const add = (path: string, value: unknown): void => {
    if (path === '') {
      root = clone(value);
      return;
    }
    const { parent, key } = walk(path);
    if (Array.isArray(parent)) {
      if (key === '-') parent.push(clone(value));
      else {
        const i = Number(key);
        if (!(i >= 0 && i <= parent.length)) throw new PatchError(`index out of bounds: ${path}`);
        parent.splice(i, 0, clone(value));
      }
    } else (parent as KObj)[key] = clone(value);
  };
  for (const op of ops as KObj[]) {
    switch (op.op) {
      case 'add':
        add(op.path, op.value);
        break;
      case 'remove':
        remove(op.path);
        break;
      case 'replace': {
        const { parent, key } = walk(op.path);
        if (Array.isArray(parent)) parent[Number(key)] = clone(op.value);
        else {
          if (!(key in parent)) throw new PatchError(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
          (parent as KObj)[key] = clone(op.value);
        }
        break;
      }
      case 'move':
        add(op.path, remove(op.from));
        break;
      case 'copy':
        add(op.path, get(op.from));
        break;
      case 'test':
        if (!deepEqual(get(op.path), op.value)) throw new PatchError(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Kubernetes' HumanDuration (apimachinery/pkg/util/duration), as `kubectl get` shows AGE. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '<invalid>';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / 24 / 365);
  if (y < 8) {
    const d = Math.floor(h / 24) - y * 365;
    return d === 0 ? `${y}y` : `${y}y${d}d`;
  }
  return `${y}y`;
}

export function ageOf(obj: KObj): string {
  const ts = obj.metadata?.creationTimestamp;
  if (!ts) return '<unknown>';
  return humanDuration(Date.now() - Date.parse(ts));
}

/** Go's %q for plain strings is close enough to JSON string quoting. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------------------------
// Status bodies

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: KObj;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: KObj;
  code: number;
}

export function status(code: number, reason: string, message: string, details?: KObj): StatusBody {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

/** An error that the HTTP layer turns into a Status response. */
export class ApiError extends Error {
  constructor(
    public readonly body: StatusBody,
    public readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
  get code(): number {
    return this.body.code;
  }
}

export function apiError(code: number, reason: string, message: string, details?: KObj): ApiError {
  return new ApiError(status(code, reason, message, details));
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function dns1123SubdomainError(name: string): string | undefined {
  if (name.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(name))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  return undefined;
}

export function dns1123LabelError(name: string): string | undefined {
  if (name.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(name))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  return undefined;
}
