/**
 * Registry TLS files where podman, buildah and skopeo find them (containers-certs.d(5)), so that a
 * private registry trusted on this machine for `podman push` is trusted for digest resolution too.
 *
 * A directory holds `*.crt` CA certificates and `<name>.cert` / `<name>.key` client certificate
 * pairs. With an explicit directory (`--cert-dir`, rhcosLayering.registry.certDirectory) that
 * directory is used for every registry; otherwise the first existing one of
 * `~/.config/containers/certs.d/<host:port>`, `/etc/containers/certs.d/<host:port>` and
 * `/etc/docker/certs.d/<host:port>`, where `<host:port>` is the registry as the image names it.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fail, ok, Result } from '../problem';
import { expandHome } from './auth';

export interface CertificateLookupOptions {
  /** One directory for all registries, as `--cert-dir` does. Empty means the per-host lookup. */
  readonly certDirectory?: string;
  /** Home directory for `~/.config/containers/certs.d`. Default `os.homedir()`. */
  readonly homeDir?: string;
  /** The system-wide per-host roots. Default `/etc/containers/certs.d`, `/etc/docker/certs.d`; tests replace them. */
  readonly systemDirectories?: readonly string[];
}

export interface RegistryTlsFiles {
  /** The directory the files came from. */
  readonly directory: string;
  /** PEM text of each `*.crt`, in file-name order. */
  readonly ca: readonly string[];
  /** The first `<name>.cert` with its `<name>.key`, in file-name order. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string; readonly file: string };
}

const SYSTEM_DIRECTORIES = ['/etc/containers/certs.d', '/etc/docker/certs.d'];

/** The per-host directories to look in, in order (whether or not they exist). */
export function certDirectoryCandidates(registry: string, options: CertificateLookupOptions = {}): string[] {
  const explicit = options.certDirectory?.trim();
  if (explicit) return [path.resolve(expandHome(explicit, options.homeDir ?? os.homedir()))];
  const home = options.homeDir ?? os.homedir();
  const roots = [path.join(home, '.config', 'containers', 'certs.d'), ...(options.systemDirectories ?? SYSTEM_DIRECTORIES)];
  return roots.map((root) => path.join(root, registry));
}

/**
 * The TLS files for `registry` (`host[:port]`): undefined when no directory exists. A directory that
 * cannot be read, or a client certificate without its key, is a Problem: podman refuses those too,
 * and silently ignoring them would turn into a confusing "certificate not trusted" later.
 */
export async function findRegistryTlsFiles(registry: string, options: CertificateLookupOptions = {}): Promise<Result<RegistryTlsFiles | undefined>> {
  const what = `Could not read the TLS certificates for ${registry}`;
  for (const directory of certDirectoryCandidates(registry, options)) {
    let names: string[];
    try {
      names = (await fs.readdir(directory)).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        if (options.certDirectory?.trim()) return fail(what, `the certificate directory ${directory} does not exist`, 'Check rhcosLayering.registry.certDirectory (or --cert-dir).');
        continue;
      }
      return fail(what, `${directory} cannot be read (${code ?? String(error)})`, 'Fix its permissions, or remove it if it is not needed.');
    }
    return readDirectory(directory, names, what);
  }
  return ok(undefined);
}

async function readDirectory(directory: string, names: readonly string[], what: string): Promise<Result<RegistryTlsFiles>> {
  const read = async (name: string): Promise<Result<string>> => {
    try {
      return ok(await fs.readFile(path.join(directory, name), 'utf8'));
    } catch (error) {
      return fail(what, `${path.join(directory, name)} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'Fix its permissions, or remove it if it is not needed.');
    }
  };
  const ca: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.crt'))) {
    const pem = await read(name);
    if (!pem.ok) return pem;
    ca.push(pem.value);
  }
  const certName = names.find((n) => n.endsWith('.cert'));
  if (!certName) {
    const orphanKey = names.find((n) => n.endsWith('.key'));
    if (orphanKey) return fail(what, `the client key ${path.join(directory, orphanKey)} has no ${orphanKey.slice(0, -'.key'.length)}.cert next to it`, `Add the certificate, or remove ${orphanKey}.`);
    return ok({ directory, ca });
  }
  const keyName = `${certName.slice(0, -'.cert'.length)}.key`;
  if (!names.includes(keyName)) {
    return fail(what, `the client certificate ${path.join(directory, certName)} has no ${keyName} next to it`, `Add ${keyName}, or remove ${certName} if the registry does not ask for a client certificate.`);
  }
  const cert = await read(certName);
  if (!cert.ok) return cert;
  const key = await read(keyName);
  if (!key.ok) return key;
  return ok({ directory, ca, clientCertificate: { cert: cert.value, key: key.value, file: path.join(directory, certName) } });
}
