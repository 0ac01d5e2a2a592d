/**
 * Tag → digest resolution against a real distribution registry (docker-registry 2.8) on 127.0.0.1,
 * with htpasswd auth behind a self-signed TLS certificate, and images pushed by buildah.
 * Digests are checked against skopeo.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatProblem, type Result } from '../../src/core/problem';
import { MEDIA_TYPES, pinnedReference, resolveDigest, RegistrySession, type ResolveOptions, type ResolvedDigest } from '../../src/core/image/registry';
import { startConnectProxy } from '../helpers/proxies';
import { freePort, INSTALL_COMMAND, PROXIED_HOST_NAME, requireTools, run, startLocalRegistry, type LocalRegistry, type PushedImage } from './helpers/registry';

function expectOk(result: Result<ResolvedDigest>): ResolvedDigest {
  if (!result.ok) assert.fail(`expected success, got: ${formatProblem(result.problem)}`);
  return result.value;
}

function expectProblem(result: Result<ResolvedDigest>) {
  if (result.ok) assert.fail(`expected a Problem, got ${result.value.digest}`);
  return result.problem;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('registry test helper', () => {
  it('fails with the install command when a tool is missing', async () => {
    await assert.rejects(requireTools(['docker-registry', 'no-such-tool-xyz', '/no/such/busybox']), (error: Error) => {
      assert.match(error.message, /no-such-tool-xyz, \/no\/such\/busybox/);
      assert.ok(error.message.includes(INSTALL_COMMAND));
      return true;
    });
  });
});

describe('registry: resolving digests against a real docker-registry', function () {
  this.timeout(180_000);
  let registry: LocalRegistry;
  let dockerV2: PushedImage;
  let ociIndex: PushedImage;
  let dockerList: PushedImage;
  let temp: string;
  let home: string;
  let base: ResolveOptions;

  before(async () => {
    registry = await startLocalRegistry();
    dockerV2 = await registry.pushBaseImage('formats/docker-v2', { format: 'v2s2', tag: '1.0' });
    ociIndex = await registry.pushIndex('openshift/rhel-coreos', { tag: '4.16' });
    dockerList = await registry.pushIndex('formats/docker-list', { format: 'v2s2' });
  });
  after(async () => {
    await registry?.stop();
  });
  beforeEach(() => {
    temp = mkdtempSync(path.join(os.tmpdir(), 'registry-test-'));
    home = path.join(temp, 'home');
    mkdirSync(home);
    base = {
      caCertificates: [registry.caPem!],
      certificates: { homeDir: home, systemDirectories: [] },
      registriesConf: { env: {}, homeDir: home, systemDirectory: path.join(temp, 'etc-containers') },
      session: new RegistrySession(),
      auth: { authFile: registry.authFile, env: {}, homeDir: home, runtimeDirFallback: path.join(temp, 'run') },
    };
  });
  afterEach(() => rmSync(temp, { recursive: true, force: true }));

  function authFile(name: string, auths: Record<string, string>): string {
    const file = path.join(temp, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ auths: Object.fromEntries(Object.entries(auths).map(([key, userPass]) => [key, { auth: b64(userPass) }])) }));
    return file;
  }
  const good = () => `${registry.username}:${registry.password}`;

  it('resolves an OCI image manifest to the digest buildah pushed and skopeo sees', async () => {
    const resolved = expectOk(await resolveDigest(registry.base.reference, base));
    assert.equal(resolved.digest, registry.base.digest);
    assert.equal(resolved.digest, await registry.skopeoRawDigest(registry.base.reference));
    assert.equal(resolved.digest, await registry.skopeoDigest(registry.base.reference));
    assert.equal(resolved.mediaType, MEDIA_TYPES.ociManifest);
    assert.equal(resolved.platforms, undefined);
    assert.deepEqual(resolved.credentialSource, { file: registry.authFile, key: registry.host, origin: 'setting' });
    assert.equal(pinnedReference(resolved), registry.base.pinned);
  });

  it('resolves a Docker v2 schema 2 manifest', async () => {
    const resolved = expectOk(await resolveDigest(dockerV2.reference, base));
    assert.equal(resolved.mediaType, MEDIA_TYPES.dockerManifest);
    assert.equal(resolved.digest, dockerV2.digest);
    assert.equal(resolved.digest, await registry.skopeoRawDigest(dockerV2.reference));
    assert.equal(pinnedReference(resolved, { keepTag: true }), `${registry.host}/formats/docker-v2:1.0@${dockerV2.digest}`);
  });

  it('resolves an OCI image index to the index digest and lists its platforms', async () => {
    const resolved = expectOk(await resolveDigest(ociIndex.reference, base));
    assert.equal(resolved.mediaType, MEDIA_TYPES.ociIndex);
    assert.equal(resolved.digest, ociIndex.digest);
    assert.equal(resolved.digest, await registry.skopeoRawDigest(ociIndex.reference));
    const raw = JSON.parse(await registry.skopeo('inspect', ['--raw', `docker://${ociIndex.reference}`])) as { manifests: Array<{ digest: string }> };
    assert.deepEqual(
      resolved.platforms?.map((p) => `${p.os}/${p.architecture}`).sort(),
      ['linux/amd64', 'linux/arm64'],
    );
    assert.deepEqual(resolved.platforms?.map((p) => p.digest).sort(), raw.manifests.map((m) => m.digest).sort());
    const amd64 = resolved.platforms!.find((p) => p.architecture === 'amd64')!;
    assert.equal(amd64.digest, await registry.skopeoRawDigest(`${registry.host}/openshift/rhel-coreos@${amd64.digest}`));
  });

  it('resolves a Docker manifest list, and an index without listing platforms (HEAD only)', async () => {
    const list = expectOk(await resolveDigest(dockerList.reference, base));
    assert.equal(list.mediaType, MEDIA_TYPES.dockerList);
    assert.equal(list.digest, await registry.skopeoRawDigest(dockerList.reference));
    assert.equal(list.platforms?.length, 2);
    const headOnly = expectOk(await resolveDigest(ociIndex.reference, { ...base, listPlatforms: false }));
    assert.equal(headOnly.digest, ociIndex.digest);
    assert.equal(headOnly.platforms, undefined);
  });

  it('verifies a reference that already has a digest', async () => {
    const resolved = expectOk(await resolveDigest(`${registry.host}/openshift/rhel-coreos:4.16@${ociIndex.digest}`, base));
    assert.equal(resolved.digest, ociIndex.digest);
    const missing = expectProblem(await resolveDigest(`${registry.host}/openshift/rhel-coreos@sha256:${'0'.repeat(64)}`, base));
    assert.match(missing.why, /digest sha256:0+ was not found/);
  });

  describe('credentials', () => {
    it('a more specific key beats a wrong host-level key', async () => {
      const file = authFile('auth.json', { [registry.host]: 'tester:wrong', [`${registry.host}/openshift`]: good() });
      const resolved = expectOk(await resolveDigest(ociIndex.reference, { ...base, auth: { ...base.auth, authFile: file } }));
      assert.equal(resolved.credentialSource?.key, `${registry.host}/openshift`);
      const other = expectProblem(await resolveDigest(registry.base.reference, { ...base, auth: { ...base.auth, authFile: file } }));
      assert.match(other.why, /rejected the credentials from .*auth\.json \[127\.0\.0\.1:\d+\]/);
    });

    it('$REGISTRY_AUTH_FILE comes before the default locations, which come in podman order', async () => {
      const runtimeDir = path.join(temp, 'xdg-run');
      const wrongRuntime = authFile('xdg-run/containers/auth.json', { [registry.host]: 'tester:wrong' });
      const envFile = authFile('env-auth.json', { [registry.host]: good() });
      const env = { REGISTRY_AUTH_FILE: envFile, XDG_RUNTIME_DIR: runtimeDir };
      const options = { ...base, auth: { env, homeDir: home } };
      const viaEnv = expectOk(await resolveDigest(registry.base.reference, options));
      assert.equal(viaEnv.credentialSource?.origin, 'REGISTRY_AUTH_FILE');
      assert.equal(viaEnv.credentialSource?.file, envFile);

      const withoutEnv = { ...base, auth: { env: { XDG_RUNTIME_DIR: runtimeDir }, homeDir: home } };
      authFile('home/.config/containers/auth.json', { [registry.host]: good() });
      const problem = expectProblem(await resolveDigest(registry.base.reference, withoutEnv));
      assert.ok(problem.why.includes(wrongRuntime), problem.why);
      assert.match(problem.next, new RegExp(`podman login ${registry.host.replace(/\./g, '\\.')}`));

      rmSync(wrongRuntime);
      const viaConfig = expectOk(await resolveDigest(registry.base.reference, { ...withoutEnv, session: new RegistrySession() }));
      assert.equal(viaConfig.credentialSource?.origin, 'XDG_CONFIG_HOME');

      rmSync(path.join(home, '.config'), { recursive: true });
      writeFileSync(path.join(home, '.dockercfg'), JSON.stringify({ [`https://${registry.host}`]: { auth: b64(good()) } }));
      const viaLegacy = expectOk(await resolveDigest(registry.base.reference, { ...withoutEnv, session: new RegistrySession() }));
      assert.equal(viaLegacy.credentialSource?.origin, 'dockercfg');
    });

    it('a wrong password gives a 401 Problem naming the auth file, without the password', async () => {
      const file = authFile('wrong.json', { [registry.host]: 'tester:not-the-password' });
      const problem = expectProblem(await resolveDigest(registry.base.reference, { ...base, auth: { ...base.auth, authFile: file } }));
      assert.match(problem.why, /401 Unauthorized/);
      assert.ok(problem.why.includes(file), problem.why);
      assert.match(problem.next, /podman login 127\.0\.0\.1:\d+/);
      assert.doesNotMatch(JSON.stringify(problem), /not-the-password|bm90LXRoZS1wYXNzd29yZA/);
    });

    it('no credentials at all gives a 401 Problem saying none were found', async () => {
      const problem = expectProblem(await resolveDigest(registry.base.reference, { ...base, auth: { env: {}, homeDir: home, runtimeDirFallback: path.join(temp, 'run') } }));
      assert.match(problem.why, /requires authentication.*no auth file with credentials was found/);
      const file = authFile('other.json', { 'quay.io': 'someone:else' });
      const named = expectProblem(await resolveDigest(registry.base.reference, { ...base, auth: { ...base.auth, authFile: file } }));
      assert.ok(named.why.includes(`no credentials for ${registry.host} were found in ${file}`), named.why);
    });
  });

  describe('failures', () => {
    it('a missing tag is a 404 Problem naming the tag', async () => {
      const problem = expectProblem(await resolveDigest(`${registry.host}/busybox-base:no-such-tag`, base));
      assert.match(problem.why, /tag "no-such-tag" was not found in 127\.0\.0\.1:\d+\/busybox-base \(404\); it has the tag latest/);
      assert.match(problem.next, /skopeo list-tags/);
    });

    it('a missing repository is a 404 Problem', async () => {
      const problem = expectProblem(await resolveDigest(`${registry.host}/no/such-repo:1`, base));
      assert.match(problem.why, /the repository 127\.0\.0\.1:\d+\/no\/such-repo does not exist \(404 NAME_UNKNOWN\)/);
    });

    it('an unreachable port is a connection-refused Problem', async () => {
      const port = await freePort();
      const problem = expectProblem(await resolveDigest(`127.0.0.1:${port}/x:1`, base));
      assert.match(problem.why, new RegExp(`nothing is listening at 127\\.0\\.0\\.1:${port} \\(connection refused\\)`));
    });

    it('a self-signed certificate without the CA is a TLS Problem; insecureRegistries or the CA fixes it', async () => {
      const { caCertificates: _ca, ...withoutCa } = base;
      const problem = expectProblem(await resolveDigest(registry.base.reference, withoutCa));
      assert.match(problem.why, /certificate of 127\.0\.0\.1:\d+ is not trusted \(self-signed/);
      assert.match(problem.next, /insecureRegistries/);
      const insecure = expectOk(await resolveDigest(registry.base.reference, { ...withoutCa, insecureRegistries: [registry.host] }));
      assert.equal(insecure.digest, registry.base.digest);
    });

    it('the CA in certs.d, where podman reads it, is trusted: per host under ~/.config or the system roots, or one --cert-dir', async () => {
      const { caCertificates: _ca, ...withoutCa } = base;
      const system = path.join(temp, 'etc-containers-certs.d');
      cpSync(registry.certDir!, path.join(system, registry.host), { recursive: true });
      const fromSystem = expectOk(await resolveDigest(registry.base.reference, { ...withoutCa, certificates: { homeDir: home, systemDirectories: [system] } }));
      assert.equal(fromSystem.digest, registry.base.digest);
      cpSync(registry.certDir!, path.join(home, '.config', 'containers', 'certs.d', registry.host), { recursive: true });
      expectOk(await resolveDigest(registry.base.reference, { ...withoutCa, certificates: { homeDir: home, systemDirectories: [] } }));
      expectOk(await resolveDigest(registry.base.reference, { ...withoutCa, certificates: { certDirectory: registry.certDir! } }));
      const skipped = expectProblem(await resolveDigest(registry.base.reference, { ...withoutCa, certificates: false }));
      assert.match(skipped.next, new RegExp(`certs\\.d/127\\.0\\.0\\.1:\\d+/ca\\.crt`));
    });

    it('goes through HTTPS_PROXY as skopeo does (CONNECT, TLS to the registry inside); a proxy that cannot be reached is named, without its password', async () => {
      const proxy = await startConnectProxy({ [PROXIED_HOST_NAME]: '127.0.0.1' });
      try {
        const port = registry.host.split(':')[1]!;
        const reference = `${PROXIED_HOST_NAME}:${port}/busybox-base:latest`;
        const auth = authFile('proxied-auth.json', { [`${PROXIED_HOST_NAME}:${port}`]: good() });
        const proxyEnv = { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost' };
        const resolved = expectOk(await resolveDigest(reference, { ...base, auth: { ...base.auth, authFile: auth }, proxyEnv }));
        assert.equal(resolved.digest, registry.base.digest);
        assert.ok(proxy.tunnels.includes(`${PROXIED_HOST_NAME}:${port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
        // The peer: skopeo, with the same environment, takes the same tunnel and sees the same digest.
        const before = proxy.tunnels.length;
        const raw = await run('skopeo', ['inspect', '--raw', '--authfile', auth, '--cert-dir', registry.certDir!, `docker://${reference}`], { env: { ...process.env, ...proxyEnv } });
        assert.equal(`sha256:${createHash('sha256').update(raw).digest('hex')}`, registry.base.digest);
        assert.ok(proxy.tunnels.length > before, 'skopeo went through the proxy too');

        const refusing = expectProblem(await resolveDigest(reference, { ...base, proxyEnv: { HTTPS_PROXY: `http://user:pw@127.0.0.1:${await freePort()}` } }));
        assert.match(refusing.why, /^the proxy http:\/\/127\.0\.0\.1:\d+ \(credentials hidden\) cannot be reached \(ECONNREFUSED\)/);
        assert.match(refusing.next, /HTTPS_PROXY and NO_PROXY/);
      } finally {
        await proxy.close();
      }
    });

    it('a registry that never answers times out; a cancelled signal cancels', async () => {
      const sockets: net.Socket[] = [];
      const silent = net.createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as net.AddressInfo).port;
      try {
        // Two requests to the same silent registry: the one with the short time-out gives up first, while the other,
        // with a long one, is still waiting; cancelling it then ends it as cancelled, not timed out.
        const controller = new AbortController();
        const short = resolveDigest(`127.0.0.1:${port}/x:1`, { ...base, timeoutMs: 400 }).then((result) => ({ request: 'timeout 400 ms', result }));
        const long = resolveDigest(`127.0.0.1:${port}/x:1`, { ...base, timeoutMs: 600_000, signal: controller.signal }).then((result) => ({ request: 'timeout 10 min', result }));
        const first = await Promise.race([short, long]);
        assert.equal(first.request, 'timeout 400 ms');
        const problem = expectProblem(first.result);
        assert.match(problem.why, /127\.0\.0\.1:\d+ did not answer within 400 ms/);
        assert.match(problem.next, /timeoutSeconds/);
        controller.abort();
        const cancelled = expectProblem((await long).result);
        assert.match(cancelled.what, /cancelled/);
      } finally {
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });

    it('an invalid reference is a Problem before any request', async () => {
      const problem = expectProblem(await resolveDigest(`${registry.host}/Busybox-Base:latest`, base));
      assert.match(problem.why, /lowercase/);
    });
  });

  describe('a registry with bearer-token auth (token server + JWTs distribution verifies)', () => {
    let bearer: LocalRegistry;
    before(async () => {
      bearer = await startLocalRegistry({ auth: 'token' });
    });
    after(async () => {
      await bearer?.stop();
    });
    const options = (authFileName: string, session = new RegistrySession()): ResolveOptions => ({
      caCertificates: [bearer.caPem!],
      session,
      auth: { authFile: authFileName, env: {}, homeDir: home, runtimeDirFallback: path.join(temp, 'run') },
    });

    it('gets a token with the credentials, and reuses it until it expires', async () => {
      const session = new RegistrySession();
      const before = bearer.tokenServer!.issued.length;
      const first = expectOk(await resolveDigest(bearer.base.reference, options(bearer.authFile, session)));
      assert.equal(first.digest, bearer.base.digest);
      assert.deepEqual(bearer.tokenServer!.issued.slice(before), [{ account: bearer.username, scopes: ['repository:busybox-base:pull'], granted: true }]);
      expectOk(await resolveDigest(bearer.base.reference, options(bearer.authFile, session)));
      assert.equal(bearer.tokenServer!.issued.length, before + 1, 'the second resolution used the cached token');
      assert.equal(session.tokenRequests, 1);
      assert.equal(first.digest, await bearer.skopeoRawDigest(bearer.base.reference));
    });

    it('a more specific key beats a wrong host-level key; a wrong password is named in the Problem', async () => {
      const file = authFile('bearer-auth.json', { [bearer.host]: `${bearer.username}:wrong`, [`${bearer.host}/busybox-base`]: `${bearer.username}:${bearer.password}` });
      const resolved = expectOk(await resolveDigest(bearer.base.reference, options(file)));
      assert.equal(resolved.credentialSource?.key, `${bearer.host}/busybox-base`);
      const wrong = authFile('bearer-wrong.json', { [bearer.host]: `${bearer.username}:wrong` });
      const problem = expectProblem(await resolveDigest(bearer.base.reference, options(wrong)));
      assert.match(problem.why, /rejected the credentials from .*bearer-wrong\.json \[127\.0\.0\.1:\d+\] \(401 Unauthorized: token service: invalid username or password\)/);
    });

    it('anonymous access gets a token without access, and a 401 Problem', async () => {
      const problem = expectProblem(await resolveDigest(bearer.base.reference, { caCertificates: [bearer.caPem!], session: new RegistrySession(), credential: null }));
      assert.match(problem.why, /requires authentication \(401 Unauthorized\) and anonymous access was requested/);
      assert.equal(bearer.tokenServer!.issued.at(-1)?.granted, false);
    });
  });

  describe('a plain-HTTP registry without auth', () => {
    let plain: LocalRegistry;
    before(async () => {
      plain = await startLocalRegistry({ tls: false, auth: false });
    });
    after(async () => {
      await plain?.stop();
    });

    it('is refused over HTTPS with a hint, and resolved when listed as insecure (setting or registries.conf)', async () => {
      const registriesConf = { env: {}, homeDir: home, systemDirectory: path.join(temp, 'etc-containers') };
      const options = { session: new RegistrySession(), auth: { env: {}, homeDir: home, runtimeDirFallback: path.join(temp, 'run') }, registriesConf };
      const problem = expectProblem(await resolveDigest(plain.base.reference, options));
      assert.match(problem.why, /did not answer with TLS/);
      assert.match(problem.next, /insecureRegistries/);
      const resolved = expectOk(await resolveDigest(plain.base.reference, { ...options, insecureRegistries: [plain.host.split(':')[0]!] }));
      assert.equal(resolved.digest, plain.base.digest);
      assert.equal(resolved.credentialSource, undefined);
      assert.equal(resolved.digest, await plain.skopeoRawDigest(plain.base.reference));
      // The same registry marked insecure where podman reads it: a drop-in under ~/.config/containers.
      const dropIn = path.join(home, '.config', 'containers', 'registries.conf.d', '50-local.conf');
      mkdirSync(path.dirname(dropIn), { recursive: true });
      writeFileSync(dropIn, `[[registry]]\nlocation = "${plain.host}"\ninsecure = true\n`);
      const fromConf = expectOk(await resolveDigest(plain.base.reference, { ...options, session: new RegistrySession() }));
      assert.equal(fromConf.digest, plain.base.digest);
    });

    it('through HTTP_PROXY, an insecure plain-HTTP registry is asked by absolute URL', async () => {
      const proxy = await startConnectProxy({ [PROXIED_HOST_NAME]: '127.0.0.1' });
      try {
        const reference = `${PROXIED_HOST_NAME}:${plain.host.split(':')[1]}/busybox-base:latest`;
        const proxyEnv = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
        const options: ResolveOptions = { session: new RegistrySession(), auth: { env: {}, homeDir: home, runtimeDirFallback: path.join(temp, 'run') }, registriesConf: false, insecureRegistries: [PROXIED_HOST_NAME], proxyEnv };
        const resolved = expectOk(await resolveDigest(reference, options));
        assert.equal(resolved.digest, plain.base.digest);
        assert.ok(proxy.tunnels.some((entry) => entry.startsWith(`HEAD http://${reference.split('/')[0]}/v2/busybox-base/manifests/latest`)), `proxied: ${proxy.tunnels.join(', ')}`);
      } finally {
        await proxy.close();
      }
    });
  });

  describe('a registry that requires a client certificate (mutual TLS)', () => {
    let mutual: LocalRegistry;
    before(async () => {
      mutual = await startLocalRegistry({ clientCertificates: true });
    });
    after(async () => {
      await mutual?.stop();
    });

    it('presents client.cert/client.key from the certs.d directory; without them the Problem says a client certificate is needed', async () => {
      const options: ResolveOptions = { session: new RegistrySession(), auth: { authFile: mutual.authFile, env: {}, homeDir: home, runtimeDirFallback: path.join(temp, 'run') } };
      const resolved = expectOk(await resolveDigest(mutual.base.reference, { ...options, certificates: { certDirectory: mutual.certDir! } }));
      assert.equal(resolved.digest, mutual.base.digest);
      const caOnly = path.join(temp, 'ca-only');
      mkdirSync(caOnly);
      cpSync(path.join(mutual.certDir!, 'ca.crt'), path.join(caOnly, 'ca.crt'));
      const problem = expectProblem(await resolveDigest(mutual.base.reference, { ...options, certificates: { certDirectory: caOnly } }));
      assert.match(problem.why, /asks for a client certificate, and none was found/);
      assert.match(problem.next, /client\.cert and client\.key/);
      // A certificate the registry's client CA did not sign is named, so the user knows which file to replace.
      const stranger = path.join(temp, 'stranger');
      mkdirSync(stranger);
      cpSync(path.join(mutual.certDir!, 'ca.crt'), path.join(stranger, 'ca.crt'));
      await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-keyout', path.join(stranger, 'me.key'), '-out', path.join(stranger, 'me.cert'), '-subj', '/CN=stranger']);
      const refused = expectProblem(await resolveDigest(mutual.base.reference, { ...options, certificates: { certDirectory: stranger } }));
      assert.match(refused.why, /did not accept the client certificate .*me\.cert/);
    });
  });
});
