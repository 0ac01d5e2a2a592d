import { strict as assert } from 'node:assert';
import path from 'node:path';
import {
  defaultName, describeNames, headerPath, imageInputProblem, machineConfigFilePath, machineOSConfigFilePath, nameInputProblem,
  outputDirectory, planWrites, poolChoices, poolInputProblem, pushSpecInputProblem, secretInputProblem, OTHER_POOL_LABEL,
} from '../../../src/core/openshift/generateFlow';
import { buildSpecFor, pinEdit, pinnedText, pushDestinationProblem, registryOptions } from '../../../src/core/openshift/layerFlow';
import { range } from '../../../src/core/text';

const DIGEST = `sha256:${'9'.repeat(64)}`;

describe('generate flow decisions', () => {
  it('pool choices: the cluster\'s pools when connected, else worker, master and a free entry', () => {
    assert.deepEqual(poolChoices(undefined).map((c) => [c.label, c.picked]), [['worker', true], ['master', false], [OTHER_POOL_LABEL, false]]);
    assert.deepEqual(poolChoices(undefined, ['infra', 'master']).map((c) => [c.label, c.picked]), [['worker', false], ['master', true], ['infra', true], [OTHER_POOL_LABEL, false]]);
    assert.deepEqual(poolChoices(['master', 'infra', 'worker']).map((c) => [c.label, c.picked]), [['worker', true], ['master', false], ['infra', false]]);
    assert.deepEqual(poolChoices(['master', 'infra', 'worker'], ['infra', 'gone']).map((c) => [c.label, c.picked]), [['worker', false], ['master', false], ['infra', true]]);
    assert.equal(poolChoices([]).at(-1)!.other, true);
  });

  it('validates as the user types', () => {
    assert.equal(imageInputProblem('quay.io/org/img:1.0'), undefined);
    assert.equal(imageInputProblem(`quay.io/org/img@${DIGEST}`), undefined);
    assert.match(imageInputProblem('quay.io/org/my img:1')!, /whitespace/);
    assert.match(imageInputProblem('quay.io/Org/img:1')!, /lowercase/);
    assert.match(imageInputProblem(' quay.io/org/img:1')!, /spaces around/);
    assert.match(imageInputProblem('')!, /Enter the image/);
    assert.equal(poolInputProblem('infra'), undefined);
    assert.match(poolInputProblem('Infra Nodes')!, /Not a pool name: it contains whitespace/);
    assert.equal(nameInputProblem('os-layer-x', ['worker', 'infra']), undefined);
    assert.match(nameInputProblem('os-layer-x.', ['worker'])!, /must end with a lowercase letter or digit/);
    assert.match(nameInputProblem('x'.repeat(250), ['worker', 'infra-nodes'])!, /"x+-infra-nodes" is not a valid MachineConfig name: it is 262 characters/);
    assert.equal(pushSpecInputProblem('quay.io/org/os:latest'), undefined);
    assert.match(pushSpecInputProblem(`quay.io/org/os@${DIGEST}`)!, /digest/);
    assert.equal(secretInputProblem('', true), undefined);
    assert.match(secretInputProblem('', false)!, /empty/);
  });

  it('names: default from the folder, described per pool', () => {
    assert.equal(defaultName(['worker'], path.join('/w', 'layers', 'gpu', 'Containerfile')), 'os-layer-gpu');
    assert.equal(defaultName(['infra'], path.join('/w', 'gpu', 'Containerfile')), 'os-layer-gpu-infra');
    assert.equal(describeNames(['worker', 'infra'], 'os-layer-gpu'), 'os-layer-gpu (worker), os-layer-gpu-infra (infra)');
  });

  it('output location: next to the Containerfile, or the setting relative to the workspace folder', () => {
    const file = path.join('/w', 'layers', 'gpu', 'Containerfile');
    assert.equal(outputDirectory(file, '', '/w'), path.join('/w', 'layers', 'gpu'));
    assert.equal(outputDirectory(file, 'manifests/mc', '/w'), path.join('/w', 'manifests', 'mc'));
    assert.equal(outputDirectory(file, '/abs/out', '/w'), '/abs/out');
    assert.equal(headerPath(path.join('/w', 'manifests'), file), '../layers/gpu/Containerfile');
    assert.equal(headerPath(path.join('/w', 'layers', 'gpu'), file), 'Containerfile');
    assert.equal(machineConfigFilePath('/o', 'os-layer-gpu'), path.join('/o', 'os-layer-gpu.yaml'));
    assert.equal(machineOSConfigFilePath('/o', 'worker'), path.join('/o', 'worker.machineosconfig.yaml'));
  });

  it('plans writes: existing files are asked about, nothing is written before', () => {
    const plan = planWrites([{ path: '/a' }, { path: '/b' }], (p) => p === '/b');
    assert.deepEqual(plan, { existing: [{ path: '/b' }], fresh: [{ path: '/a' }] });
  });
});

