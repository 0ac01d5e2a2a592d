import { strict as assert } from 'node:assert';
import { parseDocument } from 'yaml';
import {
  generateMachineOSConfig, MAX_CONTENT_LENGTH, pushSpecProblem, toOnClusterContent, type MachineOSConfigRequest,
} from '../../../src/core/openshift/machineosconfig';
import type { Result } from '../../../src/core/problem';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const BASE = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}`;
const PUSH = 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest';
const V418 = { major: 4, minor: 18 } as const;

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`${result.problem.what}: ${result.problem.why}`);
  return result.value;
}
function problem<T>(result: Result<T>) {
  if (result.ok) assert.fail('expected a Problem');
  return result.problem;
}

function request(overrides: Partial<MachineOSConfigRequest> = {}): MachineOSConfigRequest {
  return {
    pool: 'worker',
    renderedImagePushSpec: PUSH,
    renderedImagePushSecret: 'push-secret',
    baseImagePullSecret: 'pull-secret',
    containerfiles: [{ text: `FROM ${BASE}\nRUN dnf install -y tmux && dnf clean all && bootc container lint\n` }],
    targetVersion: V418,
    ...overrides,
  };
}

describe('on-cluster content (FROM configs AS final)', () => {
  it('rewrites the FROM line and keeps the rest byte for byte', () => {
    const text = `FROM ${BASE}\n# tools\nRUN dnf install -y tmux && \\\n    dnf clean all && \\\n    bootc container lint\n\n`;
    const out = value(toOnClusterContent(text));
    assert.equal(out.content, 'FROM configs AS final\n# tools\nRUN dnf install -y tmux && \\\n    dnf clean all && \\\n    bootc container lint');
    assert.equal(out.length, out.content.length);
    assert.match(out.notes[0]!, /FROM quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:.* became FROM configs AS final/);
  });

  it('drops directives, comments and global ARGs before FROM, and writes global defaults into stage ARGs', () => {
    const text = `# syntax=docker/dockerfile:1\r\nARG BASE=${BASE}\r\nARG VERSION=1.2\r\nFROM --platform=linux/amd64 \${BASE}\r\nARG VERSION\r\nRUN dnf install -y tmux-\${VERSION}\r\n`;
    const out = value(toOnClusterContent(text));
    assert.equal(out.content, 'FROM configs AS final\nARG VERSION=1.2\nRUN dnf install -y tmux-${VERSION}');
    assert.ok(out.notes.some((n) => n.startsWith(`Dropped before FROM: ARG BASE=${BASE}; ARG VERSION=1.2`)));
    assert.ok(out.notes.some((n) => /ARG VERSION now carries the default/.test(n)));
  });

  it('leaves content that already starts FROM configs AS final alone, and completes FROM configs', () => {
    const ready = 'FROM configs AS final\nRUN dnf install -y tcpdump && dnf clean all && bootc container lint';
    assert.deepEqual(value(toOnClusterContent(ready)), { content: ready, length: ready.length, notes: [] });
    assert.equal(value(toOnClusterContent('FROM configs\nRUN true\n')).content, 'FROM configs AS final\nRUN true');
  });

  it('warns about COPY from the build context, which the cluster build does not have', () => {
    const out = value(toOnClusterContent(`FROM ${BASE}\nCOPY files/chrony.conf /etc/chrony.conf\nCOPY --from=quay.io/x/tools:1 /bin/t /usr/bin/t\n`));
    assert.equal(out.notes.filter((n) => /COPY\/ADD/.test(n)).length, 1);
  });

  it('keeps builder stages before the final one, which becomes FROM configs AS final', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG GO_IMAGE_TAG=1.22',
      `FROM registry.access.redhat.com/ubi9/go-toolset@${DIGEST} AS build`,
      'ARG GO_IMAGE_TAG',
      'RUN go build -o /tmp/agent ./cmd/agent',
      `FROM ${BASE}`,
      'COPY --from=build /tmp/agent /usr/bin/agent',
      'RUN bootc container lint',
      '',
    ].join('\n');
    const out = value(toOnClusterContent(text));
    assert.equal(out.content, [
      `FROM registry.access.redhat.com/ubi9/go-toolset@${DIGEST} AS build`,
      'ARG GO_IMAGE_TAG=1.22',
      'RUN go build -o /tmp/agent ./cmd/agent',
      'FROM configs AS final',
      'COPY --from=build /tmp/agent /usr/bin/agent',
      'RUN bootc container lint',
    ].join('\n'));
    assert.ok(out.notes.some((note) => /builder stage stays: the cluster build pulls registry\.access\.redhat\.com\/ubi9\/go-toolset@/.test(note)), out.notes.join(' | '));
    assert.ok(out.notes.some((note) => /Dropped before FROM: # syntax|Dropped before FROM: ARG GO_IMAGE_TAG=1\.22/.test(note)), out.notes.join(' | '));
    // The rewritten content is what the lint rule for on-cluster content accepts.
    assert.match(out.content, /\nFROM configs AS final\n/);
  });

  it('refuses what cannot work appended to the MCO build, and files without FROM, with the reason', () => {
    const clash = problem(toOnClusterContent(`FROM registry.access.redhat.com/ubi9 AS configs\nRUN make\nFROM ${BASE}\nCOPY --from=configs /out /usr/bin\n`));
    assert.match(clash.why, /builder stage is named configs, which clashes with the MCO's own stages/);
    const variable = problem(toOnClusterContent(`ARG BUILDER=registry.access.redhat.com/ubi9\nFROM \${BUILDER} AS build\nRUN make\nFROM ${BASE}\nCOPY --from=build /out /usr/bin\n`));
    assert.match(variable.why, /FROM \$\{BUILDER\} uses a variable/);
    const numbered = problem(toOnClusterContent(`FROM registry.access.redhat.com/ubi9\nRUN make\nFROM ${BASE}\nCOPY --from=0 /out /usr/bin\n`));
    assert.match(numbered.why, /COPY --from=0 names a stage by number/);
    assert.match(numbered.next, /AS builder/);
    assert.match(problem(toOnClusterContent('# nothing\n')).why, /no FROM/);
  });

  it('refuses content over 4096 characters after rewriting, counting characters not bytes', () => {
    const filler = (n: number) => `RUN echo ${'x'.repeat(n)}`;
    const head = 'FROM configs AS final\n';
    const exact = head + filler(MAX_CONTENT_LENGTH - head.length - 'RUN echo '.length);
    assert.equal(value(toOnClusterContent(exact)).length, MAX_CONTENT_LENGTH);
    const over = problem(toOnClusterContent(`${exact}y`));
    assert.match(over.why, /4097 characters long, and the MachineOSConfig API allows 4096 per containerFile entry/);
    // Multi-byte characters count once each, as the API server counts them.
    const unicode = head + `RUN echo ${'é'.repeat(MAX_CONTENT_LENGTH - head.length - 'RUN echo '.length)}`;
    assert.equal(value(toOnClusterContent(unicode)).length, MAX_CONTENT_LENGTH);
    // The limit applies after rewriting: a long FROM line shrinks.
    const longFrom = `FROM ${BASE}\n` + filler(MAX_CONTENT_LENGTH - head.length - 'RUN echo '.length);
    assert.ok(longFrom.length > MAX_CONTENT_LENGTH);
    assert.equal(value(toOnClusterContent(longFrom)).length, MAX_CONTENT_LENGTH);
  });
});

