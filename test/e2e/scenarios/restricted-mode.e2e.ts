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
});
