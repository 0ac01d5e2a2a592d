import * as assert from 'node:assert/strict';
import {
  buildCommand,
  classifyPushFailure,
  installHint,
  parseStepLine,
  pushCommand,
  splitExtraArgs,
  toolProgram,
  type BuildSpec,
} from '../../../src/core/build/args';

const spec: BuildSpec = {
  tool: 'podman',
  containerfile: '/work/layer/Containerfile',
  contextDir: '/work/layer',
  image: 'quay.io/org/layered:4.16',
};

describe('build arguments', () => {
  it('podman build with -f, -t, iidfile and the context last', () => {
    assert.deepEqual(buildCommand(spec, { iidFile: '/tmp/iid' }), {
      program: 'podman',
      args: ['build', '-f', '/work/layer/Containerfile', '-t', 'quay.io/org/layered:4.16', '--iidfile', '/tmp/iid', '/work/layer'],
    });
  });

  it('buildah bud with auth file, TLS options, build args, platform and extra args', () => {
    const command = buildCommand({
      ...spec,
      tool: 'buildah',
      toolPath: ' /opt/bin/buildah ',
      authFile: '/home/u/pull-secret.json',
      tlsVerify: false,
      certDir: '/etc/certs',
      platform: 'linux/amd64',
      buildArgs: { RHCOS: 'quay.io/x@sha256:abc', EMPTY: '' },
      extraArgs: ['--storage-driver', 'vfs', '--layers', '--root=/var/tmp/root', '--log-level', 'debug'],
    });
    assert.equal(command.program, '/opt/bin/buildah');
    assert.deepEqual(command.args, [
      '--storage-driver', 'vfs', '--root=/var/tmp/root', '--log-level', 'debug',
      'bud', '-f', '/work/layer/Containerfile', '-t', 'quay.io/org/layered:4.16',
      '--authfile', '/home/u/pull-secret.json', '--tls-verify=false', '--cert-dir', '/etc/certs',
      '--platform', 'linux/amd64',
      '--build-arg', 'RHCOS=quay.io/x@sha256:abc', '--build-arg', 'EMPTY=',
      '--layers',
      '/work/layer',
    ]);
  });

  it('push writes the digest file and pushes to docker://, with the same global options', () => {
    assert.deepEqual(
      pushCommand({ ...spec, extraArgs: ['--storage-driver', 'vfs', '--pull=never'], authFile: '/a.json', format: 'v2s2', pushArgs: ['--retry', '0'] }, { digestFile: '/tmp/d' }),
      {
        program: 'podman',
        args: ['--storage-driver', 'vfs', 'push', '--digestfile', '/tmp/d', '--authfile', '/a.json', '--format', 'v2s2', '--retry', '0', 'quay.io/org/layered:4.16', 'docker://quay.io/org/layered:4.16'],
      },
    );
    assert.deepEqual(pushCommand(spec, { digestFile: '/tmp/d' }, 'localhost/built').args.slice(-2), ['localhost/built', 'docker://quay.io/org/layered:4.16']);
  });

  it('splits tool-wide options from build options', () => {
    assert.deepEqual(splitExtraArgs(['--storage-driver', 'vfs', '--squash', '--storage-opt=x', '--remote', '--build-arg', 'A=B']), {
      global: ['--storage-driver', 'vfs', '--storage-opt=x', '--remote'],
      build: ['--squash', '--build-arg', 'A=B'],
    });
    assert.deepEqual(splitExtraArgs(), { global: [], build: [] });
    assert.equal(toolProgram({ tool: 'buildah', toolPath: '' }), 'buildah');
  });

  it('reads STEP progress lines', () => {
    assert.deepEqual(parseStepLine('STEP 2/5: RUN dnf install -y tmux && dnf clean all'), { step: 2, total: 5, instruction: 'RUN dnf install -y tmux && dnf clean all' });
    assert.deepEqual(parseStepLine('STEP 1: FROM quay.io/x'), { step: 1, instruction: 'FROM quay.io/x' });
    assert.equal(parseStepLine('Getting image source signatures'), undefined);
    assert.equal(parseStepLine('  STEP 3/3: COMMIT quay.io/x')?.step, 3);
  });

  it('classifies push failures', () => {
    assert.equal(classifyPushFailure('Error: writing blob: initiating layer upload to /v2/x/blobs/uploads/ in quay.io: unauthorized: access to the requested resource is not authorized'), 'auth');
    assert.equal(classifyPushFailure('Error: trying to reuse blob ... requested access to the resource is denied'), 'auth');
    assert.equal(classifyPushFailure('pinging container registry 127.0.0.1:1: Get "https://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused'), 'unreachable');
    assert.equal(classifyPushFailure('Get "https://r.example/v2/": dial tcp: lookup r.example: no such host'), 'unreachable');
    assert.equal(classifyPushFailure('x509: certificate signed by unknown authority'), 'tls');
    assert.equal(classifyPushFailure('http: server gave HTTP response to HTTPS client'), 'plain-http');
    assert.equal(classifyPushFailure('something else'), 'other');
  });

  it('says how to install a missing tool', () => {
    assert.match(installHint('podman'), /dnf install podman.*apt-get install podman/);
    assert.match(installHint('buildah'), /apt-get install buildah/);
  });
});
