import { strict as assert } from 'node:assert';
import { isArgOrEnv, isCopyOrAdd, isFrom, isRun, type ContainerfileModel } from '../../../src/core/containerfile/model';
import { parseContainerfile } from '../../../src/core/containerfile/parse';
import { comparePositions } from '../../../src/core/text';

function keywords(model: ContainerfileModel): string[] {
  return model.instructions.map((i) => i.keyword);
}

describe('Containerfile model', () => {
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

  it('reads `RUN cat << \'EOF\'` bodies as heredocs, not as instructions (BuildKit accepts a blank after `<<`)', () => {
    const { model } = parseContainerfile("FROM x\nRUN cat << 'EOF' > /etc/motd\nRUN this is text\nEOF\nUSER root\n");
    assert.deepEqual(model.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'USER']);
  });

  it('reads a line that is not an instruction as BuildKit does: an unknown instruction, reported, the rest still read', () => {
    const { model } = parseContainerfile('FROM x\nRUN rpm-ostree install \\ <1>\n    vim\nRUN echo after\n');
    assert.deepEqual(keywords(model), ['FROM', 'RUN', 'VIM', 'RUN']);
    assert.deepEqual(model.buildErrors.map((e) => [e.kind, e.message, e.range.start.line]), [['unknown-instruction', 'unknown instruction: vim', 2]]);
  });
});

/** The cases issue 10 lists, where the extension used to read a file differently from the build. */
describe('reading the file the way BuildKit does', () => {
  it('does not start a heredoc at `<<` inside quotes or inside JSON exec form', () => {
    const { model } = parseContainerfile('FROM x\nRUN python3 -c "print(1 << 4)"\nRUN echo after\nRUN ["sh", "-c", "cat <<EOF"]\nRUN echo last\n');
    assert.deepEqual(keywords(model), ['FROM', 'RUN', 'RUN', 'RUN', 'RUN']);
    assert.deepEqual(model.buildErrors, []);
  });

  it('reads `<< 4` in unquoted shell arithmetic as BuildKit does: a heredoc named `4))`, which never ends', () => {
    // BuildKit's lexer joins the blanks after `<<` to the word, so `$((1 << 4))` has the word `<< 4))`: the build fails
    // with "unterminated heredoc". Without the blank (`1<<4`) there is no heredoc.
    const spaced = parseContainerfile('FROM x\nRUN echo $((1 << 4))\nRUN echo after\n').model;
    assert.deepEqual(spaced.buildErrors.map((e) => [e.message, e.range.start.line]), [['unterminated heredoc', 1]]);
    const tight = parseContainerfile('FROM x\nRUN echo $((1<<4))\nRUN echo after\n').model;
    assert.deepEqual([keywords(tight), tight.buildErrors], [['FROM', 'RUN', 'RUN'], []]);
  });

  it('does not take an escaped backslash at the end of a line for a continuation', () => {
    const { model } = parseContainerfile('FROM x\nRUN echo a\\\\\nRUN echo b\n');
    assert.deepEqual(keywords(model), ['FROM', 'RUN', 'RUN']);
    assert.deepEqual(model.instructions.filter(isRun).map((r) => r.commands.map((c) => c.args.map((a) => a.value))), [[['a\\']], [['b']]]);
  });

  it('reads partly quoted, fd-prefixed and spaced heredoc delimiters', () => {
    const text = 'FROM x\nRUN <<EO"F"\necho 1\nEOF\nRUN <<eo\'f\'\necho 2\neof\nRUN 3<<EOF\necho 3\nEOF\nRUN <<\'one two\'\necho 4\none two\nCOPY <<-"FILE" /etc/x\n\thello\n\tFILE\nRUN echo after\n';
    const { model } = parseContainerfile(text);
    assert.deepEqual(keywords(model), ['FROM', 'RUN', 'RUN', 'RUN', 'RUN', 'COPY', 'RUN']);
    assert.deepEqual(model.instructions.filter(isRun).map((r) => r.commands.map((c) => `${c.name} ${c.args.map((a) => a.value).join(' ')}`)),
      [['echo 1'], ['echo 2'], ['echo 3'], ['echo 4'], ['echo after']]);
    const copy = model.instructions.find(isCopyOrAdd)!;
    assert.deepEqual([copy.heredocs.map((h) => [h.name, h.content]), copy.sources, copy.destination?.value], [[['FILE', 'hello\n']], [], '/etc/x']);
    assert.deepEqual(model.buildErrors, []);
  });

  it('does not keep `--` as a flag of COPY', () => {
    const copy = parseContainerfile('FROM x\nCOPY -- foo /tmp/\n').model.instructions.find(isCopyOrAdd)!;
    assert.deepEqual([copy.flags, copy.sources.map((s) => s.value), copy.destination?.value], [[], ['foo'], '/tmp/']);
  });

  it('does not split `ENV a=b\\ c`', () => {
    const env = parseContainerfile('FROM x\nENV a=b\\ c d=e\n').model.instructions.find(isArgOrEnv)!;
    assert.deepEqual(env.definitions.map((d) => [d.name, d.value]), [['a', 'b c'], ['d', 'e']]);
  });

  it('gives the error BuildKit gives for an empty file, a file of comments, and `ENV PATH` without a value', () => {
    for (const [text, message] of [['', 'file with no instructions'], ['# a\n\n# b\n', 'file with no instructions'], ['FROM x\nENV PATH\n', 'ENV must have two arguments']]) {
      assert.deepEqual(parseContainerfile(text!).model.buildErrors.map((e) => e.message), [message], JSON.stringify(text));
    }
  });

  it('counts lines as the editor does (a lone carriage return ends a line) and keeps every range ordered', () => {
    const text = 'FROM x\n# a comment\rwith a lone carriage return\nRUN dnf install -y vim && \\\r\n  dnf clean all\n';
    const { model } = parseContainerfile(text);
    assert.equal(model.lines.lineCount, 6);
    assert.deepEqual(keywords(model), ['FROM', 'RUN'], 'BuildKit reads the carriage return as part of the comment');
    const run = model.instructions.find(isRun)!;
    assert.deepEqual(run.range.start, { line: 3, character: 0 });
    assert.deepEqual(run.commands.map((c) => c.range.start), [{ line: 3, character: 4 }, { line: 4, character: 2 }]);
    for (const instruction of model.instructions) assert.ok(comparePositions(instruction.range.start, instruction.range.end) <= 0);
  });

  it('gives an empty model with the reason instead of throwing', () => {
    const { model } = parseContainerfile('\u0000\uFFFF FROM');
    assert.ok(Array.isArray(model.instructions));
  });
});
