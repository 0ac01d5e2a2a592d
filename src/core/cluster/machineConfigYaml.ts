import { parseAllDocuments } from 'yaml';

/**
 * The objects in a YAML file that "Apply to cluster" and its CodeLens can write: MachineConfigs, and MachineOSConfigs
 * for on-cluster layering. Parsed as YAML 1.1, as `oc` parses it, so a file mode written `0644` is the octal 420 the
 * MCO expects and not the decimal 644.
 */

export const MACHINECONFIG_API_VERSION = 'machineconfiguration.openshift.io/v1';

export type ApplicableKind = 'MachineConfig' | 'MachineOSConfig';

export interface ApplicableDocument {
  readonly kind: ApplicableKind;
  /** Index of the document in the file (0-based). */
  readonly index: number;
  /** Zero-based line where the document starts (its first content line). */
  readonly line: number;
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** For a MachineOSConfig: the pool it builds for (spec.machineConfigPool.name). */
  readonly pool?: string;
  readonly object: Record<string, unknown>;
  /** YAML syntax errors or missing fields: such a document cannot be applied. */
  readonly errors: readonly string[];
}

export function findApplicableObjects(text: string): ApplicableDocument[] {
  const out: ApplicableDocument[] = [];
  const documents = parseAllDocuments(text, { version: '1.1', prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const errors = document.errors.map((e) => e.message.split('\n')[0] ?? e.message);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push((error as Error).message);
    }
    const object = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const kind = object?.kind;
    if (!object || (kind !== 'MachineConfig' && kind !== 'MachineOSConfig')) return;
    const metadata = (object.metadata && typeof object.metadata === 'object' ? object.metadata : {}) as Record<string, unknown>;
    const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
    if (!name) errors.push('metadata.name is missing');
    if (object.apiVersion !== MACHINECONFIG_API_VERSION) errors.push(`apiVersion is ${JSON.stringify(object.apiVersion)}, not ${MACHINECONFIG_API_VERSION}`);
    const labels: Record<string, string> = {};
    if (metadata.labels && typeof metadata.labels === 'object') for (const [k, v] of Object.entries(metadata.labels)) if (typeof v === 'string') labels[k] = v;
    const pool = kind === 'MachineOSConfig' ? poolOf(object) : undefined;
    if (kind === 'MachineOSConfig' && !pool) errors.push('spec.machineConfigPool.name is missing');
    const start = document.contents?.range?.[0] ?? document.range[0];
    out.push({ kind, index, line: lineOf(text, start), name, labels, ...(pool ? { pool } : {}), object, errors });
  });
  return out;
}

function poolOf(object: Record<string, unknown>): string | undefined {
  const spec = object.spec as { machineConfigPool?: { name?: unknown } } | undefined;
  const name = spec?.machineConfigPool?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
