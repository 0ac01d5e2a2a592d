import { strict as assert } from 'node:assert';
import { at, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'no-from';

describe(RULE, () => {
  const FRAGMENT = '# from the docs\nARG KVER=5.14.0-427.el9\nRUN rpm-ostree override replace /tmp/kernel-rt-core-${KVER}.rpm && \\\n    rpm-ostree install kernel-rt-core && ostree container commit\n';

  it('says once, as info, that a file without FROM is read as a fragment', async () => {
    const findings = await findingsOf(RULE, FRAGMENT);
    assert.deepEqual(findings.map((f) => [at(f), f.severity]), [['1:0-1:3', 'info']]);
  });

  it('still runs the RUN-level rules on the fragment, and no parse-error for it', async () => {
    assert.ok((await findingsOf('kernel-rt-package', FRAGMENT)).length > 0, 'the RUN is checked');
    assert.deepEqual(await findingsOf('parse-error', FRAGMENT), []);
  });

  it('is silent for files with FROM, and for on-cluster content (on-cluster-from-configs reports that)', async () => {
    assert.deepEqual(await findingsOf(RULE, `${FROM_RHCOS}\nRUN ostree container commit\n`), []);
    assert.deepEqual(await findingsOf(RULE, 'RUN dnf install -y tcpdump && bootc container lint\n', { mode: 'on-cluster', force: true }), []);
  });
});
