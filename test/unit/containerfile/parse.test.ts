import { strict as assert } from 'node:assert';
import { DockerfileParser, Run } from 'dockerfile-ast';
import { isCopyOrAdd, isFrom, isRun } from '../../../src/core/containerfile/model';
import { parseContainerfile } from '../../../src/core/containerfile/parse';

describe('Containerfile model', () => {
  it('leaves dockerfile-ast as it was for its other users (dockerfile-utils) after our parse', () => {
    parseContainerfile('FROM x\nRUN echo hi\n');
    const [, run] = DockerfileParser.parse('FROM x\nRUN echo hi\n').getInstructions();
    assert.ok(run instanceof Run);
  });

  it('reads stages, ARG defaults in FROM, flags, heredocs and exact command positions', () => {
    const text = [
      'ARG BASE=quay.io/openshift-release-dev/ocp-v4.0-art-dev',
      'FROM --platform=linux/amd64 ${BASE}@sha256:' + 'a'.repeat(64) + ' AS final',
      'RUN --mount=type=cache,target=/var/cache/dnf dnf install -y \\',
      '    # a comment inside the continuation',
      '    vim && dnf clean all',
      'COPY --from=build --chown=0:0 a b /usr/share/x/',
      'RUN <<EOF',
      'systemctl enable x.service',
      'EOF',
    ].join('\n');
    const { model } = parseContainerfile(text);
    const [from, run, copy, heredoc] = model.instructions.slice(1);
    assert.ok(from && isFrom(from) && run && isRun(run) && copy && isCopyOrAdd(copy) && heredoc && isRun(heredoc));
    assert.equal(from.image!.expanded, `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'a'.repeat(64)}`);
    assert.equal(from.platform, 'linux/amd64');
    assert.equal(from.stageName, 'final');
    assert.equal(run.mounts[0]!.get('target'), '/var/cache/dnf');
    assert.deepEqual(run.commands.map((c) => [c.name, c.range.start.line, c.range.start.character]), [['dnf', 2, 45], ['dnf', 4, 11]]);
    assert.deepEqual(run.commands[0]!.args.map((a) => a.value), ['install', '-y', 'vim']);
    assert.deepEqual(run.commands[0]!.args[2]!.range.start, { line: 4, character: 4 });
    assert.deepEqual([copy.from, copy.sources.map((s) => s.value), copy.destination?.value], ['build', ['a', 'b'], '/usr/share/x/']);
    assert.equal(heredoc.form, 'heredoc');
    assert.deepEqual(heredoc.commands.map((c) => [c.name, c.range.start.line]), [['systemctl', 7]]);
  });

  it('reads `RUN cat << \'EOF\'` bodies as heredocs, not as instructions (dockerfile-ast issue #120)', () => {
    const { model } = parseContainerfile("FROM x\nRUN cat << 'EOF' > /etc/motd\nRUN this is text\nEOF\nUSER root\n");
    assert.deepEqual(model.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'USER']);
  });

  it('gives an empty model with the reason instead of throwing', () => {
    const { model } = parseContainerfile('\u0000\uFFFF FROM');
    assert.ok(Array.isArray(model.instructions));
  });
});