describe('layering flow steps', () => {
  it('registry settings become resolve options (auth file, certificates, insecure registries, timeout); never listing platforms', () => {
    assert.deepEqual(registryOptions({ authFile: ' /home/u/auth.json ', insecureRegistries: ['', 'reg.local:5000'], timeoutSeconds: 3, certDirectory: ' /home/u/certs ' }), {
      auth: { authFile: '/home/u/auth.json' }, certificates: { certDirectory: '/home/u/certs' }, insecureRegistries: ['reg.local:5000'], timeoutMs: 3000, listPlatforms: false,
    });
    const defaults = registryOptions({ authFile: '', insecureRegistries: [], timeoutSeconds: Number.NaN, certDirectory: '' });
    assert.deepEqual([defaults.auth, defaults.certificates], [{}, {}]);
  });

  it('build settings become a build spec: --authfile and --cert-dir when set, TLS off for insecure registries only', () => {
    const input = { containerfile: '/w/Containerfile', contextDir: '/w', image: 'reg.local:5000/os/custom:1' };
    const spec = buildSpecFor(input, { tool: 'buildah', toolPath: ' ', extraArgs: ['--storage-driver', 'vfs'] }, { authFile: '/a.json', insecureRegistries: ['reg.local'], timeoutSeconds: 15, certDirectory: '/certs' });
    assert.deepEqual(spec, { tool: 'buildah', containerfile: '/w/Containerfile', contextDir: '/w', image: 'reg.local:5000/os/custom:1', authFile: '/a.json', certDir: '/certs', extraArgs: ['--storage-driver', 'vfs'], tlsVerify: false });
    const podman = buildSpecFor({ ...input, image: 'quay.io/o/c:1' }, { tool: 'podman', toolPath: '/usr/bin/podman', extraArgs: [] }, { authFile: '', insecureRegistries: ['reg.local'], timeoutSeconds: 15, certDirectory: '' });
    assert.deepEqual(podman, { tool: 'podman', toolPath: '/usr/bin/podman', containerfile: '/w/Containerfile', contextDir: '/w', image: 'quay.io/o/c:1' });
  });

  it('push destinations must be tags with a registry', () => {
    assert.equal(pushDestinationProblem('quay.io/org/custom:1.0'), undefined);
    assert.match(pushDestinationProblem(`quay.io/org/custom@${DIGEST}`)!, /Push to a tag/);
    assert.match(pushDestinationProblem('custom:1.0')!, /Name the registry/);
    assert.match(pushDestinationProblem('quay.io/Org/custom:1')!, /lowercase/);
  });

  it('pinned text: keeps the user\'s form in a Containerfile, fully qualified without tag in osImageURL', () => {
    assert.deepEqual(pinnedText('busybox:1.36', DIGEST, { keepTag: true, target: 'containerfile' }), { ok: true, value: `busybox:1.36@${DIGEST}` });
    assert.deepEqual(pinnedText('busybox:1.36', DIGEST, { keepTag: false, target: 'containerfile' }), { ok: true, value: `busybox@${DIGEST}` });
    assert.deepEqual(pinnedText('busybox:1.36', DIGEST, { keepTag: true, target: 'osImageURL' }), { ok: true, value: `docker.io/library/busybox@${DIGEST}` });
  });

  it('pin edit only when the text is unchanged', () => {
    const plan = { image: 'quay.io/a/b:1', range: range(0, 5, 0, 18), keepTag: true, target: 'containerfile' as const };
    assert.deepEqual(pinEdit('quay.io/a/b:1', plan, DIGEST), { ok: true, value: { range: plan.range, newText: `quay.io/a/b:1@${DIGEST}` } });
    const changed = pinEdit('quay.io/a/b:2', plan, DIGEST);
    assert.ok(!changed.ok && /changed while the digest was looked up \(it is now "quay\.io\/a\/b:2"\)/.test(changed.problem.why));
  });
});
