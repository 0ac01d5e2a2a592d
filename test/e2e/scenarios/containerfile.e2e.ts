// The user's view of the skeleton: a Containerfile in the fixture workspace is a Dockerfile, the extension's log
// channel is in the Output panel, and (installed as a user installs it) it exports nothing to other extensions.
import * as assert from 'node:assert/strict';
import { useWorkbench } from '../harness/sessions';

describe('Containerfile in the fixture workspace', function () {
  const workbench = useWorkbench();

  it('shows the fixture workspace in the Explorer', async function () {
    const explorer = workbench().page.locator('[id="workbench.parts.sidebar"] .explorer-folders-view');
    await explorer.locator('.monaco-list-row[aria-label="Containerfile"]').waitFor();
    await workbench().screenshot('explorer');
  });

  it('opens a Containerfile as Dockerfile (status bar language mode)', async function () {
    await workbench().openFile('Containerfile');
    assert.equal(await workbench().editorLanguage(), 'Dockerfile');
    await workbench().openFile('variants/usbguard.containerfile');
    assert.equal(await workbench().editorLanguage(), 'Dockerfile');
  });

  it('activates the extension, which has its own output channel', async function () {
    await workbench().openFile('Containerfile');
    const channels = await workbench().outputChannels();
    assert.ok(channels.includes('RHCOS Image Layering'), `output channels: ${channels.join(', ')}`);
    const text = await workbench().showOutputChannel('RHCOS Image Layering', /RHCOS Image Layering activated/);
    assert.match(text, /\[info\] RHCOS Image Layering activated/);
  });

  it('installed from the .vsix, it gives other extensions nothing: activate() returns no API', async function () {
    await workbench().openFile('Containerfile');
    await workbench().waitForExtensionActive();
    const extension = (await workbench().runner.state()).extensions['rhcos-layering-dev.rhcos-layering'];
    assert.equal(extension?.exports, 'undefined', `exports of the installed extension: ${JSON.stringify(extension)}`);
  });
});
