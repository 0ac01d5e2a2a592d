import { strict as assert } from 'node:assert';
import { at, badFixtureFindings, covered, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'source-rpm';

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE);
    assert.deepEqual(findings.map((f) => covered(text, f)), ['https://example.com/el9/SRPMS/mytool-1.2-1.el9.src.rpm']);
  });

  it('reports a source RPM given to dnf as an error that names it', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y ./foo-1.0-1.el9.src.rpm tmux && dnf clean all && bootc container lint\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:19-1:42');
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /`foo-1\.0-1\.el9\.src\.rpm` is a source RPM: dnf refuses it/);
  });

  it('reports every manager, URLs and brace expansion included', async () => {
    const text = `${FROM_RHCOS}
RUN rpm-ostree install https://x/pkgs/bar-2-1.el9.src.rpm && \\
    yum -y localinstall baz-3-1.el9.nosrc.rpm && \\
    microdnf install qux-{1,2}.src.rpm && \\
    ostree container commit
`;
    const findings = await findingsOf(RULE, text, { version: '4.16' });
    assert.deepEqual(findings.map((f) => covered(text, f)), ['https://x/pkgs/bar-2-1.el9.src.rpm', 'baz-3-1.el9.nosrc.rpm', 'qux-{1,2}.src.rpm', 'qux-{1,2}.src.rpm']);
    assert.match(findings[1]!.message, /yum skips it/);
  });

  it('reports rpm -i at the default severity: it unpacks sources into /root', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm -ivh /tmp/kernel-5.14.0-1.el9.src.rpm && bootc container lint\n`;
    const [finding] = await findingsOf(RULE, text);
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /\/root\/rpmbuild/);
  });

  it('ignores binary RPMs, removals, source downloads and builder stages', async () => {
    const text = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)} AS builder
RUN rpm -i foo-1.0-1.el9.src.rpm && rpmbuild -bb /root/rpmbuild/SPECS/foo.spec
${FROM_RHCOS}
COPY --from=builder /root/rpmbuild/RPMS/x86_64/foo-1.0-1.el9.x86_64.rpm /tmp/
RUN dnf install -y /tmp/foo-1.0-1.el9.x86_64.rpm https://x/srcpkg-1-1.el9.x86_64.rpm && \\
    dnf download --source foo && \\
    dnf clean all && bootc container lint
`;
    assert.deepEqual(await findingsOf(RULE, text), []);
  });
});
