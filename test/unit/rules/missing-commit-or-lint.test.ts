import { strict as assert } from 'node:assert';
import { applyEdits, at, editFix, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'missing-commit-or-lint';

describe(RULE, () => {
  it('asks once, on the last changing RUN, for ostree container commit up to 4.18, with a fix', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install vim\nRUN echo ok\nRUN rpm-ostree install tmux\n`;
    for (const target of ['4.16', '4.18']) {
      const [finding, ...rest] = await findingsOf(RULE, text, { version: target });
      assert.equal(rest.length, 0, target);
      assert.equal(at(finding!), '3:0-3:3');
      assert.match(finding!.message, new RegExp(`OpenShift ${target.replace('.', '\\.')}, end the build with \`ostree container commit\``));
      const fixed = applyEdits(text, editFix(finding!)!.edits);
      assert.equal(fixed.split('\n')[3], 'RUN rpm-ostree install tmux && ostree container commit');
      assert.deepEqual(await findingsOf(RULE, fixed, { version: target }), []);
    }
  });

  it('asks for bootc container lint from 4.19; either step anywhere in the final image is enough', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y vim && dnf clean all\nRUN mkdir -p /usr/lib/x\n`;
    const result = await findingsOf(RULE, text, { version: '4.19' });
    assert.deepEqual(result.map(at), ['2:0-2:3']);
    assert.match(result[0]!.message, /end the build with `bootc container lint`/);
    assert.deepEqual(await findingsOf(RULE, `${text}RUN bootc container lint\n`, { version: '4.19' }), []);
    // Universal Blue's pattern: commit, then recreate /var/tmp after it.
    const afterCommit = `${FROM_RHCOS}\nRUN rpm-ostree install vim && ostree container commit && mkdir -p /var/tmp && chmod 1777 /var/tmp\n`;
    assert.deepEqual(await findingsOf(RULE, afterCommit, { version: '4.16' }), []);
    assert.deepEqual(await findingsOf(RULE, afterCommit, { version: '4.19' }), []);
  });

  it('reports a final image built over several stages once, not once per stage', async () => {
    const text = `${FROM_RHCOS} AS prebase\nRUN dnf install -y epel-release\nFROM prebase AS base\nRUN dnf install -y htop\nFROM base\nRUN touch /usr/lib/stamp\n`;
    assert.deepEqual((await findingsOf(RULE, text, { version: '4.19' })).map(at), ['5:0-5:3']);
  });

  it('counts `bootc container lint --rootfs` run on the tree the final image copies', async () => {
    const text = `${FROM_RHCOS} AS builder\nRUN dnf --installroot=/target-rootfs install -y bash && bootc container lint --rootfs /target-rootfs\nFROM scratch\nCOPY --from=builder /target-rootfs/ /\nRUN ln -s ../x /usr/lib/y\n`;
    assert.deepEqual(await findingsOf(RULE, text, { version: '4.19', force: true }), []);
    const withoutLint = text.replace(' && bootc container lint --rootfs /target-rootfs', '');
    assert.deepEqual((await findingsOf(RULE, withoutLint, { version: '4.19', force: true })).map(at), ['4:0-4:3']);
  });

  it('says nothing when a line that is no instruction breaks the RUN (a doc callout after the backslash)', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree cliwrap install-to-root / && \\ <2>\n    rpm-ostree override replace https://x/kernel-{,core-}5.14.0-295.el9.x86_64.rpm && \\\n    ostree container commit\n`;
    assert.deepEqual(await findingsOf(RULE, text, { version: '4.16', force: true }), []);
  });

  it('does not count a RUN that only changes files inside its mounts', async () => {
    const text = `${FROM_RHCOS}\nRUN --mount=type=bind,rw=true,src=.,dst=/buildcontext rm /buildcontext/out.ociarchive\n`;
    assert.deepEqual(await findingsOf(RULE, text, { version: '4.19' }), []);
    assert.equal((await findingsOf(RULE, `${text}RUN rm /usr/share/doc/x\n`, { version: '4.19' })).length, 1);
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
