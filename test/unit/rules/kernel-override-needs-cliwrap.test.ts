import { strict as assert } from 'node:assert';
import { applyEdits, at, badFixtureFindings, covered, editFix, findingsOf, FROM_RHCOS } from './ruleHarness';

const RULE = 'kernel-override-needs-cliwrap';
const KERNEL = '$MIRROR/kernel-{,core-,modules-,modules-core-,modules-extra-}$KERNEL_VERSION.x86_64.rpm';

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE);
    assert.deepEqual(findings.map((f) => covered(text, f)), [
      'https://mirror.stream.centos.org/9-stream/BaseOS/x86_64/os/Packages/kernel-{,core-,modules-,modules-core-,modules-extra-}$KERNEL_VERSION.x86_64.rpm',
    ]);
  });

  const unwrapped = `${FROM_RHCOS}
ARG MIRROR=https://mirror.stream.centos.org/9-stream/BaseOS/x86_64/os/Packages
ARG KERNEL_VERSION=5.14.0-410.el9
RUN rpm-ostree override replace ${KERNEL} && \\
    rpm-ostree cleanup -m && \\
    ostree container commit
`;

  it('reports a kernel override without cliwrap on 4.14, at the package word found through brace expansion', async () => {
    const [finding, ...rest] = await findingsOf(RULE, unwrapped, { version: '4.14' });
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), `3:32-3:${32 + KERNEL.length}`);
    assert.equal(covered(unwrapped, finding!), KERNEL);
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /`kernel`.*OpenShift 4\.14.*`rpm-ostree cliwrap install-to-root \/`/);
  });

  it('fixes it by running cliwrap first in the same chain', async () => {
    const [finding] = await findingsOf(RULE, unwrapped, { version: '4.14' });
    const fixed = applyEdits(unwrapped, editFix(finding!)!.edits);
    assert.ok(fixed.includes(`RUN rpm-ostree cliwrap install-to-root / && rpm-ostree override replace ${KERNEL} && \\\n`));
    assert.deepEqual(await findingsOf(RULE, fixed, { version: '4.14' }), []);
  });

  for (const target of ['4.13', '4.15', '4.16']) {
    it(`applies on ${target}`, async () => {
      assert.equal((await findingsOf(RULE, unwrapped, { version: target })).length, 1);
    });
  }
  for (const target of ['4.12', '4.17', '4.18', '4.22']) {
    it(`does not apply on ${target}, where the docs do not use cliwrap`, async () => {
      assert.deepEqual(await findingsOf(RULE, unwrapped, { version: target }), []);
    });
  }

  it('accepts cliwrap in an earlier RUN of the stage chain', async () => {
    const text = `${FROM_RHCOS} AS base
RUN rpm-ostree cliwrap install-to-root / && ostree container commit
FROM base
RUN rpm-ostree override replace https://x/kernel-core-5.14.0-1.el9.x86_64.rpm && ostree container commit
`;
    assert.deepEqual(await findingsOf(RULE, text, { version: '4.14' }), []);
  });

  it('reports cliwrap that comes after the override, and offers the fix there', async () => {
    const text = `${FROM_RHCOS}
RUN rpm-ostree override replace kernel-modules-extra-5.14.0-1.el9.x86_64.rpm && rpm-ostree cliwrap install-to-root / && ostree container commit
`;
    const [finding] = await findingsOf(RULE, text, { version: '4.15' });
    assert.equal(covered(text, finding!), 'kernel-modules-extra-5.14.0-1.el9.x86_64.rpm');
    assert.ok(editFix(finding!));
  });

  it('ignores overrides of other packages, kernel-rt switches and builder stages', async () => {
    const text = `FROM registry.access.redhat.com/ubi9/ubi@sha256:${'1'.repeat(64)} AS builder
RUN rpm-ostree override replace https://x/kernel-core-5.14.0-1.el9.x86_64.rpm
${FROM_RHCOS}
RUN rpm-ostree override replace https://example.com/containers-common-1-1.el9.noarch.rpm && \\
    rpm-ostree override remove kernel kernel-core kernel-modules kernel-modules-core kernel-modules-extra --install kernel-rt-core && \\
    rpm-ostree install kernel-devel && \\
    ostree container commit
`;
    assert.deepEqual(await findingsOf(RULE, text, { version: '4.14' }), []);
  });

  it('offers no fix where inserting before the command would change what runs', async () => {
    const text = `${FROM_RHCOS}
RUN test -f /x || rpm-ostree override replace https://x/kernel-5.14.0-1.el9.x86_64.rpm && ostree container commit
`;
    const [finding] = await findingsOf(RULE, text, { version: '4.14' });
    assert.ok(finding);
    assert.equal(editFix(finding), undefined);
  });

  it('inserts inside an sh -c script and in heredoc RUNs', async () => {
    const shC = `${FROM_RHCOS}\nRUN sh -c 'rpm-ostree override replace https://x/kernel-core-5.14.0-1.el9.x86_64.rpm' && ostree container commit\n`;
    const [inString] = await findingsOf(RULE, shC, { version: '4.14' });
    assert.ok(applyEdits(shC, editFix(inString!)!.edits).includes(`sh -c 'rpm-ostree cliwrap install-to-root / && rpm-ostree override replace`));

    const heredoc = `${FROM_RHCOS}\nRUN <<EOF\nset -e\nrpm-ostree override replace https://x/kernel-core-5.14.0-1.el9.x86_64.rpm\nostree container commit\nEOF\n`;
    const [inHeredoc] = await findingsOf(RULE, heredoc, { version: '4.14' });
    assert.ok(applyEdits(heredoc, editFix(inHeredoc!)!.edits).includes('\nrpm-ostree cliwrap install-to-root / && rpm-ostree override replace'));
  });
});
