import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import {
  authFileCandidates,
  authKeys,
  describeCredentialSource,
  findCredential,
  normalizeAuthKey,
  runCredentialHelperProcess,
  Secret,
  type AuthOptions,
  type CredentialHelperRunner,
} from '../../../src/core/image/auth';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('registry auth files', () => {
  let root: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let options: AuthOptions;

  function write(file: string, content: unknown) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }
  const auths = (entries: Record<string, string>) => ({
    auths: Object.fromEntries(Object.entries(entries).map(([key, userPass]) => [key, { auth: b64(userPass) }])),
  });

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'auth-test-'));
    home = path.join(root, 'home');
    mkdirSync(home);
    env = { XDG_RUNTIME_DIR: path.join(root, 'run') };
    options = { env, homeDir: home, runtimeDirFallback: path.join(root, 'run-fallback') };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function lookup(registry: string, repository: string, extra: Partial<AuthOptions> = {}) {
    const result = await findCredential(registry, repository, { ...options, ...extra });
    if (!result.ok) assert.fail(`unexpected problem: ${result.problem.why}`);
    return result.value;
  }

  it('lists the candidate files in podman order', () => {
    env.REGISTRY_AUTH_FILE = path.join(root, 'env-auth.json');
    const list = authFileCandidates({ ...options, authFile: '~/explicit.json' });
    assert.deepEqual(
      list.map((c) => [c.origin, path.relative(root, c.path), c.legacy]),
      [
        ['setting', 'home/explicit.json', false],
        ['REGISTRY_AUTH_FILE', 'env-auth.json', false],
        ['XDG_RUNTIME_DIR', 'run/containers/auth.json', false],
        ['XDG_CONFIG_HOME', 'home/.config/containers/auth.json', false],
        ['docker', 'home/.docker/config.json', false],
        ['dockercfg', 'home/.dockercfg', true],
      ],
    );
  });

  it('uses XDG_CONFIG_HOME, DOCKER_CONFIG and the /run/containers fallback when set', () => {
    delete env.XDG_RUNTIME_DIR;
    env.XDG_CONFIG_HOME = path.join(root, 'cfg');
    env.DOCKER_CONFIG = path.join(root, 'dockercfgdir');
    const list = authFileCandidates(options).map((c) => path.relative(root, c.path));
    assert.deepEqual(list, ['run-fallback/auth.json', 'cfg/containers/auth.json', 'dockercfgdir/config.json', 'home/.dockercfg']);
  });

  it('returns anonymous when no file exists', async () => {
    const found = await lookup('quay.io', 'org/image');
    assert.equal(found.credential, undefined);
    assert.deepEqual(found.searched, []);
  });

  it('matches keys most specific first within a file', async () => {
    assert.deepEqual(authKeys('reg', 'ns/user/image'), ['reg/ns/user/image', 'reg/ns/user', 'reg/ns', 'reg']);
    write(
      path.join(root, 'run/containers/auth.json'),
      auths({ 'reg.io': 'host:h', 'reg.io/ns': 'ns:n', 'reg.io/ns/user': 'user:u', 'reg.io/ns/user/image': 'image:i', 'reg.io/ns/user/imag': 'prefix:p' }),
    );
    assert.equal((await lookup('reg.io', 'ns/user/image')).credential?.username, 'image');
    assert.equal((await lookup('reg.io', 'ns/user/other')).credential?.username, 'user');
    assert.equal((await lookup('reg.io', 'ns/other/x')).credential?.username, 'ns');
    assert.equal((await lookup('reg.io', 'nsx/image')).credential?.username, 'host');
    assert.equal((await lookup('reg.io', 'ns/user/imag2')).credential?.username, 'user', 'keys are path components, not prefixes');
    assert.equal((await lookup('other.io', 'ns/user/image')).credential, undefined);
  });

  it('decodes the password and reports where it came from', async () => {
    const file = write(path.join(home, '.config/containers/auth.json'), auths({ 'reg.io/ns': 'alice:pa:ss:word' }));
    const found = await lookup('reg.io', 'ns/img');
    assert.equal(found.credential?.username, 'alice');
    assert.equal(found.credential?.secret.reveal(), 'pa:ss:word');
    assert.deepEqual(found.credential?.source, { file, key: 'reg.io/ns', origin: 'XDG_CONFIG_HOME' });
    assert.equal(describeCredentialSource(found.credential!.source, home), '~/.config/containers/auth.json [reg.io/ns]');
    assert.deepEqual(found.searched, [file]);
  });

  it('never shows the secret when printed', async () => {
    write(path.join(home, '.docker/config.json'), auths({ 'reg.io': 'alice:hunter2' }));
    const found = await lookup('reg.io', 'x');
    const printed = [JSON.stringify(found), inspect(found, { depth: 10 }), String(found.credential?.secret), `${found.credential?.secret}`];
    for (const text of printed) assert.doesNotMatch(text, /hunter2/);
    assert.equal(new Secret('x').toString(), '[redacted]');
  });

  it('the first file with a credential wins: setting, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, XDG_CONFIG_HOME, docker, dockercfg', async () => {
    const files = [
      ['dockercfg', write(path.join(home, '.dockercfg'), { 'reg.io': { auth: b64('legacy:x') } })],
      ['docker', write(path.join(home, '.docker/config.json'), auths({ 'reg.io': 'docker:x' }))],
      ['XDG_CONFIG_HOME', write(path.join(home, '.config/containers/auth.json'), auths({ 'reg.io': 'config:x' }))],
      ['XDG_RUNTIME_DIR', write(path.join(root, 'run/containers/auth.json'), auths({ 'reg.io': 'runtime:x' }))],
      ['REGISTRY_AUTH_FILE', write(path.join(root, 'env.json'), auths({ 'reg.io': 'env:x' }))],
      ['setting', write(path.join(root, 'setting.json'), auths({ 'reg.io': 'setting:x' }))],
    ] as const;
    env.REGISTRY_AUTH_FILE = files[4][1];
    const expected = ['setting', 'env', 'runtime', 'config', 'docker', 'legacy'];
    for (let i = 0; i < expected.length; i++) {
      const found = await lookup('reg.io', 'a/b', { authFile: files[5][1] });
      assert.equal(found.credential?.username, expected[i]);
      const [origin, file] = files[files.length - 1 - i]!;
      assert.equal(found.credential?.source.origin, origin);
      // Remove this file's entry: the next file in order must supply the credential.
      write(file, origin === 'dockercfg' ? {} : { auths: {} });
    }
    assert.equal((await lookup('reg.io', 'a/b', { authFile: files[5][1] })).credential, undefined);
  });

  it('a file earlier in the order wins even with a less specific key', async () => {
    env.REGISTRY_AUTH_FILE = write(path.join(root, 'env.json'), auths({ 'reg.io': 'host-level:x' }));
    write(path.join(root, 'run/containers/auth.json'), auths({ 'reg.io/ns/img': 'specific:x' }));
    assert.equal((await lookup('reg.io', 'ns/img')).credential?.username, 'host-level');
  });

  it('falls through to later files when the earlier ones have no entry for the registry', async () => {
    env.REGISTRY_AUTH_FILE = write(path.join(root, 'env.json'), auths({ 'other.io': 'other:x' }));
    write(path.join(home, '.docker/config.json'), auths({ 'reg.io': 'docker:x' }));
    const found = await lookup('reg.io', 'ns/img');
    assert.equal(found.credential?.username, 'docker');
    assert.equal(found.searched.length, 2);
  });

  it('matches Docker URL-form keys and Docker Hub spellings at registry level', async () => {
    write(path.join(home, '.docker/config.json'), {
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:x') },
        'http://reg.example.com:5000/v2/': { auth: b64('urlkey:x') },
      },
    });
    const hub = await lookup('docker.io', 'library/busybox');
    assert.equal(hub.credential?.username, 'hub');
    assert.equal(hub.credential?.source.key, 'https://index.docker.io/v1/');
    assert.equal((await lookup('reg.example.com:5000', 'a/b')).credential?.username, 'urlkey');
    assert.equal((await lookup('reg.example.com', 'a/b')).credential, undefined, 'the port is part of the host');
    assert.equal(normalizeAuthKey('registry-1.docker.io'), 'docker.io');
  });

  it('reads the legacy ~/.dockercfg format (no "auths" wrapper)', async () => {
    write(path.join(home, '.dockercfg'), { 'https://quay.io': { auth: b64('legacy:pw'), email: 'x@example.com' } });
    const found = await lookup('quay.io', 'org/img');
    assert.equal(found.credential?.username, 'legacy');
    assert.equal(found.credential?.source.origin, 'dockercfg');
  });

  it('skips empty placeholder entries and reads identity tokens', async () => {
    write(path.join(root, 'run/containers/auth.json'), { auths: { 'reg.io/ns': {}, 'reg.io': { identitytoken: 'refresh-me' } } });
    const found = await lookup('reg.io', 'ns/img');
    assert.equal(found.credential?.identityToken, true);
    assert.equal(found.credential?.secret.reveal(), 'refresh-me');
    assert.equal(found.credential?.source.key, 'reg.io');
  });

  it('gives a Problem, without file contents, for broken files', async () => {
    const file = write(path.join(home, '.docker/config.json'), '{"auths": {"reg.io": {"auth": "c2VjcmV0LXBhc3N3b3Jk"}}');
    const result = await findCredential('reg.io', 'x', options);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.problem.why, /not valid JSON/);
      assert.ok(result.problem.why.includes(file));
      assert.doesNotMatch(JSON.stringify(result.problem), /c2VjcmV0|secret-password/);
    }
    write(file, auths({}));
    write(file, { auths: { 'reg.io': { auth: b64('no-colon-here') } } });
    const bad = await findCredential('reg.io', 'x', options);
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.match(bad.problem.why, /"reg.io".*not base64 of "user:password"/);
      assert.doesNotMatch(JSON.stringify(bad.problem), /no-colon-here/);
    }
  });

  it('a missing explicit auth file is a Problem, a missing default file is not', async () => {
    const missing = await findCredential('reg.io', 'x', { ...options, authFile: path.join(root, 'nope.json') });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.problem.next, /rhcosLayering\.registry\.authFile/);
    env.REGISTRY_AUTH_FILE = path.join(root, 'nope2.json');
    const missingEnv = await findCredential('reg.io', 'x', options);
    assert.equal(missingEnv.ok, false);
    if (!missingEnv.ok) assert.match(missingEnv.problem.next, /REGISTRY_AUTH_FILE/);
  });

  describe('credential helpers', () => {
    const calls: string[] = [];
    const fakeHelper: CredentialHelperRunner = async (helper, server) => {
      calls.push(`${helper} ${server}`);
      if (helper === 'broken') return { error: 'docker-credential-broken get exited with code 1' };
      if (helper === 'empty') return { found: false };
      return { found: true, username: helper === 'token' ? '<token>' : 'from-helper', secret: new Secret('helper-secret') };
    };
    beforeEach(() => (calls.length = 0));

    it('credHelpers for the registry come before auths', async () => {
      write(path.join(home, '.docker/config.json'), { ...auths({ 'reg.io/ns': 'file:x' }), credHelpers: { 'reg.io': 'pass' } });
      const found = await lookup('reg.io', 'ns/img', { runCredentialHelper: fakeHelper });
      assert.equal(found.credential?.username, 'from-helper');
      assert.equal(found.credential?.source.helper, 'docker-credential-pass');
      assert.deepEqual(calls, ['pass reg.io']);
      assert.match(describeCredentialSource(found.credential!.source, home), /via docker-credential-pass$/);
    });

    it('credsStore is asked last, with the Docker Hub URL for docker.io', async () => {
      write(path.join(home, '.docker/config.json'), { auths: { 'https://index.docker.io/v1/': {} }, credsStore: 'token' });
      const found = await lookup('docker.io', 'library/busybox', { runCredentialHelper: fakeHelper });
      assert.deepEqual(calls, ['token https://index.docker.io/v1/']);
      assert.equal(found.credential?.identityToken, true);
      assert.equal(found.credential?.username, '');
    });

    it('a helper with nothing stored falls through; a failing helper is a Problem; helpers can be disabled', async () => {
      write(path.join(home, '.docker/config.json'), { credHelpers: { 'reg.io': 'empty' } });
      write(path.join(home, '.dockercfg'), { 'reg.io': { auth: b64('legacy:x') } });
      assert.equal((await lookup('reg.io', 'a', { runCredentialHelper: fakeHelper })).credential?.username, 'legacy');
      write(path.join(home, '.docker/config.json'), { credHelpers: { 'reg.io': 'broken' } });
      const failed = await findCredential('reg.io', 'a', { ...options, runCredentialHelper: fakeHelper });
      assert.equal(failed.ok, false);
      if (!failed.ok) assert.match(failed.problem.next, /docker-credential-broken/);
      calls.length = 0;
      assert.equal((await lookup('reg.io', 'a', { runCredentialHelper: fakeHelper, credentialHelpers: false })).credential?.username, 'legacy');
      assert.deepEqual(calls, []);
    });

    it('runs a real docker-credential-<x> program with the protocol (stdin server, JSON out)', async function () {
      if (process.platform === 'win32') {
        console.log('      (skipped: the fake credential helper is a shell script, which Windows cannot run)');
        this.skip();
      }
      const bin = path.join(root, 'bin');
      mkdirSync(bin);
      const script = path.join(bin, 'docker-credential-fake');
      writeFileSync(
        script,
        [
          '#!/bin/sh',
          '[ "$1" = get ] || exit 2',
          'read server',
          'case "$server" in',
          '  reg.io) echo \'{"ServerURL":"reg.io","Username":"helper-user","Secret":"helper-pw"}\' ;;',
          '  *) echo "credentials not found in native keychain"; exit 1 ;;',
          'esac',
        ].join('\n'),
      );
      chmodSync(script, 0o755);
      const helperEnv = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
      const found = await runCredentialHelperProcess('fake', 'reg.io', helperEnv);
      assert.ok('found' in found && found.found);
      if ('found' in found && found.found) {
        assert.equal(found.username, 'helper-user');
        assert.equal(found.secret.reveal(), 'helper-pw');
      }
      assert.deepEqual(await runCredentialHelperProcess('fake', 'other.io', helperEnv), { found: false });
      const missing = await runCredentialHelperProcess('does-not-exist', 'reg.io', helperEnv);
      assert.ok('error' in missing && /not installed/.test(missing.error));

      write(path.join(home, '.docker/config.json'), { credHelpers: { 'reg.io': 'fake' } });
      const viaLookup = await lookup('reg.io', 'x', { env: { ...env, PATH: helperEnv.PATH } });
      assert.equal(viaLookup.credential?.username, 'helper-user');
    });
  });
});
