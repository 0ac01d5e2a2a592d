import { strict as assert } from 'node:assert';
import { at, badFixtureFindings, covered, findingsOf, FROM_RHCOS, machineConfig } from './ruleHarness';

const RULE = 'extension-package';
const usbguardMc = machineConfig('99-worker-usbguard', 'worker', { extensions: ['usbguard'] });

function file(install: string): string {
  return `${FROM_RHCOS}\nRUN ${install} && dnf clean all && bootc container lint\n`;
}

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const mc = machineConfig('99-worker-usbguard', 'worker', { extensions: ['usbguard', 'sysstat'] });
    const { text, findings } = await badFixtureFindings(RULE, { machineConfigs: [mc] });
    assert.deepEqual(findings.map((f) => [covered(text, f), f.severity]), [['usbguard', 'error'], ['sysstat', 'error']]);
  });

  it('reports an RPM of an extension that a MachineConfig for the pool enables, as an error naming both', async () => {
    const text = file('dnf install -y usbguard tmux');
    const [finding, ...rest] = await findingsOf(RULE, text, { machineConfigs: [usbguardMc] });
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), '1:19-1:27');
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /`usbguard` conflicts with MachineConfig 99-worker-usbguard \(pool worker\), which enables the extension `usbguard`/);
  });

  it('warns, naming the extension, when no MachineConfig enables it yet', async () => {
    const text = file('dnf install -y usbguard libreswan');
    for (const machineConfigs of [[], [machineConfig('99-worker-kargs', 'worker')]]) {
      const findings = await findingsOf(RULE, text, { machineConfigs });
      assert.deepEqual(findings.map((f) => f.severity), ['warning', 'warning']);
      assert.match(findings[0]!.message, /`usbguard` comes with the MCO extension `usbguard`.*spec\.extensions: \[usbguard\]/);
      assert.match(findings[1]!.message, /`libreswan` comes with the MCO extension `ipsec`/);
    }
  });

  it('filters MachineConfigs by the pools this Containerfile is for, when known', async () => {
    const text = file('dnf install -y usbguard');
    const infra = machineConfig('99-infra-usbguard', 'infra', { extensions: ['usbguard'] });
    const severity = async (pools?: string[]): Promise<string[]> => (await findingsOf(RULE, text, { machineConfigs: [infra], pools })).map((f) => f.severity);
    assert.deepEqual(await severity(['worker']), ['warning']);
    assert.deepEqual(await severity(['infra']), ['error']);
    assert.deepEqual(await severity(), ['error']);
  });

  it('finds extension RPMs through brace expansion, URLs and rpm-ostree, once per word and extension', async () => {
    const mc = machineConfig('50-kerberos', 'worker', { extensions: ['kerberos', 'kernel-devel'] });
    const text = file('rpm-ostree install {krb5-workstation,libkadm5} https://x/kernel-devel-5.14.0-1.el9.x86_64.rpm');
    const findings = await findingsOf(RULE, text, { machineConfigs: [mc] });
    assert.deepEqual(findings.map((f) => [covered(text, f), /extension `(\S+)`/.exec(f.message)?.[1]]), [
      ['{krb5-workstation,libkadm5}', 'kerberos'],
      ['https://x/kernel-devel-5.14.0-1.el9.x86_64.rpm', 'kernel-devel'],
    ]);
  });

  it('follows the extension table of the target version', async () => {
    const all = machineConfig('99-all', undefined, { extensions: ['wasm', 'sysstat', 'ipsec', 'two-node-ha'] });
    const count = async (install: string, version: string): Promise<number> =>
      (await findingsOf(RULE, file(install), { version, machineConfigs: [all] })).length;
    assert.equal(await count('dnf install -y crun-wasm', '4.21'), 1);
    assert.equal(await count('dnf install -y crun-wasm', '4.22'), 0, 'wasm is gone in 4.22');
    assert.equal(await count('dnf install -y sysstat', '4.17'), 0);
    assert.equal(await count('dnf install -y sysstat', '4.18'), 1, 'sysstat from 4.18');
    assert.equal(await count('dnf install -y openvswitch3.5-ipsec', '4.22'), 0);
    assert.equal(await count('dnf install -y openvswitch3.5-ipsec', '4.23'), 1, 'ipsec gains openvswitch3.5-ipsec in 4.23');
    assert.equal(await count('dnf install -y libreswan', '4.13'), 0, 'no ipsec extension before 4.14');
    assert.equal(await count('dnf install -y pcs', '4.19'), 1);
  });

  it('leaves kernel-rt RPMs to kernel-rt-package', async () => {
    const realtime = machineConfig('99-rt', 'worker', { kernelType: 'realtime' });
    const text = file('dnf install -y kernel-rt-core');
    assert.deepEqual(await findingsOf(RULE, text, { machineConfigs: [realtime] }), []);
  });

  it('ignores removals, overrides and builder stages', async () => {
    const text = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)} AS builder
RUN dnf install -y usbguard-devel usbguard
${FROM_RHCOS}
RUN rpm-ostree override remove usbguard && rpm-ostree override replace https://x/usbguard-1.1-1.el9.x86_64.rpm && rpm-ostree cleanup -m && bootc container lint
`;
    assert.deepEqual(await findingsOf(RULE, text, { machineConfigs: [usbguardMc] }), []);
  });

  it('reports only an informational duplicate in on-cluster builds, which install extensions themselves', async () => {
    const text = 'FROM configs AS final\nRUN dnf install -y usbguard && dnf clean all && bootc container lint\n';
    const [finding] = await findingsOf(RULE, text, { machineConfigs: [usbguardMc] });
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /already in the image: MachineConfig 99-worker-usbguard \(pool worker\)/);
  });
});