describe('renderedImagePushSpec', () => {
  it('accepts tagged push locations the CRD accepts', () => {
    for (const spec of [PUSH, 'quay.io/org/os-image:latest', 'registry.example.com:5000/a/b/c:v1.2', 'image-registry.openshift-image-registry.svc:5000/openshift/os-image:latest']) {
      assert.equal(pushSpecProblem(spec), undefined, spec);
    }
  });
  it('refuses digests, missing tags, short names and hosts without a dot', () => {
    assert.match(pushSpecProblem(`quay.io/org/os-image@${DIGEST}`)!, /has a digest/);
    assert.match(pushSpecProblem('quay.io/org/os-image')!, /no tag/);
    assert.match(pushSpecProblem('os-image:latest')!, /no registry host/);
    assert.match(pushSpecProblem('localhost:5000/os-image:latest')!, /dotted host name/);
    assert.match(pushSpecProblem('quay.io/Org/os-image:latest')!, /lowercase/);
    assert.match(pushSpecProblem(`quay.io/${'a'.repeat(450)}:x`)!, /at most 447/);
  });
});

describe('generate MachineOSConfig', () => {
  it('writes the v1 object: name = pool, Job builder, secrets, push spec, containerFile as a literal block', () => {
    const out = value(generateMachineOSConfig({ ...request(), containerfile: 'Containerfile' }));
    assert.equal(out.name, 'worker');
    assert.equal(out.yaml, [
      '# Generated by rhcos-layering for on-cluster layering (OpenShift 4.18). Review it, then apply it with `oc apply -f <this file>`.',
      '# Containerfile: Containerfile',
      `# Pool: worker. The MCO builds the image in the cluster, pushes it to ${PUSH}, then drains and reboots every node of the pool.`,
      '',
      'apiVersion: machineconfiguration.openshift.io/v1',
      'kind: MachineOSConfig',
      'metadata:',
      '  name: worker',
      'spec:',
      '  machineConfigPool:',
      '    name: worker',
      '  imageBuilder:',
      '    imageBuilderType: Job',
      '  baseImagePullSecret:',
      '    name: pull-secret',
      '  renderedImagePushSecret:',
      '    name: push-secret',
      `  renderedImagePushSpec: ${PUSH}`,
      '  containerFile:',
      '    - containerfileArch: NoArch',
      '      content: |-',
      '        FROM configs AS final',
      '        RUN dnf install -y tmux && dnf clean all && bootc container lint',
      '',
    ].join('\n'));
    const parsed = parseDocument(out.yaml).toJS();
    assert.deepEqual(parsed, out.object);
  });

  it('omits baseImagePullSecret when none is given (the global pull secret is used) and says so', () => {
    const out = value(generateMachineOSConfig(request({ baseImagePullSecret: undefined })));
    assert.ok(!('baseImagePullSecret' in (out.object.spec as object)));
    assert.match(out.yaml, /global pull secret/);
  });

  it('one containerFile entry per architecture, at most four', () => {
    const text = `FROM ${BASE}\nRUN true\n`;
    const out = value(generateMachineOSConfig(request({ containerfiles: [{ arch: 'AMD64', text }, { arch: 'ARM64', text: `${text}RUN echo arm\n` }] })));
    const entries = (out.object.spec as { containerFile: { containerfileArch: string; content: string }[] }).containerFile;
    assert.deepEqual(entries.map((e) => e.containerfileArch), ['AMD64', 'ARM64']);
    assert.equal(entries[1]!.content, 'FROM configs AS final\nRUN true\nRUN echo arm');
    assert.match(problem(generateMachineOSConfig(request({ containerfiles: [{ arch: 'AMD64', text }, { arch: 'AMD64', text }] }))).why, /two Containerfiles are for AMD64/);
    const five = ['AMD64', 'ARM64', 'PPC64LE', 'S390X', 'NoArch', 'AMD64'].slice(0, 5).map((arch) => ({ arch: arch as 'AMD64', text }));
    assert.match(problem(generateMachineOSConfig(request({ containerfiles: five }))).why, /5 Containerfiles .* allows 4/);
    assert.match(problem(generateMachineOSConfig(request({ containerfiles: [{ arch: 'x86_64' as 'AMD64', text }] }))).why, /"x86_64" is not an architecture/);
  });

  it('asks the version facts: v1 needs 4.18', () => {
    assert.match(problem(generateMachineOSConfig(request({ targetVersion: { major: 4, minor: 16 } }))).why, /4\.16 only has the Tech Preview v1alpha1/);
    assert.match(problem(generateMachineOSConfig(request({ targetVersion: { major: 4, minor: 14 } }))).why, /4\.14 has no MachineOSConfig API/);
  });

  it('refuses bad pools, secrets, push specs and over-long content without writing anything', () => {
    assert.match(problem(generateMachineOSConfig(request({ pool: 'Worker' }))).what, /not a valid pool name/);
    assert.match(problem(generateMachineOSConfig(request({ renderedImagePushSecret: 'Push_Secret' }))).what, /not a valid secret name for renderedImagePushSecret/);
    assert.match(problem(generateMachineOSConfig(request({ renderedImagePushSpec: 'quay.io/org/img' }))).why, /no tag/);
    const long = `FROM ${BASE}\n${'RUN echo 0123456789\n'.repeat(250)}`;
    assert.match(problem(generateMachineOSConfig(request({ containerfiles: [{ text: long }] }))).why, /allows 4096/);
  });
});
