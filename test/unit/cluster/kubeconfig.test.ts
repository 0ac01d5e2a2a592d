import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { kubeconfigFiles, listContexts, loadKubeconfig, singleContextKubeconfig } from '../../../src/core/cluster/kubeconfig';

describe('kubeconfig loading (kubectl semantics)', () => {
  let dir: string;
  let a: string;
  let b: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
    mkdirSync(path.join(dir, 'sub'));
    a = path.join(dir, 'a.yaml');
    b = path.join(dir, 'sub', 'b.yaml');
    writeFileSync(a, `
apiVersion: v1
kind: Config
current-context: ctx-a
clusters:
- name: shared
  cluster: { server: https://a.example:6443, certificate-authority: ca-a.crt }
contexts:
- name: ctx-a
  context: { cluster: shared, user: user-a }
users:
- name: user-a
  user: { token: token-a }
`);
    writeFileSync(b, `
current-context: ctx-b
clusters:
- name: shared
  cluster: { server: https://b-should-lose.example:6443 }
- name: cluster-b
  cluster: { server: https://b.example:6443, certificate-authority: certs/ca-b.crt }
contexts:
- name: ctx-b
  context: { cluster: cluster-b, user: user-b, namespace: openshift-machine-config-operator }
users:
- name: user-b
  user: { client-certificate: certs/b.crt, client-key: certs/b.key, exec: { command: ./bin/get-token, apiVersion: client.authentication.k8s.io/v1 } }
`);
  });

  it('merges KUBECONFIG files: first definition and first current-context win, missing files are skipped', async () => {
    const env = { KUBECONFIG: [path.join(dir, 'missing.yaml'), a, b].join(path.delimiter) };
    const result = await loadKubeconfig({ env, homeDir: dir });
    assert.ok(result.ok);
    const config = result.value;
    assert.equal(config.currentContext, 'ctx-a');
    assert.deepEqual(config.files, [a, b]);
    assert.equal(config.clusters.get('shared')!.value.server, 'https://a.example:6443');
    assert.equal(config.clusters.get('shared')!.value['certificate-authority'], path.join(dir, 'ca-a.crt'));
    assert.equal(config.clusters.get('cluster-b')!.value['certificate-authority'], path.join(dir, 'sub', 'certs', 'ca-b.crt'));
    assert.equal((config.users.get('user-b')!.value.exec as { command: string }).command, path.join(dir, 'sub', 'bin', 'get-token'));
    assert.deepEqual(listContexts(config).map((c) => [c.name, c.server, c.namespace]), [
      ['ctx-a', 'https://a.example:6443', undefined],
      ['ctx-b', 'https://b.example:6443', 'openshift-machine-config-operator'],
    ]);
  });

  it('builds a kubeconfig with only one context, its cluster and its user', async () => {
    const result = await loadKubeconfig({ env: { KUBECONFIG: [a, b].join(path.delimiter) }, homeDir: dir });
    assert.ok(result.ok);
    const single = singleContextKubeconfig(result.value, 'ctx-b');
    assert.ok(single.ok);
    const parsed = parse(single.value);
    assert.deepEqual(parsed.clusters.map((c: { name: string }) => c.name), ['cluster-b']);
    assert.deepEqual(parsed.users.map((u: { name: string }) => u.name), ['user-b']);
    assert.equal(parsed['current-context'], 'ctx-b');
    assert.ok(!single.value.includes('token-a'), 'another context\'s token must not be in it');
    assert.equal(singleContextKubeconfig(result.value, 'nope').ok, false);
  });

  it('falls back to ~/.kube/config and lets the setting replace everything', () => {
    assert.deepEqual(kubeconfigFiles({ env: {}, homeDir: '/home/u' }), ['/home/u/.kube/config']);
    assert.deepEqual(kubeconfigFiles({ env: { KUBECONFIG: '/x' }, homeDir: '/home/u', explicitFile: '~/k.yaml' }), ['/home/u/k.yaml']);
  });

  it('says what to do when there is no kubeconfig, and keeps going past a malformed file', async () => {
    const none = await loadKubeconfig({ env: {}, homeDir: path.join(dir, 'nohome') });
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.problem.next : '', /oc login/);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters: [ { name: x\n  oops: ]');
    const mixed = await loadKubeconfig({ env: { KUBECONFIG: [bad, a].join(path.delimiter) }, homeDir: dir });
    assert.ok(mixed.ok);
    assert.equal(mixed.value.currentContext, 'ctx-a');
    assert.match(mixed.value.warnings[0]!, /bad\.yaml is not valid YAML/);
    const onlyBad = await loadKubeconfig({ env: { KUBECONFIG: bad }, homeDir: dir });
    assert.equal(onlyBad.ok, false);
    const missingExplicit = await loadKubeconfig({ explicitFile: path.join(dir, 'absent.yaml'), homeDir: dir });
    assert.match(!missingExplicit.ok ? missingExplicit.problem.why : '', /does not exist/);
  });
});
