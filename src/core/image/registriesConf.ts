/**
 * The registries podman, buildah and skopeo treat as insecure (plain HTTP or unverified TLS), read from
 * containers-registries.conf(5) as they read it, so that a registry that works for `podman push` works for digest
 * resolution too. Only `insecure` is read: mirrors and blocked registries are not applied.
 *
 * Files: `$CONTAINERS_REGISTRIES_CONF` alone when set; else `~/.config/containers/registries.conf` when it exists
 * (then only the user's drop-ins), else `/etc/containers/registries.conf`, its drop-ins and the user's drop-ins
 * (`registries.conf.d/*.conf`, in name order; a later `[[registry]]` with the same prefix replaces an earlier one).
 * Both the v2 format (`[[registry]]` tables with `location`/`prefix` and `insecure`) and v1
 * (`[registries.insecure] registries = [...]`) are understood.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';

export interface RegistriesConfOptions {
  /** Environment for `CONTAINERS_REGISTRIES_CONF`. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.config/containers`. Default `os.homedir()`. */
  readonly homeDir?: string;
  /** The system configuration directory. Default `/etc/containers`; tests replace it. */
  readonly systemDirectory?: string;
}

export interface InsecureRegistries {
  /** Prefixes marked insecure: `host[:port]`, `host[:port]/namespace…`, or `*.domain`. */
  readonly prefixes: readonly string[];
  /** The files that were read, in order. */
  readonly files: readonly string[];
}

/** The insecure registry prefixes the containers tools would use on this machine. Unreadable files are skipped. */
export async function readInsecureRegistries(options: RegistriesConfOptions = {}): Promise<InsecureRegistries> {
  const files = await configurationFiles(options);
  const byPrefix = new Map<string, boolean>();
  let v1: string[] = [];
  const read: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      continue;
    }
    read.push(file);
    const parsed = parseRegistriesConf(text);
    for (const entry of parsed.registries) byPrefix.set(entry.prefix, entry.insecure);
    if (parsed.v1Insecure) v1 = parsed.v1Insecure;
  }
  const prefixes = [...[...byPrefix].filter(([, insecure]) => insecure).map(([prefix]) => prefix), ...v1];
  return { prefixes: [...new Set(prefixes)], files: read };
}

async function configurationFiles(options: RegistriesConfOptions): Promise<string[]> {
  const env = options.env ?? process.env;
  const explicit = env.CONTAINERS_REGISTRIES_CONF?.trim();
  if (explicit) return [explicit];
  const userDirectory = path.join(options.homeDir ?? os.homedir(), '.config', 'containers');
  const systemDirectory = options.systemDirectory ?? '/etc/containers';
  const userFile = path.join(userDirectory, 'registries.conf');
  const userDropIns = await dropIns(path.join(userDirectory, 'registries.conf.d'));
  if (await isFile(userFile)) return [userFile, ...userDropIns];
  return [path.join(systemDirectory, 'registries.conf'), ...(await dropIns(path.join(systemDirectory, 'registries.conf.d'))), ...userDropIns];
}

async function dropIns(directory: string): Promise<string[]> {
  try {
    return (await fs.readdir(directory)).filter((name) => name.endsWith('.conf')).sort().map((name) => path.join(directory, name));
  } catch {
    return [];
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

export interface ParsedRegistriesConf {
  /** `[[registry]]` tables: the prefix (`prefix`, else `location`) and `insecure`. */
  readonly registries: readonly { readonly prefix: string; readonly insecure: boolean }[];
  /** v1 `[registries.insecure] registries`, when present. */
  readonly v1Insecure?: string[];
}

/**
 * The parts of a registries.conf this extension uses, read with a TOML parser (the files are TOML, as the containers
 * tools read them with BurntSushi/toml). A file that is not valid TOML contributes nothing: podman refuses such a file
 * too, and it must not stop digest resolution. Values of the wrong type are ignored.
 */
export function parseRegistriesConf(text: string): ParsedRegistriesConf {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch {
    return { registries: [] };
  }
  const registries: { prefix: string; insecure: boolean }[] = [];
  for (const table of Array.isArray(data.registry) ? data.registry : []) {
    if (!isTable(table)) continue;
    const written = typeof table.prefix === 'string' ? table.prefix : typeof table.location === 'string' ? table.location : '';
    const prefix = normalizePrefix(written);
    if (prefix) registries.push({ prefix, insecure: table.insecure === true });
  }
  const v1 = isTable(data.registries) && isTable(data.registries.insecure) ? data.registries.insecure.registries : undefined;
  const v1Insecure = Array.isArray(v1) ? v1.filter((item): item is string => typeof item === 'string').map(normalizePrefix).filter((prefix) => prefix !== '') : undefined;
  return { registries, ...(v1Insecure ? { v1Insecure } : {}) };
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function normalizePrefix(prefix: string): string {
  return prefix.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/**
 * Whether an image (`registry/repository`) falls under an insecure prefix: `host[:port]` (without a port, any port),
 * `host[:port]/path` (that namespace and below), or `*.domain` (hosts under the domain).
 */
export function matchesInsecurePrefix(registry: string, repository: string, prefixes: readonly string[]): boolean {
  const host = registry.toLowerCase();
  const hostOnly = host.replace(/:\d+$/, '');
  const name = `${host}/${repository.toLowerCase()}`;
  return prefixes.some((raw) => {
    const prefix = normalizePrefix(raw);
    if (prefix === '') return false;
    if (prefix.startsWith('*.')) return hostOnly.endsWith(prefix.slice(1));
    if (prefix.includes('/')) return name === prefix || name.startsWith(`${prefix}/`);
    return prefix === host || prefix === hostOnly;
  });
}
