// Hovers in a layering Containerfile (vscode.executeHoverProvider): the FROM image's parts, a package that an MCO
// extension provides or that is a realtime kernel RPM, and what rpm-ostree / ostree commands do; and in a
// MachineConfig, the node image and the extensions.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, hoverTexts, openFixture, withSettings } from './helpers';

async function hoverOn(document: vscode.TextDocument, line: number, text: string, offset = 1): Promise<string> {
  const character = document.lineAt(line).text.indexOf(text);
  assert.ok(character >= 0, `"${text}" is not on line ${line + 1}`);
  const texts = await hoverTexts(document.uri, new vscode.Position(line, character + offset));
  const ours = texts.filter((t) => /\*\*Base image\*\*|\*\*Node image\*\*|\*\*MCO extension\*\*|\*\*Package\*\*|`rpm-ostree|`ostree|`bootc|`dnf/.test(t));
  assert.equal(ours.length, 1, `one hover of ours at "${text}" (line ${line + 1}); got:\n${texts.join('\n---\n')}`);
  return ours[0]!;
}

describe('hovers', function () {
  // Generous: the waits inside have their own timeouts and messages, and CI machines are loaded.
  this.timeout(60_000);
  after(closeAllEditors);

  it('the FROM image: registry, repository, tag, digest and kind', async function () {
    const { document } = await openFixture('layering/hover.Containerfile');
    const text = await hoverOn(document, 0, 'quay.io/openshift-release-dev', 10);
    const digest = /@(sha256:[0-9a-f]{64})/.exec(document.lineAt(0).text)![1]!;
    assert.match(text, /^\*\*Base image\*\* `quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:/);
    assert.match(text, /\| Registry \| `quay\.io` \|/);
    assert.match(text, /\| Repository \| `openshift-release-dev\/ocp-v4\.0-art-dev` \|/);
    assert.match(text, /\| Tag \| – \|/);
    assert.ok(text.includes(`| Digest | \`${digest}\` |`), text);
    assert.doesNotMatch(text, /not a known CoreOS\/bootc base/);
  });

  it('a tagged FROM says the digest is not pinned', async function () {
    const { document } = await openFixture('layering/release-payload.Containerfile');
    const text = await hoverOn(document, 1, 'ocp-release');
    assert.match(text, /\| Tag \| `4\.16\.3-x86_64` \|/);
    assert.match(text, /\| Digest \| – \(not pinned\) \|/);
  });

  it('a package an MCO extension provides names the extension (at the target version)', async function () {
    const { document } = await openFixture('layering/hover.Containerfile');
    await withSettings({ 'rhcosLayering.targetVersion': '4.18' }, async () => {
      const text = await hoverOn(document, 1, 'usbguard');
      assert.match(text, /^\*\*Package\*\* `usbguard`/);
      assert.match(text, /Provided by the MCO extension `usbguard` on OpenShift 4\.18/);
    });
  });

  it('a realtime kernel RPM says the MCO installs it for kernelType: realtime', async function () {
    const { document } = await openFixture('layering/hover.Containerfile');
    const text = await hoverOn(document, 1, 'kernel-rt-core');
    assert.match(text, /^\*\*Package\*\* `kernel-rt-core`/);
    assert.match(text, /Realtime kernel RPM\. The MCO installs these itself for `kernelType: realtime`\./);
  });

  it('`rpm-ostree install` and `ostree container commit` explain themselves', async function () {
    const { document } = await openFixture('layering/hover.Containerfile');
    assert.match(await hoverOn(document, 1, 'rpm-ostree'), /^`rpm-ostree install` layers RPMs onto the image/);
    assert.match(await hoverOn(document, 2, 'ostree container commit'), /^`ostree container commit` finishes a layer/);
  });

  it('in a MachineConfig: osImageURL shows the node image (not pinned here), an extension the RPMs it installs', async function () {
    const { document: tagged } = await openFixture('machineconfig/50-tagged-worker.yaml');
    const line = tagged.getText().split('\n').findIndex((text) => text.includes('osImageURL:'));
    const image = await hoverOn(tagged, line, 'osImageURL: ', 'osImageURL: '.length + 2);
    assert.match(image, /^\*\*Node image\*\* `/);
    assert.match(image, /nodes of pool `worker` boot into/);
    assert.match(image, /Not pinned by digest/);
    const { document: extensions } = await openFixture('machineconfig/99-worker-extensions.yaml');
    await withSettings({ 'rhcosLayering.targetVersion': '4.18' }, async () => {
      const text = await hoverOn(extensions, 8, 'usbguard');
      assert.match(text, /^\*\*MCO extension\*\* `usbguard`\n\nOn OpenShift 4\.18 the MCO installs `usbguard`/);
    });
  });

  it('no hover of ours outside FROM images and RUN commands', async function () {
    const { document } = await openFixture('layering/release-payload.Containerfile');
    const texts = await hoverTexts(document.uri, new vscode.Position(0, 5)); // inside the leading comment
    assert.deepEqual(texts.filter((t) => /\*\*Base image\*\*|\*\*Package\*\*/.test(t)), []);
  });
});
