import { strict as assert } from 'node:assert';
import { at, findingsOf, FROM_RHCOS, RHCOS } from './ruleHarness';

const RULE = 'parse-error';
const COMMIT = 'RUN ostree container commit\n';

describe(RULE, () => {
  it('reports a line that is not an instruction (a doc callout after `\\`), once, on that line, as an error', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install \\ <1>\n    vim && \\\n    ostree container commit\n`;
    const findings = await findingsOf(RULE, text);
    assert.deepEqual(findings.map((f) => [at(f), f.severity]), [['2:4-2:12', 'error']]);
    assert.match(findings[0]!.message, /^line 3 is not a Containerfile instruction; the build fails here \(unknown instruction: vim\)/);
  });

  it('reports an unterminated heredoc on its first line only, and BuildKit’s other parse errors', async () => {
    const heredoc = await findingsOf(RULE, `${FROM_RHCOS}\nRUN <<EOF\nrpm-ostree install vim\nostree container commit\n`);
    assert.deepEqual(heredoc.map((f) => [at(f), f.message]), [['1:0-1:9', 'line 2: unterminated heredoc; the build fails here.']]);
    const env = await findingsOf(RULE, `${FROM_RHCOS}\nENV PATH\n${COMMIT}`);
    assert.deepEqual(env.map((f) => f.message), ['line 2: ENV must have two arguments; the build fails here.']);
    const copy = await findingsOf(RULE, `${FROM_RHCOS}\nCOPY only-a-source\n${COMMIT}`);
    assert.deepEqual(copy.map((f) => f.message), ['line 2: COPY requires at least two arguments, but only 1 provided; the build fails here.']);
    const before = await findingsOf(RULE, `RUN rpm-ostree install vim\n${FROM_RHCOS}\n${COMMIT}`);
    assert.deepEqual(before.map((f) => at(f)), ['0:0-0:26']);
  });

  it('gives BuildKit’s error for a file with nothing to build', async () => {
    const findings = await findingsOf(RULE, '# just a note\n\n', { force: true });
    assert.deepEqual(findings.map((f) => f.message), ['The file has no instructions (only comments or blank lines): the build fails here.']);
  });

  it('is silent where BuildKit parses the file: quoted `<<`, JSON forms, comments inside continuations, escaped backslashes', async () => {
    const text = [
      FROM_RHCOS,
      'RUN python3 -c "print(1 << 4)" && \\',
      '    # a comment inside the continuation',
      '    echo "a\\\\"',
      'RUN ["sh", "-c", "cat <<EOF"]',
      'ENV A=b\\ c',
      'COPY -- a /usr/share/a',
      'RUN ostree container commit',
      '',
    ].join('\n');
    assert.deepEqual(await findingsOf(RULE, text), []);
  });
});

describe(`${RULE}: what other builders may accept is not reported`, () => {
  it('neither a stage name BuildKit refuses (`AS ${NAME}`) nor Go template lines of a template Containerfile', async () => {
    const stageName = `ARG NAME=gnome\nFROM ${RHCOS} as \${NAME}\n${COMMIT}`;
    assert.deepEqual(await findingsOf(RULE, stageName), []);
    const template = `FROM ${RHCOS}\n{{if .ExtensionsImage}}\nRUN rpm-ostree install usbguard\n{{end}}\n${COMMIT}`;
    assert.deepEqual(await findingsOf(RULE, template), []);
  });
});
