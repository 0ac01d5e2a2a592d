/**
 * A real local registry for system tests and the demo: distribution's `docker-registry` on
 * 127.0.0.1 (random free port, temp storage), with htpasswd auth and a self-signed TLS
 * certificate, plus a tiny busybox base image pushed into it with buildah.
 *
 *   const registry = await startLocalRegistry();          // TLS + auth + busybox-base:latest
 *   registry.base.pinned   // 127.0.0.1:PORT/busybox-base@sha256:…
 *   registry.authFile      // containers-auth.json with the right credentials
 *   registry.caPem         // pass to resolveDigest({ caCertificates: [registry.caPem] })
 *   registry.tlsArgs       // ['--cert-dir', …] for buildah/skopeo
 *   await registry.stop();
 *
 * Everything lives in one temp dir (registry storage, buildah vfs storage, certificates), removed
 * by `stop()`. Missing tools fail with the apt-get command that installs them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { promises as fs, mkdtempSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A name the registry's certificate also carries, for tests that reach it through a proxy (loopback is never proxied). */
export const PROXIED_HOST_NAME = 'registry.rhcos-layering.test';

export const INSTALL_COMMAND = 'apt-get install docker-registry buildah skopeo busybox-static apache2-utils';
const TOOLS: Record<string, string> = {
  'docker-registry': 'docker-registry',
  htpasswd: 'apache2-utils',
  buildah: 'buildah',
  skopeo: 'skopeo',
  openssl: 'openssl',
};
const BUSYBOX = '/bin/busybox';

export interface PushedImage {
  /** `127.0.0.1:PORT/name:tag` */
  readonly reference: string;
  /** `sha256:…` of the pushed manifest or index, as the registry serves it. */
  readonly digest: string;
  /** `127.0.0.1:PORT/name@sha256:…` */
  readonly pinned: string;
}

export interface TokenGrant {
  /** The user, or undefined for an anonymous request. */
  readonly account?: string;
  /** The scopes asked for, e.g. `repository:busybox-base:pull`. */
  readonly scopes: readonly string[];
  /** Whether actions were granted (wrong credentials get a 401, anonymous requests an empty grant). */
  readonly granted: boolean;
}

