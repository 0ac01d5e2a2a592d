/**
 * Protocol cases a stock docker-registry does not produce, against tiny HTTP servers started here:
 * the bearer-token flow (anonymous, with credentials, identity tokens, token caching and expiry),
 * a missing Docker-Content-Digest header, HTML pages from a proxy, oversized manifests, rate limits.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { formatProblem, type Result } from '../../src/core/problem';
import { Secret, type Credential } from '../../src/core/image/auth';
import { MEDIA_TYPES, parseChallenge, resolveDigest, RegistrySession, type ResolveOptions, type ResolvedDigest } from '../../src/core/image/registry';

function expectOk(result: Result<ResolvedDigest>): ResolvedDigest {
  if (!result.ok) assert.fail(`expected success, got: ${formatProblem(result.problem)}`);
  return result.value;
}
function expectProblem(result: Result<ResolvedDigest>) {
  if (result.ok) assert.fail(`expected a Problem, got ${result.value.digest}`);
  return result.problem;
}

interface Server {
  readonly host: string;
  readonly requests: string[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, host: string, body: string) => void): Promise<Server> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  let host = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers.authorization?.split(' ')[0] ?? '-'}`);
      handler(req, res, host, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    host,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// A pretty-printed index: the digest must be over these exact bytes, not re-serialised JSON.
const INDEX_BODY = Buffer.from(
  JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${'1'.repeat(64)}`, size: 500, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${'2'.repeat(64)}`, size: 500, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${'3'.repeat(64)}`, size: 500, platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    },
    null,
    3,
  ) + '\n',
);
const INDEX_DIGEST = `sha256:${createHash('sha256').update(INDEX_BODY).digest('hex')}`;

const credential = (username: string, password: string, identityToken = false): Credential => ({
  username,
  secret: new Secret(password),
  identityToken,
  source: { file: '/test/auth.json', key: 'test-key', origin: 'setting' },
});

/**
 * A bearer-token registry in the style of quay.io: `/v2/` manifests need a token from `/token`;
 * `public/*` repositories allow anonymous tokens; no Docker-Content-Digest header unless asked.
 */
