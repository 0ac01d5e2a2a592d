import { strict as assert } from 'node:assert';
import { applyFix, coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'forbidden-path';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('forbidden-path', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['/usr/etc/chrony.conf', '/tmp/motd', '/run/myapp/', '/boot/grub2/grub.cfg']);
  });

  describe('reports', () => {
    it('COPY into /usr/etc, with the range on the destination and a fix to /etc', async () => {
      const run = await lint('COPY chrony.conf /usr/etc/chrony.conf\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(run), ['/usr/etc/chrony.conf']);
      const [finding] = run.findings;
      assert.equal(finding!.severity, 'error');
      assert.match(finding!.message, /^`\/usr\/etc\/chrony\.conf` is in \/usr\/etc, where ostree keeps the image's default \/etc: .*etc-usretc.*Put configuration in \/etc\.$/);
      const fixed = applyFix(run.text, finding!);
      assert.equal(fixed, `${FROM_RHCOS}\nCOPY chrony.conf /etc/chrony.conf\nRUN bootc container lint\n`);
      assert.deepEqual((await lintRule(ID, fixed)).findings, []);
    });

    it('RUN writes into /usr/etc, /boot, /sysroot and /ostree', async () => {
      const run = await lint([
        'RUN mkdir -p /usr/etc/foo && echo x > "/usr/etc/foo/x.conf" && \\',
        '    grub2-mkconfig -o /boot/grub2/grub.cfg && cp x /sysroot/x && ln -s /usr/share/y /ostree/y && \\',
        '    bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/usr/etc/foo', '"/usr/etc/foo/x.conf"', '/boot/grub2/grub.cfg', '/sysroot/x', '/ostree/y']);
      assert.equal(applyFix(run.text, run.findings[1]!).split('\n')[1], 'RUN mkdir -p /usr/etc/foo && echo x > "/etc/foo/x.conf" && \\');
      assert.match(run.findings[2]!.message, /masked \(bootc lint nonempty-boot\).*kernelArguments/);
    });

    it('COPY into /var/run, /boot', async () => {
      const run = await lint('COPY app.pid /var/run/app/\nCOPY vmlinuz /boot/\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(run), ['/var/run/app/', '/boot/']);
      assert.match(run.findings[0]!.message, /must stay a symlink to \/run.*var-run/);
      assert.match(run.findings[1]!.message, /^`\/boot`, which ostree manages/);
    });

    it('COPY into /tmp or /run that no later RUN uses', async () => {
      const run = await lint('COPY motd /tmp/motd\nCOPY sock.conf /run/myapp/\nRUN dnf install -y tmux && dnf clean all && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['/tmp/motd', '/run/myapp/']);
      assert.match(run.findings[0]!.message, /^`\/tmp\/motd` is in \/tmp, which nodes never receive: .*no later RUN uses it\./);
      assert.deepEqual(run.findings.map((f) => f.severity), ['warning', 'warning'], 'the node drops it: a warning, not an error');
      // A RUN that mounts a tmpfs over /tmp does not use what was copied there.
      const hidden = await lint('COPY build_files/ /tmp/build_files/\nRUN --mount=type=tmpfs,dst=/tmp --mount=type=bind,from=ctx,source=/,target=/ctx /ctx/build.sh\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(hidden), ['/tmp/build_files/']);
    });

    it('relative destinations after WORKDIR /usr/etc', async () => {
      const run = await lint('WORKDIR /usr/etc\nCOPY a.conf .\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(run), ['.']);
    });
  });

  describe('does not report', () => {
    it('files staged in /tmp for a later RUN (the documented hotfix pattern)', async () => {
      const run = await lint([
        'COPY hotfix/*.rpm /tmp/rpms/',
        'COPY setup.sh /tmp/',
        'RUN rpm-ostree override replace /tmp/rpms/*.rpm && /tmp/setup.sh && rpm-ostree cleanup -m && ostree container commit',
      ].join('\n'), '4.14');
      assert.deepEqual(run.findings, []);
    });

    it('files in /tmp that a later RUN reads through a staged script, or cleans up', async () => {
      const run = await lint([
        'COPY packages.json /tmp/packages.json',
        'COPY build.sh /tmp/build.sh',
        'COPY --from=ghcr.io/ublue-os/bling:latest /rpms/ublue-os-wallpapers-0.1-1.fc38.noarch.rpm /tmp/wallpapers.rpm',
        'RUN /tmp/build.sh && ostree container commit',
      ].join('\n'), '4.14');
      assert.deepEqual(run.findings, []);
      const cleaned = await lint('COPY motd /tmp/motd\nRUN dnf install -y tmux && dnf clean all && rm -rf /tmp/* && bootc container lint');
      assert.deepEqual(cleaned.findings, []);
    });

    it('the empty mount points and the /ostree link of a bootc base built from scratch', async () => {
      const run = await lint('RUN rm -rf /boot /home && mkdir -p /var /sysroot /boot /usr/lib/ostree && ln -s sysroot/ostree /ostree && bootc container lint');
      assert.deepEqual(run.findings, []);
      const replaced = await lint('RUN mkdir -p /boot/efi && ln -sf /var/ostree /ostree && bootc container lint');
      assert.deepEqual(coveredTexts(replaced), ['/boot/efi', '/ostree']);
    });

    it('staged files used from a WORKDIR', async () => {
      const run = await lint('WORKDIR /tmp/build\nCOPY install.sh .\nRUN ./install.sh && bootc container lint');
      assert.deepEqual(run.findings, []);
    });

    it('RUN scratch work in /tmp and /run, and secret mounts under /run', async () => {
      const run = await lint([
        'RUN --mount=type=secret,id=creds,target=/run/secrets/creds \\',
        '    curl -o /tmp/x.rpm https://example.com/x.rpm && mkdir -p /run/build && echo x > /run/build/y && \\',
        '    cp /run/secrets/creds /tmp/creds && rm -f /tmp/creds /tmp/x.rpm && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('/etc, /usr, /usr/lib/etc-like names that are not /usr/etc', async () => {
      const run = await lint('COPY a /etc/a\nCOPY b /usr/etcetera/b\nCOPY c /usr/lib/etc/c\nRUN echo > /usr/etc.bak && bootc container lint');
      assert.deepEqual(run.findings, []);
    });

    it('builder stages outside the final chain', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'COPY x /usr/etc/x',
        'RUN grub2-mkconfig -o /boot/grub2/grub.cfg',
        FROM_RHCOS,
        'COPY --from=builder /boot/grub2/grub.cfg /usr/share/grub.cfg',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });

    it('on-cluster FROM configs with localhost-style stage references', async () => {
      const text = ['FROM configs AS final', 'COPY --from=localhost/tools:latest /usr/bin/tool /usr/bin/tool', 'RUN bootc container lint'].join('\n');
      assert.deepEqual((await lintRule(ID, text, '4.18')).findings, []);
    });
  });
});
