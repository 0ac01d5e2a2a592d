import { strict as assert } from 'node:assert';
import { applyFix, coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'non-os-instruction';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('non-os-instruction', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['EXPOSE 80', 'VOLUME /var/www', 'HEALTHCHECK CMD curl -f http://localhost/ || exit 1', 'CMD ["nginx", "-g", "daemon off;"]']);
  });

  it('reports each container-only instruction on the whole instruction, as info', async () => {
    const run = await lint([
      'RUN bootc container lint',
      'EXPOSE 8080/tcp',
      'VOLUME /var/lib/data',
      'HEALTHCHECK --interval=30s \\',
      '  CMD curl -f http://localhost/ || exit 1',
      'STOPSIGNAL SIGTERM',
      'ENTRYPOINT ["/usr/bin/myapp"]',
      'CMD ["--serve"]',
    ].join('\n'));
    assert.deepEqual(coveredTexts(run), [
      'EXPOSE 8080/tcp', 'VOLUME /var/lib/data', 'HEALTHCHECK --interval=30s \\\n  CMD curl -f http://localhost/ || exit 1',
      'STOPSIGNAL SIGTERM', 'ENTRYPOINT ["/usr/bin/myapp"]', 'CMD ["--serve"]',
    ]);
    assert.ok(run.findings.every((finding) => finding.severity === 'info'));
    assert.match(run.findings[0]!.message, /^`EXPOSE` has no effect on a node: .*Delete it\.$/);
  });

  it('the fix deletes the instruction lines, including continuations', async () => {
    const run = await lint('HEALTHCHECK --interval=30s \\\n  CMD true\nRUN bootc container lint');
    assert.equal(applyFix(run.text, run.findings[0]!), `${FROM_RHCOS}\nRUN bootc container lint\n`);
    const last = await lintRule(ID, `${FROM_RHCOS}\nRUN bootc container lint\nEXPOSE 22`);
    assert.equal(applyFix(last.text, last.findings[0]!), `${FROM_RHCOS}\nRUN bootc container lint`);
  });

  it('reports in stages the final image builds on, not in other builder stages', async () => {
    const text = [
      'FROM registry.access.redhat.com/ubi9/ubi AS builder',
      'EXPOSE 80',
      'CMD ["/bin/bash"]',
      `${FROM_RHCOS} AS base`,
      'EXPOSE 9100',
      'FROM base',
      'COPY --from=builder /etc/hosts /usr/share/hosts',
      'RUN bootc container lint',
    ].join('\n');
    assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['EXPOSE 9100']);
  });

  it('does not report init as the command, nor LABEL, ENV, ARG, WORKDIR, SHELL', async () => {
    const run = await lint([
      'ARG X=1',
      'ENV FOO=bar',
      'LABEL containers.bootc=1',
      'WORKDIR /',
      'SHELL ["/bin/bash", "-c"]',
      'RUN bootc container lint',
      'CMD ["/sbin/init"]',
      'ENTRYPOINT /usr/lib/systemd/systemd',
    ].join('\n'));
    assert.deepEqual(run.findings, []);
  });
});
