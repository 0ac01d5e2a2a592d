import { strict as assert } from 'node:assert';
import { Linter } from '../../../src/core/lint';
import { parseOpenShiftVersion } from '../../../src/core/openshift/versions';
import type { Finding } from '../../../src/core/rules/types';
import type { TextEdit } from '../../../src/core/text';
import { LineIndex } from '../../../src/core/text';

const BASE = `FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'a'.repeat(64)}`;
const linter = new Linter();

async function findings(text: string, version: string): Promise<Finding[]> {
  const result = await linter.lint(text, { targetVersion: parseOpenShiftVersion(version) });
  return result.findings.filter((f) => f.ruleId === 'missing-commit-or-lint');
}

function apply(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  return [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start))
    .reduce((out, e) => out.slice(0, lines.offsetAt(e.range.start)) + e.newText + out.slice(lines.offsetAt(e.range.end)), text);
}

describe('missing-commit-or-lint', () => {
  it('asks for ostree container commit at the end of each changing RUN up to 4.17, with a fix', async () => {
    const text = `${BASE}\nRUN rpm-ostree install vim\nRUN echo ok\n`;
    const [finding, ...rest] = await findings(text, '4.16');
    assert.equal(rest.length, 0);
    assert.deepEqual(finding!.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
    assert.match(finding!.message, /OpenShift 4\.16, finish filesystem changes with `ostree container commit`/);
    const fix = finding!.fixes![0]!;
    assert.equal(fix.kind, 'edit');
    const fixed = apply(text, fix.kind === 'edit' ? fix.edits : []);
    assert.equal(fixed.split('\n')[1], 'RUN rpm-ostree install vim && ostree container commit');
    assert.deepEqual(await findings(fixed, '4.16'), []);
  });

  it('asks for bootc container lint once, in the last changing RUN, from 4.18', async () => {
    const text = `${BASE}\nRUN dnf install -y vim && dnf clean all\nRUN mkdir -p /usr/lib/x\n`;
    const result = await findings(text, '4.18');
    assert.equal(result.length, 1);
    assert.equal(result[0]!.range.start.line, 2);
    assert.deepEqual(await findings(`${text}RUN bootc container lint\n`, '4.18'), []);
  });

  it('offers no fix where appending would change what runs (a redirection, a heredoc)', async () => {
    for (const body of ['RUN echo hi > /etc/motd', 'RUN cat <<EOF > /etc/x\nhello\nEOF']) {
      const [finding] = await findings(`${BASE}\n${body}\n`, '4.16');
      assert.ok(finding, body);
      assert.deepEqual(finding.fixes, [], body);
    }
  });

  it('ignores builder stages and on-cluster files', async () => {
    const builder = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'b'.repeat(64)} AS build\nRUN make\n${BASE}\nCOPY --from=build /out /usr/bin/\n`;
    assert.deepEqual(await findings(builder, '4.16'), []);
    assert.deepEqual(await findings('FROM configs AS final\nRUN dnf install -y x && dnf clean all\n', '4.18'), []);
  });
});
