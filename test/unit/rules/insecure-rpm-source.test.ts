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

  it('names the RPMs a brace word expands to, never the text before the brace', async () => {
    const word = 'http://mirror.stream.centos.org/9-stream/BaseOS/x86_64/os/Packages/kernel-{,core-}5.14.0-295.el9.x86_64.rpm';
    const text = `${FROM_RHCOS}\nRUN rpm-ostree override replace ${word} && rpm-ostree cleanup -m && ostree container commit\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(covered(text, finding!), word);
    assert.equal(finding!.message, 'RPMs `kernel-5.14.0-295.el9.x86_64.rpm`, `kernel-core-5.14.0-295.el9.x86_64.rpm` are downloaded over plain http://, so they can be tampered with on the way: use https://.');
  });

  it('reports curl -k / --insecure and wget --no-check-certificate fetching RPMs, repo files or keys: once per RUN, at the option', async () => {
    const base = 'https://download.example.com/brewroot/packages/kernel/5.14.0/427.58.1.el9_4/x86_64';
    const text = `${FROM_RHCOS}
RUN curl -k -O ${base}/kernel-5.14.0-427.58.1.el9_4.x86_64.rpm && \\
    curl -k -O ${base}/kernel-core-5.14.0-427.58.1.el9_4.x86_64.rpm && \\
    curl -k -O ${base}/kernel-modules-5.14.0-427.58.1.el9_4.x86_64.rpm && \\
    curl -k -O ${base}/kernel-modules-core-5.14.0-427.58.1.el9_4.x86_64.rpm
RUN curl -sSLk https://r.example.com/x.repo -o /etc/yum.repos.d/x.repo && wget --no-check-certificate https://r.example.com/RPM-GPG-KEY-x
RUN curl --insecure -fsSL https://r.example.com/install.sh | bash && curl -k https://r.example.com/key -o /etc/pki/rpm-gpg/RPM-GPG-KEY-x
`;
    const findings = await findingsOf(RULE, text);
    assert.deepEqual(findings.map((f) => [covered(text, f), f.range.start.line]), [['-k', 1], ['-sSLk', 5], ['-k', 6]]);
    assert.equal(findings[0]!.message, '`curl -k` fetches the files `kernel-5.14.0-427.58.1.el9_4.x86_64.rpm`, `kernel-core-5.14.0-427.58.1.el9_4.x86_64.rpm`, `kernel-modules-5.14.0-427.58.1.el9_4.x86_64.rpm` and 1 more without checking the server\'s TLS certificate, so anyone on the way can swap them, and an RPM installed from a file gets no signature check either. Drop the option; for a server with a private CA, add the CA to /etc/pki/ca-trust/source/anchors and run `update-ca-trust` first.');
    assert.match(findings[1]!.message, /^`curl -sSLk` and `wget --no-check-certificate` fetch the files `x\.repo`, `RPM-GPG-KEY-x` without checking/);
    assert.match(findings[2]!.message, /^`curl -k` fetches the GPG key `key` without checking the server's TLS certificate, so anyone on the way can swap it\. Drop/);
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
