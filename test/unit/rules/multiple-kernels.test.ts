import { strict as assert } from 'node:assert';
import { at, badFixtureFindings, covered, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'multiple-kernels';

async function reported(body: string, version?: string): Promise<string[]> {
  const text = `${FROM_RHCOS}\nRUN ${body}\n`;
  return (await findingsOf(RULE, text, { version })).map((f) => covered(text, f));
}

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE);
    assert.deepEqual(findings.map((f) => covered(text, f)), ['kernel-rt-core']);
  });

  it('reports dnf install kernel-rt as a second kernel, at the package word', async () => {
    const text = `${FROM_RHCOS}\nRUN dnf install -y kernel-rt && dnf clean all && bootc container lint\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:19-1:28');
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /`kernel-rt` adds a second kernel.*--install kernel-rt-core.*kernelType: realtime/);
  });

  it('reports rpm-ostree install of the 64k kernel, and names kernelType only where the version has it', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install kernel-64k-core && ostree container commit\n`;
    const [on415] = await findingsOf(RULE, text, { version: '4.15' });
    assert.match(on415!.message, /kernelType: 64k-pages/);
    const [on414] = await findingsOf(RULE, text, { version: '4.14' });
    assert.doesNotMatch(on414!.message, /kernelType/);
  });

  it('reports a second default kernel installed side by side by dnf or rpm -i', async () => {
    assert.deepEqual(await reported('dnf install -y https://x/kernel-core-5.14.0-500.el9.x86_64.rpm'), ['https://x/kernel-core-5.14.0-500.el9.x86_64.rpm']);
    assert.deepEqual(await reported('rpm -ivh /tmp/kernel{,-core}-5.14.0-500.el9.x86_64.rpm'), ['/tmp/kernel{,-core}-5.14.0-500.el9.x86_64.rpm']);
  });

  it('reports a kernel RPM given by URL or path to rpm-ostree install: installing is not replacing', async () => {
    const url = 'https://mirror.stream.centos.org/9-stream/BaseOS/x86_64/os/Packages/kernel-core-5.14.0-570.el9.x86_64.rpm';
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install ${url} && ostree container commit\n`;
    const [finding, ...rest] = await findingsOf(RULE, text);
    assert.equal(rest.length, 0);
    assert.equal(covered(text, finding!), url);
    assert.match(finding!.message, /^`rpm-ostree install` adds `kernel-core` from a URL next to the base image's kernel.*Use `rpm-ostree override replace`/);
    assert.deepEqual(await reported('rpm-ostree install /tmp/kernel-{,core-,modules-}5.14.0-570.el9.x86_64.rpm'), ['/tmp/kernel-{,core-,modules-}5.14.0-570.el9.x86_64.rpm']);
    // By name, rpm-ostree refuses a second version of an installed package: nothing to report.
    assert.deepEqual(await reported('rpm-ostree install kernel-core'), []);
  });

  it('accepts replacing the kernel', async () => {
    const accepted = [
      'rpm-ostree override replace https://x/kernel-{,core-,modules-}5.14.0-500.el9.x86_64.rpm',
      'rpm-ostree override remove kernel kernel-core kernel-modules kernel-modules-core kernel-modules-extra --install kernel-rt-core --install kernel-rt-modules',
      'dnf swap -y kernel-core kernel-rt-core',
      'dnf remove -y kernel{,-core,-modules,-modules-core} && dnf install -y kernel-rt',
      'dnf install -y kernel-rt-core && dnf remove -y "kernel-core*"',
      'rpm -e --nodeps kernel-core && rpm -ivh /tmp/kernel-rt-core-5.14.0-1.el9.x86_64.rpm',
      'rpm -Uvh /tmp/kernel-core-5.14.0-500.el9.x86_64.rpm',
      'dnf reinstall -y kernel-core',
      'dnf install -y kernel-devel kernel-headers kernel-modules-extra kernel-tools',
    ];
    for (const body of accepted) assert.deepEqual(await reported(body), [], body);
  });

  it('accepts a removal in an earlier RUN of the final stages', async () => {
    const text = `${FROM_RHCOS} AS base
RUN rpm-ostree override remove kernel kernel-core kernel-modules kernel-modules-core kernel-modules-extra
FROM base
RUN rpm-ostree install kernel-rt-core kernel-rt-modules && ostree container commit
`;
    assert.deepEqual(await findingsOf(RULE, text), []);
  });

  it('ignores builder stages', async () => {
    const text = `FROM quay.io/fedora/fedora@sha256:${'1'.repeat(64)} AS builder
RUN dnf install -y kernel-rt-devel kernel-rt
${FROM_RHCOS}
RUN bootc container lint
`;
    assert.deepEqual(await findingsOf(RULE, text), []);
  });
});
