// The extension is installed, activates on a Containerfile, logs that it did, and, run under test, exports its test API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, getExtension, harness, manifest, openFixture, readLogChannel, skipBecause, waitForActivation, waitForLogLine } from './helpers';

const LOG_CHANNEL = 'RHCOS Image Layering';

describe('activation', function () {
  after(closeAllEditors);

  it('is installed with the manifest we built', function () {
    const extension = getExtension();
    assert.equal(extension.id, EXTENSION_ID);
    assert.equal(manifest().name, 'rhcos-layering');
    assert.match(manifest().version, /^\d+\.\d+\.\d+/);
  });

  it('declares the activation events for Containerfiles', function () {
    const events = manifest().activationEvents ?? [];
    for (const event of ['onLanguage:dockerfile', 'workspaceContains:**/Containerfile']) assert.ok(events.includes(event), `missing activation event ${event}; has ${events.join(', ')}`);
  });

  it('is active once a Containerfile is open', async function () {
    const { document } = await openFixture('Containerfile');
    assert.equal(document.languageId, 'dockerfile');
    const extension = await waitForActivation();
    assert.ok(extension.isActive);
  });

  it(`logs its activation to the "${LOG_CHANNEL}" log channel`, async function () {
    await waitForActivation();
    if (readLogChannel(LOG_CHANNEL) === undefined && harness().kind !== 'code-server') {
      return skipBecause(this, 'the extension host log folder is only known inside the e2e runner');
    }
    const log = await waitForLogLine(LOG_CHANNEL, 'RHCOS Image Layering activated');
    assert.match(log, /\[info\] RHCOS Image Layering activated/);
  });

  it('activates in the workspace trust state the harness set up', async function () {
    const info = harness();
    if (info.kind !== 'code-server' || info.trust !== 'enabled') return skipBecause(this, 'only meaningful in a session with workspace trust enabled');
    assert.equal(vscode.workspace.isTrusted, info.expectTrusted, `workspace.isTrusted should be ${info.expectTrusted}`);
    await openFixture('Containerfile');
    assert.ok((await waitForActivation()).isActive, 'the manifest declares untrustedWorkspaces "limited", so it must activate in Restricted Mode');
  });

  it('run under test (ExtensionMode.Test), it exports its services to the suites', async function () {
    const extension = getExtension();
    const api = extension.isActive ? extension.exports : await extension.activate();
    assert.equal(typeof api, 'object', 'the suites run the extension under test, so activate() returns the services');
    for (const service of ['linter', 'diagnostics', 'machineConfigDiagnostics', 'lintContext', 'cluster']) assert.ok(service in (api as object), `the API has ${service}`);
    assert.equal((api as { extension: vscode.ExtensionContext }).extension.extensionMode, vscode.ExtensionMode.Test);
  });
});
