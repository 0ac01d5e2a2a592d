import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { fail, ok, type Result } from '../problem';

/**
 * Kubeconfig the way kubectl reads it: `$KUBECONFIG` lists files (missing ones skipped), merged so that the first
 * definition of every cluster, user and context wins and the first non-empty current-context wins; without
 * `$KUBECONFIG`, `~/.kube/config`. An explicit file (the `rhcosLayering.kubeconfig` setting) replaces both.
 * client-node's own loader errors on missing files and duplicates and picks the last current-context, so we merge here.
 */

type Json = Record<string, unknown>;

export interface NamedEntry {
  readonly name: string;
  /** The entry's body as written (`cluster:`, `user:` or `context:`), with relative file paths made absolute. */
  readonly value: Json;
  /** The file it came from. */
  readonly file: string;
}

export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace: string | undefined;
  readonly server: string | undefined;
}

export interface MergedKubeconfig {
  readonly files: readonly string[];
  readonly clusters: ReadonlyMap<string, NamedEntry>;
  readonly users: ReadonlyMap<string, NamedEntry>;
  readonly contexts: ReadonlyMap<string, NamedEntry>;
  readonly currentContext: string | undefined;
  /** Files that could not be read or parsed; the rest are still used, as a warning in the tree. */
  readonly warnings: readonly string[];
}

export interface KubeconfigSource {
  /** The `rhcosLayering.kubeconfig` setting, if set. */
  readonly explicitFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly homeDir?: string;
}

/** The files to read, in precedence order. */
export function kubeconfigFiles(source: KubeconfigSource = {}): string[] {
  const env = source.env ?? process.env;
  const home = source.homeDir ?? os.homedir();
  const expand = (file: string): string => (file.startsWith('~/') ? path.join(home, file.slice(2)) : file);
  if (source.explicitFile && source.explicitFile.trim() !== '') return [path.resolve(expand(source.explicitFile.trim()))];
  const list = env.KUBECONFIG;
  if (list && list.trim() !== '') {
    const seen = new Set<string>();
    return list.split(path.delimiter).filter((f) => f.trim() !== '').map((f) => path.resolve(expand(f.trim()))).filter((f) => !seen.has(f) && seen.add(f));
  }
  return [path.join(home, '.kube', 'config')];
}

const PATH_FIELDS: Readonly<Record<'cluster' | 'user', readonly string[]>> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
};

export async function loadKubeconfig(source: KubeconfigSource = {}): Promise<Result<MergedKubeconfig>> {
  const files = kubeconfigFiles(source);
  const clusters = new Map<string, NamedEntry>();
  const users = new Map<string, NamedEntry>();
  const contexts = new Map<string, NamedEntry>();
  const warnings: string[] = [];
  const readFiles: string[] = [];
  let currentContext: string | undefined;

  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        if (source.explicitFile) return fail(`Cannot read the kubeconfig ${file}`, 'the file does not exist', 'Fix the rhcosLayering.kubeconfig setting, or clear it to use $KUBECONFIG or ~/.kube/config.');
        continue;
      }
      warnings.push(`${file}: cannot read it (${code ?? String(error)})`);
      continue;
    }
    let document: unknown;
    try {
      document = parse(text, { prettyErrors: true });
    } catch (error) {
      warnings.push(`${file} is not valid YAML: ${firstLine(String((error as Error).message))}`);
      continue;
    }
    if (document === null || document === undefined) {
      readFiles.push(file);
      continue;
    }
    if (typeof document !== 'object' || Array.isArray(document)) {
      warnings.push(`${file} is not a kubeconfig (expected a mapping with clusters, users and contexts)`);
      continue;
    }
    readFiles.push(file);
    const config = document as Json;
    const directory = path.dirname(file);
    mergeEntries(config.clusters, 'cluster', clusters, file, directory);
    mergeEntries(config.users, 'user', users, file, directory);
    mergeEntries(config.contexts, 'context', contexts, file, directory);
    const current = config['current-context'];
    if (currentContext === undefined && typeof current === 'string' && current !== '') currentContext = current;
  }

  if (readFiles.length === 0) {
    const why = warnings.length > 0 ? warnings.join('; ') : `none of ${files.join(', ')} exists`;
    return fail('No kubeconfig found', why, 'Log in with `oc login <api-url>` (it writes ~/.kube/config), set KUBECONFIG, or set rhcosLayering.kubeconfig.');
  }
  return ok({ files: readFiles, clusters, users, contexts, currentContext, warnings });
}

function mergeEntries(list: unknown, kind: 'cluster' | 'user' | 'context', into: Map<string, NamedEntry>, file: string, directory: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const name = (item as Json).name;
    const body = (item as Json)[kind];
    if (typeof name !== 'string' || into.has(name) || !body || typeof body !== 'object') continue;
    const value: Json = { ...(body as Json) };
    for (const field of kind === 'context' ? [] : PATH_FIELDS[kind]) {
      const v = value[field];
      if (typeof v === 'string' && v !== '' && !path.isAbsolute(v)) value[field] = path.join(directory, v);
    }
    if (kind === 'user' && value.exec && typeof value.exec === 'object') {
      const exec = { ...(value.exec as Json) };
      // kubectl resolves a relative exec command containing a slash against the kubeconfig's folder.
      if (typeof exec.command === 'string' && exec.command.includes('/') && !path.isAbsolute(exec.command)) exec.command = path.join(directory, exec.command);
      value.exec = exec;
    }
    into.set(name, { name, value, file });
  }
}

export function listContexts(config: MergedKubeconfig): KubeconfigContext[] {
  return [...config.contexts.values()].map((entry) => {
    const cluster = typeof entry.value.cluster === 'string' ? entry.value.cluster : '';
    const user = typeof entry.value.user === 'string' ? entry.value.user : '';
    const server = config.clusters.get(cluster)?.value.server;
    return {
      name: entry.name,
      cluster,
      user,
      namespace: typeof entry.value.namespace === 'string' ? entry.value.namespace : undefined,
      server: typeof server === 'string' ? server : undefined,
    };
  });
}

/**
 * A kubeconfig holding only `contextName`, its cluster and its user. Each cluster session loads its own, so no API
 * client can ever pick up another context's credentials.
 */
export function singleContextKubeconfig(config: MergedKubeconfig, contextName: string): Result<string> {
  const context = config.contexts.get(contextName);
  if (!context) return fail(`Kubernetes context ${contextName} not found`, `the kubeconfig (${config.files.join(', ')}) has no such context`, 'Pick another context, or log in again with `oc login`.');
  const clusterName = String(context.value.cluster ?? '');
  const userName = String(context.value.user ?? '');
  const cluster = config.clusters.get(clusterName);
  if (!cluster) return fail(`Context ${contextName} cannot be used`, `its cluster ${clusterName || '(none)'} is not defined in ${config.files.join(', ')}`, 'Fix the kubeconfig or log in again with `oc login`.');
  const user = config.users.get(userName);
  const single = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contextName,
    clusters: [{ name: clusterName, cluster: cluster.value }],
    users: user ? [{ name: userName, user: user.value }] : [{ name: userName || 'anonymous', user: {} }],
    contexts: [{ name: contextName, context: { ...context.value, user: user ? userName : userName || 'anonymous' } }],
  };
  return ok(stringify(single));
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
