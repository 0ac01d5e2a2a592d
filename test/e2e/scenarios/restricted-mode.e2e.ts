// With workspace trust on and the prompt answered "don't trust", the workspace is in Restricted Mode and the
// extension still activates (the manifest declares untrustedWorkspaces: limited).
import * as assert from 'node:assert/strict';
import { useWorkbench } from '../harness/sessions';

const EXTENSION_ID = 'rhcos-layering-dev.rhcos-layering';

describe('Restricted Mode', function () {
  const workbench = useWorkbench({ trust: 'enabled', trustAnswer: 'restrict' });

  it('shows Restricted Mode in the status bar', async function () {
    const indicator = workbench().page.locator('[id="workbench.parts.statusbar"] [id="status.workspaceTrust"]');
    await indicator.waitFor();
    assert.match((await indicator.textContent()) ?? '', /Restricted Mode/);
    assert.equal((await workbench().runner.state()).workspaceTrusted, false);
  });

  it('activates the extension on a Containerfile', async function () {
    await workbench().openFile('Containerfile');
    assert.equal(await workbench().editorLanguage(), 'Dockerfile');
    await workbench().waitForExtensionActive(EXTENSION_ID);
    assert.equal((await workbench().runner.state()).workspaceTrusted, false);
    const text = await workbench().showOutputChannel('RHCOS Image Layering', /RHCOS Image Layering activated/);
    assert.match(text, /RHCOS Image Layering activated/);
  });

  it('lints: the Problems panel lists the findings of a layering Containerfile', async function () {
    await workbench().openFile('layering/release-payload.Containerfile');
    const problems = await workbench().waitForProblems((all) => all.filter((entry) => entry.file === 'release-payload.Containerfile').length >= 3, 'the findings of release-payload.Containerfile');
    assert.deepEqual(problems.filter((entry) => entry.file === 'release-payload.Containerfile').map((entry) => entry.code).sort(), ['from-release-image', 'multiple-kernels', 'systemctl-runtime']);
  });

  it('does not offer Build and Push (Explorer menu, command palette) and refuses it with the trust message', async function () {
    const menu = await workbench().explorerContextMenu('generate/Containerfile');
    assert.ok(menu.includes('Generate MachineConfig'), `menu: ${menu.join(' | ')}`);
    assert.ok(!menu.includes('Build and Push Layered Image'), `menu: ${menu.join(' | ')}`);
    await assert.rejects(workbench().runCommand('RHCOS Layering: Build and Push Layered Image'), /has no command/);

    // Run anyway (a keybinding, another extension): it says why and offers to manage trust, and asks nothing else.
    await workbench().runner.executeCommand('rhcosLayering.buildAndPush', [{ $uri: 'generate/Containerfile' }], { wait: false });
    const toast = await workbench().waitForNotification(/needs a trusted workspace/);
    assert.equal(toast.severity, 'warning');
    assert.equal(toast.message, '"Build and Push Layered Image" runs tools or changes a cluster, so it needs a trusted workspace. This workspace is in Restricted Mode.');
    assert.deepEqual(toast.buttons, ['Manage Workspace Trust']);
    assert.equal(await workbench().page.locator('.quick-input-widget').isVisible(), false, 'no destination prompt');
    await workbench().executeCommand('notifications.clearAll');
  });
});
