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
 * The parts of a registries.conf this extension uses, from the TOML subset these files are written in: tables,
 * arrays of tables, and `key = value` with strings, booleans and (multi-line) arrays of strings. Anything else is
 * skipped, never an error: a file podman accepts must not stop digest resolution.
 */
export function parseRegistriesConf(text: string): ParsedRegistriesConf {
  const registries: { prefix: string; insecure: boolean }[] = [];
  let table = '';
  let current: { location?: string; prefix?: string; insecure?: boolean } | undefined;
  let v1Insecure: string[] | undefined;
  const flush = () => {
    const prefix = normalizePrefix(current?.prefix ?? current?.location ?? '');
    if (current && prefix) registries.push({ prefix, insecure: current.insecure === true });
    current = undefined;
  };
  for (const statement of statements(text)) {
    const header = /^\[\[?\s*([A-Za-z0-9_.\s"-]+?)\s*\]\]?$/.exec(statement);
    if (header) {
      const name = header[1]!.replace(/\s+/g, '');
      if (statement.startsWith('[[') && name === 'registry') {
        flush();
        current = {};
      } else if (!(statement.startsWith('[[') && name.startsWith('registry.'))) {
        flush();
      }
      table = name;
      continue;
    }
    const assignment = /^([A-Za-z0-9_-]+)\s*=\s*([\s\S]*)$/.exec(statement);
    if (!assignment) continue;
    const [, key, rawValue] = assignment;
    const value = parseValue(rawValue!.trim());
    if (table === 'registry' && current) {
      if ((key === 'location' || key === 'prefix') && typeof value === 'string') current[key] = value;
      if (key === 'insecure' && typeof value === 'boolean') current.insecure = value;
    } else if (table === 'registries.insecure' && key === 'registries' && Array.isArray(value)) {
      v1Insecure = value.map(normalizePrefix).filter((prefix) => prefix !== '');
    }
  }
  flush();
  return { registries, ...(v1Insecure ? { v1Insecure } : {}) };
}

/** Lines without comments, with multi-line arrays joined into one statement. */
function statements(text: string): string[] {
  const result: string[] = [];
  let pending = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = stripComment(rawLine).trim();
    if (line === '' && pending === '') continue;
    pending = pending ? `${pending} ${line}` : line;
    if (bracketDepth(pending) <= 0 || /^\[/.test(pending)) {
      result.push(pending);
      pending = '';
    }
  }
  if (pending) result.push(pending);
  return result;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** Open minus closed brackets of an assignment's value, ignoring those in strings. */
function bracketDepth(statement: string): number {
  const equals = statement.indexOf('=');
  if (equals < 0) return 0;
  let depth = 0;
  let quote: string | undefined;
  for (let i = equals + 1; i < statement.length; i++) {
    const c = statement[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
  }
  return depth;
}

type Value = string | boolean | string[] | undefined;

function parseValue(raw: string): Value {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const single = parseString(raw);
  if (single !== undefined) return single.value.length === raw.length ? single.text : undefined;
  if (raw.startsWith('[') && raw.endsWith(']')) {
    const items: string[] = [];
    let rest = raw.slice(1, -1).trim();
    while (rest !== '') {
      const item = parseString(rest);
      if (!item) return undefined;
      items.push(item.text);
      rest = rest.slice(item.value.length).trim().replace(/^,/, '').trim();
    }
    return items;
  }
  return undefined;
}

/** A TOML basic ("…", with escapes) or literal ('…') string at the start of `raw`: its text and its source. */
function parseString(raw: string): { text: string; value: string } | undefined {
  const basic = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
  if (basic) return { text: basic[1]!.replace(/\\(["\\])/g, '$1'), value: basic[0] };
  const literal = /^'([^']*)'/.exec(raw);
  if (literal) return { text: literal[1]!, value: literal[0] };
  return undefined;
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
