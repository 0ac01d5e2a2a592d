import { strict as assert } from 'node:assert';
import type { ClusterFacts } from '../../../src/core/rules/types';
import { applyEdits, at, badFixtureFindings, covered, DIGEST, editFix, findingsOf, OTHER_DIGEST, RHCOS } from './ruleHarness';

const RULE = 'base-image-mismatch';
const CLUSTER_IMAGE = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${OTHER_DIGEST}`;
const cluster: ClusterFacts = { context: 'prod', version: '4.16.3', baseOSContainerImage: CLUSTER_IMAGE };
const TAIL = 'RUN rpm-ostree install tmux && ostree container commit\n';

describe(RULE, () => {
  it('reports the bad fixture', async () => {
    const { text, findings } = await badFixtureFindings(RULE, { cluster });
    assert.deepEqual(findings.map((f) => covered(text, f)), ['quay.io/openshift-release-dev/ocp-v4.0-art-dev@${RHCOS_DIGEST}']);
    assert.ok(applyEdits(text, editFix(findings[0]!)!.edits).includes(`ARG RHCOS_DIGEST=${OTHER_DIGEST}\n`));
  });

  it('reports a digest that is not the cluster\'s, on the FROM image word', async () => {
    const text = `FROM ${RHCOS}\n${TAIL}`;
    const [finding, ...rest] = await findingsOf(RULE, text, { cluster });
    assert.equal(rest.length, 0);
    assert.equal(at(finding!), `0:5-0:${5 + RHCOS.length}`);
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /not the connected cluster's \(prod, 4\.16\.3\) baseOSContainerImage quay\.io\/.*@sha256:0123/);
  });

  it('replaces a literal FROM image with the cluster\'s', async () => {
    const text = `FROM ${RHCOS} AS final\n${TAIL}`;
    const [finding] = await findingsOf(RULE, text, { cluster });
    const fix = editFix(finding!)!;
    assert.equal(fix.preferred, true);
    const fixed = applyEdits(text, fix.edits);
    assert.equal(fixed, `FROM ${CLUSTER_IMAGE} AS final\n${TAIL}`);
    assert.deepEqual(await findingsOf(RULE, fixed, { cluster }), []);
  });

  it('edits the ARG defaults of a `${IMAGE}@${DIGEST}` FROM', async () => {
    const text = `ARG RHCOS_IMAGE=quay.io/openshift-release-dev/ocp-v4.0-art-dev\nARG RHCOS_DIGEST="${DIGEST}"\nFROM \${RHCOS_IMAGE}@\${RHCOS_DIGEST}\n${TAIL}`;
    const [finding] = await findingsOf(RULE, text, { cluster });
    assert.equal(at(finding!), '2:5-2:35');
    const fixed = applyEdits(text, editFix(finding!)!.edits);
    assert.equal(fixed, `ARG RHCOS_IMAGE=quay.io/openshift-release-dev/ocp-v4.0-art-dev\nARG RHCOS_DIGEST="${OTHER_DIGEST}"\nFROM \${RHCOS_IMAGE}@\${RHCOS_DIGEST}\n${TAIL}`);
    assert.deepEqual(await findingsOf(RULE, fixed, { cluster }), []);
  });

  it('follows stage references to the image the final stage is built on', async () => {
    const text = `FROM ${RHCOS} AS base\nRUN true\nFROM base AS final\n${TAIL}`;
    const [finding] = await findingsOf(RULE, text, { cluster });
    assert.equal(at(finding!), `0:5-0:${5 + RHCOS.length}`);
  });

  it('matches by digest, so a mirror of the same image is fine', async () => {
    const text = `FROM mirror.example.com:5000/ocp4/rhel-coreos@${OTHER_DIGEST}\n${TAIL}`;
    assert.deepEqual(await findingsOf(RULE, text, { cluster }), []);
  });

  it('is inactive without a cluster or without its baseOSContainerImage', async () => {
    const text = `FROM ${RHCOS}\n${TAIL}`;
    assert.deepEqual(await findingsOf(RULE, text), []);
    assert.deepEqual(await findingsOf(RULE, text, { cluster: { context: 'prod' } }), []);
  });

  it('leaves tags, placeholders, unresolved ARGs, localhost, configs and company bases alone', async () => {
    const cases = [
      'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16',
      'FROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:...',
      'ARG RHCOS_DIGEST\nFROM quay.io/openshift-release-dev/ocp-v4.0-art-dev@${RHCOS_DIGEST}',
      '# rhcos-layering\nFROM localhost/my-rhcos-base',
      'FROM configs AS final',
      `FROM registry.example.com/platform/rhcos-hardened@${DIGEST}`,
    ];
    for (const head of cases) {
      const text = `${head}\n${TAIL}`;
      assert.deepEqual(await findingsOf(RULE, text, { cluster, baseImagePatterns: ['registry.example.com/platform/*', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev'] }), [], head);
    }
  });

  it('reports a bootc base on an OpenShift cluster', async () => {
    const text = `FROM registry.redhat.io/rhel9/rhel-bootc@${DIGEST}\n${TAIL}`;
    assert.equal((await findingsOf(RULE, text, { cluster })).length, 1);
  });
});