function bearerRegistry(options: { expiresIn?: number; sendDigest?: boolean } = {}) {
  let issued = 0;
  const valid = new Set<string>();
  return serve((req, res, host, body) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      let user: string | undefined;
      if (req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== 'refresh-123') {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad refresh token"}]}');
          return;
        }
        user = 'oauth';
      } else if (req.headers.authorization) {
        const [name, pass] = Buffer.from(req.headers.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
        if (name !== 'alice' || pass !== 'right') {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
          return;
        }
        user = name;
      }
      const scope = url.searchParams.get('scope') ?? new URLSearchParams(body).get('scope') ?? '';
      if (!user && !scope.startsWith('repository:public/')) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{}');
        return;
      }
      const token = `tok-${++issued}`;
      valid.add(token);
      const answer: Record<string, unknown> = { [req.method === 'POST' ? 'access_token' : 'token']: token };
      if (options.expiresIn !== undefined) answer.expires_in = options.expiresIn;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(url.pathname);
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !valid.has(token)) {
      const scope = match ? `repository:${match[1]}:pull` : '';
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="fake-registry"${scope ? `,scope="${scope}"` : ''}`, 'Content-Type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    if (!match || match[2] !== '4.16') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': MEDIA_TYPES.ociIndex, 'Content-Length': String(INDEX_BODY.length) };
    if (options.sendDigest) headers['Docker-Content-Digest'] = INDEX_DIGEST;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : INDEX_BODY);
  });
}

describe('registry protocol details (local fake servers)', function () {
  this.timeout(20_000);
  const servers: Server[] = [];
  const start = async (server: Promise<Server>) => {
    const started = await server;
    servers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const insecure = (server: Server, extra: ResolveOptions = {}): ResolveOptions => ({
    insecureRegistries: [server.host],
    session: new RegistrySession(),
    credential: null,
    ...extra,
  });

  it('parses Bearer and Basic challenges', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
    });
    assert.deepEqual(parseChallenge('Basic realm="x"'), { scheme: 'basic', params: { realm: 'x' } });
    assert.equal(parseChallenge('Negotiate abc'), undefined);
  });

  it('bearer flow with credentials; GET fallback hashes the exact bytes when Docker-Content-Digest is missing', async () => {
    const server = await start(bearerRegistry());
    const resolved = expectOk(await resolveDigest(`${server.host}/openshift/rhel-coreos:4.16`, insecure(server, { credential: credential('alice', 'right') })));
    assert.equal(resolved.digest, INDEX_DIGEST);
    assert.notEqual(resolved.digest, `sha256:${createHash('sha256').update(JSON.stringify(JSON.parse(INDEX_BODY.toString()))).digest('hex')}`);
    assert.equal(resolved.mediaType, MEDIA_TYPES.ociIndex);
    assert.deepEqual(resolved.platforms, [
      { os: 'linux', architecture: 'amd64', digest: `sha256:${'1'.repeat(64)}`, mediaType: MEDIA_TYPES.ociManifest },
      { os: 'linux', architecture: 'arm64', variant: 'v8', digest: `sha256:${'2'.repeat(64)}`, mediaType: MEDIA_TYPES.ociManifest },
    ]);
    assert.equal(resolved.credentialSource?.file, '/test/auth.json');
    const paths = server.requests.map((line) => line.replace(/\/v2\/openshift\/rhel-coreos\/manifests\/4\.16/, 'M'));
    assert.deepEqual(paths.slice(-4), [
      'HEAD M -',
      'GET /token?service=fake-registry&scope=repository%3Aopenshift%2Frhel-coreos%3Apull Basic',
      'HEAD M Bearer',
      'GET M Bearer',
    ]);
  });

  it('caches bearer tokens until they expire', async () => {
    const server = await start(bearerRegistry({ expiresIn: 300, sendDigest: true }));
    let now = 1_000_000;
    const session = new RegistrySession(() => now);
    const options = insecure(server, { session, credential: credential('alice', 'right'), listPlatforms: false });
    const ref = `${server.host}/openshift/rhel-coreos:4.16`;
    assert.equal(expectOk(await resolveDigest(ref, options)).digest, INDEX_DIGEST);
    const afterFirst = server.requests.length;
    assert.equal(expectOk(await resolveDigest(ref, options)).digest, INDEX_DIGEST);
    assert.equal(session.tokenRequests, 1);
    assert.deepEqual(server.requests.slice(afterFirst), [`HEAD /v2/openshift/rhel-coreos/manifests/4.16 Bearer`], 'the cached token and challenge are used directly');
    now += 299_000;
    expectOk(await resolveDigest(ref, options));
    assert.equal(session.tokenRequests, 2, 'a token about to expire is renewed');
    // A token the registry no longer accepts is dropped and a new one fetched.
    const fresh = new RegistrySession(() => now);
    expectOk(await resolveDigest(ref, { ...options, session: fresh }));
    assert.equal(fresh.tokenRequests, 1);
  });

  it('anonymous bearer tokens work for public repositories', async () => {
    const server = await start(bearerRegistry({ sendDigest: true }));
    const resolved = expectOk(await resolveDigest(`${server.host}/public/image:4.16`, insecure(server)));
    assert.equal(resolved.digest, INDEX_DIGEST);
    assert.equal(resolved.credentialSource, undefined);
    assert.ok(server.requests.some((line) => line.startsWith('GET /token') && line.endsWith(' -')));
  });

  it('private repositories without credentials, and wrong credentials, give 401 Problems', async () => {
    const server = await start(bearerRegistry());
    const anonymous = expectProblem(await resolveDigest(`${server.host}/private/image:4.16`, insecure(server)));
    assert.match(anonymous.why, /requires authentication \(401 Unauthorized\) and anonymous access was requested/);
    assert.match(anonymous.next, /podman login 127\.0\.0\.1:\d+/);
    const wrong = expectProblem(await resolveDigest(`${server.host}/private/image:4.16`, insecure(server, { credential: credential('alice', 'wrong-pw') })));
    assert.match(wrong.why, /rejected the credentials from \/test\/auth\.json \[test-key\]/);
    assert.doesNotMatch(JSON.stringify(wrong), /wrong-pw/);
  });

  it('identity tokens use the OAuth2 refresh-token grant', async () => {
    const server = await start(bearerRegistry({ sendDigest: true }));
    const resolved = expectOk(await resolveDigest(`${server.host}/private/image:4.16`, insecure(server, { credential: credential('', 'refresh-123', true), listPlatforms: false })));
    assert.equal(resolved.digest, INDEX_DIGEST);
    assert.ok(server.requests.includes('POST /token -'));
    const bad = expectProblem(await resolveDigest(`${server.host}/private/image:4.16`, insecure(server, { credential: credential('', 'stale', true) })));
    assert.match(bad.why, /401 Unauthorized: token service: bad refresh token/);
  });

  it('an HTML page (a proxy login page) gives a clear Problem', async () => {
    const server = await start(
      serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html>\n<html><head><title>Corporate Proxy Sign-In</title></head><body>Please log in</body></html>');
      }),
    );
    const problem = expectProblem(await resolveDigest(`${server.host}/org/image:1`, insecure(server)));
    assert.match(problem.why, /answered with an HTML page \("Corporate Proxy Sign-In"\) instead of an image manifest/);
    assert.match(problem.next, /proxy/);
    const redirecting = await start(
      serve((req, res, host) => {
        if (req.url?.startsWith('/login')) res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><title>Login</title></html>');
        else res.writeHead(302, { Location: `http://${host}/login?next=x` }).end();
      }),
    );
    assert.match(expectProblem(await resolveDigest(`${redirecting.host}/org/image:1`, insecure(redirecting))).why, /HTML page \("Login"\)/);
  });

  it('a 10 MB manifest is refused with a clear message, without reading it all', async () => {
    let sent = 0;
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const server = await start(
      serve((req, res) => {
        const chunked = req.url?.includes('chunked');
        res.writeHead(200, { 'Content-Type': MEDIA_TYPES.ociManifest, ...(chunked ? {} : { 'Content-Length': String(huge.length) }) });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        // Write in pieces so that we can tell how much the client took before hanging up. Chunked, the body is far
        // longer than any socket buffer, so a client that keeps reading is told apart from one that hung up.
        const total = chunked ? 16 * huge.length : huge.length;
        const write = (offset: number) => {
          if (offset >= total || res.destroyed) {
            res.end();
            return;
          }
          sent += 64 * 1024;
          res.write(huge.subarray(offset % huge.length, (offset % huge.length) + 64 * 1024), () => write(offset + 64 * 1024));
        };
        write(0);
      }),
    );
    const declared = expectProblem(await resolveDigest(`${server.host}/org/image:1`, insecure(server)));
    assert.match(declared.why, /answered with 10 MiB of application\/vnd\.oci\.image\.manifest\.v1\+json, over the 4 MiB limit for a manifest/);
    sent = 0;
    const chunked = expectProblem(await resolveDigest(`${server.host}/org/image:chunked`, insecure(server)));
    assert.match(chunked.why, /more than 4 MiB/);
    // The client hangs up once it has 4 MiB; how far past that the server gets depends on socket buffers and load.
    assert.ok(sent < 16 * huge.length, `the client stopped reading (server wrote ${sent} of ${16 * huge.length} bytes)`);
    const small = expectProblem(await resolveDigest(`${server.host}/org/image:1`, insecure(server, { maxManifestBytes: 1024 })));
    assert.match(small.why, /over the 1 KiB limit/);
  });

  it('rate limits, server errors and non-manifest answers are Problems', async () => {
    const server = await start(
      serve((req, res) => {
        if (req.url?.includes('/ratelimited/')) res.writeHead(429, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}');
        else if (req.url?.includes('/broken/')) res.writeHead(503, { 'Content-Type': 'text/plain' }).end('down');
        else if (req.url?.includes('/schema1/')) res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }).end('{"schemaVersion":1}');
        else if (req.url?.includes('/denied/')) res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
        else res.writeHead(200, { 'Content-Type': 'application/json' }).end('not json');
      }),
    );
    const options = insecure(server);
    assert.match(expectProblem(await resolveDigest(`${server.host}/ratelimited/x:1`, options)).why, /rate-limiting.*429/);
    assert.match(expectProblem(await resolveDigest(`${server.host}/broken/x:1`, options)).why, /503 Service Unavailable \(a server-side error\)/);
    assert.match(expectProblem(await resolveDigest(`${server.host}/schema1/x:1`, options)).why, /schema 1/);
    assert.match(expectProblem(await resolveDigest(`${server.host}/denied/x:1`, options)).why, /denied anonymous access to denied\/x \(403 Forbidden: requested access/);
    assert.match(expectProblem(await resolveDigest(`${server.host}/other/x:1`, options)).why, /not a JSON manifest/);
  });

  it('a Basic challenge without credentials asks to log in', async () => {
    const server = await start(
      serve((_req, res) => {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Registry Realm"' }).end();
      }),
    );
    const problem = expectProblem(await resolveDigest(`${server.host}/x/y:1`, insecure(server)));
    assert.match(problem.why, /requires authentication/);
  });
});
