// Object operations with the API server's semantics: create/update/patch/delete, dry-run, status
// subresources, generation, managedFields, conflicts and the Status errors real clients see.
import { randomBytes, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { fieldsOf, managedEntry } from './seed';
import type { Entry, Store } from './store';
import { type ResourceDef, RESOURCES, apiVersionOf, qualifiedResource } from './resources';
import type { FieldValidation, Validator } from './validate';
import { invalid } from './validate';
import { ApiError, type KObj, PatchError, apiError, deepEqual, jsonPatch, mergePatch, nowIso, status } from './util';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  subresource?: string;
  /** Admission sees who asked (for messages only). */
  user?: string;
}

export interface WriteResult {
  object: KObj;
  /** Set when something was stored. */
  entry?: Entry;
  created?: boolean;
  warnings: string[];
}

export type AdmissionHook = (op: 'CREATE' | 'UPDATE' | 'DELETE', def: ResourceDef, obj: KObj, old: KObj | undefined) => void;

export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export function notFound(def: ResourceDef, name: string): ApiError {
  return apiError(404, 'NotFound', `${qualifiedResource(def)} "${name}" not found`, { name, group: def.group, kind: def.resource });
}

export function conflict(def: ResourceDef, name: string): ApiError {
  return apiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
    name,
    group: def.group,
    kind: def.resource,
  });
}

function badRequest(message: string): ApiError {
  return apiError(400, 'BadRequest', message);
}

