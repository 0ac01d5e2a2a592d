import { strict as assert } from 'node:assert';
import { applyEdits, at, badFixtureFindings, covered, editFix, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'package-cache-left';

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE);
    assert.deepEqual(findings.map((f) => covered(text, f)), ['dnf']);
    assert.ok(applyEdits(text, editFix(findings[0]!)!.edits).includes('dnf install -y tmux strace && dnf clean all && \\\n'));
  });

  it('reports dnf install without a cleanup, at the package manager word, as info', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y tmux && bootc container lint\n`;
    const [finding, ...rest] = await findingsOf(RULE, text, { version: '4.18' });
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:4-1:7');
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /`dnf install` leaves the package cache.*`dnf clean all`/);
  });

  it('appends the cleanup after the last package command, before bootc container lint', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y tmux && \\\n    dnf5 install -y strace && \\\n    bootc container lint\n`;
    const [finding] = await findingsOf(RULE, text, { version: '4.18' });
    assert.equal(covered(text, finding!), 'dnf5');
    const fixed = applyEdits(text, editFix(finding!)!.edits);
    assert.equal(fixed, `${FROM_RHCOS}\nRUN dnf install -y tmux && \\\n    dnf5 install -y strace && dnf5 clean all && \\\n    bootc container lint\n`);
    assert.deepEqual(await findingsOf(RULE, fixed, { version: '4.18' }), []);
  });

  it('appends at the end of a RUN that ends with the install', async () => {
    const text = `${FROM_RHCOS}\nRUN --mount=type=secret,id=x yum -y install tcpdump\n`;
    const [finding] = await findingsOf(RULE, text);
    assert.equal(applyEdits(text, editFix(finding!)!.edits), `${FROM_RHCOS}\nRUN --mount=type=secret,id=x yum -y install tcpdump && yum clean all\n`);
  });

  it('reports rpm-ostree override remove … --install, which fetches packages like an install', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree override remove kernel kernel-core --install=kernel-rt-core --install kernel-rt-modules\nRUN rpm-ostree cleanup -m\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:4-1:14');
    assert.match(finding!.message, /^`rpm-ostree override remove … --install` leaves the package cache in this layer: add `rpm-ostree cleanup -m`/);
    assert.deepEqual(await findingsOf(RULE, `${FROM_RHCOS}\nRUN rpm-ostree override remove nfs-utils-coreos && ostree container commit\n`), []);
    assert.deepEqual(await findingsOf(RULE, `${FROM_RHCOS}\nRUN rpm-ostree override remove foo\n`), []);
  });

  it('reports rpm-ostree install and override replace without rpm-ostree cleanup', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install htop && rpm-ostree override replace https://x/y-1-1.el9.noarch.rpm && bootc container lint\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:31-1:41');
    assert.match(finding!.message, /`rpm-ostree override replace`.*`rpm-ostree cleanup -m`/);
    const fixed = applyEdits(text, editFix(finding!)!.edits);
    assert.ok(fixed.includes('y-1-1.el9.noarch.rpm && rpm-ostree cleanup -m && bootc container lint'));
    assert.deepEqual(await findingsOf(RULE, fixed), []);
  });

  it('reports each package manager family once per RUN', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y a && rpm-ostree install b && dnf install -y c\n`;
    const findings = await findingsOf(RULE, text);
    assert.deepEqual(findings.map((f) => covered(text, f)), ['rpm-ostree', 'dnf']);
  });

  it('reports an install that comes after the cleanup', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y a && dnf clean all && dnf install -y b\n`;
    const [finding] = await findingsOf(RULE, text);
    assert.equal(at(finding!), '1:41-1:44');
  });

  it('accepts the cleanups real projects use', async () => {
    const accepted = [
      'dnf install -y a && dnf clean all',
      'dnf -y install a && dnf -y clean all',
      'microdnf install -y a && microdnf clean all',
      'dnf5 install -y a && rm -rf /var/cache/libdnf5*',
      'dnf install -y a && rm -rf /var/cache/dnf /var/log/dnf*',
      'yum install -y a && rm -rf /var/cache/{dnf,yum}',
      'dnf install -y a && rm -rf /var/cache/*',
      'sudo dnf install -y a && sudo dnf clean all',
      'rpm-ostree install a && rpm-ostree cleanup -m',
      'rpm-ostree install a && rpm-ostree cleanup -bm',
      'rpm-ostree override replace x.rpm && rpm-ostree cleanup --repomd',
      'rpm-ostree install a && ostree container commit',
      'dnf install -y a && ostree container commit',
      'dnf config-manager --set-enabled crb && rpm -q kernel',
    ];
    for (const body of accepted) assert.deepEqual(await findingsOf(RULE, `${FROM_RHCOS}\nRUN ${body}\n`), [], body);
  });

  it('accepts cache mounts on the package caches', async () => {
    for (const mount of ['type=cache,target=/var/cache/libdnf5', 'type=cache,target=/var/cache/dnf/', 'type=tmpfs,target=/var/cache', 'type=cache,dst=/var/cache/yum,sharing=locked']) {
      const text = `${FROM_RHCOS}\nRUN --mount=${mount} dnf install -y a\n`;
      assert.deepEqual(await findingsOf(RULE, text), [], mount);
    }
    const other = `${FROM_RHCOS}\nRUN --mount=type=cache,target=/root/.cache dnf install -y a\n`;
    assert.equal((await findingsOf(RULE, other)).length, 1);
  });

  it('accepts heredoc RUNs that clean up, and reports those that do not without a fix', async () => {
    const clean = `${FROM_RHCOS}\nRUN <<EOF\nset -euo pipefail\nif ! rpm -q jq; then\n  dnf install -y jq\nfi\ndnf clean all\nEOF\n`;
    assert.deepEqual(await findingsOf(RULE, clean), []);
    const dirty = `${FROM_RHCOS}\nRUN <<EOF\ndnf install -y jq\nbootc container lint\nEOF\n`;
    const [finding] = await findingsOf(RULE, dirty);
    assert.equal(at(finding!), '2:0-2:3');
    assert.equal(editFix(finding!), undefined);
  });

  it('only looks at stages the node image is built from', async () => {
    const text = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)} AS builder
RUN dnf install -y gcc make && make
${FROM_RHCOS}
COPY --from=builder /out /usr/bin/
RUN bootc container lint
`;
    assert.deepEqual(await findingsOf(RULE, text), []);
  });

  it('offers no fix when the install is piped or redirected', async () => {
    for (const body of ['dnf install -y a | tee /tmp/log', 'dnf install -y a > /tmp/log', 'dnf install -y a || true']) {
      const [finding] = await findingsOf(RULE, `${FROM_RHCOS}\nRUN ${body}\n`);
      assert.ok(finding, body);
      assert.equal(editFix(finding), undefined, body);
    }
  });

  it('offers no fix for exec-form RUNs', async () => {
    const [finding] = await findingsOf(RULE, `${FROM_RHCOS}\nRUN ["dnf", "install", "-y", "a"]\n`);
    assert.ok(finding);
    assert.equal(editFix(finding), undefined);
  });
});
