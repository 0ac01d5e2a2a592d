// What a user sees working on layering Containerfiles, with a real registry on 127.0.0.1 (docker-registry with TLS
// and htpasswd, busybox pushed as the base): the Problems panel and hovers (scenario 1), "Pin to digest" and
// "Ignore on this line" from the Quick Fix menu (scenario 2), and Generate MachineConfig from the Explorer's
// context menu with the pools picked by hand (scenario 3). Every assertion is on what the page shows.
//
// The registry's CA and credentials reach the extension through the machine-scoped rhcosLayering.registry.certDirectory
// and rhcosLayering.registry.authFile in the session's machine settings (a remote window ignores machine-scoped
// settings in the user settings).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SessionOptions } from '../harness/code-server';
import { repoRoot } from '../harness/config';
import { useWorkbench } from '../harness/sessions';
import type { ProblemEntry } from '../harness/workbench';
import { startLocalRegistry, type LocalRegistry, type PushedImage } from '../../system/helpers/registry';

const DEFAULT_BASE_IMAGES = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
}).contributes.configuration.properties['rhcosLayering.lint.baseImages']!.default as string[];

/** Our entries for one file, as [rule, severity, line, column], sorted. */
function findings(entries: ProblemEntry[], file: string, folder: string): [string, string, number, number][] {
  return entries
    .filter((entry) => entry.file === file && entry.folder === folder && entry.source === 'rhcos-layering')
    .map((entry) => [entry.code ?? '?', entry.severity, entry.line ?? 0, entry.column ?? 0] as [string, string, number, number])
    .sort((a, b) => a[2] - b[2] || a[3] - b[3] || a[0].localeCompare(b[0]));
}

