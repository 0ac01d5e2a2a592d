import { strict as assert } from 'node:assert';
import { applyFix, coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'systemctl-runtime';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('systemctl-runtime', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['systemctl daemon-reload', '--now', 'systemctl restart']);
  });

  describe('reports', () => {
    it('restart, with the range on `systemctl restart` and a preferred deletion', async () => {
      const run = await lint('RUN dnf install -y chrony && systemctl restart chronyd && dnf clean all && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['systemctl restart']);
      const [finding] = run.findings;
      assert.match(finding!.message, /`systemctl restart` needs a running systemd/);
      assert.equal(finding!.severity, 'warning');
      assert.equal(applyFix(run.text, finding!), `${FROM_RHCOS}\nRUN dnf install -y chrony && dnf clean all && bootc container lint\n`);
    });

    it('daemon-reload as the first command', async () => {
      const run = await lint('RUN systemctl daemon-reload && systemctl enable foo.service && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['systemctl daemon-reload']);
      assert.equal(applyFix(run.text, run.findings[0]!), `${FROM_RHCOS}\nRUN systemctl enable foo.service && bootc container lint\n`);
    });

    it('a RUN that only reloads is deleted whole', async () => {
      const run = await lint('COPY foo.service /usr/lib/systemd/system/\nRUN systemctl daemon-reload\nRUN systemctl enable foo.service && bootc container lint');
      assert.equal(applyFix(run.text, run.findings[0]!), `${FROM_RHCOS}\nCOPY foo.service /usr/lib/systemd/system/\nRUN systemctl enable foo.service && bootc container lint\n`);
    });

    it('start: suggests enable, and offers it as a fix that is not preferred', async () => {
      const run = await lint('RUN systemctl start ipsec && bootc container lint');
      const [finding] = run.findings;
      assert.match(finding!.message, /use `systemctl enable ipsec` instead/);
      assert.ok(!finding!.fixes?.some((fix) => fix.preferred));
      assert.equal(applyFix(run.text, finding!, /enable/), `${FROM_RHCOS}\nRUN systemctl enable ipsec && bootc container lint\n`);
    });

    it('start of a unit the image already enables: the fix deletes the start, leaving no duplicate enable', async () => {
      const run = await lint('RUN systemctl enable ipsec.service && \\\n    systemctl start ipsec && \\\n    bootc container lint');
      const [finding] = run.findings;
      assert.match(finding!.message, /ipsec is already enabled by `systemctl enable` in this image, so it starts at boot: delete this command/);
      assert.deepEqual(finding!.fixes!.map((fix) => [fix.title, fix.preferred]), [['Delete `systemctl start ipsec`', true]]);
      const fixed = applyFix(run.text, finding!);
      assert.equal(fixed.match(/systemctl enable ipsec/g)?.length, 1, fixed);
      assert.doesNotMatch(fixed, /systemctl start/);
    });

    it('--now on enable, with the range on `--now` and its removal', async () => {
      const run = await lint('RUN systemctl enable --now ipsec && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['--now']);
      assert.match(run.findings[0]!.message, /`--now` also starts ipsec/);
      assert.equal(applyFix(run.text, run.findings[0]!), `${FROM_RHCOS}\nRUN systemctl enable ipsec && bootc container lint\n`);
    });

    it('sudo, full paths, options before the verb, service(8)', async () => {
      const run = await lint([
        'RUN sudo /usr/bin/systemctl --no-block stop firewalld && \\',
        '    systemctl -q -t service reload sshd && \\',
        '    service crond restart && \\',
        '    bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/usr/bin/systemctl --no-block stop', 'systemctl -q -t service reload', 'service crond restart']);
    });

    it('inside heredoc bodies and sh -c strings, with exact ranges and fixes', async () => {
      const heredoc = await lint('RUN <<EOF\nset -e\nsystemctl daemon-reload\nsystemctl enable foo\nEOF\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(heredoc), ['systemctl daemon-reload']);
      assert.equal(applyFix(heredoc.text, heredoc.findings[0]!), `${FROM_RHCOS}\nRUN <<EOF\nset -e\nsystemctl enable foo\nEOF\nRUN bootc container lint\n`);
      const shc = await lint(`RUN sh -c 'systemctl restart crio && echo ok' && bootc container lint`);
      assert.deepEqual(coveredTexts(shc), ['systemctl restart']);
      assert.equal(applyFix(shc.text, shc.findings[0]!), `${FROM_RHCOS}\nRUN sh -c 'echo ok' && bootc container lint\n`);
      const last = await lint(`RUN bash -c "echo ok && systemctl try-restart crio" && bootc container lint`);
      assert.equal(applyFix(last.text, last.findings[0]!), `${FROM_RHCOS}\nRUN bash -c "echo ok" && bootc container lint\n`);
    });

    it('offers no deletion where removing the command would change the shell logic', async () => {
      const run = await lint('RUN systemctl restart foo || true\nRUN if true; then systemctl restart bar; fi\nRUN bootc container lint');
      assert.equal(run.findings.length, 2);
      for (const finding of run.findings) assert.deepEqual(finding.fixes, []);
    });

    it('status and reboot', async () => {
      const run = await lint('RUN systemctl status crio; systemctl reboot\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(run), ['systemctl status', 'systemctl reboot']);
      assert.match(run.findings[0]!.message, /is-enabled/);
    });
  });

  describe('does not report', () => {
    it('enable, disable, mask, unmask, preset, set-default, is-enabled', async () => {
      const run = await lint([
        'RUN systemctl enable ipsec && systemctl disable firewalld && systemctl mask foo.timer && systemctl unmask bar && \\',
        '    systemctl preset-all && systemctl preset x && systemctl set-default multi-user.target && systemctl is-enabled ipsec && \\',
        '    systemctl --global enable podman-auto-update.timer && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('offline use: --root, SYSTEMD_OFFLINE', async () => {
      const run = await lint('RUN systemctl --root=/ daemon-reload && SYSTEMD_OFFLINE=1 systemctl restart foo && bootc container lint');
      assert.deepEqual(run.findings, []);
    });

    it('builder stages that are not part of the final image', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'RUN systemctl start something',
        FROM_RHCOS,
        'COPY --from=builder /out /usr/share/out',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });

    it('but does report in a stage the final image builds on', async () => {
      const text = [`${FROM_RHCOS} AS base`, 'RUN systemctl restart foo', 'FROM base', 'RUN bootc container lint'].join('\n');
      assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['systemctl restart']);
    });

    it('on-cluster FROM configs with RUN --mount, dnf5 and brace expansion', async () => {
      const text = [
        'FROM configs AS final',
        'RUN --mount=type=cache,target=/var/cache/libdnf5 dnf5 install -y {tmux,strace} && systemctl enable sysstat && bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });
  });
});
