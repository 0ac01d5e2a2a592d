import { strict as assert } from 'node:assert';
import { coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'secret-in-image';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('secret-in-image', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['pull-secret.json', 'entitlement/', 'redhat.repo']);
  });

  describe('reports', () => {
    it('pull secrets and registry auth files, on the source word', async () => {
      const run = await lint([
        'COPY pull-secret.json /root/.docker/config.json',
        'COPY ./auth.json /etc/containers/',
        'COPY .dockercfg /root/',
        'ADD https://vault.example.com/v1/pull-secret /tmp/',
        'RUN bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['pull-secret.json', './auth.json', '.dockercfg', 'https://vault.example.com/v1/pull-secret']);
      const [first] = run.findings;
      assert.equal(first!.severity, 'error');
      assert.equal(first!.message, '`pull-secret.json` is a pull secret: COPY bakes it into a layer that anyone who can pull the image can read, even if a later RUN deletes it. Pass it to the step that needs it with `RUN --mount=type=secret,id=pull-secret,target=/root/.docker/config.json ...`.');
    });

    it('by destination: .docker/config.json, kubelet config, entitlement and rhsm directories', async () => {
      const run = await lint([
        'COPY creds /root/.docker/config.json',
        'COPY ps /var/lib/kubelet/config.json',
        'COPY certs/ /etc/pki/entitlement/',
        'COPY rhsm.conf /etc/rhsm/rhsm.conf',
        'RUN bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/root/.docker/config.json', '/var/lib/kubelet/config.json', '/etc/pki/entitlement/', '/etc/rhsm/rhsm.conf']);
      assert.equal(run.findings[3]!.severity, 'warning');
    });

    it('entitlement keys, private keys, redhat.repo, SSH host keys', async () => {
      const run = await lint([
        'COPY entitlement/1234567890.pem entitlement/1234567890-key.pem /etc/pki/entitlement/',
        'COPY tls/server-key.pem /etc/pki/tls/private/server.key',
        'COPY redhat.repo /etc/yum.repos.d/redhat.repo',
        'COPY ssh_host_ed25519_key /etc/ssh/',
        'RUN bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['entitlement/1234567890.pem', 'entitlement/1234567890-key.pem', 'tls/server-key.pem', 'redhat.repo', 'ssh_host_ed25519_key']);
      assert.match(run.findings[3]!.message, /rpm-ostree fails on nodes that have it/);
      assert.match(run.findings[4]!.message, /Every node would share it/);
    });

    it('COPY --from=<stage> and heredocs into secret paths', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'RUN echo built',
        FROM_RHCOS,
        'COPY --from=builder /root/.docker/config.json /usr/share/x.json',
        'COPY <<EOF /etc/containers/auth.json',
        '{"auths": {}}',
        'EOF',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['/root/.docker/config.json', '/etc/containers/auth.json']);
    });

    it('RUN writes that keep a secret in the layer', async () => {
      const run = await lint([
        'RUN --mount=type=secret,id=ps cp /run/secrets/ps /root/.docker/config.json && \\',
        '    podman --version && bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/root/.docker/config.json']);
      assert.match(run.findings[0]!.message, /written in a RUN it stays in that layer/);
    });
  });

  describe('does not report', () => {
    it('secret mounts, and RUN writes deleted in the same RUN', async () => {
      const run = await lint([
        'RUN --mount=type=secret,id=entitlement,target=/etc/pki/entitlement/ent.pem \\',
        '    --mount=type=secret,id=creds,target=/run/secrets/auth.json \\',
        '    cp /run/secrets/auth.json /etc/containers/auth.json && dnf install -y foo && \\',
        '    rm -f /etc/containers/auth.json && dnf clean all && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('public certificates, GPG keys, ordinary repo files and config', async () => {
      const run = await lint([
        'COPY ca.pem /etc/pki/ca-trust/source/anchors/',
        'COPY RPM-GPG-KEY-EPEL-9 Release.key /etc/pki/rpm-gpg/',
        'COPY epel.repo /etc/yum.repos.d/',
        'COPY config.json /etc/myapp/config.json',
        'COPY monkey.pem /usr/share/monkey.pem',
        'RUN bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('builder stages outside the final chain', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'COPY pull-secret.json /root/.docker/config.json',
        'RUN podman pull quay.io/x/y',
        FROM_RHCOS,
        'COPY --from=builder /out/y /usr/share/y',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });
  });
});