describe('layering Containerfiles in the workbench (local registry)', function () {
  let registry: LocalRegistry;
  let layered: PushedImage;
  // Filled in once the registry runs (before the session starts: this hook is registered first).
  const session: SessionOptions = { name: 'layering' };

  before(async function () {
    this.timeout(300_000);
    registry = await startLocalRegistry();
    // Stands in for the layered image a build would push: the nodes' image for Generate MachineConfig.
    layered = await registry.pushBaseImage('rhcos-layered', { tag: '1.0' });
    // Machine-scoped: code-server's workbench is a remote window, which reads them from the machine's settings only.
    session.machineSettings = { 'rhcosLayering.registry.authFile': registry.authFile, 'rhcosLayering.registry.certDirectory': registry.certDir };
    session.settings = { 'rhcosLayering.lint.baseImages': [...DEFAULT_BASE_IMAGES, '127.0.0.1:*/busybox-base'] };
  });
  const workbench = useWorkbench(session);
  before(async function () {
    // A compact window: the step screenshots named readme-* become the README's pictures (npm run screenshots).
    await workbench().setViewport(1200, 720);
    // A Containerfile FROM the registry's base, written into the session's copy of the fixture workspace.
    mkdirSync(path.join(workbench().session.workspaceDir, 'registry'), { recursive: true });
    writeFileSync(
      path.join(workbench().session.workspaceDir, 'registry', 'Containerfile'),
      ['# A layered image on the local registry\'s busybox base.', `FROM ${registry.host}/busybox-base:latest`, 'RUN echo "layered by rhcos-layering" > /etc/motd && \\', '    bootc container lint', ''].join('\n'),
    );
  });
  after(async function () {
    await workbench().setViewport(1400, 900).catch(() => undefined);
    await registry?.stop();
  });

  it('1. the Problems panel lists our findings with rule ids; hovering the FROM image shows its details', async function () {
    await workbench().openFile('layering/release-payload.Containerfile');
    const entries = await workbench().waitForProblems((all) => findings(all, 'release-payload.Containerfile', 'layering').length >= 3, 'the three findings of release-payload.Containerfile');
    assert.deepEqual(findings(entries, 'release-payload.Containerfile', 'layering'), [
      ['from-release-image', 'error', 2, 6],
      ['multiple-kernels', 'error', 3, 24],
      ['systemctl-runtime', 'warning', 3, 47],
    ]);
    const message = (code: string) => entries.find((entry) => entry.code === code)?.message ?? '';
    assert.match(message('from-release-image'), /is a release payload, not an OS image/);
    assert.match(message('multiple-kernels'), /`kernel-rt-core` adds a second kernel/);
    assert.match(message('systemctl-runtime'), /`systemctl start` needs a running systemd/);
    await workbench().screenshot('readme-problems', { clip: [workbench().page.locator('[id="workbench.parts.editor"]'), workbench().page.locator('[id="workbench.parts.panel"]')] });

    // The hover on a tagged release payload: the finding on the image, then its details.
    const hover = await workbench().hover(2, 12, { expect: /Kind/ });
    assert.match(hover, /is a release payload, not an OS image/);
    assert.match(hover, /Base image\s+quay\.io\/openshift-release-dev\/ocp-release:4\.16\.3-x86_64/);
    assert.match(hover, /Registry\s+quay\.io/);
    assert.match(hover, /Repository\s+openshift-release-dev\/ocp-release/);
    assert.match(hover, /Tag\s+4\.16\.3-x86_64/);
    assert.match(hover, /Digest\s+– \(not pinned\)/);
    assert.match(hover, /Kind\s+an OpenShift release payload, not an OS image/);

    // ... and on a pinned rhel-coreos base (no findings there, so the details are all the hover shows).
    await workbench().openFile('layering/hover.Containerfile');
    const pinned = await workbench().hover(1, 20, { keepOpen: true, expect: /Kind/ });
    assert.match(pinned, /^Base image\s+quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:5b2ba2d5/);
    assert.match(pinned, /Tag\s+–/);
    assert.match(pinned, /Digest\s+sha256:5b2ba2d5b3b5c2e0e9f7b6a1c8d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6/);
    assert.match(pinned, /Kind\s+RHEL CoreOS, the OS image OpenShift nodes run/);
    await workbench().screenshot('readme-hover', { clip: [workbench().hoverWidget, workbench().page.locator('.editor-group-container.active > .title')], padding: 8 });
    await workbench().page.keyboard.press('Escape');
  });

  it('2a. "Pin to digest" from the Quick Fix menu writes the digest the registry serves and the error goes away', async function () {
    const image = `${registry.host}/busybox-base:latest`;
    await workbench().openFile('registry/Containerfile');
    const before = await workbench().waitForProblems((all) => findings(all, 'Containerfile', 'registry').length > 0, 'the findings of registry/Containerfile');
    assert.deepEqual(findings(before, 'Containerfile', 'registry'), [['from-not-digest', 'error', 2, 6]]);

    const offered = await workbench().quickFixMenu(2, 10);
    assert.deepEqual(offered.slice(0, 4), [`Pin ${image} to its digest`, 'Ignore from-not-digest on this line', 'Ignore from-not-digest in this file', 'Show documentation for from-not-digest']);
    await workbench().screenshot('readme-quick-fix', { clip: [workbench().page.locator('.action-widget:not(.action-list-submenu-panel)'), workbench().page.locator('.editor-group-container.active > .title')], padding: 8 });
    await workbench().page.keyboard.press('Escape');
    await workbench().quickFixMenu(2, 10, `Pin ${image} to its digest`);

    const digest = await registry.skopeoDigest(image);
    assert.equal(digest, registry.base.digest, 'skopeo and the push agree on the digest');
    const text = await workbench().waitForEditorText(`FROM ${image}@${digest}`);
    assert.match(text, new RegExp(`^FROM ${image.replace(/[.]/g, '\\.')}@sha256:[0-9a-f]{64}$`, 'm'));
    const after = await workbench().waitForProblems((all) => findings(all, 'Containerfile', 'registry').length === 0, 'from-not-digest to go away');
    assert.deepEqual(findings(after, 'Containerfile', 'registry'), []);
    await workbench().executeCommand('workbench.action.files.save');
    assert.match(readFileSync(path.join(workbench().session.workspaceDir, 'registry', 'Containerfile'), 'utf8'), new RegExp(`FROM \\S+@${digest}\n`));
  });

  it('2b. "Ignore systemctl-runtime on this line" adds the comment and the warning goes away', async function () {
    await workbench().openFile('layering/systemctl.Containerfile');
    const before = await workbench().waitForProblems((all) => findings(all, 'systemctl.Containerfile', 'layering').length > 0, 'the systemctl-runtime warning');
    assert.deepEqual(findings(before, 'systemctl.Containerfile', 'layering'), [['systemctl-runtime', 'warning', 4, 22]]);
    await workbench().quickFixMenu(4, 23, 'Ignore systemctl-runtime on this line');
    const text = await workbench().waitForEditorText('# rhcos-layering ignore=systemctl-runtime');
    assert.match(text, /^# rhcos-layering ignore=systemctl-runtime\nRUN dnf install -y firewalld/m);
    const after = await workbench().waitForProblems((all) => findings(all, 'systemctl.Containerfile', 'layering').length === 0, 'systemctl-runtime to go away');
    assert.deepEqual(findings(after, 'systemctl.Containerfile', 'layering'), []);
    await workbench().executeCommand('workbench.action.files.revert');
  });

  it('3. Explorer › right-click › Generate MachineConfig, pick pools: the YAML opens with the digest', async function () {
    const menu = await workbench().explorerContextMenu('registry/Containerfile', 'Generate MachineConfig');
    assert.ok(menu.includes('Generate MachineOSConfig (on-cluster layering)') && menu.includes('Build and Push Layered Image'), `menu: ${menu.join(' | ')}`);

    await workbench().quickInputTitle('Generate MachineConfig: pools');
    const pools = await workbench().setQuickPicks({ master: true });
    assert.deepEqual(pools, [
      { label: 'worker', picked: true },
      { label: 'master', picked: true },
      { label: 'Another pool…', picked: false },
    ]);
    await workbench().acceptQuickInput();
    const image = `${registry.host}/rhcos-layered:1.0`;
    const asked = await workbench().answerInputBox(image, 'Generate MachineConfig: image');
    assert.equal(asked.value, '', 'nothing remembered for this Containerfile yet');
    const named = await workbench().answerInputBox(undefined, 'Generate MachineConfig: name');
    assert.equal(named.value, 'os-layer-registry');

    await workbench().waitForActiveEditor('os-layer-registry.yaml');
    const yaml = await workbench().waitForEditorText(`osImageURL: ${registry.host}/rhcos-layered@${layered.digest}`);
    assert.match(yaml, /name: os-layer-registry\n/);
    assert.match(yaml, /machineconfiguration\.openshift\.io\/role: worker/);
    assert.ok(yaml.includes(`# Image: ${image}; the registry ${registry.host} resolved the tag "1.0" to ${layered.digest}.`), yaml);
    assert.equal(await registry.skopeoDigest(image), layered.digest);

    const folder = path.join(workbench().session.workspaceDir, 'registry');
    const master = readFileSync(path.join(folder, 'os-layer-registry-master.yaml'), 'utf8');
    assert.match(master, new RegExp(`role: master\\nspec:\\n  osImageURL: ${registry.host.replace(/[.]/g, '\\.')}/rhcos-layered@${layered.digest}\\n`));
    assert.ok(existsSync(path.join(folder, 'os-layer-registry.yaml')));
    // Pinned and labelled, so nothing to say about either file, except that the fixture workspace already has a
    // worker MachineConfig with osImageURL (machineconfig/50-tagged-worker.yaml): the MCO would use only one.
    const problems = await workbench().waitForProblems((all) => all.some((entry) => entry.file === 'os-layer-registry.yaml'), 'the duplicate osImageURL warning');
    assert.deepEqual(
      problems.filter((entry) => entry.file.startsWith('os-layer-registry')).map((entry) => [entry.file, entry.code, entry.severity]),
      [['os-layer-registry.yaml', 'mc-os-image-duplicate', 'warning']],
    );
    assert.match(problems.find((entry) => entry.file === 'os-layer-registry.yaml')!.message, /^2 MachineConfigs set osImageURL for pool worker: 50-tagged-worker/);

    // The picture for the README: the worker MachineConfig alone in the editor area.
    await workbench().executeCommand('workbench.action.closePanel');
    await workbench().executeCommand('workbench.action.closeEditorsInOtherGroups');
    await workbench().waitForEditorText(`osImageURL: ${registry.host}/rhcos-layered@${layered.digest}`);
    await workbench().screenshot('readme-generated-machineconfig', { clip: [workbench().page.locator('[id="workbench.parts.editor"]')] });
  });
});
