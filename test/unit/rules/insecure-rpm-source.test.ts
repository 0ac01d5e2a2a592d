import { strict as assert } from 'node:assert';
import { at, badFixtureFindings, covered, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'insecure-rpm-source';

async function reported(body: string): Promise<string[]> {
  const text = `${FROM_RHCOS}\n${body}\n`;
  return (await findingsOf(RULE, text)).map((f) => covered(text, f));
}

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE);
    assert.deepEqual(findings.map((f) => covered(text, f)), ['http://rpm.example.com/el9/', 'gpgcheck=0', '--nogpgcheck']);
  });

  it('reports an RPM URL over http at the URL, naming the RPM', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y http://example.com/el9/htop-3.2-1.el9.x86_64.rpm && dnf clean all\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:19-1:67');
    assert.equal(covered(text, finding!), 'http://example.com/el9/htop-3.2-1.el9.x86_64.rpm');
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /RPM `htop-3\.2-1\.el9\.x86_64\.rpm` is downloaded over plain http:\/\/.*use https:\/\//);
  });

  it('reports repositories added over http, with any manager', async () => {
    assert.deepEqual(await reported([
      'RUN dnf config-manager --add-repo http://r.example.com/a.repo && \\',
      '    yum-config-manager --add-repo=http://r.example.com/b.repo && \\',
      '    dnf5 config-manager addrepo --from-repofile=http://r.example.com/c.repo && \\',
      '    dnf install -y --repofrompath=local,http://10.0.0.1/repo tmux && dnf clean all',
    ].join('\n')), ['http://r.example.com/a.repo', 'http://r.example.com/b.repo', 'http://r.example.com/c.repo', 'http://10.0.0.1/repo']);
  });

  it('reports RPMs, repo files and keys downloaded with curl or wget over http', async () => {
    assert.deepEqual(await reported([
      'RUN curl -fsSLo /etc/yum.repos.d/x.repo http://r.example.com/x && \\',
      '    wget http://r.example.com/pkgs/y-1-1.el9.x86_64.rpm && \\',
      '    curl -o /etc/pki/rpm-gpg/RPM-GPG-KEY-x http://r.example.com/key && \\',
      '    curl -fsSL http://r.example.com/install.sh -o /tmp/install.sh',
    ].join('\n')), ['http://r.example.com/x', 'http://r.example.com/pkgs/y-1-1.el9.x86_64.rpm', 'http://r.example.com/key']);
  });

  it('reports options that turn signature or TLS checks off, at the option', async () => {
    const text = `${FROM_RHCOS}
RUN dnf install -y --nogpgcheck a && dnf5 install -y --no-gpgchecks b && \\
    dnf install -y --setopt=gpgcheck=0 --setopt=*.sslverify=False c && \\
    dnf install -y --setopt myrepo.gpgcheck=false d && \\
    dnf config-manager --save --setopt=epel.sslverify=0 && \\
    rpm -ivh --nosignature --nodigest /tmp/e.rpm && \\
    dnf clean all
`;
    const findings = await findingsOf(RULE, text);
    assert.deepEqual(findings.map((f) => covered(text, f)), [
      '--nogpgcheck', '--no-gpgchecks', '--setopt=gpgcheck=0', '--setopt=*.sslverify=False', 'myrepo.gpgcheck=false',
      '--setopt=epel.sslverify=0', '--nosignature', '--nodigest',
    ]);
    assert.match(findings[0]!.message, /without checking their signatures/);
    assert.match(findings[3]!.message, /TLS certificate/);
  });

  it('reports http and gpgcheck=0 written into a .repo file by a RUN heredoc, at the exact text', async () => {
    const text = `${FROM_RHCOS}
RUN cat > /etc/yum.repos.d/custom.repo <<EOF
[custom]
baseurl=http://mirror.example.com/custom/el9
gpgcheck=0
gpgkey=http://mirror.example.com/key
EOF
`;
    const findings = await findingsOf(RULE, text);
    assert.deepEqual(findings.map((f) => [at(f), covered(text, f)]), [
      ['3:8-3:44', 'http://mirror.example.com/custom/el9'],
      ['4:0-4:10', 'gpgcheck=0'],
      ['5:7-5:36', 'http://mirror.example.com/key'],
    ]);
    assert.match(findings[2]!.message, /GPG key/);
  });

  it('reports repo content written with echo or printf and with COPY heredocs', async () => {
    assert.deepEqual(await reported([
      'RUN echo -e "[x]\\nbaseurl=http://x.example.com/\\nsslverify=0" > /etc/yum.repos.d/x.repo && \\',
      "    printf '%s\\n' '[y]' 'baseurl=https://y.example.com/' 'gpgcheck=0' | tee /etc/yum.repos.d/y.repo",
      'COPY <<REPO /etc/yum.repos.d/',
      '[z]',
      'metalink=http://z.example.com/metalink',
      'REPO',
    ].join('\n')), ['http://x.example.com/', 'sslverify=0', 'gpgcheck=0', 'http://z.example.com/metalink']);
  });

  it('reports sed scripts that write gpgcheck=0 into repo files, but not ones that turn it back on', async () => {
    assert.deepEqual(await reported([
      "RUN sed -i 's/^gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/epel.repo && \\",
      "    sed -i 's|gpgcheck=0|gpgcheck=1|' /etc/yum.repos.d/other.repo",
    ].join('\n')), ["'s/^gpgcheck=1/gpgcheck=0/'"]);
  });

  it('accepts https, file:// and a gpgcheck=0 repository of local RPMs', async () => {
    assert.deepEqual(await reported([
      'RUN dnf install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-9.noarch.rpm file:///tmp/x.rpm && \\',
      '    dnf config-manager --add-repo https://r.example.com/a.repo && \\',
      '    curl -fsSL https://r.example.com/x.repo -o /etc/yum.repos.d/x.repo && \\',
      '    rpm --import https://r.example.com/RPM-GPG-KEY && \\',
      '    dnf install -y --setopt=install_weak_deps=False --setopt=gpgcheck=1 --setopt=localpkg_gpgcheck=0 tmux && \\',
      '    rpm -qa --nosignature && dnf clean all',
      'COPY <<REPO /etc/yum.repos.d/local.repo',
      '[local]',
      'baseurl=file:///var/tmp/rpms',
      'gpgcheck=0',
      'REPO',
      'RUN echo "# gpgcheck=0 would be bad" && echo "see http://example.com/docs"',
    ].join('\n')), []);
  });

  it('only looks at stages the node image is built from', async () => {
    const text = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)} AS builder
RUN dnf install -y --nogpgcheck http://x/y-1-1.el9.x86_64.rpm
${FROM_RHCOS}
RUN bootc container lint
`;
    assert.deepEqual(await findingsOf(RULE, text), []);
  });
});
