import { strict as assert } from 'node:assert';
import { applyEdits, at, editFix, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'missing-commit-or-lint';

describe(RULE, () => {
  it('asks for ostree container commit at the end of each changing RUN up to 4.17, with a fix', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install vim\nRUN echo ok\n`;
    const [finding, ...rest] = await findingsOf(RULE, text, { version: '4.16' });
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:0-1:3');
    assert.match(finding!.message, /OpenShift 4\.16, finish filesystem changes with `ostree container commit`/);
    const fixed = applyEdits(text, editFix(finding!)!.edits);
    assert.equal(fixed.split('\n')[1], 'RUN rpm-ostree install vim && ostree container commit');
    assert.deepEqual(await findingsOf(RULE, fixed, { version: '4.16' }), []);
  });

  it('asks for bootc container lint once, in the last changing RUN, from 4.18', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y vim && dnf clean all\nRUN mkdir -p /usr/lib/x\n`;
    const result = await findingsOf(RULE, text, { version: '4.18' });
    assert.deepEqual(result.map(at), ['2:0-2:3']);
    assert.deepEqual(await findingsOf(RULE, `${text}RUN bootc container lint\n`, { version: '4.18' }), []);
  });

  it('offers no fix where appending would change what runs (a redirection, a heredoc)', async () => {
    for (const body of ['RUN echo hi > /etc/motd', 'RUN cat <<EOF > /etc/x\nhello\nEOF']) {
      const [finding] = await findingsOf(RULE, `${FROM_RHCOS}\n${body}\n`, { version: '4.16' });
      assert.ok(finding, body);
      assert.equal(editFix(finding), undefined, body);
    }
  });

  it('ignores builder stages and on-cluster files', async () => {
    const builder = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'b'.repeat(64)} AS build\nRUN make\n${FROM_RHCOS}\nCOPY --from=build /out /usr/bin/\n`;
    assert.deepEqual(await findingsOf(RULE, builder, { version: '4.16' }), []);
    assert.deepEqual(await findingsOf(RULE, 'FROM configs AS final\nRUN dnf install -y x && dnf clean all\n', { version: '4.18' }), []);
  });
});
