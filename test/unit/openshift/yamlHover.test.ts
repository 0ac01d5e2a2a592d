import * as assert from 'node:assert/strict';
import { createBaseImageClassifier } from '../../../src/core/containerfile/baseImages';
import { factsFor } from '../../../src/core/openshift/versions';
import { parseMachineConfigYaml } from '../../../src/core/openshift/yamlDocuments';
import { yamlHoverAt } from '../../../src/core/openshift/yamlHover';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const BASE = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${DIGEST}`;
const TEXT = [
  'apiVersion: machineconfiguration.openshift.io/v1',
  'kind: MachineConfig',
  'metadata:',
  '  name: os-layer-worker',
  '  labels:',
  '    machineconfiguration.openshift.io/role: worker',
  'spec:',
  '  osImageURL: quay.io/example/rhcos-custom:1.0',
  '  kernelType: realtime',
  '  extensions:',
  '    - usbguard',
  '    - no-such-extension',
  '---',
  'apiVersion: machineconfiguration.openshift.io/v1',
  'kind: MachineConfig',
  'metadata: {name: base}',
  `spec: {osImageURL: "${BASE}", kernelType: turbo}`,
].join('\n');

describe('MachineConfig YAML hovers', () => {
  const parsed = parseMachineConfigYaml(TEXT);
  const context = { facts: factsFor({ major: 4, minor: 18 }), baseImages: createBaseImageClassifier([]), clusterBaseImage: BASE };
  const hover = (line: number, character: number) => yamlHoverAt(parsed, { line, character }, context);

  it('osImageURL: the image, its pool, that it is not pinned, and the cluster base image', () => {
    const info = hover(7, 20)!;
    assert.match(info.markdown, /^\*\*Node image\*\* `quay\.io\/example\/rhcos-custom:1\.0`/);
    assert.match(info.markdown, /nodes of pool `worker` boot into/);
    assert.match(info.markdown, /Not pinned by digest/);
    assert.match(info.markdown, /\| Tag \| `1\.0` \|/);
    assert.match(info.markdown, new RegExp(`Cluster base image: \`${BASE.replace(/[.]/g, '\\.')}\` \\(different\\)`));
    assert.deepEqual(info.range, { start: { line: 7, character: 14 }, end: { line: 7, character: 46 } });
    const onKey = hover(7, 4)!;
    assert.equal(onKey.markdown, info.markdown, 'the osImageURL key shows the image card too');
    assert.deepEqual(onKey.range, { start: { line: 7, character: 2 }, end: { line: 7, character: 12 } });
    const base = hover(16, 30)!;
    assert.match(base.markdown, /\(the same\)/);
    assert.doesNotMatch(base.markdown, /Not pinned/);
  });

  it('extensions: the RPMs an extension installs at the target version, or that it is unknown', () => {
    assert.match(hover(10, 8)!.markdown, /^\*\*MCO extension\*\* `usbguard`\n\nOn OpenShift 4\.18 the MCO installs `usbguard` on the pool's nodes.*extension-package/s);
    assert.match(hover(11, 8)!.markdown, /Not an extension OpenShift 4\.18 supports \(.*`usbguard`/);
  });

  it('kernelType: what the MCO does, or the accepted values', () => {
    assert.match(hover(8, 16)!.markdown, /^\*\*kernelType\*\* `realtime`\n\nThe MCO replaces the kernel with `kernel-rt`.*kernel-rt-package/);
    assert.match(hover(16, TEXT.split('\n')[16]!.indexOf('turbo') + 2)!.markdown, /Not a kernelType OpenShift 4\.18 accepts \(`default`, `realtime`, `64k-pages`\)/);
  });

  it('nothing elsewhere', () => {
    assert.equal(hover(3, 10), undefined);
    assert.equal(hover(0, 0), undefined);
  });
});
