/**
 * Kubernetes names as the API server checks them, for MachineConfig names, pool names and secret names, plus the
 * names this extension derives (MachineConfig names from a Containerfile's folder, file names of generated YAML).
 */
import { fail, ok, type Result } from '../problem';

/** The label that puts a MachineConfig into a pool (`machineConfigSelector` of the pool matches it). */
export const ROLE_LABEL = 'machineconfiguration.openshift.io/role';
export const MACHINECONFIG_API_VERSION = 'machineconfiguration.openshift.io/v1';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_SUBDOMAIN = 253;
/** A label value (the role label carries the pool name) and the name part of `node-role.kubernetes.io/<pool>`. */
const MAX_LABEL = 63;

/** Why `name` is no DNS-1123 subdomain (what the API server requires of object names), or undefined when it is one. */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_SUBDOMAIN) return `it is ${name.length} characters long; at most ${MAX_SUBDOMAIN} are allowed`;
  if (DNS1123_SUBDOMAIN.test(name)) return undefined;
  if (/\s/.test(name)) return 'it contains whitespace';
  if (name !== name.toLowerCase() && DNS1123_SUBDOMAIN.test(name.toLowerCase())) return 'it has uppercase letters; names are lowercase';
  if (/^[^a-z0-9]/.test(name)) return 'it must start with a lowercase letter or digit';
  if (/[^a-z0-9]$/.test(name)) return 'it must end with a lowercase letter or digit';
  const bad = /[^-a-z0-9.]/.exec(name);
  if (bad) return `"${bad[0]}" is not allowed; use lowercase letters, digits, "-" and "."`;
  return 'each dot-separated part must start and end with a letter or digit';
}

/** Why `name` is no DNS-1123 label (63 characters, no dots), or undefined. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length > MAX_LABEL) return `it is ${name.length} characters long; at most ${MAX_LABEL} are allowed`;
  if (name.includes('.')) return 'it must not contain "."';
  const subdomain = dns1123SubdomainProblem(name);
  if (subdomain) return subdomain;
  return DNS1123_LABEL.test(name) ? undefined : 'use lowercase letters, digits and "-"';
}

/**
 * A pool name is the name of a MachineConfigPool (a DNS-1123 subdomain) that also appears as the value of the role
 * label and in the node label `node-role.kubernetes.io/<pool>`, so it is at most 63 characters long.
 */
export function poolNameProblem(pool: string): string | undefined {
  if (pool.length > MAX_LABEL) return `it is ${pool.length} characters long; a pool name is a label value, at most ${MAX_LABEL} characters`;
  return dns1123SubdomainProblem(pool);
}

export function checkPoolName(pool: string): Result<string> {
  const why = poolNameProblem(pool);
  return why ? fail(`"${pool}" is not a valid pool name`, why, 'Use the name of a MachineConfigPool, e.g. worker, master or infra (`oc get mcp` lists them).') : ok(pool);
}

export function checkObjectName(name: string, kind = 'MachineConfig'): Result<string> {
  const why = dns1123SubdomainProblem(name);
  return why
    ? fail(`"${name}" is not a valid ${kind} name`, why, 'Use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, e.g. os-layer-custom.')
    : ok(name);
}

/** The docs' example name is `os-layer-custom`; without a usable folder name that is the default. */
export const DEFAULT_NAME_STEM = 'custom';
export const NAME_PREFIX = 'os-layer-';

/**
 * `os-layer-<folder>` for the folder that holds the Containerfile, reduced to a DNS-1123 label: lowercase, runs of
 * other characters become "-", trimmed, and short enough to leave room for a `-<pool>` suffix.
 */
export function defaultMachineConfigName(folderName: string | undefined): string {
  const stem = (folderName ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const useful = stem !== '' && !/^(?:src|\.|containerfiles?|dockerfiles?|images?|layers?|os-layer)$/.test(stem);
  return `${NAME_PREFIX}${useful ? stem.replace(/^os-layer-/, '') : DEFAULT_NAME_STEM}`;
}

/**
 * The MachineConfig name for `pool` when one name covers several pools. Names are cluster-wide, so each pool's
 * MachineConfig needs its own.
 *
 * The worker pool's MachineConfig keeps the name itself (`os-layer-custom`, as in the docs); every other pool's gets
 * `-<pool>` appended. Two reasons, both from how the MCO merges MachineConfigs (MCO-FACTS section 2):
 *  - A custom pool (e.g. `infra`) inherits the worker pool's MachineConfigs. Up to 4.14 the MCO sorts all of them by
 *    name and the last osImageURL wins. A string sorts before every extension of it, so `os-layer-custom-infra` comes
 *    after `os-layer-custom` and the infra pool gets its own image, not the worker's. (From 4.15 the pool's own
 *    MachineConfigs are merged after the worker ones anyway.) A `-worker` suffix would sort after `-infra` and lose.
 *  - `os-layer-…` sorts after the numbered MachineConfigs (`00-worker`, `99-worker-ssh`, …) because letters sort after
 *    digits, so the layered image wins over an osImageURL another numbered MachineConfig might set.
 * Names stay the same whichever pools are picked together, so regenerating for one pool rewrites the same file and
 * an `oc apply` never moves an existing MachineConfig from one pool to another.
 */
export function machineConfigNameForPool(baseName: string, pool: string): string {
  return pool === 'worker' ? baseName : `${baseName}-${pool}`;
}

/** File name for a generated MachineConfig or MachineOSConfig (the object name, which is already file-name safe). */
export function yamlFileName(objectName: string, kind: 'MachineConfig' | 'MachineOSConfig' = 'MachineConfig'): string {
  return kind === 'MachineConfig' ? `${objectName}.yaml` : `${objectName}.machineosconfig.yaml`;
}
