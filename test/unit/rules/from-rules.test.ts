import { strict as assert } from 'node:assert';
import { applyFix, at, covered, DIGEST, findingsOf, FROM_RHCOS, lintAll, RHCOS } from './ruleHarness';

const lint = (text: string) => lintAll(text);

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

  it('accepts digests, @${VAR} digests, localhost images, local archives, placeholders and FROM configs', async () => {
    const froms = [FROM_RHCOS, `FROM ${TAGGED}@${DIGEST}`, 'FROM quay.io/x/rhel-coreos@${DIGEST_ARG}', 'FROM localhost/base', 'FROM configs AS final',
      'FROM oci-archive:./out.ociarchive', 'FROM <base-image>', 'FROM {{.BaseOSImage}}', 'FROM UPSTREAM_IMAGE'];
    for (const from of froms) {
      assert.deepEqual(await findingsOf('from-not-digest', `${from}\nRUN rpm-ostree install vim\n`), [], from);
    }
  });

  it('reports a tag reached through ARG defaults, with the digest part empty, quoting the image as the build sees it', async () => {
    const head = 'ARG BASE_IMAGE="quay.io/${SOURCE_ORG:-fedora-ostree-desktops}/silverblue"\nARG FEDORA_MAJOR_VERSION="${FEDORA_MAJOR_VERSION:-44}"\n';
    const from = 'FROM ${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}${BASE_IMAGE_DIGEST:+@${BASE_IMAGE_DIGEST}}\nRUN rpm-ostree install vim && ostree container commit\n';
    const [finding, ...rest] = await findingsOf('from-not-digest', `${head}ARG BASE_IMAGE_DIGEST=""\n${from}`);
    assert.equal(rest.length, 0);
    assert.equal(finding!.message, 'Base image quay.io/fedora-ostree-desktops/silverblue:44 uses the tag `44` (from the default of ARG BASE_IMAGE, FEDORA_MAJOR_VERSION, BASE_IMAGE_DIGEST): pin it by digest (@sha256:…) so every node gets the same image.');
    assert.deepEqual(await findingsOf('from-not-digest', `${head}ARG BASE_IMAGE_DIGEST=${DIGEST}\n${from}`), []);
  });

  it('leaves release payloads to from-release-image: pinning a payload does not make it an OS image', async () => {
    const text = 'FROM quay.io/openshift-release-dev/ocp-release:4.16.3-x86_64\nRUN rpm-ostree install vim\n';
    assert.deepEqual(await findingsOf('from-not-digest', text), []);
    assert.equal((await findingsOf('from-release-image', text)).length, 1);
  });
});

describe('from-unresolved-arg', () => {
  it('names the ARG without a default, and the undeclared one, as information', async () => {
    const [declared] = await findingsOf('from-unresolved-arg', 'ARG IMG\nFROM ${IMG}\nRUN rpm-ostree install x\n', { force: true });
    assert.match(declared!.message, /ARG IMG has no default/);
    assert.equal(declared!.severity, 'info');
    const [undeclared] = await findingsOf('from-unresolved-arg', 'FROM ${NOPE}\nRUN rpm-ostree install x\n', { force: true });
    assert.match(undeclared!.message, /NOPE is not declared with ARG before the first FROM/);
  });

  it('only asks about the base of the final image: builder stages are the author\'s business', async () => {
    const text = `ARG RELEASE_VER\nFROM quay.io/fedora/fedora-bootc:\${RELEASE_VER} AS builder\nRUN make\n${FROM_RHCOS}\nCOPY --from=builder /out /usr/bin/\nRUN rpm-ostree install x\n`;
    assert.deepEqual(await findingsOf('from-unresolved-arg', text), []);
    const viaStage = 'ARG BASE\nFROM ${BASE} AS base\nRUN rpm-ostree install x\nFROM base\n';
    assert.deepEqual((await findingsOf('from-unresolved-arg', viaStage, { force: true })).map(at), ['1:5-1:12']);
  });

  it('reports a placeholder base once, as information, instead of a tag error and an unknown base', async () => {
    for (const [from, quoted] of [['<base-image>', '<base-image>'], ['{{.BaseOSImage}}', '{{.BaseOSImage}}'], ['UPSTREAM_IMAGE', 'UPSTREAM_IMAGE'],
      ['${BASE}', 'quay.io/your-org/your-image:latest']] as const) {
      const text = `ARG BASE=quay.io/your-org/your-image:latest\nFROM ${from}\nRUN rpm-ostree install x && rpm-ostree cleanup -m && ostree container commit\n`;
      const result = await lint(text);
      assert.deepEqual(result.map((f) => [f.ruleId, f.severity]), [['from-unresolved-arg', 'info']], from);
      assert.match(result[0]!.message, new RegExp(`The base image \`${quoted.replace(/[.${}]/g, '\\$&')}\` is a placeholder, so it cannot be checked`), from);
    }
    // A placeholder with blanks does not even parse: that is parse-error's one finding.
    const spaced = await lint('FROM <bootc base image>\nRUN rpm-ostree install x && rpm-ostree cleanup -m && ostree container commit\n');
    assert.deepEqual(spaced.map((f) => [f.ruleId, f.severity]), [['parse-error', 'error']]);
  });
});

