import { strict as assert } from 'node:assert';
import { isArgOrEnv, isCopyOrAdd, isFrom, isRun, type ContainerfileModel, type FromInstruction } from '../../../src/core/containerfile/model';
import { parseContainerfile } from '../../../src/core/containerfile/parse';

/** ARG and ENV as BuildKit scopes and expands them (frontend/dockerfile/dockerfile2llb/convert.go, shell/lex.go). */
function model(lines: readonly string[]): ContainerfileModel {
  return parseContainerfile(`${lines.join('\n')}\n`).model;
}

function froms(m: ContainerfileModel): FromInstruction[] {
  return m.instructions.filter(isFrom);
}

describe('ARG expansion and scope', () => {
  it('expands ARG defaults that use earlier ARGs, nested fallbacks included, and quotes the expanded text', () => {
    const m = model([
      'ARG STREAM=stable',
      'ARG TAG="${RELEASE:-${STREAM:-testing}}"',
      'ARG IMAGE=quay.io/fedora/fedora-coreos:${TAG}',
      'FROM ${IMAGE}',
    ]);
    assert.equal(m.globalArgs.get('TAG'), 'stable');
    const [from] = froms(m);
    assert.equal(from!.image!.expanded, 'quay.io/fedora/fedora-coreos:stable');
    assert.equal(from!.image!.display, 'quay.io/fedora/fedora-coreos:stable');
    assert.deepEqual(from!.image!.variables, ['IMAGE']);
  });

  it('reads ${VAR:+word} and ${VAR+word}: an empty DIGEST leaves a tag-only reference', () => {
    const m = model([
      'ARG IMAGE=quay.io/openshift-release-dev/ocp-v4.0-art-dev',
      'ARG TAG=4.16',
      'ARG DIGEST=',
      'ARG SET=',
      'FROM ${IMAGE}:${TAG}${DIGEST:+@${DIGEST}}',
      'FROM ${IMAGE}${SET+:set}${UNDECLARED+:never}',
    ]);
    const [first, second] = froms(m);
    assert.equal(first!.image!.expanded, 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16');
    assert.equal(second!.image!.expanded, 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:set');
  });

  it('keeps an ARG without default unknown (only --build-arg sets it), not empty', () => {
    const m = model(['ARG REGISTRY=quay.io', 'ARG TAG', 'FROM ${REGISTRY}/fedora/fedora-coreos:${TAG:-stable}']);
    assert.equal(m.globalArgs.get('TAG'), undefined);
    assert.ok(m.globalArgs.has('TAG'));
    const image = froms(m)[0]!.image!;
    assert.equal(image.expanded, undefined);
    assert.deepEqual(image.unresolvedVariables, ['TAG']);
    assert.equal(image.display, 'quay.io/fedora/fedora-coreos:${TAG:-stable}');
  });

  it('treats a variable declared nowhere as unresolved, and BuildKit’s platform ARGs as unknown', () => {
    const m = model(['FROM quay.io/x/${NOWHERE}', 'FROM quay.io/x/base-${TARGETARCH}']);
    const [nowhere, platform] = froms(m);
    assert.deepEqual([nowhere!.image!.expanded, nowhere!.image!.unresolvedVariables, nowhere!.image!.display], [undefined, ['NOWHERE'], 'quay.io/x/${NOWHERE}']);
    assert.deepEqual([platform!.image!.expanded, platform!.image!.unresolvedVariables], [undefined, ['TARGETARCH']]);
  });

  it('takes a FROM whose expanded value names an earlier stage as that stage', () => {
    const m = model([
      'ARG BASE="${BASE:-main}"',
      'FROM quay.io/fedora/fedora-coreos:stable AS main',
      'RUN rpm-ostree install vim',
      'FROM quay.io/fedora/fedora-coreos:stable AS other',
      'FROM ${BASE}',
      'RUN ostree container commit',
    ]);
    assert.equal(m.globalArgs.get('BASE'), 'main');
    const last = froms(m)[2]!;
    assert.equal(last.image!.expanded, 'main');
    assert.equal(last.baseStageIndex, 0);
  });

  it('does not let a global ARG into a stage until the stage declares it again; then its default applies', () => {
    const m = model([
      'ARG VERSION=5.14.0',
      'ARG FLAVOR=rt',
      'FROM scratch',
      'COPY a /opt/${VERSION}/',
      'ARG VERSION',
      'ARG FLAVOR=default',
      'COPY b /opt/${VERSION}-${FLAVOR}/',
      'ENV DEST=/usr/lib/${VERSION} OTHER=$DEST',
      'COPY c ${DEST}/',
      'WORKDIR $OTHER',
    ]);
    const copies = m.instructions.filter(isCopyOrAdd);
    assert.equal(copies[0]!.destination!.value, undefined, 'outside the stage scope: unknown (the base image may set it)');
    assert.equal(copies[1]!.destination!.value, '/opt/5.14.0-default/');
    assert.equal(copies[2]!.destination!.value, '/usr/lib/5.14.0/');
    const env = m.instructions.filter(isArgOrEnv).find((i) => i.keyword === 'ENV')!;
    assert.deepEqual(env.definitions.map((d) => [d.name, d.value]), [['DEST', '/usr/lib/5.14.0'], ['OTHER', undefined]]);
    const workdir = m.instructions.find((i) => i.keyword === 'WORKDIR');
    assert.ok(workdir && 'args' in workdir);
    assert.equal(workdir.args[0]!.value, undefined, 'ENV values of the same instruction are not visible to each other');
  });

  it('gives a stage built FROM another stage that stage’s ARG and ENV values', () => {
    const m = model([
      'FROM quay.io/fedora/fedora-coreos:stable AS base',
      'ARG KVER=5.14.0-427.el9',
      'ENV PREFIX=/usr/local',
      'FROM base',
      'RUN echo $KVER',
    ]);
    const run = m.instructions.filter(isRun)[0]!;
    assert.equal(run.variables.get('KVER'), '5.14.0-427.el9');
    assert.equal(run.variables.get('PREFIX'), '/usr/local');
  });

  it('reads legacy `ENV NAME value with spaces` as one value', () => {
    const m = model(['FROM scratch', 'ARG V=1', 'ENV GREETING hello "big $V" world']);
    const env = m.instructions.filter(isArgOrEnv).find((i) => i.keyword === 'ENV')!;
    assert.deepEqual(env.definitions.map((d) => [d.name, d.value]), [['GREETING', 'hello big 1 world']]);
  });
});