export interface LocalRegistryOptions {
  /**
   * `htpasswd` (default; Basic challenges), `token` (Bearer challenges: a token server in this
   * process issues JWTs that the registry verifies, as quay.io or Docker Hub do), or `none`.
   * `true`/`false` mean `htpasswd`/`none`.
   */
  readonly auth?: boolean | 'htpasswd' | 'token' | 'none';
  /** Token lifetime for `auth: 'token'` (default 300 s). */
  readonly tokenExpiresIn?: number;
  /** Serve HTTPS with a self-signed certificate (default true). */
  readonly tls?: boolean;
  /**
   * With `tls`: require a client certificate signed by a CA of the test's own. The certificate and
   * key are written to `certDir` as `client.cert` and `client.key`, where podman and skopeo look.
   */
  readonly clientCertificates?: boolean;
  readonly username?: string;
  readonly password?: string;
  /** Push `busybox-base:latest` (OCI) at start (default true). */
  readonly pushBase?: boolean;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** `https://127.0.0.1:PORT` (or http) */
  readonly url: string;
  readonly tls: boolean;
  readonly username: string;
  readonly password: string;
  readonly auth: 'htpasswd' | 'token' | 'none';
  /** For `auth: 'token'`: the token endpoint and how many tokens it issued (and to whom). */
  readonly tokenServer?: { readonly realm: string; readonly service: string; readonly issued: readonly TokenGrant[] };
  /** The registry's self-signed certificate (it is its own CA), when `tls`. */
  readonly caPem?: string;
  /** A directory holding `ca.crt`, for `--cert-dir` of buildah, skopeo and podman. */
  readonly certDir?: string;
  /** A containers-auth.json holding the right credentials for `host` (also written when auth is off). */
  readonly authFile: string;
  /** The temp dir everything lives in. */
  readonly workDir: string;
  /** Global buildah arguments: vfs storage in the temp dir. Put them before the subcommand. */
  readonly buildahGlobalArgs: readonly string[];
  /** TLS arguments for buildah/skopeo talking to this registry: `--cert-dir …` or `--tls-verify=false`. */
  readonly tlsArgs: readonly string[];
  /** Environment for buildah (chroot isolation, as root without a daemon). */
  readonly toolEnv: NodeJS.ProcessEnv;
  /** `busybox-base:latest`, pushed at start unless `pushBase: false`. */
  readonly base: PushedImage;
  /** The local (containers-storage) name of the busybox image, to build more images from. */
  readonly localBaseImage: string;
  /** Pushes the busybox image as `repository:tag` in the given manifest format. */
  pushBaseImage(repository: string, options?: { tag?: string; format?: 'oci' | 'v2s2' }): Promise<PushedImage>;
  /** Pushes an image index (OCI) or manifest list (v2s2) with linux/amd64 and linux/arm64 entries. */
  pushIndex(repository: string, options?: { tag?: string; format?: 'oci' | 'v2s2' }): Promise<PushedImage>;
  /** sha256 over `skopeo inspect --raw` (the exact bytes the registry serves). */
  skopeoRawDigest(reference: string): Promise<string>;
  /** `skopeo inspect --format {{.Digest}}`. */
  skopeoDigest(reference: string): Promise<string>;
  /** Runs buildah with the global args and env of this registry. */
  buildah(args: readonly string[]): Promise<string>;
  /** Runs skopeo with this registry's auth file and TLS settings added to the subcommand. */
  skopeo(subcommand: string, args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Throws (so the test fails, never passes silently) when a tool is missing, naming the install command. */
export async function requireTools(tools: readonly string[] = [...Object.keys(TOOLS), BUSYBOX]): Promise<void> {
  const missing: string[] = [];
  for (const tool of tools) {
    if (tool.startsWith('/')) {
      try {
        await fs.access(tool);
      } catch {
        missing.push(tool);
      }
    } else if (!(await onPath(tool))) {
      missing.push(tool);
    }
  }
  if (missing.length > 0) {
    throw new Error(`Missing tools for the registry system tests: ${missing.join(', ')}. Install them with: ${INSTALL_COMMAND}`);
  }
}

async function onPath(tool: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      await fs.access(path.join(dir, tool), fs.constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

export function run(program: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      [...args],
      { env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${program} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A free TCP port on 127.0.0.1 (bound and released; good enough for a test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForRegistry(url: string, tls: { ca?: string; cert?: string; key?: string }, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with code ${child.exitCode}:\n${await log()}`);
    const answered = await new Promise<boolean>((resolve) => {
      const get = url.startsWith('https:') ? https.get : http.get;
      const req = get(`${url}/v2/`, tls, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(1000, () => req.destroy());
    });
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer at ${url} within 15 s:\n${await log()}`);
}

/** A client CA and a certificate it signed, as `client.cert`/`client.key` in `certDir`; returns the CA's file. */
async function writeClientCertificate(workDir: string, certDir: string): Promise<string> {
  const caKey = path.join(workDir, 'client-ca.key');
  const caCert = path.join(workDir, 'client-ca.crt');
  const request = path.join(workDir, 'client.csr');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-keyout', caKey, '-out', caCert, '-subj', '/CN=local-client-ca']);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', path.join(certDir, 'client.key'), '-out', request, '-subj', '/CN=local-client']);
  await run('openssl', ['x509', '-req', '-in', request, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-days', '2', '-sha256', '-out', path.join(certDir, 'client.cert')]);
  return caCert;
}

export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const authMode = options.auth === undefined || options.auth === true ? 'htpasswd' : options.auth === false ? 'none' : options.auth;
  const useTls = options.tls ?? true;
  await requireTools([...Object.keys(TOOLS), BUSYBOX]);
  const username = options.username ?? 'tester';
  const password = options.password ?? 'local-registry-pw';
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'rhcos-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `${useTls ? 'https' : 'http'}://${host}`;

  let caPem: string | undefined;
  let certDir: string | undefined;
  const config: string[] = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(workDir, 'storage')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    '  secret: local-test-secret',
  ];
  if (useTls) {
    certDir = path.join(workDir, 'certs');
    await fs.mkdir(certDir);
    const certFile = path.join(workDir, 'registry.crt');
    const keyFile = path.join(workDir, 'registry.key');
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-keyout', keyFile, '-out', certFile,
      '-subj', '/CN=127.0.0.1',
      '-addext', `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${PROXIED_HOST_NAME}`,
    ]);
    caPem = await fs.readFile(certFile, 'utf8');
    await fs.writeFile(path.join(certDir, 'ca.crt'), caPem);
    config.push('  tls:', `    certificate: ${certFile}`, `    key: ${keyFile}`);
    if (options.clientCertificates) config.push('    clientcas:', `      - ${await writeClientCertificate(workDir, certDir)}`);
  }
  if (authMode === 'htpasswd') {
    const htpasswd = path.join(workDir, 'htpasswd');
    await fs.writeFile(htpasswd, await run('htpasswd', ['-Bbn', username, password]));
    config.push('auth:', '  htpasswd:', '    realm: local-test', `    path: ${htpasswd}`);
  }
  let tokenServer: Awaited<ReturnType<typeof startTokenServer>> | undefined;
  if (authMode === 'token') {
    const certFile = path.join(workDir, 'token-signer.crt');
    const keyFile = path.join(workDir, 'token-signer.key');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=local-token-signer']);
    tokenServer = await startTokenServer({
      certPem: await fs.readFile(certFile, 'utf8'),
      keyPem: await fs.readFile(keyFile, 'utf8'),
      username,
      password,
      expiresIn: options.tokenExpiresIn ?? 300,
    });
    config.push(
      'auth:',
      '  token:',
      `    realm: ${tokenServer.realm}`,
      `    service: ${tokenServer.service}`,
      `    issuer: ${TOKEN_ISSUER}`,
      `    rootcertbundle: ${certFile}`,
    );
  }
  const configFile = path.join(workDir, 'config.yml');
  await fs.writeFile(configFile, config.join('\n') + '\n');

  const logFile = path.join(workDir, 'registry.log');
  const logHandle = await fs.open(logFile, 'w');
  const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', logHandle.fd, logHandle.fd] });
  const readLog = () => fs.readFile(logFile, 'utf8').catch(() => '');
  // If the test process ends without stop() (a crash, Ctrl-C), do not leave the registry running.
  const killOnExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await tokenServer?.close();
    await logHandle.close().catch(() => undefined);
    await fs.rm(workDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  };
  try {
    const clientTls = options.clientCertificates && certDir
      ? { cert: await fs.readFile(path.join(certDir, 'client.cert'), 'utf8'), key: await fs.readFile(path.join(certDir, 'client.key'), 'utf8') }
      : {};
    await waitForRegistry(url, { ...(caPem ? { ca: caPem } : {}), ...clientTls }, child, readLog);

    const authFile = path.join(workDir, 'auth.json');
    await fs.writeFile(authFile, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }, null, 2));

    const storageRoot = path.join(workDir, 'containers');
    const buildahGlobalArgs = ['--storage-driver', 'vfs', '--root', path.join(storageRoot, 'root'), '--runroot', path.join(storageRoot, 'runroot')];
    const toolEnv: NodeJS.ProcessEnv = { ...process.env, BUILDAH_ISOLATION: 'chroot', REGISTRY_AUTH_FILE: authFile };
    const tlsArgs = useTls && certDir ? ['--cert-dir', certDir] : ['--tls-verify=false'];
    const buildah = (args: readonly string[]) => run('buildah', [...buildahGlobalArgs, ...args], { env: toolEnv, timeoutMs: 300_000 });
    const skopeo = (subcommand: string, args: readonly string[]) =>
      run('skopeo', [subcommand, '--authfile', authFile, ...(useTls && certDir ? ['--cert-dir', certDir] : ['--tls-verify=false']), ...args], { env: toolEnv });

    // The busybox base image: /bin/busybox plus the links a RUN needs, committed from scratch.
    const rootfs = path.join(workDir, 'rootfs');
    await fs.mkdir(path.join(rootfs, 'bin'), { recursive: true });
    await fs.mkdir(path.join(rootfs, 'etc'));
    await fs.mkdir(path.join(rootfs, 'tmp'));
    await fs.copyFile(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
    await fs.chmod(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'cat', 'echo', 'ls', 'mkdir', 'touch', 'rm', 'cp', 'mv', 'chmod', 'grep', 'sed', 'test', 'true', 'false', 'env', 'sleep', 'id', 'uname']) {
      await fs.symlink('busybox', path.join(rootfs, 'bin', applet));
    }
    await fs.writeFile(path.join(rootfs, 'etc', 'os-release'), 'NAME="busybox test base"\nID=busybox\n');
    const localBaseImage = 'localhost/busybox-base-local:latest';
    const localArmImage = 'localhost/busybox-base-local-arm64:latest';
    const makeImage = async (name: string, arch: string) => {
      const container = (await buildah(['from', '--quiet', 'scratch'])).trim();
      try {
        await buildah(['copy', '--quiet', container, rootfs, '/']);
        await buildah(['config', '--cmd', '/bin/sh', '--env', 'PATH=/bin', '--os', 'linux', '--arch', arch, '--label', 'ostree.bootable=true', container]);
        await buildah(['commit', '--quiet', '--format', 'oci', container, name]);
      } finally {
        await buildah(['rm', container]).catch(() => undefined);
      }
    };
    await makeImage(localBaseImage, 'amd64');

    const pushed = async (reference: string, digestFile: string): Promise<PushedImage> => {
      const digest = (await fs.readFile(digestFile, 'utf8')).trim();
      const name = reference.replace(/:[^:/]+$/, '');
      return { reference, digest, pinned: `${name}@${digest}` };
    };
    let pushCount = 0;
    const pushBaseImage = async (repository: string, opts: { tag?: string; format?: 'oci' | 'v2s2' } = {}) => {
      const reference = `${host}/${repository}:${opts.tag ?? 'latest'}`;
      const digestFile = path.join(workDir, `digest-${++pushCount}`);
      await buildah(['push', '--quiet', ...tlsArgs, '--authfile', authFile, '--format', opts.format ?? 'oci', '--digestfile', digestFile, localBaseImage, `docker://${reference}`]);
      return pushed(reference, digestFile);
    };
    let armMade = false;
    const pushIndex = async (repository: string, opts: { tag?: string; format?: 'oci' | 'v2s2' } = {}) => {
      if (!armMade) {
        await makeImage(localArmImage, 'arm64');
        armMade = true;
      }
      const list = `localhost/index-${++pushCount}`;
      await buildah(['manifest', 'create', list]);
      try {
        await buildah(['manifest', 'add', list, `containers-storage:${localBaseImage}`]);
        await buildah(['manifest', 'add', list, `containers-storage:${localArmImage}`]);
        const reference = `${host}/${repository}:${opts.tag ?? 'latest'}`;
        const digestFile = path.join(workDir, `digest-${++pushCount}`);
        await buildah(['manifest', 'push', '--quiet', '--all', ...tlsArgs, '--authfile', authFile, '--format', opts.format ?? 'oci', '--digestfile', digestFile, list, `docker://${reference}`]);
        return await pushed(reference, digestFile);
      } finally {
        await buildah(['manifest', 'rm', list]).catch(() => buildah(['rmi', list]).catch(() => undefined));
      }
    };
    const skopeoRawDigest = async (reference: string) => {
      const raw = await new Promise<Buffer>((resolve, reject) => {
        execFile(
          'skopeo',
          ['inspect', '--raw', '--authfile', authFile, ...(useTls && certDir ? ['--cert-dir', certDir] : ['--tls-verify=false']), `docker://${reference}`],
          { env: toolEnv, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => (error ? reject(new Error(`skopeo inspect --raw ${reference}: ${stderr.toString()}`)) : resolve(stdout)),
        );
      });
      return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    };
    const skopeoDigest = async (reference: string) => (await skopeo('inspect', ['--format', '{{.Digest}}', `docker://${reference}`])).trim();

    const base = options.pushBase === false ? { reference: '', digest: '', pinned: '' } : await pushBaseImage('busybox-base');
    return {
      host,
      url,
      tls: useTls,
      auth: authMode,
      ...(tokenServer ? { tokenServer: { realm: tokenServer.realm, service: tokenServer.service, issued: tokenServer.issued } } : {}),
      username,
      password,
      ...(caPem ? { caPem } : {}),
      ...(certDir ? { certDir } : {}),
      authFile,
      workDir,
      buildahGlobalArgs,
      tlsArgs,
      toolEnv,
      base,
      localBaseImage,
      pushBaseImage,
      pushIndex,
      skopeoRawDigest,
      skopeoDigest,
      buildah,
      skopeo,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const TOKEN_ISSUER = 'rhcos-layering-test-issuer';
const TOKEN_SERVICE = 'rhcos-layering-test-registry';

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A Docker token server: checks Basic credentials and issues RS256 JWTs with the `access` claim
 * distribution verifies (the signing certificate travels in the `x5c` header and is the registry's
 * `rootcertbundle`). Anonymous requests get a token without access, so the registry says 401.
 */
async function startTokenServer(options: { certPem: string; keyPem: string; username: string; password: string; expiresIn: number }) {
  const certDer = new X509Certificate(options.certPem).raw;
  const issued: TokenGrant[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token.local');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    let account: string | undefined;
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (decoded.slice(0, colon) !== options.username || decoded.slice(colon + 1) !== options.password) {
        issued.push({ account: decoded.slice(0, colon), scopes, granted: false });
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
        return;
      }
      account = decoded.slice(0, colon);
    }
    const access = account
      ? scopes.flatMap((scope) => {
          const [type, name, actions] = scope.split(':');
          return type === 'repository' && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
        })
      : [];
    issued.push({ ...(account ? { account } : {}), scopes, granted: access.length > 0 });
    const now = Math.floor(Date.now() / 1000);
    const headerPart = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] }));
    const claims = base64url(JSON.stringify({ iss: TOKEN_ISSUER, sub: account ?? '', aud: TOKEN_SERVICE, exp: now + options.expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = base64url(sign('sha256', Buffer.from(`${headerPart}.${claims}`), options.keyPem));
    const token = `${headerPart}.${claims}.${signature}`;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: options.expiresIn, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: TOKEN_SERVICE,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