/** Custom resources track metadata.generation; the built-in types served here (nodes, configmaps, namespaces) do not. */
function generationTracked(def: ResourceDef): boolean {
  return def.group !== '';
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
function specPart(obj: KObj): KObj {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function withoutVolatileMeta(obj: KObj): KObj {
  const { resourceVersion: _r, managedFields: _f, generation: _g, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

export class ClusterApi {
  readonly admission: AdmissionHook[] = [];
  private readonly byPath = new Map<string, ResourceDef>();

  constructor(
    readonly store: Store,
    readonly validator: Validator,
  ) {
    for (const d of RESOURCES) this.byPath.set(`${d.group}/${d.resource}`, d);
  }

  /** Looks a resource up by plural, singular, kind or short name, optionally within a group. */
  def(name: string, group?: string): ResourceDef {
    const n = name.toLowerCase();
    const found = RESOURCES.find((d) => (group === undefined || d.group === group) && (d.resource === n || d.singular === n || d.kind.toLowerCase() === n || d.shortNames.includes(n)));
    if (!found) throw new Error(`unknown resource ${name}`);
    return found;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): Entry {
    const e = this.store.get(def, namespace, name);
    if (!e) throw notFound(def, name);
    return e;
  }

  private managedFieldsFor(existing: KObj[] | undefined, manager: string, operation: string, def: ResourceDef, obj: KObj, subresource?: string): KObj[] {
    const list = (existing ?? []).filter((m) => !(m.manager === manager && m.operation === operation && (m.subresource ?? '') === (subresource ?? '')));
    const fields = subresource === 'status' ? fieldsOf({ status: obj.status ?? {} }) : fieldsOf({ metadata: { labels: obj.metadata?.labels, annotations: obj.metadata?.annotations }, ...specPart(obj) });
    list.push(managedEntry(manager, apiVersionOf(def), nowIso(), fields, operation, subresource));
    return list;
  }

  private checkTypeMeta(def: ResourceDef, body: KObj): void {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the object provided is not a JSON object');
    const want = apiVersionOf(def);
    if (body.apiVersion !== undefined && body.apiVersion !== want) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`);
    }
    if (body.kind !== undefined && body.kind !== def.kind) {
      throw badRequest(`${body.kind} in version "${def.version}" cannot be handled as a ${def.kind}: the kind in the data (${body.kind}) does not match the expected kind (${def.kind})`);
    }
  }

  create(def: ResourceDef, namespace: string | undefined, body: KObj, opts: WriteOptions = {}): WriteResult {
    this.checkTypeMeta(def, body);
    const obj: KObj = structuredClone(body);
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
    const meta = obj.metadata;
    if (def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = meta.namespace ?? namespace;
    } else delete meta.namespace;
    if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
      meta.name = meta.generateName + randomBytes(4).toString('base64').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 5).padEnd(5, 'x');
    }
    delete meta.resourceVersion;
    delete meta.uid;
    delete meta.creationTimestamp;
    delete meta.deletionTimestamp;
    delete meta.generation;
    if (def.statusSubresource && def.group) delete obj.status;
    const { object, warnings } = this.validator.validate(def, obj, { fieldValidation: opts.fieldValidation ?? 'Ignore' });
    if (this.store.get(def, object.metadata.namespace, object.metadata.name)) {
      throw apiError(409, 'AlreadyExists', `${qualifiedResource(def)} "${object.metadata.name}" already exists`, { name: object.metadata.name, group: def.group, kind: def.resource });
    }
    for (const hook of this.admission) hook('CREATE', def, object, undefined);
    object.metadata.uid = randomUUID();
    object.metadata.creationTimestamp = nowIso();
    if (generationTracked(def)) object.metadata.generation = 1;
    object.metadata.managedFields = this.managedFieldsFor(undefined, opts.fieldManager ?? 'unknown', 'Update', def, object);
    if (opts.dryRun) return { object, warnings, created: true };
    const entry = this.store.put(def, object);
    return { object: entry.obj, entry, created: true, warnings };
  }

  /** PUT. `body` is the whole object (or the whole object whose status is taken, for /status). */
  update(def: ResourceDef, namespace: string | undefined, name: string, body: KObj, opts: WriteOptions = {}, requireRv = true): WriteResult {
    this.checkTypeMeta(def, body);
    const current = this.get(def, namespace, name);
    const old = current.obj;
    if (body.metadata?.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const rv = body.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && String(rv) !== old.metadata.resourceVersion) throw conflict(def, name);
    if ((rv === undefined || rv === '') && requireRv && def.group) {
      throw invalid(def, name, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]);
    }
    let next: KObj;
    if (opts.subresource === 'status') {
      next = { ...structuredClone(old), status: structuredClone(body.status) };
    } else {
      next = structuredClone(body);
      next.apiVersion = apiVersionOf(def);
      next.kind = def.kind;
      if (def.statusSubresource) {
        if (old.status !== undefined) next.status = structuredClone(old.status);
        else delete next.status;
      }
    }
    next.metadata = { ...(next.metadata ?? {}) };
    next.metadata.name = name;
    if (def.namespaced) next.metadata.namespace = old.metadata.namespace;
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    delete next.metadata.resourceVersion;
    const { object, warnings } = this.validator.validate(def, next, { fieldValidation: opts.fieldValidation ?? 'Ignore', old, subresource: opts.subresource });
    if (generationTracked(def)) {
      const gen = Number(old.metadata.generation ?? 1);
      object.metadata.generation = deepEqual(specPart(object), specPart(old)) ? gen : gen + 1;
    }
    object.metadata.managedFields = old.metadata.managedFields;
    if (deepEqual(withoutVolatileMeta(object), withoutVolatileMeta(old))) {
      return { object: old, warnings }; // a no-op update does not bump the resourceVersion
    }
    for (const hook of this.admission) hook('UPDATE', def, object, old);
    object.metadata.managedFields = this.managedFieldsFor(old.metadata.managedFields, opts.fieldManager ?? 'unknown', 'Update', def, object, opts.subresource);
    if (opts.dryRun) return { object: { ...object, metadata: { ...object.metadata, resourceVersion: old.metadata.resourceVersion } }, warnings };
    const entry = this.store.put(def, object);
    return { object: entry.obj, entry, warnings };
  }

  patch(def: ResourceDef, namespace: string | undefined, name: string, contentType: string, rawBody: string, opts: WriteOptions = {}): WriteResult {
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    if (type === PATCH_TYPES.apply) {
      if (!opts.fieldManager) {
        throw invalid({ ...def, group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }]);
      }
      let applied: KObj;
      try {
        applied = parseYaml(rawBody) as KObj;
      } catch (err) {
        throw badRequest(`error decoding YAML: ${(err as Error).message}`);
      }
      const existing = this.store.get(def, namespace, name);
      if (!existing) return this.create(def, namespace, { ...applied, metadata: { ...(applied.metadata ?? {}), name } }, opts);
      const merged = mergePatch(existing.obj, applied) as KObj;
      return this.update(def, namespace, name, merged, opts, false);
    }
    let patch: unknown;
    try {
      patch = JSON.parse(rawBody);
    } catch (err) {
      throw badRequest(`error decoding patch: ${(err as Error).message}`);
    }
    const current = this.get(def, namespace, name);
    let patched: KObj;
    try {
      if (type === PATCH_TYPES.merge) patched = mergePatch(current.obj, patch) as KObj;
      else if (type === PATCH_TYPES.json) patched = jsonPatch(current.obj, patch) as KObj;
      else if (type === PATCH_TYPES.strategic) {
        if (def.group) {
          throw new ApiError(
            status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.json}, ${PATCH_TYPES.merge}, ${PATCH_TYPES.apply}`),
          );
        }
        patched = mergePatch(current.obj, patch) as KObj;
      } else {
        throw new ApiError(
          status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.json}, ${PATCH_TYPES.merge}, ${PATCH_TYPES.apply}${def.group ? '' : `, ${PATCH_TYPES.strategic}`}`),
        );
      }
    } catch (err) {
      if (err instanceof PatchError) throw apiError(422, 'Invalid', err.message);
      throw err;
    }
    if (patched === null || typeof patched !== 'object') throw badRequest('patch did not produce an object');
    const rvInPatch = patched.metadata?.resourceVersion !== current.obj.metadata.resourceVersion ? patched.metadata?.resourceVersion : undefined;
    const body = { ...patched, metadata: { ...patched.metadata, resourceVersion: rvInPatch ?? current.obj.metadata.resourceVersion } };
    return this.update(def, namespace, name, body, opts, false);
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, opts: WriteOptions & { preconditions?: KObj } = {}): { object: KObj; returnObject: boolean } {
    const current = this.get(def, namespace, name);
    const pre = opts.preconditions;
    if (pre?.resourceVersion && pre.resourceVersion !== current.obj.metadata.resourceVersion) throw conflict(def, name);
    if (pre?.uid && pre.uid !== current.obj.metadata.uid) {
      throw apiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(def)} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.obj.metadata.uid}`);
    }
    for (const hook of this.admission) hook('DELETE', def, current.obj, current.obj);
    const returnObject = def.group !== '';
    if (opts.dryRun) return { object: current.obj, returnObject };
    const gone = this.store.remove(def, namespace, name)!;
    return { object: gone.obj, returnObject };
  }
}
