import { strict as assert } from 'node:assert';
import { coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'useradd-without-sysusers';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('useradd-without-sysusers', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['groupadd', 'useradd']);
  });

  describe('reports', () => {
    it('useradd and groupadd, on the command word, naming the user and the entry to add', async () => {
      const run = await lint('RUN groupadd -r -g 990 monitoring && useradd -r -g monitoring -s /sbin/nologin -d /var/lib/exporter exporter && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['groupadd', 'useradd']);
      assert.equal(run.findings[1]!.message, "`useradd` adds user `exporter` to the image's /etc only: nodes keep their locally modified /etc/passwd, so it may never exist there (bootc lint sysusers). Declare it in /usr/lib/sysusers.d/exporter.conf (`u exporter -`).");
      assert.match(run.findings[0]!.message, /\(`g monitoring -`\)/);
      assert.equal(run.findings[0]!.severity, 'warning');
    });

    it('grouped short options take their value from the rest of the word or the next word', async () => {
      for (const [body, user] of [['useradd -ms /bin/bash user', 'user'], ['useradd -rmd/var/lib/svc svc', 'svc'], ['useradd -mu 1001 builder', 'builder']]) {
        const run = await lint(`RUN ${body} && bootc container lint`);
        assert.equal(run.findings.length, 1, body);
        assert.match(run.findings[0]!.message, new RegExp(`adds user \`${user}\``), body);
      }
    });

    it('sudo, adduser, heredocs, sh -c', async () => {
      const run = await lint("RUN <<EOF\nsudo adduser --system svc\nEOF\nRUN sh -c 'useradd app' && bootc container lint");
      assert.deepEqual(coveredTexts(run), ['adduser', 'useradd']);
    });

    it('a sysusers.d entry for someone else does not cover', async () => {
      const run = await lint('COPY <<EOF /usr/lib/sysusers.d/other.conf\nu other - "Other"\nEOF\nRUN useradd mine && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['useradd']);
    });

    it('in a stage the final image builds on', async () => {
      const text = [`${FROM_RHCOS} AS base`, 'RUN useradd app', 'FROM base', 'RUN bootc container lint'].join('\n');
      assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['useradd']);
    });
  });

  describe('does not report', () => {
    it('users and groups declared in sysusers.d by COPY heredoc, echo or printf', async () => {
      const run = await lint([
        'COPY <<EOF /usr/lib/sysusers.d/exporter.conf',
        'u exporter - "Node exporter" /var/lib/exporter /sbin/nologin',
        'EOF',
        "RUN printf 'g monitoring 990\\n' > /usr/lib/sysusers.d/monitoring.conf && echo 'u app -' > /etc/sysusers.d/app.conf && \\",
        '    groupadd -r -g 990 monitoring && useradd -r exporter && groupadd exporter && useradd app && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('a sysusers.d file copied from the build context', async () => {
      const run = await lint('COPY sysusers/app.conf /usr/lib/sysusers.d/\nRUN useradd app && bootc container lint');
      assert.deepEqual(run.findings, []);
    });

    it('useradd into another root, usermod, builder stages', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'RUN useradd builder',
        FROM_RHCOS,
        'RUN useradd -R /sysroot/ostree/deploy/x app && usermod -aG wheel core && bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });
  });
});
