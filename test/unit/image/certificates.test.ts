import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { certDirectoryCandidates, findRegistryTlsFiles, type CertificateLookupOptions } from '../../../src/core/image/certificates';

describe('registry TLS files (containers-certs.d)', () => {
  let root: string;
  let home: string;
  let system: string[];
  let options: CertificateLookupOptions;

  function write(file: string, content: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const userDir = (host: string) => path.join(home, '.config', 'containers', 'certs.d', host);

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'certs-test-'));
    home = path.join(root, 'home');
    system = [path.join(root, 'etc-containers'), path.join(root, 'etc-docker')];
    options = { homeDir: home, systemDirectories: system };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('looks per host:port in ~/.config/containers/certs.d, then the system roots; an explicit directory is used alone', () => {
    assert.deepEqual(certDirectoryCandidates('reg.local:5000', options), [userDir('reg.local:5000'), path.join(system[0]!, 'reg.local:5000'), path.join(system[1]!, 'reg.local:5000')]);
    assert.deepEqual(certDirectoryCandidates('reg.local:5000', { ...options, certDirectory: '~/certs' }), [path.join(home, 'certs')]);
    assert.deepEqual(certDirectoryCandidates('quay.io', { homeDir: home }).slice(1), ['/etc/containers/certs.d/quay.io', '/etc/docker/certs.d/quay.io']);
  });

  it('no directory: nothing to add', async () => {
    assert.deepEqual(await findRegistryTlsFiles('reg.local:5000', options), { ok: true, value: undefined });
  });

  it('the first existing directory wins, even without a CA in it (as podman does); CAs in name order', async () => {
    write(path.join(system[1]!, 'reg.local:5000', 'ca.crt'), 'docker-ca');
    const docker = await findRegistryTlsFiles('reg.local:5000', options);
    assert.ok(docker.ok && docker.value);
    assert.deepEqual(docker.value.ca, ['docker-ca']);
    write(path.join(system[0]!, 'reg.local:5000', 'b.crt'), 'b');
    write(path.join(system[0]!, 'reg.local:5000', 'a.crt'), 'a');
    write(path.join(system[0]!, 'reg.local:5000', 'notes.txt'), 'ignored');
    const containers = await findRegistryTlsFiles('reg.local:5000', options);
    assert.ok(containers.ok && containers.value);
    assert.deepEqual([containers.value.directory, containers.value.ca], [path.join(system[0]!, 'reg.local:5000'), ['a', 'b']]);
    mkdirSync(userDir('reg.local:5000'), { recursive: true });
    const empty = await findRegistryTlsFiles('reg.local:5000', options);
    assert.ok(empty.ok && empty.value);
    assert.deepEqual(empty.value.ca, []);
    assert.deepEqual(await findRegistryTlsFiles('other.local', options), { ok: true, value: undefined });
  });

  it('a client certificate pair is read; a certificate without its key, or a key without its certificate, is a Problem', async () => {
    write(path.join(userDir('reg.local'), 'client.cert'), 'CERT');
    const missingKey = await findRegistryTlsFiles('reg.local', options);
    assert.ok(!missingKey.ok);
    assert.match(missingKey.problem.why, /client certificate .*client\.cert has no client\.key next to it/);
    write(path.join(userDir('reg.local'), 'client.key'), 'KEY');
    const pair = await findRegistryTlsFiles('reg.local', options);
    assert.ok(pair.ok && pair.value);
    assert.deepEqual(pair.value.clientCertificate, { cert: 'CERT', key: 'KEY', file: path.join(userDir('reg.local'), 'client.cert') });
    write(path.join(userDir('other.local'), 'lonely.key'), 'KEY');
    const orphan = await findRegistryTlsFiles('other.local', options);
    assert.ok(!orphan.ok);
    assert.match(orphan.problem.why, /client key .*lonely\.key has no lonely\.cert/);
  });

  it('an explicit directory that does not exist is a Problem naming it and the setting', async () => {
    const missing = await findRegistryTlsFiles('reg.local', { ...options, certDirectory: path.join(root, 'nope') });
    assert.ok(!missing.ok);
    assert.match(missing.problem.why, /certificate directory .*nope does not exist/);
    assert.match(missing.problem.next, /certDirectory/);
  });

  it('an unreadable file is a Problem naming it', async function () {
    if (process.getuid?.() === 0) {
      console.log('      (skipped: running as root, which can read any file, so no file is unreadable here)');
      this.skip();
    }
    write(path.join(userDir('reg.local'), 'ca.crt'), 'x');
    chmodSync(path.join(userDir('reg.local'), 'ca.crt'), 0o000);
    const unreadable = await findRegistryTlsFiles('reg.local', options);
    assert.ok(!unreadable.ok);
    assert.match(unreadable.problem.why, /ca\.crt cannot be read \(EACCES\)/);
  });
});
