// Validation of created and updated objects the way the API server does it for custom resources:
// the CRD's openAPIV3Schema (types, enums, lengths, required), unknown-field pruning or strict
// rejection, a few CEL rules the MCO CRDs use, and ObjectMeta name rules. Without ../shared the
// simulator falls back to its own compact MachineConfig schema below.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { ResourceDef } from './resources';
import { qualifiedKind } from './resources';
import { ApiError, type KObj, type StatusCause, dns1123LabelError, dns1123SubdomainError, status } from './util';

type Schema = KObj;

/** Our own compact schema for MachineConfig, used when the CRD manifest is not available. */
const FALLBACK_MACHINECONFIG_SCHEMA: Schema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        baseOSExtensionsContainerImage: { type: 'string' },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        extensions: { type: 'array', items: { type: 'string' } },
        fips: { type: 'boolean' },
        kernelArguments: { type: 'array', nullable: true, items: { type: 'string' } },
        kernelType: { type: 'string' },
        osImageURL: { type: 'string' },
      },
    },
  },
};

/** A permissive schema for the other custom resources when their CRD is not available. */
const FALLBACK_OPEN_SCHEMA: Schema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

export interface SchemaSource {
  /** "crd" when read from ../shared, "builtin" for the fallback. */
  origin: 'crd' | 'builtin';
  file?: string;
}

interface Compiled {
  schema: Schema;
  validate: ValidateFunction;
  source: SchemaSource;
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface ValidationResult {
  /** The object after pruning unknown fields and applying defaults. */
  object: KObj;
  warnings: string[];
}

export class Validator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, useDefaults: true, verbose: true });
  private readonly compiled = new Map<ResourceDef, Compiled>();
  readonly notes: string[] = [];

  constructor(
    defs: ResourceDef[],
    crdDir: string | undefined,
  ) {
    for (const def of defs) {
      if (!def.group) continue;
      let schema: Schema | undefined;
      let source: SchemaSource = { origin: 'builtin' };
      if (crdDir && def.crdFile) {
        const file = join(crdDir, def.crdFile);
        if (existsSync(file)) {
          try {
            const crd = parseYaml(readFileSync(file, 'utf8')) as KObj;
            const version = (crd.spec?.versions ?? []).find((v: KObj) => v.name === def.version);
            schema = version?.schema?.openAPIV3Schema;
            if (schema) source = { origin: 'crd', file };
          } catch (err) {
            this.notes.push(`could not read ${file}: ${(err as Error).message}`);
          }
        }
      }
      if (!schema) {
        schema = def.resource === 'machineconfigs' ? FALLBACK_MACHINECONFIG_SCHEMA : FALLBACK_OPEN_SCHEMA;
        if (def.crdFile) this.notes.push(`${def.resource}: CRD not found, using the built-in schema`);
      }
      this.compiled.set(def, { schema, validate: this.ajv.compile(stripForAjv(schema)), source });
    }
  }

  /** The openAPIV3Schema in use for a custom resource (for OpenAPI publishing). */
  schemaFor(def: ResourceDef): Schema | undefined {
    return this.compiled.get(def)?.schema;
  }

  sourceOf(def: ResourceDef): SchemaSource | undefined {
    return this.compiled.get(def)?.source;
  }

  /**
   * Validates an object for create or update. Throws ApiError 422 (Invalid) or 400 (strict decoding)
   * like the API server. `old` is the stored version for updates (CEL transition rules).
   */
  validate(def: ResourceDef, obj: KObj, opts: { fieldValidation: FieldValidation; old?: KObj; subresource?: string }): ValidationResult {
    const causes: StatusCause[] = [];
    const warnings: string[] = [];
    const name: string = obj.metadata?.name ?? '';
    validateMeta(def, obj, causes, !!opts.old);

    const compiled = this.compiled.get(def);
    let out = obj;
    if (compiled) {
      const unknown: string[] = [];
      out = prune(structuredClone(obj), compiled.schema, '', unknown, true) as KObj;
      if (unknown.length) {
        if (opts.fieldValidation === 'Strict') {
          const msg = unknown.map((u) => `unknown field "${u}"`).join(', ');
          throw new ApiError(status(400, 'BadRequest', `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${msg}`));
        }
        if (opts.fieldValidation === 'Warn') for (const u of unknown) warnings.push(`unknown field "${u}"`);
      }
      if (!compiled.validate(out)) {
        for (const e of compiled.validate.errors ?? []) {
          const c = causeFromAjv(e);
          if (c && !causes.some((x) => x.field === c.field && x.message === c.message)) causes.push(c);
        }
      }
      for (const c of celCauses(compiled.schema, out, opts.old, '')) causes.push(c);
    }
    if (causes.length) throw invalid(def, name, causes);
    return { object: out, warnings };
  }
}