describe('from-release-image', () => {
  const text = `# Using a 4.13.0 image\n  FROM quay.io/openshift-release-dev/ocp-release@${DIGEST}\nRUN rpm-ostree install vim\n`;

  it('flags ocp-release payloads and says how to find rhel-coreos', async () => {
    const [finding] = await findingsOf('from-release-image', text);
    assert.match(finding!.message, /release payload.*oc adm release info --image-for rhel-coreos/);
  });

  it('offline, the fix inserts the command that prints the release\'s rhel-coreos image; never a pin of the payload', async () => {
    const [finding] = await findingsOf('from-release-image', text);
    assert.deepEqual(finding!.fixes!.map((fix) => [fix.kind, fix.title, fix.preferred]), [['edit', 'Insert the command that prints this release\'s rhel-coreos image', true]]);
    assert.equal(applyFix(text, finding!).split('\n')[1], `  # The OS image of this release, to use in FROM: oc adm release info --image-for rhel-coreos quay.io/openshift-release-dev/ocp-release@${DIGEST}`);
    const all = (await lint(text)).flatMap((f) => f.fixes ?? []);
    assert.ok(!all.some((fix) => /pin/i.test(fix.title)), JSON.stringify(all.map((fix) => fix.title)));
  });

  it('when connected, the first fix uses the cluster\'s base image (the Cluster view\'s Use as FROM)', async () => {
    const [finding] = await findingsOf('from-release-image', text, { cluster: { context: 'c', baseOSContainerImage: RHCOS } });
    const [first, second] = finding!.fixes!;
    assert.deepEqual(first, { kind: 'action', title: `Use the cluster's base image (${RHCOS})`, preferred: true, action: { type: 'use-cluster-base-image' } });
    assert.equal(second!.kind === 'edit' && second!.preferred, false);
  });
});

