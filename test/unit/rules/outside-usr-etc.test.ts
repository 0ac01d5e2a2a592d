import { strict as assert } from 'node:assert';
import { coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'outside-usr-etc';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('outside-usr-etc', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['/opt/monitoring-agent/', '.']);
  });

  it('reports COPY/ADD into /opt, /srv, /home, /root and made-up top-level directories, with the way out', async () => {
    const run = await lint('COPY agent /opt/agent/\nADD site.tar /srv/\nCOPY dotfiles /home/core/\nCOPY bashrc /root/.bashrc\nCOPY data /data\nRUN bootc container lint');
    assert.deepEqual(coveredTexts(run), ['/opt/agent/', '/srv/', '/home/core/', '/root/.bashrc', '/data']);
    const [first] = run.findings;
    assert.equal(first!.severity, 'warning');
    assert.match(first!.message, /^COPY puts files in `\/opt\/agent`: a node importing the image drops every top-level directory but \/usr, \/etc and \/var, so \/opt content never reaches the nodes\. .*under \/usr .*`L \/opt\/<name> - - - - \/usr\/lib\/<name>`/);
  });

  it('does not report /usr, /etc, the /usr links, paths other rules own, staged files, or earlier stages', async () => {
    const run = await lint([
      'COPY tool /usr/local/bin/tool',
      'COPY chrony.conf /etc/chrony.conf',
      'COPY helper /bin/helper',
      'COPY libx.so /lib64/libx.so',
      'COPY state /var/lib/app/',
      'COPY motd /tmp/motd',
      'COPY hotfix.rpm /root/',
      'RUN rpm-ostree install /root/hotfix.rpm && rpm-ostree cleanup -m && bootc container lint',
      'COPY kernel-5.14.0-427.el9.x86_64.rpm /kernel-5.14.0-427.el9.x86_64.rpm',
      'COPY kernel-core-5.14.0-427.el9.x86_64.rpm /kernel-core-5.14.0-427.el9.x86_64.rpm',
      'RUN rpm-ostree override replace /kernel-{,core-}5.14.0-427.el9.x86_64.rpm && rpm-ostree cleanup -m',
      'COPY seed /srv/seed',
      'RUN /usr/libexec/load-seed /srv/seed/x && rm -rf /srv/seed',
      'COPY rootfs/ /',
    ].join('\n'));
    assert.deepEqual(run.findings, []);
    const stages = await lintRule(ID, `FROM registry.access.redhat.com/ubi9 AS build\nCOPY src /opt/src\nRUN make -C /opt/src\n${FROM_RHCOS}\nCOPY --from=build /opt/src/out /usr/bin/out\nRUN bootc container lint\n`);
    assert.deepEqual(stages.findings, []);
  });
});