export function invalid(def: ResourceDef, name: string, causes: StatusCause[]): ApiError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(
    status(422, 'Invalid', `${qualifiedKind(def)} "${name}" is invalid: ${joined}`, {
      name,
      group: def.group,
      kind: def.kind,
      causes,
    }),
  );
}

function validateMeta(def: ResourceDef, obj: KObj, causes: StatusCause[], isUpdate: boolean): void {
  const meta = obj.metadata;
  if (meta === undefined || meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
    return;
  }
  const name = meta.name;
  if (!name) {
    if (!meta.generateName)
      causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  } else if (typeof name !== 'string') {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: must be a string`, field: 'metadata.name' });
  } else {
    const err = def.resource === 'namespaces' ? dns1123LabelError(name) : dns1123SubdomainError(name);
    if (err) causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(name)}: ${err}`, field: 'metadata.name' });
  }
  for (const field of ['labels', 'annotations'] as const) {
    const m = meta[field];
    if (m === undefined || m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${typeof m}": must be a map of strings`, field: `metadata.${field}` });
      continue;
    }
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string')
        causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(v)}: must be a string`, field: `metadata.${field}.${k}` });
      else if (field === 'labels' && (v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)))
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
          field: `metadata.labels`,
        });
    }
  }
  if (def.namespaced && !meta.namespace && !isUpdate) {
    causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.namespace' });
  }
}

/** Ajv chokes on nothing in CRD schemas with strict=false, but CEL and x-kubernetes-* are ours to handle. */
function stripForAjv(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(stripForAjv);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: KObj = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'x-kubernetes-validations' || k === 'description') continue;
    if (k === 'x-kubernetes-int-or-string' && v === true) {
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
      continue;
    }
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as KObj).map(([p, s]) => [p, stripForAjv(s as Schema)])) : stripForAjv(v as Schema);
  }
  // metadata is validated by the server as ObjectMeta, not by the CRD schema.
  return out;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function fieldPath(instancePath: string): string {
  let out = '';
  for (const part of instancePath.split('/').slice(1)) {
    const p = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  }
  return out;
}

function causeFromAjv(e: ErrorObject): StatusCause | undefined {
  const field = fieldPath(e.instancePath);
  const shown = field || '<nil>';
  const data = e.data;
  switch (e.keyword) {
    case 'type': {
      const t = String((e.params as KObj).type);
      const actual = jsonType(data);
      return { reason: 'FieldValueTypeInvalid', message: `Invalid value: "${actual}": ${shown} in body must be of type ${t}: "${actual}"`, field: shown };
    }
    case 'required': {
      const p = (e.params as KObj).missingProperty as string;
      const f = field ? `${field}.${p}` : p;
      return { reason: 'FieldValueRequired', message: 'Required value', field: f };
    }
    case 'enum': {
      const allowed = ((e.params as KObj).allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(data)}: supported values: ${allowed}`, field: shown };
    }
    case 'maxLength':
      return { reason: 'FieldValueTooLong', message: `Too long: may not be more than ${(e.params as KObj).limit} bytes`, field: shown };
    case 'minLength':
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(data)}: ${shown} in body should be at least ${(e.params as KObj).limit} chars long`, field: shown };
    case 'maxItems':
      return { reason: 'FieldValueTooMany', message: `Too many: ${Array.isArray(data) ? data.length : '?'}: must have at most ${(e.params as KObj).limit} items`, field: shown };
    case 'minItems':
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${Array.isArray(data) ? data.length : '?'}: ${shown} in body should have at least ${(e.params as KObj).limit} items`, field: shown };
    case 'pattern':
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(data)}: ${shown} in body should match '${(e.params as KObj).pattern}'`, field: shown };
    case 'minimum':
    case 'maximum':
      return {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(data)}: ${shown} in body should be ${e.keyword === 'minimum' ? 'greater' : 'less'} than or equal to ${(e.params as KObj).limit}`,
        field: shown,
      };
    case 'anyOf':
    case 'oneOf':
    case 'if':
      return undefined; // the branch errors say more
    default:
      return { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(data) ?? 'null'}: ${e.message ?? 'invalid'}`, field: shown };
  }
}

/** Drops fields the schema does not declare (structural pruning); records their paths. */
function prune(value: unknown, schema: Schema | undefined, path: string, unknown: string[], isRoot = false): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    return value.map((v, i) => prune(v, schema.items, `${path}[${i}]`, unknown));
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && !schema.properties) return value;
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    const ap = schema.additionalProperties === true ? undefined : schema.additionalProperties;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prune(v, ap, `${path}.${k}`, unknown)]));
  }
  if (!schema.properties) return value;
  const out: KObj = {};
  for (const [k, v] of Object.entries(value)) {
    const child = schema.properties[k];
    const p = path ? `${path}.${k}` : k;
    if (isRoot && k === 'metadata') out[k] = v;
    else if (child) out[k] = prune(v, child, p, unknown);
    else if (schema['x-kubernetes-preserve-unknown-fields'] === true) out[k] = v;
    else unknown.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The CEL rules used by the MCO CRDs, recognised by shape. Rules we do not recognise are skipped.

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function evalRule(rule: string, self: unknown, oldSelf: unknown, hasOld: boolean): boolean | undefined {
  const r = rule.trim().replace(/\s+/g, ' ');
  if (r.startsWith('self.metadata.name == self.spec.machineConfigPool.name || oldSelf.hasValue()')) {
    const o = self as KObj;
    if (!hasOld) return o?.metadata?.name === o?.spec?.machineConfigPool?.name;
    return o?.metadata?.name === o?.spec?.machineConfigPool?.name || (oldSelf as KObj)?.spec?.machineConfigPool?.name === o?.spec?.machineConfigPool?.name;
  }
  if (r.includes(' || ')) {
    const parts = r.split(' || ').map((p) => evalRule(p, self, oldSelf, hasOld));
    if (parts.some((p) => p === true)) return true;
    return parts.every((p) => p === false) ? false : undefined;
  }
  if (r === "!format.dns1123Subdomain().validate(self).hasValue()") return typeof self !== 'string' || (self.length <= 253 && DNS1123_SUBDOMAIN.test(self));
  if (r === "!format.dns1123Label().validate(self).hasValue()") return typeof self !== 'string' || (self.length <= 63 && DNS1123_LABEL.test(self));
  if (r === "!format.dns1035Label().validate(self).hasValue()") return typeof self !== 'string' || (self.length <= 63 && DNS1035_LABEL.test(self));
  let m = /^self\.matches\('(.*)'\)$/s.exec(r);
  if (m) return typeof self !== 'string' || new RegExp(m[1]!.replace(/\\\\/g, '\\')).test(self);
  m = /^\(self\.split\('@'\)\.size\(\) == 2 && self\.split\('@'\)\[1\]\.matches\('(.*)'\)\)$/s.exec(r);
  if (m) {
    if (typeof self !== 'string') return true;
    const parts = self.split('@');
    return parts.length === 2 && new RegExp(m[1]!.replace(/\\\\/g, '\\')).test(parts[1]!);
  }
  m = /^\(self\.split\('@'\)\[0\]\.matches\('(.*)'\)\)$/s.exec(r);
  if (m) return typeof self !== 'string' || new RegExp(m[1]!.replace(/\\\\/g, '\\')).test(self.split('@')[0]!);
  if (r === 'self == oldSelf') return !hasOld || JSON.stringify(self) === JSON.stringify(oldSelf);
  return undefined;
}

function celCauses(schema: Schema, value: unknown, old: unknown, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  const walk = (s: Schema | undefined, v: unknown, o: unknown, p: string, hasOld: boolean): void => {
    if (!s || v === undefined) return;
    for (const rule of (s['x-kubernetes-validations'] ?? []) as KObj[]) {
      if (/oldSelf/.test(rule.rule) && !hasOld && !/oldSelf\.hasValue\(\)/.test(rule.rule)) continue; // transition rules only run on update
      let ok: boolean | undefined;
      try {
        ok = evalRule(String(rule.rule), v, o, hasOld);
      } catch {
        ok = undefined; // a rule we cannot translate is skipped
      }
      if (ok === false) {
        const shown = p || '<nil>';
        out.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${jsonType(v)}": ${String(rule.message ?? rule.rule)}`, field: shown });
      }
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(s.items, item, undefined, `${p}[${i}]`, false));
      return;
    }
    for (const [k, child] of Object.entries(s.properties ?? {})) {
      if (!p && k === 'metadata') continue;
      const ov = o && typeof o === 'object' ? (o as KObj)[k] : undefined;
      walk(child as Schema, (v as KObj)[k], ov, p ? `${p}.${k}` : k, hasOld && ov !== undefined);
    }
  };
  walk(schema, value, old, path, old !== undefined);
  return out;
}