describe('from-unknown-base', () => {
  it('says, as information, that a base it does not know cannot be checked; not for localhost or known bases', async () => {
    const [finding] = await findingsOf('from-unknown-base', `FROM registry.access.redhat.com/ubi9/ubi@${DIGEST}\nRUN rpm-ostree install vim\n`);
    assert.match(finding!.message, /ubi9\/ubi is not a CoreOS\/bootc base this linter knows, so it cannot check it/);
    assert.equal(finding!.severity, 'info');
    assert.deepEqual(await findingsOf('from-unknown-base', 'FROM localhost/mine\nRUN rpm-ostree install vim\n'), []);
    assert.deepEqual(await findingsOf('from-unknown-base', `${FROM_RHCOS}\nRUN rpm-ostree install vim\n`), []);
  });

  it('knows the OS bases: CoreOS, bootc, OKD, Fedora Atomic desktops and Universal Blue', async () => {
    const bases = ['registry.fedoraproject.org/fedora-bootc:42', 'quay.io/fedora/fedora-bootc:42', 'quay.io/centos-bootc/centos-bootc:stream9',
      'quay.io/centos-bootc/fedora-bootc-dev:eln', 'registry.redhat.io/rhel9/rhel-bootc:9.6', 'registry.redhat.io/rhel10/rhel-bootc:10.0',
      'quay.io/okd/centos-stream-coreos-9:4.12-x86_64', 'quay.io/okd/scos-content:4.16', 'quay.io/fedora/fedora-coreos:stable',
      'quay.io/openshift-release-dev/ocp-v4.0-art-dev:x', 'registry.ci.openshift.org/rhcos-devel/rhel-coreos:4.11', 'registry.redhat.io/rhel-coreos:4.11',
      'quay.io/fedora-ostree-desktops/silverblue:40', 'quay.io/fedora/fedora-silverblue:41', 'quay.io/fedora/fedora-kinoite:41',
      'ghcr.io/ublue-os/silverblue-main:40', 'ghcr.io/ublue-os/bazzite:stable'];
    for (const base of bases) {
      assert.deepEqual(await findingsOf('from-unknown-base', `FROM ${base}\nRUN rpm-ostree install vim\n`), [], base);
    }
    // Known even when the setting lists other repositories.
    assert.deepEqual(await findingsOf('from-unknown-base', 'FROM ghcr.io/ublue-os/bluefin:gts\n', { baseImagePatterns: ['registry.example.com/*'] }), []);
  });

  it('honours bases added to the setting', async () => {
    const text = `FROM registry.example.com/platform/custom-coreos@${DIGEST}\nRUN rpm-ostree install vim\n`;
    assert.equal((await findingsOf('from-unknown-base', text)).length, 1);
    assert.deepEqual(await findingsOf('from-unknown-base', text, { baseImagePatterns: ['registry.example.com/platform/*'] }), []);
  });
});

describe('kernel-rt-package', () => {
  const replace = 'rpm-ostree override remove kernel kernel-core kernel-modules kernel-modules-core kernel-modules-extra --install kernel-rt-core --install kernel-rt-modules --install kernel-rt-kvm';

  it('warns once per RUN, naming every kernel-rt RPM, and is an error naming the MachineConfig when the pool sets kernelType realtime', async () => {
    const text = `${FROM_RHCOS}\nRUN ${replace} && ostree container commit\n`;
    const plain = await findingsOf('kernel-rt-package', text);
    assert.deepEqual(plain.map((f) => [covered(text, f), f.severity]), [['kernel-rt-core', 'warning']]);
    assert.match(plain[0]!.message, /^`kernel-rt-core`, `kernel-rt-modules`, `kernel-rt-kvm` are realtime kernel RPMs: use a MachineConfig with kernelType: realtime/);
    const conflict = await findingsOf('kernel-rt-package', text, {
      machineConfigs: [{ name: '99-worker-realtime', pool: 'worker', extensions: [], kernelType: 'realtime', osImageURL: undefined, source: 'cluster' }],
    });
    assert.equal(conflict.length, 1);
    assert.equal(conflict[0]!.severity, 'error');
    assert.match(conflict[0]!.message, /conflict with MachineConfig 99-worker-realtime \(pool worker\)/);
  });

  it('leaves a kernel-rt RPM that adds a second kernel to multiple-kernels: one problem, one finding', async () => {
    const text = `${FROM_RHCOS}\nRUN rpm-ostree install kernel-rt-core kernel-rt-modules && ostree container commit\n`;
    const all = await lintAll(text);
    assert.deepEqual(all.map((f) => [f.ruleId, covered(text, f)]), [['multiple-kernels', 'kernel-rt-core'], ['kernel-rt-package', 'kernel-rt-modules']]);
  });
});

