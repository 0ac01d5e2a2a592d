import { strict as assert } from 'node:assert';
import { applyFix, coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'non-root-user';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('non-root-user', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['USER core']);
  });

  it('reports RUNs after a non-root USER as a warning', async () => {
    const run = await lint('USER core\nRUN dnf install -y tmux && dnf clean all && bootc container lint');
    assert.deepEqual(coveredTexts(run), ['USER core']);
    const [finding] = run.findings;
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /^RUN steps after `USER core` run as `core`, but rpm-ostree, dnf .* need root/);
    assert.ok(!finding!.fixes?.some((fix) => fix.preferred));
    assert.equal(applyFix(run.text, finding!, /USER root/), `${FROM_RHCOS}\nUSER root\nRUN dnf install -y tmux && dnf clean all && bootc container lint\n`);
  });

  it('reports a final non-root USER with nothing after it as info, with deletion preferred', async () => {
    const run = await lint('RUN bootc container lint\nUSER 1000:1000');
    const [finding] = run.findings;
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /^The image ends as user `1000`/);
    assert.equal(applyFix(run.text, finding!), `${FROM_RHCOS}\nRUN bootc container lint\n`);
  });

  it('when an earlier USER was non-root too, the fix is USER root', async () => {
    const run = await lint('USER core\nRUN true\nUSER nobody');
    const finding = run.findings[0]!;
    assert.equal(applyFix(run.text, finding), `${FROM_RHCOS}\nUSER core\nRUN true\nUSER root\n`);
  });

  it('follows the stage chain', async () => {
    const text = [`${FROM_RHCOS} AS base`, 'USER core', 'FROM base', 'RUN rpm-ostree install tmux && ostree container commit'].join('\n');
    assert.deepEqual(coveredTexts(await lintRule(ID, text, '4.16')), ['USER core']);
  });

  it('does not report root spelled any way, variables, or builder stages', async () => {
    for (const user of ['root', '0', 'root:root', '0:0', 'root:wheel', '${BUILD_USER}']) {
      assert.deepEqual((await lint(`USER core\nRUN true\nUSER ${user}\nRUN bootc container lint`)).findings, [], user);
    }
    const text = ['FROM registry.access.redhat.com/ubi9/ubi AS builder', 'USER 1001', 'RUN make', FROM_RHCOS, 'RUN bootc container lint'].join('\n');
    assert.deepEqual((await lintRule(ID, text)).findings, []);
  });
});
