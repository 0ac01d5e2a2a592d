/**
 * The decisions of the "Generate MachineConfig" and "Generate MachineOSConfig" commands, as plain functions the unit
 * tests reach: which pools to offer, what to validate while the user types, where files go, what to remember.
 */
import * as path from 'node:path';
import { checkImageForOsImageUrl, defaultNameForPools, machineConfigNames } from './machineconfig';
import { pushSpecProblem } from './machineosconfig';
import { dns1123SubdomainProblem, poolNameProblem, yamlFileName } from './names';

export interface PoolChoice {
  readonly label: string;
  readonly picked: boolean;
  readonly description?: string;
  /** The "another pool…" entry: ask for a name. */
  readonly other?: boolean;
}

export const OTHER_POOL_LABEL = 'Another pool…';

/**
 * The connected cluster's pools when there is one (worker picked unless the user picked others last time), otherwise
 * worker and master and an entry to type a custom pool's name.
 */
export function poolChoices(clusterPools: readonly string[] | undefined, lastPicked: readonly string[] = []): PoolChoice[] {
  if (clusterPools && clusterPools.length > 0) {
    const remembered = lastPicked.filter((p) => clusterPools.includes(p));
    const picked = new Set(remembered.length > 0 ? remembered : clusterPools.includes('worker') ? ['worker'] : []);
    return [...clusterPools].sort(poolOrder).map((pool) => ({ label: pool, picked: picked.has(pool), description: 'in the connected cluster' }));
  }
  const custom = lastPicked.filter((p) => p !== 'worker' && p !== 'master' && !poolNameProblem(p));
  const picked = new Set(lastPicked.length > 0 ? lastPicked : ['worker']);
  return [
    { label: 'worker', picked: picked.has('worker'), description: 'compute nodes' },
    { label: 'master', picked: picked.has('master'), description: 'control plane nodes' },
    ...custom.map((pool) => ({ label: pool, picked: picked.has(pool), description: 'custom pool (used last time)' })),
    { label: OTHER_POOL_LABEL, picked: false, description: 'a custom MachineConfigPool, e.g. infra', other: true },
  ];
}

function poolOrder(a: string, b: string): number {
  const rank = (p: string) => (p === 'worker' ? 0 : p === 'master' ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** The message an input box shows for a pool name, or undefined when it is fine. */
export function poolInputProblem(text: string): string | undefined {
  const why = poolNameProblem(text.trim());
  return why ? `Not a pool name: ${why}.` : undefined;
}

/** The message an input box shows for an image reference as the user types, or undefined when it is fine. */
export function imageInputProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Enter the image the nodes should run, e.g. quay.io/org/rhcos-custom:1.0 or …@sha256:<digest>.';
  if (text !== text.trim()) return 'Remove the spaces around the reference.';
  const checked = checkImageForOsImageUrl(text);
  return checked.ok ? undefined : `${checked.problem.why}. ${checked.problem.next}`;
}

/** The message for the name box: every MachineConfig name it leads to must be valid. */
export function nameInputProblem(name: string, pools: readonly string[]): string | undefined {
  for (const entry of machineConfigNames(pools.length ? pools : ['worker'], name.trim())) {
    const why = dns1123SubdomainProblem(entry.name);
    if (why) return `"${entry.name}" is not a valid MachineConfig name: ${why}.`;
  }
  return undefined;
}

/** "os-layer-x (worker), os-layer-x-infra (infra)", for the name prompt. */
export function describeNames(pools: readonly string[], name: string): string {
  return machineConfigNames(pools, name).map((entry) => `${entry.name} (${entry.pool})`).join(', ');
}

export function defaultName(pools: readonly string[], containerfilePath: string): string {
  return defaultNameForPools(pools, path.basename(path.dirname(containerfilePath)));
}

/** The message for a push location (MachineOSConfig), or undefined. */
export function pushSpecInputProblem(text: string): string | undefined {
  const why = pushSpecProblem(text.trim());
  return why ? `Not accepted by the MachineOSConfig API: ${why}.` : undefined;
}

export function secretInputProblem(text: string, optional: boolean): string | undefined {
  if (optional && text.trim() === '') return undefined;
  const why = dns1123SubdomainProblem(text.trim());
  return why ? `Not a Secret name: ${why}.` : undefined;
}

/**
 * The folder generated files go to: next to the Containerfile, or `rhcosLayering.machineConfig.outputDirectory`
 * (relative to the workspace folder, or absolute).
 */
export function outputDirectory(containerfilePath: string, setting: string, workspaceFolder: string | undefined): string {
  const configured = setting.trim();
  if (configured === '') return path.dirname(containerfilePath);
  if (path.isAbsolute(configured)) return configured;
  return path.join(workspaceFolder ?? path.dirname(containerfilePath), configured);
}

/** The Containerfile as the header names it: relative to the YAML file's folder, with `/`. */
export function headerPath(outputDir: string, containerfilePath: string): string {
  const relative = path.relative(outputDir, containerfilePath) || path.basename(containerfilePath);
  return relative.split(path.sep).join('/');
}

export function machineConfigFilePath(outputDir: string, name: string): string {
  return path.join(outputDir, yamlFileName(name, 'MachineConfig'));
}

export function machineOSConfigFilePath(outputDir: string, pool: string): string {
  return path.join(outputDir, yamlFileName(pool, 'MachineOSConfig'));
}

/** workspaceState keys, one per Containerfile. */
export const stateKeys = {
  image: (containerfileUri: string) => `rhcosLayering.image:${containerfileUri}`,
  pools: (containerfileUri: string) => `rhcosLayering.pools:${containerfileUri}`,
  pushImage: (containerfileUri: string) => `rhcosLayering.pushImage:${containerfileUri}`,
  pushSpec: (containerfileUri: string) => `rhcosLayering.pushSpec:${containerfileUri}`,
};

/** Plans writes: which files exist (to ask about) and which are new. Nothing is written until every answer is in. */
export function planWrites<T extends { readonly path: string }>(files: readonly T[], exists: (file: string) => boolean): { existing: T[]; fresh: T[] } {
  const existing: T[] = [];
  const fresh: T[] = [];
  for (const file of files) (exists(file.path) ? existing : fresh).push(file);
  return { existing, fresh };
}
