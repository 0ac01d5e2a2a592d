import { strict as assert } from 'node:assert';
import { at, covered, DIGEST, findingsOf, FROM_RHCOS, RHCOS } from './ruleHarness';

const TAGGED = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16';

describe('from-not-digest', () => {
  it('flags a tag on the final base with a pin-to-digest action, and the cluster base image as an edit when connected', async () => {
    const text = `FROM ${TAGGED}\nRUN rpm-ostree install vim\n`;
    const [finding] = await findingsOf('from-not-digest', text, { cluster: { context: 'c', baseOSContainerImage: RHCOS } });
    assert.equal(covered(text, finding!), TAGGED);
    assert.equal(finding!.severity, 'error');
    assert.deepEqual(finding!.fixes!.map((f) => f.kind), ['action', 'edit']);
    const action = finding!.fixes![0]!;
    assert.ok(action.kind === 'action' && action.action.type === 'pin-digest' && action.action.image === TAGGED);
  });

  it('follows ARG defaults and stage references to the external base', async () => {
    const text = `ARG BASE=${TAGGED}\nFROM \${BASE} AS base\nFROM base\nRUN rpm-ostree install vim\n`;
    const [finding] = await findingsOf('from-not-digest', text);
    assert.equal(at(finding!), '1:5-1:12');
    assert.match(finding!.message, /from the default of ARG BASE/);
    assert.deepEqual(finding!.fixes, []);
  });

  it('accepts digests, @${VAR} digests, localhost images and FROM configs', async () => {
    for (const from of [FROM_RHCOS, `FROM ${TAGGED}@${DIGEST}`, 'FROM quay.io/x/rhel-coreos@${DIGEST_ARG}', 'FROM localhost/base', 'FROM configs AS final']) {
      assert.deepEqual(await findingsOf('from-not-digest', `${from}\nRUN rpm-ostree install vim\n`), [], from);
    }
  });
});

describe('from-unresolved-arg', () => {
  it('names the ARG without a default, and the undeclared one', async () => {
    const [declared] = await findingsOf('from-unresolved-arg', 'ARG IMG\nFROM ${IMG}\nRUN rpm-ostree install x\n', { force: true });
    assert.match(declared!.message, /ARG IMG has no default/);
    const [undeclared] = await findingsOf('from-unresolved-arg', 'FROM ${NOPE}\nRUN rpm-ostree install x\n', { force: true });
    assert.match(undeclared!.message, /NOPE is not declared with ARG before the first FROM/);
  });
});

describe('from-release-image', () => {
  it('flags ocp-release payloads and says how to find rhel-coreos', async () => {
    const text = `FROM quay.io/openshift-release-dev/ocp-release@${DIGEST}\nRUN rpm-ostree install vim\n`;
    const [finding] = await findingsOf('from-release-image', text);
    assert.match(finding!.message, /release payload.*oc adm release info --image-for rhel-coreos/);
  });
});

describe('from-unknown-base', () => {
  it('flags a base that is no CoreOS/bootc image in a file that uses rpm-ostree, not localhost or known bases', async () => {
    const [finding] = await findingsOf('from-unknown-base', `FROM registry.access.redhat.com/ubi9/ubi@${DIGEST}\nRUN rpm-ostree install vim\n`);
    assert.match(finding!.message, /ubi9\/ubi is not a known CoreOS\/bootc base/);
    assert.deepEqual(await findingsOf('from-unknown-base', 'FROM localhost/mine\nRUN rpm-ostree install vim\n'), []);
    assert.deepEqual(await findingsOf('from-unknown-base', `${FROM_RHCOS}\nRUN rpm-ostree install vim\n`), []);
  });

  it('honours bases added to the setting', async () => {
    const text = `FROM registry.example.com/platform/custom-coreos@${DIGEST}\nRUN rpm-ostree install vim\n`;
    assert.equal((await findingsOf('from-unknown-base', text)).length, 1);
    assert.deepEqual(await findingsOf('from-unknown-base', text, { baseImagePatterns: ['registry.example.com/platform/*'] }), []);
  });
});

describe('kernel-rt-package', () => {
  it('warns on kernel-rt RPMs, and is an error naming the MachineConfig when the pool sets kernelType realtime', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install kernel-rt-core kernel-rt-modules && ostree container commit\n`;
    const plain = await findingsOf('kernel-rt-package', text);
    assert.deepEqual(plain.map((f) => [covered(text, f), f.severity]), [['kernel-rt-core', 'warning'], ['kernel-rt-modules', 'warning']]);
    const conflict = await findingsOf('kernel-rt-package', text, {
      machineConfigs: [{ name: '99-worker-realtime', pool: 'worker', extensions: [], kernelType: 'realtime', osImageURL: undefined, source: 'cluster' }],
    });
    assert.equal(conflict[0]!.severity, 'error');
    assert.match(conflict[0]!.message, /99-worker-realtime \(pool worker\)/);
  });
});
